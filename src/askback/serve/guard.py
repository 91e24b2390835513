"""The request guard: what reaches askback's routes and Gradio's, checked before anything reads a
request. The server serves only what the chat and the JSON API are built to show, whatever a
client sends."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

__all__ = ["Event", "RequestGuard"]

_Scope = dict[str, Any]
_Receive = Callable[[], Awaitable[dict[str, Any]]]
_Send = Callable[[dict[str, Any]], Awaitable[None]]

# What the chat page and a Gradio client use; every other route of Gradio's (file=, proxy=,
# run/, call/, upload, stream/, dev/, monitoring ...) answers 404 before Gradio sees it.
_PAGE_GETS = re.compile(
    r"/|/config|/favicon\.ico|/theme\.css|/robots\.txt|/manifest\.json|/(assets|static)/(?!.*\.\.)[\w./-]+"
    r"|/gradio_api/(info|queue/data|startup-events|heartbeat/[\w-]+)"
)
_PAGE_POSTS = frozenset({"/gradio_api/queue/join", "/gradio_api/cancel"})
# Event streams a tab keeps open as long as it lives: ended by askback itself when it stops.
_STREAMS = re.compile(r"/gradio_api/(queue/data|heartbeat/[\w-]+)")
_LOOPBACK_NAMES = frozenset({"localhost"})
TEXT_CHARS = 40_000  # a message box; the chat itself refuses a message over 4,000 characters, with a reply
# A citation key as the page's script types it ("2:1", "a:3", "0:2:p4:17"): short words and
# numbers of at most nine digits (a number of 5,000 digits is no citation).
_KEY = re.compile(r"(?:[a-z]{1,2}\d{0,9}|\d{1,9})(?::(?:[a-z]{1,2}\d{0,9}|\d{1,9})){0,5}")
_SESSION = re.compile(r"[\w-]{1,100}")


@dataclass(frozen=True)
class Event:
    """What one of the page's server functions takes: each input's kind, and whether it is a
    like (its event data names the message voted on).

    Kinds: ``text`` (a text box or button: text or null), ``key`` (a citation key), ``choice`` (a
    radio's value: a small number, a short text or null), ``state`` (kept on the server: what
    the client sends is never read) and ``any`` (checked for files only)."""

    inputs: tuple[str, ...]
    like: bool = False


class RequestGuard:
    """ASGI middleware in front of every route, Gradio's included.

    - Answers only requests addressed to loopback, an IP address or a name in ``hosts``: a web
      page cannot reach a loopback server through a name it rebinds to 127.0.0.1.
    - Lets through only the routes the chat and the JSON API use; uploads are refused.
    - Reads each request body at most ``limit`` bytes far, so a huge body is refused while it
      arrives, never held whole in memory.
    - Refuses a Gradio request that is not JSON, names a function the page does not run on the
      server, or holds a file reference anywhere: Gradio copies any file a request names into its
      cache and serves it, so no such request may reach it.
    - Refuses a chat event whose shape is not the page's (``Event``): its fields' types, each
      input's type and length, a citation key's form, a like's message: 400 with a short reason,
      never a traceback in the log or the reply.
    """

    def __init__(
        self,
        app: Callable[[_Scope, _Receive, _Send], Awaitable[None]],
        limit: int,
        hosts: Sequence[str] = (),
        events: Mapping[int, Event] | None = None,
        stopping: asyncio.Event | None = None,
    ) -> None:
        self.app = app
        self.stopping = stopping or asyncio.Event()
        self.limit = limit
        self.hosts = _LOOPBACK_NAMES | {h.lower().rstrip(".") for h in hosts}
        self.events = dict(events or {})

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":  # askback's page uses none
            await send({"type": "websocket.close", "code": 1008})
            return
        if not self._host_allowed(dict(scope.get("headers") or ()).get(b"host")):
            await _json_reply(
                send, 403, "this server answers only requests to its own address; start it with --allow-host NAME"
            )
            return
        path, method = scope["path"], scope["method"]
        if path.rstrip("/").endswith("/upload"):
            await _json_reply(send, 403, "askback accepts no file uploads")
            return
        ours = path.startswith("/api/")
        if method in ("GET", "HEAD"):
            if not ours and not _PAGE_GETS.fullmatch(path.rstrip("/") or "/"):
                await _json_reply(send, 404, "not found")
                return
            if _STREAMS.fullmatch(path):
                await self._stream(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        if not ours and (method != "POST" or path.rstrip("/") not in _PAGE_POSTS):
            await _json_reply(send, 404, "not found")
            return
        body = await self._read_body(scope, receive, send)
        if body is None:
            return
        if not ours:
            refusal = self._refusal(body, joining=path.rstrip("/") == "/gradio_api/queue/join")
            if refusal:
                await _json_reply(send, 400, refusal)
                return
        delivered = False

        async def replay() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _stream(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        """An event stream, ended quietly when the server stops (instead of cut off after the
        graceful timeout, with an error logged), or when Gradio refuses it after it started (an
        unknown session): a client's mistake is not a server error."""
        started = finished = False

        async def watched(message: dict[str, Any]) -> None:
            nonlocal started, finished
            started = started or message["type"] == "http.response.start"
            finished = message["type"] == "http.response.body" and not message.get("more_body")
            await send(message)

        app = asyncio.ensure_future(self.app(scope, receive, watched))
        stop = asyncio.ensure_future(self.stopping.wait())
        try:
            await asyncio.wait({app, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if app.done() and not app.cancelled() and app.exception() is None:
            return
        if not app.done():
            app.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await app
        if finished:
            return
        if started:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        else:
            await _json_reply(send, 404, "no such session")

    def _host_allowed(self, header: bytes | None) -> bool:
        if header is None:  # HTTP/1.0 without a Host: not a browser, so not a rebinding page
            return True
        host = header.decode("latin-1").strip().lower()
        if host.startswith("["):  # [::1]:7860
            name = host[1 : host.find("]")] if "]" in host else host
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        name = name.rstrip(".")
        try:
            ipaddress.ip_address(name)
            return True  # an address cannot be rebound: only a name can
        except ValueError:
            return name in self.hosts or name.endswith(".localhost")

    async def _read_body(self, scope: _Scope, receive: _Receive, send: _Send) -> bytes | None:
        too_big = f"the request is over {self.limit:,} bytes; keep it under {self.limit:,}"
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await _json_reply(send, 413, too_big)
            return None
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None  # the client left
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await _json_reply(send, 413, too_big)
                return None
            if not message.get("more_body"):
                return b"".join(chunks)

    def _refusal(self, body: bytes, joining: bool) -> str | None:
        """Why a Gradio request body must not reach Gradio, or None."""
        try:
            data = json.loads(body)
        except RecursionError:
            return "the request is nested too deeply"
        except ValueError:
            return "the request is not JSON"
        if _holds_a_file(data):
            return "askback takes no files: a request may not name one"
        if not isinstance(data, dict):
            return "the request must be a JSON object"
        if "fn_index" not in data:
            return "fn_index is missing" if joining else None
        if not _is_int(data["fn_index"]):
            return "fn_index must be a number"
        if data["fn_index"] not in self.events:
            return "no such function"
        return _event_refusal(data, self.events[data["fn_index"]]) if joining else None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _event_refusal(data: dict[str, Any], event: Event) -> str | None:
    """Why a queued call is not one the page makes, or None."""
    session = data.get("session_hash")
    if not isinstance(session, str) or not _SESSION.fullmatch(session):
        return "session_hash must be letters, digits, '-' or '_', up to 100"
    if data.get("trigger_id") is not None and not _is_int(data["trigger_id"]):
        return "trigger_id must be a number or null"
    inputs = data.get("data")
    if not isinstance(inputs, list) or len(inputs) != len(event.inputs):
        return f"data must be a list of {len(event.inputs)} inputs"
    for number, (kind, value) in enumerate(zip(event.inputs, inputs, strict=True), start=1):
        problem = _input_problem(kind, value)
        if problem:
            return f"input {number}: {problem}"
    details = data.get("event_data")
    if event.like:
        return _like_problem(details)
    if details is not None and not isinstance(details, dict):
        return "event_data must be an object or null"
    return None


def _input_problem(kind: str, value: object) -> str | None:
    if kind in ("state", "any"):
        return None
    if value is None:
        return None
    if kind == "text":
        if not isinstance(value, str):
            return "must be text"
        return f"over {TEXT_CHARS:,} characters" if len(value) > TEXT_CHARS else None
    if kind == "key":
        return None if isinstance(value, str) and (not value or _KEY.fullmatch(value)) else "not a citation key"
    if kind == "choice":
        if _is_int(value):
            return None if 0 <= value < 1_000 else "no such choice"
        return None if isinstance(value, str) and len(value) <= 500 else "no such choice"
    return None


def _like_problem(details: object) -> str | None:
    """A like names the message voted on: its place (a number, or two), its value, up or down."""
    if not isinstance(details, dict) or "value" not in details or "index" not in details:
        return "a like must name the message's index and value"
    index = details["index"]
    places = index if isinstance(index, list) else [index]
    if not 1 <= len(places) <= 2 or not all(_is_int(n) and 0 <= n < 1_000_000 for n in places):
        return "a like's index must be the message's place"
    liked = details.get("liked", True)
    if not isinstance(liked, bool) and not (isinstance(liked, str) and len(liked) <= 20):
        return "a like's liked must be true, false or a short text"
    return None


def _holds_a_file(data: Any) -> bool:
    """Does any object in ``data`` look like a Gradio file reference (it names a path, a URL or
    file metadata)? Walked without recursion, so depth costs nothing."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if {"path", "url", "meta"} & item.keys():
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


async def _json_reply(send: _Send, status: int, error: str) -> None:
    body = json.dumps({"error": error}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
