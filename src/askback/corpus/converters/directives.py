"""What the directives and roles of Sphinx and MyST show a reader, shared by the Markdown (MyST)
and reStructuredText readers: a note's label, a version note's words, a role's text."""

from __future__ import annotations

import re

from askback.corpus.converters.structure import ITEM, PARAGRAPH, Block

__all__ = ["ADMONITIONS", "ARRANGING", "CODE_DIRECTIVES", "DESCRIBING", "VERSIONED", "labelled", "role_text"]

# Directives whose body is prose a reader sees under a label.
ADMONITIONS = {
    "note": "Note",
    "warning": "Warning",
    "caution": "Caution",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
    "todo": "To do",
}
VERSIONED = {
    "versionadded": "New in version",
    "versionchanged": "Changed in version",
    "deprecated": "Deprecated since version",
    "versionremoved": "Removed in version",
}
CODE_DIRECTIVES = {"code-block", "code", "sourcecode", "code-cell", "prompt", "parsed-literal"}
# Directives that arrange pages or pull in other files: nothing of them is the page's own text.
ARRANGING = {
    "toctree", "include", "literalinclude", "image", "figure", "contents", "only", "raw", "index",
    "autosummary", "automodule", "autoclass", "autofunction", "graphviz", "mermaid", "plot",
    "tableofcontents", "meta", "highlight", "currentmodule", "module", "program",
}  # fmt: skip
# Directives that describe one thing a reader looks up, named by their argument: a command-line
# option, a setting, a function. Read as "--per-file: Print the count of each file.", the name
# heading its description.
DESCRIBING = {
    "option", "cmdoption", "describe", "object", "confval", "envvar", "function", "class", "method",
    "attribute", "data", "exception", "decorator", "property", "staticmethod", "classmethod", "type",
    "macro", "member", "var", "struct", "enum", "enumerator",
}  # fmt: skip
_ROLE_TARGET = re.compile(r"^(.*?)\s*<[^<>]+>$", re.S)  # {ref}`the guide <guide>` reads "the guide"


def role_text(content: str) -> str:
    """What a role shows: "the guide <guide>" shows "the guide", "~pkg.mod.name" shows "name"."""
    content = " ".join(content.split())
    titled = _ROLE_TARGET.match(content)
    if titled and titled.group(1):
        return titled.group(1)
    if titled:
        content = content[content.rfind("<") + 1 : -1]
    if re.fullmatch(r"~[\w.]+(?:\(\))?", content):  # an object named by its last part
        return content[1:].rsplit(".", 1)[-1]
    return content.lstrip("!")


def labelled(label: str, inner: list[Block]) -> list[Block]:
    """A note's blocks with its label read first: "Caution: do not …"."""
    if inner and inner[0].kind in (PARAGRAPH, ITEM) and not inner[0].text.startswith(label):
        joiner = " " if label[-1] in ".?!:" else ": "  # a titled note: "Why a lock file? A lock file pins …"
        return [Block(PARAGRAPH, f"{label}{joiner}{inner[0].text}"), *inner[1:]]
    return [Block(PARAGRAPH, f"{label}." if not inner else f"{label}:"), *inner]
