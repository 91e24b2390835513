"""The few errors askback raises; each message says what to do next."""

from __future__ import annotations

__all__ = [
    "AnswerTimeoutError",
    "AskbackError",
    "BuildError",
    "CorpusError",
    "IndexIncompatibleError",
    "IndexMissingError",
    "QuestionError",
]


class AskbackError(Exception):
    """Base class: the message is one line a user can act on."""


class CorpusError(AskbackError):
    """A corpus folder or file that cannot be indexed."""


class BuildError(AskbackError):
    """A build that may not or cannot write its index: the target is not an index, another build is
    running, or the disk refused the write."""


class IndexMissingError(AskbackError):
    """No built index where one was expected."""


class IndexIncompatibleError(AskbackError):
    """An index built by another model or format version, or a damaged one."""


class QuestionError(AskbackError):
    """A question that cannot be asked (empty, too long)."""


class AnswerTimeoutError(AskbackError):
    """An answer stopped before it was done: it passed its time limit (the server is busy, or the
    question is long), or the client that asked has left."""
