"""The few errors askback raises; each message says what to do next."""

from __future__ import annotations

__all__ = ["AskbackError", "CorpusError", "IndexIncompatibleError", "IndexMissingError", "QuestionError"]


class AskbackError(Exception):
    """Base class: the message is one line a user can act on."""


class CorpusError(AskbackError):
    """A corpus folder or file that cannot be indexed."""


class IndexMissingError(AskbackError):
    """No built index where one was expected."""


class IndexIncompatibleError(AskbackError):
    """An index built by another model or format version, or a damaged one."""


class QuestionError(AskbackError):
    """A question that cannot be asked (empty, too long)."""
