"""Questions to suggest: the articles' own section headings that read as questions people ask and
that askback answers from their own section.

A heading such as "Composting at Home: Does It Work?" is an article's title, not a question
to click; "Is It Right for You?" is one only if asking it quotes that section. Which
headings pass is found by asking each one once per loaded index (about 10 ms a heading).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from askback.config import AnswerSettings
from askback.corpus.chunking import section_heading
from askback.records import Answer, Passage
from askback.search.retrieval import Hit, Retriever

__all__ = ["answered_headings", "suggest"]

_LOCK = threading.Lock()


def answered_headings(retriever: Retriever, ask: Callable[[str], Answer]) -> tuple[str, ...]:
    """The question headings whose own section ``ask`` quotes first, in the retriever's order;
    found once per retriever (an index reload makes a new one) and kept on it."""
    with _LOCK:
        if retriever.suggestable is not None:
            return retriever.suggestable
        retriever.suggestable = retriever.question_headings  # while checking: answers may suggest these
    kept = []
    for heading in retriever.question_headings:
        answer = ask(heading)
        if answer.quotes and section_heading(answer.quotes[0].heading) == heading:
            kept.append(heading)
    retriever.suggestable = tuple(kept)
    return retriever.suggestable


def suggest(
    retriever: Retriever,
    hits: Sequence[Hit],
    quotes: Sequence[Passage],
    question: str,
    allowed: Sequence[str],
    settings: AnswerSettings,
) -> tuple[str, ...]:
    """Question headings of nearby sections that the answer did not quote."""
    used = {section_heading(q.heading).lower() for q in quotes} | {question.lower()}
    nearby = [section_heading(h.passage.heading) for h in sorted(hits, key=lambda h: -h.score)]
    pool = [q for q in nearby if q in allowed] + list(allowed)
    out: list[str] = []
    for q in pool:
        if q.lower() not in used and q not in out:
            out.append(q)
    return tuple(out[: settings.suggestions])
