"""The chat's handlers, called as plain functions: no browser needed."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import askback
from askback import templates
from askback.answer.layout import sources
from askback.serve.chat import ChatApp, Session
from askback.serve.page import build_app
from askback.serve.render import answer_html
from conftest import write_article

PANEL = slice(3, 6)  # the reply's outputs: messages, session, box, panel title, citations, article, buttons


@pytest.fixture
def app(built: askback.Index, tmp_path: Path) -> ChatApp:
    return ChatApp(built, tmp_path / "logs" / "feedback.jsonl")


def test_a_reply_quotes_verbatim_with_clickable_citations_and_opens_the_first_source(app: ChatApp) -> None:
    messages, session, box, *rest = app.reply("How much does a session cost?", Session())
    title, citations, article = rest[0], rest[1], rest[2]
    shown = messages[-1]["content"]
    assert "around $75 in the United States" in shown and "\\$" not in shown  # no markdown escapes
    assert 'class="askback-cite askback-open-0-1-p0">[1] What Acupuncture Costs' in shown
    assert "How much does a session cost?" in title and citations["value"] == 1
    assert '<mark id="askback-hit" class="askback-first">A session usually costs around $75' in article
    assert box == "" and len(session.turns) == 1


def test_an_older_answers_citation_opens_that_answers_own_source(app: ChatApp) -> None:
    _, session, *_ = app.reply("How much does a session cost?", Session())
    _, session, *_ = app.reply("Is it safe?", session)
    assert session.shown == 1
    session, title, citations, article = app.open_citation("0:1:7", session)
    assert session.shown == 0 and "How much does a session cost?" in title
    assert "What Acupuncture Costs" in citations["choices"][0][0] and "costs around $75" in article
    unkeyed = re.compile(r' data-shown="\w+"')  # a new key on every render, for the page script
    assert unkeyed.sub("", app.pick_source(1, session)) == unkeyed.sub("", article)


def test_a_quote_shows_its_section_heading_and_copies_with_its_source(app: ChatApp) -> None:
    answer = app.index.ask("Is acupuncture safe?")
    shown = answer_html(answer, 0)
    assert '<span class="askback-heading">Is It Safe?</span>' in shown
    assert '<span class="askback-source">\n— How Acupuncture Needles Work (Ada Example, Example Health)<' in shown
    costs = answer_html(app.index.ask("How much does a session cost?"), 0)
    assert "\n— What Acupuncture Costs (title from its first line), https://example.org/costs<" in costs


def test_an_inferred_title_is_marked_wherever_the_article_is_named(app: ChatApp) -> None:
    messages, *_ = app.reply("How much does a session cost?", Session())
    assert f"What Acupuncture Costs ({templates.INFERRED_TITLE})" in html.unescape(messages[-1]["content"])
    assert html.escape(templates.INFERRED_NOTE) in app.article_html(app.index.articles[0], [])


def test_the_source_panel_shows_headings_as_headings_and_marks_the_best_quote(
    tmp_path: Path, embedder: askback.Index
) -> None:
    body = "## Sessions\nMost people need eight sessions.\n## Costs\nA session costs $75.\nCash only.\n"
    write_article(tmp_path / "c", "a.txt", "title: A", body)
    askback.build_index(tmp_path / "c", tmp_path / "ix", embedder=embedder)
    index = askback.load_index(tmp_path / "ix", embedder=embedder)
    passages = index.retrieve("session costs $75", k=2)
    page = ChatApp(index, tmp_path / "fb.jsonl").article_html(passages[0].article, passages)
    assert "<h3>Sessions</h3>" in page and "<h3>Costs</h3>" in page and "##" not in page
    assert page.count("<mark") == 2 and f'<mark id="askback-hit" class="askback-first">{passages[0].text}' in page


def test_an_article_whose_header_broke_since_the_build_still_answers_with_a_note(app: ChatApp, corpus: Path) -> None:
    costs = corpus / "costs.txt"
    costs.write_text(costs.read_text().replace("title:", "titlx:"), encoding="utf-8")  # same offsets
    messages, _, _, _, _, article, *_ = app.reply("How much does a session cost?", Session())
    assert "around $75 in the United States" in messages[-1]["content"]
    assert html.escape(templates.ARTICLE_CHANGED, quote=True) in article and "<mark" not in article


def test_a_question_askback_cannot_take_keeps_the_text_and_the_panel(app: ChatApp) -> None:
    _, session, *_ = app.reply("How much does a session cost?", Session())
    after = app.reply("why " * 1100, session)
    assert "too long" in after[0][-1]["content"] and after[1].turns == session.turns
    assert all(x == {"__type__": "update"} for x in after[2:])  # box text, panel and suggestions kept


def test_an_empty_box_sent_changes_nothing(app: ChatApp) -> None:
    assert all(x == {"__type__": "update"} for x in app.reply("", Session()))


def test_a_message_of_spaces_is_asked_for_a_question(app: ChatApp, built: askback.Index) -> None:
    _, session, *_ = app.reply("How much does a session cost?", Session())
    messages, after, *rest = app.reply("  \n ", session)
    assert messages[-1]["content"] == f'<div class="askback-error"><p>{built.voice.empty_question}</p></div>'
    assert built.voice.empty_question == templates.EMPTY_QUESTION.format(topic=templates.TOPIC_ARTICLES)
    assert len(messages) == 3 and after.turns == session.turns  # no empty bubble, no turn
    assert all(x == {"__type__": "update"} for x in rest)  # box text, panel and suggestions kept


def test_user_and_article_text_cannot_inject_markup(app: ChatApp) -> None:
    messages, *_ = app.reply("<script>alert(1)</script> **bold** $$x$$", Session())
    assert messages[0]["content"] == '<p class="askback-user">&lt;script&gt;alert(1)&lt;/script&gt; **bold** $$x$$</p>'


def test_votes_follow_the_answer_not_the_position_and_can_be_changed_or_taken_back(
    app: ChatApp, built: askback.Index
) -> None:
    _, session, *_ = app.reply("How much does a session cost?", Session())
    _, session, *_ = app.reply("why " * 1100, session)  # an error reply: no answer
    _, session, *_ = app.reply("Is it safe?", session)
    cost = session.turns[0]
    app.vote(3, True, session)  # the error reply: nothing to vote on
    app.vote(5, True, session)
    ChatApp(built, app.feedback_log).vote(1, False, session)  # a new process, the same log
    records = [json.loads(line) for line in app.feedback_log.read_text().splitlines()]
    assert [(r["question"], r["vote"]) for r in records] == [("Is it safe?", "up"), (cost.question, "down")]
    app.vote(5, "", session)  # Gradio's "undo"
    app.vote(1, True, session)
    assert app._log.votes() == {cost.id: "up"}


def test_a_new_conversation_forgets_turns_and_sources(app: ChatApp) -> None:
    cleared = app.clear()
    assert cleared[0] == [] and cleared[1] == Session() and cleared[PANEL][2] == ""
    assert cleared[PANEL][1]["visible"] is False


def test_the_app_builds_offline(built: askback.Index, tmp_path: Path) -> None:
    app = build_app(built, tmp_path / "feedback.jsonl")
    assert app.analytics_enabled is False


def test_the_conversation_exports_as_markdown_with_every_quote_and_its_source(app: ChatApp) -> None:
    _, costs, *_ = app.reply("How much does a session cost?", Session())
    _, safety, *_ = app.reply("Is acupuncture safe?", Session())
    session = Session(turns=(*costs.turns, *safety.turns))
    text = app.export(session)
    assert text.startswith(f"# {templates.EXPORT_TITLE.format(name='askback')}")
    assert "## 1. You asked: “How much does a session cost?”" in text
    assert "## 2. You asked: “Is acupuncture safe?”" in text
    for turn in session.turns:
        for quote in turn.answer.quotes:
            for line in quote.text.splitlines():
                assert f"> {line}" in text  # verbatim, line for line
    assert "— What Acupuncture Costs · <https://example.org/costs>" in text
    assert "— How Acupuncture Needles Work · Ada Example · Example Health" in text
    assert app.export(Session()).count("##") == 0


RED_FLAGS = (
    "I have back pain with numbness in the groin and I can't control my bladder."
    " Is acupuncture safe? How much does a session cost?"
)


def citations_and_quotes(shown: str) -> list[tuple[str, str]]:
    """Each citation's key (turn:number[:pfocus]) and the text of the first quote below it."""
    found = re.findall(
        r'<p class="askback-citation"><button type="button" class="askback-cite askback-open-([\w-]+)">.*?</button></p>'
        r'(?:<blockquote class="askback-quote">(?:<span class="askback-heading">.*?</span>)?'
        r'<span class="askback-text">(.*?)</span>)?',
        shown,
        flags=re.S,
    )
    return [(key, html.unescape(text)) for key, text in found]


