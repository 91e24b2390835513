"""Confidence read relative to each corpus: a question naming a thing no article mentions is
hedged or refused, on corpora of unrelated subjects and whatever the model's cosine scale."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import askback
from askback import templates
from askback.answer.confidence import SIGNALS, confidence, rarity, signals
from askback.answer.message import read_message
from askback.answer.part import subject_words
from askback.search.absence import Mentions, names_written
from askback.search.unrelated import UNRELATED_QUESTIONS, Baseline, baseline
from askback.search.words import tokenize
from conftest import FakeEmbedder, write_article

CORPORA = {
    "kidneys": {
        "dialysis.txt": (
            "title: Dialysis",
            "What Is Dialysis?\nDialysis filters the blood when the kidneys no longer do. "
            "Haemodialysis runs the blood through a machine three times a week.\n"
            "Diet on Dialysis\nPeople on dialysis limit salt, potassium and fluids between sessions. "
            "A dietitian plans meals with enough protein.\n",
        ),
        "anaemia.txt": (
            "title: Anaemia in Kidney Disease",
            "Causes\nDamaged kidneys make less erythropoietin, so the body makes fewer red blood cells.\n"
            "Treatment\nIron tablets or injections and erythropoietin injections raise the red blood cell count.\n",
        ),
    },
    "tool": {
        "install.txt": (
            "title: Installing the packager",
            "Installing\nRun the installer with the --user option to install into your home folder. "
            "A virtual environment keeps each project's packages apart.\n"
            "Upgrading\nUpgrade the packager itself with the --upgrade option before installing packages.\n",
        ),
        "cache.txt": (
            "title: The package cache",
            "Caching\nDownloaded packages are kept in a cache folder so that installing them again is fast.\n"
            "Clearing the cache\nThe cache purge command removes every cached package and frees the space.\n"
            "Removing a single package\nThe cache remove command deletes one named package from the cache "
            "and keeps the others.\n",
        ),
    },
    "needles": {
        "needles.txt": (
            "title: Acupuncture Needles",
            "Types of Needles\nThere are several types of acupuncture needles: filiform needles are the most "
            "common types, thin and solid.\nHow Needles Are Placed\nThe practitioner places each needle at a "
            "point and leaves it for twenty minutes.\n",
        ),
        "sessions.txt": (
            "title: Acupuncture Sessions",
            "How Often\nMost people have one session a week for six weeks, then fewer sessions.\n",
        ),
    },
}


def bot(tmp_path: Path, name: str) -> askback.Index:
    embedder = FakeEmbedder()
    for file, (header, body) in CORPORA[name].items():
        write_article(tmp_path / name, file, header, body)
    askback.build_index(tmp_path / name, tmp_path / f"{name}-index", embedder=embedder)
    return askback.load_index(tmp_path / f"{name}-index", embedder=embedder)


@pytest.mark.parametrize(
    ("corpus", "covered", "named"),
    [
        ("kidneys", "What diet do people on dialysis need?", "Does Ozempic help people on dialysis eat less salt?"),
        ("tool", "How do I clear the package cache?", "How do I fix the externally-managed-environment error?"),
        # "tyres" is English (British), not a typo of the articles' "types".
        ("needles", "What types of acupuncture needles are there?", "How often do car tyres need rotating?"),
    ],
)
def test_a_question_naming_what_no_article_mentions_is_hedged_or_refused(
    tmp_path: Path, corpus: str, covered: str, named: str
) -> None:
    index = bot(tmp_path, corpus)
    answered = index.ask(covered)
    assert answered.quotes and not answered.unsure
    hedged = index.ask(named)
    assert hedged.abstained or hedged.unsure


def test_the_unrelated_level_is_the_corpus_own(tmp_path: Path) -> None:
    kidneys, tool = bot(tmp_path, "kidneys"), bot(tmp_path, "tool")
    levels = [baseline(index._retriever) for index in (kidneys, tool)]
    assert all(b.spread > 0 for b in levels)
    assert baseline(kidneys._retriever) is levels[0]  # computed once per loaded index
    assert len(set(UNRELATED_QUESTIONS)) == len(UNRELATED_QUESTIONS) >= 30


def test_the_unrelated_level_ignores_the_few_questions_a_corpus_happens_to_answer() -> None:
    closeness = np.array([0.1, 0.12, 0.11, 0.13, 0.09, 0.1, 0.9, 0.85], dtype=np.float32)  # a cooking corpus
    level = Baseline.of(closeness)
    assert level.median < 0.13
    assert level.above(0.5) > 10


def test_a_rare_word_no_article_uses_counts_more_than_a_common_one() -> None:
    assert rarity("ozempic") == 1.0 > rarity("gout") > rarity("dog") > rarity("put") > 0
    with_rare = signals(5.0, ["ozempic", "dialysis"], [False, True], [False, True], [[False, True]])
    with_common = signals(5.0, ["told", "dialysis"], [False, True], [False, True], [[False, True]])
    assert dict(zip(SIGNALS, with_rare, strict=True))["nothing_missing"] < 0.01
    assert confidence(with_rare) < confidence(with_common)


def test_a_word_the_best_passage_lacks_lowers_the_confidence() -> None:
    # "Can I dye my hair if I have porphyria?": the porphyria page never says "dye".
    subject, known = ["dye", "porphyria"], [True, True]
    lacks = signals(5.0, subject, known, [False, True], [[False, True], [False, True]])
    holds = signals(5.0, subject, known, [True, True], [[True, True], [False, True]])
    assert confidence(lacks) < confidence(holds)
    assert signals(5.0, [], [], [], []) == (0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)


def test_a_name_the_best_passage_lacks_lowers_the_confidence() -> None:
    # "How do I run Valgrind on a Rust binary?": a manual that says "Rust" once, in its release
    # notes, uses the word; the passage on running programs does not.
    subject, known, held = ["run", "rust", "binary"], [True] * 3, [[True, False, True], [False, True, False]]
    lacking = signals(5.0, subject, known, [True, False, True], held, names=[[False], [True]])
    holding = signals(5.0, subject, known, [True, False, True], held, names=[[True], [True]])
    assert dict(zip(SIGNALS, lacking, strict=True))["names_held"] == 0.0
    assert confidence(lacking) < confidence(holding)
    assert names_written("How does Dr. Memory compare to Valgrind's Memcheck? Is RISC-V fine?") == [
        ("Dr", "Memory"),
        ("Valgrind",),
        ("Memcheck",),
        ("RISC", "V"),
    ]
    asked = "I have hepatitis A. Can my dog catch it? Should I use ASAN or Rust?"
    assert names_written(asked) == [("ASAN",), ("Rust",)]


class _Speller:
    def __init__(self, total: int) -> None:
        self.total = total

    def corrected(self, text: str) -> str:
        return text

    def total_words(self) -> int:
        return self.total


class _Articles:
    """A corpus of ``total`` words that uses only ``words``."""

    def __init__(self, total: int, words: str) -> None:
        self.speller, self.common_words, self._words = _Speller(total), frozenset(), set(tokenize(words))

    def knows(self, word: str) -> bool:
        return word in self._words


def test_a_subject_word_common_in_english_that_no_article_uses_is_weighed() -> None:
    # A manual of 180,000 words would say "flame" and "dog" at English's rate; that it never does
    # is a subject it leaves out. That it never says "pretty" or "told" is phrasing.
    manual = _Articles(180_000, "cachegrind output graph turn")
    asked = subject_words(manual, "How can I turn cachegrind output into a flame graph?")  # type: ignore[arg-type]
    assert "flame" in asked and "cachegrind" in asked
    assert "dog" in subject_words(manual, "Can my dog read cachegrind output?")  # type: ignore[arg-type]
    assert "pretti" not in subject_words(manual, "I get pretty big cachegrind output")  # type: ignore[arg-type]
    assert "told" not in subject_words(manual, "I was told cachegrind output is a graph")  # type: ignore[arg-type]


def test_a_rare_word_of_the_story_no_article_uses_lowers_the_confidence() -> None:
    # "Heroku keeps saying 'Error R10'. What am I doing wrong?": the question names nothing itself.
    plain = signals(5.0, [], [], [], [])
    around = signals(5.0, [], [], [], [], around=["Heroku"])
    assert dict(zip(SIGNALS, around, strict=True))["nothing_missing_around"] < 0.01
    assert confidence(around) <= confidence(plain)


def test_a_question_ending_on_it_asks_about_the_question_before_it() -> None:
    message = read_message("Is gamer's thumb a repetitive motion disorder and how do I fix it?")
    assert message.parts[1] == "how do I fix it?" and "gamer's thumb" in message.queries[1]
    pointing = read_message("What is a constraints file, and how do I use one with a requirements file?")
    assert pointing.parts == ("What is a constraints file", "how do I use one with a requirements file?")
    assert "constraints file" in pointing.queries[1]
    counting = read_message("How do I clear the cache, and how do I remove just one package?")
    assert counting.queries == counting.parts  # "one package" counts; it points to nothing
    story = read_message("My app fails after packaging. I tried everything. How do I fix it?")
    assert story.queries == story.parts  # a story sentence is context, not the subject


def test_a_part_ending_on_it_is_answered_about_the_part_before_it(tmp_path: Path) -> None:
    index = bot(tmp_path, "tool")
    answer = index.ask("How do I clear the package cache, and how do I disable it?")
    first, second = answer.parts
    assert first.quotes and first.quotes[0].article.id == "cache"
    assert not second.abstained  # alone, "how do I disable it?" finds nothing
    assert second.quotes and all(q.article.id == "cache" for q in second.quotes)


@pytest.mark.parametrize(
    ("corpus", "earlier", "follow_up", "article", "holds"),
    [
        ("tool", "How do I clear the package cache?", "and how do I remove just one package from it?", "cache", "one"),
        ("kidneys", "What is dialysis?", "how many times a week is it done?", "dialysis", "three times"),
    ],
)
def test_a_follow_up_with_it_answers_about_the_previous_subject(
    tmp_path: Path, corpus: str, earlier: str, follow_up: str, article: str, holds: str
) -> None:
    index = bot(tmp_path, corpus)
    first = index.ask(earlier).quotes[0]
    answer = index.ask(follow_up, history=[earlier])
    assert answer.quotes and answer.quotes[0].article.id == article
    assert holds in answer.quotes[0].text and answer.quotes[0] != first  # what is asked now, not the answer before


def test_what_is_x_and_how_do_i_use_it_with_y_is_two_questions(tmp_path: Path) -> None:
    index = bot(tmp_path, "tool")
    answer = index.ask("What is the package cache, and how do I use it with the purge command?")
    first, second = answer.parts
    assert first.question == "What is the package cache" and first.quotes
    assert second.quotes and all(q.article.id == "cache" for q in second.quotes)


def test_a_part_that_is_unsure_is_shown_as_unsure(tmp_path: Path) -> None:
    index = bot(tmp_path, "tool")
    answer = index.ask("How do I clear the package cache? Does the cache work with twine?")
    covered, named = answer.parts
    assert covered.quotes and not covered.unsure
    assert named.unsure and len(named.quotes) == 1
    assert answer.unsure and answer.missing == "twine"  # the message says one of its questions may not be answered
    below = answer.markdown.split(templates.PART.format(question=named.question))[1]
    assert below.lstrip().startswith(templates.UNSURE_MISSING.format(word="twine"))


def test_beside_a_sure_answer_a_part_that_may_not_be_answered_offers_its_closest_passage(tmp_path: Path) -> None:
    answer = bot(tmp_path, "tool").ask("How do I upgrade the packager? Does the cache work with twine?")
    covered, named = answer.parts
    assert covered.quotes and not covered.unsure
    assert named.unsure and not named.quotes and not named.abstained
    closest = named.more[0]
    assert closest.article.id == "cache" and answer.quotes == covered.quotes
    assert answer.more[0] == closest  # offered first: the closest the articles come
    below = answer.markdown.split(templates.PART.format(question=named.question))[1].strip().split("\n\n")
    assert below[0] == templates.UNSURE_MISSING.format(word="twine")
    assert below[1].startswith("- [2] The package cache")  # right below "The closest they come:"
    assert templates.ALSO_DISCUSSED not in below
    assert "offered, not shown" in answer.explanation[1].reason


def test_a_message_whose_every_part_may_not_be_answered_quotes_only_its_first(tmp_path: Path) -> None:
    answer = bot(tmp_path, "tool").ask("Does the installer work with conda? Does the cache work with twine?")
    first, second = answer.parts
    assert first.unsure and second.unsure
    assert len(first.quotes) == 1 and not second.quotes and second.more
    assert answer.quotes == first.quotes and answer.unsure


@pytest.mark.parametrize("corpus", ["tool", "kidneys"])
def test_a_refusal_suggests_headings_or_nothing_never_an_empty_list(tmp_path: Path, corpus: str) -> None:
    answer = bot(tmp_path, corpus).ask("Who won the football match last night?")
    assert answer.abstained
    labels = (templates.SUGGEST, templates.SUGGEST_TOPICS)
    if answer.suggestions:
        assert any(label in answer.markdown for label in labels)
        assert all(f"- {s}" in answer.markdown for s in answer.suggestions)
    else:
        assert not any(label in answer.markdown for label in labels)
    if corpus == "tool":  # no heading asks a question: its topic headings are offered as they are, as topics
        assert answer.suggestions and templates.SUGGEST_TOPICS in answer.markdown
        assert templates.SUGGEST not in answer.markdown
        assert set(answer.suggestions) <= {
            "Installing",
            "Upgrading",
            "Caching",
            "Clearing the cache",
            "Removing a single package",
        }


def test_a_name_written_as_code_is_missing_unless_an_article_holds_it_as_it_is() -> None:
    mentions = Mentions(lambda: ["Call fs.readFile, or see ERR_INVALID_ARG_TYPE, e.g. in the U.S. pages."])
    asked = "Getting ERR_REQUIRE_ESM from fs.readFile, e.g. with app.asar in the U.S. I woke.Then"
    assert mentions.names_missing(asked) == ["ERR_REQUIRE_ESM", "app.asar"]
