"""PDF, read with pypdf: the text of every page, the title and author from the PDF's metadata,
and the outline's entries marked as headings."""

from __future__ import annotations

import logging
import warnings
from typing import Any, BinaryIO

from askback.corpus.converters.structure import Converted, NoText
from askback.corpus.converters.text import tidy
from askback.errors import CorpusError

__all__ = ["convert_pdf"]


def convert_pdf(data: BinaryIO, shown: str) -> Converted:
    """The PDF in ``data`` (named ``shown`` in errors)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs and warns about what it repairs ("EOF marker not found"): an error is ours to say, in one line.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    try:
        pypdf_log.setLevel(logging.CRITICAL + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(data)
            pages = [page.extract_text() or "" for page in reader.pages]
            meta = reader.metadata
            outline = _outline_titles(reader.outline)
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise CorpusError(f"{shown}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    finally:
        pypdf_log.setLevel(level)
    text = "\n\n".join(p.strip("\n") for p in pages if p.strip())
    if not text.strip():
        raise NoText(f"{shown}: no text in this PDF (a scan needs OCR first)")
    if outline:
        # The outline names the document's headings: those lines become headings.
        text = "\n".join(f"\n## {line.strip()}\n" if line.strip() in outline else line for line in text.splitlines())
    title = (meta.title if meta and meta.title else "").strip()
    author = (meta.author if meta and meta.author else "").strip()
    return Converted(title, (), author=author, text=tidy(text))


def _outline_titles(outline: Any) -> set[str]:
    titles: set[str] = set()
    for entry in outline or ():
        if isinstance(entry, list):
            titles |= _outline_titles(entry)
        elif getattr(entry, "title", None):
            titles.add(str(entry.title).strip())
    return titles
