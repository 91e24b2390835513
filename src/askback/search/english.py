"""What English says about a word: whether it is one, and how much it is used.

From pyspellchecker's bundled word list and counts (nothing downloads), loaded on first use
(0.2 s). A small corpus counts every word as rare: in five articles "actually" and "still" are as
rare as "sham", so BM25 weighs them alike. English's own counts say which words carry a question's
subject ("sham", "pacemaker") and which any sentence may hold ("actually", "still", "told").
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["checker", "everyday", "expected", "rarest"]


@functools.cache
def checker() -> Any:
    """pyspellchecker's English, one edit away at most."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


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
    english = checker().word_frequency
    return total * english.dictionary.get(word.lower(), 0) / english.total_words


def rarest(words: Sequence[str]) -> str:
    """The word English uses least (one it doesn't list at all first; the first of equals): of a
    question's words that no article uses, "believe" says more of what it asks than "told"."""
    counts = checker().word_frequency.dictionary
    return min(words, key=lambda w: counts.get(w.lower(), 0))
