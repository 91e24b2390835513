"""Debris is classified when the index is built and never quoted unless a question asks for it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import askback
from askback.corpus.kinds import BIO, LOST_LIST, PROMOTION, REFERENCE, TEXT, kind_of, wanted_kinds

ROOT = Path(__file__).resolve().parents[1]
# The project's own question set, plus the shared ones when this checkout sits beside them.
QUESTION_SETS = [ROOT / "evaluation" / "questions.jsonl"] + [
    p for p in (ROOT.parent / "shared" / "eval").glob("*.jsonl") if p.is_file()
]


@pytest.mark.parametrize(
    ("text", "heading", "kind"),
    [
        ("Chou R, Deyo R, Friedly J. Noninvasive Treatments. Ann Intern Med. 2017;166(7):493–505.", "", REFERENCE),
        ("Acupuncture for back pain. https://example.org/study", "References", REFERENCE),
        ("Ada Example writes about chronic pain and sleep for several health sites.", "", BIO),
        ("Use this free AI-powered symptom checker to find the cause of your pain.", "", PROMOTION),
        ("Acupuncture can be especially effective for:", "", LOST_LIST),
        ("Most people need six to twelve sessions. Serious side effects are rare. Subscribe.", "", TEXT),
        ("Chou and colleagues found acupuncture helped chronic low back pain in older adults.", "", TEXT),
    ],
)
def test_passage_kinds(text: str, heading: str, kind: str) -> None:
    assert kind_of(text, heading, author="Ada Example") == kind


def test_references_and_bios_are_wanted_only_when_asked_for() -> None:
    assert wanted_kinds("Is acupuncture safe?") == {TEXT}
    assert REFERENCE in wanted_kinds("Which studies does the article cite?")
    assert BIO in wanted_kinds("Who wrote the Ubie article?")
    assert PROMOTION not in wanted_kinds("Is there a free symptom checker I can use? Who wrote it? Which sources?")


@pytest.fixture(scope="module")
def shipped() -> askback.Index:
    os.environ["HF_HUB_OFFLINE"] = "1"
    return askback.load_index(ROOT / "index")


def test_answers_over_every_question_set_quote_no_debris_unless_asked(shipped: askback.Index) -> None:
    held = {p.kind for p in shipped._retriever.stored.passages}
    assert {REFERENCE, BIO, PROMOTION} <= held  # the shipped articles do carry debris to avoid
    unasked = []
    for path in QUESTION_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else None
            if item is None:
                continue
            for quote in shipped.ask(item["question"], history=item["history"]).quotes:
                if quote.kind not in wanted_kinds(item["question"]):
                    unasked.append((item["id"], quote.kind, quote.text[:60]))
    assert unasked == []


def test_a_question_about_the_author_quotes_the_bio(shipped: askback.Index) -> None:
    answer = shipped.ask("Who is Michael Zhang?")
    assert any(q.kind == BIO and q.text.startswith("Michael Zhang") for q in answer.quotes)
