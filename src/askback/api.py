"""The public entry points: load or build an index, then retrieve passages or ask questions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from . import answer
from . import index as storage
from .config import default_index_path
from .embedding import Embedder, MiniLMEmbedder, OnnxQueryEncoder
from .errors import AskbackError, QuestionError
from .records import Answer, Article, Passage
from .retrieval import Retriever

__all__ = ["Index", "ask", "build_index", "load_index", "retrieve"]

_EMBEDDER = MiniLMEmbedder()  # builds the index; loads torch and the weights on first use
_QUERIES = OnnxQueryEncoder()  # the same model for queries, without torch
_DEFAULT: Index | None = None
_DEFAULT_LOCK = threading.Lock()


class Index:
    """A loaded index: ``retrieve`` passages or ``ask`` questions against it.

    A completed rebuild of its folder (``askback build``) is picked up before the next request; a
    request always runs on one whole build, never on a half-written one.
    """

    def __init__(self, stored: storage.StoredIndex, embedder: Embedder) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        self._state = (stored, Retriever(stored, embedder), storage.signature(stored.path))

    def _current(self) -> tuple[storage.StoredIndex, Retriever]:
        stored, retriever, seen = self._state
        now = storage.signature(stored.path)
        if now is not None and now != seen:
            with self._lock:
                if self._state[2] == seen:  # not reloaded by another request meanwhile
                    try:
                        fresh = storage.load(stored.path, self._embedder.name)
                        self._state = (fresh, Retriever(fresh, self._embedder), storage.signature(stored.path))
                    except AskbackError:
                        pass  # caught mid-swap or broken: keep answering from the build we have
            stored, retriever, _ = self._state
        return stored, retriever

    @property
    def path(self) -> Path:
        return self._current()[0].path

    @property
    def stale(self) -> tuple[str, ...]:
        """Corpus files changed, removed or added since the build; changed ones are not quoted."""
        return self._current()[0].stale

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(dict.fromkeys(p.article for p in self._current()[0].passages))

    def retrieve(self, query: str, k: int = 5) -> list[Passage]:
        """The ``k`` passages that best match ``query``, best first."""
        text = answer.check_question(query)
        if k < 1:
            raise QuestionError(f"k must be at least 1, not {k}")
        return [hit.passage for hit in self._current()[1].search(text, k)]

    def ask(self, question: str, history: Sequence[str] | None = ()) -> Answer:
        """Answer ``question`` with verbatim quotes; ``history`` holds earlier user turns, oldest first."""
        return answer.compose(self._current()[1], question, history)

    def suggestions(self) -> tuple[str, ...]:
        """The articles' own FAQ: their section headings that are questions."""
        return self._current()[1].question_headings

    def article_file(self, article: Article) -> Path:
        return self._current()[0].article_file(article)

    def article_text(self, article: Article) -> str:
        """The article's whole file, as the passages' offsets index it."""
        return self.article_file(article).read_text(encoding="utf-8")

    @property
    def _retriever(self) -> Retriever:
        return self._current()[1]


def load_index(path: str | Path | None = None, *, embedder: Embedder | None = None) -> Index:
    """Load the index at ``path`` (default: $ASKBACK_INDEX, ./index, or the shipped one)."""
    chosen = embedder or _QUERIES
    return Index(storage.load(Path(path) if path else default_index_path(), chosen.name), chosen)


def build_index(
    corpus: str | Path = "corpus",
    index: str | Path = "index",
    *,
    embedder: Embedder | None = None,
    progress: Callable[[int, int], None] | None = None,
    full: bool = False,
) -> storage.BuildReport:
    """Rebuild ``index`` from the articles in ``corpus``, embedding only passages that are new since
    the last build (all of them if ``full``); the old index stays until the new one is complete."""
    global _DEFAULT
    report = storage.build(Path(corpus), Path(index), embedder or _EMBEDDER, progress, full=full)
    with _DEFAULT_LOCK:
        _DEFAULT = None  # the next module-level call sees the new build
    return report


def retrieve(query: str, k: int = 5) -> list[Passage]:
    """``retrieve`` on the default index."""
    return _default().retrieve(query, k)


def ask(question: str, history: Sequence[str] | None = ()) -> Answer:
    """``ask`` on the default index."""
    return _default().ask(question, history)


def _default() -> Index:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = load_index()
        return _DEFAULT
