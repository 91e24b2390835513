"""One answer encodes each text it searches once, and a message's texts in one call of the encoder,
with the answer it would give if each text were encoded on its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

import askback
from askback.search.retrieval import Retriever
from conftest import CountingEmbedder

MESSAGES = [
    ("Is acupuncture safe?", []),
    ("I had back pain for years and pills barely helped. Is it safe? How much does a session cost?", []),
    ("What does a session cost? Is it safe? How many sessions? Do the needles hurt? Who does it?", []),
    ("and how many will I need?", ["What does a session cost?"]),
    ("Does Medicare cover acupunture?", []),
]


def test_a_message_of_several_questions_is_encoded_in_one_call(
    counting: tuple[askback.Index, CountingEmbedder],
) -> None:
    index, embedder = counting
    answer = index.ask(MESSAGES[2][0])
    assert len(answer.parts) == 5
    # the parts, with what they point back to and on their own, at once
    assert embedder.calls[0] >= len(answer.parts) and len(embedder.calls) <= 2


def test_no_text_is_encoded_twice_in_one_answer(counting: tuple[askback.Index, CountingEmbedder]) -> None:
    index, embedder = counting
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
    counting: tuple[askback.Index, CountingEmbedder], monkeypatch: pytest.MonkeyPatch
) -> None:
    index, _ = counting
    batched = [index.ask(question, history) for question, history in MESSAGES]
    monkeypatch.setattr(Retriever, "encode_ahead", lambda self, texts: None)
    assert [index.ask(question, history) for question, history in MESSAGES] == batched
