"""People's names in English letters, for the model that answers an English question.

The model reads an Arabic name it has never seen and writes a guess in English letters ("Raim
Zabbi" for ريم الزعبي, "Samer Al-Hassan" for سامر الخطيب), or declines with a name it was
unsure of. In the passages of an English question, each name that people are known to write in
English letters is followed by that spelling: "سامر الخطيب (Samer Al-Khatib)".

The spellings come from `arabic-name-romanizer`: an index of some 60,000 names as written in
both scripts (Wikidata), looked up word by word, for any corpus (nothing here knows an
article). Only its index is used, never its spelling model: a name the index does not hold
(most foreign names, جون إلواي) is left to the model, which knows the famous ones.

Which words are a name is decided here (the package spells a name it is given; it does not
find one in a sentence): two or more words next to each other that the index holds (stop
words apart), the first one often a given name (or a particle: بن عاشور); a family name of
the nisba form (المهندي) may be rare in it. Many Arabic words are also somebody's name (أمل،
إقبال، حصة، تركي), a pair of them opened by a given name seldom is. Measured in
bench/results/reading.md (thirteenth session)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache

from arabic_name_romanizer import Candidate, Transliterator
from arabic_name_romanizer.normalize import (
    PARTICLES,
    SUFFIX_PARTICLES,
    lookup_key,
    normalize_arabic,
)

from retrieval.arabic import STOPWORDS, normalize, stem

# Arabic words: letters and the diacritics written on them
WORD = re.compile(r"[\u0621-\u063A\u0641-\u065F\u0670-\u06D3]+")
# an article the Arabic writes (ال) kept in English letters: Al-Khatib, not Khatib
ARTICLE = re.compile(r"^(al|el)[- ]", re.IGNORECASE)


# Given names that are also the words which come before a name: "المعروفة باسم حرب السنوات
# السبع" (known as the Seven Years' War: not Bassem Harb), "وُلد أندي" (Andy was born)
# and a preposition that is also a name: "أمام النادي" (in front of the club, not Emam Al-Nady)
NOT_OPENING = frozenset({"باسم", "ولد", "امام"})


def nisba(unit: list[re.Match[str]]) -> bool:
    """A family name of the form ال…ي as written (المنصوري؛ not المرضى, a plural)."""
    word = unit[-1].group()
    return len(unit) == 1 and word.startswith("ال") and word.endswith("ي") and len(word) >= 5


class NameSpeller:
    """Finds the names in an Arabic text that the index can spell, and writes each one's
    English spelling after it."""

    def __init__(
        self, min_given: int = 30, min_nisba_given: int = 10, min_word_count: int = 3
    ) -> None:
        # a name begins with a word the index has seen at least `min_given` times (or with a
        # particle; `min_nisba_given` times before a nisba), and every word of it at least
        # `min_word_count` times (a nisba after the first: once)
        self.min_given = min_given
        self.min_nisba_given = min_nisba_given
        self.min_word_count = min_word_count
        self.romanizer = Transliterator(auto_load_model=False, use_rules_fallback=False)
        self.lock = threading.Lock()  # one SQLite connection, shared by the server's threads
        self.count = lru_cache(maxsize=100_000)(self._count)
        self.spelling = lru_cache(maxsize=20_000)(self._spelling)
        # a question's passages are read for names three times (the prompt, its last names,
        # the spellings to hold back from the stream): found once
        self.names = lru_cache(maxsize=1024)(self._names)

    def _count(self, word: str) -> int:
        """How often the index has `word` as a name (0: never, or a stop word)."""
        if stem(normalize(word)) in STOPWORDS or len(normalize(word)) < 3:
            return 0  # دي، سي: Jean de, A.C., not the names Di and Si
        with self.lock:  # the index's own word lookup (a whole-name hit has no words)
            variants = self.romanizer.index.lookup_unit(lookup_key(word))
        return variants[0].count if variants else 0

    def _spelling(self, name: str) -> Candidate | None:
        """The name in English letters as people write it, keeping an article the Arabic
        writes; None when the index cannot spell every word of it."""
        with self.lock:
            candidates = self.romanizer.transliterate(name, top_k=5)
        candidates = [c for c in candidates if c.source == "dictionary"]
        if not candidates:
            return None

        def keeps_articles(candidate: Candidate) -> bool:
            return all(
                bool(ARTICLE.match(unit.latin)) == normalize(unit.arabic).startswith("ال")
                for unit in candidate.units
            )

        return next((c for c in candidates if keeps_articles(c)), candidates[0])

    def units(self, text: str) -> list[list[re.Match[str]]]:
        """The words of `text` as a name's units: a particle (عبد، بن، أبو) with the word after
        it, الله and الدين with the word before; words apart where anything but a space stands
        between them."""
        units: list[list[re.Match[str]]] = []
        for match in WORD.finditer(text):
            word = normalize_arabic(match.group())
            after_space = bool(units) and not text[units[-1][-1].end() : match.start()].strip()
            before = normalize_arabic(units[-1][-1].group()) if units else ""
            if after_space and (before in PARTICLES or word in SUFFIX_PARTICLES):
                units[-1].append(match)
            else:
                units.append([match])
        return units

    def _names(self, text: str) -> tuple[tuple[int, int, Candidate], ...]:
        """(start, end, spelling) of each name in `text` the index can spell."""
        found = []
        run: list[list[re.Match[str]]] = []
        for unit in [*self.units(text), None]:
            joined = (
                unit is not None
                and bool(run)
                and not text[run[-1][-1].end() : unit[0].start()].strip()
                and self.holds(unit, after=run[-1])
            )
            if joined:
                run.append(unit)  # type: ignore[arg-type]
                continue
            while run and not self.opens(run):  # رئيس تركي، شهد حكم بشار الأسد
                run = run[1:]
            if len(run) >= 2 or (run and len(run[0]) >= 2):  # two words, or بن عاشور
                spelled = self.spelling(" ".join(self.words(u) for u in run))
                if spelled:
                    found.append((run[0][0].start(), run[-1][-1].end(), spelled))
            run = [unit] if unit is not None and self.holds(unit) else []
        return tuple(found)

    def holds(self, unit: list[re.Match[str]], after: list[re.Match[str]] | None = None) -> bool:
        """Whether the index holds this unit as (part of) a name: often enough, or at all for
        a family name of the nisba form after a given name (المهندي، المنصوري)."""
        count = self.count(self.words(unit))
        return count >= self.min_word_count or (after is not None and count > 0 and nisba(unit))

    def opens(self, run: list[list[re.Match[str]]]) -> bool:
        """Whether a name may begin with this run's first unit: a particle's (عبد الرحيم، بن
        عاشور), or a word often a given name that is not an adjective or a title (التركي،
        السيد), less often when a nisba follows it (حارث المنصوري)."""
        if len(run[0]) >= 2:
            return True
        word = normalize(run[0][0].group())
        floor = self.min_nisba_given if len(run) >= 2 and nisba(run[1]) else self.min_given
        return self.count(word) >= floor and not word.startswith("ال") and word not in NOT_OPENING

    @staticmethod
    def words(unit: list[re.Match[str]]) -> str:
        return " ".join(m.group() for m in unit)

    def surnames(self, texts: Iterable[str]) -> dict[str, str]:
        """The last word of each name in `texts` (as `normalize` writes it) and its English
        spelling: "وأوضح الخطيب أن" names the man of "سامر الخطيب" of the sentence before."""
        found = {}
        for text in texts:
            for _, _, spelled in self.names(text):
                if len(spelled.units) >= 2 and " " not in (last := spelled.units[-1]).arabic:
                    found.setdefault(normalize(last.arabic), last.latin)
        return found

    def mark(self, text: str, surnames: Mapping[str, str] | None = None) -> str:
        """`text` with each name, and each word of `surnames` standing alone, followed by its
        English spelling in brackets."""
        names, surnames = self.names(text), surnames or {}
        inserts = [(end, spelled.text) for _, end, spelled in names]
        for match in WORD.finditer(text) if surnames else ():
            alone = not any(start <= match.start() < end for start, end, _ in names)
            if alone and (latin := surnames.get(normalize(match.group()))):
                inserts.append((match.end(), latin))
        for end, latin in sorted(inserts, reverse=True):
            text = f"{text[:end]} ({latin}){text[end:]}"
        return text

    def spellings(
        self, texts: Iterable[str], surnames: Mapping[str, str] | None = None
    ) -> set[str]:
        """The English spellings `mark` writes into these texts."""
        names = {spelled.text for text in texts for _, _, spelled in self.names(text)}
        return names | set((surnames or {}).values())


class SpellingEcho:
    """Takes out of a streamed answer a spelling the model copied, brackets and all, after the
    name it had just written ("Reem al-Zoubi (Reem al-Zoubi)"): held back from " (" until
    the bracket closes, as a citation marker is."""

    def __init__(self, spellings: Iterable[str]) -> None:
        self.spellings = {s.casefold() for s in spellings}
        self.longest = max(map(len, self.spellings), default=0) + len(" ()")
        self.pending = ""

    def feed(self, piece: str) -> str:
        if not self.spellings:
            return piece
        self.pending += piece
        shown = ""
        while self.pending:
            at = self.pending.find(" (")
            if at < 0:  # a last space may open one
                cut = len(self.pending) - self.pending.endswith(" ")
                shown, self.pending = shown + self.pending[:cut], self.pending[cut:]
                break
            shown, rest = shown + self.pending[:at], self.pending[at:]
            close = rest.find(")")
            if close < 0:
                if len(rest) > self.longest:  # not a spelling: let it through
                    shown, self.pending = shown + rest[:2], rest[2:]
                    continue
                self.pending = rest
                break
            bracket, self.pending = rest[: close + 1], rest[close + 1 :]
            if bracket[2:-1].strip().casefold() not in self.spellings:
                shown += bracket
        return shown

    def flush(self) -> str:
        rest, self.pending = self.pending, ""
        return rest
