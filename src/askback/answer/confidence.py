"""How likely the articles answer a question: a small logistic model over signals askback computes.

The signals: how close in meaning the best passage is (cosine), how many of the question's
distinctive words (``distinctive``) the articles use at all, and how many the best passage holds.
"Can teenagers get it?" is close in meaning to many passages, but no article says
"teenagers": the articles may not answer it. The weights are fitted on every question set, in-scope
questions against on-subject ones the articles don't answer (``benchmarks/fit_confidence.py``),
each held at zero or above so that more evidence never lowers the confidence; on the shipped sets
the meaning signal gets zero (near-domain questions are as close in meaning as answerable ones) and
stays in the explanation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from askback.config import ANSWERING, AnswerSettings

__all__ = ["SIGNALS", "confidence", "signals"]

SIGNALS = ("meaning", "subject_known", "subject_quoted")


def signals(
    best_dense: float, subject: Sequence[str], known: Sequence[bool], quoted: Sequence[bool]
) -> tuple[float, ...]:
    """The model's inputs: best cosine; shares of the distinctive words known and held by the top
    quote (1.0 each when the question has no distinctive word: nothing says it is off subject)."""
    if not subject:
        return best_dense, 1.0, 1.0
    return best_dense, sum(known) / len(subject), sum(quoted) / len(subject)


def confidence(values: Sequence[float], settings: AnswerSettings = ANSWERING) -> float:
    """The fitted probability that the articles answer the question."""
    weights = settings.confidence_weights
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], values, strict=True))
    return 1 / (1 + math.exp(-z))
