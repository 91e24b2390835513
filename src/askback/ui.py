"""The Gradio chat: quotes under their articles, citations that open the article in context.

``build_app`` returns the ``gr.Blocks``; the handlers are methods of ``ChatApp``, plain functions of
their inputs, so tests call them without a browser. Article and user text is escaped before it
reaches markdown, so a ``<script>``, ``*markdown*`` or ``$$LaTeX$$`` in either is shown as text.
"""

from __future__ import annotations

import html
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import templates
from .answer import group_by_article, layout
from .api import Index
from .corpus import read_document
from .errors import AskbackError
from .feedback import FeedbackLog
from .records import Answer, Article, Passage

if TYPE_CHECKING:
    import gradio as gr

__all__ = ["ChatApp", "build_app", "launch"]

_WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>]+$", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$>])")
SUGGESTION_BUTTONS = 3
CSS = """
#askback-article { max-height: 420px; overflow-y: auto; white-space: pre-wrap; line-height: 1.5; }
#askback-article mark { background: #ffe58a; padding: 0 2px; }
"""
SCROLL_TO_QUOTE = "() => { document.querySelector('#askback-hit')?.scrollIntoView({block: 'center'}); }"


def escape(text: str) -> str:
    """Text shown verbatim inside markdown: no HTML, no emphasis, no LaTeX."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def answer_markdown(answer: Answer) -> str:
    """An answer for the chat: the same blocks as ``Answer.markdown`` (``layout``), escaped, with
    questions as small headings, notes in italics and citations in bold."""
    if not answer.quotes:
        return escape(answer.markdown)
    shown = []
    for block in layout(answer.quotes, answer.parts):
        if block.role == "quote":
            shown.append("\n".join(f"> {escape(line.strip())}" for line in block.text.splitlines() if line.strip()))
        else:
            shown.append(_STYLE[block.role].format(escape(block.text)))
    if answer.markdown.endswith(templates.DISCLAIMER):
        shown.append(f"*{escape(templates.DISCLAIMER)}*")
    return "\n\n".join(shown)


_STYLE = {"part": "#### {}", "note": "*{}*", "citation": "**{}**"}


@dataclass
class Turn:
    """What the chat showed for one question, kept for citations and feedback."""

    question: str
    answer: Answer


class ChatApp:
    """The chat's state-free handlers over one index; per-session state travels in ``gr.State``."""

    def __init__(self, index: Index, feedback_log: Path) -> None:
        self.index = index
        self.feedback_log = feedback_log
        self._log = FeedbackLog(feedback_log)

    def intro(self) -> str:
        articles = "\n".join(f"- {escape(a.byline)}" for a in self.index.articles)
        return f"{escape(templates.INTRO)}\n\n{articles}"

    def first_suggestions(self) -> list[str]:
        return list(self.index.suggestions()[:SUGGESTION_BUTTONS])

    def reply(self, message: str, messages: list[dict[str, Any]], turns: list[Turn]) -> tuple[Any, ...]:
        """One chat turn: the answer's message, the citations it offers, new suggestions, a cleared box."""
        import gradio as gr

        messages = [*messages, {"role": "user", "content": escape(message)}]
        try:
            answer = self.index.ask(message, history=[t.question for t in turns])
        except AskbackError as exc:
            messages.append({"role": "assistant", "content": escape(str(exc))})
            return (messages, turns, gr.update(), "", *self._buttons([]))
        turns = [*turns, Turn(" ".join(message.split()), answer)]
        messages.append({"role": "assistant", "content": answer_markdown(answer)})
        choices = citation_choices(answer)
        citations = gr.update(choices=choices, value=None, visible=bool(choices))
        return (messages, turns, citations, "", *self._buttons(list(answer.suggestions)))

    def _buttons(self, suggestions: list[str]) -> list[Any]:
        import gradio as gr

        padded = suggestions[:SUGGESTION_BUTTONS] + [""] * SUGGESTION_BUTTONS
        return [gr.update(value=s, visible=bool(s)) for s in padded[:SUGGESTION_BUTTONS]]

    def open_citation(self, choice: str | None, turns: list[Turn]) -> str:
        """The whole article of a citation of the last answer, its quote highlighted."""
        if not choice or not turns:
            return ""
        number = int(choice.split("]", 1)[0].lstrip("["))
        groups = group_by_article(turns[-1].answer.quotes)
        if not 1 <= number <= len(groups):
            return ""
        article, passages = groups[number - 1]
        return self.article_html(article, passages)

    def article_html(self, article: Article, passages: list[Passage]) -> str:
        document = read_document(self.index.article_file(article), article.path)
        text, body = document.text, document.body_start
        meta = [f"<h3>{html.escape(article.title)}</h3>"]
        if article.title_inferred:
            meta.append("<p><em>Title inferred from the text; the page states none.</em></p>")
        for label, value in (("Author", article.author), ("Site", article.publisher), ("Published", article.published)):
            if value:
                meta.append(f"<p><strong>{label}:</strong> {html.escape(value)}</p>")
        if article.url:
            url = html.escape(article.url, quote=True)
            if _WEB_ADDRESS.match(article.url):
                meta.append(f'<p><strong>URL:</strong> <a href="{url}" rel="noopener noreferrer">{url}</a></p>')
            else:  # javascript:, data: and the like are shown, never followed
                meta.append(f"<p><strong>URL:</strong> {url}</p>")
        pieces, cursor = [], body
        for i, p in enumerate(sorted(passages, key=lambda p: p.start)):
            if text[p.start : p.end] != p.text:
                continue  # the file changed since the build: never highlight the wrong words
            anchor = ' id="askback-hit"' if i == 0 else ""
            pieces += [html.escape(text[cursor : p.start]), f"<mark{anchor}>{html.escape(p.text)}</mark>"]
            cursor = p.end
        pieces.append(html.escape(text[cursor:]))
        return "".join(meta) + f'<div id="askback-article">{"".join(pieces)}</div>'

    def vote(self, index: int, liked: bool, turns: list[Turn]) -> None:
        """Append a thumbs up or down on the answer at chat position ``index`` to the feedback log."""
        turn_number = index // 2
        if not 0 <= turn_number < len(turns):
            return
        turn = turns[turn_number]
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "question": turn.question,
            "vote": "up" if liked else "down",
            "abstained": turn.answer.abstained,
            "quotes": [
                {"article": p.article.path, "start": p.start, "end": p.end, "text": p.text} for p in turn.answer.quotes
            ],
        }
        self._log.append(record)


