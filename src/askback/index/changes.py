"""The articles a build (re)reads and those it no longer holds, since the index's last build: each
read one with what it keeps and what ``askback add`` left out of its document, each removed one by
its file and title, so ``askback build`` says what it did."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from askback.corpus.converters.structure import code_blocks
from askback.corpus.files import Document
from askback.index.store import MANIFEST, PASSAGES, recorded_path
from askback.records import Passage

__all__ = ["ReadArticle", "RemovedArticle", "changed_articles"]


@dataclass(frozen=True)
class ReadArticle:
    """One corpus file a build read anew: its words, passages and code samples, and the words its
    document's conversion left out, by kind (none for a file written by hand)."""

    corpus_file: str
    title: str
    words: int
    passages: int
    code_blocks: int
    left_out_kinds: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class RemovedArticle:
    """An article the last build held whose corpus file is gone: its passages are removed."""

    corpus_file: str
    title: str


def changed_articles(
    index: Path, documents: Sequence[Document], passages: Sequence[Passage], recorded: Callable[[str], str]
) -> tuple[tuple[ReadArticle, ...], tuple[RemovedArticle, ...]]:
    """The documents whose text the last build of ``index`` (if any) did not hold, and the articles
    it held that ``documents`` no longer has."""
    try:
        files = json.loads((index / MANIFEST).read_text(encoding="utf-8")).get("files")
        known = {str(k): v for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        known = {}
    passages_of: dict[str, int] = {}
    for p in passages:
        passages_of[p.article.path] = passages_of.get(p.article.path, 0) + 1
    read = tuple(
        ReadArticle(
            doc.article.path,
            doc.article.title,
            len(doc.text[doc.body_start :].split()),
            passages_of.get(doc.article.path, 0),
            code_blocks(doc.text[doc.body_start :]),
            doc.left_out,
        )
        for doc in documents
        if known.get(recorded(doc.article.path)) != doc.sha256
    )
    gone = sorted(set(known) - {recorded(doc.article.path) for doc in documents})
    return read, tuple(RemovedArticle(str(recorded_path(f, index)), _titles(index).get(f, "")) for f in gone)


def _titles(index: Path) -> dict[str, str]:
    """The titles of the articles an index holds, by their recorded path (none when unreadable)."""
    try:
        articles = json.loads((index / PASSAGES).read_text(encoding="utf-8")).get("articles", [])
        return {str(a["path"]): str(a["title"]) for a in articles}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}
