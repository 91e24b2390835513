"""What ``askback add`` and ``askback build`` say of pages with no text of their own, of removed
articles, and of a title the document states."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import askback.api
from askback.cli import main
from askback.corpus.files import read_document
from conftest import FakeEmbedder

COVER = """<html><head><title>The Quick Start Guide</title></head><body>
<div class="book"><h1>The Quick Start Guide</h1><p>Release 3.19.0</p><p>11 Apr 2022</p></div></body></html>"""
GUIDE = """<html><head><title>The Quick Start Guide</title></head><body><main>
<h1>The Quick Start Guide</h1><p>Compile your program with -g to include debugging information.</p>
<p>Then run it under the tool, and read the errors it reports.</p></main></body></html>"""
CODE_ONLY = """<html><head><title>Module numbers</title></head><body><main><h1>Module numbers</h1>
<h2>Structure numberInfo</h2><pre>struct numberInfo {
    int digits : Number of digits
}</pre></main></body></html>"""


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _titles(corpus: Path) -> dict[str, str]:
    return {p.name: read_document(p).article.title for p in corpus.glob("*.txt")}


def test_a_cover_page_in_a_folder_is_skipped_and_named(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "QuickStart.html").write_text(COVER, encoding="utf-8")
    (docs / "guide" / "quick-start.html").write_text(GUIDE, encoding="utf-8")
    (docs / "numbers.html").write_text(CODE_ONLY, encoding="utf-8")  # code is text of its own
    output = _run("init", str(tmp_path / "bot"), str(docs))
    assert f"skipped {docs / 'QuickStart.html'}: no text of its own" in output
    corpus = tmp_path / "bot" / "corpus"
    # the real page of the title gets its plain name, not a "-2" beside a stub
    assert _titles(corpus) == {
        "the-quick-start-guide.txt": "The Quick Start Guide",
        "module-numbers.txt": "Module numbers",
    }
    again = _run("add", str(docs), "--corpus", str(corpus), "--index", str(tmp_path / "bot" / "index"))
    assert "skipped" in again and "QuickStart.html" in again and len(_titles(corpus)) == 2


def test_a_folders_files_of_other_formats_are_named_with_how_to_add_one(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.html").write_text(GUIDE, encoding="utf-8")
    (docs / "CHANGES").write_text("Version 2 fixed the reports.\n", encoding="utf-8")
    (docs / "logo.png").write_bytes(b"\x89PNG")
    output = _run("init", str(tmp_path / "bot"), str(docs))
    assert "skipped 2 files of a format askback does not read (CHANGES, logo.png)" in output
    assert "renamed to .txt" in output
    assert list(_titles(tmp_path / "bot" / "corpus").values()) == ["The Quick Start Guide"]


def test_a_cover_page_named_on_its_own_is_added_with_a_word(tmp_path: Path) -> None:
    page = tmp_path / "QuickStart.html"
    page.write_text(COVER, encoding="utf-8")
    output = _run("add", str(page), "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "ix"))
    assert (
        "added" in output
        and "has no sentence of its own" in output
        and "found in a folder it would be skipped" in output
    )
    assert list(_titles(tmp_path / "corpus").values()) == ["The Quick Start Guide"]


def test_build_names_the_articles_it_removed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("alpha", "beta", "gamma"):
        (docs / f"{name}.md").write_text(
            f"# {name.title()} notes\n\nThe {name} setting turns on {name}.\n", encoding="utf-8"
        )
    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    _run("add", str(docs), "--corpus", str(corpus), "--index", str(index))
    (corpus / "alpha-notes.txt").unlink()
    (corpus / "gamma-notes.txt").unlink()
    output = _run("build", "--corpus", str(corpus), "--index", str(index))
    assert "“Alpha notes”" in output and "“Gamma notes”" in output and "alpha-notes.txt" in output
    assert "Beta" not in output and output.count("removed ") == 2
    assert ": 1 articles," in output


def test_a_stated_title_is_marked_not_inferred(tmp_path: Path) -> None:
    (tmp_path / "stated.md").write_text("# Stated title\n\nThe body says something useful.\n", encoding="utf-8")
    (tmp_path / "child_process.md").write_text("The body has no heading at all here.\n", encoding="utf-8")
    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    _run(
        "add",
        str(tmp_path / "stated.md"),
        str(tmp_path / "child_process.md"),
        "--corpus",
        str(corpus),
        "--index",
        str(index),
    )
    headers = {p.name: p.read_text(encoding="utf-8").split("---")[1] for p in corpus.glob("*.txt")}
    assert "\ntitle_inferred: no\n" in headers["stated-title.txt"]
    assert "\ntitle_inferred: yes\n" in headers["child-process.txt"]
    # a file written before with the field left blank reads as the same article: unchanged
    stated = corpus / "stated-title.txt"
    stated.write_text(
        stated.read_text(encoding="utf-8").replace("title_inferred: no", "title_inferred:"), encoding="utf-8"
    )
    again = _run("add", str(tmp_path / "stated.md"), "--corpus", str(corpus), "--index", str(index))
    assert "\nunchanged " in again and "title_inferred: no" in stated.read_text(encoding="utf-8")


def test_a_link_in_a_folder_to_a_file_outside_it_is_not_added(tmp_path: Path) -> None:
    secret = tmp_path / "private" / "notes.txt"
    secret.parent.mkdir()
    secret.write_text("The server password is written here and nowhere else.\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.html").write_text(GUIDE, encoding="utf-8")
    (docs / "notes.txt").symlink_to(secret)
    output = _run("init", str(tmp_path / "bot"), str(docs))
    assert f"skipped {docs / 'notes.txt'}: a link to a file outside {docs}" in output
    corpus = tmp_path / "bot" / "corpus"
    assert list(_titles(corpus).values()) == ["The Quick Start Guide"]
    assert not any("password" in p.read_text(encoding="utf-8") for p in corpus.glob("*.txt"))


def test_a_missing_document_is_named_as_missing(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "bot"), str(tmp_path / "nowhere.md")])
    assert result.exit_code != 0 and "nowhere.md: no such file or folder" in result.output


def test_an_edited_copy_added_from_elsewhere_names_the_article_of_the_same_title(tmp_path: Path) -> None:
    page = tmp_path / "guide.html"
    page.write_text(GUIDE, encoding="utf-8")
    _run("init", str(tmp_path / "bot"), str(page))
    copy = tmp_path / "elsewhere" / "guide.html"
    copy.parent.mkdir()
    copy.write_text(GUIDE.replace("-g to include", "-g3 to include"), encoding="utf-8")
    corpus, index = tmp_path / "bot" / "corpus", tmp_path / "bot" / "index"
    output = _run("add", str(copy), "--corpus", str(corpus), "--index", str(index))
    assert f"{corpus / 'the-quick-start-guide.txt'} has the same title; to update that article instead" in output


def test_adding_a_folder_again_names_the_article_whose_page_was_deleted(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.html").write_text(GUIDE, encoding="utf-8")
    (docs / "numbers.html").write_text(CODE_ONLY, encoding="utf-8")
    _run("init", str(tmp_path / "bot"), str(docs))
    (docs / "numbers.html").unlink()
    corpus, index = tmp_path / "bot" / "corpus", tmp_path / "bot" / "index"
    output = _run("add", str(docs), "--corpus", str(corpus), "--index", str(index))
    assert f"{corpus / 'module-numbers.txt'}: its document {docs.resolve() / 'numbers.html'} is gone" in output
    assert "delete" in output and "askback build" in output
