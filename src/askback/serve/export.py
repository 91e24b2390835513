"""A conversation as Markdown, to keep: exactly what the chat showed, question by question.

Each answer is ``layout``'s blocks, as the chat shows them: the safety lead and the part headings,
askback's notes, each citation with its verbatim quotes and where each is from (title, author, site,
section, address), the offers, the note under a personal question. Quote numbers are the chat's
citation numbers.

Everything in the file is made inert as the JSON API's markdown is (``safe_markdown``): a title,
author, question or quote holding ``<script>``, ``<img onerror>`` or ``[i](javascript:...)`` shows
as the text it is; a quote keeps its words, its markup characters escaped. The only link is an
article's http(s) address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from askback import templates
from askback.answer.layout import layout
from askback.answer.voice import Voice
from askback.corpus.kinds import CODE
from askback.records import Answer, Article, Passage, safe_markdown, web_address

__all__ = ["conversation_markdown"]


def conversation_markdown(turns: Sequence[tuple[str, Answer]], voice: Voice) -> str:
    """``turns`` (question, answer) as one Markdown document, oldest first."""
    lines = [f"# {inert(templates.EXPORT_TITLE.format(name=voice.name))}", "", inert(voice.intro)]
    for n, (question, answer) in enumerate(turns, start=1):
        lines += ["", f"## {n}. {inert(templates.PART.format(question=question))}", ""]
        lines += answer_lines(answer, voice.disclaimer)
        while lines[-1] == "":
            lines.pop()
    return "\n".join(lines).rstrip() + "\n"


def answer_lines(answer: Answer, disclaimer: str = "") -> list[str]:
    """One answer as the chat shows it (``render.answer_html`` formats the same blocks)."""
    if not answer.quotes:  # a refusal or small talk: askback's own words, suggestions as a list
        return [
            inert(line) if not line.startswith("- ") else f"- {inert(line[2:])}" for line in answer.markdown.split("\n")
        ]
    out: list[str] = []
    for block in layout(answer.quotes, answer.parts, answer.more, answer.unsure, answer.missing, openings=True):
        if block.role == "offer":
            if len(out) > 1 and out[-1] == "" and out[-2].startswith("- "):
                out.pop()  # one list, not a paragraph per offer
            out += [f"- {inert(block.text)}", ""]
        elif block.role == "quote" and block.passage is not None and block.passage.kind == CODE:
            out += [_code(block.passage.text), ""]
            out += [source(block.passage.article, block.passage), ""]
        elif block.role == "quote" and block.passage is not None:
            quoted = block.passage.text.splitlines()
            out += [safe_markdown("\n".join(f"> {line}" if line.strip() else ">" for line in quoted)), ""]
            out += [source(block.passage.article, block.passage), ""]
        elif block.role == "part":
            out += [f"### {inert(block.text)}", ""]
        else:
            out += [inert(block.text), ""]
    if disclaimer and answer.markdown.endswith(disclaimer):
        out += [inert(disclaimer), ""]
    return out


def _code(text: str) -> str:
    """A code quote as a fenced block inside the quote: its lines as the article has them, and
    inert, since the fence is longer than any run of backticks in the code."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"> {fence}", *(f"> {line}" for line in text.splitlines()), f"> {fence}"])


def source(article: Article, passage: Passage) -> str:
    """Where a quote is from: title, author, site, section and address, each when stated; the
    address as a link only when it is an http(s) one."""
    parts = [article.title, article.author, article.publisher]
    if passage.heading:
        parts.append(templates.EXPORT_SECTION.format(section=passage.heading))
    line = "— " + inert(" · ".join(p for p in parts if p))
    address = web_address(article.url)
    return f"{line} · <{address}>" if address else line


def inert(text: str) -> str:
    """``text`` on one line, every markup character escaped: shown as written, never a link or tag.
    A leading "> ", "#" or "- " is escaped too, so a title cannot open a quote, heading or list."""
    flat = " ".join(text.split())
    escaped = safe_markdown(f"x{flat}")[1:]  # past the line start: a leading "> " is escaped too
    return f"\\{escaped}" if escaped[:1] in {"#", "-", "+", "="} else escaped
