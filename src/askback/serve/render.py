"""The chat's HTML: answers, quotes, citations and articles. Article and user text is HTML-escaped
and nothing else, so a quote is shown, and copied, exactly as the article wrote it (no ``\\-``
escapes), and a ``<script>``, ``*emphasis*`` or ``$$LaTeX$$`` in it stays text. Only the lines that
mark code in the corpus file (```), which no quote holds, are left out of an article's view."""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Sequence

from askback import templates
from askback.answer.layout import layout, sources
from askback.corpus.chunking import headings
from askback.corpus.kinds import CODE
from askback.records import Answer, Passage

__all__ = ["answer_html", "article_body", "escape", "open_button", "place", "quote_html", "template_html", "user_html"]


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def answer_html(answer: Answer, turn: int, disclaimer: str = "") -> str:
    """An answer for the chat: ``layout``'s blocks, each citation a button that opens this turn's
    article, each quote under its section heading with a button that copies it verbatim."""
    if not answer.quotes:
        return template_html(answer.markdown, answer.suggestions)
    shown: list[str] = []
    quotes = 0
    groups = dict(sources(answer.quotes, answer.more))
    for block in layout(answer.quotes, answer.parts, answer.more, answer.unsure, answer.missing, openings=True):
        text = escape(block.text)
        if block.role == "offer":  # collapsed: a line naming the article, opening it at its own passage
            focus = place(groups.get(block.passage.article, []), block.passage) if block.passage else None
            item = f"<li>{open_button(turn, block.number, text, focus)}</li>"
            if shown and shown[-1].endswith("</ul>") and shown[-1].startswith('<ul class="askback-offers">'):
                shown[-1] = shown[-1][: -len("</ul>")] + item + "</ul>"
            else:
                shown.append(f'<ul class="askback-offers">{item}</ul>')
        elif block.role == "citation":  # opens its article at the quote below it
            focus = place(groups.get(block.passage.article, []), block.passage) if block.passage else None
            shown.append(f'<p class="askback-citation">{open_button(turn, block.number, text, focus)}</p>')
        elif block.passage is not None:
            quotes += 1
            shown.append(quote_html(block.passage, quotes))
        elif block.role == "part":
            shown.append(f'<h2 class="askback-part">{text}</h2>')
        else:
            shown.append(f'<p class="askback-note"><em>{text}</em></p>')
    if disclaimer and answer.markdown.endswith(disclaimer):
        shown.append(f'<p class="askback-note"><em>{escape(disclaimer)}</em></p>')
    return "".join(shown)


def open_button(turn: int, number: int, text: str, focus: int | None = None) -> str:
    """A citation: the page's script opens article ``number`` of answer ``turn`` in the panel, at
    its passage ``focus`` (its place among the article's passages in the answer) when given."""
    at = f"-p{focus}" if focus is not None else ""
    return f'<button type="button" class="askback-cite askback-open-{turn}-{number}{at}">{text}</button>'


def quote_html(passage: Passage, number: int) -> str:
    article = passage.article
    source = f"{article.byline}, {article.url}" if article.url else article.byline
    heading = f'<span class="askback-heading">{escape(passage.heading)}</span>' if passage.heading else ""
    # What a screen reader says: "Copy quote 2 from <title>" (the chat's sanitizer drops aria-label).
    copy_name = templates.COPY_NAME.format(number=number, title=article.title)
    text_class = "askback-text askback-code" if passage.kind == CODE else "askback-text"  # code in a fixed-width font
    return (
        f'<blockquote class="askback-quote">{heading}<span class="{text_class}">{escape(passage.text)}</span>'
        f'<span class="askback-source">\n{escape(templates.COPY_SOURCE.format(source=source))}</span>'
        f'<button type="button" class="askback-copy">{escape(templates.COPY)}'
        f'<span class="askback-sr">{escape(copy_name[len(templates.COPY) :])}</span></button></blockquote>'
    )


