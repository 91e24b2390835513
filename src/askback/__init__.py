"""askback: a FAQ bot that answers questions only by quoting its articles, verbatim."""

from askback.answer.voice import Voice
from askback.api import AddReport, Index, Info, add_documents, ask, build_index, load_index, retrieve
from askback.config import VERSION as __version__  # noqa: F401 - the conventional attribute
from askback.errors import (
    AnswerTimeoutError,
    AskbackError,
    BuildError,
    CorpusError,
    IndexIncompatibleError,
    IndexMissingError,
    QuestionError,
)
from askback.index.build import BuildReport
from askback.records import Answer, Article, Part, Passage
from askback.teaching import TeachReport, forget, taught, teach, teach_from

__all__ = [
    "AddReport",
    "Answer",
    "AnswerTimeoutError",
    "Article",
    "AskbackError",
    "BuildError",
    "BuildReport",
    "CorpusError",
    "Index",
    "IndexIncompatibleError",
    "IndexMissingError",
    "Info",
    "Part",
    "Passage",
    "QuestionError",
    "TeachReport",
    "Voice",
    "add_documents",
    "ask",
    "build_index",
    "forget",
    "load_index",
    "retrieve",
    "taught",
    "teach",
    "teach_from",
]
