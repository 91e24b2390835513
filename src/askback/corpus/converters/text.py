"""Plain text: kept line for line (only trailing spaces and runs of blank lines tidied); the title
is the first line, marked as inferred."""

from __future__ import annotations

import re

from askback.corpus.converters.structure import Converted

__all__ = ["convert_text", "tidy"]


def convert_text(raw: str) -> Converted:
    first = next((x.strip() for x in raw.splitlines() if x.strip()), "")
    return Converted(first.lstrip("#").strip()[:120], (), title_inferred=True, text=tidy(raw))


def tidy(text: str) -> str:
    """Whitespace only: trailing spaces gone, at most one blank line between blocks."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
