"""Cutting an article into passages a person would quote, with exact offsets.

Lines are classified as headings (context for the passages below them, never passages), list items,
table rows, code or paragraphs. Code is what stands between two `````` ``` `````` lines: it is never a
heading, never split into sentences, and makes passages of its own (whole, or cut between lines
when longer than ``max_chars``). Marked headings (``## Name``) nest by their level, and a text that
marks its headings is not searched for Title Case lines that look like headings (bar its first
line, a title). Paragraphs split into sentences; a line ending in ':' stays with the list (or the
sentence) it introduces. Passages grow by whole sentences or items up to ``max_words`` and never
cross a heading; a list of names and their types (a function's parameters: entries.py) makes passages
apart from the prose after it. Every span satisfies ``text[span.start:span.end] == passage text``.
Whatever the text, a passage is at most ``max_chars`` characters: a run-on "sentence" (a page with no
full stops) is cut at word boundaries, and a word longer than that (no spaces at all) at the limit.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from askback.config import CHUNKING, ChunkSettings
from askback.corpus.entries import entry_lines
from askback.corpus.lists import BULLET

__all__ = ["Span", "headings", "passage_units", "section_heading", "split_passages", "split_sentences"]

_NUMBERED = re.compile(r"\d{1,2}[.)]\s+")
_MARKED = re.compile(r"#{1,6}[ \t]+(?=\S)")  # a Markdown heading ("## Side Effects"): no guessing needed
_FENCE = "```"  # a line of its own that opens or closes code
_ROW = re.compile(r"\|.*\|")  # a table row
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9$])")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|St|No|al|approx|Fig)|\b[A-Z])$")
_ENDED = re.compile(r"""[.!?:;]["”’')\]]*$""")  # a line that ends a sentence
_DATE_LIKE = re.compile(r"\d[/.-]\d")
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Span:
    """A passage's place in its file and the heading of its section."""

    start: int
    end: int
    heading: str
    code: bool = False  # the passage is code, quoted whole and only when code is asked for
    entries: bool = False  # a list of names and their types (parameters, return values)


@dataclass(frozen=True)
class _Unit:
    """A sentence, list intro or list item: the smallest thing a passage is built from."""

    start: int
    end: int
    words: int
    block: int  # units of one paragraph or one list share a block
    dangling: bool  # ends with ':' and must stay with what follows
    code: bool = False
    entry: bool = False  # an item of a list of names and their types: a passage apart from the prose


_PATH = " › "  # joins a passage's headings, outer first: "What Does the Research Say? › 1. NICE Guidelines"


def section_heading(heading: str) -> str:
    """The innermost heading of a passage's "outer › inner" heading path: the section's own title."""
    return heading.rsplit(_PATH, 1)[-1]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, each stripped of surrounding whitespace."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[max(cursor, match.start() - 16) : match.start()]  # the tail is enough, and O(1)
        if _ABBREVIATION.search(before):
            continue
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s[0] < s[1]]


def split_passages(text: str, body_start: int = 0, settings: ChunkSettings = CHUNKING) -> list[Span]:
    """Passages of ``text[body_start:]`` in file order, none overlapping."""
    spans: list[Span] = []
    for heading, units in _sections(text, body_start, settings):
        for group in _pack(units, settings):
            for part in _capped(group, settings.max_chars):
                spans.append(Span(part[0].start, part[-1].end, heading, part[0].code, any(u.entry for u in part)))
    return spans


def headings(text: str, body_start: int = 0) -> list[tuple[int, int]]:
    """The (start, end) of each heading's name in ``text[body_start:]``, as the passages see them
    (a Markdown heading's "#" marks left out), so a reader can show the article's own structure."""
    return [(start, end) for kind, start, end in _lines(text, body_start) if "heading" in kind]


