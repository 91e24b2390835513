"""Choosing and shaping quotes: one best passage per article, its whole section when that is short
(a question that matches a section's heading is often answered by another of its passages), else
its whole paragraph when the chunker cut that into several passages, else run on into the next
passage of its section when that one answers too; a long quote loses the sentences at its end that
are far from the question in meaning and share none of its words, never the opening sentence of the
passage the search chose (trimming its start, or keeping only the sentences closest to the question,
was measured and cut the sentences that answer). Each passage is shown once across an answer's parts.
A message's parts that may not be answered (unsure) show their closest passage only when no part is
answered surely, and then only the first of them: the others offer it."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Sequence

import numpy as np

from askback.config import ANSWERING, CHUNKING, AnswerSettings
from askback.corpus.lists import marker_before, on_list_line
from askback.records import Article, Part, Passage
from askback.search.retrieval import Hit, Retriever
from askback.search.words import tokenize

__all__ = [
    "distinct",
    "hedged_offered",
    "once",
    "overlap",
    "select",
    "trimmed",
    "with_code",
    "with_marker",
    "with_neighbour",
]


def select(
    hits: Sequence[Hit],
    settings: AnswerSettings = ANSWERING,
    max_articles: int | None = None,
    leads: Collection[int] = (),
) -> list[Hit]:
    """Each article's best passage, grouped by article, best article first.

    The leading article may add a second passage nearly as good as its first. Another article joins
    when its best passage scores close to the top, is about as close in meaning as the best overall,
    or matches the question's words about as well as the best (it names the same trial or guideline).
    A passage of lines ending in colons is passed over (its list is lost), unless it is one of
    ``leads``, which introduce the code sample quoted after them (``with_code``).
    """
    quotable = [h for h in hits if _quotable(h.passage) or h.number in leads] or list(hits)
    top, closest = quotable[0], max(h.dense for h in quotable)
    peak = max(h.lexical for h in quotable)
    groups: dict[Article, list[Hit]] = {top.passage.article: [top]}
    for hit in quotable[1:]:
        group = groups.get(hit.passage.article)
        if group is None:
            close = (
                hit.score >= settings.other_articles * top.score
                or hit.dense >= closest - settings.similar_meaning
                or (peak > 0 and hit.lexical >= settings.same_words * peak)
            )
            if len(groups) < (max_articles or settings.max_articles) and close:
                groups[hit.passage.article] = [hit]
        elif group[0] is top and len(group) < 2 and hit.score >= settings.second_quote * top.score:
            group.append(hit)
    return [hit for group in groups.values() for hit in group]


def with_neighbour(
    retriever: Retriever, hit: Hit, hits: Sequence[Hit], settings: AnswerSettings = ANSWERING
) -> tuple[Passage, int, int]:
    """The hit's whole section when it is short (``section_words``), else its whole paragraph when the
    chunker cut that into several passages (``paragraph_words``), else the hit's passage run on into
    the next or previous passage of its section when that one answers nearly as well (the section's
    answer often spans the chunker's cut), with the numbers of the first and last passage it spans.
    A joined quote stays within a passage's hard limit."""
    max_chars = CHUNKING.max_chars
    sections = retriever.sections
    for around, most_words in ((sections.span, settings.section_words), (sections.paragraph, settings.paragraph_words)):
        if most_words > 0 and hit.number >= 0:
            first, last = around(hit.number)
            whole = sections.spanning(first, last) if first < last else None
            if whole and len(whole.text.split()) <= most_words and len(whole.text) <= max_chars:
                return dataclasses.replace(whole, score=hit.passage.score), first, last
    for other in hits:
        if abs(other.number - hit.number) == 1 and other.score >= settings.join_neighbour * hit.score:
            joined = retriever.sections.joined(hit.passage, other.passage)
            if joined and len(joined.text.split()) <= settings.join_max_words and len(joined.text) <= max_chars:
                return joined, min(hit.number, other.number), max(hit.number, other.number)
    return hit.passage, hit.number, hit.number


def trimmed(
    retriever: Retriever,
    passage: Passage,
    first: int,
    last: int,
    vector: np.ndarray,
    words: set[str],
    settings: AnswerSettings = ANSWERING,
    chosen: int = -1,
) -> Passage:
    """A long quote without the sentences at its end that are far from the question in meaning
    (``trim_margin`` below its best sentence) and share none of its words. Lines of a list stay
    whole. Only the end is trimmed: a section's first sentence often answers its heading ("Yes,
    when performed by a qualified...") and so shares no word with the question. The sentence at
    ``chosen`` (the start of the passage the search chose) is never trimmed, nor any before it."""
    if len(passage.text.split()) <= settings.trim_above or first < 0:
        return passage
    units = [u for u in retriever.sentences(first, last, vector) if passage.start <= u[0] and u[1] <= passage.end]
    if len(units) < 2:
        return passage
    best = max(c for _, _, c in units)

    def text(a: int, b: int) -> str:
        return passage.text[a - passage.start : b - passage.start]

    def droppable(a: int, b: int, cosine: float) -> bool:
        return (
            cosine < best - settings.trim_margin
            and not words & set(tokenize(text(a, b)))
            and not on_list_line(passage.text, a - passage.start)
        )

    hi = len(units) - 1
    while hi > 0 and units[hi][0] > chosen and droppable(*units[hi]):
        if len(text(units[0][0], units[hi - 1][1]).split()) < settings.trim_min_words:
            break
        hi -= 1
    if hi == len(units) - 1:
        return passage
    a, b = units[0][0], units[hi][1]
    return dataclasses.replace(passage, text=text(a, b), start=a, end=b)


def with_code(retriever: Retriever, quotes: Sequence[Passage], hits: Sequence[Hit]) -> list[Passage]:
    """``quotes`` (one per hit of ``hits``), each that ends with the colon of a sentence introducing
    a code sample ("On Linux and macOS, open a terminal and run:") followed by that sample, quoted
    whole: the command is what a how-to question asks for, and the sentence alone only promises it."""
    out: list[Passage] = []
    for quote, hit in zip(quotes, hits, strict=True):
        out.append(quote)
        code = retriever.sections.code_after(hit.number) if hit.number >= 0 else None
        if code is not None and quote.end == hit.passage.end:
            out.append(retriever.stored.passages[code])
    return out


def with_marker(retriever: Retriever, quote: Passage) -> Passage:
    """A quote that opens on a list item, from the item's marker ("- Are pregnant"): its first item
    then reads as its others do."""
    text = retriever.files.text(quote.article)
    at = marker_before(text, quote.start) if text is not None else -1
    if text is None or at < 0:
        return quote
    return dataclasses.replace(quote, text=text[at : quote.end], start=at)


def _quotable(passage: Passage) -> bool:
    """False for a passage that is mostly lines introducing lists the page lost ("Most people need:")."""
    lines = [line.strip() for line in passage.text.splitlines() if line.strip()]
    return sum(line.endswith(":") for line in lines) * 2 <= len(lines)


def distinct(parts: Sequence[Part]) -> tuple[Part, ...]:
    """The parts with no two overlapping quotes: a quote overlapping an earlier one of the same
    article is replaced by that earlier quote (within a part it is dropped), so each passage is shown
    once and a later part can point to it."""
    shown: list[Passage] = []
    kept_parts = []
    for part in parts:
        kept: list[Passage] = []
        for q in part.quotes:
            earlier = next((s for s in shown if overlap(s, q)), None)
            if earlier is None:
                shown.append(q)
            if (earlier or q) not in kept:
                kept.append(earlier or q)
        kept_parts.append(dataclasses.replace(part, quotes=tuple(kept)))
    return tuple(kept_parts)


def hedged_offered(parts: Sequence[Part]) -> tuple[tuple[Part, ...], tuple[Passage, ...]]:
    """The parts of a message, with the quotes of its unsure parts offered instead of shown when
    another question is answered surely, and, when none is, of every unsure part but the first: a
    message shows at most one passage that may not answer, and none beside an answer. The safety
    passages that lead a message describing red flags answer no question: beside them alone, an
    unsure part keeps its quote. A quote another part shows stays (it is pointed to, not repeated).
    Also the passages held back, closest first: they lead what the answer offers."""
    hedged = [i for i, p in enumerate(parts) if p.quotes and p.unsure and not p.red_flags]
    if not hedged:
        return tuple(parts), ()
    surely = any(p.quotes and not p.unsure and not p.red_flags for p in parts)
    back = set(hedged if surely else hedged[1:])
    shown = [q for i, p in enumerate(parts) if i not in back for q in p.quotes]
    out: list[Part] = []
    held: list[Passage] = []
    for i, part in enumerate(parts):
        if i in back and not any(overlap(q, s) for q in part.quotes for s in shown):
            held += part.quotes
            part = dataclasses.replace(part, quotes=(), more=(*part.quotes, *part.more))
        out.append(part)
    return tuple(out), tuple(held)


def once(passages: Iterable[Passage]) -> tuple[Passage, ...]:
    """The passages without any that overlaps an earlier one: parts offer the same passage, each
    with its own score, and the reader should see it listed once."""
    kept: list[Passage] = []
    for p in passages:
        if not any(overlap(p, k) for k in kept):
            kept.append(p)
    return tuple(kept)


def overlap(a: Passage, b: Passage) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end
