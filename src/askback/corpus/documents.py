"""Turning documents as publishers have them into corpus files, and adding them to a corpus.

Each document is read by its format's parser (``askback.corpus.converters``) into what a reader
sees: paragraphs on one line, headings as ``## `` lines, list items, code between fences, notes
with their labels; markup, navigation and comments left out. Nothing is made up: a field the
document does not state stays empty, and a title made from the file's name is marked as inferred.

Adding a document added before from the same file (its header records the ``source``), or one
that states the address of an article already in the corpus, updates that article's file, keeping
the old text in ``.askback-replaced/``; any other document gets a file of its own. A title alone
never makes two documents the same.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from askback.corpus.converters import NoText, convert, document_name, format_of, read_bytes
from askback.corpus.converters.markdown import site_references
from askback.corpus.converters.structure import CODE_FENCE, code_blocks, has_prose
from askback.corpus.files import (
    FENCE,
    FIELDS,
    Document,
    corpus_files,
    header,
    left_out_text,
    load_corpus,
    parse_document,
    read_document,
    refuse_duplicates,
)
from askback.corpus.folders import SUPPORTED, documents_in, gone_from, source_of
from askback.errors import CorpusError

__all__ = ["REPLACED", "SUPPORTED", "Added", "Extracted", "add_to_corpus", "extract"]


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
    left_out: int = 0  # words of the document that are not the article
    source: str = ""  # the file it was read from: adding it again updates its article
    left_out_kinds: tuple[tuple[str, int], ...] = ()  # those words by kind: navigation, comments, ...
    prose: bool = True  # a sentence (or code) of its own, not only a title and short lines: a cover page


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
    left_out_kinds: tuple[tuple[str, int], ...] = ()  # words left out by kind, most first
    code_blocks: int = 0  # code samples kept (quoted when a question asks for code)
    unchanged: bool = False  # the same text as its article already holds: nothing written
    prose: bool = True  # False for a page of only a title and short lines (a cover page), added as named
    same_title: str = ""  # a new article's namesake already in the corpus (an edited copy added from elsewhere?)


def extract(path: Path) -> Extracted:
    """The article in ``path``, read by its format; a CorpusError names a file of another kind or
    one that cannot be read."""
    if format_of(path) == "text" and path.suffix.lower() == ".txt":
        # A corpus file of another corpus opens with its header: "---", then a field. A text that
        # opens with a rule of dashes is plain text.
        head = read_bytes(path)[:200].decode("utf-8", "replace").splitlines()[:2]
        if len(head) == 2 and head[0].strip() == FENCE and head[1].split(":", 1)[0].strip() in FIELDS:
            return _corpus_file(path)
    found = convert(path)
    text = found.corpus_text()
    left = sum(n for _, n in found.left_out)
    return Extracted(
        text,
        found.title,
        found.title_inferred,
        found.author,
        found.publisher,
        found.published,
        found.url,
        left_out=left,
        source=str(path.resolve()),
        left_out_kinds=found.left_out,
        prose=has_prose(found),
    )


def _corpus_file(path: Path) -> Extracted:
    """A corpus file of another corpus: its header is kept."""
    doc = read_document(path)
    a = doc.article
    return Extracted(
        doc.text[doc.body_start :], a.title, a.title_inferred, a.author, a.publisher, a.published, a.url,
        source=str(path.resolve()),
    )  # fmt: skip


def _words(text: str) -> int:
    return sum(len(line.split()) for line in text.splitlines() if line.strip() != CODE_FENCE)


@dataclass(frozen=True)
class _Planned:
    """One document's corpus file as ``add`` will write it; ``previous`` is the text it replaces."""

    source: Path
    doc: Extracted
    target: Path
    document: Document  # the corpus file's text, parsed as the build will parse it
    previous: str | None
    same_title: str = ""  # the existing article of the same title, when this one is new

    @property
    def text(self) -> str:
        return self.document.text


