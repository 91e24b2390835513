"""The askback command: summaries, JSON, and one-line errors with a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import askback.api
from askback.cli import main
from conftest import FakeEmbedder


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())
    monkeypatch.setattr(askback.api, "_QUERIES", FakeEmbedder())


def test_build_prints_a_summary(tmp_path: Path, corpus: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "2 articles" in result.output and "passages" in result.output


def test_build_and_ask_as_json(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    built = runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--json"])
    assert json.loads(built.stdout)["articles"] == 2
    asked = runner.invoke(main, ["ask", "how much does a session cost", "--index", str(tmp_path / "ix"), "--json"])
    assert asked.exit_code == 0, asked.output
    answer = json.loads(asked.stdout)
    assert answer["abstained"] is False
    assert answer["quotes"][0]["article"]["title"] == "What Acupuncture Costs"


def test_ask_prints_quotes_under_article_titles(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["ask", "how much does a session cost", "--index", str(tmp_path / "ix")])
    assert "What Acupuncture Costs" in result.stdout and "$75" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--corpus", "/nonexistent/corpus"], "does not exist"),
        (["ask", "hello there", "--index", "/nonexistent/index"], "askback build"),
    ],
)
def test_errors_are_one_line_and_exit_non_zero(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, [*args, "--index", str(tmp_path / "ix")] if args[0] == "build" else args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_empty_question_is_a_clear_error(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["ask", "  ", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1 and "Please type a question" in result.stderr


def test_eval_scores_a_question_set_of_the_users_own(tmp_path: Path, corpus: Path) -> None:
    rows = [
        {"id": "s", "kind": "single", "question": "How much does a session cost?", "gold": [["costs", "around $75"]]},
        {"id": "o", "kind": "out", "question": "What is the capital of Australia?"},
        {"id": "n", "kind": "near", "question": "Does insurance cover massage?"},
        {"id": "t", "kind": "smalltalk", "question": "hello"},
    ]
    questions = tmp_path / "mine.jsonl"
    questions.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    runner = CliRunner()
    runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["eval", str(questions), "--index", str(tmp_path / "ix"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["questions"] == 4 and report["hit1"] == 1.0 and report["integrity"] == 1.0
    assert report["out_abstain"] == 1.0 and report["smalltalk_ok"] == 1.0
    assert report["near_abstain"] in (0.0, 1.0)


def test_eval_names_a_broken_question_set(tmp_path: Path, corpus: Path) -> None:
    (tmp_path / "broken.jsonl").write_text("{not json", encoding="utf-8")
    runner = CliRunner()
    runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["eval", str(tmp_path / "broken.jsonl"), "--index", str(tmp_path / "ix")])
    assert result.exit_code != 0
    assert "line 1: not a question" in result.output and "Traceback" not in result.output
