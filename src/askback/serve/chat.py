"""The chat's handlers: quotes under their articles, each answer's own citations opening it in context.

The handlers are methods of ``ChatApp``, plain functions of their inputs, so tests call them
without a browser; ``page.build_app`` wires them to the page. The chat shows HTML, never markdown
(``render``).
"""

from __future__ import annotations

import dataclasses
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from askback import templates
from askback.answer.layout import sources
from askback.api import Index
from askback.corpus.files import parse_document
from askback.errors import AskbackError, CorpusError
from askback.records import Answer, Article, Passage, shorten, web_address
from askback.serve.export import conversation_markdown
from askback.serve.feedback import FeedbackLog
from askback.serve.questionlog import QuestionLog
from askback.serve.render import answer_html, article_body, escape, template_html, user_html

__all__ = ["ChatApp", "Session", "Turn"]

SUGGESTION_BUTTONS = 3
USER_BUBBLE_CHARS = 300  # a refused message's bubble: its start; the whole text stays in the box
# "turn:citation" (or "a:article" from the list of articles), then the page's click counter
# and, for an offer, ":p" and the offered passage's place among the article's passages.
_OPEN_KEY = re.compile(r"(a|\d+):(\d+)(?::p(\d+))?(?::\d+)?")


@dataclass(frozen=True)
class Turn:
    """One answered question: what was asked, what was shown, and where in the chat."""

    question: str
    answer: Answer
    message: int  # the answer's position in the chat's messages: votes arrive by position
    id: str = field(default_factory=lambda: uuid.uuid4().hex)  # the feedback log's key for it


@dataclass(frozen=True)
class Session:
    """One browser tab's conversation, kept on the server: the chat's messages as askback wrote
    them (role and HTML), its answered turns, and which turn the source panel shows.

    The chat is rebuilt from ``messages`` on every reply and never from what the browser sends:
    Gradio serves any file named in a message it is handed back, so a client-supplied history
    would let a crafted request read the server's files."""

    messages: tuple[tuple[str, str], ...] = ()
    turns: tuple[Turn, ...] = ()
    shown: int = -1

    def chat(self) -> list[dict[str, str]]:
        """The messages for ``gr.Chatbot``: plain strings only, never files or components."""
        return [{"role": role, "content": content} for role, content in self.messages]


