"""The corpus is the only source of text served: a symbolic link in it is never followed."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import askback
from askback.errors import CorpusError
from askback.serve.webapi import router
from conftest import FakeEmbedder

SECRET = "---\ntitle: Private Notes\n---\nThe server's secret: correct horse battery staple.\n"


def snapshot(*folders: Path) -> dict[str, bytes]:
    files = [p for folder in folders if folder.exists() for p in sorted(folder.rglob("*"))]
    return {str(p): p.read_bytes() for p in files if p.is_file()}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "file.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def test_a_link_in_the_corpus_at_build_time_is_refused_naming_it(
    tmp_path: Path, corpus: Path, embedder: FakeEmbedder, outside: Path
) -> None:
    index = tmp_path / "index"
    askback.build_index(corpus, index, embedder=embedder)
    (corpus / "leak.txt").symlink_to(outside)  # a header-formatted file: it would be indexed
    before = snapshot(corpus, index, outside.parent)
    with pytest.raises(CorpusError) as refused:
        askback.build_index(corpus, index, embedder=embedder)
    message = str(refused.value)
    assert "leak.txt" in message and "symbolic link" in message and "\n" not in message
    assert snapshot(corpus, index, outside.parent) == before
    assert "Private Notes" not in (index / "passages.json").read_text(encoding="utf-8")


def test_a_link_put_in_an_articles_place_after_the_build_serves_nothing(
    built: askback.Index, corpus: Path, outside: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = FastAPI()
    app.include_router(router(built))
    client = TestClient(app)
    assert client.get("/api/articles/costs").status_code == 200  # read, and kept in memory
    os.remove(corpus / "costs.txt")
    (corpus / "costs.txt").symlink_to(outside)
    with caplog.at_level(logging.WARNING, logger="askback"):
        response = client.get("/api/articles/costs")
        assert response.status_code == 404 and "secret" not in response.text
        with pytest.raises(OSError):
            built.article_text(next(a for a in built.articles if a.id == "costs"))
        answer = built.ask("how much does a session cost")
    assert all("secret" not in q.text and q.article.id != "costs" for q in answer.quotes)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "costs.txt" in warnings[0] and "symbolic link" in warnings[0]
    assert outside.read_text(encoding="utf-8") == SECRET


def test_a_fifo_in_an_articles_place_is_unavailable_not_a_hang(built: askback.Index, corpus: Path) -> None:
    os.remove(corpus / "costs.txt")
    os.mkfifo(corpus / "costs.txt")
    with pytest.raises(OSError):
        built.article_text(next(a for a in built.articles if a.id == "costs"))
    assert all(q.article.id != "costs" for q in built.ask("how much does a session cost").quotes)


def test_the_api_serves_an_added_articles_text_without_the_path_it_was_read_from(
    tmp_path: Path, embedder: FakeEmbedder
) -> None:
    document = tmp_path / "private" / "home" / "guide.md"
    document.parent.mkdir(parents=True)
    document.write_text("# Caching\n\nThe cache keeps every download for a week.\n", encoding="utf-8")
    askback.add_documents([document], tmp_path / "corpus", tmp_path / "index", embedder=embedder)
    index = askback.load_index(tmp_path / "index", embedder=embedder)
    app = FastAPI()
    app.include_router(router(index))
    client = TestClient(app)
    quote = client.post("/api/ask", json={"question": "how long does the cache keep a download"}).json()["quotes"][0]
    article = client.get(f"/api/articles/{quote['article']['id']}").json()
    assert str(document.parent) not in article["text"] and "source:" in article["text"]
    assert article["text"][quote["start"] : quote["end"]] == quote["text"]  # offsets unchanged
    assert str(document) in index.article_text(index.articles[0])  # the publisher's own copy keeps it
