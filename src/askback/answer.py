"""Turning retrieved passages into an answer made only of verbatim quotes and fixed templates."""

from __future__ import annotations

from collections.abc import Sequence

from . import templates
from .config import ANSWERING, MAX_QUESTION_CHARS
from .errors import QuestionError
from .records import Answer, Article, Passage
from .retrieval import Retriever

__all__ = ["compose", "render"]


def compose(retriever: Retriever, question: str, history: Sequence[str] = ()) -> Answer:
    """The best passages for ``question``, or an abstention when none is close enough."""
    text = check_question(question)
    hits = retriever.search(text, ANSWERING.quotes)
    if not hits or max(h.dense for h in hits) < ANSWERING.abstain_below:
        return Answer((), True, templates.ABSTAIN)
    quotes = tuple(h.passage for h in hits)
    return Answer(quotes, False, render(quotes))


def check_question(question: str) -> str:
    if not isinstance(question, str):
        raise QuestionError(f"a question must be text, not {type(question).__name__}")
    text = " ".join(question.split())
    if not text:
        raise QuestionError(templates.EMPTY_QUESTION)
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(templates.TOO_LONG.format(length=len(text), limit=MAX_QUESTION_CHARS))
    return text


def render(quotes: Sequence[Passage], notice: str = "") -> str:
    """Quotes grouped by article in order of first appearance, each group under a numbered citation."""
    groups: dict[Article, list[Passage]] = {}
    for p in quotes:
        groups.setdefault(p.article, []).append(p)
    parts = []
    for number, (article, passages) in enumerate(groups.items(), start=1):
        parts.append(templates.CITATION.format(number=number, byline=article.byline))
        for p in passages:
            parts.append("\n".join(f"> {line.strip()}" if line.strip() else ">" for line in p.text.splitlines()))
    if notice:
        parts.append(notice)
    return "\n\n".join(parts)
