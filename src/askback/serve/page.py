"""The chat page: its layout in Gradio Blocks, and which handler each control calls. The page's
own script (``static/chat.js``) makes citations clickable, copies quotes with their source, scrolls
a new answer to its start and steps through the highlights of the source panel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from askback import templates
from askback.api import Index
from askback.serve.chat import SUGGESTION_BUTTONS, ChatApp, Session
from askback.serve.questionlog import QuestionLog
from askback.serve.render import escape

if TYPE_CHECKING:
    import gradio as gr

__all__ = ["STATIC", "build_app"]

STATIC = Path(__file__).parent / "static"


def build_app(index: Index, feedback_log: Path, questions: QuestionLog | None = None) -> gr.Blocks:
    import gradio as gr

    chat = ChatApp(index, feedback_log, questions)
    voice = index.voice
    with gr.Blocks(title=voice.name, analytics_enabled=False) as app:
        gr.HTML(chat.header(), elem_id="askback-header")
        session = gr.State(Session())
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=340):
                chatbot = gr.Chatbot(
                    show_label=False,
                    height="calc(100vh - 360px)",
                    min_height=300,
                    autoscroll=False,  # the page's script shows a new answer from its start instead
                    render_markdown=False,
                    latex_delimiters=[],
                    sanitize_html=True,
                    buttons=[],  # no share, and our own copy buttons give verbatim text
                    feedback_options=("Like", "Dislike"),
                    placeholder=escape(voice.greeting),
                    elem_id="askback-chat",
                )
                with gr.Row(equal_height=True):
                    box = gr.Textbox(
                        label=templates.QUESTION_LABEL,  # named for screen readers, not shown
                        show_label=False,
                        placeholder=voice.placeholder,
                        elem_id="askback-question",
                        scale=5,
                        min_width=160,
                        max_lines=8,
                        container=False,
                    )
                    send = gr.Button(templates.SEND, variant="primary", scale=0, min_width=80, elem_id="askback-send")
                with gr.Row():
                    buttons = [
                        gr.Button(s, size="sm", elem_classes=["askback-suggestion"]) for s in chat.first_suggestions()
                    ]
                    buttons += [gr.Button(visible=False) for _ in range(SUGGESTION_BUTTONS - len(buttons))]
                # The conversation's own controls, a row of their own: beside the suggestions they
                # wrapped below the window's edge.
                with gr.Row(elem_id="askback-tools"):
                    new = gr.Button(
                        templates.NEW_CONVERSATION, size="sm", variant="secondary", scale=0, elem_id="askback-new"
                    )
                    save = gr.Button(templates.EXPORT, size="sm", variant="secondary", scale=0, elem_id="askback-save")
            with gr.Column(scale=2, min_width=320, elem_id="askback-side"):
                with gr.Accordion(templates.ARTICLES.format(count=len(index.articles)), open=False):
                    gr.HTML(chat.article_list())
                title = gr.HTML(f"<p>{escape(templates.SOURCES_NONE)}</p>", elem_id="askback-sources-title")
                citations = gr.Radio(
                    [], label=templates.SOURCES_LABEL, show_label=False, visible=False, elem_id="askback-citations"
                )
                article = gr.HTML(elem_id="askback-source")
        opener = gr.Textbox(visible="hidden", elem_id="askback-open")  # chat.js types citation keys in it

        panel = [title, citations, article]
        outputs = [chatbot, session, box, *panel, *buttons]
        # The chatbot is never an input: what it shows comes from the session, kept on the server.
        box.submit(chat.reply, [box, session], outputs, api_name="ask", api_visibility="undocumented")
        send.click(chat.reply, [box, session], outputs, api_visibility="private")
        for button in buttons:
            button.click(chat.reply, [button, session], outputs, api_visibility="private")
        new.click(chat.clear, None, outputs, api_visibility="private")
        # The Markdown comes back as text and the page saves it (a Blob): no file is written or served.
        exported = gr.Textbox(visible="hidden", elem_id="askback-export")
        save.click(chat.export, [session], exported, api_visibility="private").then(
            None, [exported], None, js="(text) => window.askbackSave && window.askbackSave(text)"
        )
        chatbot.clear(chat.clear, None, outputs, api_visibility="private")
        opener.submit(chat.open_citation, [opener, session], [session, *panel], api_visibility="private")
        citations.input(chat.pick_source, [citations, session], article, api_visibility="private")

        def on_like(data: gr.LikeData, state: Session) -> None:
            chat.vote(int(data.index if isinstance(data.index, int) else data.index[0]), data.liked, state)

        # Gradio injects event data by the parameter's class; postponed annotations hide it as a string.
        on_like.__annotations__["data"] = gr.LikeData

        chatbot.like(on_like, [session], None, api_visibility="private")
    return app
