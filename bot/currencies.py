"""The currencies a text names, in Arabic or English, as one name each: "2.3 مليار درهم" and
"2.3 billion dirhams" both name the dirham. An English answer translates its figure's
currency from the passage, and a small model slips to a neighbour ("dinars" for درهم): the
figure is then wrong though its digits are right.

Written here: no library reads currency names in Arabic news text (babel and price-parser
know symbols and codes, not "بالدراهم" or "جنيهات")."""

from __future__ import annotations

import re

from retrieval.arabic import TOKEN, normalize, stem

# a currency: its English words and codes (whole words, any case), its sign, and the
# Arabic words that begin a word naming it, after its fused prefixes (بالدولار، دولارات; not
# ديوان or إمبريالية)
_CURRENCIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "dollar": (r"dollars?|usd", "$", ("دولار",)),
    "euro": (r"euros?", "€", ("يورو",)),
    # a pound is also a weight (رطل), and sterling the British pound
    "pound": (r"pounds?|sterling|gbp|egp", "£", ("جنيه", "إسترليني", "باوند", "رطل")),
    "dinar": (r"dinars?", "", ("دينار", "دنانير")),
    "dirham": (r"dirhams?|aed", "", ("درهم", "دراهم")),
    "riyal": (r"riyals?|rials?", "", ("ريال",)),
    "lira": (r"liras?|lire", "", ("ليرة", "ليرات")),
    "yen": (r"yen|jpy", "¥", ()),  # Arabic ين: a whole word only, below
    "yuan": (r"yuan|renminbi|rmb|cny", "", ("يوان", "رنمينبي")),
    "rouble": (r"roubles?|rubles?", "", ("روبل",)),
    "rupee": (r"rupees?", "", ("روبية", "روبيات")),
    "shekel": (r"shekels?", "", ("شيكل", "شيقل")),
    "franc": (r"francs?", "", ("فرنك",)),
}
NAMES = frozenset(_CURRENCIES)  # every currency this module reads, by its one name
_ENGLISH = {
    name: re.compile(rf"\b(?:{words})\b" + (f"|{re.escape(sign)}" if sign else ""), re.IGNORECASE)
    for name, (words, sign, _) in _CURRENCIES.items()
}
_ARABIC = {name: tuple(normalize(w) for w in words) for name, (*_, words) in _CURRENCIES.items()}
# ين is a word's end too often (بين، تعيين), and الين or بالين a name (Allen, Palin): the
# whole word ين, or one of these with "Japanese" after it
_WHOLE_WORDS = {"yen": {normalize("ين")}}
_QUALIFIED = {"yen": ({normalize(w) for w in ("الين", "بالين", "والين", "وبالين", "للين")},
                      normalize("ياباني"))}  # fmt: skip


def currencies(text: str) -> set[str]:
    """The currencies `text` names."""
    found = {name for name, pattern in _ENGLISH.items() if pattern.search(text)}
    tokens = TOKEN.findall(normalize(text))
    starts = {form for token in tokens for form in (token, stem(token), stem(stem(token)))}
    for name, words in _ARABIC.items():
        if any(start.startswith(word) for start in starts for word in words):
            found.add(name)
    for name, forms in _WHOLE_WORDS.items():
        if forms & set(tokens):
            found.add(name)
    for name, (forms, qualifier) in _QUALIFIED.items():
        pairs = zip(tokens, tokens[1:], strict=False)
        if any(word in forms and stem(after).startswith(qualifier) for word, after in pairs):
            found.add(name)
    return found


def other_currency(answer: str, sources: list[str]) -> set[str]:
    """The currencies the answer names that none of its sources does."""
    return currencies(answer) - set().union(*(currencies(s) for s in sources))


def currency_of(word: str) -> str | None:
    """The one currency a word names ("dirhams", "بالدراهم"), or None."""
    named = currencies(word)
    return next(iter(named)) if len(named) == 1 else None
