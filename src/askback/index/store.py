"""The built index on disk: passage vectors (FAISS), the passage store, and a manifest.

A build writes only into a folder that is absent, empty or an askback index; it writes into a
temporary folder beside the target and swaps it in only when complete (``swap``), one build at a
time, so a failed build (a broken corpus file, an interrupted run) never costs the last good index.
The manifest records a SHA-256 of every file the build wrote; loading checks them, so a damaged
file is an error naming the fix, never wrong quotes.
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
from askback.corpus.chunking import passage_units, split_passages
from askback.corpus.files import Document, corpus_files, load_corpus, unread_files
from askback.corpus.kinds import kind_of
from askback.errors import BuildError, IndexIncompatibleError, IndexMissingError
from askback.index.embedding import Embedder
from askback.index.swap import build_lock, publish, recover, staging_folder
from askback.records import Article, Passage

__all__ = ["BuildReport", "StoredIndex", "build", "embedding_text", "load", "recorded_path", "signature"]

MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
UNIT_VECTORS = "sentences.faiss"
HEADING_VECTORS = "headings.faiss"
KEYS = "keys.npy"  # one key per vector (passages, sentences, headings): hash of the model and the embedded text
PASSAGES = "passages.json"
VECTOR_FILES = (VECTORS, UNIT_VECTORS, HEADING_VECTORS)
DATA_FILES = (*VECTOR_FILES, KEYS, PASSAGES)  # each with its digest in the manifest
REBUILD = "askback build"
REBUILD_FULL = "askback build --full"


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


@dataclass(frozen=True)
class StoredIndex:
    """A loaded index. ``stale`` lists corpus files changed, removed or added since the build."""

    path: Path
    manifest: dict[str, Any]
    passages: tuple[Passage, ...]
    vectors: Any  # faiss.Index of passages
    units: np.ndarray  # one row per sentence or list item: passage number, start, end
    unit_vectors: Any  # faiss.Index of units, row for row
    headings: tuple[str, ...]  # distinct section headings (the innermost part of a passage's heading)
    heading_vectors: Any  # faiss.Index of headings, row for row
    stale: tuple[str, ...]

    @property
    def heading_of(self) -> np.ndarray:
        """Each passage's row in ``headings``, -1 for a passage under no heading."""
        row = {h: i for i, h in enumerate(self.headings)}
        return np.array([row.get(section_heading(p.heading), -1) for p in self.passages], dtype=np.int64)

    @property
    def usable(self) -> np.ndarray:
        """Mask of passages whose article file still matches the build: only those may be quoted."""
        changed = set(self.stale)
        return np.array([p.article.path not in changed for p in self.passages], dtype=bool)

    def article_file(self, article: Article) -> Path:
        return Path(article.path)


def embedding_text(passage: Passage, with_context: bool) -> str:
    """What gets embedded for a passage: its article title and section heading give it context."""
    if not with_context:
        return passage.text
    heading = f"{passage.heading}. " if passage.heading else ""
    return f"{passage.article.title}. {heading}{passage.text}"


def section_heading(heading: str) -> str:
    """The innermost heading of a passage's "outer › inner" heading path: the section's own title."""
    return heading.rsplit(" › ", 1)[-1]


