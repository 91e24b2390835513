"""What a reader of documentation sees: a short section quoted whole, so the answer in its second
paragraph is not lost to the first; a page of release notes that names a subject does not crowd
out the page that explains it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import askback
from askback.answer.quotes import overlap
from askback.config import RETRIEVAL
from askback.corpus.chunking import split_passages
from askback.records import Article, Passage
from askback.search.changes import lists_changes
from askback.search.retrieval import Method, Retriever
from conftest import FakeEmbedder, write_article

OPENING = (
    "Default options for the checker can be set once so that you do not have to type the default "
    "options on every run of the checker."
)
ANSWER = (
    "The checker also reads them from three places: the file named checkerrc in your home folder, "
    "the environment variable CHECKER_OPTS, and a checkerrc file in the current folder, in this order."
)


def _index(tmp_path: Path, embedder: FakeEmbedder, pages: dict[str, str]) -> askback.Index:
    for name, body in pages.items():
        write_article(tmp_path / "c", f"{name}.txt", f"title: {name.title()}", body)
    askback.build_index(tmp_path / "c", tmp_path / "ix", embedder=embedder)
    return askback.load_index(tmp_path / "ix", embedder=embedder)


def test_a_question_about_a_short_sections_second_paragraph_quotes_the_section(
    tmp_path: Path, embedder: FakeEmbedder
) -> None:
    body = (
        f"# Manual\n\n## Setting Default Options\n\n{OPENING}\n\n{ANSWER}\n\n## Output\n\nReports go to the terminal.\n"
    )
    index = _index(tmp_path, embedder, {"manual": body})
    file = tmp_path / "c" / "manual.txt"
    assert len(split_passages(file.read_text(encoding="utf-8"))) >= 3  # the section is two passages
    answer = index.ask("where can I set default options for the checker?")
    quote = answer.quotes[0]
    assert OPENING in quote.text and ANSWER in quote.text
    assert not any(overlap(more, quote) for more in answer.more)  # its passages are not offered again
    assert "Reports go to the terminal" not in quote.text  # never past its section
    assert file.read_text(encoding="utf-8")[quote.start : quote.end] == quote.text


def test_a_long_section_is_not_quoted_whole(tmp_path: Path, embedder: FakeEmbedder) -> None:
    filler = " ".join(f"Paragraph {n} of the section says more about reports and terminals." for n in range(30))
    body = f"# Manual\n\n## Setting Default Options\n\n{OPENING}\n\n{filler}\n\n{ANSWER}\n"
    quote = _index(tmp_path, embedder, {"manual": body}).ask("where can I set default options for the checker?")
    assert ANSWER not in quote.quotes[0].text and len(quote.quotes[0].text) <= 1000


def test_release_notes_do_not_crowd_out_the_page_that_explains(tmp_path: Path, embedder: FakeEmbedder) -> None:
    explains = (
        "Default options for the checker are read from three places: the file named checkerrc in your home "
        "folder, the environment variable CHECKER_OPTS, and a checkerrc file in the current folder, in this order."
    )
    releases = "".join(
        f"## Release 3.{n}.0 ({2010 + n})\n\nFixed bugs in the checker on more platforms.\n\n" for n in range(4)
    )
    entry = "The checker reads default options from a checkerrc file in the current folder too."
    news = f"# News\n\n{releases}## Release 3.9.0 (2021)\n\n{entry}\n"
    index = _index(
        tmp_path, embedder, {"manual": f"# Manual\n\n## Setting Default Options\n\n{explains}\n", "news": news}
    )
    question = "where does the checker read default options from?"
    stored = index._state[0]
    weighed_alike = Retriever(stored, embedder, dataclasses.replace(RETRIEVAL, changes_weight=1.0))
    assert weighed_alike.search(question, 1)[0].passage.text == entry  # its words match a little better
    answer = index.ask(question)
    assert answer.quotes[0].text == explains


def _passages(headings: list[str]) -> tuple[Passage, ...]:
    page = Article("p", "Page", "p.txt")
    return tuple(Passage("text", 0, 4, page, 0.0, h) for h in headings)


def test_a_page_is_a_list_of_changes_when_most_of_its_sections_name_a_release() -> None:
    news = ["Release 3.19.0 (11 Apr 2022)", "CORE CHANGES", "FIXED BUGS", "Release 3.18.0 (15 Oct 2021)", "libfoo v2.1"]
    manual = ["4.2.8. Memory leak detection", "4.3. Command-line options", "Introduction", "Options › 2.7.3. Errors"]
    assert lists_changes(_passages(news)).all()
    assert not lists_changes(_passages(manual)).any()


CAVEAT = "When passing strings for the password, please consider the caveats of using strings as inputs."


def test_a_passage_repeated_in_several_sections_is_shown_once(tmp_path: Path, embedder: FakeEmbedder) -> None:
    body = "# Hashing\n\n" + "".join(
        f"## hash{n}(password)\n\nThe hash{n} function derives a key from a password in its own way number {n}.\n\n"
        f"{CAVEAT}\n\n"
        for n in range(4)
    )
    index = _index(tmp_path, embedder, {"hashing": body})
    question = "what caveats apply to strings as password inputs?"
    hits = index._state[1].search(question, 5)
    assert [h.passage.text for h in hits].count(CAVEAT) == 1  # one candidate, the others' places go to the rest
    assert len(hits) == 5
    answer = index.ask(question)
    assert sum(CAVEAT in p.text for p in (*answer.quotes, *answer.more)) == 1  # quoted or offered once
    stored = index._state[0]
    every_copy = Retriever(stored, embedder, dataclasses.replace(RETRIEVAL, copies_above=1.01))
    assert [h.passage.text for h in every_copy.search(question, 5)].count(CAVEAT) == 4


def test_a_long_sections_heading_words_find_its_opening(tmp_path: Path, embedder: FakeEmbedder) -> None:
    opening = "A writer emits this once its full buffer has emptied and it accepts data again."
    said = "It tells of chunks, encodings, callbacks, highwater marks and the objects a writer holds."
    later = "".join(f"Paragraph {n} of this section says more. {said} {said} {said}\n\n" for n in range(12))
    body = f"# Streams\n\n## Event: drain\n\n{opening}\n\n{later}## Event: close\n\nThe stream was closed.\n"
    index = _index(tmp_path, embedder, {"streams": body})
    stored = index._state[0]
    section = [p for p in stored.passages if p.heading.endswith("Event: drain")]
    assert len(section) > RETRIEVAL.lexical_heading_passages  # a long section
    question = "drain"  # the section's heading holds the word, none of its passages
    found = index._state[1].search(question, 3, Method.LEXICAL)
    assert [h.passage.text for h in found] == [opening]  # the heading's words are the opening's
    every_passage = Retriever(stored, embedder, dataclasses.replace(RETRIEVAL, lexical_heading_passages=1000))
    assert len(every_passage.search(question, 3, Method.LEXICAL)) == 3


def test_a_paragraph_cut_in_two_passages_is_quoted_whole(tmp_path: Path, embedder: FakeEmbedder) -> None:
    """The sentence a question matches and the one after it that answers are one paragraph, cut
    apart by the chunker; the quote holds the paragraph, and nothing of the long section around it."""
    matched = "The checker reports the message Conditional jump depends on an uninitialised value."
    middle = " ".join(f"Sentence {n} of this paragraph talks about errors in general terms." for n in range(4))
    answer = "Run the checker with the track origins option to see where uninitialised values come from."
    filler = " ".join(f"Paragraph {n} of the section says more about reports and terminals." for n in range(30))
    body = f"# Manual\n\n## Reading the output\n\n{filler}\n\n{matched} {middle} {answer}\n\n{filler}\n"
    index = _index(tmp_path, embedder, {"manual": body})
    file = tmp_path / "c" / "manual.txt"
    text = file.read_text(encoding="utf-8")
    assert not any(matched in text[s.start : s.end] and answer in text[s.start : s.end] for s in split_passages(text))
    quote = index.ask("the checker reports Conditional jump depends on an uninitialised value").quotes[0]
    assert quote.text == f"{matched} {middle} {answer}"  # the whole paragraph, never trimmed below its passage
    assert text[quote.start : quote.end] == quote.text
