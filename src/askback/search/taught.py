"""Matching a question to the publisher's taught questions (index/taught.py).

MiniLM was trained hardest on question-to-question similarity: a reader's question is matched to
a question the publisher already answered far more reliably than to a passage. A match needs the
two questions close in meaning (cosine at or above the fitted threshold) and of the same polarity:
"Who should not take it?" asks the opposite of "Who benefits from it?" though the
two are close in meaning for the model, so a question that negates or avoids never takes an answer
taught for one that does not, and the reverse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from askback.index.store import StoredIndex
from askback.index.taught import Taught, TaughtSpan, load_taught

__all__ = ["TaughtMatch", "TaughtQuestions", "negated"]

_CANDIDATES = 5  # the closest taught questions looked at, best first
_NEGATIONS = re.compile(
    r"\b(?:not|no|never|nor|none|nobody|neither|without|cannot|avoid\w*|\w+n['’]t|"
    r"dont|doesnt|didnt|isnt|arent|wasnt|werent|wont|wouldnt|shouldnt|couldnt|cant)\b",
    re.IGNORECASE,
)


def negated(question: str) -> bool:
    """Does the question negate or avoid ("who should not have it?", "who should avoid it?")?
    Two questions of different polarity never match."""
    return bool(_NEGATIONS.search(question))


@dataclass(frozen=True)
class TaughtMatch:
    """The taught question a question matched, how close it is, and where its answers are."""

    question: str
    cosine: float
    spans: tuple[TaughtSpan, ...]


class TaughtQuestions:
    """One build's taught questions (none for an index without ``taught.json``)."""

    def __init__(self, taught: Taught | None) -> None:
        self._taught = taught

    @classmethod
    def of(cls, stored: StoredIndex) -> TaughtQuestions:
        return cls(load_taught(Path(stored.path), stored.manifest))

    def __bool__(self) -> bool:
        return self._taught is not None

    def closest(self, vector: np.ndarray, question: str, above: float) -> TaughtMatch | None:
        """The closest taught question at or above cosine ``above`` of the same polarity as
        ``question`` (``vector`` its encoding), with its answers' spans; None when there is none."""
        taught = self._taught
        if taught is None or above > 1.0:
            return None
        cosine = taught.vectors @ vector[0]
        polarity = negated(question)
        for i in np.argsort(-cosine, kind="stable")[:_CANDIDATES].tolist():
            if cosine[i] < above:
                break
            if negated(taught.questions[i]) == polarity:
                spans = tuple(s for s in taught.spans if s.question == i)
                return TaughtMatch(taught.questions[i], float(cosine[i]), spans)
        return None
