"""The public entry points: load or build an index, then retrieve passages or ask questions."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from askback import limits
from askback.answer import compose as answer
from askback.answer.message import check_question
from askback.answer.voice import Voice, voice_of
from askback.config import ANSWER_SECONDS, VERSION
from askback.corpus.documents import Added
from askback.errors import AskbackError, IndexMissingError, QuestionError
from askback.index import build as builder
from askback.index import store as storage
from askback.index.embedding import Embedder, OnnxQueryEncoder
from askback.records import Answer, Article, Passage
from askback.search.retrieval import Retriever

__all__ = [
    "AddReport",
    "Index",
    "Info",
    "add_documents",
    "ask",
    "build_index",
    "load_index",
    "retrieve",
]

_QUERIES = OnnxQueryEncoder()  # the model on onnxruntime, without torch: queries...
_EMBEDDER = _QUERIES  # ...and builds (a third less CPU than torch, the same vectors to 1e-6)
_DEFAULT: Index | None = None
_LOADED: dict[Path, Index] = {}  # the folders passed as ask(..., index=...) and retrieve(..., index=...)
_DEFAULT_LOCK = threading.Lock()


@dataclass(frozen=True)
class Info:
    """Which bot an index serves: ``GET /api/info``."""

    name: str
    topic: str  # "" when its corpus names none
    articles: int
    built_at: str  # ISO 8601, UTC
    version: str  # askback's


class Index:
    """A loaded index: ``retrieve`` passages or ``ask`` questions against it.

    Get one with ``load_index``. A completed rebuild of its folder (``askback build``) is picked up
    before the next request; a request always runs on one whole build, never on a half-written one.
    Safe to share between threads.
    """

    def __repr__(self) -> str:
        stored = self._current()[0]
        articles = len({p.article for p in stored.passages})
        return f"Index({str(stored.path.resolve())!r}, {articles} articles, {len(stored.passages)} passages)"

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
        """The index folder."""
        return self._current()[0].path

    @property
    def stale(self) -> tuple[str, ...]:
        """Absolute paths of corpus files changed, removed or added since the build; passages of a
        changed or removed file are never quoted (run ``askback build`` to take the changes in)."""
        return self._current()[0].stale

    @property
    def corpus(self) -> Path:
        """The corpus folder this index was built from (absolute)."""
        stored = self._current()[0]
        return storage.recorded_path(str(stored.manifest.get("corpus", "corpus")), stored.path)

    @property
    def articles(self) -> tuple[Article, ...]:
        """The indexed articles, in corpus order."""
        return tuple(dict.fromkeys(p.article for p in self._current()[0].passages))

    @property
    def voice(self) -> Voice:
        """How this index's bot speaks of itself: its name, topic, greeting and the rest."""
        return voice_of(self._current()[0])

    @property
    def info(self) -> Info:
        """What a page or a monitor that embeds this bot needs to know of it."""
        stored = self._current()[0]
        voice = voice_of(stored)
        built = str(stored.manifest.get("built_at", ""))
        return Info(voice.name, voice.topic, len(self.articles), built, VERSION)

    def retrieve(self, query: str, k: int = 5) -> list[Passage]:
        """The passages that best match ``query``, best first: a search, with no abstention.

        Args:
            query: any text up to 4,000 characters.
            k: how many passages, at least 1.

        Returns:
            Up to ``k`` passages, each verbatim at its offsets, ``score`` its relevance in [0, 1].

        Raises:
            QuestionError: ``query`` is empty, not text or too long, or ``k`` is below 1.
        """
        text = check_question(query, self.voice)
        if k < 1:
            raise QuestionError(f"k must be at least 1, not {k}")
        return [hit.passage for hit in self._current()[1].search(text, k)]

    def ask(
        self,
        question: str,
        history: Sequence[str] | None = (),
        *,
        timeout: float | None = ANSWER_SECONDS,
        cancelled: threading.Event | None = None,
    ) -> Answer:
        """Answer ``question`` with verbatim quotes of the articles, or say they don't answer it.

        Args:
            question: the user's message, up to 4,000 characters: a question, a story then a
                question, or several questions (each is answered in ``Answer.parts``).
            history: the user's earlier turns of the conversation, oldest first; a follow-up
                ("and how much does it cost?") is read with them, a self-contained question is not.
                Only the last ``AnswerSettings.history_turns`` are read, each up to 4,000 characters.
            timeout: seconds the answer may take (None: no limit).
            cancelled: set it to stop the answer (its client has left).

        Returns:
            An ``Answer``: ``quotes`` (verbatim passages, in the order shown), ``abstained``,
            ``markdown``, ``suggestions`` and ``parts``.

        Raises:
            QuestionError: the question or an earlier turn is empty, not text or too long, or
                ``history`` is not a list of strings.
            AnswerTimeoutError: the answer passed ``timeout`` or ``cancelled`` was set.
        """
        retriever = self._current()[1]
        recent = limits.recent_turns(history)
        answer.suggestable(retriever)  # once per build, for every request: not charged to this one's time
        with limits.limited(timeout, cancelled):
            return answer.compose(retriever, question, recent)

    def suggestions(self) -> tuple[str, ...]:
        """The articles' own FAQ, to offer a new user: their section headings that read as questions
        and that, asked, quote their own section."""
        return answer.suggestable(self._current()[1])

    def article_file(self, article: Article) -> Path:
        """The absolute path of ``article``'s file, which its passages' offsets index."""
        return self._current()[0].article_file(article)

    def article_text(self, article: Article) -> str:
        """The article's whole file as text: ``article_text(p.article)[p.start:p.end] == p.text``.

        Raises:
            OSError: the file is gone, unreadable or not UTF-8 (``stale`` lists it).
        """
        text = self._retriever.files.text(article)  # read once, again only when the file changes
        if text is None:
            raise OSError(f"{article.path}: gone, unreadable or not UTF-8 text")
        return text

    @property
    def _retriever(self) -> Retriever:
        return self._current()[1]


