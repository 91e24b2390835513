"""Taught questions: the publisher says which passage answers a question; a question close to a
taught one then gets that passage first, and nothing else changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import askback
import askback.api
from askback.cli import explanation_text, main
from conftest import FakeEmbedder, write_article

BODY = (
    "Who Benefits?\n"
    "People with chronic low back pain benefit most from a course of weekly sessions.\n\n"
    "Who Should Stay Away?\n"
    "People with bleeding disorders or a pacemaker do not benefit and should stay away.\n\n"
    "Costs\n"
    "A session usually costs around $75 in the United States, and insurance rarely covers it.\n"
)
BENEFITS = "People with chronic low back pain benefit most"
AVOID = "People with bleeding disorders or a pacemaker do not benefit"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    write_article(corpus, "who.txt", "title: Who Acupuncture Helps", BODY)
    write_article(
        corpus, "other.txt", "title: Other Treatments", "Massage\nMassage eases tension in the back muscles.\n"
    )
    return corpus


def _index(tmp_path: Path, corpus: Path, embedder: FakeEmbedder) -> askback.Index:
    askback.build_index(corpus, tmp_path / "index", embedder=embedder)
    return askback.load_index(tmp_path / "index", embedder=embedder)


def test_teach_list_remove_and_teach_again(folder: Path) -> None:
    askback.teach("Who benefits from acupuncture?", BENEFITS, "who", folder)
    assert [(p.question, p.article) for p in askback.taught(folder)] == [("Who benefits from acupuncture?", "who")]
    askback.teach("who benefits  from acupuncture?", AVOID, corpus=folder)  # the same question: replaced
    assert [p.quote for p in askback.taught(folder)] == [AVOID]
    assert askback.forget("Who benefits from acupuncture?", folder) == 1
    assert askback.taught(folder) == () and not (folder / "taught.jsonl").exists()
    askback.teach("Who benefits from acupuncture?", BENEFITS, corpus=folder)
    assert len(askback.taught(folder)) == 1


def test_a_taught_question_leads_with_its_passage_and_says_so(
    tmp_path: Path, folder: Path, embedder: FakeEmbedder
) -> None:
    askback.teach("Who benefits from acupuncture?", BENEFITS, corpus=folder)
    askback.teach("Who does not benefit from acupuncture?", AVOID, corpus=folder)
    index = _index(tmp_path, folder, embedder)
    benefit = index.ask("who benefits from acupuncture")
    avoid = index.ask("Who does not benefit from acupuncture?")
    assert BENEFITS in benefit.quotes[0].text and AVOID in avoid.quotes[0].text
    assert "taught question decided the first quote: Who does not benefit" in explanation_text(avoid)
    for answer in (benefit, avoid):  # verbatim at their offsets, as every quote
        text = Path(answer.quotes[0].article.path).read_text(encoding="utf-8")
        assert text[answer.quotes[0].start : answer.quotes[0].end] == answer.quotes[0].text


def test_a_question_of_the_opposite_polarity_is_not_captured(
    tmp_path: Path, folder: Path, embedder: FakeEmbedder
) -> None:
    askback.teach("Who benefits from acupuncture?", BENEFITS, corpus=folder)
    index = _index(tmp_path, folder, embedder)
    answer = index.ask("Who does not benefit from acupuncture?")  # the same words, the opposite question
    assert all(not d.taught for d in answer.explanation)


def test_a_question_far_from_every_taught_one_is_unchanged(
    tmp_path: Path, folder: Path, embedder: FakeEmbedder
) -> None:
    before = _index(tmp_path, folder, embedder).ask("How much does a session cost?")
    askback.teach("Who benefits from acupuncture?", BENEFITS, corpus=folder)
    after = _index(tmp_path, folder, embedder).ask("How much does a session cost?")
    assert after.quotes == before.quotes and after.markdown == before.markdown


def test_taught_pairs_survive_incremental_builds(tmp_path: Path, folder: Path, embedder: FakeEmbedder) -> None:
    askback.teach("Who benefits from acupuncture?", BENEFITS, corpus=folder)
    first = askback.build_index(folder, tmp_path / "index", embedder=embedder)
    again = askback.build_index(folder, tmp_path / "index", embedder=embedder)
    assert first.taught == again.taught == 1
    index = askback.load_index(tmp_path / "index", embedder=embedder)
    assert BENEFITS in index.ask("Who benefits from acupuncture?").quotes[0].text


def test_a_quote_not_in_the_article_names_the_closest_passage(folder: Path) -> None:
    with pytest.raises(askback.CorpusError, match="closest passage is who › Who Benefits") as error:
        askback.teach("Who benefits?", "People with chronic back pain benefit the most", "who", folder)
    assert "\n" not in str(error.value)
    assert not (folder / "taught.jsonl").exists()


def test_a_huge_quote_or_a_malformed_file_is_one_line_and_loses_nothing(tmp_path: Path, folder: Path) -> None:
    askback.teach("Who benefits from acupuncture?", BENEFITS, corpus=folder)
    kept = (folder / "taught.jsonl").read_bytes()
    with pytest.raises(askback.CorpusError, match="quote at most") as error:
        askback.teach("Who?", "x" * 100_000, "who", folder)
    assert "\n" not in str(error.value)
    broken = tmp_path / "set.jsonl"
    broken.write_text('{"question": "Who?", "gold": [["who", "People with"]]}\n{"question": "cut off', encoding="utf-8")
    with pytest.raises(askback.CorpusError, match="line 2"):
        askback.teach_from(broken, folder)
    assert (folder / "taught.jsonl").read_bytes() == kept


def test_a_malformed_taught_file_fails_the_build_and_keeps_the_index(
    tmp_path: Path, folder: Path, embedder: FakeEmbedder
) -> None:
    index = _index(tmp_path, folder, embedder)
    (folder / "taught.jsonl").write_text("not json\n", encoding="utf-8")
    with pytest.raises(askback.CorpusError, match=r"taught\.jsonl, line 1"):
        askback.build_index(folder, tmp_path / "index", embedder=embedder)
    assert index.ask("How much does a session cost?").quotes


def test_a_stale_pair_is_reported_and_not_used(tmp_path: Path, folder: Path, embedder: FakeEmbedder) -> None:
    askback.teach("Who benefits from acupuncture?", BENEFITS, corpus=folder)
    article = folder / "who.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("benefit most", "gain most"), encoding="utf-8")
    report = askback.build_index(folder, tmp_path / "index", embedder=embedder)
    assert report.taught == 0 and len(report.stale_taught) == 1
    assert "Who benefits from acupuncture?" in report.stale_taught[0] and "no longer in who" in report.stale_taught[0]
    answer = askback.load_index(tmp_path / "index", embedder=embedder).ask("Who benefits from acupuncture?")
    assert all(not d.taught for d in answer.explanation)
    assert len(askback.taught(folder)) == 1  # kept, to be taught again: never dropped in silence


def test_teach_from_a_question_set_skips_and_counts_empty_gold(tmp_path: Path, folder: Path) -> None:
    questions = tmp_path / "set.jsonl"
    lines = [
        {"id": "a", "question": "Who benefits?", "gold": [["000", BENEFITS]]},  # an id not in the corpus: by text
        {"id": "b", "question": "Does it cure cancer?", "gold": []},
        {"id": "c", "question": "Cost and risks?", "parts": [["Cost?", [["who", "around $75"]]], ["Risks?", []]]},
    ]
    questions.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    report = askback.teach_from(questions, folder)
    assert (report.taught, report.skipped_empty) == (2, 2)
    assert {(p.question, p.article) for p in askback.taught(folder)} == {("Who benefits?", "who"), ("Cost?", "who")}


def test_the_teach_command(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())
    runner = CliRunner()
    corpus = ["--corpus", str(folder)]
    taught = runner.invoke(
        main, ["teach", "Who benefits?", "--quote", BENEFITS, *corpus, "--index", str(tmp_path / "ix")]
    )
    assert taught.exit_code == 0, taught.output
    assert "taught 1 pair" in taught.stdout and "taught questions: 1 pair(s) used" in taught.stdout
    listed = runner.invoke(main, ["teach", "--list", *corpus])
    assert "Who benefits?" in listed.stdout and BENEFITS in listed.stdout
    wrong = runner.invoke(main, ["teach", "Who?", "--quote", "not in any article at all", *corpus])
    assert wrong.exit_code == 1 and wrong.stderr.startswith("error: ") and len(wrong.stderr.splitlines()) == 1
    removed = runner.invoke(main, ["teach", "--remove", "who benefits?", *corpus])
    assert removed.exit_code == 0 and "removed 1" in removed.stdout
    assert runner.invoke(main, ["teach", "--remove", "who benefits?", *corpus]).exit_code == 1


def test_a_question_asking_for_another_kind_of_answer_is_not_captured(
    tmp_path: Path, folder: Path, embedder: FakeEmbedder
) -> None:
    askback.teach("How long is a session?", "a course of weekly sessions", corpus=folder)
    index = _index(tmp_path, folder, embedder)
    assert index.ask("How long is a session?").explanation[0].taught
    answer = index.ask("Is a session long?")  # the same words: a yes or no, not a duration
    assert all(not d.taught for d in answer.explanation)
