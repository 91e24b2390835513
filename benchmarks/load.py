"""Concurrent chat sessions against a running `askback serve`, through its HTTP API (loopback only).

    askback serve --port 7860 &   then   python benchmarks/load.py [URL] [--sessions 20] [--turns 5]
        [--rebuild INDEX --corpus CORPUS] [--server-pid PID]

Each session is its own gradio_client connection asking a short conversation (follow-ups included).
Reports throughput, p50/p95 latency per request and errors. Bounded: sessions x turns requests.
``--rebuild`` runs ``askback build --full`` on the served index once the first answers are in, so the
server swaps builds mid-run; ``--server-pid`` reports the server's memory (VmRSS) before and after.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

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


def main() -> None:
    url = next((a for a in sys.argv[1:] if a.startswith("http")), "http://127.0.0.1:7860/")
    sessions, turns = option("--sessions", 20), option("--turns", len(CONVERSATION))
    if value("--rebuild") and not value("--corpus"):
        sys.exit("--rebuild needs --corpus")
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def session() -> None:
        client = Client(url, verbose=False)
        history: list = []
        for question in (CONVERSATION * turns)[:turns]:
            started = time.perf_counter()
            try:
                history = client.predict(question, history, api_name="/ask")[0]
            except Exception as exc:  # counted and reported, never fatal
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    pid = int(value("--server-pid")) if value("--server-pid") else None
    before = rss_mb(pid)
    threads = [threading.Thread(target=session) for _ in range(sessions)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    rebuild = None
    if value("--rebuild"):
        while not latencies and time.perf_counter() - started < 60:
            time.sleep(0.1)
        command = ["askback", "build", "--full", "--index", str(value("--rebuild")), "--corpus", value("--corpus")]
        rebuild = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for t in threads:
        t.join(timeout=300)
    wall = time.perf_counter() - started
    if rebuild is not None:
        error = rebuild.communicate(timeout=300)[1].strip().splitlines()
        print(f"rebuild during the run: exit {rebuild.returncode} {error[-1] if error else ''}")
    print(f"server memory: {before} MB before, {rss_mb(pid)} MB after")
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else float("nan")
    print(f"sessions {sessions}, requests {len(latencies) + len(errors)}, errors {len(errors)}, wall {wall:.1f} s")
    print(f"throughput {len(latencies) / wall:.1f} answers/s")
    print(f"latency p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms")
    for e in errors[:5]:
        print("error:", e)


if __name__ == "__main__":
    main()
