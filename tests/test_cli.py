"""The askback command: summaries, JSON, and one-line errors with a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import askback.api
from askback.cli import main
from conftest import FakeEmbedder, write_article


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


def test_help_answers_to_dash_h_and_lists_whole_descriptions() -> None:
    result = CliRunner().invoke(main, ["-h"])
    assert result.exit_code == 0
    commands = result.output.split("Commands:")[1]
    assert "build    Rebuild the index from the corpus, embedding only what changed." in commands
    assert "..." not in commands
    assert CliRunner().invoke(main, ["ask", "-h"]).exit_code == 0


def test_a_question_that_starts_with_a_dash_is_asked_after_two_dashes(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["ask", "--index", str(tmp_path / "ix"), "--", "-how much does a session cost?"])
    assert result.exit_code == 0, result.output
    assert "$75" in result.stdout


def test_build_says_what_it_is_doing_and_prints_a_plain_summary_when_piped(tmp_path: Path, corpus: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    assert "loading the embedding model" in result.stderr.splitlines()[0]
    assert "embedding passages" not in result.stderr  # no progress bar off a terminal
    *read, built = result.stdout.splitlines()
    assert built.startswith("built ") and read and all(line.startswith("read ") for line in read)


def test_the_stale_hint_repeats_the_users_own_folders(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "my index")])
    (corpus / "new.txt").write_text("---\ntitle: New\n---\nNew text about needles.\n", encoding="utf-8")
    result = runner.invoke(main, ["ask", "needles", "--index", str(tmp_path / "my index")])
    assert f"askback build --corpus {corpus} --index '{tmp_path / 'my index'}'" in result.stderr


def test_eval_output_is_readable_and_lists_misses_with_their_questions(tmp_path: Path, corpus: Path) -> None:
    rows = [
        {"id": "s", "kind": "single", "question": "How much does a session cost?", "gold": [["costs", "around $75"]]},
        {"id": "x", "kind": "single", "question": "Who invented needles?", "gold": [["costs", "no such passage"]]},
    ]
    questions = tmp_path / "mine.jsonl"
    questions.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    runner = CliRunner()
    runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["eval", str(questions), "--index", str(tmp_path / "ix")])
    assert "gold passage among the first three quotes (hit@3)" in result.output
    assert "x: Who invented needles?" in result.output and "('x'" not in result.output


def test_a_broken_question_set_points_to_the_readme_not_the_source(tmp_path: Path, corpus: Path) -> None:
    (tmp_path / "broken.jsonl").write_text('{"id": "a"}', encoding="utf-8")
    runner = CliRunner()
    runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["eval", str(tmp_path / "broken.jsonl"), "--index", str(tmp_path / "ix")])
    assert "README.md" in result.stderr and ".py" not in result.stderr


def test_a_local_index_without_its_manifest_is_named_not_swapped_for_the_shipped_one(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASKBACK_INDEX", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--corpus", str(corpus)]).exit_code == 0
    manifest = tmp_path / "index" / "manifest.json"
    kept = manifest.read_bytes()
    manifest.unlink()
    result = runner.invoke(main, ["ask", "how much does a session cost"])
    assert result.exit_code == 1 and "askback build" in result.stderr and "$75" not in result.stdout
    # A crash that left only the retired copy: it is put back and answers.
    manifest.write_bytes(kept)
    (tmp_path / "index").rename(tmp_path / ".index.old-4242")
    result = runner.invoke(main, ["ask", "how much does a session cost"])
    assert result.exit_code == 0 and "$75" in result.stdout and (tmp_path / "index" / "manifest.json").exists()


def test_errors_name_a_fix_that_works(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    asked = runner.invoke(main, ["ask", "is it safe", "--index", str(corpus)])
    assert asked.exit_code == 1 and f"--corpus {corpus} --index {tmp_path / 'index'}" in asked.stderr
    served = runner.invoke(main, ["serve", "--port", "99999"])
    assert served.exit_code == 1 and "http://" not in served.output and "not a port number" in served.stderr
    built = runner.invoke(main, ["build", "--corpus", str(corpus / "costs.txt"), "--index", str(tmp_path / "ix")])
    assert built.exit_code == 1 and "is a file, not a folder" in built.stderr


def test_an_unwritable_query_encoder_cache_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ASKBACK_CACHE", str(blocker / "cache"))
    result = CliRunner().invoke(main, ["prepare", "--force"])
    assert result.exit_code == 1 and "unexpected" not in result.stderr
    assert "cannot write the query encoder" in result.stderr and "ASKBACK_CACHE" in result.stderr


def test_build_and_add_outside_a_bot_folder_refuse_with_the_command_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASKBACK_INDEX", raising=False)
    (tmp_path / "page.md").write_text("# Tallyho Reports\n\nA report sums the hours by week.\n", encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(main, ["build"])
    assert built.exit_code == 1
    assert built.stderr == "error: no ./corpus here: pass --corpus DIR, or start a bot with: askback init DIR\n"
    added = runner.invoke(main, ["add", "page.md"])
    assert added.exit_code == 1 and "start a bot with: askback init DIR page.md" in added.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.md"]  # no ./corpus, no ./index
    # In a bot's folder, both work without --corpus.
    assert runner.invoke(main, ["init", "bot"]).exit_code == 0
    monkeypatch.chdir(tmp_path / "bot")
    added = runner.invoke(main, ["add", "../page.md"])
    assert added.exit_code == 0, added.output
    assert runner.invoke(main, ["build"]).exit_code == 0 and (tmp_path / "bot" / "index" / "manifest.json").exists()
    # Elsewhere, an index names its own corpus: the rebuild command an error prints works from anywhere.
    monkeypatch.chdir(tmp_path)
    rebuilt = runner.invoke(main, ["build", "--index", "bot/index"])
    assert rebuilt.exit_code == 0 and "built bot/index: 1 articles" in rebuilt.stdout
    (tmp_path / "more.md").write_text("# Tallyho Exports\n\nExport a report as CSV.\n", encoding="utf-8")
    added = runner.invoke(main, ["add", "more.md", "--index", "bot/index"])
    assert added.exit_code == 0 and "added bot/corpus/" in added.stdout, added.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot", "more.md", "page.md"]


def _question_set(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_eval_refuses_a_question_set_written_for_other_articles(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    compost = write_article(tmp_path / "compost", "heap.txt", "title: Compost", "Compost is ready when dark.\n")
    runner.invoke(main, ["build", "--corpus", str(compost.parent), "--index", str(tmp_path / "heap")])
    shipped = runner.invoke(main, ["eval", "--index", str(tmp_path / "heap")])  # the shipped bot's questions
    assert shipped.exit_code == 1 and shipped.stdout == ""
    assert "evaluation/questions.jsonl quotes none of the articles of the index at" in shipped.stderr
    assert "pass a question set written for this bot" in shipped.stderr
    runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    other = _question_set(
        tmp_path / "other.jsonl",
        [{"id": "c", "kind": "single", "question": "When is compost ready?", "gold": [["a", "dark and crumbly"]]}],
    )
    assert runner.invoke(main, ["eval", str(other), "--index", str(tmp_path / "ix")]).exit_code == 1
    # A set partly about other articles is scored, and says which questions cannot be answered here.
    mixed = _question_set(
        tmp_path / "mixed.jsonl",
        [
            {"id": "s", "kind": "single", "question": "How much does a session cost?", "gold": [["c", "around $75"]]},
            {"id": "c", "kind": "single", "question": "When is compost ready?", "gold": [["a", "dark and crumbly"]]},
        ],
    )
    result = runner.invoke(main, ["eval", str(mixed), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0 and "holds the gold passages of 1 questions (c)" in result.stderr


def test_a_busy_port_and_a_foreign_host_each_name_their_own_fix(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert busy.exit_code == 1 and busy.stderr.endswith("another program listens there; pass another --port\n")
    assert "--host" not in busy.stderr
    foreign = CliRunner().invoke(main, ["serve", "--host", "192.0.2.1"])  # TEST-NET-1: never this machine's
    assert foreign.exit_code == 1 and "pass --host 127.0.0.1" in foreign.stderr and "--port" not in foreign.stderr


def test_a_missing_index_outside_a_bot_folder_names_the_corpus_to_build_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["ask", "hello there", "--index", "nowhere"])
    assert result.exit_code == 1
    assert result.stderr == "error: no index at nowhere; build it with: askback build --corpus DIR --index nowhere\n"


def test_a_bot_folder_given_as_the_index_names_the_index_inside_it(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = tmp_path / "mybot"
    bot.mkdir()
    built = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--index", str(bot / "index")])
    assert built.exit_code == 0, built.output
    result = CliRunner().invoke(main, ["ask", "hello there", "--index", str(bot)])
    assert result.exit_code == 1
    assert (
        result.stderr == f"error: {bot} is a bot's folder; its index is {bot / 'index'}: use --index {bot / 'index'}\n"
    )


def test_the_sample_bot_says_so_beside_a_bot_made_here(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = tmp_path / "sample" / "index"
    assert CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--index", str(sample)]).exit_code == 0
    monkeypatch.setattr(askback.cli, "SHIPPED_INDEX", sample)
    monkeypatch.setattr(askback.index.store, "SHIPPED_INDEX", sample)
    monkeypatch.delenv("ASKBACK_INDEX", raising=False)
    work = tmp_path / "work"
    (work / "mybot").mkdir(parents=True)
    assert (
        CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--index", str(work / "mybot" / "index")]).exit_code
        == 0
    )
    monkeypatch.chdir(work)
    result = CliRunner().invoke(main, ["ask", "hello there"])
    assert result.exit_code == 0
    assert "answered by the sample bot; to ask yours: --index mybot/index" in result.stderr
    mine = CliRunner().invoke(main, ["ask", "hello there", "--index", "mybot/index"])
    assert "sample bot" not in mine.stderr
