"""Every user-facing text, in Arabic and English. The faces pick by the question's language,
or by the browser's (the web chat's labels go to Gradio's I18n from this same table)."""

from __future__ import annotations

from bot.language import Language
from retrieval.dates import spoken_date

TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "title": "Sanad · سند",
        "intro": "Ask about the news articles in Arabic or English. Every answer cites the "
        "passages it rests on: click a number to see the sentence.",
        "sources": "Sources",
        "searching": "Searching the articles…",
        "searching_for": "Understood as: {query}",
        "writing": "Writing the answer…",
        "rate_limited": "Too many questions at once: try again in {seconds} s.",
        "unverified": "Unverified: these numbers appear in none of the cited passages: {numbers}",
        "draft": "Draft: checked against the sources when it is finished.",
        "corrected": "Corrected from the sources: {changes}",
        "withdrawn": "This draft was not confirmed by the sources ({reasons}), so it is not "
        "given as an answer. Read the passages found below.",
        "check_instructions": "it follows text that is not news",
        "check_numbers": "a figure that none of the passages has",
        "check_currency": "a currency that its sources do not name",
        "check_unit": "a figure in a unit its sources do not count it in",
        "check_year": "a year other than the one asked about",
        "check_when": "the passages it cites do not tell of the year asked about",
        "check_echo": "it repeats the question without answering it",
        "check_kind": "the question asks for a figure or a time and it gives none",
        "check_support": "words that none of its sources has",
        "check_grounding": "the passages it cites are not about the question",
        "check_topic": "the sentences its answer comes from are about something else",
        "check_confidence": "the model was unsure of its own words",
        "check_agreement": "asked again, the model gave another answer most times",
        "found": "Passages found",
        "loading": "The language model is loading; your question will be answered in a moment.",
        "chat": "Chat",
        "placeholder": "Ask a question in Arabic or English…",
        "send": "Ask",
        "stop": "Stop",
        "stopped": "Stopped: the answer was not finished.",
        "clear": "New chat",
        "conversations": "Your conversations",
        "open": "Open",
        "delete": "Delete",
        "conversation_deleted": "Conversation deleted.",
        "examples": "Examples",
        "articles": "Articles",
        "upload": "Add articles (.txt, .md, .html, .jsonl, .docx, .pdf)",
        "according_to": "According to {outlet} on {date} [{n}].",
        "according_to_article": "According to an article of {date} [{n}].",
        "filters": "Narrow the articles",
        "from_day": "From (YYYY-MM-DD)",
        "to_day": "To (YYYY-MM-DD)",
        "outlet": "Outlet",
        "any_outlet": "Any outlet",
        "col_outlet": "Outlet",
        "indexed_on": "indexed {date}",
        "close": "Close",
        "article_view": "The whole article",
        "loading_article": "Opening the article…",
        "no_article": "This article is no longer in the index.",
        "search_articles": "Search the articles (title, file, outlet)",
        "remove_which": "Article to remove",
        "remove": "Remove from the articles",
        "confirm_remove": "Remove «{title}» ({file}) and its {passages}? Answers will no longer "
        "cite it.",
        "confirm": "Yes, remove it",
        "cancel": "Cancel",
        "removed": "Removed «{title}» ({file}).",
        "add": "Add to the articles",
        "indexing": "Indexing {name}",
        "reading": "Reading {name}",
        "added": "Added {added}, updated {replaced}, unchanged {unchanged} "
        "({passages}, {seconds:.1f} s). They can be asked about now.",
        "upload_errors": "Not added:",
        "duplicates": "Already in the articles under another name (indexed once):",
        "also_in": "also in:",
        "no_files": "Choose one or more files first.",
        "editors_only": "Adding articles is for editors. Ask whoever runs Sanad to add you.",
        "indexed": "Indexed articles",
        "col_title": "Title",
        "col_file": "File",
        "col_date": "Date",
        "col_passages": "Passages",
        "feedback": "Feedback",
        "thanks_up": "Thank you: this answer was marked helpful.",
        "thanks_down": "Thank you: this answer was marked unhelpful. What was wrong?",
        "comment": "Comment (optional)",
        "send_comment": "Send comment",
        "comment_saved": "Comment saved.",
        "export": "Export liked answers as a test set",
        "exported": "{count} in the evaluation format.",
        "error": "Something went wrong: {error}",
        "index_unavailable": "The article index cannot be reached right now (its Chroma server "
        "is down or restarting). Nothing is lost; please ask again in a moment.",
        "model_unavailable": "The language model server cannot be reached right now. "
        "Please ask again in a moment.",
    },
    "ar": {
        "title": "سند · Sanad",
        "intro": "اسأل عن المقالات الإخبارية بالعربية أو الإنجليزية. كل إجابة تذكر المقاطع "
        "التي تستند إليها: انقر على الرقم لترى الجملة.",
        "sources": "المصادر",
        "searching": "جارٍ البحث في المقالات…",
        "searching_for": "فُهم السؤال على أنه: {query}",
        "writing": "جارٍ كتابة الإجابة…",
        "rate_limited": "أسئلة كثيرة في وقت واحد: أعد المحاولة بعد {seconds} ثانية.",
        "unverified": "تنبيه: هذه الأرقام لا ترد في أي من المقاطع المستشهد بها: {numbers}",
        "draft": "مسودة: تُطابَق مع المصادر حين تكتمل.",
        "corrected": "صُحّح من المصادر: {changes}",
        "withdrawn": "لم تؤكد المصادر هذه المسودة ({reasons})، فلا تُقدَّم إجابةً. اقرأ المقاطع "
        "التي وُجدت أدناه.",
        "check_instructions": "تتبع نصًا ليس خبرًا",
        "check_numbers": "فيها رقم لا يرد في أي مقطع",
        "check_currency": "تذكر عملة لا تذكرها مصادرها",
        "check_unit": "تذكر رقمًا بوحدة غير التي تعدّه بها مصادرها",
        "check_year": "تذكر سنة غير التي سُئل عنها",
        "check_when": "المقاطع التي تستشهد بها لا تتحدث عن السنة المسؤول عنها",
        "check_echo": "تكرر السؤال دون أن تجيب عنه",
        "check_kind": "السؤال يطلب رقمًا أو وقتًا ولا تذكر أيًّا منهما",
        "check_support": "فيها كلمات لا ترد في مصادرها",
        "check_grounding": "المقاطع التي تستشهد بها لا تتناول السؤال",
        "check_topic": "الجمل التي أُخذت منها الإجابة تتحدث عن أمر آخر",
        "check_confidence": "لم يكن النموذج واثقًا مما كتبه",
        "check_agreement": "حين سُئل النموذج مرة أخرى أعطى إجابة أخرى في أغلب المرات",
        "found": "المقاطع التي وُجدت",
        "loading": "جارٍ تحميل النموذج اللغوي؛ ستصلك الإجابة بعد لحظات.",
        "chat": "المحادثة",
        "placeholder": "اكتب سؤالك بالعربية أو الإنجليزية…",
        "send": "اسأل",
        "stop": "إيقاف",
        "stopped": "توقفت الإجابة قبل أن تكتمل.",
        "clear": "محادثة جديدة",
        "conversations": "محادثاتك",
        "open": "فتح",
        "delete": "حذف",
        "conversation_deleted": "حُذفت المحادثة.",
        "examples": "أمثلة",
        "articles": "المقالات",
        "upload": "أضف مقالات (.txt و.md و.html و.jsonl و.docx و.pdf)",
        "according_to": "بحسب {outlet} في {date} [{n}].",
        "according_to_article": "بحسب مقال بتاريخ {date} [{n}].",
        "filters": "حصر المقالات",
        "from_day": "من (YYYY-MM-DD)",
        "to_day": "إلى (YYYY-MM-DD)",
        "outlet": "المصدر الإخباري",
        "any_outlet": "أي مصدر",
        "col_outlet": "المصدر الإخباري",
        "indexed_on": "فُهرس في {date}",
        "close": "إغلاق",
        "article_view": "المقال كاملًا",
        "loading_article": "جارٍ فتح المقال…",
        "no_article": "لم يعد هذا المقال في الفهرس.",
        "search_articles": "ابحث في المقالات (العنوان، الملف، المصدر)",
        "remove_which": "المقال المراد حذفه",
        "remove": "احذفه من المقالات",
        "confirm_remove": "هل تحذف «{title}» ({file}) مع {passages}؟ "
        "لن تستشهد به الإجابات بعد الآن.",
        "confirm": "نعم، احذفه",
        "cancel": "إلغاء",
        "removed": "حُذف «{title}» ({file}).",
        "add": "أضفها إلى المقالات",
        "indexing": "جارٍ فهرسة {name}",
        "reading": "جارٍ قراءة {name}",
        "added": "أضيف {added}، وحُدّث {replaced}، ولم يتغير {unchanged} "
        "({passages}، {seconds:.1f} ث). يمكنك السؤال عنها الآن.",
        "upload_errors": "لم يُضف:",
        "duplicates": "موجودة في المقالات باسم آخر (فُهرست مرة واحدة):",
        "also_in": "وردت أيضًا في:",
        "no_files": "اختر ملفًا أو أكثر أولًا.",
        "editors_only": "إضافة المقالات للمحررين فقط. اطلب من مسؤول «سند» أن يضيفك إليهم.",
        "indexed": "المقالات المفهرسة",
        "col_title": "العنوان",
        "col_file": "الملف",
        "col_date": "التاريخ",
        "col_passages": "المقاطع",
        "feedback": "التقييم",
        "thanks_up": "شكرًا: سُجّلت هذه الإجابة على أنها مفيدة.",
        "thanks_down": "شكرًا: سُجّلت هذه الإجابة على أنها غير مفيدة. ما الخطأ فيها؟",
        "comment": "تعليق (اختياري)",
        "send_comment": "أرسل التعليق",
        "comment_saved": "حُفظ التعليق.",
        "export": "صدّر الإجابات المفيدة كمجموعة اختبار",
        "exported": "{count} بصيغة التقييم.",
        "error": "حدث خطأ: {error}",
        "index_unavailable": "تعذّر الوصول إلى فهرس المقالات الآن (خادم Chroma متوقف أو يُعاد "
        "تشغيله). لم يُفقد شيء؛ أعد السؤال بعد قليل.",
        "model_unavailable": "تعذّر الوصول إلى خادم النموذج اللغوي الآن. أعد السؤال بعد قليل.",
    },
}


