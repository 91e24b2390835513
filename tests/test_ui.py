"""The chat's handlers, called as plain functions: no browser needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import askback
from askback import templates
from askback.ui import ChatApp, build_app, escape


@pytest.fixture
def app(built: askback.Index, tmp_path: Path) -> ChatApp:
    return ChatApp(built, tmp_path / "logs" / "feedback.jsonl")


def test_a_reply_shows_quotes_under_their_article_and_offers_citations(app: ChatApp) -> None:
    messages, turns, citations, box, *_ = app.reply("How much does a session cost?", [], [])
    assert messages[-1]["role"] == "assistant" and "What Acupuncture Costs" in messages[-1]["content"]
    assert "\\$75" in messages[-1]["content"]  # escaped: never read as LaTeX
    assert citations["choices"] and citations["choices"][0].startswith("[1] What Acupuncture Costs")
    assert box == "" and len(turns) == 1


def test_opening_a_citation_highlights_the_passage_in_the_whole_article(app: ChatApp) -> None:
    _, turns, citations, *_ = app.reply("How much does a session cost?", [], [])
    page = app.open_citation(citations["choices"][0], turns)
    assert '<mark id="askback-hit">A session usually costs around $75' in page
    assert "Insurance rarely covers it." in page and "title_inferred" not in page
    assert "Title inferred" in page and "https://example.org/costs" in page


def test_a_follow_up_uses_the_earlier_turns(app: ChatApp) -> None:
    messages, turns, *_ = app.reply("How many sessions do most people need?", [], [])
    messages, turns, *_ = app.reply("and how much is it?", messages, turns)
    assert "\\$75" in messages[-1]["content"]


def test_too_long_and_empty_questions_get_a_clear_message(app: ChatApp) -> None:
    messages, turns, *_ = app.reply("why " * 1100, [], [])
    assert "too long" in messages[-1]["content"] and turns == []
    messages, *_ = app.reply("   ", [], [])
    assert messages[-1]["content"] == escape(templates.EMPTY_QUESTION)


def test_user_and_article_text_cannot_inject_markup() -> None:
    shown = escape("<script>alert(1)</script> **bold** $$x$$")
    assert "<script>" not in shown and "**" not in shown and "$$" not in shown


def test_votes_are_appended_to_a_log_that_survives_restarts(app: ChatApp, built: askback.Index) -> None:
    _, turns, *_ = app.reply("How much does a session cost?", [], [])
    app.vote(1, True, turns)
    ChatApp(built, app.feedback_log).vote(1, False, turns)  # a new process, the same log
    records = [json.loads(line) for line in app.feedback_log.read_text().splitlines()]
    assert [r["vote"] for r in records] == ["up", "down"]
    assert records[0]["question"] == "How much does a session cost?" and "$75" in records[0]["quotes"][0]["text"]


def test_the_app_builds_offline(built: askback.Index, tmp_path: Path) -> None:
    app = build_app(built, tmp_path / "feedback.jsonl")
    assert app.analytics_enabled is False