def test_every_citation_opens_its_article_at_its_own_quote(tmp_path: Path) -> None:
    shipped = askback.load_index(Path(__file__).resolve().parents[1] / "index")
    app = ChatApp(shipped, tmp_path / "feedback.jsonl")
    messages, session, _, _, _, opened, *_ = app.reply(RED_FLAGS, Session())
    answer = session.turns[0].answer
    hit = re.compile(r'<mark id="askback-hit"[^>]*>(.*?)</mark>', re.S)
    # The panel that opens by itself opens at the answer's first quote.
    assert answer.quotes[0].text.startswith(html.unescape(hit.search(opened)[1]))
    cited = citations_and_quotes(messages[-1]["content"])
    # An article the panel holds several passages of (quoted in one part, offered in another)
    assert len(cited) >= 3 and any(len(passages) > 1 for _, passages in sources(answer.quotes, answer.more))
    texts = {p.text for p in answer.quotes}
    for key, quote in cited:
        turn, number, *focus = key.split("-")
        *_, article = app.open_citation(":".join([turn, number, *focus, "1"]), session)
        highlighted = html.unescape(hit.search(article)[1])
        own = quote or next(p.text for p in answer.quotes if p.article == answer.quotes[0].article)
        assert own in texts and own.startswith(highlighted), key


