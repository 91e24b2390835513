"""What an HTML page states about itself: its title, author, publisher, date and address, from its
``<meta>`` tags, ``<title>`` and headings, the site's name left out of the title."""

from __future__ import annotations

import re
from typing import Any

from askback.corpus.converters.structure import HEADING, Block, one_line

__all__ = ["page_metadata", "page_title"]


def page_metadata(root: Any) -> dict[str, str]:
    """The page's stated metadata, each "" when it states none."""

    def meta(*names: str) -> str:
        for name in names:
            found = root.xpath(f"//meta[@property='{name}' or @name='{name}']/@content")
            if found and one_line(found[0]):
                return one_line(found[0])
        return ""

    title = root.find(".//title")
    canonical = root.xpath("//link[@rel='canonical']/@href")
    return {
        "og_title": meta("og:title"),
        "title": one_line(title.text_content()) if title is not None else "",
        "author": meta("author", "article:author", "dc.creator", "DC.creator"),
        "publisher": meta("og:site_name"),
        "published": meta("article:published_time", "dc.date", "DC.date", "date", "citation_publication_date"),
        "url": one_line(canonical[0]) if canonical else meta("og:url"),
    }


def page_title(meta: dict[str, str], blocks: list[Block]) -> str:
    """The page's own title: og:title, else ``<title>``, without the site's name ("Installation -
    brewlog docs" is "Installation"), else its first heading."""
    headings = [b.text for b in blocks if b.kind == HEADING]
    page = meta["og_title"] or meta["title"]
    # Texinfo titles a page "Arrays Unions Enums (libffi: the portable foreign function interface
    # library)": a short name, then its manual's in brackets; the page's first heading says it in
    # full, after its section number ("2.3.4 Arrays, Unions, and Enumerations").
    own = re.fullmatch(r"(.+?)\s+\((.+)\)", page)
    first = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", headings[0]) if headings else ""
    if own and first and _first_word(first) == _first_word(own[1]):
        return first
    titles = [b.text for b in blocks if b.kind == HEADING and b.level == 1]
    if page:
        parts = [p.strip() for p in re.split(r"\s+(?:\||—|–|·|::|-)\s+", page) if p.strip()]
        named = [p for p in parts if p in headings]
        # A page whose title names none of its headings ("Home | brewlog") and that has one
        # level-1 heading ("Welcome to brewlog") is titled by that heading, as its reader sees it.
        return named[0] if named else titles[0] if len(titles) == 1 and len(parts) > 1 else parts[0]
    return titles[0] if titles else (headings[0] if headings else "")


def _first_word(text: str) -> str:
    return re.sub(r"\W", "", text.split()[0]).lower()
