"""The JSON API, asked over HTTP by a real client, against a running ``askback serve``."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest


@pytest.fixture(scope="module")
def client(server: tuple[str, Path]) -> httpx.Client:
    return httpx.Client(base_url=server[0], timeout=30)


def test_an_answer_comes_back_as_json_with_quotes_locatable_in_their_articles(client: httpx.Client) -> None:
    response = client.post("/api/ask", json={"question": "How many sessions does NICE recommend?"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["abstained"] is False and answer["suggestions"] and answer["markdown"].startswith("\\[1\\]")
    quote = answer["quotes"][0]
    assert "up to 10 sessions" in quote["text"] and 0 < quote["score"] <= 1 and quote["heading"]
    article = client.get(f"/api/articles/{quote['article']['id']}").json()
    assert article["text"][quote["start"] : quote["end"]] == quote["text"]
    assert "path" not in quote["article"]  # the server's folders are its own business


def test_a_follow_up_reads_the_history_sent_with_it_and_nothing_else(client: httpx.Client) -> None:
    alone = client.post("/api/ask", json={"question": "over how many weeks?"}).json()
    history = ["How many sessions does NICE recommend?"]
    followed = client.post("/api/ask", json={"question": "over how many weeks?", "history": history}).json()
    assert "5–8 weeks" in " ".join(q["text"] for q in followed["quotes"])
    assert alone != followed  # stateless: the first request left nothing behind


def test_a_message_of_several_questions_has_its_parts(client: httpx.Client) -> None:
    message = "Is acupuncture safe? And how much does a session cost?"
    parts = client.post("/api/ask", json={"question": message}).json()["parts"]
    assert [p["question"] for p in parts] == ["Is acupuncture safe?", "And how much does a session cost?"]
    assert all(p["quotes"] for p in parts)


def test_the_articles_are_listed(client: httpx.Client) -> None:
    articles = client.get("/api/articles").json()["articles"]
    assert len(articles) == 5 and all(a["id"] and a["title"] for a in articles)
    assert client.get("/api/articles/nope").status_code == 404
    unknown = client.get("/api/article/1")
    assert unknown.status_code == 404 and unknown.json()["error"].startswith("no GET /api/article/1; the API has")


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"question=hi", "not JSON"),
        (b'["Is it safe?"]', "not an object"),
        (b"{}", "question is missing"),
        (b'{"question": ""}', "Please type a question"),
        (b'{"question": 42}', "question must be text, not a number;"),
        (b'{"question": null}', "question must be text, not null;"),
        (b'{"question": ["is it safe?"]}', "question must be text, not a list;"),
        (b'{"question": {"text": "hi"}}', "question must be text, not an object;"),
        (b'{"question": "caf\xe9?"}', "the body holds a character that is not valid UTF-8 text (byte 18)"),
        (b'{"question": "hi", "history": "earlier"}', "history must be a list"),
        (b'{"question": "hi", "histroy": []}', "unknown field 'histroy'"),
        (('{"question": "' + "why " * 1100 + '"}').encode(), "too long"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"question": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "nested too deeply"),
        (b'{"question": "hi", "history": ["\\ud800 broken"]}', "earlier turn 1"),
        (b'{"question": "hi", "history": {}}', "history must be a list"),
        (b'{"question": "hi", "history": false}', "history must be a list"),
    ],
)
def test_a_bad_request_is_a_400_that_says_what_to_send(client: httpx.Client, body: bytes, says: str) -> None:
    response = client.post("/api/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and says in response.json()["error"]


def test_a_huge_body_or_a_get_is_refused_with_json(client: httpx.Client) -> None:
    huge = client.post("/api/ask", content=b"x" * 300_000)
    assert huge.status_code == 413 and "keep it under" in huge.json()["error"]
    got = client.get("/api/ask", params={"question": "Is it safe?"})
    assert got.status_code == 405 and "use POST" in got.json()["error"]


def test_the_page_names_askback_not_gradio(client: httpx.Client) -> None:
    page = client.get("/").text
    assert "Click to try out the app!" not in page and "og:image" not in page
    assert 'property="og:title" content="askback"' in page
    icon = client.get("/favicon.ico")
    assert icon.headers["content-type"].startswith("image/svg+xml") and b"#1d4ed8" in icon.content


def test_the_server_accepts_no_uploads(client: httpx.Client) -> None:
    files = {"files": ("a.html", b"<script>1</script>", "text/html")}
    assert client.post("/gradio_api/upload", files=files).status_code == 403


SECRET = "askback-secret-7f3c1e: this file must never leave the server"


def _file_ref(path: Path) -> dict[str, object]:
    return {"path": str(path), "meta": {"_type": "gradio.FileData"}}


def _poisoned(path: Path) -> list[object]:
    """What a crafted client puts in an input: references to a file, bare, in a message, in a list."""
    message = {"role": "user", "content": [{"type": "file", "file": _file_ref(path)}]}
    return [_file_ref(path), {"path": str(path)}, [message], {"file": _file_ref(path)}, [_file_ref(path)]]


def _join(client: httpx.Client, fn_index: int, data: list[object], session: str) -> list[str]:
    """A queued call as the page makes it: the join's reply, then the event stream's lines."""
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None, "trigger_id": None}
    joined = client.post("/gradio_api/queue/join", json=body)
    replies = [f"{joined.status_code} {joined.text}"]
    if joined.status_code == 200:
        with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
            for line in stream.iter_lines():
                replies.append(line)
                if "process_completed" in line or "close_stream" in line:
                    break
    return replies


def test_no_function_and_no_input_of_the_page_hands_out_a_file(client: httpx.Client, tmp_path: Path) -> None:
    """Every function of the page, every input position, through every route that runs one."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    config = client.get("/config").json()
    replies, statuses = [], []
    for fn_index, dependency in enumerate(config["dependencies"]):
        inputs = len(dependency.get("inputs", [])) or 1
        for position in range(inputs):
            for value in _poisoned(secret):
                data: list[object] = ["hi"] * inputs
                data[position] = value
                replies += _join(client, fn_index, data, f"probe{fn_index}x{position}x{len(replies)}")
                statuses.append(int(replies[-1].split()[0]) if replies[-1][:3].isdigit() else 200)
                for route in ("/gradio_api/run/predict", f"/gradio_api/call/{dependency.get('api_name')}"):
                    response = client.post(route, json={"data": data, "fn_index": fn_index, "session_hash": "z"})
                    replies.append(response.text)
                    statuses.append(response.status_code)
    shown = "\n".join(replies)
    assert SECRET not in shown and secret.name not in shown
    assert 500 not in statuses
    # Whatever address the replies name, none serves the file, nor does Gradio's file route itself.
    for address in {*re.findall(r"/gradio_api/file=[^\"\s\\]+", shown), f"/gradio_api/file={secret}"}:
        assert SECRET not in client.get(address).text


