"""Markdown and MyST Markdown, read with markdown-it-py (the CommonMark parser MyST is built on).

mdit-py-plugins add what documentation sets use: YAML front matter, tables, definition lists,
MyST roles (``{file}`requirements.txt``` reads "requirements.txt"), targets (``(label)=`` lines,
left out), comments, and directives: an admonition keeps its label as text ("Caution: …"),
``versionadded`` reads "New in version 20.1: …", a ``code-block`` is code, and a directive that
only arranges pages (``toctree``, ``image``, ``include``) is left out. Inline markup is reduced to
its text: link text, code text, emphasis without its asterisks; raw HTML keeps its text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from askback.corpus.converters.directives import (
    ADMONITIONS,
    ARRANGING,
    CODE_DIRECTIVES,
    DESCRIBING,
    VERSIONED,
    labelled,
    role_text,
)
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
from askback.errors import CorpusError

__all__ = ["convert_markdown"]

_LEFTOVER_REF = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")  # [text][] whose definition is missing
_SESSION = re.compile(r"\s*(?:\$|>>>) ")
_OPTION = re.compile(r":[\w-]+:(?:\s.*)?")
_DIRECTIVE = re.compile(r"\{([\w:-]+)\}\s*(.*)")


@cache
def _parser(plain: bool = False) -> Any:
    """The Markdown parser; ``plain``: for plain text read as Markdown, CommonMark and tables only,
    with no raw HTML ("<major>.<minor>" is text its reader sees) and no front matter or MyST syntax
    (a first line of "---" is a rule, not YAML)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    parser = MarkdownIt("commonmark", {"html": not plain}).enable("table")
    if not plain:
        plugins = (front_matter_plugin, myst_role_plugin, myst_block_plugin, colon_fence_plugin, deflist_plugin)
        for plugin in (*plugins, footnote_plugin):  # a footnote's mark ("[^bugs]") is left out, its text kept
            parser.use(plugin)
    # Every link is read as its text, whatever its target: askback never renders the target, and a
    # "javascript:" link that the parser refused would be stored as raw "[text](javascript:…)".
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


_SECTIONS: ContextVar[dict[str, str]] = ContextVar("sections", default={})  # noqa: B039 (never mutated)
_SITE: ContextVar[dict[str, str]] = ContextVar("site", default={})  # noqa: B039 (never mutated)


@contextmanager
def site_references(pages: Iterable[tuple[str, str]]) -> Iterator[None]:
    """Within this block, a ``{ref}`` to a label of another of the Markdown ``pages`` (name, text)
    reads as the heading it stands over, and a ``{doc}`` of one as its title: documents added
    together are one site, whose pages point at each other ("see {ref}`config-env`")."""
    found: dict[str, str] = {}
    for name, raw in pages:
        tokens = _parser().parse(raw)
        found.update(_labelled_sections(tokens))
        title = next((inline_text(tokens[n + 1].children or []) for n, t in enumerate(tokens[:-1])
                      if t.type == "heading_open" and t.tag == "h1"), "")  # fmt: skip
        if title:
            found.setdefault(name.lower(), title)
    reset = _SITE.set(found)
    try:
        yield
    finally:
        _SITE.reset(reset)


def convert_markdown(raw: str, shown: str, plain: bool = False) -> Converted:
    """The structured form of a Markdown or MyST document (``plain``: of plain text read as
    Markdown, ``_parser``); ``shown`` names it in errors."""
    left = LeftOut()
    tokens = _parser(plain).parse(raw)
    meta = _front_matter(tokens[0].content, shown) if tokens and tokens[0].type == "front_matter" else {}
    reset = _SECTIONS.set(_labelled_sections(tokens))
    try:
        blocks = _blocks(tokens, left)
    finally:
        _SECTIONS.reset(reset)
    title = meta.get("title") or next((b.text for b in blocks if b.kind == HEADING and b.level == 1), "")
    return Converted(
        one_line(title),
        tuple(blocks),
        author=meta.get("author", ""),
        publisher=meta.get("publisher") or meta.get("site", ""),
        published=meta.get("date") or meta.get("published", ""),
        url=meta.get("url") or meta.get("canonical", ""),
        left_out=left.items(),
    )


def _front_matter(text: str, shown: str) -> dict[str, str]:
    import yaml

    try:
        found = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CorpusError(f"{shown}: its front matter is not valid YAML ({type(exc).__name__})") from None
    if not isinstance(found, dict):
        return {}
    return {
        str(k).lower(): one_line(str(v)) for k, v in found.items() if v is not None and not isinstance(v, dict | list)
    }


