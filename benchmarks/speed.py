"""Medians over repeated runs, measured in one process (no timed assertions anywhere in the tests).

    python benchmarks/speed.py [--build]

retrieve p50 against its floor (a bare query encode plus FAISS search, same queries, same run),
ask p50, and with --build the wall time of `askback build` into a temporary folder in a new process.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import askback
from askback.evaluation import load_questions

QUESTIONS = Path(__file__).resolve().parents[1] / "evaluation" / "questions.jsonl"
ROUNDS = 5


def median_ms(fn, items) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(ROUNDS):
        for item in items:
            started = time.perf_counter()
            fn(item)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    index = askback.load_index()
    retriever = index._retriever
    queries = [q.question for q in load_questions(QUESTIONS)]
    index.retrieve("warm up")
    floor = median_ms(lambda q: retriever.stored.vectors.search(retriever.encode(q), 40), queries)
    encode = median_ms(retriever.encode, queries)
    full = median_ms(index.retrieve, queries)
    ask = median_ms(index.ask, queries)
    print(f"queries: {len(queries)} x {ROUNDS} rounds, {len(retriever.stored.passages)} passages")
    print(f"query encode p50        {encode:7.2f} ms")
    print(f"encode + FAISS p50      {floor:7.2f} ms   (the floor)")
    print(f"retrieve p50            {full:7.2f} ms   ratio to floor {full / floor:.2f}x")
    print(f"ask p50                 {ask:7.2f} ms")
    if "--build" in sys.argv:
        walls = []
        for _ in range(3):
            with tempfile.TemporaryDirectory() as tmp:
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "askback.cli", "build", "--index", f"{tmp}/index", "--json"],
                    check=True,
                    capture_output=True,
                )
                walls.append(time.perf_counter() - started)
        print(
            f"askback build wall p50  {statistics.median(walls):7.2f} s    (new process, model load included; runs: "
            + ", ".join(f"{w:.1f}" for w in walls)
            + ")"
        )


if __name__ == "__main__":
    main()
