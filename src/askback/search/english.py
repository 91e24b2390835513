"""What English says about a word: whether it is one, and how much it is used.

From pyspellchecker's bundled word list and counts (nothing downloads), loaded on first use
(0.2 s). A small corpus counts every word as rare: in five articles "actually" and "still" are as
rare as "sham", so BM25 weighs them alike. English's own counts say which words carry a question's
subject ("sham", "pacemaker") and which any sentence may hold ("actually", "still", "told").

The list is American English with a few British words ("tyre" but not "tyres", "colour" nowhere): a
British spelling is read as the American one it stands for, so that "tyres" is a word of English,
not a typo of some article's "types".
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["checker", "count", "everyday", "expected", "is_english", "rarest"]


@functools.cache
def checker() -> Any:
    """pyspellchecker's English, one edit away at most."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


# British spellings and the American ones they stand for: colour/color, centre/center, organise/
# organize, analyse/analyze, anaemia/anemia, oesophagus/esophagus, catalogue/catalog,
# defence/defense, programme/program, travelled/traveled, mould/mold.
_BRITISH = tuple(
    (re.compile(pattern), american)
    for pattern, american in (
        (r"our(?=s?$|ed$|ing$|ite|ful|able|er)", "or"),
        (r"tre(?=s?$|d$)", "ter"),
        (r"is(?=e$|es$|ed$|ing$|ation|ations$|er$|ers$)", "iz"),
        (r"ys(?=e$|es$|ed$|ing$)", "yz"),
        (r"(?<=[a-z])ae(?=[a-z])", "e"),
        (r"(?<=[a-z])oe(?=[a-z])|^oe", "e"),
        (r"ogue(?=s?$)", "og"),
        (r"ence(?=s?$)", "ense"),
        (r"mme(?=s?$)", "m"),
        (r"ll(?=ed$|ing$|er$|ers$)", "l"),
        (r"ould(?=s?$|ed$|ing$|y$)", "old"),
    )
)


@functools.lru_cache(maxsize=1 << 14)
def _forms(word: str) -> tuple[str, ...]:
    """``word`` (lower case) and the spellings English's list may hold it under: without a plural
    "s" ("tyres": "tyre"), and in American spelling ("colours": "colors")."""
    forms = [word]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    for form in list(forms):
        american = form
        for pattern, replacement in _BRITISH:
            american = pattern.sub(replacement, american)
        if american != form:
            forms.append(american)
    return tuple(dict.fromkeys(forms))


def count(word: str) -> int:
    """How often English uses ``word`` as spelt, else as the list spells it ("tyres": "tyre")."""
    counts = checker().word_frequency.dictionary
    return next((counts[form] for form in _forms(word.lower()) if counts.get(form)), 0)


def is_english(word: str) -> bool:
    """Is ``word`` a word of English, in any common spelling (British included)? A word that is
    one is never a typo of another."""
    english = checker()
    return any(form in english for form in _forms(word.lower()))


def everyday(counts: Mapping[str, int], below: float, stem: Callable[[str], str] = str) -> frozenset[str]:
    """The words of ``counts`` (a corpus's lower-case words and how often it uses them), as
    ``stem`` reads them ("works" and "worked" are one word), that the corpus uses less than
    ``below`` times as often as English does: words any text may hold, not its subject. A word
    English doesn't list is never everyday."""
    total = sum(counts.values())
    seen: Counter[str] = Counter()
    predicted: defaultdict[str, float] = defaultdict(float)
    for word, n in counts.items():
        key = stem(word)
        seen[key] += n
        predicted[key] += expected(word, total)
    return frozenset(w for w, n in seen.items() if predicted[w] > 0 and n < below * predicted[w])


def expected(word: str, total: int) -> float:
    """How many times a text of ``total`` words would use ``word`` at English's rate."""
    return total * count(word) / checker().word_frequency.total_words


def rarest(words: Sequence[str]) -> str:
    """The word English uses least (one it doesn't list at all first; the first of equals): of a
    question's words that no article uses, "believe" says more of what it asks than "told"."""
    return min(words, key=count)
