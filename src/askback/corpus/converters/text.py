"""Plain text. A file whose lines are wrapped at a fixed width (a README, a howto: no line longer
than ``WRAPPED_WIDTH`` characters, and prose lines near it) is read as Markdown, which is what such
files mostly are: an underlined line is a heading, an indented block is code, and a paragraph's
lines are joined, so a quote neither stops at a line break nor takes a shell comment for a
heading. Any other text is kept line for line (only trailing spaces and runs of blank lines
tidied): a paragraph is a line there, and a short line under another is an item of a list, not
its continuation. The title is the heading the file opens with, else its first line, marked as
inferred."""

from __future__ import annotations

import re
from dataclasses import replace

from askback.corpus.converters.structure import HEADING, Converted

__all__ = ["WRAPPED_WIDTH", "convert_text", "hard_wrapped", "tidy"]

WRAPPED_WIDTH = 100  # a wrapped file's longest line; editors and mailers wrap at 72–80
_PROSE_LINE = 60  # lines at least this long are prose wrapped near the width, not short list lines
_PROSE_LINES = 3  # and a wrapped file has at least this many of them


def convert_text(raw: str, shown: str = "") -> Converted:
    if hard_wrapped(raw):
        from askback.corpus.converters.markdown import convert_markdown

        found = convert_markdown(raw, shown)
        # The heading the file opens with is its title; a "#" line further down is as likely a
        # shell comment that Markdown took for one.
        if found.blocks and found.blocks[0].kind == HEADING:
            return replace(found, title=found.blocks[0].text, title_inferred=False)
        return replace(found, title=_first_line(raw), title_inferred=True)
    return Converted(_first_line(raw), (), title_inferred=True, text=tidy(raw))


def hard_wrapped(raw: str) -> bool:
    """Are the file's lines wrapped at a fixed width (no line longer than ``WRAPPED_WIDTH``, and
    at least ``_PROSE_LINES`` lines of prose near it)?"""
    lengths = [len(line.rstrip().expandtabs()) for line in raw.splitlines()]
    return bool(lengths) and max(lengths) <= WRAPPED_WIDTH and sum(n >= _PROSE_LINE for n in lengths) >= _PROSE_LINES


def _first_line(raw: str) -> str:
    first = next((x.strip() for x in raw.splitlines() if x.strip()), "")
    return first.lstrip("#").strip()[:120]


def tidy(text: str) -> str:
    """Whitespace only: trailing spaces gone, at most one blank line between blocks."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
