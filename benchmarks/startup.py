"""Start-up and query-encoding costs, medians over repeated runs (issue: fast start, lighter queries).

    python benchmarks/startup.py

- cold `askback ask` (a new process on the shipped index), wall time;
- `askback serve`: seconds from process start until its port answers HTTP;
- query encode p50: the ONNX encoder the app uses, and sentence-transformers, same texts, same run.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def cold_ask() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "askback.cli", "ask", "How many sessions are needed?"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def serve_ready() -> float:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "askback.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < 120:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                return time.perf_counter() - started
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("serve did not answer in 120 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def encode_p50(encoder, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    encoder.encode(["warm up"])
    times = []
    for _ in range(RUNS):
        for text in texts:
            started = time.perf_counter()
            encoder.encode([text])
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    from askback.evaluation import load_questions
    from askback.index.embedding import MiniLMEmbedder, OnnxQueryEncoder

    asks = [cold_ask() for _ in range(RUNS)]
    serves = [serve_ready() for _ in range(3)]
    texts = [q.question for q in load_questions(ROOT / "evaluation" / "questions.jsonl")]
    onnx, torch = encode_p50(OnnxQueryEncoder(), texts), encode_p50(MiniLMEmbedder(), texts)
    print(f"cold askback ask        p50 {statistics.median(asks):5.2f} s   runs {', '.join(f'{t:.2f}' for t in asks)}")
    print(
        f"askback serve to HTTP   p50 {statistics.median(serves):5.2f} s   runs {', '.join(f'{t:.2f}' for t in serves)}"
    )
    print(f"query encode, ONNX      p50 {onnx:5.2f} ms")
    print(f"query encode, torch     p50 {torch:5.2f} ms   ({torch / onnx:.1f}x the ONNX time)")


if __name__ == "__main__":
    main()
