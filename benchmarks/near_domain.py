"""Can a word the articles lack tell a near-domain question from an answerable one?

    .venv/bin/pip install wordfreq   # not a dependency of askback: only this measurement uses it
    python benchmarks/near_domain.py

For every question of every set (each part of a message of several), the user's words that no
article uses get three signals: how common the word is in English (wordfreq's Zipf scale: a rare
word is more likely the subject), how close its embedding comes to any word the articles do use
(a synonym they use instead: "tingly" and "tingling"), and how far the question's meaning moves
without it. A grid over the three thresholds refuses a question when one of its words passes all
three; for each setting it counts near-domain questions refused and answerable questions refused,
over all sets, and prints the settings that refuse the most near-domain questions at each number
of false refusals or fewer.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path

import numpy as np
import wordfreq
from fit import SETS

import askback
from askback.answer.message import read_message
from askback.answer.part import _WORD
from askback.search.words import tokenize


def questions(path: Path) -> list[tuple[str, str, bool]]:
    """(id, question, answerable) for each question of a set, out-of-scope and small talk left out."""
    out = []
    for line in path.read_text().splitlines():
        item = json.loads(line) if line.strip() else None
        if not item or item.get("kind") in ("out", "smalltalk"):
            continue
        if item.get("parts"):
            out += [(item["id"], q, bool(gold)) for q, gold in item["parts"]]
        else:
            out += [(item["id"], q, bool(item.get("gold"))) for q in read_message(item["question"]).parts]
    return out


def main() -> None:
    index = askback.load_index()
    retriever = index._retriever
    vocabulary = sorted({w.lower() for a in index.articles for w in _WORD.findall(index.article_text(a)) if len(w) > 2})
    vectors = np.asarray(retriever.embedder.encode(vocabulary))
    signals: dict[tuple[str, str, bool], list[tuple[float, float, float]]] = {}
    for name, path in SETS.items():
        for item_id, question, answerable in questions(path):
            whole = retriever.encode(question)[0]
            words = [w for w in _WORD.findall(question) if len(w) > 2 and tokenize(w)]
            unknown = dict.fromkeys(w for w in words if not all(retriever.knows(t) for t in tokenize(w)))
            rows = signals.setdefault((name, item_id, answerable), [])
            for word in unknown:
                without = re.sub(rf"\b{re.escape(word)}\b", " ", question)
                rows.append(
                    (
                        wordfreq.zipf_frequency(word.lower(), "en"),
                        float(np.max(vectors @ retriever.encode(word.lower())[0])),
                        float(retriever.encode(without)[0] @ whole),
                    )
                )
    near = [k for k in signals if not k[2]]
    answerable = [k for k in signals if k[2]]
    print(f"{len(near)} near-domain questions, {len(answerable)} answerable ones, over {', '.join(SETS)}")
    best: dict[int, tuple[int, tuple[float, float, float]]] = {}
    grid = itertools.product([3.0, 3.5, 4.0, 4.5, 5.0], [0.45, 0.5, 0.55, 0.6, 0.65], [0.75, 0.8, 0.85, 0.9, 1.01])
    for rare, novel, shift in grid:

        def refused(key: tuple[str, str, bool], t: tuple[float, float, float] = (rare, novel, shift)) -> bool:
            return any(z < t[0] and c < t[1] and s < t[2] for z, c, s in signals[key])

        false, hits = sum(map(refused, answerable)), sum(map(refused, near))
        if hits > best.get(false, (-1,))[0]:
            best[false] = (hits, (rare, novel, shift))
    print("false refusals at most | near-domain refused | (Zipf below, closest article word below, meaning kept below)")
    for most in range(6):
        hits, setting = max(best[f] for f in best if f <= most)
        print(f"{most:21} | {hits:13} of {len(near)} | {setting}")


if __name__ == "__main__":
    sys.exit(main())
