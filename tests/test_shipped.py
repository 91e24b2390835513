"""The shipped index with the real model, loaded offline: what a user gets on first run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import askback
from askback.corpus.files import load_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped() -> askback.Index:
    os.environ["HF_HUB_OFFLINE"] = "1"
    return askback.load_index(ROOT / "index")


def test_shipped_index_matches_the_corpus(shipped: askback.Index) -> None:
    assert shipped.stale == (), "corpus/ changed since index/ was built: run askback build and commit index/"
    assert len(shipped.articles) == len(load_corpus(ROOT / "corpus"))


def test_real_model_finds_the_right_article(shipped: askback.Index) -> None:
    top = shipped.retrieve("How many acupuncture sessions does NICE recommend?", k=3)
    assert any("up to 10 sessions" in p.text for p in top)
    for p in top:
        assert (ROOT / p.article.path).read_text(encoding="utf-8")[p.start : p.end] == p.text


def test_a_follow_up_asks_about_what_the_conversation_is_about(shipped: askback.Index) -> None:
    over = shipped.ask("over how many weeks?", history=["How many sessions does NICE recommend?"])
    assert "5–8 weeks" in over.quotes[0].text
    # No pronoun, no "and...": only the conversation says which trial "took part" is about.
    took_part = shipped.ask("how many people took part?", history=["What happened in the Back In Action trial?"])
    assert any("more than a thousand participants" in p.text for p in took_part.quotes)


def test_it_is_what_the_articles_are_about_when_the_earlier_subject_never_goes_with_the_question(
    shipped: askback.Index,
) -> None:
    # No passage says how much a cost or a session hurts: "it" is the treatment, as asked alone.
    hurts = shipped.ask("does it hurt?", history=["How much does a session cost and how many sessions would I need?"])
    assert "they didn’t hurt" in hurts.quotes[0].text
    assert not any("$75" in p.text for p in hurts.quotes)


def test_a_follow_up_naming_its_own_subject_is_answered_on_it_after_a_story(shipped: askback.Index) -> None:
    story = (
        "I've had lower back pain for about six years since a car accident, tried physio, painkillers and a "
        "chiropractor, and my sister keeps telling me to try acupuncture. Does it actually work for chronic back pain?"
    )
    answer = shipped.ask("what about during pregnancy?", history=[story])
    assert "pregnant" in answer.quotes[0].text


def test_a_new_subject_is_answered_on_its_own_words(shipped: askback.Index) -> None:
    answer = shipped.ask("How long do the needles stay in?", history=["Is acupuncture just a placebo?"])
    assert "minutes" in answer.quotes[0].text


def test_query_vectors_are_unit_length(shipped: askback.Index) -> None:
    import numpy as np

    vector = shipped._retriever.encode("Is acupuncture safe?")  # the ONNX encoder, as users get it
    assert vector.shape == (1, 384)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4


def test_onnx_queries_equal_sentence_transformers_vectors(shipped: askback.Index) -> None:
    """The fast query encoder must give the vectors the index was built with."""
    import numpy as np

    from askback.evaluation import load_questions
    from askback.index.embedding import MiniLMEmbedder, OnnxQueryEncoder

    passages = [p.text for p in shipped._retriever.stored.passages]
    questions = [q.question for q in load_questions(ROOT / "evaluation" / "questions.jsonl")]
    odd = ["", "?", "zzzz ???", "A " * 400, "<script>alert(1)</script>", "Café – 8–12 sessions, $75 — 20–30%", "針灸"]
    texts = (passages + questions + odd)[:300]
    fast = OnnxQueryEncoder().encode(texts)
    reference = MiniLMEmbedder().encode(texts)
    assert len(texts) >= 200
    assert float(np.min(np.sum(fast * reference, axis=1))) >= 0.999


def test_texts_encoded_together_equal_texts_encoded_alone() -> None:
    """A message's texts share a call of the encoder; each gets the vector it would get alone."""
    import numpy as np

    from askback.index.embedding import OnnxQueryEncoder

    story = "I have had lower back pain for years after lifting at work, and pills only helped a bit. " * 4
    texts = ["Is acupuncture safe?", "safe", story, "How much does a session cost?", "Does it hurt?"]
    encoder = OnnxQueryEncoder()
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert float(np.max(np.abs(together - alone))) < 1e-5
