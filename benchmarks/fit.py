"""Fit the answer layer's weights on every question set at once, and show each set left out.

    python benchmarks/fit.py ['{"setting": [values, ...], ...}']

A grid over ``quote_margin`` (a chosen passage is quoted when it scores this share of the best,
else offered) and ``distinctive_weight`` (the share of the search made on the question without
its corpus-wide words). Each setting is scored with ../shared/eval/score.py on every set of
``sets.py`` (the acupuncture sets and the second corpus); the objective (``objective``) rewards
finding the gold, precision and few quotes on near-domain questions, and punishes false refusals
five times as hard. The chosen setting misses the fewest targets (``TARGETS``), then has the
highest objective. For each set it also reports the setting chosen on the others, scored on that
set. A JSON argument replaces the grid with any ``AnswerSettings`` fields and values.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sets import SETS, answering_from, index_for, items

GRID = {"quote_margin": [0.7, 0.8, 0.85, 0.9, 0.95], "distinctive_weight": [0.0, 0.15, 0.3, 0.5]}


# The targets per set: a setting that misses one on a set it is fitted on ranks below
# every setting that meets them all (the objective trades, the targets don't).
TARGETS = {
    "real_style": {"precision": 0.60, "hit3": 0.76, "mrr": 0.69, "parts_answered": 0.85},
    "questions": {"hit3": 0.97, "coverage": 0.95, "precision": 0.65},
    "second": {"hit3": 0.86, "mrr": 0.76, "precision": 0.62},
}
MOST = {"near_quotes": 2.0, "false_abstain": 0.03}


def misses(name: str, r: dict) -> int:
    """How many of its targets the set's scores ``r`` miss."""
    low = sum(1 for k, v in TARGETS.get(name, {}).items() if (r[k] or 0) < v)
    return low + sum(1 for k, v in MOST.items() if r[k] is not None and r[k] > v)


def rank(results: dict[str, dict], names: list[str]) -> tuple[int, float]:
    """A setting's place on the sets ``names``: fewest targets missed, then the highest objective."""
    return -sum(misses(n, results[n]) for n in names), sum(objective(results[n]) for n in names)


def objective(r: dict) -> float:
    """Finding the gold (MRR, coverage, parts answered), showing it without padding (precision, few
    quotes on near-domain questions: a tenth of a point per quote), refusing near-domain questions;
    false refusals and answered off-topic questions cost five times as much."""
    value = (r["mrr"] or 0) + (r["coverage"] or 0) + (r["parts_answered"] or 0) + (r["near_abstain"] or 0)
    value += (r["precision"] or 0) - 0.1 * (r["near_quotes"] or 0)
    return value - 5 * (r["false_abstain"] or 0) - 5 * (1 - (r["out_abstain"] if r["out_abstain"] is not None else 1))


def scored(settings: Any, questions: dict[str, list[dict]], indexes: dict[str, Any]) -> dict[str, dict]:
    """Each set's scores, its questions answered from its index with these ``AnswerSettings``."""
    import score

    from askback.answer import compose as answer

    original = answer.compose
    answer.compose = lambda r, q, h=(), s=settings: original(r, q, h, s)  # type: ignore[misc]
    try:
        results = {}
        for name, rows in questions.items():
            answering_from(indexes[name])
            results[name] = score.score(rows)
        return results
    finally:
        answer.compose = original


def main() -> None:
    import askback
    from askback.config import ANSWERING

    grid = json.loads(sys.argv[1]) if len(sys.argv) > 1 else GRID
    questions = {name: items(name) for name in SETS}
    indexes = {name: index_for(name) for name in SETS}
    results: dict[tuple, dict[str, dict]] = {}
    for values in itertools.product(*grid.values()):
        settings = dataclasses.replace(ANSWERING, **dict(zip(grid, values, strict=True)))
        results[values] = row = scored(settings, questions, indexes)
        print(values, {n: round(objective(r), 3) for n, r in row.items()}, flush=True)

    def best(names: list[str]) -> tuple:
        return max(results, key=lambda v: rank(results[v], names))

    chosen = best(list(SETS))
    print("chosen on all sets:", dict(zip(grid, chosen, strict=True)))
    keys = ["hit3", "mrr", "precision", "near_quotes", "coverage", "parts_answered", "false_abstain", "near_abstain"]
    for name in SETS:
        held = best([n for n in SETS if n != name])
        r = results[held][name]
        print(f"left out {name}: fitted on the others {dict(zip(grid, held, strict=True))} ->", {k: r[k] for k in keys})
    askback.ask("warm up")


if __name__ == "__main__":
    main()
