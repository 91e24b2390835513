"""Answering what was asked: the kind of answer a question wants, the section whose heading answers
its form, the article it names, the symptoms it describes, and no throwaway quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

import askback
from askback.answer import offer
from askback.corpus.kinds import BOILERPLATE, FRAGMENT, TEXT
from askback.search.answertype import asked_for, held
from conftest import FakeEmbedder, write_article

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped() -> askback.Index:
    return askback.load_index(ROOT / "index")


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("How long does acupuncture take to work for back pain?", {"duration"}),
        ("How often should I go?", {"frequency"}),
        ("How much does a session cost?", {"amount"}),
        ("How many people took part?", {"count"}),
        ("How does sticking a needle in her body help get rid of pain?", {"mechanism"}),
        ("Who should avoid it?", {"who"}),
        ("Is acupuncture safe?", {"yes/no"}),
        ("What is acupuncture?", set()),
    ],
)
def test_the_form_of_a_question_says_what_kind_of_answer_it_wants(question: str, kinds: set[str]) -> None:
    assert asked_for(question) == kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Relief often kicks in within 24–48 hours and lasts about a week.", "duration"),
        ("Benefits typically become noticeable after 3–4 visits.", "duration"),
        ("Acute back pain: 1–2 sessions per week for 2–3 weeks.", "frequency"),
        ("Each session usually costs around $75.", "amount"),
        ("Up to 80 percent of cases are caused by an autoimmune disorder.", "count"),
        ("It works by stimulating nerves, which release endorphins.", "mechanism"),
        ("Caution is advised if you are pregnant or have a pacemaker.", "who"),
    ],
)
def test_a_passage_holds_the_kinds_of_answer_its_words_give(text: str, kind: str) -> None:
    assert kind in held(text)


def test_how_long_it_takes_to_work_is_answered_by_a_duration_not_an_exercise(shipped: askback.Index) -> None:
    first = shipped.ask("How long does acupuncture take to work for back pain?").quotes[0].text
    assert "24–48 hours" in first or "3–4 visits" in first, first


@pytest.mark.parametrize(
    "message",
    [
        "I've had a fever and I'm losing weight without trying, and my back hurts at night. Would acupuncture help?",
        "My left leg keeps giving way, my feet are numb and I've had trouble passing urine since yesterday. "
        "Can acupuncture help my back?",
        "My legs feel weak and numb. Is acupuncture worth a try?",
    ],
)
def test_the_see_a_doctor_now_passage_comes_first_for_the_symptoms_described(
    shipped: askback.Index, message: str
) -> None:
    answer = shipped.ask(message)
    assert answer.parts[0].red_flags
    first = answer.quotes[0].text
    assert "immediately" in first or "immediate medical" in first, first


def test_the_urgent_patterns_are_ranked_in_the_order_listed() -> None:
    from askback.corpus.bot import Safety

    safety = Safety(urgent=(r"\bimmediately\b", r"\bmedical workup\b"))
    assert safety.urgency("Speak to a doctor immediately.") == 0
    assert safety.urgency("You need a medical workup first.") == 1
    assert safety.urgency("Acupuncture is safe.") == 2


def test_explain_shows_what_was_asked_for_and_what_each_candidate_holds(shipped: askback.Index) -> None:
    decision = shipped.ask("How long does acupuncture take to work for back pain?").explanation[0]
    assert decision.asked_for == ("duration",)
    assert any("duration" in c.holds for c in decision.candidates)


def _conditions(tmp_path: Path, embedder: FakeEmbedder) -> askback.Index:
    """Five one-condition pages in the same site template, as a health library publishes them."""
    corpus = tmp_path / "library"
    pages = {
        "gonorrhea": "a sexually transmitted infection caused by bacteria|a urine test or a swab sent to a laboratory",
        "measles": "a highly contagious infection caused by a virus|the rash and a blood test that finds antibodies",
        "gout": "a form of arthritis caused by uric acid crystals in a joint|finding uric acid crystals in joint fluid",
        "psoriasis": "a chronic skin disease that makes patches of skin scaly|looking at the skin, nails and scalp",
        "asthma": "a chronic disease of the airways that makes breathing hard|a breathing test called spirometry",
    }
    for name, facts in pages.items():
        what, how = facts.split("|")
        title = f"What I need to know about {name}"
        write_article(
            corpus,
            f"{name}.txt",
            f"title: {title}",
            f"{title}\n\n## Overview\n\n{name.capitalize()} is {what}. [4]\n\n## Diagnosis\n\n"
            f"Doctors diagnose {name} by {how}.\n\n## Related\n\n"
            f"The following diseases are related to {title}. If you have questions about them, ask your doctor.\n",
        )
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    return askback.load_index(tmp_path / "ix", embedder=embedder)


def test_title_lines_citation_marks_and_site_boilerplate_are_never_quoted(
    tmp_path: Path, embedder: FakeEmbedder
) -> None:
    index = _conditions(tmp_path, embedder)
    stored = index._current()[0]
    kinds = {p.text.strip(): p.kind for p in stored.passages}
    assert kinds["What I need to know about gout"] == FRAGMENT
    assert [k for t, k in kinds.items() if t.startswith("The following diseases")] == [BOILERPLATE] * 5
    assert sum(k == TEXT for k in kinds.values()) == 10
    for question in ("gonorrhea", "What diseases are related to gout?", "[4]"):
        answer = index.ask(question)
        assert all(p.kind == TEXT for p in (*answer.quotes, *answer.more)), question


def test_the_article_a_question_names_and_the_section_its_form_asks_for_come_first(
    tmp_path: Path, embedder: FakeEmbedder
) -> None:
    index = _conditions(tmp_path, embedder)
    answer = index.ask("How is gout diagnosed?")
    assert answer.quotes[0].article.title.endswith("gout") and answer.quotes[0].heading.endswith("Diagnosis")
    assert answer.explanation[0].about == "gout"


def test_a_line_introducing_a_list_heads_it_like_a_heading(tmp_path: Path, embedder: FakeEmbedder) -> None:
    from askback.search.answertype import Forms

    write_article(
        tmp_path / "c",
        "care.txt",
        "title: Foot Care",
        "Daily Checks\nLook at your feet every day for cuts and blisters.\n\n"
        "Who should see a podiatrist:\n- People with numb feet\n- People with poor circulation\n",
    )
    askback.build_index(tmp_path / "c", tmp_path / "ix", embedder=embedder)
    stored = askback.load_index(tmp_path / "ix", embedder=embedder)._current()[0]
    forms = Forms.of(stored.passages, frozenset())
    listed = next(n for n, p in enumerate(stored.passages) if "podiatrist" in p.text)
    assert forms.heading_answers(forms.form_words("Who should see a podiatrist?"), listed, frozenset()) > 0


def test_a_question_about_regularity_asks_for_a_frequency() -> None:
    assert "frequency" in asked_for("Is it still worth doing if it's only every couple of weeks?")


MUM = (
    "My mum is 71 and on warfarin for her heart, and last year she had a pacemaker fitted. She's been "
    "struggling with back pain for months. Is acupuncture something people in her situation should avoid or "
    "be careful with?"
)


def test_a_question_pointing_into_its_story_is_about_the_storys_subject(shipped: askback.Index) -> None:
    from askback.answer.part import with_story_subject
    from askback.config import ANSWERING

    retriever = shipped._current()[1]
    question = "Is acupuncture something people in her situation should avoid or be careful with?"
    read = with_story_subject(retriever, question, MUM, ANSWERING)
    assert "pacemaker" in read and "situation" not in read and read.endswith("should avoid or be careful with?")
    assert with_story_subject(retriever, "Is acupuncture safe?", MUM, ANSWERING) == "Is acupuncture safe?"
    # The list that names pacemakers is quoted, not only offered.
    assert any("pacemaker" in q.text for q in shipped.ask(MUM).quotes)


def test_how_long_to_keep_going_after_ten_sessions_is_answered_by_the_maintenance_plan(
    shipped: askback.Index,
) -> None:
    history = ["I've had ten sessions of acupuncture for my back and it has helped a lot."]
    first = shipped.ask("How long should I keep going?", history=history).quotes[0].text
    assert "Maintenance care" in first, first


def test_a_story_about_sciatica_is_answered_by_the_trial_on_sciatica(shipped: askback.Index) -> None:
    answer = shipped.ask(
        "My husband has had sciatica down his left leg for weeks and the GP mentioned acupuncture. "
        "Would it work for him?"
    )
    assert "sciatica" in answer.quotes[0].text, answer.quotes[0].text


def test_a_question_asking_how_long_quotes_only_passages_holding_a_duration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The routine speaks to the exercises, not to how long: offered, one click away, not quoted."""
    write_article(
        tmp_path / "c",
        "daily.txt",
        "title: Daily Back Exercises",
        "Daily exercises\nHow long? Do bridges and bird-dog exercises for ten minutes a day, slowly, "
        "and stop if it hurts.\n",
    )
    write_article(
        tmp_path / "c",
        "routine.txt",
        "title: A Back Routine",
        "Exercise routine\nDo bridges and bird-dog exercises each day: they strengthen the back.\n",
    )
    embedder = FakeEmbedder()
    askback.build_index(tmp_path / "c", tmp_path / "index", embedder=embedder)
    index = askback.load_index(tmp_path / "index", embedder=embedder)
    question = "How long should I do bridges and bird-dog exercises each day?"
    answer = index.ask(question)
    assert [q.article.id for q in answer.quotes] == ["daily"] and "ten minutes a day" in answer.quotes[0].text
    assert [m.article.id for m in answer.more] == ["routine"]
    # Both are close enough to be quoted: only what the question asks for tells them apart.
    monkeypatch.setattr(offer, "of_the_asked_kind", lambda quoted, offered, asked, holds: (quoted, offered))
    assert [q.article.id for q in index.ask(question).quotes] == ["daily", "routine"]
