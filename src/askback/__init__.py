"""askback: answers questions about acupuncture for back pain by quoting its articles, verbatim."""

from askback.api import AddReport, Index, add_documents, ask, build_index, load_index, retrieve
from askback.config import VERSION as __version__  # noqa: F401 - the conventional attribute
from askback.errors import (
    AskbackError,
    BuildError,
    CorpusError,
    IndexIncompatibleError,
    IndexMissingError,
    QuestionError,
)
from askback.index.store import BuildReport
from askback.records import Answer, Article, Part, Passage

__all__ = [
    "AddReport",
    "Answer",
    "Article",
    "AskbackError",
    "BuildError",
    "BuildReport",
    "CorpusError",
    "Index",
    "IndexIncompatibleError",
    "IndexMissingError",
    "Part",
    "Passage",
    "QuestionError",
    "add_documents",
    "ask",
    "build_index",
    "load_index",
    "retrieve",
]
