"""reStructuredText, read with docutils (the reference parser).

Sections give headings, docinfo fields (``:Author:``, ``:Date:``) give metadata, and the
document's title is its sole top section's title. Sphinx's roles (``:ref:`text <target>```,
``:file:``, ``:py:func:``) read as their text; its directives are read as a reader sees them: a
``code-block`` is code, ``versionadded`` reads "New in version 2.0: …", a note keeps its label
("Note: …"), and a ``toctree`` or ``image`` (page arrangement) is left out. Comments, targets and
substitution definitions are left out; a table becomes rows.
"""

from __future__ import annotations

import io
import re
from typing import Any

from askback.corpus.converters.directives import ADMONITIONS, ARRANGING, DESCRIBING, VERSIONED, labelled, role_text
from askback.corpus.converters.structure import (
    CODE,
    HEADING,
    ITEM,
    PARAGRAPH,
    ROW,
    Block,
    Converted,
    LeftOut,
    one_line,
)

__all__ = ["convert_rst", "rst_blocks"]

_ROLE = re.compile(r":((?:[\w.+-]+:)?[\w.+-]+):`")
_DIRECTIVE = re.compile(r"^\s*\.\.\s+((?:[\w-]+:)?[\w-]+)::", re.M)
_CODE = {"code-block", "sourcecode", "code", "literalinclude", "doctest", "testcode", "prompt"}
_SETTINGS = {
    "report_level": 5,
    "halt_level": 5,
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "warning_stream": io.StringIO(),
    "syntax_highlight": "none",
    "line_length_limit": 10_000_000,
}


def convert_rst(raw: str, shown: str) -> Converted:
    """The structured form of a reStructuredText document; ``shown`` names it in errors."""
    left = LeftOut()
    document = _parse(raw)
    meta: dict[str, str] = {}
    for field in document.findall(_docinfo_field()):
        name = field.tagname if field.tagname != "field" else field[0].astext()
        meta[name.lower()] = one_line(field.astext() if field.tagname != "field" else field[1].astext())
    blocks: list[Block] = []
    _walk(document, blocks, left, 1)
    title = one_line(document.get("title", "")) or next((b.text for b in blocks if b.kind == HEADING), "")
    if document.get("title"):
        blocks.insert(0, Block(HEADING, title, 1))
    return Converted(
        title,
        tuple(blocks),
        author=meta.get("author", ""),
        published=meta.get("date", ""),
        url=meta.get("url", ""),
        left_out=left.items(),
    )


def rst_blocks(raw: str, left: LeftOut) -> list[Block]:
    """The blocks of a piece of reStructuredText (a MyST ``eval-rst`` directive's body)."""
    blocks: list[Block] = []
    _walk(_parse(raw), blocks, left, 2)
    return blocks


def _docinfo_field() -> Any:
    from docutils import nodes

    def wanted(node: Any) -> bool:
        return isinstance(node, nodes.Bibliographic) or (
            isinstance(node, nodes.field) and isinstance(node.parent, nodes.docinfo)
        )

    return wanted


def _parse(raw: str) -> Any:
    from docutils.core import publish_doctree

    _register(raw)
    return publish_doctree(raw, settings_overrides=dict(_SETTINGS, warning_stream=io.StringIO()))


def _register(raw: str) -> None:
    """Teach docutils the roles and directives this text uses that only Sphinx knows."""
    from docutils.parsers.rst import directives, roles

    for name in set(_ROLE.findall(raw)):
        if name not in roles._role_registry and name not in roles._roles:
            roles.register_local_role(name, _text_role)
    for name in set(_DIRECTIVE.findall(raw)):
        if name in directives._directive_registry or name in directives._directives:
            continue
        bare = name.split(":")[-1]
        if bare in _CODE:
            directives.register_directive(name, _CodeDirective)
        elif bare in VERSIONED:
            directives.register_directive(name, _VersionDirective)
        elif bare in ARRANGING:
            directives.register_directive(name, _Dropped)
        else:
            directives.register_directive(name, _Container)


def _text_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> Any:
    from docutils import nodes

    return [nodes.literal(rawtext, role_text(text))], []


def _directive_base() -> Any:
    from docutils.parsers.rst import Directive

    return Directive


