"""How often askback answers confidently what its articles don't answer, and what that costs on
questions they do, over every set at once.

    python benchmarks/confident.py [--near-only] [--json]

Near-domain sets (``sets.NEAR``, each answered from its corpus's index): of the near questions,
the share refused, the share answered unsure ("may not answer this") and the share answered
confidently (neither ``abstained`` nor ``unsure``); off-topic ones must be refused. The target: at
most 10% answered confidently on each set. A message of several questions counts as confident
when one of its parts is answered and not unsure: it says nothing of what the articles lack.

In-scope sets (``sets.SETS`` and ``unseen``): hit@3, MRR and false refusals from ../shared/eval/score.py, and the
share of answerable one-question messages answered unsure (a hedge the reader did not need).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sets import NEAR, ROOT, SETS, answering_from, index_for, near_index, read

# Scored here, never read by a fit: how a change does on questions nothing was fitted on.
IN_SCOPE = {**SETS, "unseen": ROOT / "evaluation" / "unseen.jsonl"}

ANSWERABLE = {"single", "multi", "followup"}


def confident(answer: Any) -> bool:
    """Answered as if covered: quotes shown, and neither the answer nor any answered part unsure."""
    if answer.abstained:
        return False
    parts = [p for p in answer.parts if not p.abstained and not p.red_flags]
    return any(not p.unsure for p in parts) if parts else not answer.unsure


def near_figures(name: str) -> dict[str, Any] | None:
    import askback

    index = near_index(name)
    if index is None:
        return None
    answering_from(index)
    counts = {"near": 0, "refused": 0, "unsure": 0, "confident": 0, "out": 0, "out_refused": 0}
    confidently: list[str] = []
    for item in read(NEAR[name]):
        answer = askback.ask(item["question"], history=item.get("history", []))
        if item["kind"] == "out":
            counts["out"] += 1
            counts["out_refused"] += answer.abstained
            continue
        counts["near"] += 1
        if answer.abstained:
            counts["refused"] += 1
        elif confident(answer):
            counts["confident"] += 1
            confidently.append(item["id"])
        else:
            counts["unsure"] += 1
    n = counts["near"] or 1
    return {
        "near": counts["near"],
        "refused": round(counts["refused"] / n, 3),
        "unsure": round(counts["unsure"] / n, 3),
        "confident": round(counts["confident"] / n, 3),
        "out_refused": round(counts["out_refused"] / max(counts["out"], 1), 3),
        "confidently_answered": confidently,
    }


def in_scope_figures(name: str) -> dict[str, Any]:
    import score

    import askback

    answering_from(index_for(name))
    questions = read(IN_SCOPE[name])
    answers: dict[str, Any] = {}
    ask = askback.ask

    def keeping(question: str, history: Any = ()) -> Any:  # score.py's answers, kept to read once more
        answers[question + "\n".join(history)] = answer = ask(question, history=history)
        return answer

    askback.ask = keeping  # type: ignore[assignment]
    try:
        r = score.score(questions)
    finally:
        askback.ask = ask  # type: ignore[assignment]
    answerable = [q for q in questions if q["kind"] in ANSWERABLE]
    unsure = sum(answers[q["question"] + "\n".join(q.get("history", []))].unsure for q in answerable)
    near = [answers[q["question"] + "\n".join(q.get("history", []))] for q in questions if q["kind"] == "near"]
    return {
        "hit3": r["hit3"],
        "mrr": r["mrr"],
        "false_abstain": r["false_abstain"],
        "parts_answered": r["parts_answered"],
        "out_abstain": r["out_abstain"],
        "near_abstain": r["near_abstain"],
        "answerable_unsure": round(unsure / max(len(answerable), 1), 3),
        "near_confident": round(sum(map(confident, near)) / len(near), 3) if near else None,
    }


def main() -> None:
    results: dict[str, Any] = {"near": {}, "in_scope": {}}
    for name in NEAR:
        figures = near_figures(name)
        if figures is None:
            print(f"near {name}: no index (sets.CORPUS_INDEXES), skipped", file=sys.stderr)
            continue
        results["near"][name] = figures
        if "--json" not in sys.argv:
            print(f"near {name:<9}", {k: v for k, v in figures.items()}, flush=True)
    if "--near-only" not in sys.argv:
        for name in IN_SCOPE:
            results["in_scope"][name] = figures = in_scope_figures(name)
            if "--json" not in sys.argv:
                print(f"in-scope {name:<10}", figures, flush=True)
    if "--json" in sys.argv:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