class ChatApp:
    """The chat's handlers over one index; each tab's ``Session`` travels in ``gr.State``."""

    def __init__(self, index: Index, feedback_log: Path, questions: QuestionLog | None = None) -> None:
        self.index = index
        self.feedback_log = feedback_log
        self._log = FeedbackLog(feedback_log)
        self._questions = questions  # askback serve --log-questions

    def header(self) -> str:
        """The bot's name and intro, and the words the page script gives the controls it adds."""
        voice = self.index.voice
        words = (
            f'<div id="askback-words" hidden data-skip="{escape(templates.SKIP_TO_ANSWER)}"'
            f' data-copied="{escape(templates.COPIED)}"></div>'
        )
        return f"<h1>{escape(voice.name)}</h1><p>{escape(voice.intro)}</p>{words}"

    def article_list(self) -> str:
        """The articles, each a button that opens it in the source panel."""
        items = "".join(
            f'<li><button type="button" class="askback-cite askback-open-a-{n}">{escape(a.byline)}</button></li>'
            for n, a in enumerate(self.index.articles)
        )
        return f'<ul class="askback-articles">{items}</ul>'

    def first_suggestions(self) -> list[str]:
        return list(self.index.suggestions()[:SUGGESTION_BUTTONS])

    def reply(self, message: object, session: Session) -> tuple[Any, ...]:
        """One chat turn. Outputs: messages, session, question box, the source panel (title,
        citations, article) and the suggestion buttons. A question askback cannot take gets a
        clear reply and changes nothing else: the text stays in the box to be edited. Only an
        empty box sent does nothing; a message of spaces is asked for a question, as the API does."""
        import gradio as gr

        if not isinstance(message, str) or not message:
            return (gr.skip(),) * (6 + SUGGESTION_BUTTONS)
        asked = (*session.messages, ("user", user_html(message)))
        try:
            answer = self.index.ask(message, history=[t.question for t in session.turns])
        except AskbackError as exc:
            # The message stays in the box to be edited: its bubble shows only its start, and the
            # reply is marked as no answer (the page shows no votes on it).
            bubble = [("user", user_html(shorten(message, USER_BUBBLE_CHARS)))] if message.strip() else []
            error = ("assistant", f'<div class="askback-error">{template_html(str(exc))}</div>')
            session = dataclasses.replace(session, messages=(*session.messages, *bubble, error))
            return (session.chat(), session) + (gr.skip(),) * (4 + SUGGESTION_BUTTONS)
        turn = Turn(" ".join(message.split()), answer, len(asked))
        if self._questions:
            self._questions.asked(message, answer, turn.id)
        disclaimer = self.index.voice.disclaimer
        shown = len(session.turns)
        session = Session(
            (*asked, ("assistant", answer_html(answer, shown, disclaimer))),
            (*session.turns, turn),
            shown,
        )
        # The panel opens by itself at the answer's first quote, as its first citation would.
        panel = self.panel(session, 1, 0)
        return (session.chat(), session, "", *panel, *self._buttons(list(answer.suggestions)))

    def export(self, session: Session) -> str:
        """The conversation as Markdown: each question and its quotes with their sources."""
        return conversation_markdown([(t.question, t.answer) for t in session.turns], self.index.voice)

    def clear(self) -> tuple[Any, ...]:
        """A new conversation: no messages, no turns to follow up on or vote for, an empty panel."""
        session = Session()
        return ([], session, "", *self.panel(session, 1), *self._buttons(self.first_suggestions()))

    def _buttons(self, suggestions: list[str]) -> list[Any]:
        import gradio as gr

        padded = suggestions[:SUGGESTION_BUTTONS] + [""] * SUGGESTION_BUTTONS
        return [gr.update(value=s, visible=bool(s)) for s in padded[:SUGGESTION_BUTTONS]]

    def open_citation(self, key: str, session: Session) -> tuple[Any, ...]:
        """A citation clicked in any answer ("turn:number"): that answer's sources, that article open."""
        import gradio as gr

        match = _OPEN_KEY.fullmatch(key or "")
        if match and match[1] == "a":  # an article from the list: the whole article, nothing highlighted
            articles = self.index.articles
            if int(match[2]) >= len(articles):
                return (gr.skip(),) * 4
            title = f"<h2>{escape(templates.ARTICLE_OPENED)}</h2>"
            hidden = gr.update(choices=[], value=None, visible=False)
            return (session, title, hidden, self.article_html(articles[int(match[2])], []))
        if not match or int(match[1]) >= len(session.turns):
            return (gr.skip(),) * 4
        session = dataclasses.replace(session, shown=int(match[1]))
        return (session, *self.panel(session, int(match[2]), int(match[3]) if match[3] else None))

    def pick_source(self, number: int | None, session: Session) -> str:
        """A source chosen in the panel's list: its article, for the answer the panel shows."""
        if number is None or not 0 <= session.shown < len(session.turns):
            return ""
        shown = session.turns[session.shown].answer
        groups = sources(shown.quotes, shown.more)
        if not 1 <= number <= len(groups):
            return ""
        return self.article_html(*groups[number - 1])

    def panel(self, session: Session, number: int, focus: int | None = None) -> tuple[Any, ...]:
        """The source panel for the answer ``session.shown``: a title naming its question, its
        numbered sources, and source ``number`` open at its passage ``focus``, else its best quote."""
        import gradio as gr

        if not 0 <= session.shown < len(session.turns):
            return f"<p>{escape(templates.SOURCES_NONE)}</p>", gr.update(choices=[], value=None, visible=False), ""
        turn = session.turns[session.shown]
        title = f"<h2>{escape(templates.SOURCES_FOR.format(question=shorten(turn.question, 90)))}</h2>"
        groups = sources(turn.answer.quotes, turn.answer.more)
        if not groups:
            note = f"{title}<p>{escape(templates.NO_QUOTES)}</p>"
            return note, gr.update(choices=[], value=None, visible=False), ""
        number = min(max(number, 1), len(groups))
        choices = [
            (templates.SOURCE_LINE.format(number=n, byline=article.byline), n)
            for n, (article, _) in enumerate(groups, start=1)
        ]
        article, passages = groups[number - 1]
        at = passages[focus] if focus is not None and 0 <= focus < len(passages) else None
        return title, gr.update(choices=choices, value=number, visible=True), self.article_html(article, passages, at)

    def article_html(self, article: Article, passages: list[Passage], focus: Passage | None = None) -> str:
        """The whole article, its headings as headings, its quoted passages highlighted; ``focus``
        (an offer clicked), else the best one (the highest scored), carries the id the page scrolls
        to. An article file that is gone or no longer parses since the build shows its stated
        details and a note, never an error."""
        title = f"<h2>{escape(article.title)}</h2>"
        meta = []
        if article.title_inferred:
            meta.append(f"<p><em>{escape(templates.INFERRED_NOTE)}</em></p>")
        for label, value in (("Author", article.author), ("Site", article.publisher), ("Published", article.published)):
            if value:
                meta.append(f"<p><strong>{label}:</strong> {escape(value)}</p>")
        if article.url:
            url = escape(article.url)
            if web_address(article.url):
                meta.append(f'<p><strong>URL:</strong> <a href="{url}" rel="noopener noreferrer">{url}</a></p>')
            else:  # javascript:, data: and the like are shown, never followed
                meta.append(f"<p><strong>URL:</strong> {url}</p>")
        try:
            document = parse_document(self.index.article_text(article), Path(article.path), article.path)
        except (OSError, CorpusError):
            return title + "".join(meta) + f"<p><em>{escape(templates.ARTICLE_CHANGED)}</em></p>"
        # Never highlight words the file no longer holds (it changed since the build).
        shown = [p for p in passages if document.text[p.start : p.end] == p.text]
        nav = (
            f'<p class="askback-nav"><button type="button" id="askback-next">'
            f'{escape(templates.NEXT_HIGHLIGHT)}</button> <span id="askback-count"></span></p>'
            if shown
            else ""
        )
        best = focus if focus in shown else max(shown, key=lambda p: p.score) if shown else None
        body = article_body(document.text, document.body_start, shown, best)
        # A key new on every render: Gradio patches the panel's HTML in place, so the page script
        # tells a newly opened article (or the same one opened again) by this, not by the element.
        key = uuid.uuid4().hex[:12]
        close = (
            f'<button type="button" id="askback-close">{escape(templates.CLOSE)}'
            f'<span class="askback-sr">{escape(templates.CLOSE_NAME[len(templates.CLOSE) :])}</span></button>'
        )
        head = f'<div class="askback-panel-head">{close}{title}{nav}</div>'
        return head + "".join(meta) + f'<div id="askback-article" data-shown="{key}">{body}</div>'

    def vote(self, position: int, liked: bool | str, session: Session) -> None:
        """Log a thumbs up, down, or its retraction ("none": Gradio sends "" when a vote is undone)
        for the answer at chat position ``position``. The log's last record for an answer ``id``
        is the answer's vote. A position that holds no answer (an error reply) logs nothing."""
        turn = next((t for t in session.turns if t.message == position), None)
        if turn is None:
            return
        vote = "up" if liked is True else "down" if liked is False else "none"
        details = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "question": turn.question,
            "abstained": turn.answer.abstained,
            # The article's id, as the JSON API names it: the server's file paths stay on the server.
            "quotes": [
                {"article": p.article.id, "start": p.start, "end": p.end, "text": p.text} for p in turn.answer.quotes
            ],
        }
        self._log.vote(turn.id, vote, details)
