"""A conversation as Markdown, to keep: each question, each verbatim quote with where it is from.

Only what the chat showed goes in: the user's questions, the quotes as the articles wrote them,
their articles' stated details (title, author, site, section, address) and askback's templates.
Quote numbers are the chat's citation numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from askback import templates
from askback.answer.layout import group_by_article, sources
from askback.answer.voice import Voice
from askback.records import Answer, Article, Passage, web_address

__all__ = ["conversation_markdown"]


def conversation_markdown(turns: Sequence[tuple[str, Answer]], voice: Voice) -> str:
    """``turns`` (question, answer) as one Markdown document, oldest first."""
    lines = [f"# {templates.EXPORT_TITLE.format(name=voice.name)}", "", voice.intro]
    for n, (question, answer) in enumerate(turns, start=1):
        lines += ["", f"## {n}. " + templates.PART.format(question=question), ""]
        if not answer.quotes:
            lines.append(answer.markdown)
            continue
        numbers = {a: i for i, (a, _) in enumerate(sources(answer.quotes, answer.more), start=1)}
        if answer.unsure:
            lines += [templates.UNSURE_MISSING.format(word=answer.missing) if answer.missing else templates.UNSURE, ""]
        for article, passages in group_by_article(answer.quotes):
            lines += [templates.CITATION.format(number=numbers[article], byline=article.byline), ""]
            for p in passages:
                lines += [*(f"> {line}" if line.strip() else ">" for line in p.text.splitlines()), ""]
                lines += [_source(article, p), ""]
        offered = [a for a, _ in group_by_article(answer.more) if a not in {q.article for q in answer.quotes}]
        if offered:
            lines += [templates.ALSO_DISCUSSED, ""]
            lines += [f"- {templates.SOURCE_LINE.format(number=numbers[a], byline=a.byline)}" for a in offered]
    return "\n".join(lines).rstrip() + "\n"


def _source(article: Article, passage: Passage) -> str:
    """Where a quote is from: title, author, site, section and address, each when stated."""
    parts = [article.title, article.author, article.publisher]
    if passage.heading:
        parts.append(templates.EXPORT_SECTION.format(section=passage.heading))
    parts.append(web_address(article.url))
    return "— " + " · ".join(p for p in parts if p)
