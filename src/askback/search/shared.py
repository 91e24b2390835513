"""What the searches of one answer share: each text is encoded once however often it is searched
(a message's texts in one call of the encoder, which costs about as much for several short texts
as for one), and each article file is looked at once, not at every search.

The state lives in a context variable: it belongs to the thread answering, never to the shared index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np

from askback.records import Passage

__all__ = ["Shared", "current", "sharing"]

Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Shared:
    """One answer's vectors, by the text as the search reads it, and its check of the article files."""

    owner: object  # the retriever answering: a search of another index shares nothing
    encoded: dict[str, np.ndarray]
    holds: Callable[[Passage], bool]

    def vector(self, text: str, encode: Encode) -> np.ndarray:
        if text not in self.encoded:
            self.encoded[text] = encode([text])
        return self.encoded[text]

    def ahead(self, texts: Iterable[str], encode: Encode) -> None:
        todo = list(dict.fromkeys(t for t in texts if t and t not in self.encoded))
        if todo:
            for text, row in zip(todo, encode(todo), strict=True):
                self.encoded[text] = row[None, :]


_ANSWER: ContextVar[Shared | None] = ContextVar("askback_one_answer", default=None)


@contextmanager
def sharing(owner: object, holds: Callable[[Passage], bool]) -> Iterator[None]:
    """Within this block, ``owner``'s searches share one ``Shared``."""
    token = _ANSWER.set(Shared(owner, {}, holds))
    try:
        yield
    finally:
        _ANSWER.reset(token)


def current(owner: object) -> Shared | None:
    """What ``owner``'s searches share now, if they are one answer's."""
    shared = _ANSWER.get()
    return shared if shared is not None and shared.owner is owner else None
