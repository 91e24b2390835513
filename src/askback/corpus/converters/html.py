"""HTML pages, read by their structure with lxml.

A documentation page (Sphinx, MkDocs, Docusaurus, DocBook, texinfo, gtk-doc, Node.js's) needs its
whole main content: every paragraph, list, table and code sample. The page's main container
(``<main>``, ``role="main"``, ``<article>``, Sphinx's ``div.body``, ...) is read when it has one,
else its body, without navigation (``<nav>``, menus, breadcrumbs, tables of contents,
"Next/Previous/Up" bars, boxes that are mostly links), headers, footers, sidebars, comments, cookie
banners, scripts and copyright lines. A layout table (cells holding paragraphs or lists) is read
as the content it holds; a data table becomes rows; text in bare ``<div>``s is a paragraph. A page
of nothing but links (an index, a menu) holds no text to quote.
"""

from __future__ import annotations

import re
from typing import Any

from askback.corpus.converters.html_meta import page_metadata, page_title
from askback.corpus.converters.lines import broken_lines
from askback.corpus.converters.structure import (
    CODE,
    HEADING,
    ITEM,
    PARAGRAPH,
    ROW,
    Block,
    Converted,
    LeftOut,
    NoText,
    one_line,
)
from askback.errors import CorpusError

__all__ = ["convert_html", "decode_html", "visible_text"]

_DROP = {"script", "style", "noscript", "template", "svg", "button", "form", "input", "select", "iframe", "object"}
_FURNITURE = {"nav", "header", "footer", "aside"}
_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
# Classes and ids of page furniture in the generators documentation comes from.
_FURNITURE_NAME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|navheader|navfooter|nav-panel|breadcrumbs?|sidebar|sphinxsidebar|"
    r"related|footer|toc|md-sidebar|menu|headerlink|skip-to-content|cookie|pagination|prev-next|"
    r"api_metadata|srclink|header|copyright|legalnotice|edit-this-page|theme-doc-toc|mark|comments?|share|"
    r"social|newsletter|advert|ads|banner|popup|modal|subscribe)(?:$|[\s_-])",
    re.I,
)
# The sign a generator puts beside a heading or a definition as a link to itself ("¶", "#", "§",
# "🔗"): a reader sees it as a control, not as words of the page.
_ANCHOR_MARK = re.compile(r"\s*(?:¶|#|§|🔗|\uf0c1)\s*")
# A link to the page's source or its editor ("Edit this page", "View source"): a control, not words.
_EDIT_LINK = re.compile(r"\s*(?:(?:edit|view|improve)(?: (?:this|the))? (?:page|source|on github)\s*)+", re.I)
_MAIN = (
    "//*[@role='main']",
    "//main",
    "//*[@id='apicontent']",
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' body ')]",
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' md-content ')]",
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' theme-doc-markdown ')]",
    "//article",
)
_EMPHASIS = {"em", "strong", "b", "i", "dfn"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = {
    "p", "div", "section", "ul", "ol", "li", "dl", "dt", "dd", "pre", "table", "tr", "td", "th", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "center", "main", "article", "details", "figure", "hr", "br", "tbody",
    "thead", "summary", "body", "html", "header",
}  # fmt: skip
_COPYRIGHT = re.compile(r"^\s*(copyright\b|©|\(c\)\s*\d{4})", re.I)
_TEXINFO_NAV = re.compile(r"^\s*(next|previous|prev|up):\s", re.I)
_ADMONITION = re.compile(r"\b(admonition|note|warning|caution|tip|important|attention|danger|hint)\b")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)|<\?xml[^>]+encoding=["']([\w-]+)""", re.I)


def decode_html(data: bytes, shown: str) -> str:
    """A page's text in the encoding it declares (``<meta charset>``, the XML declaration), else UTF-8."""
    if b"\x00" in data:
        raise CorpusError(f"{shown}: not text (it holds NUL bytes); save the page as HTML")
    found = _CHARSET.search(data[:4096])
    encoding = (found.group(1) or found.group(2)).decode("ascii") if found else "utf-8"
    try:
        return data.decode(encoding)
    except LookupError:
        encoding = "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # what browsers assume of a page that declares nothing


def visible_text(html: str) -> str:
    """The words a browser shows of an HTML fragment."""
    import lxml.html

    try:
        tree = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several kinds on junk; junk has no visible words
        return ""
    for element in list(tree.iter(*_DROP)):
        _remove(element)
    return one_line(tree.text_content())


