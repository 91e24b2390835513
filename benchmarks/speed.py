"""Medians over repeated runs, measured in one process (no timed assertions anywhere in the tests).

    python benchmarks/speed.py [--build] [--http]

retrieve p50 and ask p50 against their floor (a bare query encode plus FAISS search, same queries,
same run), a 4,000-character message of four questions against the same floor (timed among the
queries, so a change in the machine's load hits it and the floor alike); with --http, ``POST
/api/ask`` and ``GET /api/info`` of ``askback serve`` in another process against ``ask`` in this one
(same questions, interleaved); with --build the wall time of `askback build` into a temporary folder
in a new process.
"""

from __future__ import annotations

import socket
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
MESSAGE_EVERY = 6  # a long message is timed after every sixth query: 80 times in all
_STORY = "I have had lower back pain for years after lifting at work, and physio and pills only helped a bit. "
_QUESTIONS = " Is acupuncture safe? How much does a session cost? How many sessions will I need? Does it hurt?"
# A message of four questions after a long story, at the 4,000-character limit.
MESSAGES = (("4,000 characters", (_STORY * 60)[: 4000 - len(_QUESTIONS)] + _QUESTIONS),)


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
    times: dict[str, list[float]] = {name: [] for name in [*steps, *dict(MESSAGES)]}
    for _ in range(ROUNDS):
        for n, query in enumerate(queries):  # interleaved, so drift in machine speed hits every step alike
            for name, fn in steps.items():
                times[name].append(timed_ms(fn, query))
            if n % MESSAGE_EVERY == 0:  # the long messages too, among the queries
                for name, text in MESSAGES:
                    times[name].append(timed_ms(index.ask, text))
    p50 = {name: statistics.median(values) for name, values in times.items()}
    print(f"queries: {len(queries)} x {ROUNDS} rounds, interleaved, {len(retriever.stored.passages)} passages")
    print(f"query encode p50        {p50['query encode']:7.2f} ms")
    print(f"encode + FAISS p50      {p50['encode + FAISS']:7.2f} ms   (the floor)")
    floor = p50["encode + FAISS"]
    print(f"retrieve p50            {p50['retrieve']:7.2f} ms   ratio to floor {p50['retrieve'] / floor:.2f}x")
    print(f"ask p50                 {p50['ask']:7.2f} ms   ratio to floor {p50['ask'] / floor:.2f}x")
    for name, _ in MESSAGES:
        median = p50[name]
        print(f"ask p50, {name:<22} {median:7.2f} ms   ratio to floor {median / floor:.2f}x")
    if "--http" in sys.argv:
        http(index, queries)
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


def http(index: askback.Index, queries: list[str]) -> None:
    """The cost of HTTP over ``ask`` in process: the server answers from the same index folder."""
    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "askback.cli", "serve", "--port", str(port), "--index", str(index.path)]
        server = subprocess.Popen(
            [*command, "--feedback", f"{tmp}/feedback.jsonl"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                for _ in range(600):  # gradio loads in a few seconds
                    try:
                        client.get("/api/info")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                for query in queries:  # warm: the server finds its suggestions on the first question
                    client.post("/api/ask", json={"question": query})
                times: dict[str, list[float]] = {"ask": [], "POST /api/ask": [], "GET /api/info": []}
                for _ in range(ROUNDS):
                    for query in queries:
                        times["ask"].append(timed_ms(index.ask, query))
                        times["POST /api/ask"].append(
                            timed_ms(lambda q: client.post("/api/ask", json={"question": q}), query)
                        )
                        times["GET /api/info"].append(timed_ms(lambda _: client.get("/api/info"), None))
        finally:
            server.terminate()
            server.wait(timeout=30)
    p50 = {name: statistics.median(values) for name, values in times.items()}
    print(f"ask in process p50      {p50['ask']:7.2f} ms")
    print(
        f"POST /api/ask p50       {p50['POST /api/ask']:7.2f} ms   {p50['POST /api/ask'] - p50['ask']:+.2f} ms over ask"
    )
    print(f"GET /api/info p50       {p50['GET /api/info']:7.2f} ms")


if __name__ == "__main__":
    main()