def template_html(text: str, asks: Sequence[str] = ()) -> str:
    """askback's own words (a refusal, small talk): paragraphs, and "- " lines as a list, those
    that are suggested questions (``asks``) as buttons that ask them."""
    lines = [line for line in text.splitlines() if line.strip()]
    items = "".join(
        f'<li><button type="button" class="askback-ask">{escape(line[2:])}</button></li>'
        if line[2:] in asks
        else f"<li>{escape(line[2:])}</li>"
        for line in lines
        if line.startswith("- ")
    )
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines if not line.startswith("- "))
    return paragraphs + (f'<ul class="askback-asks">{items}</ul>' if items else "")


def user_html(text: str) -> str:
    return f'<p class="askback-user">{escape(text)}</p>'


def article_body(text: str, body_start: int, passages: list[Passage], best: Passage | None) -> str:
    """``text[body_start:]`` as HTML: heading lines as ``<h3>``, passages as ``<mark>`` (a passage
    that crosses a heading is marked in pieces; its first piece has the class the page steps by),
    code blocks as ``<code>`` without their fence lines."""
    marks = sorted((p.start, p.end, p is best) for p in passages)
    fences = _fence_tags(text, body_start)
    pieces: list[tuple[bool, int, int]] = []  # (is heading, start, end)
    cursor = body_start
    for start, end in headings(text, body_start):
        line_start = max(text.rfind("\n", 0, start) + 1, cursor)
        pieces += [(False, cursor, line_start), (True, start, end)]
        cursor = end
    pieces.append((False, cursor, len(text)))
    out, opened = [], set()
    for is_heading, a, b in pieces:
        inner = []
        for start, end, is_best in marks:
            lo, hi = max(a, start), min(b, end)
            if lo >= hi:
                continue
            inner.append(_unfenced(text, a, lo, fences))
            first = start not in opened
            opened.add(start)
            attrs = (' id="askback-hit"' if first and is_best else "") + (' class="askback-first"' if first else "")
            inner.append(f"<mark{attrs}>{escape(text[lo:hi])}</mark>")
            a = hi
        inner.append(_unfenced(text, a, b, fences))
        joined = "".join(inner)
        out.append(f"<h3>{joined}</h3>" if is_heading else joined.strip("\n"))
    return "".join(out)


_FENCE_LINE = re.compile(r"^[ \t]*```[^\n`]*\n?", re.M)


def _fence_tags(text: str, body_start: int) -> list[tuple[int, int, str]]:
    """Each fence line of the article, in order (start, end, the tag a reader sees in its place):
    the first of a pair opens a code block, the second closes it."""
    found = _FENCE_LINE.finditer(text, body_start)
    return [(m.start(), m.end(), "</code>" if n % 2 else '<code class="askback-code">') for n, m in enumerate(found)]


def _unfenced(text: str, a: int, b: int, fences: list[tuple[int, int, str]]) -> str:
    """``text[a:b]`` as HTML, its fence lines (```) replaced by the code tags they stand for: a reader
    sees the code, not the corpus file's markers. Fences are never inside a passage, so no quote is
    changed."""
    out, cursor = [], a
    # An article is cut into a piece per heading and quote: each looks up only its own fences.
    i = bisect.bisect_left(fences, (a,))
    while i < len(fences) and fences[i][0] < b:
        start, end, tag = fences[i]
        out += [escape(text[cursor:start]), tag]
        cursor = min(end, b)
        i += 1
    out.append(escape(text[cursor:b]))
    return "".join(out)


def place(passages: list[Passage], passage: Passage) -> int | None:
    """Where ``passage`` is among ``passages`` (an article's, as the source panel lists them): the
    same span, else one that overlaps it; None when neither is there."""
    spans = [(p.start, p.end) for p in passages]
    if (passage.start, passage.end) in spans:
        return spans.index((passage.start, passage.end))
    return next((n for n, (a, b) in enumerate(spans) if a < passage.end and passage.start < b), None)
