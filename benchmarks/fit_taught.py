"""Fit ``taught_above``, how close a question must be to a taught one to take its answer, on
questions that were not taught.

    python benchmarks/fit_taught.py [--second-index=PATH] [--work=DIR] [--json]

``--work``: keep the taught copies in DIR and reuse them when run again (the teaching and builds
do not depend on the threshold).

Each experiment teaches one question set (``askback teach --from``) into a copy of its corpus,
builds the copy's index (incrementally, from the set's own index), and scores another set that was
not taught, for each threshold of the grid; "off" (above 1) is the index with nothing used, which
answers exactly as an untaught one. The experiments: teach questions.jsonl, score real_style.jsonl,
and the reverse; teach the second corpus's questions at even lines, score those at odd lines, and
the reverse (each condition's other questions: "What causes X?" must not take the answer taught
for "What is X?", nor "What are the symptoms of Y?" that of X); teach the other acupuncture sets,
score fresh.jsonl (messages worded as people post them, some asking what a taught question asks).
The chosen threshold is the lowest (the most reach for what is taught) at which no experiment
loses anything: hit@1, hit@3, MRR, precision, and out-of-scope and near-domain refusals at least as
without teaching. Then every acupuncture set is taught and unseen.jsonl,
which no fit reads, is scored with the chosen threshold.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit import scored
from sets import ROOT, SECOND_CORPUS, index_for, items

GRID = (0.75, 0.8, 0.85, 0.9, 0.95, 1.01)  # 1.01: nothing taught is used
KEYS = ("hit1", "hit3", "mrr", "precision", "false_abstain", "out_abstain", "near_abstain", "coverage")


def halves(name: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = items(name)
    return rows[0::2], rows[1::2]


def taught_index(work: Path, label: str, corpus: Path, base: Path, teach: list[dict[str, Any]]) -> Any:
    """An index of a copy of ``corpus`` with ``teach`` taught, built from a copy of ``base``."""
    import askback

    folder = work / label
    if (folder / "index" / "manifest.json").exists():
        return askback.load_index(folder / "index")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(corpus, folder / "corpus")
    shutil.copytree(base, folder / "index")
    taught = folder / "taught-set.jsonl"
    taught.write_text("".join(json.dumps(row) + "\n" for row in teach), encoding="utf-8")
    report = askback.teach_from(taught, folder / "corpus", folder / "index")
    assert report.build is not None
    print(
        f"{label}: taught {report.taught} pairs for {report.questions} questions "
        f"({report.skipped_empty} empty gold, {report.ambiguous} in several articles; "
        f"{len(report.build.stale_taught)} stale)",
        flush=True,
    )
    return askback.load_index(folder / "index")


def main() -> None:
    from askback.config import ANSWERING

    given = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--second-index=")), "")
    second = Path(given) if given else index_for("second").path  # the second corpus's built index
    even, odd = halves("second")
    kept = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--work=")), "")
    with tempfile.TemporaryDirectory(prefix="askback-fit-taught-") as tmp:
        work = Path(kept or tmp)
        acupuncture = items("questions") + items("real_style") + items("own")
        experiments = {
            "teach questions, score real_style": (
                taught_index(work, "questions", ROOT / "corpus", ROOT / "index", items("questions")),
                items("real_style"),
            ),
            "teach real_style, score questions": (
                taught_index(work, "real_style", ROOT / "corpus", ROOT / "index", items("real_style")),
                items("questions"),
            ),
            "teach second even, score second odd": (taught_index(work, "even", SECOND_CORPUS, second, even), odd),
            "teach second odd, score second even": (taught_index(work, "odd", SECOND_CORPUS, second, odd), even),
            "teach questions, real_style and own, score fresh": (
                taught_index(work, "acupuncture", ROOT / "corpus", ROOT / "index", acupuncture),
                items("fresh"),
            ),
        }
        held_out = taught_index(work, "every", ROOT / "corpus", ROOT / "index", acupuncture + items("fresh"))
        results: dict[float, dict[str, dict[str, Any]]] = {}
        for threshold in GRID:
            settings = dataclasses.replace(ANSWERING, taught_above=threshold)
            results[threshold] = {
                name: scored(settings, {name: rows}, {name: index})[name] for name, (index, rows) in experiments.items()
            }
            print(
                threshold, {n: {k: r[k] for k in ("hit1", "mrr", "precision")} for n, r in results[threshold].items()}
            )
        chosen = choose(results)
        unseen = items_of(ROOT / "evaluation" / "unseen.jsonl")
        for name, threshold in (("before", GRID[-1]), ("after", chosen)):
            settings = dataclasses.replace(ANSWERING, taught_above=threshold)
            row = scored(settings, {"unseen": unseen}, {"unseen": held_out})["unseen"]
            results[threshold]["teach every acupuncture set, score unseen (no fit reads it)"] = row
            print(f"unseen {name}: {dict((k, row[k]) for k in KEYS)}", flush=True)
    report(results, chosen)


def items_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def choose(results: dict[float, dict[str, dict[str, Any]]]) -> float:
    """The lowest threshold at which no experiment loses on any measure."""
    off = results[GRID[-1]]
    measures = ("hit1", "hit3", "mrr", "precision", "out_abstain", "near_abstain")

    def loses_nothing(t: float) -> bool:
        return all((results[t][n][m] or 0) >= (off[n][m] or 0) for n in off for m in measures)

    return min((t for t in GRID if loses_nothing(t)), default=GRID[-1])


def report(results: dict[float, dict[str, dict[str, Any]]], chosen: float) -> None:
    off = results[GRID[-1]]
    print(f"\nchosen taught_above = {chosen}")
    table = {
        name: {"before": {k: off[name][k] for k in KEYS}, "after": {k: results[chosen][name][k] for k in KEYS}}
        for name in off
    }
    for name, row in table.items():
        print(f"{name}:\n  before {row['before']}\n  after  {row['after']}")
    if "--json" in sys.argv:
        print(
            json.dumps(
                {
                    "taught_above": chosen,
                    "experiments": table,
                    "grid": {str(t): {n: {k: r[k] for k in KEYS} for n, r in results[t].items()} for t in GRID},
                }
            )
        )


if __name__ == "__main__":
    main()
