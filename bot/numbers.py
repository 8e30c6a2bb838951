"""Numbers written as words ("بأربع اعتراضات", "four interceptions"), read as the digits an
answer may give for them: a passage that says "أربع" supports an answer that says "4".

Written here rather than taken from a library: num2words goes from digits to one spelling of
the words, text2num reads no Arabic, and news Arabic writes a number with its gender forms,
a fused preposition (بأربع، وثلاثة، لخمسة) and "و" between units and tens."""

from __future__ import annotations

from retrieval.arabic import TOKEN, normalize, stem

# normalised spellings (أ→ا, ة→ه, ى→ي): masculine and feminine, nominative and oblique
_ARABIC_UNITS = {
    1: "واحد واحده احد احدي",
    2: "اثنان اثنين اثنتان اثنتين",
    3: "ثلاث ثلاثه",
    4: "اربع اربعه",
    5: "خمس خمسه",
    6: "ست سته",
    7: "سبع سبعه",
    8: "ثمان ثماني ثمانيه",
    9: "تسع تسعه",
    10: "عشر عشره",
}
_ARABIC_TENS = {
    20: "عشرون عشرين",
    30: "ثلاثون ثلاثين",
    40: "اربعون اربعين",
    50: "خمسون خمسين",
    60: "ستون ستين",
    70: "سبعون سبعين",
    80: "ثمانون ثمانين",
    90: "تسعون تسعين",
    100: "مائه مئه",
    200: "مائتان مائتين مئتان مئتين",
    1000: "الف",
    2000: "الفان الفين",
}
_ENGLISH = {  # zero … twenty, then the tens
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty": range(21),
    "thirty forty fifty sixty seventy eighty ninety": range(30, 100, 10),
}

UNITS = {w: n for n, words in _ARABIC_UNITS.items() for w in words.split()}
WORDS = UNITS | {w: n for n, words in _ARABIC_TENS.items() for w in words.split()}
for _words, _values in _ENGLISH.items():
    WORDS |= dict(zip(_words.split(), _values, strict=True))
WORDS["hundred"] = 100
TEEN = {"عشر", "عشره"}  # "أربعة عشر": fourteen
# "الأحد" and "الاثنين" with the article are Sunday and Monday, not one and two
DAYS = {"احد", "اثنين"}
# a noun in the dual is two of it: "يومين" is 2 days (the counted nouns of news)
DUALS = {
    stem + ending
    for stem in ("يوم", "عام", "سنت", "شهر", "اسبوع", "ساعت", "دقيقت", "قرن", "مرت", "ضعف")
    for ending in ("ين", "ان")
}


def spelled_numbers(text: str) -> set[str]:
    """The values of the numbers `text` writes in words, as digit strings: each word alone,
    "X عشر" as 10+X, "X وعشرون" / "twenty-four" as the sum, a dual ("عامين") as 2."""
    tokens = TOKEN.findall(normalize(text))
    found: set[str] = set()
    for i, token in enumerate(tokens):
        word = token if token in WORDS else stem(token)
        if stem(token) in DUALS:
            found.add("2")
            continue
        value = WORDS.get(word)
        if value is None or (word in DAYS and "ال" in token[: len(token) - len(word)]):
            continue
        found.add(str(value))
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if word in UNITS and after in TEEN:
            found.add(str(10 + value))
        elif word in UNITS and after.startswith("و") and WORDS.get(after[1:], 0) in range(20, 100):
            found.add(str(value + WORDS[after[1:]]))
        elif 20 <= value < 100 and WORDS.get(after, 10) < 10:
            found.add(str(value + WORDS[after]))
    return found
