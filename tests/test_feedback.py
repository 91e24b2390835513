"""The vote log: what one client can write is bounded, and no vote is ever dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import askback
from askback.serve.chat import ChatApp, Session
from askback.serve.feedback import CHANGES_PER_ANSWER, QUESTION_CHARS, FeedbackLog


def _records(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def app(built: askback.Index, tmp_path: Path) -> ChatApp:
    return ChatApp(built, tmp_path / "feedback.jsonl")


def test_a_session_can_change_its_vote_but_not_multiply_it(app: ChatApp) -> None:
    _, session, *_ = app.reply("How much does a session cost? " + "Please tell me. " * 200, Session())
    for _ in range(500):
        app.vote(1, True, session)  # the same vote again writes nothing
    for n in range(500):
        app.vote(1, n % 2 == 0, session)  # flipping writes a bounded number of records
    records = _records(app.feedback_log)
    assert len(records) == CHANGES_PER_ANSWER
    assert all(len(str(r["question"])) <= QUESTION_CHARS for r in records)


def test_the_log_names_articles_by_id_never_by_server_path(app: ChatApp, built: askback.Index) -> None:
    _, session, *_ = app.reply("How much does a session cost?", Session())
    app.vote(1, True, session)
    quoted = _records(app.feedback_log)[0]["quotes"]
    assert quoted and {q["article"] for q in quoted} <= {a.id for a in built.articles}  # type: ignore[index]
    assert str(Path(built.articles[0].path).parent) not in app.feedback_log.read_text(encoding="utf-8")


def test_old_votes_are_kept_in_numbered_files_and_still_count(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "feedback.jsonl", max_bytes=400)
    for n in range(30):
        assert log.vote(f"answer{n}", "up", {"question": f"question {n}"})
    kept = sorted(p.name for p in tmp_path.iterdir() if p.name != "feedback.jsonl")
    assert len(kept) >= 3 and "feedback.jsonl.1" in kept and "feedback.jsonl.2" in kept
    assert log.votes() == {f"answer{n}": "up" for n in range(30)}


def test_a_full_log_stops_taking_votes_and_says_so_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = FeedbackLog(tmp_path / "feedback.jsonl", max_bytes=200, max_files=2)
    written = [log.vote(f"answer{n}", "down", {"question": "q"}) for n in range(20)]
    assert written[0] and not written[-1]
    assert capsys.readouterr().err.count("no longer logged") == 1
    assert len(log.votes()) == written.count(True)  # every vote it took is still there