# How a count reads: English singular and plural; Arabic forms for one (with واحد), two (the
# dual), 3–10 (the plural), 11–99 (the accusative singular), and 100, 200… (the genitive
# singular). The same rule holds for the last two digits of bigger numbers.
NOUNS: dict[str, dict[Language, tuple[str, ...]]] = {
    "question": {"en": ("question", "questions"),
                 "ar": ("سؤال واحد", "سؤالان", "أسئلة", "سؤالًا", "سؤال")},
    "passage": {"en": ("passage", "passages"),
                "ar": ("مقطع واحد", "مقطعان", "مقاطع", "مقطعًا", "مقطع")},
    "article": {"en": ("article", "articles"),
                "ar": ("مقال واحد", "مقالان", "مقالات", "مقالًا", "مقال")},
}  # fmt: skip


def counted(count: int, noun: str, language: Language) -> str:
    """ "1 question", "3 questions"; "سؤال واحد", "سؤالان", "3 أسئلة", "11 سؤالًا", "100 سؤال"."""
    forms = NOUNS[noun][language]
    if language == "en":
        return f"{count} {forms[0] if count == 1 else forms[1]}"
    one, two, plural, accusative, genitive = forms
    if count in (1, 2):
        return one if count == 1 else two
    tens = count % 100
    if 3 <= tens <= 10:
        return f"{count} {plural}"
    return f"{count} {accusative}" if tens >= 11 else f"{count} {genitive}"


def questions_ahead(count: int, language: Language) -> str:
    """ "2 questions ahead of yours" / "سؤالان قبل سؤالك"."""
    if language == "ar":
        return f"{counted(count, 'question', 'ar')} قبل سؤالك: تبدأ الإجابة حين يأتي دوره."
    ahead = counted(count, "question", "en")
    return f"{ahead} ahead of yours: the answer starts when its turn comes."


def according_to(citations: list[tuple[int, str, str]], language: Language) -> str:
    """ "According to Reuters on 9 April 2024 [1]." for each (n, outlet, ISO day) cited, the
    same day and outlet said once."""
    said: dict[tuple[str, str], str] = {}
    for n, outlet, day in citations:
        key = "according_to" if outlet else "according_to_article"
        said.setdefault((outlet, day), TEXT[language][key].format(
            outlet=outlet, date=spoken_date(day, language), n=n))  # fmt: skip
    return " ".join(said.values())


def browser_language(accept_language: str | None) -> Language:
    """The first of Arabic or English in an Accept-Language header; English otherwise."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("ar"):
            return "ar"
        if tag.startswith("en"):
            return "en"
    return "en"
