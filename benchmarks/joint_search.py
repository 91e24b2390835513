"""A random search over the answer settings together, against the one-at-a-time fits.

    python benchmarks/joint_search.py [SEED] [SETTINGS]

``fit.py`` fits a few weights at a time; this draws ``SETTINGS`` (default 80) combinations of
eleven ``AnswerSettings`` fields at once from ``SPACE`` (seeded, so a run can be repeated) and
scores each, with the shipped settings, on every set of ``sets.py``. It prints each combination's
objective per set, then where the shipped settings rank among them, and for each set the
combination chosen on the others, scored on that set. It answers whether the shipped settings are a
joint optimum or only a coordinate-wise one.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit import objective, rank, scored
from sets import SETS, index_for, items

SPACE = {
    "quote_margin": [0.85, 0.9, 0.95, 0.97],
    "question_weight": [0.3, 0.4, 0.5, 0.6, 0.7],
    "distinctive_weight": [0.0, 0.15, 0.3, 0.45],
    "answer_type_weight": [0.0, 0.05, 0.1],
    "heading_form_weight": [0.1, 0.2, 0.3],
    "opening_weight": [0.0, 0.05, 0.1],
    "other_articles": [0.7, 0.8, 0.9],
    "second_quote": [0.85, 0.9, 0.95, 1.01],
    "offer_other_above": [0.55, 0.65, 0.75],
    "story_subject_words": [0, 2, 3, 4],
    "join_neighbour": [0.85, 0.9, 0.95, 1.01],
}


def main() -> None:
    from askback.config import ANSWERING

    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 80
    draw = random.Random(seed)
    shipped = {k: getattr(ANSWERING, k) for k in SPACE}
    combos = [shipped] + [{k: draw.choice(v) for k, v in SPACE.items()} for _ in range(count)]
    questions = {name: items(name) for name in SETS}
    indexes = {name: index_for(name) for name in SETS}
    results: list[dict[str, dict]] = []
    for combo in combos:
        row = scored(dataclasses.replace(ANSWERING, **combo), questions, indexes)
        results.append(row)
        print(json.dumps(combo), {n: round(objective(r), 3) for n, r in row.items()}, flush=True)
    names = list(questions)
    order = sorted(range(len(combos)), key=lambda i: rank(results[i], names), reverse=True)
    print(f"shipped settings rank {order.index(0) + 1} of {len(combos)}; best: {json.dumps(combos[order[0]])}")
    keys = ["hit3", "mrr", "precision", "coverage", "false_abstain"]
    for name in names:
        held = max(range(len(combos)), key=lambda i: rank(results[i], [n for n in names if n != name]))
        scores = {k: results[held][name][k] for k in keys}
        print(f"left out {name}: chosen on the others {json.dumps(combos[held])} ->", scores)


if __name__ == "__main__":
    main()
