"""Documents as publishers have them, read with the parser made for each format into one structured
form (``Converted``: a title, the metadata the document states, blocks in order).

One module per format: ``markdown`` (Markdown and MyST, markdown-it-py), ``rst``
(reStructuredText, docutils), ``html`` (lxml, by the page's structure),
``pdf`` (pypdf) and ``text``. A ``.gz`` of any of them is read as the file it holds.
"""

from __future__ import annotations

import gzip
import re
import stat
import zlib
from pathlib import Path

from askback.config import MAX_DOCUMENT_BYTES
from askback.corpus.converters.structure import Block, Converted, NoText, readable_name
from askback.errors import CorpusError

__all__ = ["FORMATS", "Block", "Converted", "NoText", "convert", "format_of", "read_bytes"]


FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".myst": "markdown",
    ".rst": "rst",
    ".rest": "rst",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".pdf": "pdf",
}
_JUNK_TITLE = re.compile(r"^\(.+\)=$|^[(`{\[<]")


def format_of(path: Path) -> str:
    """The format a file is read as, by its extension (inside a ``.gz``: the one before it); ""
    when askback does not read it."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1], "") if suffixes else ""


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_DOCUMENT_BYTES`` (a ``.gz`` unpacked, and
    refused when it unpacks to more)."""
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
        if path.suffix.lower() != ".gz":
            return path.read_bytes()
        with gzip.open(path, "rb") as packed:
            data = packed.read(MAX_DOCUMENT_BYTES + 1)  # a zip bomb stops here, not at its end
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise CorpusError(f"{path}: not a readable .gz file ({exc})") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CorpusError(f"{path}: unpacks to over askback's limit of {MAX_DOCUMENT_BYTES:,} bytes per document")
    return data


def convert(path: Path) -> Converted:
    """The document in ``path``, read by its format; a CorpusError names a file askback does not
    read, one it cannot read, and one with no text."""
    kind = format_of(path)
    if not kind:
        known = ", ".join(sorted(FORMATS))
        raise CorpusError(f"{path}: askback reads {known} files (and .gz of them), not {path.suffix or 'this file'}")
    data = read_bytes(path)
    shown = str(path)
    if kind == "pdf":
        from io import BytesIO

        from askback.corpus.converters.pdf import convert_pdf

        found = convert_pdf(BytesIO(data), shown)
    elif kind == "html":
        from askback.corpus.converters.html import convert_html, decode_html

        found = convert_html(decode_html(data, shown), shown)
    else:
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
        if kind == "markdown":
            from askback.corpus.converters.markdown import convert_markdown

            found = convert_markdown(raw, shown)
        elif kind == "rst":
            from askback.corpus.converters.rst import convert_rst

            found = convert_rst(raw, shown)
        else:
            from askback.corpus.converters.text import convert_text

            found = convert_text(raw, shown)
    if not found.corpus_text().strip() or (found.blocks and all(b.kind == "heading" for b in found.blocks)):
        raise NoText(f"{path}: no text found in this document (its article would be empty)")
    if not found.title or _JUNK_TITLE.match(found.title):
        return _named(found, path)
    return found


def _named(found: Converted, path: Path) -> Converted:
    """A document that states no title is named after its file, and says so."""
    from dataclasses import replace

    return replace(found, title=readable_name(document_name(path)), title_inferred=True)


def document_name(path: Path) -> str:
    """A document's file name without its extensions: "install" for "install.md.gz"."""
    return Path(path.stem).stem if path.suffix.lower() == ".gz" else path.stem