class _CodeDirective(_directive_base()):  # type: ignore[misc]
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = None

    def run(self) -> list[Any]:
        from docutils import nodes

        text = "\n".join(self.content)
        return [nodes.literal_block(text, text)]


class _VersionDirective(_directive_base()):  # type: ignore[misc]
    has_content = True
    required_arguments = 1
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[Any]:
        from docutils import nodes

        label = f"{VERSIONED[self.name.split(':')[-1]]} {self.arguments[0]}"
        node = nodes.container(classes=["askback-label"], label=label)
        if len(self.arguments) > 1:  # "versionadded:: 2.0 The option." holds its text as an argument
            text, _ = self.state.inline_text(self.arguments[1], self.lineno)
            node += nodes.paragraph(self.arguments[1], "", *text)
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class _Dropped(_directive_base()):  # type: ignore[misc]
    has_content = True
    optional_arguments = 10
    final_argument_whitespace = True
    option_spec = None

    def run(self) -> list[Any]:
        return []


class _Container(_directive_base()):  # type: ignore[misc]
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = None

    def run(self) -> list[Any]:
        from docutils import nodes

        bare = self.name.split(":")[-1]
        # An option, a setting, a function: its name reads first ("--per-file: Print the count …").
        node = nodes.container(label=self.arguments[0]) if self.arguments and bare in DESCRIBING else nodes.container()
        if self.arguments and bare in ("tab", "tab-item", "dropdown", "card"):
            node += nodes.paragraph(text=f"{self.arguments[0]}:")
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


_SKIP = {"comment", "target", "substitution_definition", "system_message", "docinfo", "title", "problematic", "raw"}


def _walk(node: Any, blocks: list[Block], left: LeftOut, level: int) -> None:
    from docutils import nodes

    for child in node.children:
        name = child.tagname
        if name in _SKIP:
            if name == "comment":
                left.add("comments", child.astext())
            continue
        if name == "section":
            title = child.next_node(nodes.title)
            if title is not None:
                blocks.append(Block(HEADING, title.astext(), level + 1))
            _walk(child, blocks, left, level + 1)
        elif name in ("paragraph", "line", "attribution"):
            blocks.append(Block(PARAGRAPH, child.astext()))
        elif name == "rubric":
            blocks.append(Block(HEADING, child.astext(), level + 2))
        elif name in ("literal_block", "doctest_block"):
            blocks.append(Block(CODE, child.astext()))
        elif name in ("bullet_list", "enumerated_list"):
            numbered = name == "enumerated_list"
            for number, item in enumerate(child.children, start=child.get("start", 1)):
                start = len(blocks)
                _walk(item, blocks, left, level)
                if start < len(blocks) and blocks[start].kind == PARAGRAPH:
                    mark = f"{number}. " if numbered else ""
                    blocks[start] = Block(ITEM, mark + blocks[start].text)
        elif name in ("definition_list", "field_list", "option_list"):
            for item in child.children:
                term, *rest = item.children
                start = len(blocks)
                for part in rest:
                    _walk(part, blocks, left, level) if part.children and not isinstance(
                        part[0], nodes.Text
                    ) else blocks.append(Block(PARAGRAPH, part.astext()))
                head = one_line(term.astext())
                if start < len(blocks) and blocks[start].kind == PARAGRAPH:
                    blocks[start] = Block(ITEM, f"{head}: {blocks[start].text}")
                else:
                    blocks.insert(start, Block(ITEM, head))
        elif name == "table":
            for row in child.findall(nodes.row):
                blocks.append(Block(ROW, " | ".join(one_line(entry.astext()) for entry in row.children)))
        elif isinstance(child, nodes.Admonition):
            label = ADMONITIONS.get(name, "")
            if name == "admonition":
                title = child.next_node(nodes.title)
                label = title.astext() if title is not None else "Note"
            _labelled(child, label, blocks, left, level)
        elif name == "container" and child.get("label"):
            _labelled(child, child["label"], blocks, left, level)
        elif isinstance(child, nodes.Element):
            _walk(child, blocks, left, level)


def _labelled(node: Any, label: str, blocks: list[Block], left: LeftOut, level: int) -> None:
    inner: list[Block] = []
    _walk(node, inner, left, level)
    blocks += labelled(label, inner)
