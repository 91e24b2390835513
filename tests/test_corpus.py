"""A broken corpus gets a clear error naming the file and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from askback import CorpusError
from askback.corpus.files import load_corpus, read_document
from conftest import write_article


def test_reads_metadata_and_keeps_the_text_verbatim(corpus: Path) -> None:
    doc = read_document(corpus / "costs.txt")
    assert doc.article.title == "What Acupuncture Costs"
    assert doc.article.title_inferred is True
    assert doc.article.url == "https://example.org/costs"
    assert doc.article.author == ""
    assert doc.text[doc.body_start :].startswith("A session usually costs around $75")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Just text, no header.\n", "no metadata header"),
        (b"---\ntitle: T\nno closing fence\n", "line 3"),
        (b"---\ntitle: T\n---\n   \n\n", "empty"),
        (b"---\nauthor: A\n---\nText.\n", "no title"),
        (b"---\ntitel: T\n---\nText.\n", "line 2"),
        (b"---\ntitle: T\n---\nCaf\xe9 au lait.\n", "not UTF-8"),
    ],
)
def test_bad_file_is_named_with_its_problem(tmp_path: Path, content: bytes, message: str) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bad.txt").write_bytes(content)
    with pytest.raises(CorpusError, match=message) as caught:
        load_corpus(folder)
    assert "bad.txt" in str(caught.value)


def test_missing_and_empty_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match=r"no \.txt article files"):
        load_corpus(tmp_path / "empty")


def test_the_same_article_twice_is_refused(corpus: Path) -> None:
    header, body = "title: Copy", (corpus / "costs.txt").read_text().split("---\n", 2)[2]
    write_article(corpus, "copy.txt", header, body)
    with pytest.raises(CorpusError, match="same article as"):
        load_corpus(corpus)
