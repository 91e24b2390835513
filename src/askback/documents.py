"""Turning documents as people have them (saved web pages, Markdown, PDF, plain text) into corpus files.

Each extractor keeps the article's own text, sentence for sentence, and drops what is not the
article: trafilatura finds a page's main text (menus, footers, cookie banners, related-article
sidebars and comments left out) and reads its metadata from the page's own tags; pypdf reads a PDF's
text, metadata and outline. Headings become ``## `` lines, which the chunker takes as headings
without guessing. Nothing is made up: a field the document does not state stays empty, and a title
taken from the first line is marked as inferred.

Adding a document whose address or title is already in the corpus updates that article's file in
place: adding twice never makes a duplicate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corpus import FENCE, corpus_files, header, read_document
from .errors import CorpusError

__all__ = ["SUPPORTED", "Added", "Extracted", "add_to_corpus", "extract"]

SUPPORTED = (".html", ".htm", ".md", ".markdown", ".txt", ".pdf")


@dataclass(frozen=True)
class Extracted:
    """A document's article text (headings as ``## `` lines) and the metadata it states."""

    text: str
    title: str
    title_inferred: bool = False
    author: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""
    left_out: int = 0  # words of the document that are not the article (page furniture)


@dataclass(frozen=True)
class Added:
    """One document written to the corpus: where, with what metadata, and whether it replaced the
    earlier file of the same article."""

    source: str
    corpus_file: str
    title: str
    author: str
    words: int
    left_out: int
    updated: bool


def extract(path: Path) -> Extracted:
    """The article in ``path``, by its extension; a CorpusError names a file of another kind or one
    that cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorpusError(f"{path}: askback reads {', '.join(SUPPORTED)} files, not {suffix or 'this file'}")
    try:
        if suffix == ".pdf":
            return _pdf(path)
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    if suffix in (".html", ".htm"):
        return _page(raw, path)
    if suffix in (".md", ".markdown"):
        return _markdown(raw, path)
    return _plain(raw, path)


def _page(html: str, path: Path) -> Extracted:
    import trafilatura
    from lxml import etree

    found: Any = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, output_format="python"
    )
    tree = getattr(found, "body", None)
    if found is None or tree is None:
        raise CorpusError(f"{path}: no article text found in this page")
    lines: list[str] = []
    for element in tree.iter("head", "p", "item", "row", "quote"):
        if element.getparent() is not None and element.getparent().tag in ("item", "quote", "cell"):
            continue
        words = " ".join("".join(element.itertext()).split())
        if element.tag == "row":
            words = " | ".join(" ".join("".join(c.itertext()).split()) for c in element.iter("cell"))
        if not words:
            continue
        if element.tag == "head":
            lines += ["", f"## {words}", ""]
        elif element.tag == "item":
            lines.append(f"- {words}")
        else:
            lines += ["", words, ""]
    text = _tidy("\n".join(lines))
    if not text.strip():
        raise CorpusError(f"{path}: no article text found in this page")
    whole = etree.HTML(html)
    page_words = len(" ".join(whole.itertext()).split()) if whole is not None else 0
    title = (found.title or "").strip()
    return Extracted(
        text,
        title or _first_line(text),
        not title,
        author=(found.author or "").strip(),
        publisher=(found.sitename or "").strip(),
        published=(found.date or "").strip(),
        url=(found.url or "").strip(),
        left_out=max(page_words - _words(text), 0),
    )


def _markdown(raw: str, path: Path) -> Extracted:
    import frontmatter

    try:
        post = frontmatter.loads(raw)
    except Exception as exc:  # YAML errors have many types; the file is what is wrong
        raise CorpusError(f"{path}: its front matter is not valid YAML ({type(exc).__name__})") from None
    meta = {k.lower(): str(v).strip() for k, v in post.metadata.items() if v is not None}
    body = post.content
    heading = re.match(r"#\s+(.+)\n", body)
    title = meta.get("title") or (heading.group(1).strip() if heading else "")
    return Extracted(
        _tidy(body),
        title or _first_line(body),
        not title,
        author=meta.get("author", ""),
        publisher=meta.get("publisher") or meta.get("site", ""),
        published=meta.get("date") or meta.get("published", ""),
        url=meta.get("url") or meta.get("canonical", ""),
    )


def _plain(raw: str, path: Path) -> Extracted:
    if raw.startswith(FENCE):
        doc = read_document(path)  # already a corpus file: keep its header
        a = doc.article
        return Extracted(
            doc.text[doc.body_start :], a.title, a.title_inferred, a.author, a.publisher, a.published, a.url
        )
    return Extracted(_tidy(raw), _first_line(raw), True)


def _pdf(path: Path) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
        outline = _outline_titles(reader.outline)
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise CorpusError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(p.strip("\n") for p in pages if p.strip())
    if not text.strip():
        raise CorpusError(f"{path}: no text in this PDF (a scan needs OCR first)")
    if outline:
        # The outline names the document's headings: those lines become headings.
        text = "\n".join(f"\n## {line.strip()}\n" if line.strip() in outline else line for line in text.splitlines())
    title = (meta.title if meta and meta.title else "").strip()
    return Extracted(
        _tidy(text),
        title or _first_line(text),
        not title,
        author=(meta.author if meta and meta.author else "").strip(),
    )


def _outline_titles(outline: Any) -> set[str]:
    titles: set[str] = set()
    for entry in outline or ():
        if isinstance(entry, list):
            titles |= _outline_titles(entry)
        elif getattr(entry, "title", None):
            titles.add(str(entry.title).strip())
    return titles


def _tidy(text: str) -> str:
    """Whitespace only: trailing spaces gone, at most one blank line between blocks."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _first_line(text: str) -> str:
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return line.lstrip("#").strip()[:120] or "Untitled"


def _words(text: str) -> int:
    return len(text.split())


def add_to_corpus(paths: list[Path], corpus: Path) -> list[Added]:
    """Write one corpus file per document; every document is read before any file is written, so a
    bad one leaves the corpus as it was."""
    extracted = [(path, extract(path)) for path in paths]
    corpus.mkdir(parents=True, exist_ok=True)
    existing = _existing(corpus)
    added = []
    for path, doc in extracted:
        target = existing.get(_identity(doc.url)) or existing.get(_identity(doc.title)) or _new_file(corpus, doc)
        updated = target.exists()
        target.write_text(_corpus_text(doc), encoding="utf-8")
        existing[_identity(doc.url)] = existing[_identity(doc.title)] = target
        added.append(Added(str(path), str(target), doc.title, doc.author, _words(doc.text), doc.left_out, updated))
    return added


def _existing(corpus: Path) -> dict[str, Path]:
    """The corpus files by address and by title, to find an article added before."""
    found: dict[str, Path] = {}
    for file in corpus_files(corpus, strict=False):
        try:
            article = read_document(file).article
        except CorpusError:
            continue
        for key in (article.url, article.title):
            if key:
                found.setdefault(_identity(key), file)
    return found


def _identity(value: str) -> str:
    return " ".join(value.lower().rstrip("/").split()) or "\x00"


def _new_file(corpus: Path, doc: Extracted) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", doc.title.lower()).strip("-")[:80] or "article"
    target, n = corpus / f"{slug}.txt", 2
    while target.exists():
        target, n = corpus / f"{slug}-{n}.txt", n + 1
    return target


def _corpus_text(doc: Extracted) -> str:
    fields = {**vars(doc), "title_inferred": "yes" if doc.title_inferred else ""}
    return header(fields) + doc.text