def passage_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences and list items of ``text[start:end]`` (list markers left out), in order; a
    paragraph that ends without a full stop is one unit with the sentence that follows it."""
    units: list[tuple[int, int]] = []
    offset = start
    open_line = False  # the paragraph before ends without a full stop and runs on into this one
    for raw in text[start:end].splitlines(keepends=True):
        a, b = _strip(text, offset, offset + len(raw))
        offset += len(raw)
        if a == b:
            continue
        open_line = open_line and text.count("\n", units[-1][1], a) > 1 if units else False
        bullet = BULLET.match(text, a, b)
        if bullet and bullet.end() < b:
            a = bullet.end()
        sentences = split_sentences(text, a, b)
        if open_line and not bullet and text[a] not in "`#|" and sentences:
            units[-1] = (units[-1][0], sentences.pop(0)[1])
        units += sentences
        open_line = not bullet and not _ENDED.search(text, a, b)
    return units


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# Title case leaves these lower case ("Who Can Benefit from Composting?").
_TITLE_CASE_LOWER = frozenset(
    "from with into onto over than upon about after under versus through without within".split()
)


def _heading_like(line: str) -> bool:
    words = line.split(maxsplit=15)  # enough to tell; a 20 MB line is not split whole
    if len(words) > 14 or line[-1] in ".,;:!" or _DATE_LIKE.search(words[-1]):
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    long_words = [w for w in _WORD.findall(line) if len(w) > 3 and w not in _TITLE_CASE_LOWER]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.75


def _lines(text: str, body_start: int) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every non-blank line; kind is heading (``#`` marks give its level:
    "heading 2"), numbered heading, item, row, code (a whole block between fences) or text."""
    out: list[tuple[str, int, int]] = []
    offset = body_start
    raw_lines = text[body_start:].splitlines(keepends=True)
    marked_anywhere = _marks_headings(raw_lines)
    code_start = -1  # where the open code block's first line starts
    code_end = -1
    for raw in raw_lines:
        start, end = _strip(text, offset, offset + len(raw))
        line_start = offset
        offset += len(raw)
        line = text[start:end]
        if line == _FENCE or (code_start < 0 and line.startswith(_FENCE) and "`" not in line[3:]):
            if code_start >= 0:
                if code_end > code_start:
                    out.append(("code", code_start, code_end))
                code_start = -1
            else:
                code_start = code_end = offset
            continue
        if code_start >= 0:
            if line:
                if code_end == code_start:
                    code_start = line_start  # code keeps its indentation
                code_end = line_start + len(raw.rstrip())
            continue
        if start == end:
            continue
        bullet = BULLET.match(line)
        marked = _MARKED.match(line)
        if marked:
            out.append((f"heading {line.index(' ')}", start + marked.end(), end))
        elif bullet and _NUMBERED.match(line) and not marked_anywhere and _heading_like(line[bullet.end() :]):
            out.append(("numbered heading", start, end))
        elif bullet and bullet.end() < len(line):
            out.append(("item", start + bullet.end(), end))
        elif _ROW.fullmatch(line) and marked_anywhere:
            out.append(("row", start, end))
        elif (not marked_anywhere or not out) and _heading_like(line):  # a title line stands first
            out.append(("heading", start, end))
        else:
            out.append(("text", start, end))
    if code_start >= 0 and code_end > code_start:  # a fence never closed: the rest is code
        out.append(("code", code_start, code_end))
    return out


def _marks_headings(lines: list[str]) -> bool:
    """Does the text mark its headings with ``#`` (outside code)? Then it marks all of them."""
    inside = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(_FENCE):
            inside = not inside
        elif not inside and _MARKED.match(stripped):
            return True
    return False


def _sections(text: str, body_start: int, settings: ChunkSettings) -> list[tuple[str, list[_Unit]]]:
    sections: list[tuple[str, list[_Unit]]] = [("", [])]
    parent = ""
    path: list[tuple[int, str]] = []  # the open marked headings: (level, name), outer first
    lines = _lines(text, body_start)
    entries = entry_lines(text, lines)
    for index, (kind, start, end) in enumerate(lines):
        if kind.startswith("heading"):
            level = int(kind.split()[1]) if " " in kind else 2
            # The document's own title (level 1) heads the text below it, not the sections within.
            path = [(lv, name) for lv, name in path if 1 < lv < level] + [(level, text[start:end])]
            parent = _PATH.join(name for _, name in path)
            sections.append((parent, []))
            continue
        if kind == "numbered heading":
            title = text[start:end]
            sections.append((f"{parent}{_PATH}{title}" if parent else title, []))
            continue
        units = sections[-1][1]
        previous = lines[index - 1][0] if index else ""
        if kind == "code":
            units += [
                _Unit(a, b, len(text[a:b].split()), 2 * index, False, True)
                for a, b in _code_pieces(text, start, end, settings)
            ]
            continue
        if kind in ("item", "row"):
            # Items of one list share a block with the line that introduces them.
            block = units[-1].block if units and (previous == kind or units[-1].dangling) else 2 * index
            pieces = _limited(text, start, end, settings)
            if len(pieces) > 1 and kind == "item":
                # An item past the limits is cut between its sentences, as a paragraph is, not mid-sentence.
                pieces = [p for a, b in split_sentences(text, start, end) for p in _limited(text, a, b, settings)]
            units += [_unit(text, a, b, block, index in entries) for a, b in pieces]
            continue
        sentences = split_sentences(text, start, end)
        # A paragraph its author left without a full stop runs on into the paragraph after it:
        # a passage never ends on it while its section goes on.
        following = lines[index + 1] if index + 1 < len(lines) else ("", end, end)
        apart = text.count("\n", end, following[1]) > 1  # a paragraph of its own, not a wrapped line
        runs_on = following[0] == "text" and apart and not _ENDED.search(text, start, end)
        for number, (a, b) in enumerate(sentences):
            # The last sentence of a line that introduces a list opens the list's block.
            last = number == len(sentences) - 1
            block = 2 * index + 1 if last and text[b - 1] == ":" else 2 * index
            units += [_unit(text, x, y, block) for x, y in _limited(text, a, b, settings)]
        if runs_on and units:
            units[-1] = dataclasses.replace(units[-1], dangling=True)
    return [(heading, units) for heading, units in sections if units]