def load_index(path: str | Path | None = None, *, embedder: Embedder | None = None) -> Index:
    """Load a built index.

    Args:
        path: the index folder; default $ASKBACK_INDEX, else ./index when it exists, else the index
            shipped with askback.
        embedder: the query encoder (tests pass a fake one); default the bundled MiniLM, via ONNX.

    Returns:
        An ``Index``.

    Raises:
        IndexMissingError: no index at ``path``, or ``path`` is not a folder's path; the message
            says how to build one, or which folder holds the index.
        IndexIncompatibleError: an index of another format or model, or a damaged one; the message
            names the command that rebuilds it.
    """
    chosen = embedder or _QUERIES
    return Index(storage.load(_folder(path) if path else storage.default_index_path(), chosen.name), chosen)


def _folder(index: object) -> Path:
    """``index`` as a folder path, or an IndexMissingError naming what it may be."""
    if not isinstance(index, (str, os.PathLike)):
        raise IndexMissingError(
            f"index must be an index folder's path (a str or Path) or a loaded Index, not {type(index).__name__}"
        )
    return Path(index)


def build_index(
    corpus: str | Path = "corpus",
    index: str | Path = "index",
    *,
    embedder: Embedder | None = None,
    progress: Callable[[int, int], None] | None = None,
    full: bool = False,
    stage: Callable[[str], None] | None = None,
) -> builder.BuildReport:
    """Rebuild ``index`` from the articles in ``corpus``, embedding only passages that are new since
    the last build (all of them if ``full``); the old index stays until the new one is complete.

    Args:
        corpus: the folder of article files.
        index: the index folder to write: absent, empty, or an askback index.
        embedder: the passage encoder; default the bundled MiniLM (loads torch on first use).
        progress: called as ``progress(done, total)`` while passages are embedded.
        stage: called with a short description before each slow step ("loading the embedding model").
        full: embed every passage again.

    Returns:
        A ``BuildReport``: counts of articles and passages, reused, embedded and removed.

    Raises:
        CorpusError: a corpus file cannot be read or parsed; the message names it. The previous
            index is unchanged.
        BuildError: ``index`` is not an index folder, another build is running, or the disk
            refused the write. The previous index is unchanged.
    """
    global _DEFAULT
    report = builder.build(Path(corpus), Path(index), embedder or _EMBEDDER, progress, full=full, stage=stage)
    with _DEFAULT_LOCK:
        _DEFAULT = None  # the next module-level call sees the new build
    return report


