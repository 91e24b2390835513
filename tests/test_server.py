"""The JSON API, asked over HTTP by a real client, against a running ``askback serve``."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"question=hi", "not JSON"),
        (b'["Is it safe?"]', "not an object"),
        (b"{}", "question is missing"),
        (b'{"question": ""}', "Please type a question"),
        (b'{"question": 42}', "must be text"),
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
    """What a crafted client puts where the page sends text or a history: references to a file."""
    message = {"role": "user", "content": [{"type": "file", "file": _file_ref(path)}]}
    return ["hi", [message], _file_ref(path), {"file": _file_ref(path)}, [message, message]]


def test_no_route_of_the_page_hands_out_a_file_named_in_a_request(client: httpx.Client, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    config = client.get("/config").json()
    replies = []
    for fn_index, dependency in enumerate(config["dependencies"]):
        for value in _poisoned(secret):
            data = [value for _ in dependency.get("inputs", [])] or [value]
            session = f"probe{fn_index}x{len(replies)}"
            body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None, "trigger_id": None}
            replies.append(client.post("/gradio_api/queue/join", json=body).text)
            with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
                for line in stream.iter_lines():
                    replies.append(line)
                    if "process_completed" in line or "close_stream" in line:
                        break
    for value in _poisoned(secret):  # the named route, "ask"
        event = client.post("/gradio_api/call/ask", json={"data": ["hi", value]})
        replies.append(event.text)
        if event.status_code == 200:
            replies.append(client.get(f"/gradio_api/call/ask/{event.json()['event_id']}").text)
    shown = "\n".join(replies)
    assert SECRET not in shown and str(secret) not in shown
    # Whatever address the replies name, none serves the file.
    for address in {*__import__("re").findall(r"/gradio_api/file=[^\"\s\\]+", shown), f"/gradio_api/file={secret}"}:
        assert SECRET not in client.get(address).text


def test_a_body_too_big_is_refused_before_it_is_read_whole_on_every_route(client: httpx.Client) -> None:
    def endless() -> object:
        for _ in range(2_000):  # 128 MB if it were all read
            yield b"[" * 65_536

    for route in ("/api/ask", "/gradio_api/queue/join", "/gradio_api/call/ask"):
        response = client.post(route, content=endless(), headers={"Content-Type": "application/json"})
        assert response.status_code == 413, route


def test_gradio_development_routes_are_closed(client: httpx.Client) -> None:
    assert client.get("/gradio_api/dev/reload", timeout=5).status_code == 404  # it used to hang for 25 min


def test_serve_stops_within_seconds_of_sigterm_with_a_client_stream_open(tmp_path: Path) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from conftest import free_port

    port = free_port()
    env = {**os.environ, "ASKBACK_FEEDBACK": str(tmp_path / "fb.jsonl"), "HF_HUB_OFFLINE": "1"}
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "askback.cli", "serve", "--port", str(port)],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        streams = []
        # Gradio's heartbeat, an event stream the page keeps open while the tab lives, and its
        # development reload route, which used to hold a connection for 25 minutes.
        for route in ("/gradio_api/heartbeat/probe", "/gradio_api/dev/reload"):
            stream = socket.create_connection(("127.0.0.1", port))
            stream.sendall(f"GET {route} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n".encode())
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
    finally:
        process.kill()
        process.wait()