def test_the_export_is_the_answer_the_chat_shows(tmp_path: Path) -> None:
    shipped = askback.load_index(Path(__file__).resolve().parents[1] / "index")
    app = ChatApp(shipped, tmp_path / "feedback.jsonl")
    _, session, *_ = app.reply(RED_FLAGS, Session())
    saved = app.export(session)
    answer = session.turns[0].answer
    flags = ", ".join(f"“{w}”" for w in answer.parts[0].red_flags)
    lead = "### " + templates.SAFETY.format(symptoms=flags).replace("'", "'")
    assert lead in saved.replace("\\", "")  # the safety lead first, as in the chat
    for part in answer.parts[1:]:
        assert f"### {templates.PART.format(question=part.question)}" in saved
    said = html.unescape(re.sub(r"<[^>]+>", "", app_messages(session)))
    for quote in answer.quotes:
        assert quote.text in said
        assert quote.text.splitlines()[0].replace("*", "\\*") in saved
    assert saved.index(lead) < saved.index(templates.PART.format(question=answer.parts[1].question))


def app_messages(session: Session) -> str:
    return "".join(content for role, content in session.messages if role == "assistant")


def test_the_export_makes_every_title_author_question_and_quote_inert(tmp_path: Path, embedder) -> None:
    from markdown_it import MarkdownIt

    header = "title: <script>alert(1)</script> [i](javascript:alert(2))\nauthor: <img src=x onerror=alert(3)>"
    write_article(
        tmp_path / "c", "x.txt", header, "Acupuncture uses needles. See [i](javascript:alert(4)) <b>now</b>.\n"
    )
    (tmp_path / "c" / "askback.toml").write_text('name = "<img src=y onerror=alert(5)>"\n', encoding="utf-8")
    askback.build_index(tmp_path / "c", tmp_path / "ix", embedder=embedder)
    index = askback.load_index(tmp_path / "ix", embedder=embedder)
    app = ChatApp(index, tmp_path / "fb.jsonl")
    _, session, *_ = app.reply("acupuncture needles <script>alert(6)</script>", Session())
    assert session.turns[0].answer.quotes
    saved = app.export(session)
    shown = MarkdownIt("commonmark").render(saved)
    assert "<script" not in shown and "<img" not in shown and "<b>" not in shown and "href" not in shown
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
        and "See [i](javascript:alert(4)) &lt;b&gt;now&lt;/b&gt;." in shown
    )


def test_every_offer_names_its_section_and_first_words(tmp_path: Path) -> None:
    shipped = askback.load_index(Path(__file__).resolve().parents[1] / "index")
    app = ChatApp(shipped, tmp_path / "feedback.jsonl")
    messages, session, *_ = app.reply(RED_FLAGS, Session())
    offers = re.findall(r'<ul class="askback-offers">(.*?)</ul>', messages[-1]["content"], flags=re.S)
    lines = [html.unescape(re.sub(r"<[^>]+>", "", item)) for ul in offers for item in ul.split("</li>") if item]
    answer = session.turns[0].answer
    quoted = {p.article for p in answer.quotes}
    assert lines and any(any(a.byline in line for a in quoted) for line in lines)  # one of an article just quoted
    for line in lines:
        assert templates.OFFER_START.split("{", 1)[0] in line and line.endswith("…”"), line
    saved = app.export(session)
    assert all(line.replace("[", "\\[").replace("]", "\\]") in saved for line in lines)


def test_an_article_shows_its_code_without_the_fence_lines() -> None:
    from askback.records import Article, Passage
    from askback.serve.render import article_body

    text = (
        "## Install\n\nTo install the requirements, run:\n\n"
        "```\npip install -r requirements.txt\n```\n\nThen start it.\n"
    )
    article = Article("guide", "Guide", "guide.txt")
    code_start = text.index("pip install")
    code = Passage("pip install -r requirements.txt", code_start, code_start + 31, article, 1.0, "Install", "code")
    body = article_body(text, 0, [code], code)
    assert "```" not in body
    assert "<mark" in body and ">pip install -r requirements.txt</mark>" in body
    assert "To install the requirements, run:" in body and "Then start it." in body


def test_code_is_set_as_code_in_a_quote_the_article_and_the_export() -> None:
    from askback.records import Article, Passage
    from askback.serve.export import _code
    from askback.serve.render import article_body, quote_html

    text = "## Install\n\nTo install it, run:\n\n```\npip install tally-lines\n```\n\nThen start it.\n"
    article = Article("guide", "Guide", "guide.txt")
    at = text.index("pip install")
    code = Passage("pip install tally-lines", at, at + 23, article, 1.0, "Install", "code")
    assert 'class="askback-text askback-code">pip install tally-lines<' in quote_html(code, 1)
    body = article_body(text, 0, [code], code)
    assert '<code class="askback-code"><mark' in body and "</mark>\n</code>" in body and "```" not in body
    assert _code("echo `date`\nls") == "> ```\n> echo `date`\n> ls\n> ```"
    assert _code("a ``` b").startswith("> ````")
