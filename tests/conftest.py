"""Shared fixtures: tiny corpora written into tmp_path, and a fake embedder so most tests need no model."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

import askback
from askback.search.words import tokenize

ARTICLES = {
    "needles.txt": (
        "title: How Acupuncture Needles Work\nauthor: Ada Example\npublisher: Example Health",
        "What Is Acupuncture?\n"
        "Acupuncture places very thin needles into specific points on the body. "
        "Practitioners say the needles calm irritated nerves.\n"
        "Is It Safe?\n"
        "Side effects are minor and include soreness or bruising at the needle site. "
        "Serious problems are rare.\n",
    ),
    "costs.txt": (
        "title: What Acupuncture Costs\ntitle_inferred: yes\nurl: https://example.org/costs",
        "A session usually costs around $75 in the United States. "
        "Most people need between eight and twelve sessions.\n"
        "Insurance rarely covers it.\n",
    ),
}


class FakeEmbedder:
    """Hashes stemmed words into a fixed number of buckets: similar wording, similar vectors."""

    name = "fake-hashing"
    dim = 512

    def encode(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                rows[row, int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        if on_batch:
            on_batch(len(texts))
        return rows / np.where(norms == 0, 1.0, norms)


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, noting how many texts each call encodes (an answer encodes each text it
    searches once, most of them in one call) and taking ``delay`` seconds for each text."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.delay = 0.0

    @property
    def texts(self) -> int:
        return sum(self.calls)

    def encode(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        self.calls.append(len(texts))
        time.sleep(self.delay * len(texts))
        return super().encode(texts, on_batch)


def write_article(folder: Path, name: str, header: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{header}\n---\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    for name, (header, body) in ARTICLES.items():
        write_article(folder, name, header, body)
    return folder


@pytest.fixture
def built(tmp_path: Path, corpus: Path, embedder: FakeEmbedder) -> askback.Index:
    askback.build_index(corpus, tmp_path / "index", embedder=embedder)
    return askback.load_index(tmp_path / "index", embedder=embedder)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_serve(
    *args: str, env: dict[str, str], stderr: int = subprocess.DEVNULL
) -> tuple[subprocess.Popen[bytes], str]:
    """``askback serve --port PORT ARGS`` in a new process, once it answers: the process and its address."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "askback.cli", "serve", "--port", str(port), *args],
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", **env},
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    pytest.fail("askback serve did not answer within 90 s")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real ``askback serve`` on the shipped index: its address and its feedback log."""
    feedback = tmp_path_factory.mktemp("fb") / "feedback.jsonl"
    process, url = start_serve(env={"ASKBACK_FEEDBACK": str(feedback)})
    yield url, feedback
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def counting(tmp_path: Path, corpus: Path) -> tuple[askback.Index, CountingEmbedder]:
    """A bot whose encoder counts its work, from its first answer on."""
    embedder = CountingEmbedder()
    askback.build_index(corpus, tmp_path / "index", embedder=embedder)
    index = askback.load_index(tmp_path / "index", embedder=embedder)
    index.ask("hello")  # suggestions are found once per build, before any request is counted or timed
    embedder.calls.clear()
    return index, embedder
