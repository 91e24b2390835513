"""What a reader sees on the shipped index: the passage that answers, quoted first; the rest offered;
a word when the articles may not answer; a conversation that never pulls an answer off course."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import askback
from askback import templates
from askback.cli import main
from askback.config import ANSWERING
from askback.serve.webapi import answer_json

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped() -> askback.Index:
    os.environ["HF_HUB_OFFLINE"] = "1"
    return askback.load_index(ROOT / "index")


def verbatim(passages: tuple[askback.Passage, ...]) -> bool:
    return all(Path(p.article.path).read_text(encoding="utf-8")[p.start : p.end] == p.text for p in passages)


def test_when_to_see_a_doctor_opens_with_the_see_a_doctor_passages(shipped: askback.Index) -> None:
    answer = shipped.ask("At what point should I get my back pain checked by a doctor?")
    first_two = " ".join(p.text for p in answer.quotes[:2])
    assert "speak to a doctor immediately" in first_two  # sixth and last before
    assert not answer.quotes[0].text.startswith("Skip it or talk to your doctor first")


def test_a_follow_up_on_a_new_subject_is_answered_on_its_own_words(shipped: askback.Index) -> None:
    risks = shipped.ask("what about the risks?", history=["What does a session cost?"])
    assert "risks" in risks.quotes[0].text.lower()
    assert not any("$" in p.text or "cost" in p.text.lower() for p in risks.quotes)


def test_a_question_of_a_message_gets_its_own_quotes_not_another_parts(shipped: askback.Index) -> None:
    answer = shipped.ask("What does a session cost? How many do I need? And does it hurt?")
    hurt = answer.parts[-1]
    assert hurt.question == "And does it hurt?" and hurt.quotes
    others = {p for part in answer.parts[:-1] for p in part.quotes}
    assert not set(hurt.quotes) & others  # it was only "quoted above", pointing at the cost quotes
    assert "hurt" in " ".join(p.text for p in hurt.quotes)


def test_a_story_after_another_subject_is_not_answered_with_that_subject(shipped: askback.Index) -> None:
    story = "My aunt has sciatica down her left leg and has tried everything. Would acupuncture help her?"
    answer = shipped.ask(story, history=["Does acupuncture hurt?"])
    assert not any("didn’t hurt" in p.text for p in answer.quotes)


@pytest.mark.parametrize(
    ("question", "word"),
    [("Can teenagers get acupuncture?", "teenagers"), ("Is it safe while breastfeeding?", "breastfeeding")],
)
def test_a_question_the_articles_may_not_answer_gets_one_quote_and_says_so(
    shipped: askback.Index, question: str, word: str
) -> None:
    answer = shipped.ask(question)
    assert len(answer.quotes) == 1 and answer.unsure and answer.confidence < ANSWERING.unsure_below
    assert answer.markdown.startswith(templates.UNSURE_MISSING.format(word=word))
    assert answer.more and verbatim(answer.more)  # the rest, offered, verbatim


def test_everyday_words_of_a_story_do_not_choose_the_quotes(shipped: askback.Index) -> None:
    story = (
        "My wife has been seeing an acupuncturist every week since March for her lower back and she says it's"
        " helping. I don't want to be the bad guy, but I'm fairly sure it's placebo - she lies in a dim room"
        " with music on for half an hour, of course she feels better afterwards. Am I wrong to think she's"
        " basically paying for a nice nap?"
    )
    answer = shipped.ask(story)
    # "wrong", "think", "basically" matched passages that hold them in passing; placebo came fifth
    assert "placebo" in answer.quotes[0].text


def test_a_weak_view_of_another_article_does_not_push_out_a_passage_that_answers(shipped: askback.Index) -> None:
    answer = shipped.ask(
        "I felt really tired and a bit emotional after my session, cried in the car lol. is that normal??"
    )
    shown = [*answer.quotes, *answer.more]
    assert any("Fatigue or emotional release after a session" in p.text for p in shown)
    assert verbatim(answer.more)


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("is it ok to have a couple beers after an acupunture session for my back", "beers"),  # was "ok"
        ("Can acupuncture help me quit smoking?", "smoking"),  # was "quit"
    ],
)
def test_an_unsure_answer_names_the_missing_word_that_carries_the_question(
    shipped: askback.Index, question: str, word: str
) -> None:
    answer = shipped.ask(question)
    assert answer.unsure and answer.missing == word


@pytest.mark.parametrize(
    "question",
    [
        "I'm on warfarin for my heart. Can I still have needles put in?",  # was: None of the articles mentions “put”
        "My physio told me acupuncture only works on people who believe in it.",  # was “told”
    ],
)
def test_a_common_word_the_articles_happen_not_to_use_is_not_named(shipped: askback.Index, question: str) -> None:
    answer = shipped.ask(question)
    assert answer.quotes and answer.missing == ""
    assert templates.UNSURE_MISSING.split("“", 1)[0] not in answer.markdown  # "None of the articles mentions"


def test_fewer_quotes_the_rest_offered_verbatim_and_named(shipped: askback.Index) -> None:
    answer = shipped.ask("How many sessions does NICE recommend?")
    assert "up to 10 sessions" in answer.quotes[0].text and not answer.unsure and answer.confidence > 0.8
    assert len(answer.quotes) <= 2 and answer.more and not set(answer.quotes) & set(answer.more)
    assert verbatim(answer.quotes) and verbatim(answer.more)
    assert templates.ALSO_DISCUSSED in answer.markdown
    for p in answer.more:
        assert p.article.byline in answer.markdown


def test_a_passage_is_offered_once_whatever_parts_offer_it(shipped: askback.Index) -> None:
    message = (
        "First appointment is Thursday and I'm a bit nervous. Do I need to tell them about all my tablets and "
        "my heart condition? Should I bring my MRI report with me? And can my husband come into the room with me?"
    )
    answer = shipped.ask(message)
    places = [(p.article.path, p.start, p.end) for p in answer.more]
    assert len(places) == len(set(places))  # each part offered "Worried about needles?", listed three times
    shown = [(p.article.path, p.start, p.end) for p in answer.quotes]
    assert not set(places) & set(shown)


def test_the_json_api_carries_the_offer_and_the_confidence(shipped: askback.Index) -> None:
    shown = answer_json(shipped.ask("Can teenagers get acupuncture?"))
    assert shown["unsure"] is True and 0 <= shown["confidence"] < ANSWERING.unsure_below and len(shown["quotes"]) == 1
    offered = shown["more"][0]
    assert offered["text"] and offered["article"]["title"] and offered["end"] > offered["start"]
    several = answer_json(shipped.ask("Is acupuncture safe? And how much does a session cost?"))
    assert all("more" in part and "confidence" in part for part in several["parts"])


def test_explain_shows_the_candidates_scores_words_and_the_decision() -> None:
    result = CliRunner().invoke(
        main, ["ask", "Can teenagers get acupuncture?", "--explain", "--index", str(ROOT / "index")]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "words no article uses: teenag" in out and "unsure" in out and "below" in out
    assert "subject_known 0.00" in out and " quoted " in out and " offered " in out
    as_json = CliRunner().invoke(
        main, ["ask", "Can teenagers get acupuncture?", "--explain", "--json", "--index", str(ROOT / "index")]
    )
    assert '"explanation"' in as_json.stdout and '"candidates"' in as_json.stdout


def test_explain_shows_the_everyday_words_bm25_weighs_less(shipped: askback.Index) -> None:
    question = "what kind of qualifications should the person sticking needles in me actually have"
    assert shipped.ask(question).explanation[0].everyday == ("kind", "actual")
    out = CliRunner().invoke(main, ["ask", question, "--explain", "--index", str(ROOT / "index")]).stdout
    assert "everyday words, weighed less in BM25: kind, actual" in out
    assert shipped.ask("What does NICE recommend?").explanation[0].everyday == ()  # a name, not "nice"


def test_explain_shows_how_the_search_read_a_typo(shipped: askback.Index) -> None:
    question = "is acupunture better than seeing a chiropracter?"
    decision = shipped.ask(question).explanation[0]
    assert decision.question == question and decision.read_as == "is acupuncture better than seeing a chiropractor?"
    assert "chiropractor" in decision.candidates[0].matched
    assert dict(decision.signals)["subject_quoted"] > 0  # the quote holds the word the user meant
    out = CliRunner().invoke(main, ["ask", question, "--explain", "--index", str(ROOT / "index")]).stdout
    assert f"searched as: {decision.read_as}" in out


def test_every_suggestion_is_a_question_its_own_section_answers(shipped: askback.Index) -> None:
    suggestions = shipped.suggestions()
    titles = {a.title for a in shipped.articles}
    assert (
        len(suggestions) >= 3 and not set(suggestions) & titles
    )  # "Acupuncture for Back Pain: Does It Work?" is a title
    for suggestion in suggestions:
        answer = shipped.ask(suggestion)
        assert answer.quotes[0].heading.rsplit(" › ", 1)[-1] == suggestion


def test_a_misspelt_question_quotes_what_it_would_quote_spelt_right(shipped: askback.Index) -> None:
    answer = shipped.ask("is acupunture better than seeing a chiropracter?")
    assert "compete with your chiropractor" in answer.quotes[0].text  # offered second before


@pytest.mark.parametrize("question", ["Can anyone get acupuncture?", "Is there anyone who should avoid acupuncture?"])
def test_anyone_is_not_a_subject_the_articles_lack(shipped: askback.Index, question: str) -> None:
    answer = shipped.ask(question)
    assert answer.quotes and "anyone" not in answer.markdown.split("[1]")[0]  # "None of the articles mentions “anyone”"
    assert not answer.unsure


def test_contractions_typed_without_the_apostrophe_are_not_subjects(shipped: askback.Index) -> None:
    answer = shipped.ask("can i still go to my yoga class while im having acupunture or should i rest")
    assert answer.quotes and answer.missing != "im"  # was: None of the articles mentions “im”
    assert "im" not in answer.explanation[0].distinctive


def test_a_quote_that_opens_on_a_list_item_opens_on_its_marker(shipped: askback.Index) -> None:
    for question in (
        "Who should avoid acupuncture?",
        "Who might benefit from acupuncture?",
        "Is it safe if I am pregnant?",
    ):
        for quote in shipped.ask(question).quotes:
            text = Path(quote.article.path).read_text(encoding="utf-8")
            before = text[text.rfind("\n", 0, quote.start) + 1 : quote.start]
            assert before.strip() not in {"-", "•", "*"}, (question, quote.text[:40])