def convert_html(html: str, shown: str) -> Converted:
    """The structured form of a web page; ``shown`` names it in errors."""
    import lxml.html

    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses a declared encoding in a str
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # an empty or binary "page": lxml raises ParserError or ValueError
        raise CorpusError(f"{shown}: no page content found in this HTML") from None
    meta = page_metadata(root)
    left = LeftOut()
    total = _words(root)
    main = next((found[0] for path in _MAIN if (found := root.xpath(path))), None)
    body = main if main is not None else root.find("body")
    if body is None:
        raise CorpusError(f"{shown}: no page content found in this HTML")
    _label_tabs(body)
    _prune(body, left, main is not None)
    blocks: list[Block] = []
    _walk(body, blocks, left)
    blocks = [b for b in blocks if b.kind == CODE or one_line(b.text)]
    if not any(b.kind != HEADING for b in blocks):
        raise NoText(f"{shown}: nothing but navigation in this page (menus, link lists)")
    kept = sum(len(b.text.split()) for b in blocks)
    outside = total - kept - sum(left.words.values())
    if outside > 0:
        left.add("navigation", " ".join(["w"] * outside))
    title = page_title(meta, blocks) or ""
    return Converted(
        title,
        tuple(blocks),
        author=meta.get("author", ""),
        publisher=meta.get("publisher", ""),
        published=meta.get("published", ""),
        url=meta.get("url", ""),
        left_out=left.items(),
    )


def _words(root: Any) -> int:
    body = root.find("body")
    target = body if body is not None else root
    words = 0
    for text in target.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"):
        words += len(str(text).split())
    return words


def _names(element: Any) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def _link_list(element: Any) -> bool:
    """A list, table or box that is mostly links: a menu, a table of contents, an index."""
    links = element.findall(".//a")
    if len(links) < (2 if element.tag in ("dl", "ul", "ol") else 4):  # a list of two links is a menu too
        return False
    words = len(element.text_content().split())
    linked = sum(len(a.text_content().split()) for a in links)
    return words > 0 and linked / words >= 0.7


def _label_tabs(body: Any) -> None:
    """Tabs (MkDocs Material's ``tabbed-set``, ARIA ``role="tab"``/``"tabpanel"`` as Docusaurus
    writes them): each panel opens with its tab's label ("Linux:"), and the row of labels goes,
    which would read "LinuxmacOSWindows" over three unlabelled blocks."""
    for labels, panels in (
        ('.//*[contains(@class, "tabbed-labels")]/label', './/*[contains(@class, "tabbed-block")]'),
        ('.//*[@role="tab"]', './/*[@role="tabpanel"]'),
    ):
        tabs, blocks = body.xpath(labels), body.xpath(panels)
        if not tabs or len(tabs) != len(blocks):
            continue
        for tab, block in zip(tabs, blocks, strict=True):
            label = block.makeelement("p")
            label.text = f"{one_line(tab.text_content())}:"
            block.insert(0, label)
        for tab in tabs:
            _remove(tab)


def _prune(body: Any, left: LeftOut, in_main: bool = False) -> None:
    """Take out the page's furniture. Inside the page's main container, a ``<header>`` holding a
    heading is the article's own (Docusaurus puts the page's ``<h1>`` in one) and stays."""
    for element in list(body.iter()):
        if next(element.iterancestors("pre"), None) is not None:
            continue  # code keeps every line ("hljs-comment" names a comment in the code)
        if element.getparent() is None and element is not body:
            continue  # already gone with an ancestor
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag:
            if element.tag is not None:  # a comment or processing instruction
                _remove(element)
            continue
        if tag in _DROP:
            _remove(element)
        elif (
            (tag in _FURNITURE and not (in_main and tag == "header" and element.xpath(".//h1 | .//h2")))
            or element.get("role") in _ROLES
            or _FURNITURE_NAME.search(_names(element))
            or (tag in ("table", "ul", "ol", "dl", "div", "td", "details") and _link_list(element))
            or (
                tag == "a"
                and _ANCHOR_MARK.fullmatch(element.text_content())
                and element.get("href", "").startswith("#")
            )
            or (tag == "a" and _EDIT_LINK.fullmatch(f"{element.text_content()} {element.get('title', '')}".strip()))
        ):
            if element is body:
                continue
            left.add("navigation", element.text_content())
            _remove(element)


def _remove(element: Any) -> None:
    """Take an element out, keeping the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


_BREAK = "\x00"  # a <br>: a line of its own in a page that writes plain text with <br>s


def _walk(element: Any, blocks: list[Block], left: LeftOut) -> None:
    """Blocks of ``element``'s content in order; loose text between blocks is a paragraph."""
    run: list[str] = [element.text or ""]

    def flush() -> None:
        lines = "".join(run).split(_BREAK)
        run.clear()
        for kind, text in broken_lines(lines):
            if _COPYRIGHT.match(text) or _TEXINFO_NAV.match(text):
                left.add("navigation" if _TEXINFO_NAV.match(text) else "copyright", text)
            else:
                blocks.append(Block(kind, text, 3 if kind == HEADING else 0))

    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            run.append(_BREAK)
        elif tag in _BLOCKS:
            flush()
            _block(child, tag, blocks, left)
        else:
            run.append(_inline(child))
        run.append(child.tail or "")
    flush()