def add_to_corpus(
    paths: list[Path], corpus: Path, skipped: list[str] | None = None
) -> tuple[list[Added], Callable[[], None]]:
    """Write one corpus file per document, and return what was written with a function that puts
    the corpus back as it was (the caller undoes the writes when the rebuild fails).

    Every check a build makes runs first, on the corpus as it will be: a document that cannot be
    read, an empty article, a text already in the corpus, a broken corpus file, or an unwritable
    folder writes nothing. A document replaces an existing file only when it states the same
    address (``url``); otherwise it gets a new file, never another's. What it replaces is kept in
    ``corpus/.askback-replaced/`` (``Added.replaced`` names the copy). A folder adds the
    documents in it; one of them with no text of its own (a page of links only, a cover page of a
    title and a release date, a copy of another) is named in ``skipped``. A document named on its
    own is read even if it is a cover page (``Added.prose`` says so)."""
    extracted = []
    seen: dict[str, Path] = {}  # the text of each document read, to pass over a folder's copies
    passed_over: list[str] = []
    found_in = [(path, documents_in([path], passed_over)) for path in paths]
    # Pages added together are one site: a reference from one to another reads as its heading.
    with site_references(_markdown_pages([d for _, documents in found_in for d in documents])):
        for path, documents in found_in:
            for document in documents:
                try:
                    found = extract(document)
                except NoText as exc:
                    if document == path or skipped is None:
                        raise  # a document named on its own must be read; one found in a folder may hold no text
                    skipped.append(str(exc))
                    continue
                if not found.prose and document != path and skipped is not None:
                    skipped.append(
                        f"{document}: no text of its own in this page (a title and short lines, no sentence)"
                    )
                    continue
                body = " ".join(found.text.split())
                if document != path and skipped is not None and body in seen:
                    skipped.append(f"{document}: the same text as {seen[body]}")
                    continue
                seen.setdefault(body, document)
                extracted.append((document, found))
    if corpus.exists() and not corpus.is_dir():
        raise CorpusError(f"corpus {corpus} is a file, not a folder; pass the folder of article files with --corpus")
    existing = load_corpus(corpus) if corpus.is_dir() and corpus_files(corpus, strict=False) else []
    if skipped is not None:
        skipped += passed_over + gone_from(paths, existing)
    planned = _plan(extracted, corpus, existing)
    return _write(planned, corpus)


def _markdown_pages(paths: list[Path]) -> Iterator[tuple[str, str]]:
    """The Markdown documents of ``paths`` as (name, text), "install" for "install.md.gz"; one that
    cannot be read is left to its own conversion to report."""
    for path in paths:
        if format_of(path) == "markdown":
            try:
                yield document_name(path), read_bytes(path).decode("utf-8-sig")
            except (CorpusError, OSError, UnicodeDecodeError):
                continue


def _plan(extracted: list[tuple[Path, Extracted]], corpus: Path, existing: list[Document]) -> list[_Planned]:
    by_address = {_address(d.article.url): Path(d.article.path) for d in existing if _address(d.article.url)}
    by_source = {source: Path(d.article.path) for d in existing if (source := source_of(d))}
    names = {Path(d.article.path).name for d in existing}
    planned: list[_Planned] = []
    for path, doc in extracted:
        text = _corpus_text(doc)
        target = (
            (by_address.get(_address(doc.url)) if _address(doc.url) else None)
            or by_source.get(doc.source)
            or _same_text(existing, doc)
        )
        twin = next((p for p in planned if _address(doc.url) and _address(p.doc.url) == _address(doc.url)), None)
        if twin is not None:
            raise CorpusError(f"{path} and {twin.source} state the same address ({doc.url}); add one of them")
        namesake = ""
        if target is None:
            target = _new_file(corpus, doc, names)
            namesake = next((d.article.path for d in existing if d.article.title == doc.title), "")
        names.add(target.name)
        document = parse_document(text, target, str(path))  # as the build checks it: a header, a body
        previous = target.read_text(encoding="utf-8") if target.exists() else None
        planned.append(_Planned(path, doc, target, document, previous, namesake))
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
            same = p.previous is not None and _without_source(p.previous) == _without_source(p.text)
            if p.previous is not None and not same:
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
                    doc.left_out_kinds,
                    code_blocks(doc.text),
                    same,  # the same text, perhaps read from another file now (its new source is recorded)
                    doc.prose,
                    p.same_title,
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


def _without_source(text: str) -> str:
    """A corpus file's text without the header line naming the file it was read from; a stated
    title reads the same marked ``title_inferred: no`` or left blank (as earlier versions wrote it)."""
    text = re.sub(r"^title_inferred:[ \t]*(?:no)?[ \t]*$", "title_inferred: no", text, count=1, flags=re.M)
    return re.sub(r"^source:[^\n]*\n", "", text, count=1, flags=re.M)


def _address(url: str) -> str:
    """A stated address, compared without case, scheme or a trailing slash; "" when none is stated
    (no address is no identity: two documents without one are never the same document)."""
    bare = re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")
    return bare


def _new_file(corpus: Path, doc: Extracted, taken: set[str]) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", doc.title.lower()).strip("-")[:80] or "article"
    if slug == doc.title and doc.source:
        # A file named exactly as its title reads as a title made from a file name: say what it was.
        slug = f"{slug}-{format_of(Path(doc.source))}"
    target, n = corpus / f"{slug}.txt", 2
    while target.name in taken or target.exists():
        target, n = corpus / f"{slug}-{n}.txt", n + 1
    return target


def _corpus_text(doc: Extracted) -> str:
    fields = {
        **vars(doc),
        "title_inferred": "yes" if doc.title_inferred else "no",
        "left_out": left_out_text(doc.left_out_kinds),
    }
    return header(fields) + doc.text
