"""The articles' own section headings that read as questions people ask ("Is It Safe?"):
the candidates for suggested questions, taken from each corpus, never listed by hand. An article
whose headings ask nothing (documentation: "Boolean options", "Caching") offers each article's first
section headings that name a topic in words, so every corpus has something to suggest."""

from __future__ import annotations

import re

from askback.corpus.chunking import section_heading
from askback.records import Passage

__all__ = ["question_headings", "reads_as_a_question"]

_ASKS = re.compile(
    r"(what|what's|how|why|when|where|who|which|is|are|can|could|should|do|does|did|will|would|has|have)\b",
    re.IGNORECASE,
)


def reads_as_a_question(heading: str, titles: set[str]) -> bool:
    """A heading that asks something and is not an article's title."""
    return heading.endswith("?") and bool(_ASKS.match(heading.strip())) and heading not in titles


_TOPIC = re.compile(r"[A-Za-z][A-Za-z'’ ,-]{2,60}")  # words only: not "buf.fill(value[, offset])"
TOPICS_PER_ARTICLE = 2


def question_headings(passages: tuple[Passage, ...]) -> tuple[str, ...]:
    """Headings that read as questions (not an article's title), taking each article's in turn so
    that every article is represented; in a corpus whose headings ask nothing, each article's first
    topic headings (a list of questions never ends on a topic)."""
    per_article: dict[str, list[str]] = {}
    topics: dict[str, list[str]] = {}
    titles = {p.article.title for p in passages}
    for p in passages:
        heading = section_heading(p.heading)
        questions = per_article.setdefault(p.article.path, [])
        named = topics.setdefault(p.article.path, [])
        if reads_as_a_question(heading, titles) and heading not in questions:
            questions.append(heading)
        elif p.kind == "text" and heading not in titles and heading not in named and _TOPIC.fullmatch(heading):
            named.append(heading)
    if not any(per_article.values()):  # no heading asks anything: each article's topics stand in
        for path, questions in per_article.items():  # several words name a topic better than one ("Symptoms")
            questions += sorted(topics[path], key=lambda h: len(h.split()) < 2)[:TOPICS_PER_ARTICLE]
    out: list[str] = []
    for round_ in range(max(map(len, per_article.values()), default=0)):
        for questions in per_article.values():
            if round_ < len(questions) and questions[round_].lower() not in map(str.lower, out):
                out.append(questions[round_])
    return tuple(out)
