"""Plain text. A file whose lines are wrapped at a fixed width (a README, a howto: no line longer
than ``WRAPPED_WIDTH`` characters, and prose lines near it) is read as Markdown, which is what such
files mostly are: an underlined line is a heading, an indented block is code, and a paragraph's
lines are joined, so a quote neither stops at a line break nor takes a shell comment for a
heading. Any other text is kept line for line (only trailing spaces and runs of blank lines
tidied): a paragraph is a line there, and a short line under another is an item of a list, not
its continuation. A wrapped file's title is the heading or short title line it opens with, else
its file name; other text's is its first line, marked as inferred."""

from __future__ import annotations

import re
from dataclasses import replace

from askback.corpus.converters.structure import HEADING, PARAGRAPH, Converted

__all__ = ["WRAPPED_WIDTH", "convert_text", "hard_wrapped", "tidy"]

WRAPPED_WIDTH = 100  # a wrapped file's longest line; editors and mailers wrap at 72–80
_PROSE_LINE = 60  # lines at least this long are prose wrapped near the width, not short list lines
_PROSE_LINES = 3  # and a wrapped file has at least this many of them


def convert_text(raw: str, shown: str = "") -> Converted:
    if hard_wrapped(raw):
        from askback.corpus.converters.markdown import convert_markdown

        found = convert_markdown(raw, shown, plain=True)
        # The heading the file opens with is its title; a "#" line further down is as likely a
        # shell comment that Markdown took for one. A short line standing first is a title too;
        # a wrapped sentence ("The cal(1) date routines were written from scratch, basically
        # from first"), a label ("NAME", "CONTENTS") or a stamp ("@(#)README 5.1 (Berkeley)
        # 5/22/90") is not: the file is then named after its file name (converters.convert).
        first = found.blocks[0] if found.blocks else None
        if first is not None and first.kind == HEADING:
            return replace(found, title=first.text, title_inferred=False)
        if first is not None and first.kind == PARAGRAPH and first.text == _first_line(raw) and _title_like(first.text):
            return replace(found, title=first.text, title_inferred=True)
        return replace(found, title="", title_inferred=True)
    line = _first_line(raw)
    label = len(line.split()) == 1 and line.isupper()  # "CONTENTS", "NAME": a label, named by the file instead
    return Converted("" if label else line, (), title_inferred=True, text=tidy(raw))


def hard_wrapped(raw: str) -> bool:
    """Are the file's lines wrapped at a fixed width (no line longer than ``WRAPPED_WIDTH``, and
    at least ``_PROSE_LINES`` lines of prose near it)?"""
    lengths = [len(line.rstrip().expandtabs()) for line in raw.splitlines()]
    return bool(lengths) and max(lengths) <= WRAPPED_WIDTH and sum(n >= _PROSE_LINE for n in lengths) >= _PROSE_LINES


_TITLE_WORDS = 12  # a first paragraph longer than this is prose, not a title


def _title_like(text: str) -> bool:
    """Is a wrapped file's first paragraph a title: a few words, mostly words of letters, not
    ending as a sentence or a clause does, and not one word in capitals (a man page's "NAME")?"""
    words = text.split()
    lettered = sum(bool(re.fullmatch(r"\W*[A-Za-z][A-Za-z'’-]*\W*", w)) for w in words)
    return (
        0 < len(words) <= _TITLE_WORDS
        and lettered >= 0.6 * len(words)
        and not text.rstrip().endswith((".", ",", ";", ":"))
        and not (len(words) == 1 and text.isupper())
    )


def _first_line(raw: str) -> str:
    first = next((x.strip() for x in raw.splitlines() if x.strip()), "")
    return first.lstrip("#").strip()[:120]


def tidy(text: str) -> str:
    """Whitespace only: trailing spaces gone, at most one blank line between blocks."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
