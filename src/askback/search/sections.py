"""A passage's section, and one quote over several passages of it: a documentation question often
matches a section's heading while its answer sits in another of the section's passages, so a short
section is quoted whole (answer/quotes.py). Every quote is checked against the article file as it
is now, so it stays an exact slice of it."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from askback.corpus.kinds import CODE, TEXT
from askback.index.sources import ArticleFiles
from askback.records import Passage

__all__ = ["Sections", "headed"]


class Sections:
    """The sections of one loaded index's passages."""

    def __init__(self, passages: tuple[Passage, ...], files: ArticleFiles) -> None:
        self._passages = passages
        self.files = files
        self._section_of = _sections(passages)

    def code_after(self, number: int) -> int | None:
        """The code sample passage ``number`` introduces ("On Linux, open a terminal and run:"): the
        next passage of its section, when that is code and this one, not code, ends with a colon."""
        passages, after = self._passages, number + 1
        if not 0 <= number < after < len(passages) or self._section_of[after] != self._section_of[number]:
            return None
        lead, code = passages[number], passages[after]
        return after if code.kind == CODE and lead.kind != CODE and lead.text.rstrip().endswith(":") else None

    def span(self, number: int) -> tuple[int, int]:
        """The numbers of the first and last passage of the section passage ``number`` is in (its
        article and heading path), its run of neighbours."""
        passages = self._passages
        key = self._section_of[number]
        first = last = number
        while first > 0 and self._section_of[first - 1] == key:
            first -= 1
        while last + 1 < len(passages) and self._section_of[last + 1] == key:
            last += 1
        return first, last

    def paragraph(self, number: int) -> tuple[int, int]:
        """The numbers of the first and last passage cut from the paragraph (one line of the article's
        text) that passage ``number`` is in: the chunker cuts a long paragraph between sentences."""
        first, last = self.span(number)
        passages = self._passages
        text = self.files.text(passages[number].article)
        if text is None:
            return number, number
        a = b = number
        while a > first and "\n" not in text[passages[a - 1].end : passages[a].start]:
            a -= 1
        while b < last and "\n" not in text[passages[b].end : passages[b + 1].start]:
            b += 1
        return a, b

    def spanning(self, first: int, last: int) -> Passage | None:
        """One quote running over passages ``first..last`` of one section, when the file still
        holds each of them exactly and nothing but blank space between them (else None)."""
        run = self._passages[first : last + 1]
        a, z = run[0], run[-1]
        text = self._held(run) if all(p.kind == a.kind for p in run) else None
        if text is None:
            return None
        return Passage(text[a.start : z.end], a.start, z.end, a.article, 0.0, a.heading, a.kind)

    def joined(self, first: Passage, second: Passage) -> Passage | None:
        """One quote running from ``first`` through ``second``, when they are neighbours in one section
        and the file still holds both exactly (else None)."""
        a, b = (first, second) if first.start < second.start else (second, first)
        text = self._held((a, b))
        if text is None:
            return None
        kind = a.kind if a.kind == b.kind else TEXT
        return Passage(text[a.start : b.end], a.start, b.end, a.article, max(a.score, b.score), a.heading, kind)

    def _held(self, run: Sequence[Passage]) -> str | None:
        """The article's text, when ``run`` (in file order) is of one section and the file still holds
        each passage exactly with nothing but blank space between them."""
        a = run[0]
        if any(p.article != a.article or p.heading != a.heading for p in run):
            return None
        text = self.files.text(a.article)
        if text is None or any(text[p.start : p.end] != p.text for p in run):
            return None
        return None if any(text[p.end : q.start].strip() for p, q in itertools.pairwise(run)) else text


def _sections(passages: tuple[Passage, ...]) -> np.ndarray:
    """Each passage's section: passages of one article under one heading path share a number."""
    keys: dict[tuple[str, str], int] = {}
    return np.array([keys.setdefault((p.article.path, p.heading), len(keys)) for p in passages], dtype=np.int64)


def headed(passages: tuple[Passage, ...], most: int) -> list[bool]:
    """Whether each passage is searched by its words with its section heading's: every passage of
    a section of at most ``most`` passages, only the first of a longer one. A short section's heading
    names what all of it says ("Is It Safe?"); a reference section's ("process.exit([code])") opens
    30 passages, and its words on each made BM25 prefer whichever was shortest, not the one that
    answers."""
    section = _sections(passages)
    sizes = np.bincount(section) if len(section) else np.zeros(0, dtype=np.int64)
    return [bool(sizes[s] <= most) or i == 0 or section[i - 1] != s for i, s in enumerate(section.tolist())]
