"""Taught questions in the index: each pair of the corpus's ``taught.jsonl`` resolved to the
passages that hold its quote, and each taught question embedded, so a question close to one can be
matched without the corpus.

Two files beside the passages, written only when something is taught: ``taught.json`` (the pairs,
their spans and passage numbers, the build's id) and ``taught.npy`` (one vector per distinct
question). The manifest records their digests like the others'; a file that does not match is not
used. A taught question's vector is reused from the last build when the same model embedded it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from askback.corpus.files import Document
from askback.corpus.taught import TaughtPair, find_quote, read_taught
from askback.index.embedding import Embedder
from askback.index.store import MANIFEST, digest
from askback.records import Passage

__all__ = [
    "TAUGHT",
    "TAUGHT_FILES",
    "TAUGHT_VECTORS",
    "Recorded",
    "Taught",
    "TaughtSpan",
    "load_taught",
    "record_taught",
]

TAUGHT = "taught.json"
TAUGHT_VECTORS = "taught.npy"
TAUGHT_FILES = (TAUGHT, TAUGHT_VECTORS)


@dataclass(frozen=True)
class TaughtSpan:
    """One usable pair: taught question number ``question`` is answered at ``start:end`` of
    article ``article`` (its id), held by the index's passages ``passages`` (numbers, in order)."""

    question: int
    article: str
    start: int
    end: int
    passages: tuple[int, ...]


@dataclass(frozen=True)
class Taught:
    """The taught questions of one build: ``vectors`` row for row with ``questions``."""

    questions: tuple[str, ...]
    vectors: np.ndarray
    spans: tuple[TaughtSpan, ...]


@dataclass(frozen=True)
class Recorded:
    """What a build did with the taught pairs: how many it uses, which it found stale (each a line
    naming the question and why), and the digests of the files it wrote."""

    used: int
    stale: tuple[str, ...]
    digests: dict[str, str]


def record_taught(
    staging: Path,
    corpus: Path,
    documents: Sequence[Document],
    passages: Sequence[Passage],
    embedder: Embedder,
    previous: Path,
    build_id: str,
    full: bool = False,
) -> Recorded:
    """Resolve the corpus's taught pairs against this build's passages and write them to ``staging``.

    Raises:
        CorpusError: ``taught.jsonl`` is malformed (the build stops; the last index stays)."""
    pairs = read_taught(corpus)
    if not pairs:
        return Recorded(0, (), {})
    by_id = {doc.article.id: doc for doc in documents}
    numbers: dict[str, list[tuple[int, Passage]]] = {}
    for n, p in enumerate(passages):
        numbers.setdefault(p.article.path, []).append((n, p))
    questions: dict[str, int] = {}
    spans, stale = [], []
    for pair in pairs:
        span, why = _resolve(pair, by_id, numbers)
        if span is None:
            stale.append(f"“{pair.question}”: {why}")
            continue
        q = questions.setdefault(pair.question, len(questions))
        spans.append(TaughtSpan(q, pair.article, *span))
    if not spans:
        return Recorded(0, tuple(stale), {})
    texts = list(questions)
    known = {} if full else _previous_vectors(previous, embedder.name)
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    missing = [i for i, t in enumerate(texts) if t not in known]
    for i, t in enumerate(texts):
        if t in known:
            vectors[i] = known[t]
    if missing:
        vectors[missing] = embedder.encode([texts[i] for i in missing])
    store = {
        "build_id": build_id,
        "questions": texts,
        "spans": [[s.question, s.article, s.start, s.end, list(s.passages)] for s in spans],
    }
    (staging / TAUGHT).write_text(json.dumps(store, ensure_ascii=False), encoding="utf-8")
    np.save(staging / TAUGHT_VECTORS, vectors)
    digests = {name: digest((staging / name).read_bytes()) for name in TAUGHT_FILES}
    return Recorded(len(spans), tuple(stale), digests)


def _resolve(
    pair: TaughtPair, documents: dict[str, Document], numbers: dict[str, list[tuple[int, Passage]]]
) -> tuple[tuple[int, int, tuple[int, ...]] | None, str]:
    doc = documents.get(pair.article)
    if doc is None:
        return None, f"no article “{pair.article}” in the corpus any more"
    found = find_quote(pair.quote, doc.text, doc.body_start)
    if found is None:
        return None, f"its quote is no longer in {pair.article}; teach it again with the article's new words"
    start, end = found
    held = tuple(n for n, p in numbers.get(doc.article.path, []) if p.start < end and start < p.end)
    if not held:
        return None, f"its quote is in no passage of {pair.article}"
    return (start, end, held), ""


def _previous_vectors(index: Path, model: str) -> dict[str, np.ndarray]:
    """The last build's taught questions' vectors, by question, when the same model made them."""
    try:
        manifest = json.loads((index / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("model") != model:
            return {}
        taught = load_taught(index, manifest)
    except (OSError, ValueError, AttributeError):
        return {}
    if taught is None:
        return {}
    return dict(zip(taught.questions, taught.vectors, strict=True))


def load_taught(index: Path, manifest: dict[str, Any]) -> Taught | None:
    """The build's taught questions; None when nothing is taught or the files are not the ones
    this build wrote (a taught question is then not used: answers are as if untaught)."""
    digests = manifest.get("digests")
    if not isinstance(digests, dict) or TAUGHT not in digests:
        return None
    try:
        content = {name: (index / name).read_bytes() for name in TAUGHT_FILES}
        if any(digest(data) != digests.get(name) for name, data in content.items()):
            return None
        store = json.loads(content[TAUGHT].decode("utf-8"))
        if store.get("build_id") != manifest.get("build_id"):
            return None
        vectors = np.load(io.BytesIO(content[TAUGHT_VECTORS]), allow_pickle=False).astype(np.float32)
        questions = tuple(str(q) for q in store["questions"])
        spans = tuple(
            TaughtSpan(int(q), str(a), int(s), int(e), tuple(map(int, p))) for q, a, s, e, p in store["spans"]
        )
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
    if len(vectors) != len(questions):
        return None
    return Taught(questions, vectors, spans)
