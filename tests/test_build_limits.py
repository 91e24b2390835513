"""What a build reads and writes has limits: it deletes no file it did not write, reads a bot file
only as a small regular file, and takes only patterns that cannot hang an answer."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import askback.api
from askback.cli import main
from conftest import FakeEmbedder


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())
    monkeypatch.setattr(askback.api, "_QUERIES", FakeEmbedder())


def snapshot(*folders: Path) -> dict[str, bytes]:
    files = [p for folder in folders if folder.exists() for p in sorted(folder.rglob("*"))]
    return {str(p): p.read_bytes() for p in files if p.is_file()}


def build(corpus: Path, index: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--index", str(index)])
    return result.exit_code, result.output


def test_a_build_keeps_a_users_file_in_the_index_folder_by_refusing(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "index"
    assert build(corpus, index)[0] == 0
    (index / "NOTES.md").write_text("notes\n", encoding="utf-8")
    before = snapshot(corpus, index)
    code, output = build(corpus, index)
    assert code != 0 and len(output.strip().splitlines()) == 1
    assert "NOTES.md" in output and "move it out" in output
    assert snapshot(corpus, index) == before


def test_a_build_replaces_the_files_its_manifest_names(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "index"
    assert build(corpus, index)[0] == 0
    (corpus / "costs.txt").unlink()
    assert build(corpus, index)[0] == 0
    assert askback.load_index(index, embedder=FakeEmbedder()).articles[0].id == "needles"


def bot_corpus(corpus: Path, bot: str) -> Path:
    (corpus / "askback.toml").write_text(bot, encoding="utf-8")
    return corpus


def test_a_pattern_that_backtracks_for_ever_in_python_is_matched_at_once(
    tmp_path: Path, corpus: Path, embedder: FakeEmbedder
) -> None:
    bot_corpus(corpus, "[safety]\nred_flags = ['(a+)+$']\nurgent = ['costs']\n")
    askback.build_index(corpus, tmp_path / "index", embedder=embedder)
    index = askback.load_index(tmp_path / "index", embedder=embedder)
    started = time.monotonic()
    answer = index.ask("a" * 28 + "!")  # 29 characters: minutes for Python's re
    assert isinstance(answer, askback.Answer)
    assert index.ask("a" * 3999 + "!").parts is not None
    assert time.monotonic() - started < 10  # a bound, not a measurement: it used to hang past 25 s


@pytest.mark.parametrize("pattern", [r"(?=x)y", r"(?<!x)pain", r"(a)\1"])
def test_a_pattern_re2_cannot_take_is_one_line_and_keeps_the_index(
    tmp_path: Path, corpus: Path, embedder: FakeEmbedder, pattern: str
) -> None:
    index = tmp_path / "index"
    askback.build_index(corpus, index, embedder=embedder)
    bot_corpus(corpus, f"name = 'x'\n[safety]\nred_flags = ['''{pattern}''']\n")
    before = snapshot(corpus, index)
    with pytest.raises(askback.CorpusError) as refused:
        askback.build_index(corpus, index, embedder=embedder)
    message = str(refused.value)
    assert "\n" not in message and "askback.toml:3: safety.red_flags: the pattern" in message
    assert "look-ahead, look-behind or back-references" in message
    assert snapshot(corpus, index) == before


def _folder(path: Path) -> None:
    path.mkdir()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link_to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


@pytest.mark.parametrize("make", [_folder, _fifo, _link_to_dev_zero])
def test_a_bot_file_that_is_not_a_regular_file_fails_the_build(tmp_path: Path, corpus: Path, make: Callable) -> None:
    index = tmp_path / "index"
    assert build(corpus, index)[0] == 0
    make(corpus / "askback.toml")
    before = snapshot(corpus, index)
    code, output = build(corpus, index)
    assert code != 0 and len(output.strip().splitlines()) == 1, output
    assert "askback.toml" in output and ("not a regular file" in output or "symbolic link" in output)
    assert snapshot(corpus, index) == before


@pytest.mark.parametrize(
    ("bot", "says"),
    [
        ('greeting = "' + "hello " * 2_000_000 + '"\n', "askback.toml: over 64,000 bytes"),
        ('greeting = "' + "h" * 501 + '"\n', "askback.toml:1: greeting: is 501 characters long; keep it to 500"),
        ('name = "' + "n" * 81 + '"\n', "askback.toml:1: name: is 81 characters long; keep it to 80"),
        ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "askback.toml: over 64,000 bytes"),
        ('name = "x"\nx = ' + "[" * 30_000 + "]" * 30_000 + "\n", "askback.toml:2: x: nested far deeper"),
    ],
)
def test_a_bot_file_too_big_or_too_deep_is_one_line(tmp_path: Path, corpus: Path, bot: str, says: str) -> None:
    index = tmp_path / "index"
    assert build(corpus, index)[0] == 0
    bot_corpus(corpus, bot)
    before = snapshot(corpus, index)
    code, output = build(corpus, index)
    assert code != 0 and len(output.strip().splitlines()) == 1 and says in output, output[:300]
    assert snapshot(corpus, index) == before


def test_a_broken_pdf_is_one_line_without_the_pdf_readers_own_warnings(tmp_path: Path, corpus: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage\n")
    before = snapshot(corpus)
    command = [sys.executable, "-m", "askback.cli", "add", str(broken), "--corpus", str(corpus), "--index", "ix"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and not result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {broken}: not a readable PDF"), result.stderr
    assert snapshot(corpus) == before
