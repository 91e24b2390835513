"""The index on disk: manifest checks, staleness, and builds that never cost the last good index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import askback
from askback import CorpusError, IndexIncompatibleError, IndexMissingError
from conftest import FakeEmbedder, write_article


def test_manifest_records_what_the_build_used(tmp_path: Path, built: askback.Index) -> None:
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    assert manifest["model"] == "fake-hashing" and manifest["dim"] == 512
    assert manifest["askback_version"] == askback.__version__
    # Recorded relative to the index's parent folder: corpus and index can move together.
    assert set(manifest["files"]) == {"corpus/costs.txt", "corpus/needles.txt"}
    assert manifest["chunking"]["max_words"] > 0 and manifest["built_at"].endswith("Z")


def test_missing_index_says_to_build(tmp_path: Path, embedder: FakeEmbedder) -> None:
    with pytest.raises(IndexMissingError, match="askback build"):
        askback.load_index(tmp_path / "nothing", embedder=embedder)


def test_index_from_another_model_is_refused(tmp_path: Path, built: askback.Index) -> None:
    with pytest.raises(IndexIncompatibleError, match="built with model fake-hashing"):
        askback.load_index(tmp_path / "index")  # the default embedder is MiniLM


def test_index_of_another_format_is_refused(tmp_path: Path, built: askback.Index, embedder: FakeEmbedder) -> None:
    manifest = tmp_path / "index" / "manifest.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "format": 999}))
    with pytest.raises(IndexIncompatibleError, match="format 999"):
        askback.load_index(tmp_path / "index", embedder=embedder)


def test_damaged_index_names_the_fix(tmp_path: Path, built: askback.Index, embedder: FakeEmbedder) -> None:
    (tmp_path / "index" / "vectors.faiss").write_bytes(b"not faiss")
    with pytest.raises(IndexIncompatibleError, match="askback build"):
        askback.load_index(tmp_path / "index", embedder=embedder)


def test_edited_article_is_reported_stale_and_not_quoted(tmp_path: Path, built: askback.Index, embedder) -> None:
    costs = tmp_path / "corpus" / "costs.txt"
    costs.write_text(costs.read_text().replace("$75", "$90"))
    write_article(tmp_path / "corpus", "new.txt", "title: New", "A new article about acupuncture.\n")
    index = askback.load_index(tmp_path / "index", embedder=embedder)
    assert set(index.stale) == {str(costs), str(tmp_path / "corpus" / "new.txt")}
    assert all(p.article.path != str(costs) for p in index.retrieve("how much does a session cost", k=10))


def test_broken_corpus_keeps_the_last_good_index(tmp_path: Path, built: askback.Index, embedder) -> None:
    before = {p.name: p.read_bytes() for p in (tmp_path / "index").iterdir()}
    (tmp_path / "corpus" / "broken.txt").write_bytes(b"\xff\xfe not text")
    with pytest.raises(CorpusError, match=r"broken\.txt"):
        askback.build_index(tmp_path / "corpus", tmp_path / "index", embedder=embedder)
    assert {p.name: p.read_bytes() for p in (tmp_path / "index").iterdir()} == before
    assert askback.load_index(tmp_path / "index", embedder=embedder).retrieve("needles")


def test_failure_while_embedding_keeps_the_last_good_index(tmp_path: Path, built: askback.Index, embedder) -> None:
    class Exploding(FakeEmbedder):
        def encode(self, texts, on_batch=None):  # type: ignore[no-untyped-def]
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        askback.build_index(tmp_path / "corpus", tmp_path / "index", embedder=Exploding(), full=True)
    assert askback.load_index(tmp_path / "index", embedder=embedder).retrieve("needles")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_index_reached_through_a_link_finds_its_articles(tmp_path: Path, corpus: Path) -> None:
    embedder = FakeEmbedder()
    askback.build_index(corpus, tmp_path / "index", embedder=embedder)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "index").symlink_to(tmp_path / "index")
    index = askback.load_index(tmp_path / "elsewhere" / "index", embedder=embedder)
    assert index.stale == ()
    answer = index.ask("How much does a session cost?")
    assert answer.quotes and not answer.abstained
    for quote in answer.quotes:
        assert Path(quote.article.path).read_text(encoding="utf-8")[quote.start : quote.end] == quote.text


def test_bm25_scores_are_bm25s_own(built: askback.Index) -> None:
    """The sums read straight from bm25s' index equal its get_scores, to the last bit, so a
    search ranks as bm25s would (repeated words count twice there too)."""
    import numpy as np

    retriever = built._retriever
    words = sorted(w for w in retriever._vocab if w)  # bm25s keeps "" for padding: never a word searched
    groups = [[w] for w in words] + [words[:3], [words[0], words[0], words[-1]], words]
    for group in groups:
        expected = np.asarray(retriever._bm25.get_scores(group), dtype=np.float32)
        assert np.array_equal(retriever.bm25_scores(group), expected)
