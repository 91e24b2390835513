"""Growing corpora: incremental rebuilds, hot reload, and failures that cost nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

import askback
from askback import IndexIncompatibleError
from conftest import FakeEmbedder, write_article


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        self.texts += list(texts)
        return super().encode(texts, on_batch)


def test_rebuild_embeds_only_what_changed(tmp_path: Path, corpus: Path) -> None:
    first = askback.build_index(corpus, tmp_path / "ix", embedder=CountingEmbedder())
    assert first.embedded == first.passages and first.reused == 0

    costs = corpus / "costs.txt"
    costs.write_text(costs.read_text().replace("Insurance rarely covers it.", "Insurance sometimes covers it."))
    write_article(corpus, "extra.txt", "title: Extra", "A brand new article about acupuncture and sleep.\n")
    counting = CountingEmbedder()
    second = askback.build_index(corpus, tmp_path / "ix", embedder=counting)
    assert second.embedded == 2 and second.removed == 1
    assert second.reused == second.passages - 2
    assert any("sometimes covers" in t for t in counting.texts)
    assert not any("calm irritated nerves" in t for t in counting.texts)  # unchanged article: reused


def test_a_rebuild_with_nothing_new_embeds_nothing(tmp_path: Path, corpus: Path) -> None:
    askback.build_index(corpus, tmp_path / "ix", embedder=FakeEmbedder())
    counting = CountingEmbedder()
    report = askback.build_index(corpus, tmp_path / "ix", embedder=counting)
    assert (report.embedded, report.removed) == (0, 0) and counting.texts == []


def test_full_rebuild_embeds_everything(tmp_path: Path, corpus: Path) -> None:
    askback.build_index(corpus, tmp_path / "ix", embedder=FakeEmbedder())
    report = askback.build_index(corpus, tmp_path / "ix", embedder=CountingEmbedder(), full=True)
    assert report.embedded == report.passages and report.reused == 0


def test_reused_vectors_answer_like_fresh_ones(tmp_path: Path, corpus: Path) -> None:
    embedder = FakeEmbedder()
    askback.build_index(corpus, tmp_path / "a", embedder=embedder)
    askback.build_index(corpus, tmp_path / "a", embedder=embedder)  # all reused
    askback.build_index(corpus, tmp_path / "b", embedder=embedder, full=True)
    question = "how much does a session cost"
    a = askback.load_index(tmp_path / "a", embedder=embedder).retrieve(question, k=3)
    b = askback.load_index(tmp_path / "b", embedder=embedder).retrieve(question, k=3)
    assert [(p.text, p.score) for p in a] == [(p.text, p.score) for p in b]


def test_a_loaded_index_picks_up_a_completed_rebuild(tmp_path: Path, corpus: Path) -> None:
    embedder = FakeEmbedder()
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    index = askback.load_index(tmp_path / "ix", embedder=embedder)
    assert not any("moxibustion" in p.text for p in index.retrieve("moxibustion heat therapy", k=5))
    write_article(
        corpus, "moxa.txt", "title: Moxa", "Moxibustion burns dried mugwort near the skin as a heat therapy.\n"
    )
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    assert "Moxibustion" in index.retrieve("moxibustion heat therapy", k=1)[0].text
    assert "Moxa" in {a.title for a in index.articles}


def test_a_build_failing_half_way_keeps_the_previous_index(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = FakeEmbedder()
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    index = askback.load_index(tmp_path / "ix", embedder=embedder)
    before = {p.name: p.read_bytes() for p in (tmp_path / "ix").iterdir()}
    write_article(corpus, "new.txt", "title: New", "Another article about needles.\n")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "save", disk_full)  # fails after the vector files are written
    with pytest.raises(askback.BuildError, match=r"No space left on device.*previous index is unchanged"):
        askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    assert {p.name: p.read_bytes() for p in (tmp_path / "ix").iterdir()} == before
    assert index.retrieve("needles") and askback.load_index(tmp_path / "ix", embedder=embedder).retrieve("needles")


@pytest.mark.parametrize("name", ["vectors.faiss", "sentences.faiss", "passages.json", "manifest.json"])
def test_a_truncated_index_file_names_the_fix(tmp_path: Path, corpus: Path, name: str) -> None:
    embedder = FakeEmbedder()
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    damaged = tmp_path / "ix" / name
    damaged.write_bytes(damaged.read_bytes()[: len(damaged.read_bytes()) // 2])
    with pytest.raises(IndexIncompatibleError, match="askback build --full"):
        askback.load_index(tmp_path / "ix", embedder=embedder)


def test_a_damaged_index_is_rebuilt_from_scratch(tmp_path: Path, corpus: Path) -> None:
    askback.build_index(corpus, tmp_path / "ix", embedder=FakeEmbedder())
    (tmp_path / "ix" / "keys.npy").write_bytes(b"garbage")
    report = askback.build_index(corpus, tmp_path / "ix", embedder=FakeEmbedder())
    assert report.embedded == report.passages
    assert askback.load_index(tmp_path / "ix", embedder=FakeEmbedder()).retrieve("needles")


def test_large_indexes_switch_to_approximate_search(tmp_path: Path, corpus: Path) -> None:
    import json

    from askback.config import IndexSettings
    from askback.index import build as storage

    tiny = IndexSettings(approximate_above=1)
    storage.build(corpus, tmp_path / "ix", FakeEmbedder(), indexing=tiny)
    assert json.loads((tmp_path / "ix" / "manifest.json").read_text())["search"]["passages"] == "hnsw"
    index = askback.load_index(tmp_path / "ix", embedder=FakeEmbedder())
    assert "$75" in index.retrieve("how much does a session cost", k=1)[0].text
    again = storage.build(corpus, tmp_path / "ix", CountingEmbedder(), indexing=tiny)
    assert again.embedded == 0 and again.reused == again.passages  # vectors come back out of HNSW