def _block(element: Any, tag: str, blocks: list[Block], left: LeftOut) -> None:
    if tag in _HEADINGS:
        blocks.append(Block(HEADING, _inline_only(element), _HEADINGS[tag]))
    elif tag == "pre":
        codes = element.findall("code")
        for code in codes or [element]:
            blocks.append(Block(CODE, code.text_content()))
    elif tag == "p" and _code_only(element):
        blocks.append(Block(CODE, element.text_content().strip("\n")))
    elif tag == "li":
        start = len(blocks)
        _walk(element, blocks, left)
        if _titled(element, blocks, start):
            blocks[start] = Block(HEADING, blocks[start].text, _title_level(element, blocks, start))
        else:
            _as_item(blocks, start)
    elif tag == "dt":
        blocks.append(Block(ITEM, _inline_only(element)))
    elif tag == "dd":
        start = len(blocks)
        _walk(element, blocks, left)
        if start < len(blocks) and blocks[start].kind == PARAGRAPH and start and blocks[start - 1].kind == ITEM:
            term = blocks[start - 1].text
            joiner = " " if term.endswith(":") else ": "
            blocks[start - 1 : start + 1] = [Block(ITEM, f"{term}{joiner}{blocks[start].text}")]
    elif tag == "table" and not element.xpath(".//p | .//div | .//ul | .//ol | .//table | .//pre | .//h1 | .//h2"):
        for row in element.iter("tr"):
            cells = [one_line(c.text_content()) for c in row if c.tag in ("td", "th")]
            if any(cells):
                blocks.append(Block(ROW, " | ".join(cells)))
    elif tag in ("div", "aside") and _ADMONITION.search(element.get("class", "")):
        start = len(blocks)
        _walk(element, blocks, left)
        _labelled(blocks, start)
    elif tag == "tr" and "question" in element.get("class", ""):
        # A DocBook FAQ's question: the heading of its answer ("1.1. How do you pronounce …?").
        question = one_line(" ".join(cell.text_content() for cell in element))
        blocks.append(Block(HEADING, re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", question), 4))
    elif tag == "summary" and element.getparent() is not None and element.getparent().tag == "details":
        # A collapsed FAQ entry's question heads its answer, as a DocBook FAQ's does.
        blocks.append(Block(HEADING, _inline_only(element), _title_level(element.getparent(), blocks, len(blocks))))
    elif tag == "hr":
        return
    else:
        _walk(element, blocks, left)


def _code_only(element: Any) -> bool:
    """A paragraph that is one piece of code and nothing else: a command or a line of a program
    (not the name a list item or a table cell opens with)."""
    children = [c for c in element if isinstance(c.tag, str)]
    parent = element.getparent()
    opens = parent is not None and parent.tag in ("li", "dt", "dd", "td", "th") and element.getprevious() is None
    return (
        not opens
        and len(children) == 1
        and children[0].tag in ("code", "tt", "kbd", "samp")
        and not one_line(element.text or "")
        and not one_line(children[0].tail or "")
        and bool(one_line(children[0].text_content()))
    )


def _titled(element: Any, blocks: list[Block], start: int) -> bool:
    """Is a list item an emphasized title line over paragraphs of its own (an FAQ's question over
    its answer, a term over its explanation)? Then the title heads them, as a heading would."""
    children = [c for c in element if isinstance(c.tag, str)]
    if one_line(element.text or "") or len(children) < 2 or children[0].tag not in _EMPHASIS:
        return False
    lead = one_line(children[0].text_content())
    return (
        bool(lead)
        and not one_line(children[0].tail or "")
        and children[1].tag in _BLOCKS
        and len(blocks) - start >= 2
        and blocks[start].kind == PARAGRAPH
        and blocks[start].text == lead
        and len(lead.split()) <= 16
        and lead[-1] not in ".:;,"
        and all(b.kind in (PARAGRAPH, CODE) for b in blocks[start + 1 :])
    )


def _title_level(element: Any, blocks: list[Block], start: int) -> int:
    """The level of a list's titled items: one below the heading the list stands under."""
    parent = element.getparent()
    if parent is None or not parent.get("data-askback-level"):
        level = next((b.level for b in reversed(blocks[:start]) if b.kind == HEADING), 1)
        if parent is None:
            return min(level + 1, 6)
        parent.set("data-askback-level", str(min(level + 1, 6)))
    return int(parent.get("data-askback-level"))


def _as_item(blocks: list[Block], start: int) -> None:
    """A list item's first paragraph becomes the item (its nested lists stay items of their own)."""
    if start < len(blocks) and blocks[start].kind == PARAGRAPH:
        blocks[start] = Block(ITEM, blocks[start].text)
    elif start == len(blocks) or blocks[start].kind not in (ITEM,):
        return


def _labelled(blocks: list[Block], start: int) -> None:
    """A Sphinx note: its title paragraph ("Note") read before its first paragraph ("Note: …")."""
    if len(blocks) - start >= 2 and blocks[start].kind == PARAGRAPH and len(blocks[start].text.split()) <= 3:
        label = blocks[start].text.rstrip(":")
        if blocks[start + 1].kind in (PARAGRAPH, ITEM):
            blocks[start : start + 2] = [Block(PARAGRAPH, f"{label}: {blocks[start + 1].text}")]


def _inline(element: Any) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag or tag in _DROP or tag == "img":
        return ""
    return element.text_content()


def _inline_only(element: Any) -> str:
    return one_line(element.text_content())
