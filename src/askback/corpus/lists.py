"""List items as the article file writes them: a line that opens with a marker ("- ", "• ", "2. ")."""

from __future__ import annotations

import re

__all__ = ["BULLET", "marker_before", "on_list_line"]

BULLET = re.compile(r"(?:[-•*–·▪●]|\d{1,2}[.)])\s+")


def marker_before(text: str, start: int) -> int:
    """Where the list marker begins ("- ", "2. ") when it is all that stands between the start of
    ``start``'s line and ``start``: an item's words begin at ``start``. -1 when it is not."""
    lead = text[text.rfind("\n", 0, start) + 1 : start]
    bare = lead.lstrip(" \t")
    return start - len(bare) if bare and BULLET.fullmatch(bare) else -1


def on_list_line(text: str, start: int) -> bool:
    """Is ``start`` on a line that begins with a bullet or a list number?"""
    line = text[text.rfind("\n", 0, start) + 1 : start].lstrip()
    return bool(BULLET.match(line))
