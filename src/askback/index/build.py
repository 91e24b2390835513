"""Building an index from a corpus: passages, their vectors, and the manifest.

A build writes only into a folder that is absent, empty or an askback index holding only the files
a build wrote (any other file there is named and the build refused: none is deleted); it writes into a
temporary folder beside the target and swaps it in only when complete (``swap``), one build at a
time, so a failed build (a broken corpus file, a malformed ``askback.toml``, an interrupted run)
never costs the last good index. Vectors of texts the last build embedded are reused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from askback.config import (
    CHUNKING,
    INDEX_FORMAT,
    INDEXING,
    RETRIEVAL,
    VERSION,
    ChunkSettings,
    IndexSettings,
    RetrievalSettings,
)
from askback.corpus.bot import Bot, read_bot
from askback.corpus.chunking import passage_units, section_heading, split_passages
from askback.corpus.files import Document, load_corpus, unread_files
from askback.corpus.kinds import BOILERPLATE, CODE, FRAGMENT, PARAMETERS, boilerplate, kind_of
from askback.errors import BuildError
from askback.index.changes import ReadArticle, RemovedArticle, changed_articles
from askback.index.embedding import Embedder
from askback.index.store import (
    DATA_FILES,
    HEADING_VECTORS,
    KEYS,
    MANIFEST,
    PASSAGES,
    UNIT_VECTORS,
    VECTOR_FILES,
    VECTORS,
    digest,
    read_faiss,
    read_verified,
)
from askback.index.swap import build_lock, publish, staging_folder
from askback.index.taught import TAUGHT_FILES, record_taught
from askback.records import Passage

__all__ = ["BuildReport", "build", "embedding_text", "passages_of", "vector_index"]


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI summary and ``--json``. Counts are of passages: ``reused`` kept
    their vectors from the previous build, ``embedded`` are new or changed, ``removed`` are gone."""

    index: str
    articles: int
    passages: int
    reused: int
    embedded: int
    removed: int
    seconds: float
    unread: tuple[str, ...] = ()  # files in the corpus folder that are not corpus files (use askback add)
    safety_list: bool = False  # the corpus's askback.toml gives red flags and urgent passages
    taught: int = 0  # taught pairs (taught.jsonl) the index uses
    stale_taught: tuple[str, ...] = ()  # taught pairs whose quote is no longer in their article: not used
    read: tuple[ReadArticle, ...] = ()  # the articles new or changed since the last build
    gone: tuple[RemovedArticle, ...] = ()  # the articles the last build held whose files are gone


def embedding_text(passage: Passage, with_context: bool) -> str:
    """What gets embedded for a passage: its article title and section heading give it context."""
    if not with_context:
        return passage.text
    heading = f"{passage.heading}. " if passage.heading else ""
    return f"{passage.article.title}. {heading}{passage.text}"


def passages_of(document: Document, settings: ChunkSettings = CHUNKING) -> list[Passage]:
    text = document.text
    author, title = document.article.author, document.article.title
    return [
        Passage(
            text[s.start : s.end],
            s.start,
            s.end,
            document.article,
            0.0,
            s.heading,
            CODE if s.code else PARAMETERS if s.entries else kind_of(text[s.start : s.end], s.heading, author, title),
        )
        for s in split_passages(text, document.body_start, settings)
    ]


def build(
    corpus: Path,
    index: Path,
    embedder: Embedder,
    progress: Callable[[int, int], None] | None = None,
    settings: RetrievalSettings = RETRIEVAL,
    full: bool = False,
    indexing: IndexSettings = INDEXING,
    stage: Callable[[str], None] | None = None,
    edit: Callable[[], Callable[[], None]] | None = None,
) -> BuildReport:
    """Read ``corpus``, embed what is new since the last build (everything if ``full``) and replace
    ``index`` with the result, all or nothing. ``stage`` hears of each slow step before it starts.

    ``edit`` changes the corpus under the build lock, once the target is known to be an index, and
    returns how to undo its change; a build that then fails undoes it (``askback add``)."""
    check_target(index, corpus)
    bot = read_bot(corpus)  # a malformed askback.toml fails here, before anything is written
    with build_lock(index):
        undo = edit() if edit else None
        try:
            documents = load_corpus(corpus)
            staging = staging_folder(index)
            try:
                staging.mkdir(parents=True)  # before the embedding work: a read-only disk fails here, at once
            except OSError as exc:
                raise BuildError(f"cannot write beside {index} ({exc.strerror}); choose a writable --index") from None
            try:
                return _build_into(
                    staging,
                    documents,
                    bot,
                    corpus,
                    index,
                    embedder,
                    progress,
                    settings,
                    full,
                    indexing,
                    stage or (lambda _: None),
                )
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        except BaseException:
            if undo:
                undo()
            raise