def _code_pieces(text: str, start: int, end: int, settings: ChunkSettings) -> list[tuple[int, int]]:
    """A code block whole, or cut between lines into pieces of at most ``max_chars``."""
    pieces: list[tuple[int, int]] = []
    first = last = -1
    offset = start
    for raw in text[start:end].splitlines(keepends=True):
        a, b = offset, offset + len(raw.rstrip())
        offset += len(raw)
        if b == a:
            continue
        if first >= 0 and b - first > settings.max_chars:
            pieces.append((first, last))
            first = -1
        if b - a > settings.max_chars:  # one line longer than a passage: cut as prose is
            pieces += _limited(text, a, b, settings)
            continue
        if first < 0:
            first = a
        last = b
    if first >= 0:
        pieces.append((first, last))
    return pieces


def _limited(text: str, start: int, end: int, settings: ChunkSettings) -> list[tuple[int, int]]:
    """A sentence, or when it runs past the hard limits, its pieces of ``max_words`` words at most."""
    if end - start <= settings.max_chars and text.count(" ", start, end) < settings.max_sentence_words:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    first = last = -1
    words = 0
    for match in _TOKEN.finditer(text, start, end):
        a, b = match.span()
        while b - a > settings.max_chars:  # one "word" with no space in it: cut at the limit
            if first >= 0:
                pieces.append((first, last))
                first, words = -1, 0
            pieces.append((a, a + settings.max_chars))
            a += settings.max_chars
        if first >= 0 and (words >= settings.max_words or b - first > settings.max_chars):
            pieces.append((first, last))
            first, words = -1, 0
        if first < 0:
            first = a
        last, words = b, words + 1
    if first >= 0:
        pieces.append((first, last))
    return pieces


def _capped(group: list[_Unit], max_chars: int) -> list[list[_Unit]]:
    """A group split where its span would pass ``max_chars`` (each unit is within it already)."""
    parts: list[list[_Unit]] = [[]]
    for unit in group:
        if parts[-1] and unit.end - parts[-1][0].start > max_chars:
            parts.append([])
        parts[-1].append(unit)
    return parts


def _unit(text: str, start: int, end: int, block: int, entry: bool = False) -> _Unit:
    return _Unit(start, end, len(text[start:end].split()), block, text[end - 1] == ":", entry=entry)


def _pack(units: list[_Unit], settings: ChunkSettings) -> list[list[_Unit]]:
    """Group a section's units: blocks first (split evenly when long), then small pieces merged."""
    pieces: list[list[_Unit]] = []
    for block in _runs(units):
        if block[0].code:
            pieces.extend([unit] for unit in block)
            continue
        whole_list = len(block) > 1 and block[0].dangling and _words(block) <= settings.list_words
        pieces.extend([block] if whole_list else _balanced(block, settings.max_words))
    merged: list[list[_Unit]] = []
    for piece in pieces:
        joins = merged and (merged[-1][-1].dangling or _small_pair(merged[-1], piece, settings))
        if joins and _joins(merged[-1], piece, settings):
            merged[-1].extend(piece)
        else:
            merged.append(list(piece))
    if (
        len(merged) > 1
        and merged[-1][-1].dangling
        and _joins(merged[-2], merged[-1], settings)
        and _words(merged[-2] + merged[-1]) <= settings.max_words
    ):
        merged[-2].extend(merged.pop())
    return merged


def _joins(last: list[_Unit], piece: list[_Unit], settings: ChunkSettings) -> bool:
    """May two pieces make one passage? Not code, nor a parameter list and prose after it (a short note may lead it)."""
    entries = any(u.entry for u in last), any(u.entry for u in piece)
    return not (last[0].code or piece[0].code or entries[0] > entries[1]) and (
        entries[0] == entries[1] or _words(last) < settings.min_words
    )


def _small_pair(last: list[_Unit], piece: list[_Unit], settings: ChunkSettings) -> bool:
    """Join a short piece to its neighbour, unless the piece introduces what follows it."""
    short = min(_words(last), _words(piece)) < settings.min_words
    return short and not piece[-1].dangling and _words(last) + _words(piece) <= settings.max_words


def _runs(units: list[_Unit]) -> list[list[_Unit]]:
    runs: list[list[_Unit]] = []
    for unit in units:
        if runs and runs[-1][-1].block == unit.block:
            runs[-1].append(unit)
        else:
            runs.append([unit])
    return runs


def _balanced(units: list[_Unit], limit: int) -> list[list[_Unit]]:
    """Split a run into contiguous groups of similar size, each ideally under ``limit`` words."""
    total = _words(units)
    if total <= limit or len(units) == 1:
        return [units]
    target = total / math.ceil(total / limit)
    groups: list[list[_Unit]] = [[]]
    done = 0
    for unit in units:
        if groups[-1] and not groups[-1][-1].dangling and done + unit.words / 2 > target * len(groups):
            groups.append([])
        groups[-1].append(unit)
        done += unit.words
    return groups


def _words(units: list[_Unit]) -> int:
    return sum(u.words for u in units)
