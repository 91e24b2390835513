"""The Python API: typed results that point at exact places in the articles."""

from __future__ import annotations

import re
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


@pytest.mark.parametrize("history", [[None], ["What are the side effects?", 3], [["nested"]]])
def test_a_history_turn_that_is_not_text_is_refused_as_over_http(built: askback.Index, history: list[object]) -> None:
    with pytest.raises(QuestionError, match="history must be a list of strings"):
        built.ask("hi", history=history)  # type: ignore[arg-type]


def test_an_index_that_is_neither_a_folder_nor_an_index_says_what_it_may_be() -> None:
    for wrong in (123, ["index"]):
        with pytest.raises(askback.IndexMissingError, match=r"an index folder's path .* or a loaded Index, not"):
            askback.ask("q", index=wrong)  # type: ignore[arg-type]
        with pytest.raises(askback.IndexMissingError, match="or a loaded Index"):
            askback.load_index(wrong)  # type: ignore[arg-type]


def test_a_corpus_given_as_the_index_names_the_index_beside_it(
    tmp_path: Path, corpus: Path, embedder: FakeEmbedder
) -> None:
    with pytest.raises(askback.IndexMissingError) as missing:
        askback.load_index(corpus, embedder=embedder)
    assert str(missing.value).endswith(f"--corpus {corpus} --index {tmp_path / 'index'}")
    askback.build_index(corpus, tmp_path / "index", embedder=embedder)
    with pytest.raises(askback.IndexMissingError) as found:
        askback.ask("q", index=str(corpus))
    assert str(found.value) == (
        f"{corpus} holds articles, not an index; their index is {tmp_path / 'index'}: use --index {tmp_path / 'index'}"
    )


def test_a_folder_of_articles_not_named_corpus_gets_its_index_inside_it(
    tmp_path: Path, corpus: Path, embedder: FakeEmbedder
) -> None:
    articles = corpus.rename(tmp_path / "articles")
    with pytest.raises(askback.IndexMissingError) as missing:
        askback.load_index(articles, embedder=embedder)
    assert str(missing.value).endswith(f"--corpus {articles} --index {articles / 'index'}")


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


def test_every_public_name_says_what_a_caller_needs() -> None:
    for name in askback.__all__:
        assert (getattr(askback, name).__doc__ or "").strip(), name
    for function in (askback.ask, askback.retrieve, askback.load_index, askback.build_index):
        assert "Raises" in function.__doc__ or "Raises QuestionError" in function.__doc__, function.__name__
    for name in ("retrieve", "ask", "article_file", "article_text", "stale", "articles", "corpus", "path"):
        assert (getattr(askback.Index, name).__doc__ or "").strip(), name
    assert "history" in askback.ask.__doc__ and "abstained" in askback.ask.__doc__
    assert "[0, 1]" in askback.Passage.__doc__


def test_reprs_are_short_and_say_what_they_hold(built: askback.Index) -> None:
    answer = built.ask("How much does a session cost?")
    assert re.fullmatch(r"Answer\(\d+ quotes from \d+ articles, abstained=False\)", repr(answer))
    passage = answer.quotes[0]
    assert len(repr(passage)) < 110 and f"{passage.start}–{passage.end}" in repr(passage)
    assert re.fullmatch(r"Index\('.+', 2 articles, \d+ passages\)", repr(built))


def test_the_offset_rule_holds_from_any_folder(
    built: askback.Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "corpus").mkdir(parents=True)  # a decoy corpus/ in the working folder changes nothing
    (elsewhere / "corpus" / "costs.txt").write_text("something else entirely", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    for passage in built.retrieve("needles and sessions", k=5):
        assert Path(passage.article.path).is_absolute()
        text = Path(passage.article.path).read_text(encoding="utf-8")
        assert text[passage.start : passage.end] == passage.text


def test_scores_are_relevances_between_0_and_1(built: askback.Index) -> None:
    passages = built.retrieve("How much does a session cost?", k=10) + list(built.ask("Is it safe?").quotes)
    assert passages and all(0.0 <= p.score <= 1.0 for p in passages)


def test_json_carries_only_web_addresses_and_markdown_safe_to_render(tmp_path: Path, embedder: object) -> None:
    from askback.serve.webapi import answer_json, article_json

    folder = tmp_path / "c"
    write_article(
        folder,
        "x.txt",
        "title: Tricky\nurl: javascript:alert(1)",
        "Needles are thin. <script>alert(2)</script> See [this](javascript:alert(3)) for *more*.\n",
    )
    askback.build_index(folder, tmp_path / "ix", embedder=embedder)
    index = askback.load_index(tmp_path / "ix", embedder=embedder)
    shown = answer_json(index.ask("Are needles thin?"))
    assert shown["quotes"][0]["article"]["url"] == "" and article_json(index.articles[0])["url"] == ""
    assert "<script>" in shown["quotes"][0]["text"]  # the quote itself stays verbatim
    markdown = shown["markdown"]
    assert not re.search(r"(?<!\\)[<\]]", markdown) and "\\<script\\>" in markdown  # no tag, no link: escaped


def test_ask_and_retrieve_answer_from_the_index_they_are_given(
    tmp_path: Path, built: askback.Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(askback.api, "_QUERIES", FakeEmbedder())
    monkeypatch.setattr(askback.api, "_DEFAULT", None)
    monkeypatch.setattr(askback.api, "_LOADED", {})
    compost = write_article(tmp_path / "compost", "heap.txt", "title: Compost", "Turn the heap every two weeks.\n")
    askback.build_index(compost.parent, tmp_path / "bot", embedder=FakeEmbedder())
    by_path = askback.ask("How often should I turn the heap?", index=tmp_path / "bot")
    assert [q.article.title for q in by_path.quotes] == ["Compost"]
    assert askback.ask("and the heap?", ["How often should I turn it?"], index=str(tmp_path / "bot")).quotes
    assert askback.retrieve("turn the heap", k=1, index=tmp_path / "bot")[0].article.title == "Compost"
    by_index = askback.ask("How much does a session cost?", index=built)
    assert by_index.quotes[0].article.title == "What Acupuncture Costs"
    assert askback.retrieve("session cost", index=built)[0].article.title == "What Acupuncture Costs"
    # Without index=, the default index: $ASKBACK_INDEX here.
    monkeypatch.setenv("ASKBACK_INDEX", str(built.path))
    assert askback.ask("How much does a session cost?").quotes[0].article.title == "What Acupuncture Costs"
    with pytest.raises(askback.IndexMissingError, match="no index at"):
        askback.ask("anything", index=tmp_path / "nowhere")
