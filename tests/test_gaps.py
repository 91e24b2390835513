"""The question log and ``askback gaps``: what readers asked that the articles don't answer."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from click.testing import CliRunner

import askback
from askback.cli import main
from askback.gaps import gaps
from askback.serve.questionlog import QuestionLog
from conftest import FakeEmbedder, start_serve

UNCOVERED = [
    [
        "What's the weather like in London tomorrow?",
        "Will it rain in London tomorrow?",
        "Tomorrow's forecast for London?",
    ],
    [
        "How long should I boil spaghetti?",
        "How many minutes do you cook pasta for?",
        "Right cooking time for spaghetti?",
    ],
    [
        "How often should I rotate my car's tyres?",
        "When should I rotate my tires?",
        "Is it time to rotate the tyres on my car?",
    ],
]


def test_the_log_holds_the_question_its_outcome_and_nothing_else(tmp_path: Path, built: askback.Index) -> None:
    log = QuestionLog(tmp_path / "questions.jsonl")
    log.asked("How much does a session cost?", built.ask("How much does a session cost?"), "abc")
    log.asked("What is the capital of France?", built.ask("What is the capital of France?"))
    answered, refused = [json.loads(line) for line in (tmp_path / "questions.jsonl").read_text().splitlines()]
    assert set(answered) == {"time", "answer", "question", "outcome", "confidence", "unanswered", "quotes", "taught"}
    assert answered["answer"] == "abc" and answered["outcome"] in ("answered", "unsure")
    assert answered["quotes"][0]["article"] == "costs" and {"start", "end"} <= answered["quotes"][0].keys()
    assert refused["outcome"] == "refused" and refused["quotes"] == []


def test_the_log_is_bounded_and_rotated(tmp_path: Path, built: askback.Index) -> None:
    log = QuestionLog(tmp_path / "q.jsonl", max_bytes=600, max_files=2)
    answer = built.ask("What is the capital of France?")
    written = 0
    while written < 100 and log.asked(f"What is the capital of France, number {written}?", answer):
        written += 1
    assert written < 100  # full: it stops rather than delete anything
    assert (tmp_path / "q.jsonl.1").exists() and (tmp_path / "q.jsonl.2").exists()
    assert not (tmp_path / "q.jsonl.3").exists()
    assert gaps(tmp_path / "q.jsonl", embedder=FakeEmbedder()).questions == written


def _write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_gaps_groups_by_meaning_most_asked_first_and_passes_over_a_cut_line(tmp_path: Path) -> None:
    log = tmp_path / "questions.jsonl"
    records = [{"question": "does insurance cover acupuncture", "outcome": "refused"}] * 3
    records += [{"question": "acupuncture insurance cover", "outcome": "unsure"}]
    records += [{"question": "is the needle reused", "outcome": "refused"}]
    records += [{"question": "how much is a session", "outcome": "answered"}] * 5
    _write(log, records)
    with log.open("a") as handle:
        handle.write('{"question": "cut by a cra')  # a crash mid-line
    report = gaps(log, embedder=FakeEmbedder())
    assert (report.questions, report.unanswered, report.unreadable) == (10, 5, 1)
    first = report.gaps[0]
    assert first.count == 4 and (first.refused, first.unsure) == (3, 1)
    assert first.questions[0] == "does insurance cover acupuncture"
    assert report.gaps[1].questions == ("is the needle reused",)


def test_gaps_lists_down_votes_and_up_voted_pairs_to_teach(tmp_path: Path) -> None:
    log, votes = tmp_path / "q.jsonl", tmp_path / "fb.jsonl"
    _write(log, [{"question": "who pays", "outcome": "answered", "answer": "a3", "taught": "Who pays?"}])
    quote = {"article": "costs", "start": 1, "end": 9, "text": "A session usually costs around $75 in the US."}
    _write(
        votes,
        [
            {"answer": "a1", "vote": "up", "question": "How much is it?", "quotes": [quote]},
            {"answer": "a2", "vote": "up", "question": "is it safe", "quotes": [quote]},
            {"answer": "a2", "vote": "down", "question": "is it safe", "quotes": [quote]},  # changed: down
            {"answer": "a3", "vote": "up", "question": "who pays", "quotes": [quote]},  # taught already
        ],
    )
    report = gaps(log, votes, embedder=FakeEmbedder())
    assert [(v.question, v.count) for v in report.voted_down] == [("is it safe", 1)]
    assert [s.question for s in report.to_teach] == ["How much is it?"]
    assert report.to_teach[0].command == (
        "askback teach 'How much is it?' --quote 'A session usually costs around $75 in the US.' --article costs"
    )


def test_a_log_of_a_million_lines(tmp_path: Path) -> None:
    log = tmp_path / "big.jsonl"
    with log.open("w", encoding="utf-8") as handle:
        for n in range(1_000_000):
            handle.write(f'{{"question": "question number {n % 200_000}", "outcome": "refused"}}\n')
    report = gaps(log, embedder=FakeEmbedder())
    assert report.questions == 1_000_000 and report.unanswered == 1_000_000
    assert len(report.gaps) <= 50


def test_gaps_without_a_log_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["gaps", "--log", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1 and result.stderr.startswith("error: no log at")
    assert len(result.stderr.splitlines()) == 1


def test_served_questions_show_the_subjects_the_articles_miss(tmp_path: Path) -> None:
    log = tmp_path / "questions.jsonl"
    process, url = start_serve("--log-questions", str(log), env={"ASKBACK_FEEDBACK": str(tmp_path / "fb.jsonl")})
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            for n, subject in enumerate(UNCOVERED):
                for question in subject:
                    assert client.post("/api/ask", json={"question": question}).status_code == 200
                answered = [
                    "Is acupuncture safe?",
                    "How much does a session cost?",
                    "How many sessions does NICE recommend?",
                ]
                assert not client.post("/api/ask", json={"question": answered[n]}).json()["abstained"]
    finally:
        process.terminate()
        process.wait(timeout=20)
    result = CliRunner().invoke(main, ["gaps", "--log", str(log), "--json"])
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)["gaps"]
    assert [sorted(g["questions"]) for g in groups[:3]] == [sorted(s) for s in UNCOVERED]
    assert [g["count"] for g in groups[:3]] == [3, 3, 3]


def test_the_chat_logs_the_answer_id_its_votes_name(tmp_path: Path, built: askback.Index) -> None:
    from askback.serve.chat import ChatApp, Session

    app = ChatApp(built, tmp_path / "fb.jsonl", QuestionLog(tmp_path / "q.jsonl"))
    session = app.reply("How much does a session cost?", Session())[1]
    app.vote(session.turns[0].message, True, session)
    logged = json.loads((tmp_path / "q.jsonl").read_text())
    voted = json.loads((tmp_path / "fb.jsonl").read_text())
    assert logged["answer"] == voted["answer"] == session.turns[0].id


def test_a_line_too_long_to_be_askbacks_is_passed_over(tmp_path: Path) -> None:
    log = tmp_path / "q.jsonl"
    log.write_text(
        "x" * 3_000_000 + "\n" + json.dumps({"question": "is the needle reused", "outcome": "refused"}) + "\n",
        encoding="utf-8",
    )
    report = gaps(log, embedder=FakeEmbedder())
    assert (report.questions, report.unreadable) == (1, 1)
