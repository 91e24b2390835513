"""The worst request the limits allow, and what it costs everyone else (loopback only).

    python benchmarks/worst_request.py [URL] [--normal 40]

Without URL it starts ``askback serve`` on the shipped index on a free port. The worst request is
a 4,000-character message and a history of ``history_turns`` turns of 4,000 characters each (a
longer history is cut to those before any search), in several shapes: questions of the articles'
words, misspelt words, a story then five questions, red-flag symptoms. Reports each shape's time
(median of 3, in ms) and the worst; the time of ``{"question": "and how much?", "history": ["a"] *
10000}``; then normal questions' p50 alone and while two worst requests run without pause; and the
shipped safety patterns' time on a 4,000-character message.
"""

from __future__ import annotations

import os
import random
import statistics
import string
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from askback.config import ANSWERING, MAX_QUESTION_CHARS
from askback.corpus.bot import read_bot

ROOT = Path(__file__).resolve().parents[1]
NORMAL = ["Is acupuncture safe?", "How many sessions does NICE recommend?", "How much does a session cost?"]
SYMPTOMS = "my legs feel weak and numb, the pain is severe and getting worse and I had cancer. is it serious?"


def option(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def serve() -> tuple[subprocess.Popen[bytes], str]:
    """``askback serve`` on the shipped index, once it answers."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ASKBACK_INDEX": str(ROOT / "index"), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "askback.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(180):
        try:
            httpx.get(f"{url}/api/info", timeout=2)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    sys.exit("askback serve did not start")


def shapes(words: list[str]) -> dict[str, Callable[[], str]]:
    """Makers of 4,000-character messages, each of another shape."""
    rng = random.Random(0)

    def filled(sentence: Callable[[], str]) -> str:
        text = ""
        while len(longer := f"{text} {sentence()}".strip()) <= MAX_QUESTION_CHARS:
            text = longer
        return text

    def asked() -> str:
        return " ".join(rng.choice(words) for _ in range(12)) + "?"

    def misspelt() -> str:
        letters = string.ascii_lowercase
        return " ".join("".join(rng.choice(letters) for _ in range(rng.randint(5, 12))) for _ in range(12)) + "?"

    def story() -> str:
        told = filled(lambda: " ".join(rng.choice(words) for _ in range(15)) + ".")[: MAX_QUESTION_CHARS - 600]
        return f"{told} {' '.join(asked() for _ in range(5))}"[:MAX_QUESTION_CHARS]

    return {
        "questions of the articles' words": lambda: filled(asked),
        "misspelt words": lambda: filled(misspelt),
        "a story then five questions": story,
        "red-flag symptoms": lambda: filled(lambda: SYMPTOMS),
    }


def timed(client: httpx.Client, body: dict[str, object]) -> float:
    started = time.perf_counter()
    response = client.post("/api/ask", json=body)
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code}: {response.text[:200]}")
    return (time.perf_counter() - started) * 1000


def main() -> None:
    given = next((a for a in sys.argv[1:] if a.startswith("http")), None)
    process, url = (None, given.rstrip("/")) if given else serve()
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            articles = client.get("/api/articles").json()["articles"]
            words = [w for a in articles for w in client.get(f"/api/articles/{a['id']}").json()["text"].split()]
            worst_body: dict[str, object] = {}
            worst = 0.0
            for name, make in shapes(words).items():
                body = {"question": make(), "history": [make() for _ in range(ANSWERING.history_turns)]}
                ms = statistics.median(timed(client, body) for _ in range(3))
                print(f"{name}: {ms:.0f} ms")
                if ms > worst:
                    worst, worst_body = ms, body
            print(f"worst allowed request: {worst:.0f} ms")
            flood = timed(client, {"question": "and how much?", "history": ["a"] * 10_000})
            print(f"'and how much?' with a history of 10,000 turns: {flood:.0f} ms")
            count = option("--normal", 40)
            alone = [timed(client, {"question": NORMAL[n % len(NORMAL)]}) for n in range(count)]
            stop = threading.Event()

            def hammer() -> None:
                with httpx.Client(base_url=url, timeout=120) as own:
                    while not stop.is_set():
                        timed(own, worst_body)

            threads = [threading.Thread(target=hammer) for _ in range(2)]
            for thread in threads:
                thread.start()
            time.sleep(worst / 1000)  # both under way
            busy = [timed(client, {"question": NORMAL[n % len(NORMAL)]}) for n in range(count)]
            stop.set()
            for thread in threads:
                thread.join()
            p95 = sorted(busy)[int(0.95 * count)]
            print(
                f"normal answers: p50 {statistics.median(alone):.0f} ms alone, "
                f"{statistics.median(busy):.0f} ms while two worst requests run (p95 {p95:.0f} ms)"
            )
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    safety = read_bot(ROOT / "corpus").safety
    message = shapes(["legs", "numb", "pain", "severe", "worse", "doctor", "when", "see"])["red-flag symptoms"]()
    runs = []
    for _ in range(20):
        started = time.perf_counter()
        safety.red_flags_in(message)
        safety.asks_for_a_doctor(message)
        safety.urgency(message)
        runs.append((time.perf_counter() - started) * 1000)
    print(
        f"shipped safety patterns on a {len(message):,}-character message: first {runs[0]:.2f} ms (RE2 builds its "
        f"automaton), then median {statistics.median(runs[1:]):.2f} ms, max {max(runs[1:]):.2f} ms"
    )


if __name__ == "__main__":
    main()
