"""Whether the articles hold a word in any form: checked before askback says that none of them
mentions it.

"None of the articles mentions “pregnancy”" is false above a quote listing "Are pregnant", and so is
"“bak”" when every article says "back". A word counts as mentioned when an article uses it, a form
of it (an inflection or derivation: risk/risky, tired/tiredness, numb/numbness), or, when English
does not know it in any spelling (British included), a word one edit away (a typo of the articles'
word), or two for a word of eight letters or more ("recieveing"). Only a word that passes none of
these may be named as missing; and only a word that can be what a question is about, not a verb of
the story around it ("my friend swears by it", "my physio reckons").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

from askback.search.english import checker, is_english

__all__ = ["Mentions", "names_written", "not_the_subject", "roots"]

# English's derivational and inflectional endings, longest first so "ations" is tried before "s".
_SUFFIXES = sorted(
    """s es ies ed ied ing ings er ers est ly ily ness ity ities y ful less ment ments ance ances ancy ant ants
    ence ences ency ent ents ion ions ation ations ive al ally ical able ably ible ism ist ists ise ised
    ize ized ic ics e d ify ified ifies fy""".split(),
    key=len,
    reverse=True,
)
_WORD = re.compile(r"[A-Za-z]+")
# A name written as code: words joined by "_" or "." ("ERR_REQUIRE_ESM", "fs.promises.readFile").
_NAME = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)+\b")
_MIN_ROOT = 4  # "ment" of "mental" and "mention" is already a stretch; shorter roots join unrelated words


def roots(word: str) -> frozenset[str]:
    """``word`` and what is left of it with up to two endings taken off ("tiredness": "tired",
    "tir", "tire"; "pregnancy": "pregn"), each at least ``_MIN_ROOT`` letters and half the word."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    found, frontier = {word}, {word}
    for _ in range(2):
        stripped = set()
        for w in frontier:
            for suffix in _SUFFIXES:
                if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                    base = w[: -len(suffix)]
                    stripped |= {base, base + "e"}
                    if base.endswith("i"):  # happiness, happy
                        stripped.add(base[:-1] + "y")
                    if len(base) > 3 and base[-1] == base[-2]:  # running, run
                        stripped.add(base[:-1])
        found |= stripped
        frontier = stripped
    least = max(_MIN_ROOT, (len(word) + 1) // 2)
    return frozenset(r for r in found if len(r) >= least)


def _a_name(found: str) -> bool:
    """Is ``found`` a name, not an abbreviation ("e.g", "U.S") nor two words a missing space
    joined ("sleep.Then")? One of its pieces has three letters, and not all are English words."""
    pieces = re.split(r"[_.]", found)
    if "_" not in found and all(p.lower() in checker() for p in pieces):
        return False
    return any(len(p) >= 3 for p in pieces)


class Mentions:
    """The articles' words and their roots, gathered on first use from ``texts``: the articles'
    whole files, not only the passages askback quotes (a reference list mentions words too)."""

    def __init__(self, texts: Callable[[], Iterable[str]]) -> None:
        self._texts = texts
        self._seen: frozenset[str] | None = None
        self._roots: frozenset[str] | None = None
        self._names: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def _load(self) -> tuple[frozenset[str], frozenset[str]]:
        with self._lock:
            if self._seen is None or self._roots is None:
                words: set[str] = set()
                names: set[str] = set()
                for text in self._texts():  # read once: the articles' files may be many
                    words.update(w.lower() for w in _WORD.findall(text))
                    names.update(n.lower() for n in _NAME.findall(text))
                seen = frozenset(words)
                self._names = frozenset(names)
                self._roots = frozenset(r for w in seen for r in roots(w))
                self._seen = seen
            return self._seen, self._roots

    def names_missing(self, text: str) -> list[str]:
        """The names written as code in ``text`` ("ERR_REQUIRE_ESM", "app.asar") that no article
        holds as they are. Their pieces may all be the articles' words ("require", "app"): the name
        is still one they never use."""
        self._load()
        return [n for n in dict.fromkeys(_NAME.findall(text)) if _a_name(n) and n.lower() not in self._names]

    def mentioned(self, word: str) -> bool:
        """Do the articles hold ``word`` as it is, in another form, or (a word English doesn't
        know) one edit away? A hyphenated word is mentioned when any of its pieces is."""
        seen, article_roots = self._load()
        lower = word.lower().replace("’", "'")
        pieces = [p for p in re.split(r"[-']", lower) if len(p) >= 3] if "-" in lower else [lower]
        for piece in pieces or [lower]:
            if piece in seen or roots(piece) & article_roots:
                return True
            if not is_english(piece) and (
                checker().edit_distance_1(piece) & seen or (len(piece) >= _TWO_EDITS and self._two_edits(piece, seen))
            ):
                return True
        return False

    def _two_edits(self, word: str, seen: frozenset[str]) -> bool:
        """Is an article's word two edits from ``word`` ("recieveing": "receiving")? A long word
        two letters off is still a typo of it; compared only with words of about its length and first
        letter, so it costs milliseconds, once per word askback would name."""
        return any(
            abs(len(w) - len(word)) <= 2 and w[0] == word[0] and _edits(word, w) <= 2 for w in seen if len(w) >= 6
        )


_TWO_EDITS = 8  # a word this long or longer may be two edits from the articles' word it stands for


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, a swap of neighbours counting as one edit ("recieve")."""
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


# Verbs that tell who said or thinks what: the story around a question, never its subject.
_REPORTING = frozenset(
    """say says said saying swear swears swore sworn swearing reckon reckons reckoned reckoning think thinks
    thought believe believes believed claim claims claimed insist insists insisted tell tells told heard hear
    hears suggest suggests suggested recommend recommends recommended mention mentions mentioned keep keeps
    kept raves raved rave reckoning guess guessed""".split()
)
# The word right after who does something ("my friend swears", "she reckons") is what they do.
_AFTER_SUBJECT = re.compile(
    r"\b(?:i|you|he|she|we|they|everyone|everybody|people|someone|somebody|"
    r"(?:my|your|his|her|our|their)\s+[a-z]+)\s+(?:(?:really|just|also|always|still|even|never|now)\s+)?"
    r"([a-z]+)\b",
    re.IGNORECASE,
)


# Words that ask for a judgement of the subject ("is that normal?"), not the subject itself.
_JUDGEMENT = frozenset("normal usual common true possible okay ok fine bad worth right wrong".split())


def not_the_subject(text: str, word: str) -> bool:
    """Is ``word`` a verb of the story ``text`` tells (who said, thinks or does what) or the
    judgement it asks for ("is that normal?"), not what it is about?"""
    lower = word.lower()
    if lower in _REPORTING or lower in _JUDGEMENT:
        return True
    return lower.endswith(("s", "ed")) and any(m[1].lower() == lower for m in _AFTER_SUBJECT.finditer(text))


# A word with a capital ("Rust", "Memory" of "Dr. Memory", "ASAN", "L1") that does not open a
# sentence; a period after an abbreviation ("Dr.", "e.g.") ends none. Words joined by a space, a
# period or a hyphen are one name ("Dr. Memory", "RISC-V").
_CAPITALISED = re.compile(r"(?<![A-Za-z0-9'’])[A-Z][A-Za-z0-9]*")
_OPENS = re.compile(r"(?:^|[.!?:])[\s\"“‘'(]*$")
_ABBREVIATION = re.compile(r"(?:^|[^A-Za-z])(?:[A-Z][a-z]|[a-z]{1,2}(?:\.[a-z])?)\.[\s\"“‘'(]*$")
_JOINED = re.compile(r" |-")
_TITLE = re.compile(r"[A-Z][a-z]")  # "Dr. Memory", "St. Louis"


def names_written(text: str) -> list[tuple[str, ...]]:
    """The names ``text`` writes, each as its words: capitalised, not opening a sentence, not "I".
    Of a product or tool ("Rust", "Dr. Memory") a manual may say a word in passing; that the
    passage answering the question holds the name says more than English's count of "rust"."""
    names: list[list[str]] = []
    end = -1
    for m in _CAPITALISED.finditer(text):
        between, last = text[end : m.start()], names[-1][-1] if names and names[-1] else ""
        if names and (_JOINED.fullmatch(between) or (between == ". " and _TITLE.fullmatch(last))):
            names[-1].append(m.group(0))
        elif not _OPENS.search(before := text[: m.start()]) or _ABBREVIATION.search(before):
            names.append([m.group(0)])
        else:  # a sentence's first word: the name, if any, starts after it
            names.append([])
        end = m.end()
    return [tuple(n) for n in names if n and n != ["I"] and len("".join(n)) > 1]
