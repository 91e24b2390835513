"""A malformed chat event is a 400 with a short JSON reason, before Gradio reads it: no traceback
in the server's log nor in the reply."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

import askback


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, dict[str, int]]:
    """The whole server in-process, and the fn_index of each of the page's handlers by name."""
    from askback.serve.server import create_app
    from conftest import ARTICLES, FakeEmbedder, write_article

    folder = tmp_path_factory.mktemp("events")
    for name, (header, body) in ARTICLES.items():
        write_article(folder / "corpus", name, header, body)
    embedder = FakeEmbedder()
    askback.build_index(folder / "corpus", folder / "index", embedder=embedder)
    app = create_app(askback.load_index(folder / "index", embedder=embedder), folder / "feedback.jsonl")
    client = TestClient(app, base_url="http://127.0.0.1")
    names = {
        d.get("backend_fn") and d["api_name"]: n for n, d in enumerate(client.get("/config").json()["dependencies"])
    }
    return client, {name: n for name, n in names.items() if name}


def join(client: TestClient, body: dict[str, Any]) -> Any:
    return client.post("/gradio_api/queue/join", json=body)


def event(fn_index: object, data: list[object], event_data: object = None) -> dict[str, Any]:
    return {"data": data, "event_data": event_data, "fn_index": fn_index, "trigger_id": 1, "session_hash": "s1"}


def test_a_function_index_that_is_not_a_number_is_a_400(
    page: tuple[TestClient, dict[str, int]], capfd: pytest.CaptureFixture[str]
) -> None:
    client, _ = page
    for fn_index in ([0], {"a": 1}, "0", True, 1.5):
        response = join(client, event(fn_index, ["hi", None]))
        assert response.status_code == 400 and response.json() == {"error": "fn_index must be a number"}
    response = client.post("/gradio_api/cancel", json={"fn_index": [0], "session_hash": "s1", "event_id": "e"})
    assert response.status_code == 400
    assert "Traceback" not in capfd.readouterr().err


def test_a_citation_key_of_five_thousand_digits_is_a_400(
    page: tuple[TestClient, dict[str, int]], capfd: pytest.CaptureFixture[str]
) -> None:
    client, names = page
    opener = names["open_citation"]
    for key in ("a:" + "9" * 5000, "2:" + "1" * 10, "<script>", "a" * 100, 7, ["a:1"]):
        response = join(client, event(opener, [key, None]))
        assert response.status_code == 400 and response.json()["error"].startswith("input 1:"), key
    err = capfd.readouterr().err
    assert "Traceback" not in err and "999999" not in err


def test_a_like_without_its_value_is_a_400(
    page: tuple[TestClient, dict[str, int]], capfd: pytest.CaptureFixture[str]
) -> None:
    client, names = page
    like = names["on_like"]
    for details in ({"index": 1, "liked": True}, None, {"value": "x", "index": "1"}, {"value": "x", "index": [1] * 9}):
        response = join(client, event(like, [None], details))
        assert response.status_code == 400 and "like" in response.json()["error"], details
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"data": "hi", "fn_index": 0, "session_hash": "s"}, "data must be a list of 2 inputs"),
        ({"data": ["hi"], "fn_index": 0, "session_hash": "s"}, "data must be a list of 2 inputs"),
        ({"data": [3, None], "fn_index": 0, "session_hash": "s"}, "input 1: must be text"),
        ({"data": ["x" * 50_000, None], "fn_index": 0, "session_hash": "s"}, "input 1: over 40,000 characters"),
        ({"data": ["hi", None], "fn_index": 0, "session_hash": ["s"]}, "session_hash must be"),
        ({"data": ["hi", None], "fn_index": 0, "session_hash": "s", "trigger_id": "x"}, "trigger_id must be"),
        ({"data": ["hi", None], "fn_index": 0, "session_hash": "s", "event_data": 5}, "event_data must be"),
        ([1, 2], "the request must be a JSON object"),
    ],
)
def test_every_field_of_an_event_is_checked(page: tuple[TestClient, dict[str, int]], body: Any, says: str) -> None:
    response = join(page[0], body)
    assert response.status_code == 400 and says in response.json()["error"]
    assert len(response.text) < 200


def test_the_pages_own_events_pass(page: tuple[TestClient, dict[str, int]]) -> None:
    client, names = page
    for fn_index, data, details in (
        (names["ask"], ["how much does a session cost", None], None),
        (names["open_citation"], ["0:1:p2:17", None], None),
        (names["open_citation"], ["a:1:3", None], None),
        (names["on_like"], [None], {"index": [1, 0], "value": "an answer", "liked": True}),
        (names["on_like"], [None], {"index": 1, "value": "an answer", "liked": ""}),
    ):
        response = join(client, event(fn_index, data, details))
        assert response.status_code == 200, response.text