def test_a_request_naming_a_file_is_refused_before_gradio_reads_it(client: httpx.Client, tmp_path: Path) -> None:
    body = {"data": [_file_ref(tmp_path / "x.txt"), None], "fn_index": 0, "session_hash": "f", "trigger_id": None}
    refused = client.post("/gradio_api/queue/join", json=body)
    assert refused.status_code == 400 and "takes no files" in refused.json()["error"]


def test_only_the_routes_the_page_uses_are_open(client: httpx.Client) -> None:
    for route in ("/gradio_api/run/predict", "/gradio_api/call/ask", "/gradio_api/api/ask", "/gradio_api/reset"):
        assert client.post(route, json={"data": ["hi", None], "fn_index": 0}).status_code == 404, route
    for route in (
        "/gradio_api/file=/etc/passwd",
        "/file=/etc/passwd",
        "/gradio_api/proxy=http://x/",
        "/monitoring",
        "/static/../../../../etc/passwd",
        "/assets/..%2F..%2Fetc/passwd",
    ):
        assert client.get(route).status_code == 404, route
    assert client.get("/theme.css").status_code == 200 and client.get("/config").status_code == 200


def test_a_function_the_page_never_runs_on_the_server_is_refused(client: httpx.Client) -> None:
    config = client.get("/config").json()
    js_only = [n for n, d in enumerate(config["dependencies"]) if not d.get("backend_fn")]
    assert js_only  # the export's save step runs in the page only
    for fn_index in js_only:
        refused = client.post("/gradio_api/queue/join", json={"data": ["x"], "fn_index": fn_index, "session_hash": "j"})
        assert refused.status_code == 400 and refused.json() == {"error": "no such function"}


