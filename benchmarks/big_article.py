"""Build memory for one huge article with no full stops (issue 10): passages stay bounded.

    python benchmarks/big_article.py [--mb 20]

Writes a corpus of one MB-sized article in a temporary folder and builds it in a new process with a
hashing stand-in embedder (the real model would take hours over 20 MB); reports the build's peak
memory (VmHWM), the number of passages and the longest one. Memory should grow with the corpus,
not with the longest sentence.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import hashlib, json, re, sys, time
import numpy as np
import askback

class Hashing:
    name, dim = "hashing", 64
    def encode(self, texts, on_batch=None):
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, t in enumerate(texts):
            for w in re.findall(r"[a-z]+", t.lower()[:2000]):
                rows[r, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1
        rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
        if on_batch: on_batch(len(texts))
        return rows

start = time.perf_counter()
report = askback.build_index(sys.argv[1], sys.argv[2], embedder=Hashing())
store = json.loads(open(sys.argv[2] + "/passages.json", encoding="utf-8").read())
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(json.dumps({"passages": report.passages, "longest": max(len(p["text"]) for p in store["passages"]),
                  "peak_mb": int(peak) // 1024, "seconds": round(time.perf_counter() - start, 1)}))
"""


def main() -> None:
    mb = int(sys.argv[sys.argv.index("--mb") + 1]) if "--mb" in sys.argv else 20
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        words = "needles points along the lower back and the nerves of the spine "
        body = words * (mb * 1_000_000 // len(words))
        (corpus / "big.txt").write_text(f"---\ntitle: Big\n---\n{body}\n", encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(corpus), str(Path(tmp) / "index")], capture_output=True, text=True
        )
        print(out.stdout.strip() or out.stderr[-2000:])


if __name__ == "__main__":
    main()
