"""Every request is bounded in work, not only in bytes: a long history is cut before any search, an
answer past its time is a 503, and work for a client that has left stops."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import askback
from askback.config import ANSWERING
from askback.serve.webapi import router
from conftest import CountingEmbedder, free_port


def api(index: askback.Index, seconds: float | None = 10.0) -> TestClient:
    app = FastAPI()
    app.include_router(router(index, seconds))
    return TestClient(app)


def test_a_history_of_ten_thousand_turns_searches_only_the_last_few(
    counting: tuple[askback.Index, CountingEmbedder],
) -> None:
    index, embedder = counting
    body = {"question": "and how much?", "history": ["a"] * 10_000}  # a 50 kB body
    short = {"question": "and how much?", "history": ["a"] * ANSWERING.history_turns}
    started = time.monotonic()
    response = api(index).post("/api/ask", json=body)
    assert response.status_code == 200 and time.monotonic() - started < 10  # it took minutes
    searched = embedder.texts
    embedder.calls.clear()
    assert api(index).post("/api/ask", json=short).json() == response.json()
    assert searched == embedder.texts  # exactly the work of a history of three turns


def test_a_history_turn_over_the_question_limit_is_a_400(counting: tuple[askback.Index, CountingEmbedder]) -> None:
    index, embedder = counting
    response = api(index).post("/api/ask", json={"question": "and how much?", "history": ["cost " * 1000]})
    assert response.status_code == 400 and "earlier turn" in response.json()["error"]
    assert "4,000" in response.json()["error"] and embedder.texts == 0


def test_an_answer_past_its_time_is_a_503_and_the_server_answers_the_next(
    counting: tuple[askback.Index, CountingEmbedder],
) -> None:
    index, embedder = counting
    embedder.delay = 0.2
    client = api(index, seconds=0.3)
    question = "What does a session cost? Is it safe? How many sessions? Do the needles hurt?"
    started = time.monotonic()
    slow = client.post("/api/ask", json={"question": question, "history": ["what is acupuncture?"] * 3})
    assert slow.status_code == 503 and "took over 0.3 seconds" in slow.json()["error"]
    assert time.monotonic() - started < 3  # stopped at the next search, not run to its end
    embedder.delay = 0.0
    assert client.post("/api/ask", json={"question": "how much does a session cost"}).status_code == 200


def test_the_python_api_names_the_limit(counting: tuple[askback.Index, CountingEmbedder]) -> None:
    index, embedder = counting
    embedder.delay = 0.2
    with pytest.raises(askback.AnswerTimeoutError, match=r"took over 0\.1 seconds"):
        index.ask("What does a session cost? Is it safe?", timeout=0.1)
    embedder.delay = 0.0
    assert index.ask("how much does a session cost", timeout=None).quotes


@pytest.fixture
def serving(counting: tuple[askback.Index, CountingEmbedder], tmp_path: Path) -> Iterator[str]:
    """The whole server (guard, Gradio and the API) on a free port, in a thread."""
    import uvicorn

    from askback.serve.server import create_app

    index, _ = counting
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(index, tmp_path / "fb.jsonl"), port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_work_for_a_client_that_has_left_stops(serving: str, counting: tuple[askback.Index, CountingEmbedder]) -> None:
    _, embedder = counting
    embedder.delay = 0.2
    question = "What does a session cost? Is it safe? How many sessions? Do the needles hurt? Who does it?"
    with pytest.raises(httpx.TimeoutException):
        httpx.post(
            f"{serving}/api/ask", json={"question": question, "history": ["what is acupuncture?"] * 3}, timeout=0.5
        )
    time.sleep(0.6)  # the search under way when the client left ends
    stopped_at = embedder.texts
    time.sleep(1.0)
    assert embedder.texts == stopped_at  # no search after the client left
    embedder.delay = 0.0
    embedder.calls.clear()
    assert (
        httpx.post(
            f"{serving}/api/ask", json={"question": question, "history": ["what is acupuncture?"] * 3}
        ).status_code
        == 200
    )
    assert stopped_at < embedder.texts  # the whole answer takes more searches than were made
