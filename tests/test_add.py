"""Adding articles as people have them: a saved web page, Markdown, PDF; never a duplicate."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import askback
import askback.api
from askback import CorpusError
from askback.cli import main
from askback.corpus.files import read_document
from conftest import FakeEmbedder

PAGE = """<!doctype html><html><head>
<title>Needles and Backs | Spine Weekly</title>
<meta name="author" content="Dana Reyes">
<meta property="og:site_name" content="Spine Weekly">
<meta property="og:title" content="Needles and Backs">
<link rel="canonical" href="https://spineweekly.example/needles-and-backs">
<meta property="article:published_time" content="2025-03-04">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/shop">Shop</a></li></ul></nav>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies?</div>
<main><article>
<h1>Needles and Backs</h1>
<p>Acupuncture eased chronic low back pain in a trial of three hundred adults over ten weeks.</p>
<p>The researchers compared real needling with a sham procedure and with usual care from a family doctor.</p>
<h2>How Many Sessions?</h2>
<p>Most patients in the trial needed eight sessions before the pain eased noticeably.</p>
<ul><li>Sessions lasted thirty minutes.</li><li>Needles stayed in for twenty minutes.</li></ul>
<h2>Side Effects</h2>
<p>Mild bruising at the needle site was the most common side effect the volunteers reported.</p>
</article></main>
<aside class="sidebar"><h3>Related articles</h3><ul>
<li><a href="/a">Ten stretches for sciatica you can do at your desk</a></li>
<li><a href="/b">Is yoga better than pilates for a sore neck?</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Great article, my aunt tried this and loved it! Posted by Bob.</p></div></section>
<footer><p>Copyright 2025 Spine Weekly. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""
FURNITURE = ["Home", "cookies", "Related articles", "stretches for sciatica", "my aunt", "Copyright", "Privacy"]

MARKDOWN = """---
title: Heat or Ice After a Session
author: Priya Nair
date: 2024-11-02
url: https://notes.example/heat-or-ice
---
# Heat or Ice After a Session

Warmth relaxes the muscles that the needles have just released.

## When To Use Ice

Ice helps only when a needle site is swollen, which is rare.

## When To Use Heat

A warm bath on the evening after a session is what most practitioners suggest.
"""


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())


def _index(tmp_path: Path) -> askback.Index:
    return askback.load_index(tmp_path / "ix", embedder=FakeEmbedder())


def _verbatim(answer: askback.Answer) -> bool:
    return all(Path(p.article.path).read_text(encoding="utf-8")[p.start : p.end] == p.text for p in answer.quotes)


def test_a_saved_page_keeps_the_article_and_leaves_the_furniture(tmp_path: Path, corpus: Path) -> None:
    page = tmp_path / "needles.html"
    page.write_text(PAGE, encoding="utf-8")
    report = askback.add_documents([page], corpus, tmp_path / "ix")
    added = report.added[0]
    doc = read_document(Path(added.corpus_file))
    body = doc.text[doc.body_start :]
    for sentence in ["Most patients in the trial needed eight sessions", "Needles stayed in for twenty minutes."]:
        assert sentence in body
    assert not [f for f in FURNITURE if f in body]
    assert "## How Many Sessions?" in body  # the page's <h2>, as a heading the chunker reads
    a = doc.article
    assert (a.title, a.author, a.publisher, a.published) == (
        "Needles and Backs",
        "Dana Reyes",
        "Spine Weekly",
        "2025-03-04",
    )
    assert a.url == "https://spineweekly.example/needles-and-backs" and not a.title_inferred
    assert added.left_out > 0 and report.build.articles == 3
    answer = _index(tmp_path).ask("How many sessions did patients in the trial need?")
    assert answer.quotes[0].article.title == "Needles and Backs" and "eight sessions" in answer.quotes[0].text
    assert answer.quotes[0].heading == "How Many Sessions?" and _verbatim(answer)


def test_markdown_front_matter_and_headings(tmp_path: Path, corpus: Path) -> None:
    note = tmp_path / "heat.md"
    note.write_text(MARKDOWN, encoding="utf-8")
    added = askback.add_documents([note], corpus, tmp_path / "ix").added[0]
    a = read_document(Path(added.corpus_file)).article
    assert (a.title, a.author, a.published, a.url) == (
        "Heat or Ice After a Session",
        "Priya Nair",
        "2024-11-02",
        "https://notes.example/heat-or-ice",
    )
    answer = _index(tmp_path).ask("When should I use ice on a needle site?")
    assert "Ice helps only when a needle site is swollen" in answer.quotes[0].text
    assert answer.quotes[0].heading.endswith("When To Use Ice") and _verbatim(answer)


