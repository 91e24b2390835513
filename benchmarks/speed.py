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


def timed_ms(fn, item) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn(item)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    index = askback.load_index()
    retriever = index._retriever
    queries = [q.question for q in load_questions(QUESTIONS)]
    index.ask("warm up")
    steps = {
        "query encode": retriever.encode,
        "encode + FAISS": lambda q: retriever.stored.vectors.search(retriever.encode(q), 40),
        "retrieve": index.retrieve,
        "ask": index.ask,
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(ROUNDS):
        for query in queries:  # interleaved, so drift in machine speed hits every step alike
            for name, fn in steps.items():
                times[name].append(timed_ms(fn, query))
    p50 = {name: statistics.median(values) for name, values in times.items()}
    print(f"queries: {len(queries)} x {ROUNDS} rounds, interleaved, {len(retriever.stored.passages)} passages")
    print(f"query encode p50        {p50['query encode']:7.2f} ms")
    print(f"encode + FAISS p50      {p50['encode + FAISS']:7.2f} ms   (the floor)")
    ratio = p50["retrieve"] / p50["encode + FAISS"]
    print(f"retrieve p50            {p50['retrieve']:7.2f} ms   ratio to floor {ratio:.2f}x")
    print(f"ask p50                 {p50['ask']:7.2f} ms")
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


def messages() -> None:
    """``ask`` p50 for a one-question message and for a 4,000-character message of four questions."""
    import askback

    story = "I have had lower back pain for years after lifting at work, and physio and pills only helped a bit. "
    questions = " Is acupuncture safe? How much does a session cost? How many sessions will I need? Does it hurt?"
    long = (story * 60)[: 4000 - len(questions)] + questions
    askback.ask("warm up")
    for name, text in (("one question", "Is acupuncture safe?"), ("4,000 characters, four questions", long)):
        times = []
        for _ in range(15):
            started = time.perf_counter()
            askback.ask(text)
            times.append((time.perf_counter() - started) * 1000)
        print(f"ask p50, {name} ({len(text)} characters): {statistics.median(times):.1f} ms")


if __name__ == "__main__":
    if "--messages" in sys.argv:
        messages()
    else:
        main()