def passages_of(document: Document, settings: ChunkSettings = CHUNKING) -> list[Passage]:
    text = document.text
    author = document.article.author
    return [
        Passage(
            text[s.start : s.end],
            s.start,
            s.end,
            document.article,
            0.0,
            s.heading,
            kind_of(text[s.start : s.end], s.heading, author),
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
                    staging, documents, corpus, index, embedder, progress, settings, full, indexing, stage or _quiet
                )
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        except BaseException:
            if undo:
                undo()
            raise


def _quiet(_: str) -> None:
    pass


def check_target(index: Path, corpus: Path) -> None:
    """Refuse, before any work, to build into anything but an absent or empty folder or an index."""
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


def _is_index(folder: Path, entries: list[str]) -> bool:
    """askback's own manifest, or askback's data files with a manifest lost or damaged (rebuilding
    is then the fix). A lone ``manifest.json`` is someone else's until it reads as askback's."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(manifest, dict) and {"format", "model", "build_id"} <= manifest.keys():
            return True
    except (OSError, ValueError):
        pass
    return set(entries) <= {*DATA_FILES, MANIFEST} and bool(set(entries) & set(DATA_FILES))


def _build_into(
    staging: Path,
    documents: list[Document],
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
    units = [
        (n, p.start + a, p.start + b) for n, p in enumerate(passages) for a, b in passage_units(p.text, 0, len(p.text))
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
        manifest["digests"] = {name: _digest((staging / name).read_bytes()) for name in DATA_FILES}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _sync(staging)
        publish(staging, index)
    except (OSError, RuntimeError) as exc:  # faiss reports a failed write as RuntimeError
        reason = getattr(exc, "strerror", None) or str(exc).strip().splitlines()[-1]
        raise BuildError(
            f"could not write the index at {index} ({reason}); the previous index is unchanged. "
            "Free disk space or choose another --index"
        ) from None
    seconds = round(time.perf_counter() - started, 2)
    return BuildReport(
        str(index),
        len(documents),
        len(passages),
        len(passages) - embedded,
        embedded,
        removed,
        seconds,
        unread_files(corpus),
    )


def load(path: Path, model_name: str) -> StoredIndex:
    """Load and check an index built for ``model_name``; say what to run when it can't be used."""
    recover(path)
    try:
        return _load(path, model_name)
    except _Moved:
        pass  # a build swapped in a new index while we read: read that one
    try:
        return _load(path, model_name)
    except _Moved:
        raise IndexIncompatibleError(
            f"index at {path}: the manifest and passages.json come from different builds; "
            f"rebuild with: {REBUILD_FULL} --index {path}"
        ) from None


class _Moved(Exception):
    """The manifest and the files read belong to different builds."""


def _load(path: Path, model_name: str) -> StoredIndex:

    manifest_file = path / MANIFEST
    damaged = f"rebuild with: {REBUILD_FULL} --index {path}"
    if not manifest_file.is_file():
        if path.is_dir() and any(p.suffix == ".txt" for p in path.iterdir()):
            raise IndexMissingError(
                f"{path} holds articles, not an index; build their index with: {REBUILD} --corpus {path} --index index"
            )
        raise IndexMissingError(f"no index at {path}; build it with: {REBUILD} --index {path}")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        fmt = manifest.get("format")
    except (ValueError, AttributeError, UnicodeDecodeError):
        raise IndexIncompatibleError(f"{manifest_file} is damaged; {damaged}") from None
    if fmt != INDEX_FORMAT:
        raise IndexIncompatibleError(
            f"index at {path} has format {fmt}, this askback reads format {INDEX_FORMAT}; "
            f"rebuild with: {REBUILD} --index {path}"
        )
    if manifest.get("model") != model_name:
        raise IndexIncompatibleError(
            f"index at {path} was built with model {manifest.get('model')}, not {model_name}; "
            f"rebuild with: {REBUILD} --index {path}"
        )
    try:
        data = _read_verified(path, manifest)
        store = json.loads(data[PASSAGES].decode("utf-8"))
        if store.get("build_id") != manifest.get("build_id"):
            raise _Moved
        vectors, unit_vectors, heading_vectors = (_tune(_faiss(data[name])) for name in VECTOR_FILES)
        headings = tuple(str(h) for h in store["headings"])
        units = np.asarray(store["units"], dtype=np.int64).reshape(-1, 3)
        articles = [Article(**{**a, "path": str(recorded_path(a["path"], path))}) for a in store["articles"]]
        passages = tuple(
            Passage(p["text"], p["start"], p["end"], articles[p["article"]], 0.0, p["heading"], p["kind"])
            for p in store["passages"]
        )
    except _Moved:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, IndexError) as exc:
        raise IndexIncompatibleError(f"index at {path} is damaged ({_first_line(exc)}); {damaged}") from None
    if (
        vectors.ntotal != len(passages)
        or vectors.d != manifest.get("dim")
        or unit_vectors.ntotal != len(units)
        or heading_vectors.ntotal != len(headings)
    ):
        raise IndexIncompatibleError(f"index at {path} is inconsistent; {damaged}")
    return StoredIndex(
        path, manifest, passages, vectors, units, unit_vectors, headings, heading_vectors, _stale_files(manifest, path)
    )


def _read_verified(path: Path, manifest: dict[str, Any]) -> dict[str, bytes]:
    """Every data file of the index, each checked against the digest its build recorded."""
    digests = manifest.get("digests")
    if not isinstance(digests, dict):
        raise ValueError("the manifest records no file digests")
    data = {}
    for name in DATA_FILES:
        content = (path / name).read_bytes()
        if _digest(content) != digests.get(name):
            raise ValueError(f"{name} is not the file its build wrote")
        data[name] = content
    return data


def _faiss(content: bytes) -> Any:
    """A faiss index from the bytes of its file (read once, already checked against its digest)."""
    import faiss

    return faiss.deserialize_index(np.frombuffer(content, dtype=np.uint8))


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1] if text else type(exc).__name__


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


def _tune(found: Any, settings: IndexSettings = INDEXING) -> Any:
    if hasattr(found, "hnsw"):
        found.hnsw.efSearch = settings.ef_search
    return found


def signature(path: Path) -> tuple[int, int, int] | None:
    """Identifies one build of the index at ``path`` (a rebuild swaps in a new manifest file)."""
    try:
        info = (path / MANIFEST).stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


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
        data = _read_verified(index, manifest)
        keys = np.load(io.BytesIO(data[KEYS]))
        stored = [_faiss(data[name]) for name in VECTOR_FILES]
        vectors = np.vstack([v.reconstruct_n(0, v.ntotal) for v in stored])
        passages = int(manifest["passages"])
    except (OSError, ValueError, RuntimeError, AttributeError, KeyError, TypeError, UnicodeDecodeError):
        return {}, set()  # no usable previous build: embed everything
    if len(keys) != len(vectors):
        return {}, set()
    return dict(zip(keys.tolist(), vectors, strict=True)), set(keys[:passages].tolist())


def _stale_files(manifest: dict[str, Any], index: Path) -> tuple[str, ...]:
    stale = []
    known = manifest.get("files", {})
    for shown, digest in known.items():
        file = recorded_path(shown, index)
        try:
            current = hashlib.sha256(file.read_text(encoding="utf-8").encode("utf-8")).hexdigest()
        except (OSError, UnicodeDecodeError):
            current = None
        if current != digest:
            stale.append(str(file))
    corpus = recorded_path(manifest.get("corpus", ""), index)
    if corpus.is_dir():
        built = {recorded_path(p, index) for p in known}
        stale += [
            str(p) for p in (Path(os.path.abspath(f)) for f in corpus_files(corpus, strict=False)) if p not in built
        ]
    return tuple(stale)


def _recorded(path: str, index: Path) -> str:
    """How an index records a corpus path: relative to the index's parent folder, so that a project
    (corpus and index side by side) can move, and so that no reader depends on its working folder."""
    return os.path.relpath(os.path.abspath(path), os.path.dirname(os.path.abspath(index)))


def recorded_path(recorded: str, index: Path) -> Path:
    """The absolute path of a recorded corpus path (relative to the index's parent folder)."""
    return Path(os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(index)), recorded)))
