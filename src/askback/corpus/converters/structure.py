"""The one structured form every converter produces, and the corpus text it becomes.

A document is a title, the metadata it states, and blocks in reading order: headings (with their
level), paragraphs, list items, code, table rows and notes. The corpus text shows what a reader of
the document sees: a paragraph on one line (soft wraps joined), headings as ``## `` lines, list
items as ``- `` lines, table rows as ``| a | b |`` lines, and code verbatim between two `````` ``` ``````
lines, so the chunker keeps it whole and never reads it as headings or sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from askback.config import PROSE_WORDS
from askback.errors import CorpusError

__all__ = [
    "CODE",
    "CODE_FENCE",
    "HEADING",
    "ITEM",
    "PARAGRAPH",
    "ROW",
    "Block",
    "Converted",
    "LeftOut",
    "NoText",
    "code_blocks",
    "has_prose",
    "one_line",
    "readable_name",
    "render",
]

HEADING, PARAGRAPH, ITEM, CODE, ROW = "heading", "paragraph", "item", "code", "row"
CODE_FENCE = "```"


class NoText(CorpusError):
    """A document that holds no text to quote: a page of links only, an empty file, a scan."""


@dataclass(frozen=True)
class Block:
    """One block of a document: ``text`` is what a reader sees (code keeps its lines)."""

    kind: str
    text: str
    level: int = 0  # a heading's level, 1 for the document's title


@dataclass
class LeftOut:
    """Words of a document that are not stored, by what they were: navigation, comments, ..."""

    words: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, text: str) -> None:
        n = len(text.split())
        if n:
            self.words[kind] = self.words.get(kind, 0) + n

    def items(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.words.items(), key=lambda kv: -kv[1]))


@dataclass(frozen=True)
class Converted:
    """A document read by its format's parser: what it states, and its blocks in order."""

    title: str
    blocks: tuple[Block, ...]
    title_inferred: bool = False
    author: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""
    left_out: tuple[tuple[str, int], ...] = ()  # (kind of content, words), most first
    text: str = ""  # the corpus text as it stands, for formats with no blocks (plain text, PDF)

    def corpus_text(self) -> str:
        """What the corpus file holds after its header."""
        return self.text or render(self.blocks)


_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")


def has_prose(found: Converted) -> bool:
    """Whether a document holds text of its own: code, or a paragraph, list item or table row of a
    few words that ends a sentence. A cover page (its title, "Release 3.19.0", a date, links) has
    none. A format read without structure (plain text, PDF) is taken as it is."""
    if not found.blocks:
        return True
    for block in found.blocks:
        if block.kind == CODE and block.text.strip():
            return True
        text = one_line(block.text)
        if block.kind in (PARAGRAPH, ITEM, ROW) and len(text.split()) >= PROSE_WORDS and _SENTENCE_END.search(text):
            return True
    return False


def code_blocks(text: str) -> int:
    """How many code blocks ``render`` fenced in ``text``: each opens and closes with a fence line."""
    return (text.count(f"\n{CODE_FENCE}\n") + text.startswith(f"{CODE_FENCE}\n")) // 2


def one_line(text: str) -> str:
    """Text as it reads on screen: every run of whitespace (soft wraps included) one space."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ").replace("\u200b", "")).strip()


def readable_name(stem: str) -> str:
    """A title made from a file name: "child_process" -> "Child process", "getting-started" ->
    "Getting started"."""
    words = one_line(re.sub(r"[_\-.]+", " ", stem))
    return (words[:1].upper() + words[1:]) or "Untitled"


def render(blocks: tuple[Block, ...] | list[Block]) -> str:
    """The corpus text of ``blocks``: one line per paragraph, item or row, code fenced, a blank
    line between blocks of different kinds."""
    out: list[str] = []
    previous = ""
    for block in blocks:
        if block.kind == CODE:
            lines = block.text.strip("\n").splitlines()
            if not any(line.strip() for line in lines):
                continue
            out += ["", CODE_FENCE, *(line.rstrip() for line in lines), CODE_FENCE, ""]
            previous = CODE
            continue
        text = one_line(block.text)
        if not text:
            continue
        if block.kind == HEADING:
            out += ["", "#" * min(max(block.level, 1), 6) + " " + text, ""]
        elif block.kind == ITEM:
            if previous not in (ITEM, PARAGRAPH):
                out.append("")
            out.append(text if re.match(r"\d{1,2}[.)]\s", text) else f"- {text}")
        elif block.kind == ROW:
            if previous != ROW:
                out.append("")
            out.append(f"| {text} |")
        else:
            out += ["", text]
        previous = block.kind
    joined = "\n".join(out).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", joined) + "\n"
