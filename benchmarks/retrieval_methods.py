"""Hit@1, hit@3 and MRR of retrieval alone, per method, on a question set (follow-ups use their history).

python benchmarks/retrieval_methods.py [SET.jsonl ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import askback
from askback.evaluation import IN_SCOPE, load_questions, rank_of
from askback.search.retrieval import Method

DEFAULT_SETS = [Path("../shared/eval/questions.jsonl"), Path("evaluation/questions.jsonl")]


def main(paths: list[Path]) -> None:
    index = askback.load_index()
    retriever = index._retriever
    for path in paths:
        if not path.exists():
            continue
        questions = [q for q in load_questions(path) if q.kind in IN_SCOPE]
        print(f"{path} ({len(questions)} in-scope questions, top 3 passages)")
        print(f"  {'method':<10} {'hit@1':>6} {'hit@3':>6} {'MRR':>6}")
        for method in Method:
            ranks = []
            for q in questions:
                query = " ".join((*q.history[-1:], q.question))
                ranks.append(rank_of([h.passage for h in retriever.search(query, 10, method)], q.gold))
            hit1 = sum(r == 1 for r in ranks) / len(ranks)
            hit3 = sum(r is not None and r <= 3 for r in ranks) / len(ranks)
            mrr = sum(1 / r for r in ranks if r) / len(ranks)
            print(f"  {method.value:<10} {hit1:6.3f} {hit3:6.3f} {mrr:6.3f}")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or DEFAULT_SETS)
