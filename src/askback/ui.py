"""The Gradio chat: quotes under their articles, citations that open the article in context.

``build_app`` returns the ``gr.Blocks``; the handlers are methods of ``ChatApp``, plain functions of
their inputs, so tests call them without a browser. Article and user text is escaped before it
reaches markdown, so a ``<script>``, ``*markdown*`` or ``$$LaTeX$$`` in either is shown as text.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import templates
from .answer import group_by_article
from .api import Index
from .corpus import read_document
from .errors import AskbackError
from .records import Answer, Article, Passage

if TYPE_CHECKING:
    import gradio as gr

__all__ = ["ChatApp", "build_app", "launch"]

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
    """An answer for the chat: the same words as ``Answer.markdown``, escaped, citations in bold."""
    if not answer.quotes:
        return escape(answer.markdown)
    parts: list[str] = []
    for number, (article, passages) in enumerate(group_by_article(answer.quotes), start=1):
        parts.append(f"**{escape(templates.CITATION.format(number=number, byline=article.byline))}**")
        for p in passages:
            parts.append("\n".join(f"> {escape(line.strip())}" for line in p.text.splitlines() if line.strip()))
    if answer.markdown.endswith(templates.DISCLAIMER):
        parts.append(f"*{escape(templates.DISCLAIMER)}*")
    return "\n\n".join(parts)


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
        self._log_lock = threading.Lock()

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
            meta.append(f'<p><strong>URL:</strong> <a href="{url}" rel="noopener noreferrer">{url}</a></p>')
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
        with self._log_lock:
            self.feedback_log.parent.mkdir(parents=True, exist_ok=True)
            with self.feedback_log.open("a", encoding="utf-8") as log:
                log.write(json.dumps(record, ensure_ascii=False) + "\n")


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
    import gradio as gr

    app = build_app(index, feedback_log)
    # Local fonts only: the default theme would fetch web fonts from a CDN.
    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
    app.queue(default_concurrency_limit=4).launch(
        server_name=host, server_port=port, share=False, ssr_mode=False, theme=theme, css=CSS, quiet=True
    )
