"""Every tunable number and default in one place; the environment overrides the paths."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

INDEX_ENV = "ASKBACK_INDEX"
INDEX_FORMAT = 1
VERSION = "0.1.0"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_INDEX = PROJECT_ROOT / "index"


@dataclass(frozen=True)
class ChunkSettings:
    """How articles are cut into passages; recorded in the index manifest."""

    max_words: int = 55  # a passage grows by whole sentences up to this
    min_words: int = 12  # shorter paragraphs join their neighbour in the same section
    list_words: int = 65  # an introduced list stays whole up to this


@dataclass(frozen=True)
class RetrievalSettings:
    candidates: int = 40  # per retriever, before fusion
    dense_weight: float = 0.65  # hybrid score = w * cosine + (1 - w) * BM25 / best BM25
    rrf_k: float = 60.0  # Method.RRF only
    embed_context: bool = True  # embed "title. heading. text" rather than the bare passage


@dataclass(frozen=True)
class AnswerSettings:
    quotes: int = 5
    abstain_below: float = 0.35  # best cosine under this: the articles don't cover the question


CHUNKING = ChunkSettings()
RETRIEVAL = RetrievalSettings()
ANSWERING = AnswerSettings()
MAX_QUESTION_CHARS = 500


def default_index_path() -> Path:
    """$ASKBACK_INDEX, else ./index when it exists, else the index shipped beside the package."""
    env = os.environ.get(INDEX_ENV)
    if env:
        return Path(env)
    local = Path("index")
    return local if (local / "manifest.json").exists() else SHIPPED_INDEX
