"""Grid over the retrieval settings (``RetrievalSettings``), scored like ``fit.py`` on every set.

    python benchmarks/fit_retrieval.py '{"dense_weight": [0.7, 0.8, 0.9], "heading_above": [0.55, 0.6, 0.65]}'

Each setting gets a fresh ``Retriever`` over the shipped index (BM25 is rebuilt, vectors are
reused), and ``askback.ask`` answers from it. Prints, per setting, the objective on each set and
real_style's hit@3 and MRR, the sum and the issue's targets missed; the best setting misses the
fewest targets (``fit.TARGETS``), then has the highest sum. Each set left out gets the setting
chosen on the others.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent / "shared" / "eval"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    import score
    from fit import misses, objective, rank
    from sets import SETS, index_for, items

    import askback.api as api
    from askback.config import RETRIEVAL
    from askback.search.retrieval import Retriever

    grid = json.loads(sys.argv[1])
    questions = {name: items(name) for name in SETS}
    indexes = {name: index_for(name) for name in SETS}  # askback.ask answers from these, retrievers replaced
    states = {name: index._state for name, index in indexes.items()}
    totals = {}
    scores: dict[tuple, dict[str, dict]] = {}
    for values in itertools.product(*grid.values()):
        settings = dataclasses.replace(RETRIEVAL, **dict(zip(grid, values, strict=True)))
        results = {}
        for name, rows in questions.items():
            stored, _, seen = states[name]
            index = indexes[name]
            index._state = (stored, Retriever(stored, index._embedder, settings), seen)
            api._DEFAULT = index
            results[name] = score.score(rows)
        scores[values] = results
        totals[values] = sum(objective(r) for r in results.values())
        rs = results["real_style"]
        missed = {n: misses(n, r) for n, r in results.items() if misses(n, r)}
        print(
            values,
            {n: round(objective(r), 3) for n, r in results.items()},
            "real_style",
            rs["hit3"],
            rs["mrr"],
            f"total {totals[values]:.3f}",
            f"targets missed {missed}" if missed else "",
        )
    chosen = max(scores, key=lambda v: rank(scores[v], list(questions)))
    print("best on all sets:", dict(zip(grid, chosen, strict=True)))
    keys = ["hit3", "mrr", "precision", "near_quotes", "coverage", "false_abstain"]
    for name in questions:
        held = max(scores, key=lambda v: rank(scores[v], [n for n in questions if n != name]))
        r = scores[held][name]
        print(f"left out {name}: fitted on the others {dict(zip(grid, held, strict=True))} ->", {k: r[k] for k in keys})


if __name__ == "__main__":
    main()
