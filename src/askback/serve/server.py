"""``askback serve``: the chat and the JSON API on one FastAPI server, on loopback by default.

What Gradio would add by default and askback does not want is turned off here: file uploads and
file serving (no feature needs them), every route the page does not use, the run history that keeps
every question in the browser's localStorage, the footer, and the link preview and favicon that
name Gradio.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import ipaddress
import json
import os
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from askback import templates
from askback.answer.voice import Voice
from askback.api import Index
from askback.config import MAX_QUESTION_CHARS
from askback.errors import AskbackError
from askback.serve.chat import STATIC, build_app
from askback.serve.webapi import MAX_BODY_BYTES, router

if TYPE_CHECKING:
    import fastapi

__all__ = ["RequestGuard", "check_port", "create_app", "launch"]

_Scope = dict[str, Any]
_Receive = Callable[[], Awaitable[dict[str, Any]]]
_Send = Callable[[dict[str, Any]], Awaitable[None]]

_PREVIEW_TAGS = re.compile(rb'<meta\s+(?:property="og:|name="twitter:)[^>]*>\s*')


def _preview(voice: Voice) -> bytes:
    description = html.escape(voice.preview, quote=True)
    name = html.escape(voice.name, quote=True)
    return (
        f'<meta property="og:title" content="{name}"><meta property="og:description" content="{description}">'
        f'<meta name="description" content="{description}"><meta name="twitter:card" content="summary">'
    ).encode()


def _head() -> str:
    script = (STATIC / "chat.js").read_text(encoding="utf-8")
    # What the page script needs from askback: the message limit and the names it gives controls.
    words = {
        "ASKBACK_LIMIT": MAX_QUESTION_CHARS,
        "ASKBACK_CLEAR_NAME": templates.CLEAR_NAME,
        "ASKBACK_SOURCES_NAME": templates.SOURCES_LABEL,
    }
    settings = "".join(f"window.{name} = {json.dumps(value)};" for name, value in words.items())
    return f'<link rel="icon" type="image/svg+xml" href="favicon.ico"><script>{settings}{script}</script>'


def create_app(index: Index, feedback_log: Path, hosts: Sequence[str] = ()) -> fastapi.FastAPI:
    """The server: the JSON API's routes, then Gradio's, behind the request guard. ``hosts`` are
    the names besides loopback's that requests may address (``--host``, ``--allow-host``)."""
    import fastapi
    import gradio as gr
    from fastapi.responses import Response

    blocks = build_app(index, feedback_log)
    server = fastapi.FastAPI(docs_url=None, redoc_url=None, openapi_url=None)  # docs would load a CDN
    server.include_router(router(index))

    @server.middleware("http")
    async def our_preview(request: fastapi.Request, call_next: Any) -> Any:
        response = await call_next(request)
        if request.url.path != "/" or not response.headers.get("content-type", "").startswith("text/html"):
            return response
        # Gradio's page template hard-codes a preview ("Click to try out the app!") before ours.
        page = b"".join([chunk async for chunk in response.body_iterator])
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        page = _PREVIEW_TAGS.sub(b"", page).replace(b"<head>", b"<head>" + _preview(index.voice), 1)
        return Response(page, response.status_code, headers)

    # The functions the page runs on the server: a js-only step has no server side to call.
    functions = frozenset(n for n, fn in blocks.fns.items() if fn.fn is not None)
    # Outermost: runs before anything reads a body.
    server.state.stopping = asyncio.Event()
    server.add_middleware(
        RequestGuard, limit=MAX_BODY_BYTES, hosts=tuple(hosts), functions=functions, stopping=server.state.stopping
    )
    # Local fonts only: the default theme would fetch web fonts from a CDN.
    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
    blocks.queue(default_concurrency_limit=4)
    app = gr.mount_gradio_app(
        server,
        blocks,
        path="/",
        ssr_mode=False,
        theme=theme,
        css=(STATIC / "chat.css").read_text(encoding="utf-8"),
        head=_head(),
        favicon_path=str(STATIC / "favicon.svg"),
        footer_links=[],
        run_history=False,
        max_file_size=0,
        # askback puts no file in Gradio's cache, so Gradio may copy or serve none: every path is
        # blocked, and the check runs (Gradio skips it for an app it did not launch itself).
        allowed_paths=[],
        blocked_paths=[os.path.abspath(os.sep)],
    )
    blocks.has_launched = True
    return app


# What the chat page and a Gradio client use; every other route of Gradio's (file=, proxy=,
# run/, call/, upload, stream/, dev/, monitoring ...) answers 404 before Gradio sees it.
_PAGE_GETS = re.compile(
    r"/|/config|/favicon\.ico|/theme\.css|/robots\.txt|/manifest\.json|/(assets|static)/[\w./-]+"
    r"|/gradio_api/(info|queue/data|startup-events|heartbeat/[\w-]+)"
)
_PAGE_POSTS = frozenset({"/gradio_api/queue/join", "/gradio_api/cancel"})
# Event streams a tab keeps open as long as it lives: ended by askback itself when it stops.
_STREAMS = re.compile(r"/gradio_api/(queue/data|heartbeat/[\w-]+)")
_LOOPBACK_NAMES = frozenset({"localhost"})


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
    """

    def __init__(
        self,
        app: Callable[[_Scope, _Receive, _Send], Awaitable[None]],
        limit: int,
        hosts: Sequence[str] = (),
        functions: frozenset[int] = frozenset(),
        stopping: asyncio.Event | None = None,
    ) -> None:
        self.app = app
        self.stopping = stopping or asyncio.Event()
        self.limit = limit
        self.hosts = _LOOPBACK_NAMES | {h.lower().rstrip(".") for h in hosts}
        self.functions = functions

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
            refusal = self._refusal(body)
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

    def _refusal(self, body: bytes) -> str | None:
        """Why a Gradio request body must not reach Gradio, or None."""
        try:
            data = json.loads(body)
        except RecursionError:
            return "the request is nested too deeply"
        except ValueError:
            return "the request is not JSON"
        if _holds_a_file(data):
            return "askback takes no files: a request may not name one"
        if isinstance(data, dict) and "fn_index" in data and data["fn_index"] not in self.functions:
            return "no such function"
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


def launch(index: Index, feedback_log: Path, host: str, port: int, allow_hosts: Sequence[str] = ()) -> None:
    """Serve the chat and the JSON API at http://HOST:PORT until interrupted."""
    import uvicorn

    check_port(host, port)
    app = create_app(index, feedback_log, hosts=(host, *allow_hosts))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=1)

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: Any = None) -> None:
            app.state.stopping.set()  # open event streams end now, so connections close at once
            await super().shutdown(sockets)

    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):  # a stop asked for: no traceback
        Server(config).run()


def check_port(host: str, port: int) -> None:
    """Fail at once, naming the fix, when the address cannot be served."""
    if not 0 < port < 65536:
        raise AskbackError(f"port {port} is not a port number; pass --port between 1 and 65535")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise AskbackError(
            f"cannot listen on {host}:{port} ({exc.strerror}); pass another --port, or --host 127.0.0.1"
        ) from None
