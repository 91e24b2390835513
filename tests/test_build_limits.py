"""What a build reads and writes has limits: it deletes no file it did not write."""

from __future__ import annotations

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
