"""Growing corpora: generated articles built from the corpus's real sentences, measured at scale.

    python benchmarks/scale.py [--real-articles 500] [--sizes 1000,10000,100000,200000]

1. Real model (`askback build` path, sentence-transformers): build throughput in passages/s on a
   generated corpus of --real-articles articles, then the same corpus with 1% of its articles
   changed, rebuilt incrementally.
2. At each size in passages: the same pipeline with a stand-in embedder whose passage vectors are
   the normalised mean of *real* vectors of their sentences (embedding 200k passages with the real
   model would take over an hour here); then, in a fresh process, `retrieve` p50/p95 with the real
   ONNX query encoder, peak memory, and for HNSW indexes recall@10 against exact search.
Bounded: every loop has a fixed count. Nothing is timed in the tests; this is a report.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = 7
PASSAGES_PER_ARTICLE = 20  # about, with the generator below


def real_pieces() -> tuple[list[str], list[str]]:
    """The shipped corpus's sentences and headings: what generated articles are made of."""
    from askback.corpus.chunking import passage_units
    from askback.corpus.files import load_corpus
    from askback.index.build import passages_of

    sentences, headings = [], set()
    for doc in load_corpus(ROOT / "corpus"):
        for p in passages_of(doc):
            sentences += [p.text[a:b] for a, b in passage_units(p.text, 0, len(p.text)) if b - a > 30]
            if p.heading.endswith("?"):
                headings.add(p.heading.rsplit(" › ", 1)[-1])
    return sorted(set(sentences)), sorted(headings)


def generate(folder: Path, articles: int, seed: int = SEED, start: int = 0) -> None:
    sentences, headings = real_pieces()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + articles):
        lines = []
        for _ in range(10):
            lines.append(rng.choice(headings))
            for _ in range(2):
                lines.append(" ".join(rng.sample(sentences, rng.randint(2, 3))))
        title = f"{rng.choice(headings)} (generated {n})"
        (folder / f"gen-{n:05d}.txt").write_text(f"---\ntitle: {title}\n---\n" + "\n".join(lines) + "\n", "utf-8")


class SentenceMeanEmbedder:
    """Stand-in for scale runs: a text's vector is the normalised mean of its sentences' real vectors."""

    def __init__(self) -> None:
        from askback.index.embedding import MODEL_NAME, OnnxQueryEncoder

        self.name, self.dim = MODEL_NAME, 384
        self._real = OnnxQueryEncoder()
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        from askback.corpus.chunking import split_sentences

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            parts = [text[a:b] for a, b in split_sentences(text)] or [text]
            for part in parts:
                if part not in self._cache:
                    self._cache[part] = self._real.encode([part])[0]
            mean = np.mean([self._cache[p] for p in parts], axis=0)
            out[row] = mean / (np.linalg.norm(mean) or 1.0)
        return out


def real_build(articles: int, work: Path) -> dict[str, float]:
    from askback.api import build_index

    corpus, index = work / "real-corpus", work / "real-index"
    generate(corpus, articles)
    full = build_index(corpus, index, full=True)
    changed = max(1, articles // 100)
    for path in sorted(corpus.glob("*.txt"))[:changed]:
        path.write_text(path.read_text("utf-8") + "This article was revised in a later edition.\n", "utf-8")
    started = time.perf_counter()  # a new process, as a user runs it: model import included
    cli = [sys.executable, "-m", "askback.cli", "build", "--corpus", str(corpus), "--index", str(index), "--json"]
    again = json.loads(subprocess.run(cli, check=True, capture_output=True, text=True).stdout)
    incremental = time.perf_counter() - started
    return {
        "articles": articles,
        "passages": full.passages,
        "full_build_s": full.seconds,
        "passages_per_s": round(full.passages / full.seconds, 1),
        "changed_articles": changed,
        "incremental_s": round(incremental, 2),
        "incremental_embedded": again["embedded"],
        "incremental_share": round(incremental / full.seconds, 4),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory. Not getrusage: on Linux its ru_maxrss keeps the parent's
    peak across fork and exec, so a child of a large process would report the parent's memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def measure(index: Path, recall: bool) -> dict[str, float]:
    """In this (fresh) process: load, query, time, and compare HNSW with exact search."""
    import faiss

    import askback
    from askback.evaluation import load_questions

    started = time.perf_counter()
    loaded = askback.load_index(index)
    load_s = time.perf_counter() - started
    questions = [q.question for q in load_questions(ROOT / "evaluation" / "questions.jsonl")]
    loaded.retrieve("warm up")
    times = []
    for _ in range(3):
        for q in questions:
            t = time.perf_counter()
            loaded.retrieve(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    result = {
        "passages": len(loaded._retriever.stored.passages),
        "search": loaded._retriever.stored.manifest["search"]["passages"],
        "load_s": round(load_s, 1),
        "retrieve_p50_ms": round(statistics.median(times), 2),
        "retrieve_p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
    }
    stored = loaded._retriever.stored
    if recall and result["search"] == "hnsw":
        vectors = stored.vectors.reconstruct_n(0, stored.vectors.ntotal)
        exact = faiss.IndexFlatIP(vectors.shape[1])
        exact.add(vectors)
        rng = np.random.default_rng(SEED)
        queries = np.vstack(
            [loaded._retriever.encode(q) for q in questions] + [vectors[rng.integers(0, len(vectors), 100)]]
        )
        _, want = exact.search(queries, 10)
        _, got = stored.vectors.search(queries, 10)
        result["recall_at_10"] = round(
            float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(want, got, strict=True)])), 4
        )
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def scale_build(passages: int, work: Path) -> tuple[Path, dict[str, float]]:
    from askback.index import build as storage

    articles = max(1, passages // PASSAGES_PER_ARTICLE)
    corpus, index = work / f"corpus-{passages}", work / f"index-{passages}"
    generate(corpus, articles)
    started = time.perf_counter()
    report = storage.build(corpus, index, SentenceMeanEmbedder(), full=True)
    return index, {
        "articles": articles,
        "pipeline_build_s": round(time.perf_counter() - started, 1),
        "built_passages": report.passages,
    }


def main() -> None:
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(Path(sys.argv[2]), recall=True)))
        return
    arg = lambda name, default: sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default  # noqa: E731
    sizes = [int(s) for s in arg("--sizes", "1000,10000,100000,200000").split(",")]
    real_articles = int(arg("--real-articles", "500"))
    work = Path(tempfile.mkdtemp(prefix="askback-scale-"))
    try:
        if real_articles:
            print("real model:", json.dumps(real_build(real_articles, work)), flush=True)
        for size in sizes:
            index, built = scale_build(size, work)
            run = subprocess.run([sys.executable, __file__, "--measure", str(index)], capture_output=True, text=True)
            measured = (
                json.loads(run.stdout.strip().splitlines()[-1]) if run.returncode == 0 else {"error": run.stderr[-500:]}
            )
            print(f"size {size}:", json.dumps({**built, **measured}), flush=True)
            shutil.rmtree(work / f"corpus-{size}", ignore_errors=True)
            shutil.rmtree(index, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
