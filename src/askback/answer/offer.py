"""What to quote and what only to offer.

An answer quotes the passages close to its best one, and offers the next best collapsed ("Also
discussed in", one line per article): a reader sees what answers first, and can still open the
other passages that speak to the question. The margin is fitted on all question sets (``benchmarks/fit.py``).
A question that asks for a figure ("how long", "how much") quotes only the passages that hold one
when its best passage does; the rest speak to its subject, not to what it asks.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from askback.config import ANSWERING, AnswerSettings
from askback.search.answertype import AMOUNT, COUNT, DURATION, FREQUENCY
from askback.search.retrieval import Hit

__all__ = ["FIGURES", "of_the_asked_kind", "split"]

# The kinds of answer that are a figure (a duration, a frequency, an amount, a count): a passage
# without one does not say it. A yes or no, a cause or the people concerned can be said in any
# words ("Caution is advised if you have a heart condition" answers "should people like her avoid it?").
FIGURES = frozenset({DURATION, FREQUENCY, AMOUNT, COUNT})


def split(
    chosen: Sequence[Hit], hits: Sequence[Hit], settings: AnswerSettings = ANSWERING
) -> tuple[list[Hit], list[Hit]]:
    """``chosen`` (best first) cut into the hits to quote, those scoring at least ``quote_margin``
    of the best, and those to offer: the rest of ``chosen``, the best passage of each other article
    among ``hits`` that scores ``offer_other_above`` of the best, then the next best, up to
    ``offer_passages`` passages offered in all."""
    if not chosen:
        return [], []
    top = chosen[0].score
    quoted = [h for h in chosen if h is chosen[0] or h.score >= settings.quote_margin * top]
    offered = [h for h in chosen if h not in quoted]
    # Each other article's best passage first (every view one click away), then the next best; an
    # article whose best passage is far below the top does not speak to the question, and would push
    # out a passage that does.
    seen = {h.passage.article for h in (*quoted, *offered)}
    firsts = []
    for hit in hits:
        if hit.passage.article not in seen and hit.score >= settings.offer_other_above * top:
            seen.add(hit.passage.article)
            firsts.append(hit)
    taken = {h.number for h in (*quoted, *offered)}
    for hit in (*firsts, *hits):
        if len(offered) >= settings.offer_passages:
            break
        if hit.number not in taken:
            offered.append(hit)
            taken.add(hit.number)
    return quoted, sorted(offered, key=lambda h: -h.score)  # best first, as the reader would rank them


def of_the_asked_kind(
    quoted: Sequence[Hit], offered: Sequence[Hit], asked: Collection[str], holds: Sequence[frozenset[str]]
) -> tuple[list[Hit], list[Hit]]:
    """When the question asks for a figure (``asked``: a duration for "how long should I do them each
    day?") and the best quote holds one (``holds``: the kinds each passage holds), the other quotes
    that hold none of the asked kinds are offered instead: they speak to the subject, not to the question
    (a list of exercises beside "maybe 10 minutes a day")."""
    kinds = set(asked) & FIGURES
    if not quoted or not kinds or quoted[0].number < 0 or not kinds & holds[quoted[0].number]:
        return list(quoted), list(offered)
    kept = [quoted[0], *(h for h in quoted[1:] if h.number >= 0 and kinds & holds[h.number])]
    moved = [h for h in quoted if h not in kept]
    return kept, sorted([*moved, *offered], key=lambda h: -h.score)
