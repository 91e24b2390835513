"""The question sets every fit reads, and the index each is answered from.

The acupuncture sets are answered from the shipped index; ``second`` (40 NIH documents, 150 of
their readers' questions) from its own index, built once into ``.second-index`` beside the project
(``askback build --corpus ../shared/eval/second/corpus --index .second-index``), so that a choice
that only suits five articles on one subject shows. ``unseen`` is never read by a fit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(SHARED))  # score.py
SECOND_CORPUS = SHARED / "second" / "corpus"
SECOND_INDEX = ROOT / ".second-index"
SETS = {
    "real_style": SHARED / "real_style.jsonl",
    "questions": SHARED / "questions.jsonl",
    "own": ROOT / "evaluation" / "questions.jsonl",
    "fresh": ROOT / "evaluation" / "fresh.jsonl",
    "second": SHARED / "second" / "questions.jsonl",
}
INDEXES = {"second": SECOND_INDEX}  # the rest: the shipped index


def items(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in SETS[name].read_text().splitlines() if line.strip()]


def index_for(name: str) -> Any:
    """The loaded index set ``name`` is answered from (building the second corpus's once)."""
    import askback

    path = INDEXES.get(name, ROOT / "index")
    if name == "second" and not (path / "manifest.json").exists():
        command = ["askback", "build", "--corpus", str(SECOND_CORPUS), "--index", str(path)]
        subprocess.run([str(Path(sys.executable).parent / command[0]), *command[1:]], check=True)
    return askback.load_index(path)


def answering_from(index: Any) -> None:
    """Make ``askback.ask`` (what score.py calls) answer from ``index``."""
    import askback.api

    askback.api._DEFAULT = index
