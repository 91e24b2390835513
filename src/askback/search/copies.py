"""Passages that say the same thing in several places: shown once.

Reference pages repeat a caveat under every function it applies to ("When passing strings for
password or salt, please consider caveats when using strings as inputs to cryptographic APIs", four
times on one page), and a manual's all-in-one page repeats every chapter page word for word. A
question that matches one copy matches them all, and the copies would fill the first places and
the offers with one sentence. Of passages whose words are (nearly) the same, only the best-scoring
is kept: the reader sees the sentence once, and the places it held go to other passages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

from askback.search.words import tokenize

__all__ = ["Copies"]


class _Numbered(Protocol):
    @property
    def number(self) -> int: ...


_Hit = TypeVar("_Hit", bound=_Numbered)


class Copies:
    """Each passage's words, to tell copies apart from passages that only share a subject."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._words = [frozenset(tokenize(text)) for text in texts]

    def same(self, a: int, b: int, above: float) -> bool:
        """Do passages ``a`` and ``b`` share at least ``above`` of the words either uses (Jaccard)?"""
        x, y = self._words[a], self._words[b]
        return bool(x and y) and len(x & y) >= above * len(x | y)

    def first_of_each(self, ranked: Iterable[_Hit], above: float) -> Iterator[_Hit]:
        """``ranked`` without the passages that copy one before them; above 1, all of it."""
        if above > 1:
            yield from ranked
            return
        if above == 1:  # the same words: one look-up each, where comparing pairs costs a search ~1 ms
            seen: set[frozenset[str]] = set()
            for hit in ranked:
                words = self._words[hit.number] if hit.number >= 0 else frozenset()
                if not words or words not in seen:
                    seen.add(words)
                    yield hit
            return
        kept: list[int] = []
        for hit in ranked:
            if hit.number < 0 or not any(self.same(hit.number, k, above) for k in kept):
                if hit.number >= 0:
                    kept.append(hit.number)
                yield hit
