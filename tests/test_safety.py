"""Never lose a user's files, never quote what the file does not say (issue 10)."""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import askback
from askback import BuildError, CorpusError, IndexIncompatibleError, QuestionError
from askback.cli import main
from askback.serve.chat import ChatApp
from askback.serve.feedback import FeedbackLog
from askback.serve.server import check_port
from conftest import FakeEmbedder, write_article


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging forever (a FIFO read blocks)."""

    def timeout(*_: object) -> None:
        raise TimeoutError("the build hung")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# 1. The build writes only into an absent or empty folder or an askback index.


def test_building_into_the_corpus_folder_is_refused_and_deletes_nothing(corpus: Path, embedder: FakeEmbedder) -> None:
    before = snapshot(corpus)
    with pytest.raises(BuildError, match="holds the corpus"):
        askback.build_index(corpus, corpus, embedder=embedder)
    assert snapshot(corpus) == before


def test_building_into_a_project_folder_is_refused_before_any_work(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "notes.md").write_text("my notes")
    before = snapshot(project)

    class Untouchable(FakeEmbedder):
        def encode(self, texts, on_batch=None):  # type: ignore[no-untyped-def]
            raise AssertionError("embedding started before the target was checked")

    with pytest.raises(BuildError, match=r"not an askback index \(it holds \.git, notes\.md\)"):
        askback.build_index(corpus, project, embedder=Untouchable())
    assert snapshot(project) == before


def test_building_onto_a_file_is_refused_through_the_cli(tmp_path: Path, corpus: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("keep me")
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--index", str(report)])
    assert result.exit_code == 1 and "is a file, not an index folder" in result.output
    assert report.read_text() == "keep me"


def test_an_empty_folder_or_an_existing_index_may_be_built_into(tmp_path: Path, corpus: Path, embedder) -> None:
    (tmp_path / "empty").mkdir()
    askback.build_index(corpus, tmp_path / "empty", embedder=embedder)
    report = askback.build_index(corpus, tmp_path / "empty", embedder=embedder)
    assert report.reused == report.passages


# 2. The index proves its own integrity.


def test_a_flipped_character_in_a_passage_is_refused_with_the_fix(tmp_path: Path, built, embedder) -> None:
    store = tmp_path / "index" / "passages.json"
    store.write_text(store.read_text().replace("Serious problems are rare", "Serious problems are sare"))
    with pytest.raises(IndexIncompatibleError, match=r"passages\.json is not the file its build wrote.*--full"):
        askback.load_index(tmp_path / "index", embedder=embedder)


def test_rotated_article_numbers_are_refused(tmp_path: Path, built, embedder) -> None:
    store_file = tmp_path / "index" / "passages.json"
    store = json.loads(store_file.read_text())
    for p in store["passages"]:
        p["article"] = (p["article"] + 1) % len(store["articles"])
    store_file.write_text(json.dumps(store))
    with pytest.raises(IndexIncompatibleError, match="askback build --full"):
        askback.load_index(tmp_path / "index", embedder=embedder)


def test_a_store_that_passes_its_digest_but_misquotes_is_never_quoted(tmp_path: Path, built, embedder) -> None:
    """Even an index whose digests were rewritten cannot make askback quote words the file lacks."""
    folder = tmp_path / "index"
    store = json.loads((folder / "passages.json").read_text())
    for p in store["passages"]:
        p["text"] = p["text"].replace("rare", "sare")
    (folder / "passages.json").write_text(json.dumps(store))
    manifest = json.loads((folder / "manifest.json").read_text())
    import hashlib

    manifest["digests"]["passages.json"] = hashlib.sha256((folder / "passages.json").read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    index = askback.load_index(folder, embedder=embedder)
    for question in ("Are serious problems rare?", "Is acupuncture safe?"):
        answer = index.ask(question)
        assert all("sare" not in q.text for q in answer.quotes)
        assert all(index.article_text(q.article)[q.start : q.end] == q.text for q in answer.quotes)


def test_keys_that_do_not_match_their_vectors_are_not_reused(tmp_path: Path, corpus: Path, embedder) -> None:
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    keys = tmp_path / "ix" / "keys.npy"
    import numpy as np

    np.save(keys, np.load(keys)[::-1])
    report = askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    assert report.reused == 0 and report.embedded == report.passages


def test_a_damaged_manifest_names_the_rebuild_not_a_reload(tmp_path: Path, built, embedder) -> None:
    manifest = tmp_path / "index" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["build_id"] = "0" * 32
    manifest.write_text(json.dumps(data))
    with pytest.raises(IndexIncompatibleError, match="askback build --full") as info:
        askback.load_index(tmp_path / "index", embedder=embedder)
    assert "load it again" not in str(info.value)


# 3. A running index quotes only what the file says now.


def test_an_edited_article_under_a_running_index_is_not_misquoted(tmp_path: Path, built: askback.Index) -> None:
    assert any("$75" in q.text for q in built.ask("How much does a session cost?").quotes)
    costs = tmp_path / "corpus" / "costs.txt"
    costs.write_text(costs.read_text().replace("around $75", "around $90"))
    answer = built.ask("How much does a session cost?")
    assert all("$75" not in q.text for q in answer.quotes)
    assert all(costs.read_text()[q.start : q.end] == q.text for q in answer.quotes if q.article.path == str(costs))


def test_a_deleted_article_under_a_running_index_is_not_quoted(tmp_path: Path, built: askback.Index) -> None:
    (tmp_path / "corpus" / "costs.txt").unlink()
    answer = built.ask("How much does a session cost?")
    assert all(q.article.title != "What Acupuncture Costs" for q in answer.quotes)
    assert all(p.article.title != "What Acupuncture Costs" for p in built.retrieve("session cost", k=10))


# 4. Only web addresses become links.


def test_a_javascript_url_is_shown_as_text_not_a_link(tmp_path: Path, embedder) -> None:
    write_article(tmp_path / "c", "x.txt", "title: X\nurl: javascript:alert(3)", "Acupuncture uses needles.\n")
    askback.build_index(tmp_path / "c", tmp_path / "ix", embedder=embedder)
    index = askback.load_index(tmp_path / "ix", embedder=embedder)
    app = ChatApp(index, tmp_path / "fb.jsonl")
    answer = index.ask("acupuncture needles")
    page = app.article_html(answer.quotes[0].article, list(answer.quotes))
    assert "javascript:alert(3)" in page and "<a " not in page


# 5. Passages have a hard size limit.


def test_an_article_without_full_stops_is_cut_into_bounded_passages(tmp_path: Path, embedder) -> None:
    body = ("needles and points along the back " * 60_000) + "x" * 5_000 + "\n"  # ~2 MB, no full stop
    write_article(tmp_path / "c", "big.txt", "title: Big", body)
    askback.build_index(tmp_path / "c", tmp_path / "ix", embedder=embedder)
    index = askback.load_index(tmp_path / "ix", embedder=embedder)
    store = json.loads((tmp_path / "ix" / "passages.json").read_text())
    assert max(len(p["text"]) for p in store["passages"]) <= 1000
    answer = index.ask("needles")
    assert answer.quotes and all(len(q.text) <= 1000 for q in answer.quotes)


# 6. A crash-safe swap, one build at a time, no leftovers.


def test_a_swap_interrupted_between_its_renames_is_recovered(tmp_path: Path, corpus: Path, embedder) -> None:
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    (tmp_path / "ix").rename(tmp_path / ".ix.old-4242")  # the crash: old index moved aside, new not yet in
    index = askback.load_index(tmp_path / "ix", embedder=embedder)
    assert index.retrieve("needles") and not (tmp_path / ".ix.old-4242").exists()


def test_a_second_build_while_one_runs_says_so(tmp_path: Path, corpus: Path, embedder) -> None:
    from askback.index.swap import build_lock

    with build_lock(tmp_path / "ix"), pytest.raises(BuildError, match="another askback build"):
        askback.build_index(corpus, tmp_path / "ix", embedder=embedder)


def test_killed_builds_leave_nothing_behind_after_the_next_build(tmp_path: Path, corpus: Path, embedder) -> None:
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    (tmp_path / ".ix.building-999").mkdir()
    (tmp_path / ".ix.old-998").mkdir()
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "ix"]


def test_leftovers_are_ignored_by_git() -> None:
    ignored = (Path(__file__).resolve().parents[1] / ".gitignore").read_text().split()
    assert "/.index.*" in ignored


# 7. Regular files only.


def test_a_fifo_in_the_corpus_is_named_instead_of_hanging(corpus: Path, tmp_path: Path, embedder, alarm) -> None:
    os.mkfifo(corpus / "pipe.txt")
    with pytest.raises(CorpusError, match=r"pipe\.txt: not a regular file"):
        askback.build_index(corpus, tmp_path / "ix", embedder=embedder)


def test_a_hidden_file_never_makes_the_index_stale(tmp_path: Path, built, embedder) -> None:
    write_article(tmp_path / "corpus", ".cupping.txt", "title: Hidden", "Cupping.\n")
    assert askback.load_index(tmp_path / "index", embedder=embedder).stale == ()


# 8. Feedback: bounded, whole lines, a bad path fails at start-up.


def test_the_feedback_log_is_bounded_by_rotation_and_loses_nothing(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "feedback.jsonl", max_bytes=2_000)
    for n in range(100):
        assert log.append({"n": n, "question": "x" * 50})
    sizes = [p.stat().st_size for p in tmp_path.iterdir()]
    assert {"feedback.jsonl", "feedback.jsonl.1", "feedback.jsonl.2"} <= {p.name for p in tmp_path.iterdir()}
    assert max(sizes) <= 2_000
    kept = [json.loads(line) for p in tmp_path.iterdir() for line in p.read_text().splitlines()]
    assert sorted(r["n"] for r in kept) == list(range(100))


def test_a_full_disk_leaves_no_half_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    log.append({"vote": "up"})
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, data[:5]))  # the disk took 5 bytes
    assert not log.append({"vote": "down"})
    monkeypatch.undo()
    assert [json.loads(line) for line in log.path.read_text().splitlines()] == [{"vote": "up"}]


def test_a_feedback_path_that_is_a_folder_fails_at_start(tmp_path: Path, built: askback.Index) -> None:
    with pytest.raises(askback.AskbackError, match="is a folder; pass a file path with --feedback"):
        ChatApp(built, tmp_path)


# 9. Errors that name their fix.


def test_an_unwritable_target_fails_before_embedding(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import askback.index.build

    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setattr(askback.index.build, "staging_folder", lambda target: blocker / "staging")

    class Untouchable(FakeEmbedder):
        def encode(self, texts, on_batch=None):  # type: ignore[no-untyped-def]
            raise AssertionError("embedding started before the disk was checked")

    with pytest.raises(BuildError, match="choose a writable --index"):
        askback.build_index(corpus, tmp_path / "ix", embedder=Untouchable())


def test_a_damaged_query_encoder_cache_names_prepare(tmp_path: Path) -> None:
    from askback.index.embedding import OnnxQueryEncoder

    damaged = tmp_path / "model.onnx"
    damaged.write_bytes(b"not a model")
    with pytest.raises(askback.AskbackError, match="askback prepare --force"):
        OnnxQueryEncoder(damaged).encode(["needles"])


def test_a_busy_port_is_named_at_start() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(askback.AskbackError, match=f"cannot listen on 127.0.0.1:{port}.*--port"):
            check_port("127.0.0.1", port)


def test_a_question_with_a_lone_surrogate_gets_a_message(built: askback.Index) -> None:
    with pytest.raises(QuestionError, match="not valid text"):
        built.ask("is acupuncture safe \ud800?")


def test_eval_refuses_a_history_given_as_one_string(tmp_path: Path, corpus: Path) -> None:
    bad = tmp_path / "set.jsonl"
    bad.write_text(json.dumps({"id": "x", "kind": "single", "question": "q", "history": "Is it?", "gold": []}) + "\n")
    from askback.evaluation import load_questions

    with pytest.raises(askback.AskbackError, match=r"line 1: .*history.*must be a list"):
        load_questions(bad)
