"""``askback serve``: the chat and the JSON API on one FastAPI server, on loopback by default.

What Gradio would add by default and askback does not want is turned off here: file uploads and
file serving (no feature needs them), every route the page does not use, the run history that keeps
every question in the browser's localStorage, the footer, and the link preview and favicon that
name Gradio.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import html
import json
import os
import re
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from askback import templates
from askback.answer.voice import Voice
from askback.api import Index
from askback.config import ANSWER_SECONDS, MAX_QUESTION_CHARS
from askback.errors import AskbackError
from askback.serve.guard import Event, RequestGuard
from askback.serve.page import STATIC, build_app
from askback.serve.questionlog import QuestionLog
from askback.serve.webapi import MAX_BODY_BYTES, router

if TYPE_CHECKING:
    import fastapi

__all__ = ["address", "check_port", "create_app", "launch"]


OPENER_ID = "askback-open"  # the hidden box the page's script types citation keys in (page.py)
_PREVIEW_TAGS = re.compile(rb'<meta\s+(?:property="og:|name="twitter:)[^>]*>\s*')


def _preview(voice: Voice) -> bytes:
    description = html.escape(voice.preview, quote=True)
    name = html.escape(voice.name, quote=True)
    return (
        f'<meta property="og:title" content="{name}"><meta property="og:description" content="{description}">'
        f'<meta name="description" content="{description}"><meta name="twitter:card" content="summary">'
    ).encode()


class OurPreview:
    """ASGI middleware: the page ("/") names this bot in its link preview, not Gradio, whose page
    template hard-codes one ("Click to try out the app!") before ours. Every other response passes
    untouched: an API answer pays nothing for it (a Starlette ``BaseHTTPMiddleware`` streamed every
    response through a task of its own)."""

    def __init__(self, app: Callable[[Any, Any, Any], Any], preview: Callable[[], bytes]) -> None:
        self.app = app
        self.preview = preview

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != "/":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def rewritten(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                kind = dict(message.get("headers") or ()).get(b"content-type", b"")
                if not kind.startswith(b"text/html"):
                    await send(message)  # not the page: as it is
                    return
                start.update(message)
                return
            if not start or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = b"".join(chunks)
            page = _PREVIEW_TAGS.sub(b"", page).replace(b"<head>", b"<head>" + self.preview(), 1)
            headers = [(k, v) for k, v in start.get("headers") or () if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
            await send({"type": "http.response.body", "body": page, "more_body": False})

        await self.app(scope, receive, rewritten)


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


def create_app(
    index: Index,
    feedback_log: Path,
    hosts: Sequence[str] = (),
    answer_seconds: float | None = ANSWER_SECONDS,
    question_log: Path | None = None,
) -> fastapi.FastAPI:
    """The server: the JSON API's routes, then Gradio's, behind the request guard. ``hosts`` are
    the names besides loopback's that requests may address (``--host``, ``--allow-host``); an API
    answer may take ``answer_seconds``; ``question_log``: where questions and outcomes are logged
    (questionlog.py), None for nowhere."""
    import fastapi
    import gradio as gr

    questions = QuestionLog(question_log) if question_log else None
    blocks = build_app(index, feedback_log, questions)
    server = fastapi.FastAPI(docs_url=None, redoc_url=None, openapi_url=None)  # docs would load a CDN
    server.include_router(router(index, answer_seconds, questions))

    server.add_middleware(OurPreview, preview=lambda: _preview(index.voice))

    # The functions the page runs on the server (a js-only step has no server side to call), and
    # the shape of what each takes.
    events = {n: _event(fn) for n, fn in blocks.fns.items() if fn.fn is not None}
    # Outermost: runs before anything reads a body.
    server.state.stopping = asyncio.Event()
    server.add_middleware(
        RequestGuard, limit=MAX_BODY_BYTES, hosts=tuple(hosts), events=events, stopping=server.state.stopping
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


def _event(fn: Any) -> Event:
    """What a Gradio function of the page takes, for the request guard."""
    import gradio as gr

    def kind(component: Any) -> str:
        if isinstance(component, gr.State):
            return "state"
        if isinstance(component, gr.Textbox) and component.elem_id == OPENER_ID:
            return "key"
        if isinstance(component, gr.Textbox | gr.Button):
            return "text"
        if isinstance(component, gr.Radio):
            return "choice"
        return "any"  # a kind of input the page did not have when this was written: checked for files only

    return Event(tuple(kind(c) for c in fn.inputs), like=any(trigger == "like" for _, trigger in fn.targets))


def launch(
    index: Index,
    feedback_log: Path,
    host: str,
    port: int,
    allow_hosts: Sequence[str] = (),
    ready: Callable[[], None] | None = None,
    question_log: Path | None = None,
) -> None:
    """Serve the chat and the JSON API at http://HOST:PORT until interrupted. ``ready`` is called
    once the port accepts connections, so whoever it tells can open the page at once."""
    import uvicorn

    check_port(host, port)
    app = create_app(index, feedback_log, hosts=(host, *allow_hosts), question_log=question_log)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=1)

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if self.started and ready is not None:  # the app has started and the socket listens
                ready()

        async def shutdown(self, sockets: Any = None) -> None:
            app.state.stopping.set()  # open event streams end now, so connections close at once
            await super().shutdown(sockets)

    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):  # a stop asked for: no traceback
        Server(config).run()


def address(host: str, port: int) -> str:
    """The chat's URL: an IPv6 host in brackets."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def check_port(host: str, port: int) -> None:
    """Fail at once, naming the one change that would let the address be served."""
    if not 0 < port < 65536:
        raise AskbackError(f"port {port} is not a port number; pass --port between 1 and 65535")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            fix = "another program listens there; pass another --port"
        elif exc.errno == errno.EACCES:
            fix = "this user may not listen on it; pass a --port of 1024 or above"
        elif isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
            fix = "no address of this machine; pass --host 127.0.0.1, or an address of this machine"
        else:
            fix = "pass another --host or --port"
        raise AskbackError(f"cannot listen on {host}:{port} ({exc.strerror}): {fix}") from None