def test_garbage_in_any_input_is_never_a_server_error(client: httpx.Client) -> None:
    config = client.get("/config").json()
    for fn_index, dependency in enumerate(config["dependencies"]):
        if not dependency.get("backend_fn"):
            continue
        inputs = len(dependency.get("inputs", []))
        for garbage in (12, [1, 2], "x" * 50, {"a": 1}):
            lines = _join(client, fn_index, [garbage] * inputs, f"g{fn_index}{type(garbage).__name__}")
            assert not lines[0].startswith("500"), (fn_index, garbage)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:7860", "localhost.evil.example", "127.0.0.1.nip.io"])
def test_a_request_to_a_foreign_host_name_is_refused(client: httpx.Client, host: str) -> None:
    """DNS rebinding: a page at evil.example that resolves to 127.0.0.1 sends Host: evil.example."""
    for route in ("/", "/config", "/api/articles"):
        refused = client.get(route, headers={"Host": host})
        assert refused.status_code == 403 and "--allow-host" in refused.json()["error"], route
    assert client.post("/api/ask", json={"question": "hi"}, headers={"Host": host}).status_code == 403


@pytest.mark.parametrize("host", ["localhost", "localhost:7860", "127.0.0.1:7860", "[::1]:7860", "LOCALHOST."])
def test_loopback_names_and_addresses_are_answered(client: httpx.Client, host: str) -> None:
    assert client.get("/api/articles", headers={"Host": host}).status_code == 200


def test_a_body_too_big_is_refused_before_it_is_read_whole_on_every_route(client: httpx.Client) -> None:
    def endless() -> object:
        for _ in range(2_000):  # 128 MB if it were all read
            yield b"[" * 65_536

    for route in ("/api/ask", "/gradio_api/queue/join", "/gradio_api/cancel"):
        response = client.post(route, content=endless(), headers={"Content-Type": "application/json"})
        assert response.status_code == 413, route


def test_gradio_development_routes_are_closed(client: httpx.Client) -> None:
    assert client.get("/gradio_api/dev/reload", timeout=5).status_code == 404  # it used to hang for 25 min


def test_serve_stops_within_seconds_of_sigterm_with_a_client_stream_open(tmp_path: Path) -> None:
    import signal
    import socket
    import subprocess
    import time

    from conftest import start_serve

    process, url = start_serve(env={"ASKBACK_FEEDBACK": str(tmp_path / "fb.jsonl")}, stderr=subprocess.PIPE)
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    try:
        streams = []
        # Seven tabs' heartbeats (event streams the page keeps open while a tab lives), a stream for
        # a session the queue does not know, and the development reload route, which used to hold
        # a connection for 25 minutes.
        routes = [f"/gradio_api/heartbeat/tab{n}" for n in range(7)]
        routes += ["/gradio_api/queue/data?session_hash=unknown", "/gradio_api/dev/reload"]
        for route in routes:
            stream = socket.create_connection(("127.0.0.1", port))
            stream.sendall(f"GET {route} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n".encode())
            streams.append(stream)
        assert streams[0].recv(64).startswith(b"HTTP/1.1 200")
        time.sleep(1)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        finally:
            for stream in streams:
                stream.close()
        assert time.monotonic() - started < 5
        said = process.stderr.read().decode() if process.stderr else ""
        assert "Traceback" not in said and "ERROR" not in said and "Cancel" not in said, said
    finally:
        process.kill()
        process.wait()
