"""``askback serve``: the chat and the JSON API on one FastAPI server, on loopback by default.

What Gradio would add by default and askback does not want is turned off here: file uploads (no
feature needs them), the run history that keeps every question in the browser's localStorage, the
footer, and the link preview and favicon that name Gradio.
"""

from __future__ import annotations

import html
import re
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import templates
from .api import Index
from .errors import AskbackError
from .ui import STATIC, build_app
from .webapi import router

if TYPE_CHECKING:
    import fastapi

__all__ = ["check_port", "create_app", "launch"]

_PREVIEW_TAGS = re.compile(rb'<meta\s+(?:property="og:|name="twitter:)[^>]*>\s*')


def _preview() -> bytes:
    description = html.escape(templates.PREVIEW, quote=True)
    return (
        f'<meta property="og:title" content="askback"><meta property="og:description" content="{description}">'
        f'<meta name="description" content="{description}"><meta name="twitter:card" content="summary">'
    ).encode()


def _head() -> str:
    script = (STATIC / "chat.js").read_text(encoding="utf-8")
    return f'<link rel="icon" type="image/svg+xml" href="favicon.ico"><script>{script}</script>'


def create_app(index: Index, feedback_log: Path) -> fastapi.FastAPI:
    """The server: the JSON API's routes, then Gradio's, minus uploads and Gradio's own preview."""
    import fastapi
    import gradio as gr
    from fastapi.responses import JSONResponse, Response

    blocks = build_app(index, feedback_log)
    server = fastapi.FastAPI(docs_url=None, redoc_url=None, openapi_url=None)  # docs would load a CDN
    server.include_router(router(index))

    @server.middleware("http")
    async def no_uploads_and_our_preview(request: fastapi.Request, call_next: Any) -> Any:
        if request.url.path.rstrip("/").endswith("/upload"):
            return JSONResponse({"error": "askback accepts no file uploads"}, status_code=403)
        response = await call_next(request)
        if request.url.path != "/" or not response.headers.get("content-type", "").startswith("text/html"):
            return response
        # Gradio's page template hard-codes a preview ("Click to try out the app!") before ours.
        page = b"".join([chunk async for chunk in response.body_iterator])
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        page = _PREVIEW_TAGS.sub(b"", page).replace(b"<head>", b"<head>" + _preview(), 1)
        return Response(page, response.status_code, headers)

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


def launch(index: Index, feedback_log: Path, host: str, port: int) -> None:
    """Serve the chat and the JSON API at http://HOST:PORT until interrupted."""
    import uvicorn

    check_port(host, port)
    uvicorn.run(create_app(index, feedback_log), host=host, port=port, log_level="warning")


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
