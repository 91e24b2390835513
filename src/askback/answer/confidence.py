"""How likely the articles answer a question: a small logistic model over signals askback computes,
each read relative to the corpus itself, so that one fit carries to another corpus and model.

- ``closeness``: how far the best passage's cosine stands above the corpus's level for questions
  it has nothing to do with (``search/unrelated.py``), in spreads of that level, a tenth per spread
  up to 1. A cosine of 0.35 is close among five articles and chance among 2,000 API pages.
- ``subject_known``, ``subject_quoted``: shares of the question's distinctive words
  (``distinctive``) that the articles use at all, and that the top quote holds.
- ``nothing_missing``: 1 less the English rarity (``rarity``) of the rarest subject word no article
  uses. Articles on diabetes that never say "Ozempic", a guide to a tool that never says "extern":
  a rare word the user names and no article uses is a subject they leave out, however many of the
  question's other words they use. A common word they lack ("told", "women") is phrasing.
- ``nothing_left_out``: 1 less the rarity of the rarest subject word the articles use but the
  passage holding most of the question (of the best few, title, heading and text) does not: "Can I
  dye my hair if I have porphyria?" finds the porphyria page, which never says "dye".
- ``nothing_missing_around``: the same as ``nothing_missing`` for the sentences around the question
  (its story): "Heroku keeps saying 'Error R10'. What am I doing wrong?" asks nothing in its own
  words; the product it is about is in the story, and no article names it.
- ``names_held``: 1 when the passage holding most of the question holds every name the question
  writes ("Rust", "Dr. Memory", "RISC-V": capitalised, not opening a sentence; ``search/absence.py``)
  as written, else 0. A manual that mentions Rust once, in its release notes, uses the word; the
  passage that would answer "How do I run Valgrind on a Rust binary?" does not hold it.

The weights are fitted on every question set, in-scope questions against on-subject ones the
articles don't answer (``benchmarks/fit_confidence.py``), each held at zero or above so that more
evidence never lowers the confidence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from askback.config import ANSWERING, AnswerSettings
from askback.search.english import checker, count

__all__ = ["SIGNALS", "confidence", "rarity", "signals"]

SIGNALS = (
    "closeness",
    "subject_known",
    "subject_quoted",
    "nothing_missing",
    "nothing_left_out",
    "nothing_missing_around",
    "names_held",
)

_COMMONEST = 7.0  # Zipf scale: "the" is 7.7, "put" 6.1, "dog" 5.0, "gout" 2.7; a word English lacks 0


def rarity(word: str) -> float:
    """How distinctive ``word`` is in English, from 0 (any sentence may hold it) to 1 (English's
    word counts don't list it: a drug, a product, an error name)."""
    per_billion = 1e9 * count(word) / checker().word_frequency.total_words
    return max(0.0, _COMMONEST - math.log10(per_billion + 1)) / _COMMONEST


def signals(
    above_unrelated: float,
    subject: Sequence[str],
    known: Sequence[bool],
    quoted: Sequence[bool],
    held: Sequence[Sequence[bool]] = (),
    around: Sequence[str] = (),
    names: Sequence[Sequence[bool]] = (),
) -> tuple[float, ...]:
    """The model's inputs, in ``SIGNALS`` order. ``subject``: the question's distinctive words as
    the user wrote them; ``known``/``quoted``: whether the articles use each, and the top quote
    holds it; ``held``: for each of the best passages, whether it holds each (title and heading
    included); ``around``: the distinctive words of the question's story that no article uses;
    ``names``: for each of the best passages, whether it holds each name the question writes. A
    question with no distinctive word gets 1.0 for each word signal: nothing says it is off subject."""
    closeness = min(max(above_unrelated, 0.0), 10.0) / 10.0
    missing_around = 1.0 - max((rarity(w) for w in around), default=0.0)
    if not subject:
        return closeness, 1.0, 1.0, 1.0, 1.0, missing_around, 1.0
    rare = [rarity(w) for w in subject]
    missing = max((r for r, k in zip(rare, known, strict=True) if not k), default=0.0)
    at = max(range(len(held)), key=lambda i: sum(r for r, x in zip(rare, held[i], strict=True) if x)) if held else -1
    fullest = held[at] if held else known
    names_held = float(all(names[at])) if names and held else 1.0
    left_out = max((r for r, k, x in zip(rare, known, fullest, strict=True) if k and not x), default=0.0)
    n = len(subject)
    return closeness, sum(known) / n, sum(quoted) / n, 1.0 - missing, 1.0 - left_out, missing_around, names_held


def confidence(values: Sequence[float], settings: AnswerSettings = ANSWERING) -> float:
    """The fitted probability that the articles answer the question."""
    weights = settings.confidence_weights
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], values, strict=True))
    return 1 / (1 + math.exp(-z))