def citation_choices(answer: Answer) -> list[str]:
    return [f"[{n}] {article.byline}" for n, (article, _) in enumerate(group_by_article(answer.quotes), start=1)]


def build_app(index: Index, feedback_log: Path) -> gr.Blocks:
    import gradio as gr

    chat = ChatApp(index, feedback_log)
    with gr.Blocks(title="askback", analytics_enabled=False) as app:
        gr.Markdown(f"## askback\n\n{chat.intro()}")
        chatbot = gr.Chatbot(
            label="askback",
            height=480,
            latex_delimiters=[],
            sanitize_html=True,
            feedback_options=("Like", "Dislike"),
            placeholder=escape(templates.GREETING),
            elem_id="askback-chat",
        )
        turns = gr.State([])
        with gr.Row():
            buttons = [gr.Button(s, size="sm", elem_classes=["askback-suggestion"]) for s in chat.first_suggestions()]
        box = gr.Textbox(
            label="Your question", placeholder="Ask about acupuncture for back pain", elem_id="askback-question"
        )
        citations = gr.Radio(
            [], label="Sources: open a citation to read it in context", visible=False, elem_id="askback-citations"
        )
        article = gr.HTML(elem_id="askback-source")

        outputs = [chatbot, turns, citations, box, *buttons]
        box.submit(chat.reply, [box, chatbot, turns], outputs, api_name="ask")
        for button in buttons:
            button.click(chat.reply, [button, chatbot, turns], outputs, api_visibility="private")
        citations.change(chat.open_citation, [citations, turns], article, api_visibility="private").then(
            None, js=SCROLL_TO_QUOTE
        )

        def on_like(data: gr.LikeData, state: list[Turn]) -> None:
            chat.vote(int(data.index if isinstance(data.index, int) else data.index[0]), bool(data.liked), state)

        # Gradio injects event data by the parameter's class; postponed annotations hide it as a string.
        on_like.__annotations__["data"] = gr.LikeData

        chatbot.like(on_like, [turns], None, api_visibility="private")
    return app


def launch(index: Index, feedback_log: Path, host: str, port: int) -> None:
    """Serve the chat on our own FastAPI app: Gradio's routes, minus file uploads (no feature needs them)."""
    import fastapi
    import gradio as gr
    import uvicorn
    from fastapi.responses import JSONResponse

    check_port(host, port)
    blocks = build_app(index, feedback_log)
    server = fastapi.FastAPI()

    @server.middleware("http")
    async def no_uploads(request: fastapi.Request, call_next: Any) -> Any:
        if request.url.path.rstrip("/").endswith("/upload"):
            return JSONResponse({"error": "askback accepts no file uploads"}, status_code=403)
        return await call_next(request)

    # Local fonts only: the default theme would fetch web fonts from a CDN.
    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
    blocks.queue(default_concurrency_limit=4)
    app = gr.mount_gradio_app(server, blocks, path="/", ssr_mode=False, theme=theme, css=CSS, max_file_size=0)
    uvicorn.run(app, host=host, port=port, log_level="warning")


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
