"""Every part of a message is answered or said to be unanswered; small talk in any combination gets
its template; a refusal never lists nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import askback
from askback import templates
from askback.answer.compose import abstention
from askback.answer.message import read_message
from askback.answer.smalltalk import small_talk

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped() -> askback.Index:
    os.environ["HF_HUB_OFFLINE"] = "1"
    return askback.load_index(ROOT / "index")


def test_two_questions_joined_by_and_are_two_parts() -> None:
    assert read_message("Does acupuncture hurt, and how much does a session cost?").parts == (
        "Does acupuncture hurt",
        "how much does a session cost?",
    )
    assert read_message("Is it safe, or is it a scam?").parts == ("Is it safe, or is it a scam?",)
    assert read_message("How long and how often?").parts == ("How long and how often?",)


def test_each_part_of_a_message_is_answered_or_said_unanswered(shipped: askback.Index) -> None:
    answer = shipped.ask("Does acupuncture hurt, and how much does a session cost?")
    assert [p.question for p in answer.parts] == ["Does acupuncture hurt", "how much does a session cost?"]
    assert all(p.quotes for p in answer.parts)
    assert any("hurt" in q.text.lower() or "needles" in q.text.lower() for q in answer.parts[0].quotes)
    assert any("$75" in q.text for q in answer.parts[1].quotes)
    mixed = shipped.ask("Is it safe, and what is the capital of France?")
    assert mixed.parts[1].abstained
    assert templates.PART.format(question="what is the capital of France?") in mixed.markdown
    assert templates.PART_ABSTAIN in mixed.markdown


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("thanks, bye", "bye"),
        ("ok thanks!", "thanks"),
        ("Thanks, that helps. Bye!", "bye"),
        ("hi! what can you do?", "help"),
        ("great, thanks", "thanks"),
        ("hi, is it safe?", None),
        ("ok", "acknowledged"),
        ("Got it.", "acknowledged"),
        ("ok, cool", "acknowledged"),
        ("ok, so is it safe?", None),
    ],
)
def test_small_talk_in_any_combination(message: str, kind: str | None) -> None:
    assert small_talk(message) == kind


def test_thanks_and_bye_gets_the_goodbye(shipped: askback.Index) -> None:
    answer = shipped.ask("thanks, bye")
    assert answer.markdown == shipped.voice.goodbye and not answer.abstained and not answer.quotes


def test_a_refusal_with_nothing_to_suggest_has_no_empty_list(shipped: askback.Index) -> None:
    retriever = shipped._retriever
    kept = retriever.suggestable
    retriever.suggestable = ()
    try:
        refused = abstention(retriever)
    finally:
        retriever.suggestable = kept
    assert refused.markdown == templates.ABSTAIN
    assert templates.SUGGEST in shipped.ask("What is the capital of France?").markdown


def test_a_corpus_with_question_headings_suggests_only_questions(shipped: askback.Index) -> None:
    refused = shipped.ask("What is the capital of France?")
    assert refused.suggestions and all(s.endswith("?") for s in refused.suggestions)
    assert templates.SUGGEST in refused.markdown
