"""One answer encodes each text it searches once, and a message's texts in one call of the encoder,
with the answer it would give if each text were encoded on its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

import askback
from askback.search.retrieval import Retriever
from conftest import FakeEmbedder

MESSAGES = [
    ("Is acupuncture safe?", []),
    ("I had back pain for years and pills barely helped. Is it safe? How much does a session cost?", []),
    ("What does a session cost? Is it safe? How many sessions? Do the needles hurt? Who does it?", []),
    ("and how many will I need?", ["What does a session cost?"]),
    ("Does Medicare cover acupunture?", []),
]


class CallCounting(FakeEmbedder):
    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        self.calls.append(len(texts))
        return super().encode(texts, on_batch)


@pytest.fixture
def counted(tmp_path: Path, corpus: Path) -> tuple[askback.Index, CallCounting]:
    embedder = CallCounting()
    askback.build_index(corpus, tmp_path / "index", embedder=embedder)
    index = askback.load_index(tmp_path / "index", embedder=embedder)
    index.ask("hello")  # the suggestions are found once per build
    embedder.calls.clear()
    return index, embedder


def test_a_message_of_several_questions_is_encoded_in_one_call(counted: tuple[askback.Index, CallCounting]) -> None:
    index, embedder = counted
    answer = index.ask(MESSAGES[2][0])
    assert len(answer.parts) == 5
    # the parts, with what they point back to and on their own, at once
    assert embedder.calls[0] >= len(answer.parts) and len(embedder.calls) <= 2


def test_no_text_is_encoded_twice_in_one_answer(counted: tuple[askback.Index, CallCounting]) -> None:
    index, embedder = counted
    seen: list[str] = []
    encode = embedder.encode

    def recording(texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        seen.extend(texts)
        return encode(texts, on_batch)

    embedder.encode = recording  # type: ignore[method-assign]
    for question, history in MESSAGES:
        seen.clear()
        index.ask(question, history)
        assert len(seen) == len(set(seen)), question


def test_answers_equal_those_of_texts_encoded_one_by_one(
    counted: tuple[askback.Index, CallCounting], monkeypatch: pytest.MonkeyPatch
) -> None:
    index, _ = counted
    batched = [index.ask(question, history) for question, history in MESSAGES]
    monkeypatch.setattr(Retriever, "encode_ahead", lambda self, texts: None)
    assert [index.ask(question, history) for question, history in MESSAGES] == batched
