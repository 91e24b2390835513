"""Plain text written as lines in a web page (a README or NEWS file set with ``<br>``s), read
as the blocks a reader sees in it."""

from __future__ import annotations

import re

from askback.corpus.converters.structure import HEADING, ITEM, PARAGRAPH, one_line

__all__ = ["broken_lines"]

_UNDERLINE = re.compile(r"([~=^*-])\1{2,}")  # "Release 3.13.0" over a line of ~~~: a heading
_BULLET = re.compile(r"(?:[-*•+]|\d{1,2}[.)])\s")
# An entry of a two-column list in plain text: a short key at the line's start, two or more spaces,
# its text ("84978   Wrong error", "n-i-bz  Fix clobber list"); a key ending a sentence
# ("FreeBSD.  There is") is prose.
_ENTRY = re.compile(r"(?=[^\s]{0,15}\w)\S{0,15}[^\s.,;!?] {2,}\S")
_BANNER = re.compile(r"(?:[-*]\s+)?([=~]{3,})\s*(\S.*?)\s*\1?")  # "==== CORE CHANGES ====": a heading


def broken_lines(raw_lines: list[str]) -> list[tuple[str, str]]:
    """Text written as lines (plain text with <br>s: a README or NEWS file) as blocks: a blank
    line ends a paragraph, a bulleted line starts an item, an underlined line is a heading, and
    the lines of one paragraph or item are joined (they are wraps). A paragraph with a line of two
    columns ("84978   Wrong error ...", "--quiet  Say less") is a list of entries: each of its
    unindented lines starts one, an indented line continues it."""
    out: list[tuple[str, str]] = []
    current: list[str] = []
    kind = PARAGRAPH
    entries = _entry_lines(raw_lines)

    def end() -> None:
        if current:
            out.append((kind, " ".join(current)))
            current.clear()

    for number, raw in enumerate(raw_lines):
        line = one_line(raw)
        if not line:
            end()
        elif _UNDERLINE.fullmatch(line):
            if current and len(current) == 1:
                kind = HEADING
            end()
        elif _BANNER.fullmatch(line):
            end()
            out.append((HEADING, _BANNER.fullmatch(line).group(2).strip("=~ ")))  # type: ignore[union-attr]
        elif _BULLET.match(line):
            end()
            kind = ITEM
            current.append(line[_BULLET.match(line).end() :] if line[0] in "-*•+" else line)  # type: ignore[union-attr]
        elif number in entries:
            end()
            kind = ITEM
            current.append(line)
        else:
            if not current:
                kind = PARAGRAPH
            current.append(line)
    end()
    return out


def _entry_lines(raw_lines: list[str]) -> set[int]:
    """The lines that start an entry: the unindented lines of a paragraph whose unindented lines
    are at least half lines of two columns."""
    starts: set[int] = set()
    paragraph: list[int] = []
    for number, raw in enumerate([*raw_lines, ""]):
        line = raw.replace("\xa0", " ").lstrip("\r\n")
        if line.strip():
            paragraph.append(number)
            continue
        flush = [n for n in paragraph if not raw_lines[n].replace("\xa0", " ").lstrip("\r\n")[:1].isspace()]
        columns = sum(bool(_ENTRY.match(raw_lines[n].replace("\xa0", " ").lstrip("\r\n"))) for n in flush)
        if columns and 2 * columns >= len(flush):
            starts.update(flush)
        paragraph = []
    return starts