def check_target(index: Path, corpus: Path) -> None:
    """Refuse, before any work, to build into anything but an absent or empty folder or an index
    holding only the files its build wrote: a build replaces the folder whole, and must not take a
    user's file with it."""
    if index.is_symlink() or (index.exists() and not index.is_dir()):
        raise BuildError(f"{index} is a file, not an index folder; choose a new or empty folder for --index")
    if index.resolve() == corpus.resolve() or index.resolve() in corpus.resolve().parents:
        raise BuildError(f"{index} holds the corpus {corpus}; choose a separate folder for --index")
    if index.is_dir():
        entries = sorted(p.name for p in index.iterdir())
        if entries and not _is_index(index, entries):
            shown = ", ".join(entries[:4]) + (", ..." if len(entries) > 4 else "")
            raise BuildError(
                f"{index} is not an askback index (it holds {shown}) and a build would replace it; "
                "choose a new or empty folder for --index"
            )
        foreign = [name for name in entries if name not in _written(index)]
        if foreign:
            shown = ", ".join(foreign[:4]) + (", ..." if len(foreign) > 4 else "")
            raise BuildError(
                f"{index} holds {shown}, which no build wrote, and a build replaces the whole folder; "
                "move it out of the index folder, then build again"
            )


def _is_index(folder: Path, entries: list[str]) -> bool:
    """askback's own manifest, or askback's data files with a manifest lost or damaged (rebuilding
    is then the fix). A lone ``manifest.json`` is someone else's until it reads as askback's."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(manifest, dict) and {"format", "model", "build_id"} <= manifest.keys():
            return True
    except (OSError, ValueError):
        pass
    return set(entries) <= {*DATA_FILES, MANIFEST, *TAUGHT_FILES} and bool(set(entries) & set(DATA_FILES))


def _written(folder: Path) -> set[str]:
    """The files of an index folder that its build wrote: the manifest and those it names."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        named = set(manifest["digests"]) if isinstance(manifest.get("digests"), dict) else set()
    except (OSError, ValueError, AttributeError, KeyError):
        named = set()
    return {MANIFEST, *DATA_FILES, *named}


def _build_into(
    staging: Path,
    documents: list[Document],
    bot: Bot,
    corpus: Path,
    index: Path,
    embedder: Embedder,
    progress: Callable[[int, int], None] | None,
    settings: RetrievalSettings,
    full: bool,
    indexing: IndexSettings,
    stage: Callable[[str], None],
) -> BuildReport:
    import faiss

    started = time.perf_counter()
    build_id = uuid.uuid4().hex
    passages = [p for doc in documents for p in passages_of(doc)]
    shared = boilerplate([(p.article.title, p.article.path, p.text) for p in passages])
    passages = [
        dataclasses.replace(p, kind=BOILERPLATE) if n in shared and p.kind not in (FRAGMENT, CODE) else p
        for n, p in enumerate(passages)
    ]
    taught = record_taught(staging, corpus, documents, passages, embedder, index, build_id, full)
    # Code is matched as a whole: its lines are not sentences.
    units = [
        (n, p.start + a, p.start + b)
        for n, p in enumerate(passages)
        if p.kind != CODE
        for a, b in passage_units(p.text, 0, len(p.text))
    ]
    headings = list(dict.fromkeys(section_heading(p.heading) for p in passages if p.heading))
    texts = [embedding_text(p, settings.embed_context) for p in passages]
    # Sentences are embedded bare: a sentence that answers on its own should match on its own words.
    texts += [passages[n].text[a - passages[n].start : b - passages[n].start] for n, a, b in units]
    texts += headings
    keys = np.array([_key(embedder.name, t) for t in texts], dtype=np.int64)
    previous, previous_passages = ({}, set()) if full else _previous_vectors(index, embedder.name)
    missing = [i for i, k in enumerate(keys.tolist()) if k not in previous]
    # The same text (a repeated sentence) is embedded once.
    first_of: dict[int, int] = {}
    for i in missing:
        first_of.setdefault(int(keys[i]), i)
    unique = list(first_of.values())
    done = 0

    def on_batch(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(unique))

    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys.tolist()):
        if k in previous:
            vectors[i] = previous[k]
    if unique:
        stage(f"embedding {len(unique)} new or changed texts (loading the embedding model first)")
    fresh = dict(zip(first_of, embedder.encode([texts[i] for i in unique], on_batch=on_batch), strict=True))
    for i in missing:
        vectors[i] = fresh[int(keys[i])]
    flat = vector_index(vectors[: len(passages)], indexing)
    unit_flat = vector_index(vectors[len(passages) : len(passages) + len(units)], indexing)
    heading_flat = vector_index(vectors[len(passages) + len(units) :], indexing)
    embedded = sum(1 for i in missing if i < len(passages))
    read, gone = changed_articles(index, documents, passages, lambda path: _recorded(path, index))
    removed = len(previous_passages - set(keys[: len(passages)].tolist()))
    manifest = {
        "format": INDEX_FORMAT,
        "askback_version": VERSION,
        "model": embedder.name,
        "dim": embedder.dim,
        "embed_context": settings.embed_context,
        "chunking": dataclasses.asdict(CHUNKING),
        "corpus": _recorded(str(corpus), index),
        "files": {_recorded(doc.article.path, index): doc.sha256 for doc in documents},
        "articles": len(documents),
        "passages": len(passages),
        "units": len(units),
        "headings": len(headings),
        "search": {"passages": _kind(flat), "sentences": _kind(unit_flat), **dataclasses.asdict(indexing)},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_id": build_id,
        "bot": dataclasses.asdict(bot),
    }
    articles = [doc.article for doc in documents]
    number = {a.path: i for i, a in enumerate(articles)}
    store = {
        "build_id": build_id,
        "articles": [{**dataclasses.asdict(a), "path": _recorded(a.path, index)} for a in articles],
        "passages": [
            {
                "article": number[p.article.path],
                "start": p.start,
                "end": p.end,
                "heading": p.heading,
                "kind": p.kind,
                "text": p.text,
            }
            for p in passages
        ],
        "units": units,
        "headings": headings,
    }
    try:
        faiss.write_index(flat, str(staging / VECTORS))
        faiss.write_index(unit_flat, str(staging / UNIT_VECTORS))
        faiss.write_index(heading_flat, str(staging / HEADING_VECTORS))
        np.save(staging / KEYS, keys)
        (staging / PASSAGES).write_text(json.dumps(store, ensure_ascii=False), encoding="utf-8")
        manifest["digests"] = {name: digest((staging / name).read_bytes()) for name in DATA_FILES} | taught.digests
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _sync(staging)
        check_target(index, corpus)  # again: a file put in the folder while the build ran is not lost
        publish(staging, index)
    except (OSError, RuntimeError) as exc:  # faiss reports a failed write as RuntimeError
        reason = getattr(exc, "strerror", None) or str(exc).strip().splitlines()[-1]
        raise BuildError(
            f"could not write the index at {index} ({reason}); the previous index is unchanged. "
            "Free disk space or choose another --index"
        ) from None
    return BuildReport(
        str(index),
        len(documents),
        len(passages),
        len(passages) - embedded,
        embedded,
        removed,
        round(time.perf_counter() - started, 2),
        unread_files(corpus),
        bool(bot.safety.red_flags and bot.safety.urgent),
        taught.used,
        taught.stale,
        read,
        gone,
    )


