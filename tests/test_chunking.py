"""Passages are exact, ordered, non-overlapping slices that a person would quote."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from askback.config import ChunkSettings
from askback.corpus.chunking import passage_units, split_passages, split_sentences
from askback.corpus.files import read_document
from askback.index.build import passages_of

LINES = st.sampled_from(
    [
        "What Is Acupuncture?",
        "1. NICE Guidelines (UK)",
        "Common causes include:",
        "- Muscle strain",
        "  • Nerve compression, such as sciatica",
        "It costs about $75 per session in the U.S. and most people need 8–12 sessions.",
        "Dr. Smith et al. found e.g. less pain. Then it stopped! Did it? Yes.",
        "Short one.",
        "",
        "   ",
        "Published on: 2/24/2026",
    ]
)


def check(text: str, body_start: int = 0) -> None:
    spans = split_passages(text, body_start)
    previous_end = body_start
    for span in spans:
        passage = text[span.start : span.end]
        assert span.start >= previous_end, "passages overlap or go backwards"
        assert passage and passage == passage.strip(), "a passage is empty or has ragged edges"
        previous_end = span.end


@given(st.lists(LINES, max_size=40))
@settings(max_examples=200, deadline=None)
def test_passages_of_article_like_text_are_ordered_exact_slices(lines: list[str]) -> None:
    check("\n".join(lines))


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_passages_of_arbitrary_text_are_ordered_exact_slices(text: str) -> None:
    check(text)


@given(st.lists(LINES, min_size=1, max_size=30), st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=50, deadline=None)
def test_offsets_index_the_file_as_read_back(tmp_path_factory, lines: list[str], newline: str) -> None:
    path = tmp_path_factory.mktemp("c") / "a.txt"
    body = "\n".join(lines) + "\nA closing sentence for the article."
    path.write_bytes(f"---\ntitle: T\n---\n{body}".replace("\n", newline).encode("utf-8"))
    doc = read_document(path)
    on_disk = path.read_text(encoding="utf-8")
    for p in passages_of(doc):
        assert on_disk[p.start : p.end] == p.text


def test_heading_is_context_not_a_passage() -> None:
    text = "Is Acupuncture Safe?\nYes, when done by a trained practitioner. Serious problems are rare.\n"
    spans = split_passages(text)
    assert [text[s.start : s.end] for s in spans] == [
        "Yes, when done by a trained practitioner. Serious problems are rare."
    ]
    assert spans[0].heading == "Is Acupuncture Safe?"


def test_title_case_heading_with_lower_case_small_words_is_a_heading() -> None:
    text = "Who Can Benefit from Acupuncture?\nPeople whose back pain has lasted for months may benefit.\n"
    spans = split_passages(text)
    assert [text[s.start : s.end] for s in spans] == ["People whose back pain has lasted for months may benefit."]
    assert spans[0].heading == "Who Can Benefit from Acupuncture?"


def test_short_list_stays_with_its_introduction() -> None:
    intro = "The spine has many parts that all carry weight in different ways every single day of our lives."
    text = (
        f"Why It Matters\n{intro} These include:\n- 7 cervical vertebrae\n- 5 lumbar vertebrae\n- 1 sacrum\n"
        "Other text follows here and it goes on for a while, long enough to be a passage of its own.\n"
    )
    passages = [text[s.start : s.end] for s in split_passages(text, settings=ChunkSettings(max_words=30))]
    assert any("These include:\n- 7 cervical vertebrae\n- 5 lumbar vertebrae\n- 1 sacrum" in p for p in passages)


def test_long_paragraph_is_split_into_focused_passages() -> None:
    sentence = "Acupuncture was tested in a trial with many patients over several weeks of care. "
    text = sentence * 12
    spans = split_passages(text, settings=ChunkSettings(max_words=40))
    assert len(spans) >= 3
    assert all(len(text[s.start : s.end].split()) <= 42 for s in spans)


def test_sentences_do_not_split_at_abbreviations() -> None:
    text = "Costs in the U.S. vary, e.g. by city. Dr. Lee agrees. It works."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Costs in the U.S. vary, e.g. by city.",
        "Dr. Lee agrees.",
        "It works.",
    ]


def test_shipped_corpus_passages_are_focused() -> None:
    words = []
    for path in sorted(Path(__file__).resolve().parents[1].joinpath("corpus").glob("*.txt")):
        words += [len(p.text.split()) for p in passages_of(read_document(path))]
    words.sort()
    assert words[len(words) // 2] <= 45, "the median passage should be a short, quotable size"
    assert sum(w > 60 for w in words) <= len(words) // 10


def test_a_paragraph_without_a_full_stop_runs_on_into_the_next() -> None:
    text = (
        "Intro sentence here.\n\nthe param ends up as empty\n\nIn a nutshell, escape it twice.\n\n# Next\n\nLast words"
    )
    spans = split_passages(text, 0, ChunkSettings(max_words=8, min_words=1))
    texts = [text[s.start : s.end] for s in spans]
    assert not any(t.endswith("empty") for t in texts)  # while its section goes on
    assert any("empty\n\nIn a nutshell" in t for t in texts) and texts[-1] == "Last words"
    units = [text[a:b] for a, b in passage_units(text, 0, text.index("# Next"))]
    assert "the param ends up as empty\n\nIn a nutshell, escape it twice." in units


def test_a_long_list_item_is_cut_between_its_sentences() -> None:
    sentence = "Every function that logs on its own should say so in its name and its comment. "
    text = "## Style\n\n- " + sentence * 9 + "\n- A short item.\n"
    spans = split_passages(text)
    assert len(spans) >= 2
    for s in spans:
        quoted = text[s.start : s.end]
        assert quoted.startswith(("Every", "A short")) and quoted.endswith(".")
