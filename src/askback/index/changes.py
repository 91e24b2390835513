"""The articles a build (re)reads: new or changed since the index's last build, each with what it
keeps and what ``askback add`` left out of its document, so ``askback build`` says what it did."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from askback.corpus.converters.structure import code_blocks
from askback.corpus.files import Document
from askback.records import Passage

__all__ = ["ReadArticle", "read_articles"]


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


def read_articles(
    previous_manifest: Path, documents: Sequence[Document], passages: Sequence[Passage], recorded: Callable[[str], str]
) -> tuple[ReadArticle, ...]:
    """The documents whose text the last build (its manifest, if any) did not hold."""
    try:
        files = json.loads(previous_manifest.read_text(encoding="utf-8")).get("files")
        known = {str(k): v for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        known = {}
    passages_of: dict[str, int] = {}
    for p in passages:
        passages_of[p.article.path] = passages_of.get(p.article.path, 0) + 1
    return tuple(
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