def _sync(folder: Path) -> None:
    """Flush the build's files to disk before it is published, so a power cut cannot publish holes."""
    for file in folder.iterdir():
        with open(file, "rb") as handle:
            os.fsync(handle.fileno())


def vector_index(vectors: np.ndarray, settings: IndexSettings = INDEXING) -> Any:
    """Exact inner-product search for small sets, HNSW (approximate, much faster) for large ones."""
    import faiss

    dim = vectors.shape[1]
    found: Any
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if len(vectors) > settings.approximate_above:
        fp16 = faiss.ScalarQuantizer.QT_fp16
        found = faiss.IndexHNSWSQ(dim, fp16, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)  # type: ignore[arg-type]
        found.hnsw.efConstruction = settings.ef_construction
        found.train(vectors)  # fp16 needs no statistics; faiss still wants the call
    else:
        found = faiss.IndexFlatIP(dim)
    found.add(vectors)
    return found


def _kind(found: Any) -> str:
    return "hnsw" if hasattr(found, "hnsw") else "exact"


def _key(model: str, text: str) -> int:
    digest = hashlib.blake2b(f"{model}\x00{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _previous_vectors(index: Path, model: str) -> tuple[dict[int, np.ndarray], set[int]]:
    """The last build's vectors by key and its passages' keys, if it was made by the same model and
    its files are the ones it wrote; else nothing (everything is embedded again). A key names the
    model and the embedded text, so vectors survive changes of chunking or format."""
    try:
        manifest = json.loads((index / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("model") != model:
            return {}, set()
        data = read_verified(index, manifest)
        keys = np.load(io.BytesIO(data[KEYS]))
        stored = [read_faiss(data[name]) for name in VECTOR_FILES]
        vectors = np.vstack([v.reconstruct_n(0, v.ntotal) for v in stored])
        passages = int(manifest["passages"])
    except (OSError, ValueError, RuntimeError, AttributeError, KeyError, TypeError, UnicodeDecodeError):
        return {}, set()  # no usable previous build: embed everything
    if len(keys) != len(vectors):
        return {}, set()
    return dict(zip(keys.tolist(), vectors, strict=True)), set(keys[:passages].tolist())


def _recorded(path: str, index: Path) -> str:
    """How an index records a corpus path: relative to the index's parent folder (links resolved), so that a project
    (corpus and index side by side) can move, and so that no reader depends on its working folder."""
    return os.path.relpath(os.path.abspath(path), os.path.dirname(os.path.realpath(index)))