def _blocks(tokens: list[Any], left: LeftOut) -> list[Block]:
    blocks: list[Block] = []
    cells: list[str] = []
    joins: list[int] = []  # blocks that the next paragraph continues: an open list item, a defined term
    heading = 0  # the level of the heading being read
    cell = term = False
    term_block = -1
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1:])
        elif kind == "heading_close":
            heading = 0
        elif kind in ("th_open", "td_open", "th_close", "td_close"):
            cell = kind.endswith("_open")
        elif kind == "inline":
            text = inline_text(token.children or [])
            if cell:
                cells.append(text)
            elif heading:
                blocks.append(Block(HEADING, text, heading))
            elif term:
                blocks.append(Block(ITEM, text))
                term_block = len(blocks) - 1
            elif joins and joins[-1] == len(blocks) - 1:
                last = blocks[-1].text  # an item's first paragraph, or a term's definition
                defined = term_block == len(blocks) - 1 and not last.endswith(":")
                joiner = ": " if defined else " "
                blocks[-1] = Block(ITEM, f"{last}{joiner if last.strip() else ''}{text}")
            else:
                blocks.append(Block(PARAGRAPH, text))
        elif kind in ("fence", "code_block", "colon_fence"):
            blocks += _fence(token, left)
        elif kind == "list_item_open":
            number = f"{token.info}{token.markup} " if token.markup in (".", ")") else ""
            blocks.append(Block(ITEM, number))
            joins.append(len(blocks) - 1)
        elif kind in ("list_item_close", "dd_close"):
            joins.pop()
        elif kind == "dd_open":
            joins.append(term_block)
        elif kind == "dl_close":
            term_block = -1
        elif kind == "tr_open":
            cells = []
        elif kind == "tr_close":
            blocks.append(Block(ROW, " | ".join(cells)))
        elif kind in ("dt_open", "dt_close"):
            term = kind == "dt_open"
        elif kind == "html_block":
            blocks += _html_block(token.content, left)
        elif kind == "myst_target":
            left.add("labels", token.content)
        elif kind == "myst_line_comment":
            left.add("comments", token.content)
    return [
        b for b in blocks if b.kind == CODE or (one_line(b.text) and not re.fullmatch(r"\d{1,2}[.)]", b.text.strip()))
    ]


def inline_text(children: list[Any]) -> str:
    """An inline run as it reads: code, link and role text kept, markup and raw HTML tags gone."""
    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "myst_role":
            parts.append(_role(child))
        elif kind == "html_inline" and re.match(r"<br\b", child.content, re.I):
            parts.append(" ")
    return one_line(_LEFTOVER_REF.sub(r"\1", "".join(parts)))


def _labelled_sections(tokens: list[Any]) -> dict[str, str]:
    """The headings the document's ``(label)=`` targets stand over, by label."""
    found: dict[str, str] = {}
    for n, token in enumerate(tokens[:-2]):
        if token.type == "myst_target" and tokens[n + 1].type == "heading_open":
            found[token.content.strip().lower()] = inline_text(tokens[n + 2].children or [])
    return found


def _role(token: Any) -> str:
    """A role's text; a reference with no text of its own shows what it points to: the heading a
    label of this document (or of another page added with it) stands over, the title of the page a
    ``{doc}`` names, else the label or the document's name in words."""
    shown = role_text(token.content)
    if token.meta.get("name") not in ("ref", "doc", "numref") or "<" in token.content:
        return shown
    page = shown.rstrip("/").rsplit("/", 1)[-1]
    heading = _SECTIONS.get().get(shown.lower()) or _SITE.get().get(shown.lower()) or _SITE.get().get(page.lower())
    return heading or re.sub(r"[-_]+", " ", page)


def _fence(token: Any, left: LeftOut) -> list[Block]:
    directive = _DIRECTIVE.fullmatch(token.info.strip())
    if directive is None:
        return [Block(CODE, token.content)]
    name, argument = directive.group(1).lower(), one_line(directive.group(2))
    name = name.split(":")[-1]  # "{py:function}" is a "function"
    body = _body(token.content)
    if name in CODE_DIRECTIVES or _SESSION.match(body):  # a shell or Python session is code
        return [Block(CODE, body)]
    if name in ARRANGING:
        left.add("directives", body)
        return []
    if name in ("eval-rst", "glossary"):  # a glossary's terms and definitions are written as reStructuredText's
        from askback.corpus.converters.rst import rst_blocks

        return rst_blocks(body, left)
    inner = _blocks(_parser().parse(body), left)
    label = ADMONITIONS.get(name) or (argument if name == "admonition" or name in DESCRIBING else "")
    if name in VERSIONED:
        label = f"{VERSIONED[name]} {argument}".strip()
    if label:
        return labelled(label, inner)
    if argument and name in ("tab-item", "dropdown", "card", "tab", "topic", "sidebar"):
        return [Block(PARAGRAPH, f"{argument}:"), *inner]
    if argument and not inner:
        # A project's own directive whose argument is all it says ("{wheelie-cli} install
        # SomePackage" shows a command): kept as code, what such a directive most often shows.
        return [Block(CODE, argument)]
    return inner


def _body(content: str) -> str:
    """A directive's content without its options (``:name: value`` lines or a ``---`` block)."""
    lines = content.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        lines = lines[end + 1 :]
    while lines and _OPTION.fullmatch(lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines)


def _html_block(content: str, left: LeftOut) -> list[Block]:
    from askback.corpus.converters.html import visible_text

    if content.lstrip().startswith("<!--"):
        left.add("comments", re.sub(r"<!--|-->", " ", content))
        return []
    text = visible_text(content)
    return [Block(PARAGRAPH, text)] if text else []
