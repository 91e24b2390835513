"""What one answer may cost: the earlier turns it reads, how long it may work, and whether the
client that asked still waits.

An answer is many searches (each question of a message, each earlier turn, the story); every
search starts by calling ``check``, so an answer past its time, or one whose client has left,
stops at the next search instead of running on for nobody. The budget lives in a context
variable: it belongs to the thread answering, never to the shared index.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from askback.config import ANSWERING, MAX_QUESTION_CHARS
from askback.errors import AnswerTimeoutError, QuestionError

__all__ = ["check", "limited", "recent_turns"]


@dataclass(frozen=True)
class _Budget:
    seconds: float
    deadline: float  # time.monotonic()
    cancelled: threading.Event | None


_BUDGET: ContextVar[_Budget | None] = ContextVar("askback_answer_budget", default=None)


@contextmanager
def limited(seconds: float | None, cancelled: threading.Event | None = None) -> Iterator[None]:
    """Within this block, ``check`` stops the work once ``seconds`` have passed (None: never) or
    ``cancelled`` is set (the client left)."""
    if seconds is None and cancelled is None:
        yield
        return
    deadline = time.monotonic() + seconds if seconds is not None else float("inf")
    token = _BUDGET.set(_Budget(seconds or 0.0, deadline, cancelled))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def check() -> None:
    """Raise AnswerTimeoutError if the answer being worked on is past its time or unwanted."""
    budget = _BUDGET.get()
    if budget is None:
        return
    if budget.cancelled is not None and budget.cancelled.is_set():
        raise AnswerTimeoutError("the answer was stopped: its client left")
    if time.monotonic() > budget.deadline:
        raise AnswerTimeoutError(
            f"the answer took over {budget.seconds:g} seconds and was stopped; ask again in a moment, "
            "or ask a shorter question"
        )


def recent_turns(history: Sequence[str] | None) -> Sequence[str] | None:
    """The turns a follow-up can use, the last ``history_turns``, each checked for length: however
    long the history sent, an answer searches at most these. Anything but a list of strings is
    left for ``check_history`` to name."""
    if history is None or isinstance(history, str) or not isinstance(history, Sequence):
        return history
    if not all(isinstance(turn, str) for turn in history):
        return history
    turns = ANSWERING.history_turns
    recent = list(history)[-turns:] if turns else []
    for turn in recent:
        if isinstance(turn, str) and len(" ".join(turn.split())) > MAX_QUESTION_CHARS:
            raise QuestionError(
                f"an earlier turn of the history is {len(turn):,} characters long; each may be {MAX_QUESTION_CHARS:,}"
            )
    return recent
