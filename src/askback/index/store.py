"""The built index on disk: passage vectors (FAISS), the passage store, and a manifest; loading it.

The manifest records a SHA-256 of every file the build wrote; loading checks them, so a damaged
file is an error naming the fix, never wrong quotes. It also records the corpus's bot
(``askback.toml``), so a served index needs no corpus to know its voice.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from askback.config import INDEX_ENV, INDEX_FORMAT, INDEXING, SHIPPED_INDEX, IndexSettings
from askback.corpus.bot import Bot
from askback.corpus.chunking import section_heading
from askback.corpus.files import corpus_files, read_article
from askback.errors import CorpusError, IndexIncompatibleError, IndexMissingError
from askback.index.swap import leftovers, recover
from askback.records import Article, Passage

__all__ = ["StoredIndex", "default_index_path", "load", "recorded_path", "signature"]

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

    @functools.cached_property
    def titles(self) -> tuple[str, ...]:
        """The articles' titles, in corpus order (one per article, even when two share a title)."""
        return tuple(article.title for article in dict.fromkeys(p.article for p in self.passages))

    @functools.cached_property
    def bot(self) -> Bot:
        """The corpus's bot as the build recorded it (the neutral one for an index without)."""
        return Bot.from_record(self.manifest.get("bot") or {})


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
            # A bot's folder holds its corpus and its index side by side; any other folder of
            # articles gets its index inside it (beside "/tmp" would be "/index").
            beside = path.parent / "index" if path.name == "corpus" else path / "index"
            not_index = f"{path} holds articles, not an index"
            if (beside / MANIFEST).is_file():
                raise IndexMissingError(f"{not_index}; their index is {beside}: use --index {beside}")
            raise IndexMissingError(f"{not_index}; build their index with: {REBUILD} --corpus {path} --index {beside}")
        if (path / "index" / MANIFEST).is_file():  # a bot's folder (askback init): its index is inside
            raise IndexMissingError(
                f"{path} is a bot's folder; its index is {path / 'index'}: use --index {path / 'index'}"
            )
        corpus = "" if Path("corpus").is_dir() else " --corpus DIR"  # outside a bot's folder, name the corpus
        raise IndexMissingError(f"no index at {path}; build it with: {REBUILD}{corpus} --index {path}")
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
    try:
        Bot.from_record(manifest.get("bot") or {}).safety.check()
    except CorpusError as exc:  # recorded by an askback whose patterns were not RE2's
        raise IndexIncompatibleError(
            f"index at {path}: its safety list: {exc}; fix askback.toml, then {REBUILD}"
        ) from None
    if manifest.get("model") != model_name:
        raise IndexIncompatibleError(
            f"index at {path} was built with model {manifest.get('model')}, not {model_name}; "
            f"rebuild with: {REBUILD} --index {path}"
        )
    try:
        data = read_verified(path, manifest)
        store = json.loads(data[PASSAGES].decode("utf-8"))
        if store.get("build_id") != manifest.get("build_id"):
            raise _Moved
        vectors, unit_vectors, heading_vectors = (_tune(read_faiss(data[name])) for name in VECTOR_FILES)
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


def read_verified(path: Path, manifest: dict[str, Any]) -> dict[str, bytes]:
    """Every data file of the index, each checked against the digest its build recorded."""
    digests = manifest.get("digests")
    if not isinstance(digests, dict):
        raise ValueError("the manifest records no file digests")
    data = {}
    for name in DATA_FILES:
        content = (path / name).read_bytes()
        if digest(content) != digests.get(name):
            raise ValueError(f"{name} is not the file its build wrote")
        data[name] = content
    return data


def read_faiss(content: bytes) -> Any:
    """A faiss index from the bytes of its file (read once, already checked against its digest)."""
    import faiss

    return faiss.deserialize_index(np.frombuffer(content, dtype=np.uint8))


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1] if text else type(exc).__name__


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


def _stale_files(manifest: dict[str, Any], index: Path) -> tuple[str, ...]:
    stale = []
    known = manifest.get("files", {})
    for shown, digest in known.items():
        file = recorded_path(shown, index)
        try:
            current = hashlib.sha256(read_article(file).encode("utf-8")).hexdigest()
        except CorpusError:  # gone, a link, not a regular file, not UTF-8
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


def recorded_path(recorded: str, index: Path) -> Path:
    """The absolute path of a recorded corpus path (relative to the index's parent folder, links
    resolved: an index reached through a link finds its articles)."""
    return Path(os.path.normpath(os.path.join(os.path.dirname(os.path.realpath(index)), recorded)))


def default_index_path() -> Path:
    """$ASKBACK_INDEX, else ./index when it exists (or a crash left its copy), else the index
    shipped beside the package."""
    env = os.environ.get(INDEX_ENV)
    if env:
        return Path(env)
    local = Path("index")
    # A ./index that a crash left without its manifest, or only as the .index.old-* it can be
    # recovered from, is still the user's index: loading it recovers it or names the rebuild.
    # Answering from the shipped index instead would ignore the user's articles in silence.
    return local if local.exists() or leftovers(local) else SHIPPED_INDEX
