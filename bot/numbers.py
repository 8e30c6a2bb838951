"""Numbers written as words ("بأربع اعتراضات", "four interceptions"), read as the digits an
answer may give for them: a passage that says "أربع" supports an answer that says "4".

Written here rather than taken from a library: num2words goes from digits to one spelling of
the words, text2num reads no Arabic, and news Arabic writes a number with its gender forms,
a fused preposition (بأربع، وثلاثة، لخمسة) and "و" between units and tens."""

from __future__ import annotations

from collections.abc import Collection

from retrieval.arabic import PREFIXES, TOKEN, normalize, stem

# masculine and feminine, nominative and oblique (normalised below, as the text is)
_ARABIC_UNITS = {
    1: "واحد واحدة أحد إحدى",
    2: "اثنان اثنين اثنتان اثنتين",
    3: "ثلاث ثلاثة",
    4: "أربع أربعة",
    5: "خمس خمسة",
    6: "ست ستة",
    7: "سبع سبعة",
    8: "ثمان ثماني ثمانية",
    9: "تسع تسعة",
    10: "عشر عشرة",
}
_ARABIC_TENS = {
    20: "عشرون عشرين",
    30: "ثلاثون ثلاثين",
    40: "أربعون أربعين",
    50: "خمسون خمسين",
    60: "ستون ستين",
    70: "سبعون سبعين",
    80: "ثمانون ثمانين",
    90: "تسعون تسعين",
    100: "مائة مئة",
    1000: "ألف",
}
# the dual: two hundred, two thousand, two million ("ألفي أسرة", "مليونا دينار"), in the forms
# of a noun alone and one followed by what it counts; after a figure ("76 ألفا") the word is
# the figure's scale instead
_ARABIC_DUALS = {
    200: "مائتان مائتين مئتان مئتين مائتا مائتي مئتا مئتي",
    2000: "ألفان ألفين ألفا ألفي",
    2_000_000: "مليونان مليونين مليونا مليوني",
    2_000_000_000: "ملياران مليارين مليارا ملياري",
}
# a half or a quarter of a scale: "نصف مليون دينار" is 500000
_FRACTIONS = {"نصف": 0.5, "ربع": 0.25}
# a share written as a word answers "how much" as a figure does: "أقل من معدلها بنحو الثلث",
# "ثلثي السكان", "half of the budget" (ordinals aside: "third" is also the third place)
_SHARES = "ثلث ثلثا ثلثي أثلاث أرباع half halves quarter quarters third thirds"  # and FRACTIONS
# the words that scale a figure ("186 ألف ناخب" is 186,000 voters, "1.8 billion" 1.8e9), as
# normalised (آلاف is الاف; ألفًا is الفا)
SCALES = {
    **dict.fromkeys(("الف", "الفا", "الاف", "thousand"), 10**3),
    **dict.fromkeys(("مليون", "مليونا", "ملايين", "million"), 10**6),
    **dict.fromkeys(("مليار", "مليارا", "مليارات", "billion"), 10**9),
}
_ENGLISH = {  # zero … twenty, then the tens
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty": range(21),
    "thirty forty fifty sixty seventy eighty ninety": range(30, 100, 10),
}

UNITS = {normalize(w): n for n, words in _ARABIC_UNITS.items() for w in words.split()}
ARABIC_DUALS = {normalize(w): n for n, words in _ARABIC_DUALS.items() for w in words.split()}
WORDS = UNITS | {normalize(w): n for n, words in _ARABIC_TENS.items() for w in words.split()}
WORDS |= ARABIC_DUALS
FRACTIONS = {normalize(w): share for w, share in _FRACTIONS.items()}
for _words, _values in _ENGLISH.items():
    WORDS |= dict(zip(_words.split(), _values, strict=True))
WORDS["hundred"] = 100
_LOOKUP = WORDS.keys() | FRACTIONS.keys()  # the words a token may be, fused prepositions off
SHARES = FRACTIONS.keys() | {normalize(w) for w in _SHARES.split()}
TEEN = {normalize("عشر"), normalize("عشرة")}  # "أربعة عشر": fourteen
# "الأحد" and "الاثنين" with the article are Sunday and Monday, not one and two
DAYS = {normalize("أحد"), "اثنين"}
# a noun in the dual is two of it: "يومين" is 2 days (the counted nouns of news)
DUALS = {
    normalize(noun + ending)
    for noun in ("يوم", "عام", "سنت", "شهر", "أسبوع", "ساعت", "دقيقت", "قرن", "مرت", "ضعف")
    for ending in ("ين", "ان")
}


def _unfused(token: str, words: Collection[str]) -> str | None:
    """The one of `words` that `token` is, alone or after fused prepositions ("بألفين",
    "وبنصف"), or None."""
    if token in words:
        return token
    for prefix in PREFIXES:
        rest = token[len(prefix) :]
        if token.startswith(prefix) and (rest in words or stem(rest) in words):
            return rest if rest in words else stem(rest)
    return None


def shares(text: str) -> set[str]:
    """The shares `text` writes as words ("بنحو الثلث" → ثلث, "half"), as `SHARES` has them."""
    found = set()
    for token in TOKEN.findall(normalize(text).lower()):
        if share := _unfused(token, SHARES):
            found.add(share)
    return found


def spelled_numbers(text: str) -> set[str]:
    """The values of the numbers `text` writes in words, as digit strings: each word alone,
    "X عشر" as 10+X, "X وعشرون" / "twenty-four" as the sum, a dual ("عامين") as 2, "ألفي" as
    2000, "نصف مليون" as 500000."""
    tokens = TOKEN.findall(normalize(text))
    found: set[str] = set()
    for i, token in enumerate(tokens):
        stemmed = stem(token)
        word = _unfused(token, _LOOKUP) or stemmed
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if stemmed in DUALS:
            found.add("2")
            continue
        if word in FRACTIONS and after in SCALES:
            found.add(str(int(FRACTIONS[word] * SCALES[after])))
            continue
        value = WORDS.get(word)
        if value is None or (word in DAYS and "ال" in token[: len(token) - len(word)]):
            continue
        if word in ARABIC_DUALS and i and tokens[i - 1][0].isdigit():
            continue  # "76 ألفا": the scale of 76
        found.add(str(value))
        if word in UNITS and after in TEEN:
            found.add(str(10 + value))
        elif word in UNITS and after.startswith("و") and WORDS.get(after[1:], 0) in range(20, 100):
            found.add(str(value + WORDS[after[1:]]))
        elif 20 <= value < 100 and WORDS.get(after, 10) < 10:
            found.add(str(value + WORDS[after]))
    return found
