"""``askback serve``: the chat and the JSON API on one FastAPI server, on loopback by default.

What Gradio would add by default and askback does not want is turned off here: file uploads (no
feature needs them), the run history that keeps every question in the browser's localStorage, the
footer, and the link preview and favicon that name Gradio.
"""

from __future__ import annotations

import html
import json
import re
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import templates
from .api import Index
from .config import MAX_QUESTION_CHARS
from .errors import AskbackError
from .ui import STATIC, build_app
from .webapi import MAX_BODY_BYTES, router

if TYPE_CHECKING:
    import fastapi

__all__ = ["RequestGuard", "check_port", "create_app", "launch"]

_Scope = dict[str, Any]
_Receive = Callable[[], Awaitable[dict[str, Any]]]
_Send = Callable[[dict[str, Any]], Awaitable[None]]

_PREVIEW_TAGS = re.compile(rb'<meta\s+(?:property="og:|name="twitter:)[^>]*>\s*')


def _preview() -> bytes:
    description = html.escape(templates.PREVIEW, quote=True)
    return (
        f'<meta property="og:title" content="askback"><meta property="og:description" content="{description}">'
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


def create_app(index: Index, feedback_log: Path) -> fastapi.FastAPI:
    """The server: the JSON API's routes, then Gradio's, minus uploads and Gradio's own preview."""
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
        page = _PREVIEW_TAGS.sub(b"", page).replace(b"<head>", b"<head>" + _preview(), 1)
        return Response(page, response.status_code, headers)

    server.add_middleware(RequestGuard, limit=MAX_BODY_BYTES)  # outermost: runs before anything reads a body
    # Local fonts only: the default theme would fetch web fonts from a CDN.
    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
    blocks.queue(default_concurrency_limit=4)
    return gr.mount_gradio_app(
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
    )


class RequestGuard:
    """ASGI middleware in front of every route, Gradio's included: refuses uploads and Gradio's
    development routes (``/gradio_api/dev/reload`` holds a connection open for half an hour and
    keeps the server from stopping), and reads each request body at most ``limit`` bytes far, so a
    huge body is refused while it arrives, never held whole in memory."""

    def __init__(self, app: Callable[[_Scope, _Receive, _Send], Awaitable[None]], limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"].rstrip("/")
        if path.endswith("/upload"):
            await _json_reply(send, 403, "askback accepts no file uploads")
            return
        if path.startswith("/gradio_api/dev") or path.startswith("/dev/"):
            await _json_reply(send, 404, "not found")
            return
        too_big = f"the request is over {self.limit:,} bytes; keep it under {self.limit:,}"
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await _json_reply(send, 413, too_big)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await _json_reply(send, 413, too_big)
                return
            if not message.get("more_body"):
                break
        body, delivered = b"".join(chunks), False

        async def replay() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _json_reply(send: _Send, status: int, error: str) -> None:
    import json

    body = json.dumps({"error": error}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def launch(index: Index, feedback_log: Path, host: str, port: int) -> None:
    """Serve the chat and the JSON API at http://HOST:PORT until interrupted."""
    import uvicorn

    check_port(host, port)
    # A client holding a connection open (an event stream) must not keep SIGTERM from stopping us.
    uvicorn.run(create_app(index, feedback_log), host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)


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
