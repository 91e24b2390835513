"""The Python API: typed results that point at exact places in the articles."""

from __future__ import annotations

from pathlib import Path

import pytest

import askback
from askback import Answer, Article, Passage, QuestionError
from conftest import FakeEmbedder, write_article


def test_retrieve_returns_typed_passages_best_first(built: askback.Index) -> None:
    passages = built.retrieve("how much does a session cost", k=3)
    assert 1 <= len(passages) <= 3
    assert all(isinstance(p, Passage) and isinstance(p.article, Article) for p in passages)
    assert passages[0].article.title == "What Acupuncture Costs"
    assert "$75" in passages[0].text
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


def test_every_passage_is_the_exact_slice_of_its_file(built: askback.Index) -> None:
    for p in built.retrieve("acupuncture needles side effects sessions cost", k=10):
        assert Path(p.article.path).read_text(encoding="utf-8")[p.start : p.end] == p.text


def test_passages_know_their_section_heading(built: askback.Index) -> None:
    top = built.retrieve("bruising soreness side effects", k=1)[0]
    assert top.heading == "Is It Safe?"
    assert top.article.author == "Ada Example"


def test_results_are_frozen(built: askback.Index) -> None:
    passage = built.retrieve("needles", k=1)[0]
    with pytest.raises(AttributeError):
        passage.text = "edited"  # type: ignore[misc]


def test_ask_returns_an_answer_of_quotes(built: askback.Index) -> None:
    answer = built.ask("What are the side effects of the needles?")
    assert isinstance(answer, Answer) and not answer.abstained
    assert any("bruising" in q.text for q in answer.quotes)
    assert all(q.text in answer.markdown for q in answer.quotes if "\n" not in q.text)


@pytest.mark.parametrize("question", ["", "   ", "x" * 5000])
def test_bad_questions_get_a_clear_error(built: askback.Index, question: str) -> None:
    with pytest.raises(QuestionError):
        built.ask(question)
    with pytest.raises(QuestionError):
        built.retrieve(question)


def test_history_may_be_none_but_not_a_bare_string(built: askback.Index) -> None:
    assert built.ask("how much does a session cost", history=None).quotes
    with pytest.raises(QuestionError, match="history must be a list"):
        built.ask("what about serious ones?", history="What are the side effects?")  # type: ignore[arg-type]


def test_k_must_be_positive(built: askback.Index) -> None:
    with pytest.raises(QuestionError, match="k must be"):
        built.retrieve("needles", k=0)


def test_a_section_heading_that_matches_the_question_brings_its_section_first(
    tmp_path: Path, embedder: FakeEmbedder
) -> None:
    # The answer shares no words with the question; only its section heading does.
    body = (
        "Myths About Needles\n"
        "Some people avoid acupuncture because of myths about needles.\n"
        "Who Should Avoid Acupuncture?\n"
        "Pregnant people and anyone with a bleeding disorder must talk to a doctor first.\n"
    )
    write_article(tmp_path / "corpus", "cautions.txt", "title: Cautions", body)
    askback.build_index(tmp_path / "corpus", tmp_path / "index", embedder=embedder)
    top = askback.load_index(tmp_path / "index", embedder=embedder).retrieve("Who should avoid acupuncture?", k=1)[0]
    assert top.heading == "Who Should Avoid Acupuncture?"
    assert top.text.startswith("Pregnant people")
