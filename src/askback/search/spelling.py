"""Reading past typos: the search reads "chiropracter" as the articles' "chiropractor".

A word that neither the articles nor English use, in any common spelling (British included:
english.py), is a typo. It is searched as the articles' word one edit away (the one they use most),
else as typed: an English word one edit away would not find a passage. A word that English uses but
the articles don't ("teenagers", "round", a British "tyres") stays as typed: it may be just what the
articles don't answer, and read as their "types" it would pass for a word they use. Short words,
acronyms ("LBP") and contractions stay too: one edit away from them lie too many words; so do names
written with a capital inside ("CLion"). Only the search reads the corrected text; the answer shows
what the user wrote.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable

from askback.search.english import checker, is_english

__all__ = ["Speller"]

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")  # "shouldn't" is one word, never "should't"
MIN_LETTERS = 5  # shorter words are left as typed


def _a_name(typed: str) -> bool:
    """A capital inside a word ("CLion", "AddressSanitizer", "iPhone") writes a name, not a typo:
    read as "lion" it would pass for a word the articles use."""
    return any(c.isupper() for c in typed[1:])


class Speller:
    """Corrects typos against the articles' words. ``texts`` gives the articles' texts, whose words
    are counted on the first word English doesn't know: at 100k passages counting them takes over a
    second."""

    def __init__(self, texts: Callable[[], Iterable[str]]) -> None:
        self._texts = texts
        self._counts: Counter[str] | None = None
        self._total: int | None = None
        self._lock = threading.Lock()
        # Every search of a message reads it again: each word is looked up once.
        self._word = functools.lru_cache(maxsize=1 << 16)(self._read)

    def corrected(self, text: str) -> str:
        """``text`` with each typo replaced by the word it most likely stands for."""
        return _WORD.sub(lambda match: self._word(match.group(0)), text)

    def _read(self, typed: str) -> str:
        word = typed.lower()
        if len(word) < MIN_LETTERS or typed.isupper() or _a_name(typed) or not word.isalpha() or is_english(word):
            return typed
        counts = self.word_counts()
        if word in counts:
            return typed
        # A word the articles hold only as the start of a longer one ("closur": "closure") or
        # one letter short of one is read as that word when it is one edit away: the encoder
        # reads "closure" closer than the stump. A clipped word further off ("physio") stays.
        near = [w for w in checker().edit_distance_1(word) if w in counts]
        if near:
            return max(sorted(near), key=counts.__getitem__)
        return typed

    def total_words(self) -> int:
        """How many words the articles hold."""
        if self._total is None:
            self._total = sum(self.word_counts().values())
        return self._total

    def word_counts(self) -> Counter[str]:
        """The articles' lower-case words and how often they use each; counted on first use."""
        with self._lock:
            if self._counts is None:
                # Read with the same words as a question, so a contraction's fragment ("doesn")
                # is never a correction.
                words = (w.lower() for text in self._texts() for w in _WORD.findall(text))
                self._counts = Counter(w for w in words if w.isalpha())
            return self._counts
