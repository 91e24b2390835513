"""Words as people type them: typos are searched as the articles' words, clipped words as the words they
start; real words, short words and acronyms stay as typed."""

from __future__ import annotations

import askback
from askback.search.english import count, is_english
from askback.search.spelling import Speller
from conftest import write_article

WORDS = "acupuncture chiropractor found physiotherapist needles needle bruising".split()


def speller() -> Speller:
    return Speller(lambda: WORDS)


def test_a_typo_is_read_as_the_articles_word_one_edit_away() -> None:
    assert speller().corrected("acupunture or chiropracter?") == "acupuncture or chiropractor?"
    assert speller().corrected("Bruisng after needels") == "bruising after needles"


def test_a_word_that_only_starts_an_articles_word_one_letter_short_is_read_as_it() -> None:
    # "closur" starts "closure": a clipped word to the search, but to the encoder a stump
    assert Speller(lambda: ["closure", "physiotherapist"]).corrected("a closur, my physio") == "a closure, my physio"


def test_real_words_short_words_acronyms_and_forms_stay_as_typed() -> None:
    # "round" is English, one edit from the articles' "found": it may be what they don't answer.
    for text in ("twirls the needles round", "my LBP is worse", "nedl", "physiotherapists", "gabapentin", "shouldn't"):
        assert speller().corrected(text) == text


def test_a_british_spelling_is_english_never_a_typo_of_the_articles_word() -> None:
    # "tyres" is one edit from "types"; read so, car tyres would pass for a subject the articles use.
    articles = Speller(lambda: ["Two types of needles"])
    assert articles.corrected("How often do car tyres need rotating?") == "How often do car tyres need rotating?"
    assert articles.corrected("tpyes") == "types"
    assert all(map(is_english, ["tyres", "colours", "centre", "organised", "anaemia", "oesophagus", "programme"]))
    assert not is_english("chiropracter") and count("tyres") == count("tyre") > 0


def two_articles(tmp_path, embedder, first: str, second: str) -> askback.Index:
    """An index of two one-line articles; the one a test looks for is the second, so the first
    would come first if the search found neither."""
    folder = tmp_path / "corpus"
    write_article(folder, "a.txt", "title: Needles", f"{first}\n")
    write_article(folder, "b.txt", "title: Choosing Care", f"{second}\n")
    askback.build_index(folder, tmp_path / "index", embedder=embedder)
    return askback.load_index(tmp_path / "index", embedder=embedder)


def test_a_misspelt_question_finds_the_passage_that_spells_it_right(tmp_path, embedder) -> None:
    index = two_articles(
        tmp_path,
        embedder,
        "Needles are thin and sterile. What does acupuncture do?",
        "Acupuncture complements your chiropractor.",
    )
    top = index.retrieve("what does acupuncture do with a chiropractar", k=1)
    assert top and "chiropractor" in top[0].text
    answer = index.ask("Does acupunture help? Should I see a chiropractar?")
    assert [p.question for p in answer.parts] == ["Does acupunture help?", "Should I see a chiropractar?"]


def test_a_clipped_word_finds_the_passage_that_spells_it_out(tmp_path, embedder) -> None:
    index = two_articles(
        tmp_path, embedder, "Needles are thin and sterile.", "Your physiotherapist can say whether it suits you."
    )
    top = index.retrieve("my physio", k=1)
    assert top and "physiotherapist" in top[0].text


def test_a_name_with_a_capital_inside_is_never_read_as_a_typo() -> None:
    lion = Speller(lambda: ["lion"])
    assert lion.corrected("Memcheck in CLion") == "Memcheck in CLion"  # an IDE the articles never name
    assert lion.corrected("a clion") == "a lion"
