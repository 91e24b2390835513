"""Concurrent chat sessions against a running `askback serve`, through its HTTP API (loopback only).

    askback serve --port 7860 &   then   python benchmarks/load.py [URL] [--sessions 20] [--turns 5]
        [--rebuild INDEX --corpus CORPUS] [--server-pid PID]

Each chat session is its own gradio_client connection asking a short conversation (follow-ups
included), as a browser tab does; then as many JSON API sessions ask it over ``POST /api/ask``, each
sending its earlier questions as ``history``. Reports throughput, p50/p95 latency per request and
errors for each. Bounded: 2 x sessions x turns requests. ``--rebuild`` runs ``askback build --full``
on the served index as the run starts, so the server swaps builds mid-run; ``--server-pid`` reports
the server's memory (VmRSS) before and after.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from gradio_client import Client

CONVERSATION = [
    "Is acupuncture safe?",
    "what about serious ones?",
    "How many sessions does NICE recommend?",
    "over how many weeks?",
    "What's the weather like in London?",
]


def option(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def rss_mb(pid: int | None) -> str:
    if pid is None:
        return "-"
    status = Path(f"/proc/{pid}/status").read_text()
    return str(int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) // 1024)


def value(name: str) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run(label: str, sessions: int, conversation: Callable[[Callable[[], None]], None]) -> tuple[float, float, int]:
    """``sessions`` concurrent conversations; each calls ``timed`` around every request it makes."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def session() -> None:
        def timed(request: Callable[[], object]) -> None:
            started = time.perf_counter()
            try:
                request()
            except Exception as exc:  # counted and reported, never fatal
                with lock:
                    errors.append(repr(exc))
                return
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

        conversation(timed)

    threads = [threading.Thread(target=session) for _ in range(sessions)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    wall = time.perf_counter() - started
    p50, p95 = (statistics.median(latencies) if latencies else float("nan")), percentile(latencies, 0.95)
    print(
        f"{label}: sessions {sessions}, requests {len(latencies) + len(errors)}, errors {len(errors)}, "
        f"wall {wall:.1f} s, {len(latencies) / wall:.1f} answers/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms"
    )
    for e in errors[:5]:
        print("  error:", e)
    return p50, p95, len(errors)


def main() -> None:
    url = next((a for a in sys.argv[1:] if a.startswith("http")), "http://127.0.0.1:7860/")
    sessions, turns = option("--sessions", 20), option("--turns", len(CONVERSATION))
    if value("--rebuild") and not value("--corpus"):
        sys.exit("--rebuild needs --corpus")
    questions = (CONVERSATION * turns)[:turns]
    pid = int(value("--server-pid")) if value("--server-pid") else None
    before = rss_mb(pid)

    def chat(timed: Callable[[Callable[[], object]], None]) -> None:
        client = Client(url, verbose=False)  # one browser tab: its follow-ups read its own session
        history: list = []
        for question in questions:

            def send(question: str = question) -> None:
                nonlocal history
                history = client.predict(question, history, api_name="/ask")[0]

            timed(send)

    def json_api(timed: Callable[[Callable[[], object]], None]) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            asked: list[str] = []
            for question in questions:

                def send(question: str = question) -> None:
                    response = client.post("/api/ask", json={"question": question, "history": asked})
                    response.raise_for_status()

                timed(send)
                asked.append(question)

    rebuild = None
    if value("--rebuild"):
        command = ["askback", "build", "--full", "--index", str(value("--rebuild")), "--corpus", value("--corpus")]
        rebuild = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    run("chat (Gradio queue)", sessions, chat)
    run("JSON API (POST /api/ask)", sessions, json_api)
    if rebuild is not None:
        error = rebuild.communicate(timeout=300)[1].strip().splitlines()
        print(f"rebuild during the run: exit {rebuild.returncode} {error[-1] if error else ''}")
    print(f"server memory: {before} MB before, {rss_mb(pid)} MB after")


if __name__ == "__main__":
    main()
