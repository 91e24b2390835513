"""Which words any English text may hold, and which say what a question is about."""

from __future__ import annotations

from askback.search.english import everyday, rarest

# Word counts the size of the shipped articles (about 6,000 words), as ``Speller.word_counts`` gives them.
ARTICLES = {"pain": 5800, "acupuncture": 150, "needles": 20, "doctor": 7, "actually": 1, "still": 3, "qwxzv": 3}


def test_words_the_articles_use_no_more_than_english_does_are_everyday() -> None:
    found = everyday(ARTICLES, 1.0)
    assert {"actually", "still"} <= found  # as rare in the articles as "sham", but said everywhere
    assert not found & {"acupuncture", "needles", "doctor"}  # the articles' subject: used far more than in English
    assert "qwxzv" not in found  # not an English word: nothing says it is everyday


def test_forms_of_one_word_are_counted_together() -> None:
    counts = {**ARTICLES, "works": 30, "work": 1}
    assert "work" not in everyday(counts, 1.0, stem=lambda w: w.removesuffix("s"))
    assert "work" in everyday({**ARTICLES, "work": 1}, 1.0)


def test_a_corpus_too_small_to_tell_has_no_everyday_words() -> None:
    assert everyday({"actually": 1, "sham": 2}, 1.0) == frozenset()
    assert everyday(ARTICLES, 0.0) == frozenset()  # off


def test_the_rarest_word_is_the_one_english_uses_least() -> None:
    assert rarest(["told", "believe"]) == "believe"
    assert rarest(["Told", "qwxzv", "believe"]) == "qwxzv"
