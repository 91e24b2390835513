"""The question sets every fit reads, and the index each is answered from.

The acupuncture sets are answered from the shipped index; ``second`` (40 NIH documents, 150 of
their readers' questions) from its own index, built once into ``.second-index`` beside the project
(``askback build --corpus ../shared/eval/second/corpus --index .second-index``), so that a choice
that only suits five articles on one subject shows. The documentation sets (``evaluation/docs``:
API reference pages of hundreds of sections, a manual, a library reference, a reStructuredText
guide whose prose alternates with doctest code) are answered from bots
made with ``askback init`` from the raw files in ``/usr/share/doc``, built once into ``.docs-bots``
beside the project (``$ASKBACK_DOCS_BOTS`` names another folder holding them). ``unseen`` is never
read by a fit.

``NEAR`` are the near-domain sets of other corpora (``evaluation/near/``): questions on a
corpus's subject that its articles don't answer, and a few off-topic ones. Each is answered from
its corpus's index (``CORPUS_INDEXES``; ``ASKBACK_<NAME>_INDEX`` overrides the path, as
``ASKBACK_SECOND_INDEX`` does for ``second``); a set whose index is not built is skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(SHARED))  # score.py
SECOND_CORPUS = SHARED / "second" / "corpus"
SECOND_INDEX = Path(os.environ.get("ASKBACK_SECOND_INDEX") or ROOT / ".second-index")
SETS = {
    "real_style": SHARED / "real_style.jsonl",
    "questions": SHARED / "questions.jsonl",
    "own": ROOT / "evaluation" / "questions.jsonl",
    "fresh": ROOT / "evaluation" / "fresh.jsonl",
    "second": SHARED / "second" / "questions.jsonl",
    "node_md": ROOT / "evaluation" / "docs" / "node.jsonl",
    "node_html": ROOT / "evaluation" / "docs" / "node.jsonl",
    "valgrind": ROOT / "evaluation" / "docs" / "valgrind.jsonl",
    "libxslt": ROOT / "evaluation" / "docs" / "libxslt.jsonl",
    "lazr": ROOT / "evaluation" / "docs" / "lazr.jsonl",
}
DOCS_BOTS = Path(os.environ.get("ASKBACK_DOCS_BOTS") or ROOT / ".docs-bots")
_NODE = "/usr/share/doc/nodejs/api"
_NODE_PAGES = ("fs", "stream", "buffer", "http", "net", "process", "child_process", "crypto", "worker_threads")
# Each documentation bot's folder (under DOCS_BOTS) and the documents it is made from.
DOCS_SOURCES = {
    "node_md": ("node-md", [f"{_NODE}/{p}.md" for p in _NODE_PAGES]),
    "node_html": ("node-html", [f"{_NODE}/{p}.html" for p in _NODE_PAGES]),
    "valgrind": ("valgrind", ["/usr/share/doc/valgrind/html"]),
    "libxslt": ("libxslt", ["/usr/share/doc/libxslt1-dev/html"]),
    "lazr": ("lazr", ["/usr/share/doc/python3-lazr.restfulclient"]),
}
INDEXES = {"second": SECOND_INDEX} | {name: DOCS_BOTS / bot / "index" for name, (bot, _) in DOCS_SOURCES.items()}
# the rest: the shipped index
NEAR_DIR = ROOT / "evaluation" / "near"
NEAR = {name: NEAR_DIR / f"{name}.jsonl" for name in ("second", "node", "valgrind", "libxslt")}
# The near-domain sets the confidence fit reads (each is also scored left out of the fit).
NEAR_FITTED = ("second", "node", "valgrind", "libxslt")
# The index each near-domain set's corpus is answered from: the second corpus, and the documentation bots.
CORPUS_INDEXES = {
    "second": SECOND_INDEX,
    **{
        name: Path(os.environ.get(f"ASKBACK_{name.upper()}_INDEX") or DOCS_BOTS / bot / "index")
        for name, bot in (("node", "node-md"), ("valgrind", "valgrind"), ("libxslt", "libxslt"))
    },
}


def items(name: str) -> list[dict[str, Any]]:
    return read(SETS[name])


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def index_for(name: str) -> Any:
    """The loaded index set ``name`` is answered from (building the second corpus's once)."""
    import askback

    path = INDEXES.get(name, ROOT / "index")
    if name in INDEXES and not (path / "manifest.json").exists():
        if name in DOCS_SOURCES:
            bot, documents = DOCS_SOURCES[name]
            command = ["askback", "init", str(DOCS_BOTS / bot), *documents]
        else:
            command = ["askback", "build", "--corpus", str(SECOND_CORPUS), "--index", str(path)]
        subprocess.run([str(Path(sys.executable).parent / command[0]), *command[1:]], check=True)
    return askback.load_index(path)


def near_index(name: str) -> Any:
    """The loaded index the near-domain set ``name`` is answered from, or None when not built."""
    import askback

    if name == "second":
        return index_for("second")
    path = CORPUS_INDEXES[name]
    return askback.load_index(path) if (path / "manifest.json").exists() else None


def answering_from(index: Any) -> None:
    """Make ``askback.ask`` (what score.py calls) answer from ``index``."""
    import askback.api

    askback.api._DEFAULT = index
