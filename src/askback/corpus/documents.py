"""Turning documents as people have them (saved web pages, Markdown, PDF, plain text) into corpus files.

Each extractor keeps the article's own text, sentence for sentence, and drops what is not the
article: trafilatura finds a page's main text (menus, footers, cookie banners, related-article
sidebars and comments left out) and reads its metadata from the page's own tags; pypdf reads a PDF's
text, metadata and outline. Headings become ``## `` lines, which the chunker takes as headings
without guessing. Nothing is made up: a field the document does not state stays empty, and a title
taken from the first line is marked as inferred.

Adding a document that states the address of an article already in the corpus updates that
article's file, keeping the old text in ``.askback-replaced/``; any other document gets a file of
its own. A title alone never makes two documents the same.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from askback.config import MAX_DOCUMENT_BYTES
from askback.corpus.files import (
    FENCE,
    Document,
    corpus_files,
    header,
    load_corpus,
    parse_document,
    read_document,
    refuse_duplicates,
)
from askback.errors import CorpusError

__all__ = ["REPLACED", "SUPPORTED", "Added", "Extracted", "add_to_corpus", "extract"]

SUPPORTED = (".html", ".htm", ".md", ".markdown", ".txt", ".pdf")
REPLACED = ".askback-replaced"  # hidden: the build reads only visible files


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
    replaced: str = ""  # where the text this document replaced is kept, when it replaced one


def extract(path: Path) -> Extracted:
    """The article in ``path``, by its extension; a CorpusError names a file of another kind or one
    that cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorpusError(f"{path}: askback reads {', '.join(SUPPORTED)} files, not {suffix or 'this file'}")
    try:
        info = path.stat()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block for ever, /dev/zero never ends
        raise CorpusError(f"{path}: not a regular file; save the document as a file and add that")
    if info.st_size > MAX_DOCUMENT_BYTES:
        raise CorpusError(
            f"{path}: {info.st_size:,} bytes, over askback's limit of {MAX_DOCUMENT_BYTES:,} per document"
        )
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

    # pypdf logs and warns about what it repairs ("EOF marker not found"): an error is ours to say, in one line.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    try:
        pypdf_log.setLevel(logging.CRITICAL + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(path)
            pages = [page.extract_text() or "" for page in reader.pages]
            meta = reader.metadata
            outline = _outline_titles(reader.outline)
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise CorpusError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    finally:
        pypdf_log.setLevel(level)
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


@dataclass(frozen=True)
class _Planned:
    """One document's corpus file as ``add`` will write it; ``previous`` is the text it replaces."""

    source: Path
    doc: Extracted
    target: Path
    document: Document  # the corpus file's text, parsed as the build will parse it
    previous: str | None

    @property
    def text(self) -> str:
        return self.document.text


def add_to_corpus(paths: list[Path], corpus: Path) -> tuple[list[Added], Callable[[], None]]:
    """Write one corpus file per document, and return what was written with a function that puts
    the corpus back as it was (the caller undoes the writes when the rebuild fails).

    Every check a build makes runs first, on the corpus as it will be: a document that cannot be
    read, an empty article, a text already in the corpus, a broken corpus file, or an unwritable
    folder writes nothing. A document replaces an existing file only when it states the same
    address (``url``); otherwise it gets a new file, never another's. What it replaces is kept in
    ``corpus/.askback-replaced/`` (``Added.replaced`` names the copy)."""
    planned = _plan([(path, extract(path)) for path in paths], corpus)
    return _write(planned, corpus)


def _plan(extracted: list[tuple[Path, Extracted]], corpus: Path) -> list[_Planned]:
    if corpus.exists() and not corpus.is_dir():
        raise CorpusError(f"corpus {corpus} is a file, not a folder; pass the folder of article files with --corpus")
    existing = load_corpus(corpus) if corpus.is_dir() and corpus_files(corpus, strict=False) else []
    by_address = {_address(d.article.url): Path(d.article.path) for d in existing if _address(d.article.url)}
    names = {Path(d.article.path).name for d in existing}
    planned: list[_Planned] = []
    for path, doc in extracted:
        text = _corpus_text(doc)
        target = by_address.get(_address(doc.url)) if _address(doc.url) else _same_text(existing, doc)
        twin = next((p for p in planned if _address(doc.url) and _address(p.doc.url) == _address(doc.url)), None)
        if twin is not None:
            raise CorpusError(f"{path} and {twin.source} state the same address ({doc.url}); add one of them")
        if target is None:
            target = _new_file(corpus, doc, names)
        names.add(target.name)
        document = parse_document(text, target, str(path))  # as the build checks it: a header, a body
        previous = target.read_text(encoding="utf-8") if target.exists() else None
        planned.append(_Planned(path, doc, target, document, previous))
    # The corpus as it will be, checked as the build will check it: no article twice.
    kept = [d for d in existing if Path(d.article.path) not in {p.target for p in planned}]
    refuse_duplicates(kept + [p.document for p in planned])
    return planned


def _write(planned: list[_Planned], corpus: Path) -> tuple[list[Added], Callable[[], None]]:
    written: list[_Planned] = []
    copies: list[Path] = []

    def undo() -> None:
        for p in reversed(written):
            if p.previous is None:
                p.target.unlink(missing_ok=True)
            else:
                _atomic_write(p.target, p.previous)
        for copy in copies:
            copy.unlink(missing_ok=True)

    added = []
    try:
        corpus.mkdir(parents=True, exist_ok=True)
        for p in planned:
            copy = ""
            if p.previous is not None and p.previous != p.text:
                kept = _replaced_copy(corpus, p.target)
                _atomic_write(kept, p.previous)
                copies.append(kept)
                copy = str(kept)
            if p.previous != p.text:
                _atomic_write(p.target, p.text)
                written.append(p)
            doc = p.doc
            added.append(
                Added(
                    str(p.source),
                    str(p.target),
                    doc.title,
                    doc.author,
                    _words(doc.text),
                    doc.left_out,
                    p.previous is not None,
                    copy,
                )
            )
    except OSError as exc:
        undo()
        raise CorpusError(
            f"cannot write into {corpus} ({exc.strerror}); nothing was added. Make the folder writable or pass --corpus"
        ) from None
    return added, undo


def _atomic_write(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` whole or not at all: a temporary file beside it, then a rename."""
    temporary = target.parent / f".{target.name}.adding-{os.getpid()}"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _replaced_copy(corpus: Path, target: Path) -> Path:
    """Where the text a document replaces is kept: a hidden folder the build does not read."""
    folder = corpus / REPLACED
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    copy, n = folder / f"{target.stem}.{stamp}.txt", 2
    while copy.exists():
        copy, n = folder / f"{target.stem}.{stamp}-{n}.txt", n + 1
    return copy


def _same_text(existing: list[Document], doc: Extracted) -> Path | None:
    """The corpus file of the same document stated without an address: the same title, not an
    inferred one, and the same text."""
    if doc.title_inferred:
        return None
    body = " ".join(doc.text.split())
    for d in existing:
        same_title = not d.article.title_inferred and d.article.title == doc.title
        if same_title and " ".join(d.text[d.body_start :].split()) == body:
            return Path(d.article.path)
    return None


def _address(url: str) -> str:
    """A stated address, compared without case, scheme or a trailing slash; "" when none is stated
    (no address is no identity: two documents without one are never the same document)."""
    bare = re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")
    return bare


def _new_file(corpus: Path, doc: Extracted, taken: set[str]) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", doc.title.lower()).strip("-")[:80] or "article"
    target, n = corpus / f"{slug}.txt", 2
    while target.name in taken or target.exists():
        target, n = corpus / f"{slug}-{n}.txt", n + 1
    return target


def _corpus_text(doc: Extracted) -> str:
    fields = {**vars(doc), "title_inferred": "yes" if doc.title_inferred else ""}
    return header(fields) + doc.text
