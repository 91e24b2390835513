"""An API reference lists a function's parameters before the prose that explains it: the list is a
passage of its own, quoted when a question asks for options or parameters, and the prose answers the
rest, in Markdown and in HTML alike."""

from __future__ import annotations

from pathlib import Path

import pytest

import askback
import askback.api
from askback.corpus.chunking import split_passages
from askback.corpus.files import read_document
from askback.corpus.kinds import PARAMETERS, wanted_kinds
from conftest import FakeEmbedder

MARKDOWN = """# Outgoing messages

## Class: Message

### message.setHeader(name, value)

* `name` {string} Header name.
* `value` {any} Header value.
* Returns: {this}

Sets a single header value. If the header already exists in the to-be-sent headers, its value will be replaced.

### message.removeHeader(name)

> Stability: 0 - Deprecated: Use message.clearHeader() instead.

* `name` {string}

Removes a header that is queued to be sent. Nothing happens when the header was never set.

### message.end()

The message fails to send when:

* the header name holds a space
* a header value holds a newline
"""

HTML = """<html><head><title>Outgoing messages</title></head><body>
<nav><a href="index.html">Index</a></nav>
<main>
<h1>Outgoing messages</h1>
<h2>Class: Message</h2>
<h3>message.setHeader(name, value)</h3>
<ul>
<li><code>name</code> <a class="type">&lt;string&gt;</a> Header name.</li>
<li><code>value</code> <a class="type">&lt;any&gt;</a> Header value.</li>
<li>Returns: <a class="type">&lt;this&gt;</a></li>
</ul>
<p>Sets a single header value. If the header already exists in the to-be-sent headers, its value will be
replaced.</p>
<h3>message.removeHeader(name)</h3>
<ul><li><code>name</code> <a class="type">&lt;string&gt;</a></li></ul>
<p>Removes a header that is queued to be sent. Nothing happens when the header was never set.</p>
<h3>message.end()</h3>
<p>The message fails to send when:</p>
<ul><li>the header name holds a space</li><li>a header value holds a newline</li></ul>
</main>
</body></html>
"""

SETS = "Sets a single header value. If the header already exists in the to-be-sent headers, its value will be replaced."


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())


@pytest.fixture(params=[("outgoing.md", MARKDOWN), ("outgoing.html", HTML)], ids=["markdown", "html"])
def bot(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[list[str], askback.Index]:
    name, text = request.param
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = askback.add_documents([path], tmp_path / "corpus", tmp_path / "ix")
    doc = read_document(Path(report.added[0].corpus_file))
    passages = [doc.text[s.start : s.end] for s in split_passages(doc.text, doc.body_start)]
    return passages, askback.load_index(tmp_path / "ix", embedder=FakeEmbedder())


def test_a_parameter_list_and_the_prose_after_it_are_passages_of_their_own(
    bot: tuple[list[str], askback.Index],
) -> None:
    passages, _ = bot
    typed = [p.replace("<", "{").replace(">", "}") for p in passages]  # HTML shows types as <string>
    assert "name {string} Header name.\n- value {any} Header value.\n- Returns: {this}" in typed
    assert SETS in passages
    assert "Removes a header that is queued to be sent. Nothing happens when the header was never set." in passages
    # A short note before the list goes with it, not with the prose after it.
    assert ("Stability: 0 - Deprecated: Use message.clearHeader() instead.\n- name {string}" in typed) or (
        "name {string}" in typed
    )
    # A list of anything else stays with the line that introduces it.
    listed = "The message fails to send when:\n- the header name holds a space\n- a header value holds a newline"
    assert listed in passages


def test_the_prose_answers_and_the_list_is_quoted_when_parameters_are_asked_for(
    bot: tuple[list[str], askback.Index],
) -> None:
    _, index = bot
    answer = index.ask("what happens when setHeader is given a header that already exists?")
    assert answer.quotes and answer.quotes[0].text == SETS
    assert all(q.kind != "parameters" for q in answer.quotes)
    asked = index.ask("what parameters does message.setHeader take?")
    assert asked.quotes[0].text.startswith("- name ") and "value" in asked.quotes[0].text.split("\n")[1]
    for q in answer.quotes + asked.quotes:
        assert Path(q.article.path).read_text(encoding="utf-8")[q.start : q.end] == q.text


def test_options_and_parameters_questions_may_be_answered_with_a_parameter_list() -> None:
    assert PARAMETERS in wanted_kinds("what options does fs.open take?")
    assert PARAMETERS in wanted_kinds("What does createHash return?")
    assert PARAMETERS not in wanted_kinds("how do I open a file for appending?")


def test_prose_keeps_a_short_typed_list_that_follows_it_apart() -> None:
    prose = "The socket sends its data in full before it closes, and it waits for the peer to read all of it."
    text = f"{prose}\n\n- timeout: int\n"
    passages = [(text[s.start : s.end], s.entries) for s in split_passages(text)]
    assert passages == [(prose, False), ("timeout: int", True)]
