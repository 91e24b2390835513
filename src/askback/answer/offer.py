"""What to quote and what only to offer.

An answer quotes the passages close to its best one, and offers the next best collapsed ("Also
discussed in", one line per article): a reader sees what answers first, and can still open the
other passages that speak to the question. The margin is fitted on all question sets (``benchmarks/fit.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from askback.config import ANSWERING, AnswerSettings
from askback.search.retrieval import Hit

__all__ = ["split"]


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
