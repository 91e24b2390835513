"""Reading corpus files: a metadata header, then the article text, verbatim.

A corpus file looks like this (fields may be empty, ``title`` may not)::

    ---
    title: Composting at Home: Does It Work?
    title_inferred: no
    author: Michael Zhang
    publisher:
    published: 2025-01-31
    url: https://example.org/composting
    source:
    left_out:
    ---
    The article text, exactly as published...

Offsets everywhere in askback index the file's text as ``Path.read_text(encoding="utf-8")`` returns it.

The corpus is the only source of text askback serves: every read of an article file (the build, the
quote check, ``/api/articles``, the chat's source panel) goes through ``open_article``, which opens a
regular file without following a symbolic link and checks it on the open descriptor. A link in the
corpus (a cloned bot folder can ship one, or one can replace a file after the build) is refused,
never followed to its target.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from askback.corpus.bot import BOT_FILE
from askback.corpus.taught import TAUGHT_FILE
from askback.errors import CorpusError
from askback.records import Article

__all__ = [
    "Document",
    "corpus_files",
    "header",
    "left_out_kinds",
    "left_out_text",
    "load_corpus",
    "open_article",
    "parse_document",
    "read_article",
    "read_document",
    "refuse_duplicates",
    "unread_files",
]

FENCE = "---"
FIELDS = ("title", "title_inferred", "author", "publisher", "published", "url", "source", "left_out")
SUFFIX = ".txt"
LINK_REFUSED = "a symbolic link, not an article file; askback reads only files in the corpus folder: put the file there"
_LEFT_OUT = re.compile(r"(\d+) words? of ([^,]+)")
FORMAT_HINT = "a corpus file starts with a '---' line, 'key: value' lines (title required), and a closing '---' line"


@dataclass(frozen=True)
class Document:
    """An article with its full file text; the body starts at ``body_start``."""

    article: Article
    text: str
    body_start: int
    left_out: tuple[tuple[str, int], ...] = ()  # words its document's conversion left out, by kind

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def header(fields: Mapping[str, object]) -> str:
    """The metadata header of a corpus file: every field in order, each value on one line, "" when
    the document does not state it."""
    lines = [f"{key}: {' '.join(str(fields.get(key, '')).split())}".rstrip() for key in FIELDS]
    return "\n".join([FENCE, *lines, FENCE]) + "\n"


def left_out_text(kinds: Sequence[tuple[str, int]]) -> str:
    """The ``left_out`` header field: "35 words of comments, 2 words of labels"."""
    return ", ".join(f"{words} word{'s' if words != 1 else ''} of {kind}" for kind, words in kinds)


def left_out_kinds(field: str) -> tuple[tuple[str, int], ...]:
    """The kinds of content and their words that a ``left_out`` header field names."""
    return tuple((kind.strip(), int(words)) for words, kind in _LEFT_OUT.findall(field))


def open_article(path: Path) -> TextIO:
    """The article file ``path`` opened as UTF-8 text (newlines read as ``Path.read_text`` reads them).

    The last part of the path is not followed if it is a link (``O_NOFOLLOW``), and the opened file
    must be a regular one (checked with ``fstat`` on the descriptor, so nothing swapped in between a
    check and the open gets through; ``O_NONBLOCK`` keeps a FIFO from hanging the open). A
    CorpusError names the file and the problem."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # EMLINK: the BSDs' word for it
            raise CorpusError(f"{path}: {LINK_REFUSED}") from None
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise CorpusError(f"{path}: not a regular file; replace it with a text file or remove it")
        os.set_blocking(fd, True)
        return os.fdopen(fd, encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def read_article(path: Path, shown: str | None = None) -> str:
    """The text of the article file ``path`` (``open_article``); errors name it as ``shown``."""
    try:
        with open_article(path) as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{shown or path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise CorpusError(f"{shown or path}: cannot read ({exc.strerror})") from None


def read_document(path: Path, display_path: str | None = None) -> Document:
    """Read and check one corpus file; errors name the file and the problem."""
    shown = display_path or str(path)
    return parse_document(read_article(path, shown), path, shown)


def parse_document(text: str, path: Path, shown: str) -> Document:
    """Check the text of the corpus file ``path`` (read already); errors name it as ``shown``."""
    fields, body_start = _parse_header(text, shown)
    if not text[body_start:].strip():
        raise CorpusError(f"{shown}: the article text after the header is empty")
    article = Article(
        id=path.stem,
        title=fields["title"],
        path=shown,
        author=fields.get("author", ""),
        publisher=fields.get("publisher", ""),
        published=fields.get("published", ""),
        url=fields.get("url", ""),
        title_inferred=fields.get("title_inferred", "").lower() in ("yes", "true"),
    )
    return Document(article, text, body_start, left_out_kinds(fields.get("left_out", "")))


def corpus_files(folder: Path, strict: bool = True) -> list[Path]:
    """The article files of ``folder``: its visible ``*.txt`` regular files, sorted by name.

    With ``strict``, a ``*.txt`` entry that is a link or not a regular file (a FIFO, a device, a
    folder) is a CorpusError naming it: a link could serve any file of the machine, and reading a
    FIFO would wait forever. Otherwise it is passed over."""
    paths = []
    for path in sorted(folder.iterdir()):
        if path.suffix != SUFFIX or path.name.startswith("."):
            continue
        try:
            mode = path.lstat().st_mode  # the entry itself: a link is not followed
        except OSError:
            mode = 0  # gone since the listing
        if stat.S_ISREG(mode):
            paths.append(path)
        elif strict and stat.S_ISLNK(mode):
            raise CorpusError(f"{path}: {LINK_REFUSED}")
        elif strict:
            raise CorpusError(f"{path}: not a regular file; replace it with a text file or remove it")
    return paths


def unread_files(folder: Path) -> tuple[str, ...]:
    """Names of the visible entries of ``folder`` that a build does not read (not ``*.txt`` files):
    a web page or PDF dropped in here is named, not skipped in silence."""
    try:
        return tuple(
            p.name
            for p in sorted(folder.iterdir())
            if not p.name.startswith(".") and p.suffix != SUFFIX and p.name not in (BOT_FILE, TAUGHT_FILE)
        )
    except OSError:
        return ()


def load_corpus(folder: Path) -> list[Document]:
    """Every article file of ``folder`` (``corpus_files``); refuses an empty folder and duplicates."""
    if folder.exists() and not folder.is_dir():
        raise CorpusError(f"corpus {folder} is a file, not a folder; pass the folder of article files with --corpus")
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist; create it and add article files ({SUFFIX})")
    paths = corpus_files(folder)
    if not paths:
        raise CorpusError(f"corpus folder {folder} has no {SUFFIX} article files; add at least one")
    documents = [read_document(p, str(p)) for p in paths]
    refuse_duplicates(documents)
    return documents


def _parse_header(text: str, shown: str) -> tuple[dict[str, str], int]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].lstrip("\ufeff").strip() != FENCE:
        raise CorpusError(f"{shown}: no metadata header; {FORMAT_HINT}")
    fields: dict[str, str] = {}
    offset = len(lines[0])
    for number, line in enumerate(lines[1:], start=2):
        offset += len(line)
        stripped = line.strip()
        if stripped == FENCE:
            break
        key, sep, value = stripped.partition(":")
        key = key.strip().lower()
        if not sep or key not in FIELDS:
            raise CorpusError(f"{shown}, line {number}: expected 'key: value' with a key among {', '.join(FIELDS)}")
        if key in fields:
            raise CorpusError(f"{shown}, line {number}: field '{key}' given twice")
        fields[key] = value.strip()
    else:
        raise CorpusError(f"{shown}: the metadata header is not closed; {FORMAT_HINT}")
    if not fields.get("title"):
        raise CorpusError(
            f"{shown}: the header has no title; add 'title: ...' (and 'title_inferred: yes' if you made it up)"
        )
    return fields, offset


def refuse_duplicates(documents: list[Document]) -> None:
    """A CorpusError when two documents hold the same text or state the same address."""
    seen: dict[str, str] = {}
    for doc in documents:
        body = " ".join(doc.text[doc.body_start :].split())
        for key in (hashlib.sha256(body.encode()).hexdigest(), doc.article.url):
            if key and key in seen:
                raise CorpusError(f"{doc.article.path}: the same article as {seen[key]}; remove one of them")
            if key:
                seen[key] = doc.article.path