@dataclass(frozen=True)
class AddReport:
    """What ``add_documents`` did: each document written to the corpus, then the rebuild."""

    added: tuple[Added, ...]
    build: builder.BuildReport
    skipped: tuple[str, ...] = ()  # what a folder held that was not added (no text, a copy, another format), and why


def add_documents(
    paths: Sequence[str | Path],
    corpus: str | Path = "corpus",
    index: str | Path = "index",
    *,
    embedder: Embedder | None = None,
    progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> AddReport:
    """Add documents to the corpus as articles and rebuild the index incrementally.

    Args:
        paths: documents, or folders of them read recursively: Markdown and MyST (``.md``),
            reStructuredText (``.rst``), web and documentation pages (``.html``, ``.htm``), PDF
            (``.pdf``), text (``.txt``), or a ``.gz`` of any. Each becomes one corpus file holding
            the text a reader sees (markup, navigation, footers and comments left out; code kept
            as code) and the metadata the document states. A document added before from the same
            file, or stating the address of an article already in the corpus, updates its file
            (the old text is kept, ``Added.replaced`` says where); any other document gets a new
            file. Every check runs before anything is written, and a failed rebuild puts the
            corpus back as it was. A document in a folder with no text is skipped and named in
            ``skipped``.
        corpus, index: the corpus folder to write into and the index to rebuild.
        embedder, progress, stage: as for ``build_index``.

    Returns:
        An ``AddReport``: ``added`` (an ``Added`` per document: corpus file, title, author, words
        kept, words left out, whether it updated an earlier file) and the ``build``'s report.

    Raises:
        CorpusError: a file of another kind, one that cannot be read, an empty article, a text
            already in the corpus, or an unwritable corpus; the message names it, and nothing is
            written.
        BuildError: as for ``build_index``; the corpus is left as it was.
    """
    from askback.corpus.documents import add_to_corpus

    added: list[Added] = []
    skipped: list[str] = []

    def edit() -> Callable[[], None]:
        written, undo = add_to_corpus([Path(p) for p in paths], Path(corpus), skipped)
        added.extend(written)
        return undo

    global _DEFAULT
    report = builder.build(Path(corpus), Path(index), embedder or _EMBEDDER, progress, stage=stage, edit=edit)
    with _DEFAULT_LOCK:
        _DEFAULT = None
    return AddReport(tuple(added), report, tuple(skipped))


def retrieve(query: str, k: int = 5, *, index: str | Path | Index | None = None) -> list[Passage]:
    """``Index.retrieve`` on ``index`` (an index folder or a loaded ``Index``; default as for
    ``load_index``): the ``k`` passages that best match ``query``, best first. Raises QuestionError
    for an empty, non-text or too long query."""
    return _chosen(index).retrieve(query, k)


def ask(question: str, history: Sequence[str] | None = (), *, index: str | Path | Index | None = None) -> Answer:
    """Answer ``question`` from ``index`` with verbatim quotes.

    Args:
        question: the user's message, up to 4,000 characters; several questions in it are answered
            one by one (``Answer.parts``).
        history: the user's earlier turns, oldest first, for follow-ups.
        index: the bot to answer from: its index folder (``"mybot/index"``, loaded once) or a loaded
            ``Index``. Default: $ASKBACK_INDEX, else ./index when it exists, else the shipped index.

    Returns:
        An ``Answer``: ``quotes`` (each ``Passage`` verbatim at ``article.path[start:end]``),
        ``abstained`` (true when the articles don't answer), ``markdown``, ``suggestions``, ``parts``.

    Raises:
        QuestionError: the question is empty, not text or too long, or ``history`` is not a list
            of strings.
        IndexMissingError, IndexIncompatibleError: the index cannot be loaded, or ``index`` is
            neither a folder's path nor an ``Index``.
    """
    return _chosen(index).ask(question, history)


def _chosen(index: str | Path | Index | None) -> Index:
    """The index a module-level call answers from; a folder is loaded once, then follows its rebuilds."""
    if isinstance(index, Index):
        return index
    if index is None:
        return _default()
    key = _folder(index).resolve()
    with _DEFAULT_LOCK:
        if key not in _LOADED:
            _LOADED[key] = load_index(index)
        return _LOADED[key]


def _default() -> Index:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = load_index()
        return _DEFAULT
