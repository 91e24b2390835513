"""Grid over the retrieval settings (``RetrievalSettings``), scored like ``fit.py`` on every set.

    python benchmarks/fit_retrieval.py '{"dense_weight": [0.7, 0.8, 0.9], "heading_above": [0.55, 0.6, 0.65]}'

Each setting gets a fresh ``Retriever`` over the shipped index (BM25 is rebuilt, vectors are
reused), and ``askback.ask`` answers from it. Prints, per setting, the objective on each set and
real_style's hit@3 and MRR; the best setting is the one with the highest sum.
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
    from fit import SETS, objective

    import askback
    import askback.api as api
    from askback.config import RETRIEVAL
    from askback.retrieval import Retriever

    grid = json.loads(sys.argv[1])
    items = {name: [json.loads(x) for x in path.read_text().splitlines() if x.strip()] for name, path in SETS.items()}
    index = askback.load_index(ROOT / "index")
    api._DEFAULT = index  # askback.ask answers from this index, whose retriever each setting replaces
    stored, _, seen = index._state
    totals = {}
    for values in itertools.product(*grid.values()):
        settings = dataclasses.replace(RETRIEVAL, **dict(zip(grid, values, strict=True)))
        index._state = (stored, Retriever(stored, index._embedder, settings), seen)
        results = {name: score.score(rows) for name, rows in items.items()}
        totals[values] = sum(objective(r) for r in results.values())
        rs = results["real_style"]
        print(values, {n: round(objective(r), 3) for n, r in results.items()}, "real_style", rs["hit3"], rs["mrr"])
    print("best on all sets:", dict(zip(grid, max(totals, key=totals.get), strict=True)))


if __name__ == "__main__":
    main()
