"""A claim that no article mentions a word is true: the word is in no article in any form, is not
a typo of one of theirs, and is what the question is about, not a verb of its story."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import askback
from askback import templates
from askback.search.absence import not_the_subject, roots
from askback.search.english import checker, is_english

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped() -> askback.Index:
    os.environ["HF_HUB_OFFLINE"] = "1"
    return askback.load_index(ROOT / "index")


def article_words(index: askback.Index) -> list[str]:
    # What the articles say and what they are called: not the field names of their files' headers.
    said = [index.article_text(a).split("\n---\n", 1)[-1] for a in index.articles]
    text = " ".join([*said, *(f"{a.title} {a.author} {a.publisher}" for a in index.articles)])
    return sorted({w.lower() for w in re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)*", text) if w.isalpha()})


def named(answer: askback.Answer) -> list[str]:
    """Every word the answer says no article mentions, from its fields and its text."""
    said = re.findall(r"None of the articles mentions “([^”]+)”", answer.markdown)
    return [w for w in (answer.missing, *(p.missing for p in answer.parts), *said) if w]


# The endings English builds a word's forms with ("" for the word itself).
_ENDINGS = frozenset(
    """ s es ies ied ed d ing er ers est ly y ness ity ful less ment ance ancy ant ence ency ent ion ation ive al
    able ible ist ism ise ize ic e ify""".split(" ")
)


def held_in_some_form(word: str, words: list[str]) -> bool:
    """Does an article word share a root of four letters or more with the word, each ending in one
    of English's endings ("pregn-ancy", "pregn-ant"; "risk-y", "risk")?"""
    w = word.lower()
    for a in words:
        shared = next((i for i, (x, y) in enumerate(zip(a, w, strict=False)) if x != y), min(len(a), len(w)))
        if any(w[k:] in _ENDINGS and a[k:] in _ENDINGS for k in range(4, shared + 1)):
            return True
    return False


@pytest.mark.parametrize(
    ("question", "history", "not_named"),
    [
        ("what about pregnancy?", ["Is acupuncture safe?"], "pregnancy"),
        ("Is acupuncture risky for people with a heart condition?", [], "risky"),
        ("did it help with the tiredness too or just the pain", ["Does acupuncture help back pain?"], "tiredness"),
        ("does acupuncture help a bak pain", [], "bak"),
        ("my friend swears by it, does it work?", [], "swears"),
        ("my physio reckons it works, is that right?", [], "reckons"),
        ("accupunture vs chiropracter which is better", [], "accupunture"),  # two letters off a long word
    ],
)
def test_a_word_the_articles_hold_in_another_form_or_a_not_the_subject_is_never_named(
    shipped: askback.Index, question: str, history: list[str], not_named: str
) -> None:
    answer = shipped.ask(question, history)
    assert not_named not in named(answer)
    assert answer.quotes  # still the closest passages, under the unsure template without a word


def test_words_no_article_holds_are_still_named(shipped: askback.Index) -> None:
    assert shipped.ask("Can teenagers get acupuncture?").missing == "teenagers"


def test_forms_of_a_word_share_a_root() -> None:
    for a, b in [("pregnant", "pregnancy"), ("risk", "risky"), ("tired", "tiredness"), ("numb", "numbness")]:
        assert roots(a) & roots(b)
    assert not roots("medicare") & roots("medical")


def test_not_the_subjects() -> None:
    assert not_the_subject("my friend swears by it", "swears")
    assert not_the_subject("a guy at my gym reckons it lasts longer", "reckons")
    assert not not_the_subject("is it safe for teenagers", "teenagers")


_SUFFIXES = ["s", "y", "ness", "ed", "ing", "er", "ly", "ful", "less", "ment", "ity", "ancy", "ance", "ive"]
_STORY = ["My friend swears by {w}.", "My physio reckons {w} works.", "", "I read about {w}."]
_ASKS = ["Is {w} safe?", "What about {w}?", "Does acupuncture help with {w}?", "can it cause {w}", "{w}?"]


@st.composite
def questions(draw: st.DrawFn, words: list[str]) -> tuple[str, str]:
    """A question about a form of an article's word, a typo of one, or any English word."""
    word = draw(st.sampled_from(words))
    change = draw(st.sampled_from(["suffix", "typo", "english", "as is"]))
    if change == "suffix":
        word += draw(st.sampled_from(_SUFFIXES))
    elif change == "typo" and len(word) > 3:
        at = draw(st.integers(1, len(word) - 1))
        word = word[:at] + word[at + 1 :] if draw(st.booleans()) else word[:at] + "q" + word[at:]
    elif change == "english":
        word = draw(st.sampled_from(sorted(w for w in checker().word_frequency.dictionary if 5 <= len(w) <= 9)[::97]))
    story = draw(st.sampled_from(_STORY)).format(w=draw(st.sampled_from(words)))
    return word, f"{story} {draw(st.sampled_from(_ASKS)).format(w=word)}".strip()


def test_every_word_named_missing_is_absent_from_every_article(shipped: askback.Index) -> None:
    words = [w for w in article_words(shipped) if len(w) >= 4]
    typos: set[str] = set()

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(questions(words))
    def check(drawn: tuple[str, str]) -> None:
        word, question = drawn
        answer = shipped.ask(question)
        for w in named(answer):
            assert not held_in_some_form(w, words), (question, w)
            assert w.lower() not in {"swears", "reckons", "works", "read"}, (question, w)
            assert w in question  # the user's own word, as typed
            if not is_english(w):  # not English in any form ("goas" is goa's plural): a typo of no article word
                assert not any(len(a) > 3 and _one_edit(a, w.lower()) for a in words), (question, w)
        typos.add(word)

    check()
    assert typos


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def test_the_unsure_template_without_a_word_when_none_qualifies(shipped: askback.Index) -> None:
    answer = shipped.ask("what about pregnancy?", ["Is acupuncture safe?"])
    assert answer.unsure and answer.missing == ""
    assert answer.markdown.startswith(templates.UNSURE)


def test_the_safety_part_speaks_once_for_the_symptoms_it_names(shipped: askback.Index) -> None:
    answer = shipped.ask("I have back pain with numbness in the groin and I can't control my bladder")
    assert answer.parts[0].red_flags and len(answer.parts) == 1  # the symptoms are not asked again
    assert "None of the articles mentions" not in answer.markdown and "You asked" not in answer.markdown
    asked = shipped.ask("I have numbness in the groin. Does acupuncture help with numbness?")
    assert asked.parts[0].red_flags and len(asked.parts) == 2  # a question besides the symptoms is answered
    assert "numbness" not in named(asked)
