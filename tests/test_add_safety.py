"""``askback add`` never loses or half-writes an article: each document gets its own file unless it
states the address of one already there, every check runs before anything is written, and a
failure leaves the corpus byte for byte as it was."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import askback
import askback.api
from askback import BuildError, CorpusError
from askback.cli import main
from askback.corpus.files import read_document
from conftest import FakeEmbedder, write_article

PAGE = """<html><head><title>Warm Needles</title></head><body><article><h1>Warm Needles</h1>
<p>Moxibustion warms the needle with a smouldering herb before the session ends for the day.</p>
<p>Some clinics use an electric heater near the needles instead of the burning herb itself.</p>
</article></body></html>"""
NOTE = "---\ntitle: Stretching Between Sessions\n---\nGentle hamstring stretches between sessions help.\n"


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _pdf(path: Path, title: str, sentence: str) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 10, sentence, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def body(path: str) -> str:
    doc = read_document(Path(path))
    return doc.text[doc.body_start :]


def test_a_page_a_note_and_a_pdf_without_addresses_make_three_files_holding_their_own_texts(
    tmp_path: Path, corpus: Path
) -> None:
    page = tmp_path / "a.html"
    page.write_text(PAGE, encoding="utf-8")
    note = tmp_path / "b.md"
    note.write_text(NOTE, encoding="utf-8")
    pdf = _pdf(tmp_path / "c.pdf", "Clinic Leaflet", "Appointments are booked by telephone on weekdays only.")
    result = CliRunner().invoke(
        main, ["add", str(page), str(note), str(pdf), "--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    )
    assert result.exit_code == 0, result.output
    files = sorted(set(p.name for p in corpus.glob("*.txt")) - {"needles.txt", "costs.txt"})
    assert len(files) == 3
    texts = {name: body(str(corpus / name)) for name in files}
    assert sum("Moxibustion warms the needle" in t for t in texts.values()) == 1
    assert sum("hamstring stretches" in t for t in texts.values()) == 1
    assert sum("booked by telephone" in t for t in texts.values()) == 1


def test_two_text_files_with_the_same_first_line_are_two_articles(tmp_path: Path, corpus: Path) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("Introduction\nNeedles are sterile and used once only.\n", encoding="utf-8")
    two.write_text("Introduction\nA course usually runs for ten weekly sessions.\n", encoding="utf-8")
    report = askback.add_documents([one, two], corpus, tmp_path / "ix")
    first, second = (a.corpus_file for a in report.added)
    assert first != second and not any(a.updated for a in report.added)
    assert "sterile" in body(first) and "ten weekly sessions" in body(second)
    assert report.build.articles == 4


def test_a_title_alone_never_replaces_an_article(tmp_path: Path, corpus: Path) -> None:
    before = (corpus / "needles.txt").read_bytes()
    note = tmp_path / "same-title.md"
    note.write_text("---\ntitle: How   acupuncture NEEDLES work\n---\nFourteen words only here.\n", encoding="utf-8")
    report = askback.add_documents([note], corpus, tmp_path / "ix")
    assert not report.added[0].updated and Path(report.added[0].corpus_file).name != "needles.txt"
    assert (corpus / "needles.txt").read_bytes() == before


def test_the_same_address_updates_the_article_and_keeps_the_old_text(tmp_path: Path, corpus: Path) -> None:
    old = (corpus / "costs.txt").read_text(encoding="utf-8")
    note = tmp_path / "costs.md"
    note.write_text("---\ntitle: Costs\nurl: https://example.org/costs/\n---\nA session now costs $90.\n", "utf-8")
    result = CliRunner().invoke(main, ["add", str(note), "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "updated " in result.stdout and "$90" in (corpus / "costs.txt").read_text(encoding="utf-8")
    kept = next((corpus / ".askback-replaced").iterdir())
    assert kept.read_text(encoding="utf-8") == old and str(kept) in result.stdout
    assert len(askback.load_index(tmp_path / "ix", embedder=FakeEmbedder()).articles) == 2  # the copy is not read


def test_adding_the_identical_document_again_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    note = tmp_path / "b.md"
    note.write_text(NOTE, encoding="utf-8")
    askback.add_documents([note], corpus, tmp_path / "ix")
    before = snapshot(corpus)
    again = askback.add_documents([note], corpus, tmp_path / "ix")
    assert again.added[0].updated and snapshot(corpus) == before


def _blocked_by_a_running_build(corpus: Path, tmp_path: Path) -> None:
    from askback.index.swap import build_lock

    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with build_lock(tmp_path / "ix"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    try:
        note = tmp_path / "b.md"
        note.write_text(NOTE, encoding="utf-8")
        askback.add_documents([note], corpus, tmp_path / "ix")
    finally:
        release.set()
        thread.join()


@pytest.mark.parametrize(
    ("case", "error", "says"),
    [
        ("empty body", CorpusError, "empty"),
        ("an existing article's text", CorpusError, "the same article as"),
        ("two documents with one address", CorpusError, "same address"),
        ("--index is not an index", BuildError, "not an askback index"),
        ("a build is running", BuildError, "another askback build"),
        ("the second write fails", CorpusError, "nothing was added"),
        ("the rebuild fails", RuntimeError, "embedding failed"),
    ],
)
def test_a_failed_add_leaves_the_corpus_byte_identical(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, case: str, error: type, says: str
) -> None:
    askback.build_index(corpus, tmp_path / "ix", embedder=FakeEmbedder())
    before = snapshot(corpus)
    good = tmp_path / "good.md"
    good.write_text(NOTE, encoding="utf-8")
    bad = tmp_path / "bad.md"
    index = tmp_path / "ix"
    if case == "empty body":
        bad.write_text("---\ntitle: Nothing Here\n---\n\n", encoding="utf-8")
    elif case == "an existing article's text":
        costs = read_document(corpus / "costs.txt")
        bad.write_text(f"---\ntitle: Another Title\n---\n{costs.text[costs.body_start :]}", encoding="utf-8")
    elif case == "two documents with one address":
        bad.write_text("---\ntitle: X\nurl: https://a.example/x\n---\nOne text.\n", encoding="utf-8")
        good.write_text("---\ntitle: Y\nurl: https://a.example/x\n---\nAnother text.\n", encoding="utf-8")
    elif case == "--index is not an index":
        bad.write_text(NOTE.replace("Stretching", "Walking"), encoding="utf-8")
        index = tmp_path / "photos"
        index.mkdir()
        (index / "holiday.jpg").write_bytes(b"\xff\xd8")
    elif case == "the second write fails":
        bad.write_text(NOTE.replace("Stretching", "Walking").replace("hamstring", "calf"), encoding="utf-8")
        import askback.corpus.documents as documents

        real, calls = documents._atomic_write, []

        def flaky(target: Path, text: str) -> None:
            calls.append(target)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
            real(target, text)

        monkeypatch.setattr(documents, "_atomic_write", flaky)
    elif case == "the rebuild fails":
        bad.write_text(NOTE.replace("Stretching", "Walking").replace("hamstring", "calf"), encoding="utf-8")

        def broken(*_: object, **__: object) -> None:
            raise RuntimeError("embedding failed")

        monkeypatch.setattr(FakeEmbedder, "encode", broken)
    if case == "a build is running":
        with pytest.raises(error, match=says):
            _blocked_by_a_running_build(corpus, tmp_path)
    else:
        with pytest.raises(error, match=says):
            askback.add_documents([good, bad], corpus, index)
    assert snapshot(corpus) == before
    monkeypatch.undo()
    assert askback.build_index(corpus, tmp_path / "ix", embedder=FakeEmbedder()).articles == 2  # builds still work


def test_a_fifo_or_an_endless_device_is_refused_at_once(tmp_path: Path, corpus: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.md"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        with pytest.raises(CorpusError, match="not a regular file"):
            askback.add_documents([path], corpus, tmp_path / "ix")


def test_build_never_overwrites_a_manifest_that_is_not_askbacks(tmp_path: Path, corpus: Path) -> None:
    folder = tmp_path / "extension"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"manifest_version": 3, "name": "my extension"}', encoding="utf-8")
    with pytest.raises(BuildError, match="not an askback index"):
        askback.build_index(corpus, folder, embedder=FakeEmbedder())
    assert "my extension" in (folder / "manifest.json").read_text(encoding="utf-8")


def test_a_same_size_rewrite_with_the_old_mtime_is_never_quoted(built: askback.Index, corpus: Path) -> None:
    costs = corpus / "costs.txt"
    assert "$75" in built.ask("How much does a session cost?").quotes[0].text  # read and cached
    info = costs.stat()
    costs.write_text(costs.read_text(encoding="utf-8").replace("$75", "$95"), encoding="utf-8")
    os.utime(costs, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert costs.stat().st_size == info.st_size and costs.stat().st_mtime_ns == info.st_mtime_ns
    assert not any("$75" in q.text for q in built.ask("How much does a session cost?").quotes)


def test_build_names_a_corpus_that_is_a_file(tmp_path: Path) -> None:
    file = write_article(tmp_path, "one.txt", "title: One", "Text.\n")
    with pytest.raises(CorpusError, match="is a file, not a folder"):
        askback.build_index(file, tmp_path / "ix", embedder=FakeEmbedder())
