"""Lists of names and their types: how API references list a function's parameters and what it
returns ("name {string} Header name", "Returns: <Buffer>", "timeout: int"). Such a list is a passage
of its own, apart from the prose that explains the function (chunking.py), and is quoted when a
question asks for options, parameters or arguments (kinds.py)."""

from __future__ import annotations

import re

__all__ = ["entry_lines"]

# A name ("options.encoding", "...args", "Returns:") then its types in braces or angle brackets, as
# Markdown and HTML references write them ("{string|URL}", "<string> | <URL>"), then the end of the
# item or its description; or a bare "name: type" item. Not a command and its arguments ("xb <addr>
# [<len>] shows the bits").
_TYPE = r"(?:\{[^{}\n]+\}|<[^<>\n]+>)"
_ENTRY = re.compile(
    rf"[\w.$'\"\[\]-]+:?[ \t]+{_TYPE}(?:[ \t]*\|[ \t]*{_TYPE})*(?:$|[ \t]+(?![\[<]))|[\w.$-]+:[ \t]*[\w.|\[\]]+$"
)


def entry_lines(text: str, lines: list[tuple[str, int, int]]) -> set[int]:
    """Of ``(kind, start, end)`` lines, the indexes of the items of every list (a run of "item" lines)
    whose items all declare a name and its type."""
    found: set[int] = set()
    run: list[int] = []
    for index, (kind, _, _) in enumerate([*lines, ("", 0, 0)]):
        if kind == "item":
            run.append(index)
            continue
        if run and all(_ENTRY.match(text, lines[i][1], lines[i][2]) for i in run):
            found.update(run)
        run = []
    return found