def test_a_two_page_pdf_with_its_outline(tmp_path: Path, corpus: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Acupuncture Clinic Handbook")
    pdf.set_author("Lee Wong")
    pdf.set_font("helvetica", size=12)
    for heading, sentence in [
        ("Booking", "Appointments can be booked by telephone on weekdays between nine and five."),
        ("Cancellations", "Cancellations need twenty four hours notice or the session is charged in full."),
    ]:
        pdf.add_page()
        pdf.start_section(heading)
        pdf.multi_cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 10, sentence, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "handbook.pdf"
    pdf.output(str(path))
    added = askback.add_documents([path], corpus, tmp_path / "ix").added[0]
    doc = read_document(Path(added.corpus_file))
    assert (doc.article.title, doc.article.author) == ("Acupuncture Clinic Handbook", "Lee Wong")
    assert "## Cancellations" in doc.text
    answer = _index(tmp_path).ask("How much notice do cancellations need?")
    assert "twenty four hours notice" in answer.quotes[0].text and _verbatim(answer)


def test_adding_the_same_document_twice_updates_it(tmp_path: Path, corpus: Path) -> None:
    page = tmp_path / "needles.html"
    page.write_text(PAGE, encoding="utf-8")
    first = askback.add_documents([page], corpus, tmp_path / "ix").added[0]
    page.write_text(PAGE.replace("eight sessions", "nine sessions"), encoding="utf-8")
    second = askback.add_documents([page], corpus, tmp_path / "ix")
    assert second.added[0].updated and second.added[0].corpus_file == first.corpus_file
    assert second.build.articles == 3
    assert "nine sessions" in Path(first.corpus_file).read_text(encoding="utf-8")


def test_the_same_document_from_another_folder_is_unchanged_and_keeps_no_copy(tmp_path: Path, corpus: Path) -> None:
    page = tmp_path / "needles.html"
    page.write_text(PAGE, encoding="utf-8")
    first = askback.add_documents([page], corpus, tmp_path / "ix").added[0]
    moved = tmp_path / "edited" / "needles.html"
    moved.parent.mkdir()
    moved.write_text(PAGE, encoding="utf-8")
    again = askback.add_documents([moved], corpus, tmp_path / "ix").added[0]
    assert again.unchanged and again.corpus_file == first.corpus_file and not again.replaced
    assert not (corpus / ".askback-replaced").exists()
    assert f"source: {moved.resolve()}" in Path(first.corpus_file).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", b"PK\x03\x04 not really", "askback reads"),
        ("broken.pdf", b"%PDF-1.4 this is not a pdf at all", "not a readable PDF"),
    ],
)
def test_a_file_that_cannot_be_added_is_named_and_nothing_changes(
    tmp_path: Path, corpus: Path, name: str, content: bytes, message: str
) -> None:
    askback.build_index(corpus, tmp_path / "ix", embedder=FakeEmbedder())
    before = sorted(p.name for p in corpus.iterdir())
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "heat.md"
    good.write_text(MARKDOWN, encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as error:
        askback.add_documents([good, bad], corpus, tmp_path / "ix")
    assert name in str(error.value)
    assert sorted(p.name for p in corpus.iterdir()) == before
    assert _index(tmp_path).ask("What is acupuncture?").quotes  # the last good index still answers


def test_the_command_prints_what_it_added_and_build_names_files_it_does_not_read(tmp_path: Path, corpus: Path) -> None:
    page = tmp_path / "needles.html"
    page.write_text(PAGE, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["add", str(page), "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "added " in result.stdout and "“Needles and Backs” by Dana Reyes" in result.stdout
    (corpus / "dropped-in.md").write_text(MARKDOWN, encoding="utf-8")
    built = runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    assert "dropped-in.md" in built.stderr and "askback add" in built.stderr


def test_build_says_what_each_article_it_reads_anew_keeps_and_left_out(tmp_path: Path, corpus: Path) -> None:
    page = tmp_path / "needles.html"
    page.write_text(PAGE, encoding="utf-8")
    runner = CliRunner()
    ix = ["--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    assert runner.invoke(main, ["add", str(page), *ix]).exit_code == 0
    added = next(p for p in corpus.glob("*.txt") if "Needles and Backs" in p.read_text(encoding="utf-8"))
    assert "\nleft_out: " in added.read_text(encoding="utf-8")  # what the conversion left out, recorded
    added.write_text(
        added.read_text(encoding="utf-8").replace("Needles and Backs", "Fine Needles and Backs", 1), encoding="utf-8"
    )
    built = runner.invoke(main, ["build", *ix])
    assert built.exit_code == 0, built.output
    read = [line for line in built.stdout.splitlines() if line.startswith("read ")]
    assert len(read) == 1 and added.name in read[0]  # only the article that changed
    assert "words kept" in read[0] and "words of navigation" in read[0]
    again = runner.invoke(main, ["build", *ix])
    assert not [line for line in again.stdout.splitlines() if line.startswith("read ")]


def test_the_progress_line_measures_its_rate_from_the_first_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from askback.cli_report import Progress

    clock = iter([100.0, 101.0, 103.0, 104.0])  # the third hundred takes twice as long
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    lines: list[str] = []
    monkeypatch.setattr("click.echo", lambda text, err=False: lines.append(text))
    progress = Progress()
    progress._terminal = False
    for done in (100, 200, 300, 400):  # the first batch of 100 came in before the clock could start
        progress.update(done, 400)
    assert lines[1] == "embedded 200/400 texts, 100 a second, about 2 s left"
    assert lines[2] == "embedded 300/400 texts, 50 a second, about 2 s left"  # the latest pace
    assert lines[3] == "embedded 400/400 texts, 75 a second"  # the whole run
