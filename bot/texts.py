"""Every user-facing text, in Arabic and English: the faces pick by the question's language."""

from bot.language import Language

TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "sources": "Sources",
        "searching": "Searching the articles…",
        "writing": "Writing the answer…",
        "unverified": "⚠️ Unverified: these numbers appear in none of the cited passages: {numbers}",
    },
    "ar": {
        "sources": "المصادر",
        "searching": "جارٍ البحث في المقالات…",
        "writing": "جارٍ كتابة الإجابة…",
        "unverified": "⚠️ تنبيه: هذه الأرقام لا ترد في أي من المقاطع المستشهد بها: {numbers}",
    },
}
