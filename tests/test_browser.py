"""The chat in a real browser (Playwright + Debian's chromium) against a running ``askback serve``:
what a person sees, clicks and copies, at desktop, wide and phone sizes and in dark mode."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import askback

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOO_LONG = "why " * 1100
SEVERAL = "Is acupuncture safe? Does it hurt? How many sessions will I need?"
WAIT = 30_000

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: .ci/run installs it with apt-get")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def open_chat(browser: Any, server: tuple[str, Path]) -> Iterator[Any]:
    """A fresh tab on the chat (keyword arguments go to the browser context), its textbox ready."""
    from playwright.sync_api import expect

    contexts = []

    def opened(**options: Any) -> Any:
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        contexts.append(context)
        page = context.new_page()
        page.goto(server[0], wait_until="load")
        expect(page.locator("#askback-question textarea")).to_be_visible(timeout=WAIT)
        return page

    yield opened
    for context in contexts:
        context.close()


def ask(page: Any, question: str) -> Any:
    """Type a question, press Enter and wait for its reply; the reply's locator."""
    from playwright.sync_api import expect

    replies = page.locator('#askback-chat [data-testid="bot"]')
    before = replies.count()
    box = page.locator("#askback-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(replies).to_have_count(before + 1, timeout=WAIT)
    return replies.nth(before)


def past_the_page_check(page: Any) -> None:
    """Let the page post a message over the limit, as a client without its script would: the
    server's own refusal is what is tested then."""
    page.evaluate("window.ASKBACK_LIMIT = 1e9")


def records(feedback: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in feedback.read_text().splitlines()] if feedback.exists() else []


def test_ask_follow_up_and_read_the_source_in_context(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat(viewport={"width": 1440, "height": 900})
    first = ask(page, "How many sessions does NICE recommend?")
    expect(first).to_contain_text("up to 10 sessions")
    expect(first).to_contain_text("What Science Says About Acupuncture for Chronic Back Pain")
    expect(ask(page, "over how many weeks?")).to_contain_text("5–8 weeks")  # only answerable from turn one
    hit = page.locator("#askback-hit")
    expect(hit).to_be_in_viewport(timeout=WAIT)
    # Wide screen: the source panel is beside the chat, not under it.
    chat, side = page.locator("#askback-chat").bounding_box(), page.locator("#askback-side").bounding_box()
    assert side["x"] >= chat["x"] + chat["width"] and side["y"] < chat["y"] + chat["height"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))
    expect(ask(page, "What's the weather like in London?")).to_contain_text("The articles don't cover that")


def test_an_older_answers_citation_opens_its_own_source(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    first = ask(page, "How much does a session cost?")
    first_source = first.locator(".askback-cite").first.inner_text()
    ask(page, "What did the Cochrane review find?")
    first.locator(".askback-cite").first.click()
    title = first_source.split("] ", 1)[1].split(" (", 1)[0]
    expect(page.locator("#askback-sources-title")).to_contain_text("How much does a session cost?", timeout=WAIT)
    expect(page.locator("#askback-source h2")).to_have_text(title)
    expect(page.locator("#askback-hit")).to_be_in_viewport()


def test_a_quote_copies_verbatim_with_its_source(open_chat: Any, server: tuple[str, Path]) -> None:
    import httpx

    page = open_chat(permissions=["clipboard-read", "clipboard-write"])
    reply = ask(page, "How much does a session cost?")
    reply.locator(".askback-copy").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    quote = httpx.post(server[0] + "api/ask", json={"question": "How much does a session cost?"}).json()["quotes"][0]
    assert copied.startswith(quote["text"] + "\n— " + quote["article"]["title"])
    assert "\\" not in copied and "$" in copied  # "$75", never "\$75"


def test_a_quote_shows_its_section_heading_and_an_inferred_title_says_so(open_chat: Any) -> None:
    from playwright.sync_api import expect

    reply = ask(open_chat(), "What did the Cochrane review find?")
    expect(reply.locator(".askback-heading").first).to_contain_text("Cochrane Review (2020)")
    expect(reply).to_contain_text(
        "What Science Says About Acupuncture for Chronic Back Pain (title from its first line"
    )


def test_the_source_panel_shows_headings_and_steps_through_highlights(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    ask(page, SEVERAL)
    source = page.locator("#askback-source")
    expect(source.locator("h3").first).to_be_visible(timeout=WAIT)
    marks = source.locator("mark.askback-first")
    for choice in page.locator("#askback-citations label").all():  # an article quoted more than once
        choice.click()
        if marks.count() > 1:
            break
    assert marks.count() > 1
    expect(source.locator("mark.askback-current")).to_have_count(1)
    best = source.locator("mark.askback-current").inner_text()
    page.locator("#askback-next").click()
    expect(source.locator("mark.askback-current")).not_to_have_text(best)
    expect(source.locator("mark.askback-current")).to_be_in_viewport()


def test_a_new_answer_is_shown_from_its_start(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat(viewport={"width": 1280, "height": 700})
    ask(page, "How much does a session cost?")
    reply = ask(page, SEVERAL)
    expect(reply.locator(".askback-part").first).to_be_in_viewport(timeout=WAIT)


def test_feedback_lands_on_the_answer_voted_on_even_after_an_error_reply(
    open_chat: Any, server: tuple[str, Path]
) -> None:
    feedback = server[1]
    page = open_chat()
    ask(page, "How much does a session cost?")
    past_the_page_check(page)
    ask(page, TOO_LONG)
    ask(page, "Is acupuncture safe?")
    like = page.locator('#askback-chat button[aria-label^="Like"]').last  # "Like", or "Liked" once pressed
    dislike = page.locator('#askback-chat button[aria-label^="Dislike"]').last
    before = len(records(feedback))
    like.click()
    page.wait_for_timeout(500)
    dislike.click()  # a changed mind
    page.wait_for_timeout(500)
    dislike.click()  # and taken back
    page.wait_for_timeout(1000)
    mine = records(feedback)[before:]
    assert [(r["question"], r["vote"]) for r in mine] == [("Is acupuncture safe?", v) for v in ("up", "down", "none")]
    assert len({r["answer"] for r in mine}) == 1


def test_clear_forgets_the_conversation_and_its_sources(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    ask(page, "How many sessions does NICE recommend?")
    page.locator('#askback-chat button[aria-label="Clear the conversation"]').click()
    expect(page.locator("#askback-citations")).to_be_hidden(timeout=WAIT)
    expect(page.locator("#askback-source mark")).to_have_count(0)
    expect(ask(page, "over how many weeks?")).not_to_contain_text("5–8 weeks")  # not a follow-up any more
    page.locator("#askback-new").click()
    expect(page.locator('#askback-chat [data-testid="bot"]')).to_have_count(0, timeout=WAIT)


def test_a_refused_question_keeps_its_text_and_an_empty_box_posts_nothing(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    ask(page, "How much does a session cost?")
    suggestions = page.locator(".askback-suggestion:visible").count()
    past_the_page_check(page)
    reply = ask(page, TOO_LONG)
    expect(reply).to_contain_text("too long")
    expect(page.locator("#askback-question textarea")).to_have_value(TOO_LONG)
    assert suggestions and page.locator(".askback-suggestion:visible").count() == suggestions
    messages = page.locator("#askback-chat .message").count()
    expect(ask(page, "   ")).to_contain_text("Please type a question")  # spaces: asked for a question
    assert page.locator("#askback-chat .message").count() == messages + 1  # no empty bubble for them
    page.locator("#askback-question textarea").fill("")
    page.locator("#askback-question textarea").press("Enter")
    page.wait_for_timeout(1000)
    assert page.locator("#askback-chat .message").count() == messages + 1


def test_dark_mode_keeps_the_highlight_readable(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat(color_scheme="dark")
    ask(page, "How many sessions does NICE recommend?")
    expect(page.locator("#askback-hit")).to_be_visible(timeout=WAIT)
    ratio = page.evaluate(
        """() => {
        const style = getComputedStyle(document.querySelector('#askback-hit'));
        const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05); }"""
    )
    assert ratio >= 4.5  # WCAG AA for body text
    page.screenshot(path=str(ARTIFACTS / "chat-dark.png"))


def test_the_chat_grows_with_the_window(open_chat: Any) -> None:
    heights = [
        open_chat(viewport={"width": 1280, "height": tall}).locator("#askback-chat").bounding_box()["height"]
        for tall in (800, 1200)
    ]
    assert heights[1] - heights[0] >= 300


def test_on_a_phone_the_question_box_and_send_are_on_the_first_screen(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    for element in ("#askback-question textarea", "#askback-send"):
        box = page.locator(element).bounding_box()
        assert box["y"] + box["height"] <= 844
    page.locator("#askback-question textarea").fill("How much does a session cost?")
    page.locator("#askback-send").click()
    expect(page.locator("#askback-chat")).to_contain_text("$75", timeout=WAIT)
    page.screenshot(path=str(ARTIFACTS / "chat-phone.png"))
    # The sources are below the chat on a phone: a citation takes the reader down to them.
    page.locator("#askback-chat .askback-cite").first.click()
    expect(page.locator("#askback-hit")).to_be_in_viewport(timeout=WAIT)


def test_the_page_keeps_nothing_in_the_browser_and_has_no_share_button(open_chat: Any) -> None:
    page = open_chat()
    ask(page, "Is acupuncture safe for my sciatica?")
    page.wait_for_timeout(500)
    stored = page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert "sciatica" not in stored and stored == "[[],[]]"
    assert page.locator('#askback-chat button[aria-label="Share"]').count() == 0
    assert page.evaluate("document.querySelector('link[rel~=icon]').href").endswith("favicon.ico")
    warned: list[str] = []
    page.on("dialog", lambda dialog: (warned.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)  # the conversation lives only in this tab: leaving asks first
    page.wait_for_timeout(500)
    assert warned == ["beforeunload"]


def test_a_screen_reader_hears_the_words_not_the_markup(open_chat: Any) -> None:
    from playwright.sync_api import expect

    reply = ask(open_chat(), "How much does a session cost?")
    expect(reply).to_have_attribute("aria-label", re.compile(r"^bot's message: \[1\] .*\$75", re.DOTALL), timeout=WAIT)
    assert "<" not in reply.get_attribute("aria-label")


def test_script_in_a_question_is_shown_as_text(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    reply = ask(page, "<script>window.pwned = 1</script> $$x^2$$ *bold*")
    expect(page.locator("#askback-chat")).to_contain_text("<script>window.pwned = 1</script> $$x^2$$ *bold*")
    assert reply and page.evaluate("window.pwned === undefined")
    assert page.locator("#askback-chat .katex, #askback-chat em:has-text('bold')").count() == 0


def test_a_javascript_url_in_an_article_header_does_not_run(browser: Any, tmp_path: Path) -> None:
    """The source panel's HTML for an article whose header says url: javascript:..., clicked in chromium."""
    from askback.records import Article
    from askback.serve.chat import ChatApp

    corpus = tmp_path / "a.txt"
    corpus.write_text("---\ntitle: A\nurl: javascript:window.ran=1\n---\nNeedles.\n", encoding="utf-8")
    article = Article("a", "A", str(corpus), url="javascript:window.ran=1")

    class OneFile:
        def article_text(self, _: Article) -> str:
            return corpus.read_text(encoding="utf-8")

    app = ChatApp.__new__(ChatApp)
    app.index = OneFile()  # type: ignore[assignment]
    page = browser.new_page()
    page.set_content(app.article_html(article, []))
    page.get_by_text("javascript:window.ran=1").click()
    assert page.evaluate("window.ran === undefined") and page.locator("a").count() == 0
    page.close()


def test_an_unsure_answer_says_so_and_an_offered_article_opens_in_the_panel(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    unsure = ask(page, "Can teenagers get acupuncture?")
    expect(unsure).to_contain_text("None of the articles mentions “teenagers”, so they may not answer this")
    expect(unsure.locator(".askback-quote")).to_have_count(1)
    offers = unsure.locator(".askback-offers .askback-cite")
    expect(unsure).to_contain_text("Also discussed in:")
    assert offers.count() >= 1
    offer = offers.last
    title = offer.inner_text().split("] ", 1)[1].split(" (", 1)[0].split(" › ", 1)[0]
    offer.click()
    expect(page.locator("#askback-source h2")).to_have_text(title, timeout=WAIT)
    expect(page.locator("#askback-hit")).to_be_in_viewport(timeout=WAIT)  # the offered passage, highlighted


def test_every_citation_of_three_answers_in_a_row_jumps_to_its_quote(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat(viewport={"width": 1280, "height": 720})
    clicked = 0
    for question in ("Is acupuncture safe?", "How many sessions does NICE recommend?", "Does acupuncture hurt?"):
        reply = ask(page, question)
        for n in range(reply.locator(".askback-cite").count()):
            cite = reply.locator(".askback-cite").nth(n)
            title = cite.inner_text().split("] ", 1)[1].split(" (", 1)[0].split(" › ", 1)[0].removesuffix(" says:")
            cite.click()
            clicked += 1
            expect(page.locator("#askback-source h2")).to_have_text(title, timeout=WAIT)
            current = page.locator("#askback-article mark.askback-current")
            expect(current).to_have_count(1, timeout=WAIT)
            expect(current).to_be_in_viewport(timeout=WAIT)
            expect(page.locator("#askback-count")).to_have_text(re.compile(r"^\d+ / \d+$"), timeout=WAIT)
            quoted = [t.strip() for t in reply.locator(".askback-text").all_inner_texts()]
            if cite.evaluate("b => !b.closest('.askback-offers')"):  # a quote's citation: its quote is current
                assert any(q.startswith(current.inner_text().strip()[:60]) for q in quoted)
    assert clicked >= 6


RED_FLAGS = (
    "I have back pain with numbness in the groin and I can't control my bladder."
    " Is acupuncture safe? How much does a session cost?"
)


def test_every_citation_of_a_red_flag_answer_in_parts_opens_at_its_own_quote(open_chat: Any) -> None:
    page = open_chat(viewport={"width": 1280, "height": 720})
    reply = ask(page, RED_FLAGS)
    expect_current = """([quote, shown]) => {
        const m = document.querySelector('#askback-article mark.askback-current');
        const norm = (t) => t.replace(/\\s+/g, ' ').trim();
        return m && document.querySelector('#askback-article').dataset.shown !== shown
            && norm(m.textContent).length > 0 && norm(quote).startsWith(norm(m.textContent));
    }"""
    # The panel opened by itself: at the answer's first quote.
    first = reply.locator(".askback-text").first.inner_text()
    page.wait_for_function(expect_current, arg=[first, ""], timeout=WAIT)
    citations = reply.locator(".askback-citation .askback-cite")
    assert citations.count() >= 3 and reply.locator(".askback-part").count() >= 2
    for n in range(citations.count()):
        cite = citations.nth(n)
        # The quote below the citation; a "quoted above" citation has none, and opens at its earlier quote.
        quote = cite.evaluate(
            """b => { const q = b.closest('p').nextElementSibling;
                      return q && q.matches('blockquote') ? q.querySelector('.askback-text').textContent : null; }"""
        )
        if quote is None:
            continue
        shown = page.evaluate("() => document.querySelector('#askback-article')?.dataset.shown || ''")
        cite.click()
        page.wait_for_function(expect_current, arg=[quote, shown], timeout=WAIT)


def test_a_too_long_message_is_counted_held_back_and_breaks_nothing(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat(viewport={"width": 1280, "height": 720})
    ask(page, "How much does a session cost?")
    box = page.locator("#askback-question textarea")
    send, new = page.locator("#askback-send"), page.locator("#askback-new")
    height = send.bounding_box()["height"]
    box.fill("why " * 900)  # 3,600 characters: near the limit
    expect(page.locator("#askback-chars")).to_have_text("3,600 / 4,000 characters", timeout=WAIT)
    long_text = "x" * 4500
    box.fill(long_text)
    expect(page.locator("#askback-chars")).to_contain_text("4,500 / 4,000 characters: shorten it", timeout=WAIT)
    messages = page.locator("#askback-chat .message").count()
    box.press("Enter")
    send.click()
    page.wait_for_timeout(1500)
    assert page.locator("#askback-chat .message").count() == messages  # nothing posted
    expect(box).to_have_value(long_text)
    assert send.bounding_box()["height"] <= height * 1.5  # Send keeps its size
    expect(new).to_be_in_viewport()
    expect(page.locator(".askback-suggestion:visible").first).to_be_in_viewport()
    # Past the page's check the server refuses it: a short bubble, and no votes on a reply that is no answer.
    past_the_page_check(page)
    reply = ask(page, long_text)
    expect(reply).to_contain_text("too long")
    bubble = page.locator('#askback-chat [data-testid="user"]').last
    assert len(bubble.inner_text()) < 400
    buttons = "xpath=ancestor::div[contains(@class,'message-row')][1]/following-sibling::div[1]"
    expect(reply.locator(buttons).locator('button[aria-label^="Like"]')).to_be_hidden()
    answered = page.locator('#askback-chat [data-testid="bot"]').first
    expect(answered.locator(buttons).locator('button[aria-label^="Like"]')).to_be_visible()


def test_the_panel_keeps_its_title_and_highlight_controls_in_view_and_gives_the_article_room(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat(viewport={"width": 1280, "height": 720})
    ask(page, "Is acupuncture safe?")
    expect(page.locator("#askback-count")).to_have_text(re.compile(r"^\d+ / \d+$"), timeout=WAIT)
    source = page.locator("#askback-source")
    assert source.bounding_box()["height"] >= 320  # about 230 px before
    source.evaluate("box => { box.scrollTop = box.scrollHeight; }")  # read to the article's end
    page.wait_for_timeout(300)
    for control in ("#askback-source h2", "#askback-next", "#askback-count"):
        box, panel = page.locator(control).bounding_box(), source.bounding_box()
        assert panel["y"] - 1 <= box["y"] <= panel["y"] + panel["height"], control  # still inside the panel's view


def test_controls_have_names_a_screen_reader_user_can_act_on(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    reply = ask(page, "What does a session cost? And is it safe?")
    copies = reply.locator(".askback-copy")
    expect(copies.first).to_have_accessible_name(re.compile(r"^Copy quote 1 from \S"), timeout=WAIT)
    names = copies.evaluate_all("bs => bs.map(b => b.textContent)")
    assert len(names) >= 2 and len(set(names)) == len(names)  # each says which quote it copies
    expect(page.locator('#askback-chat button[aria-label="Clear the conversation"]')).to_have_count(1)
    expect(page.locator("#askback-citations")).to_have_attribute("aria-label", "Sources of this answer")
    radios = page.locator('#askback-citations input[type="radio"]')
    assert radios.count() >= 2 and len(set(radios.evaluate_all("rs => rs.map(r => r.name)"))) == 1  # one Tab stop
    toggle = page.locator("#askback-side button.label-wrap").first
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true", timeout=WAIT)
    # Tab order is reading order: the answer's controls, then the box and its buttons, then the panel.
    page.locator("#askback-header").click()
    order = []
    for _ in range(40):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                "() => { const e = document.activeElement; return e.closest('#askback-side') ? "
                "'panel' : e.closest('#askback-question') ? 'box' : e.closest('#askback-chat') ? "
                "'answer' : e.id || e.tagName; }"
            )
        )
        if order[-1] == "BODY":
            break
    assert order.index("answer") < order.index("box") < order.index("panel")
    # The toggle, the five listed articles (open above), Close, one stop for all the sources, Next highlight.
    assert order.count("panel") <= 9
    box = page.locator("#askback-question textarea")
    box.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard: :focus-visible
    outline = box.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline != "none"


def test_each_suggestion_clicked_is_answered_by_its_own_section(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    clicked: set[str] = set()
    for _ in range(4):
        buttons = page.locator(".askback-suggestion:visible")
        fresh = [t for t in buttons.all_inner_texts() if t not in clicked]
        if not fresh:
            break
        replies = page.locator('#askback-chat [data-testid="bot"]')
        before = replies.count()
        page.locator(".askback-suggestion:visible", has_text=fresh[0]).first.click()
        clicked.add(fresh[0])
        expect(replies).to_have_count(before + 1, timeout=WAIT)
        expect(replies.nth(before).locator(".askback-heading").first).to_contain_text(fresh[0], timeout=WAIT)
    assert len(clicked) >= 3 and "Acupuncture for Back Pain: Does It Work?" not in clicked


def test_small_things_bullets_inside_greeting_clear_dark_current_highlight_distinct(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    chat = page.locator("#askback-chat").bounding_box()
    greeting = page.locator("#askback-chat .placeholder").bounding_box()
    inner = page.locator("#askback-chat .placeholder p").first.bounding_box()
    assert inner["x"] - chat["x"] >= 12 and greeting["width"] > 0  # not flush against the border
    refusal = ask(page, "What's the weather like in Paris today?")
    bubble = refusal.bounding_box()
    for item in refusal.locator("li").all():
        marker_room = item.evaluate("li => parseFloat(getComputedStyle(li.parentElement).paddingLeft)")
        assert marker_room >= 12 and item.bounding_box()["x"] - marker_room >= bubble["x"] - 1
    dark = open_chat(color_scheme="dark")
    ask(dark, "Is acupuncture safe? And how many sessions does NICE recommend?")
    expect(dark.locator("#askback-article mark.askback-current")).to_have_count(1, timeout=WAIT)
    styles = dark.evaluate(
        """() => [...document.querySelectorAll('#askback-article mark')].map(m => {
            const s = getComputedStyle(m);
            return [m.classList.contains('askback-current'), s.backgroundColor, s.outlineStyle];
        })"""
    )
    current = [s for s in styles if s[0]]
    others = [s for s in styles if not s[0]]
    assert current and current[0][2] != "none"  # outlined
    assert all(o[1] != current[0][1] for o in others)


def test_an_article_in_the_list_opens_in_the_panel(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    page.locator("#askback-side button.label-wrap").first.click()
    entry = page.locator(".askback-articles .askback-cite").nth(2)
    expect(entry).to_be_visible(timeout=WAIT)
    title = entry.inner_text().split(" (", 1)[0]
    entry.click()
    expect(page.locator("#askback-source h2")).to_have_text(title, timeout=WAIT)
    expect(page.locator("#askback-article")).not_to_be_empty()


def test_the_conversation_saves_as_markdown_and_prints_whole(open_chat: Any) -> None:
    page = open_chat(viewport={"width": 1280, "height": 720})
    first = ask(page, "How many sessions does NICE recommend?")
    ask(page, "Is acupuncture safe?")
    ask(page, "Does acupuncture hurt?")
    with page.expect_download() as download:
        page.locator("#askback-save").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename == "askback-conversation.md"
    assert "## 3. You asked: “Does acupuncture hurt?”" in saved
    assert first.locator(".askback-text").first.inner_text().strip()[:80] in saved
    page.emulate_media(media="print")
    hidden = page.evaluate("() => getComputedStyle(document.querySelector('#askback-side')).display")
    assert hidden == "none"
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('#askback-chat *')].filter(e =>
            e.scrollHeight > e.clientHeight + 4 && getComputedStyle(e).overflowY !== 'visible').length"""
    )
    assert clipped == 0  # nothing scrolls: the whole conversation is on the printed pages
    pdf = page.pdf()
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2  # more than one screen's worth


def test_nothing_is_requested_from_outside_the_machine_and_answers_come_fast(open_chat: Any) -> None:
    import time

    from playwright.sync_api import expect

    page = open_chat()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2] if "://" in request.url else request.url))
    page.reload(wait_until="load")
    expect(page.locator("#askback-question textarea")).to_be_visible(timeout=WAIT)
    timings = []
    for question in (
        "Is acupuncture safe?",
        "How many sessions does NICE recommend?",
        "Can teenagers get acupuncture?",
    ):
        started = time.perf_counter()
        reply = ask(page, question)
        expect(reply.locator(".askback-cite").first).to_be_visible(timeout=WAIT)
        timings.append(time.perf_counter() - started)
        reply.locator(".askback-cite").last.click()
    page.locator("#askback-save").click()
    page.wait_for_timeout(500)
    assert {h.split(":")[0] for h in hosts if not h.startswith(("blob", "data"))} <= {"127.0.0.1", "localhost"}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "send-to-answer.txt").write_text(" ".join(f"{t:.3f}" for t in timings) + " s\n")  # reported only


OFFERING = ["How does acupuncture help back pain?", "Is acupuncture safe?", "How many sessions will I need?"]


def test_every_offer_opens_at_its_own_passage_never_one_already_quoted(open_chat: Any) -> None:
    from playwright.sync_api import expect

    from askback.answer.layout import layout

    index = askback.load_index(ROOT / "index")
    for question in OFFERING:
        page = open_chat(viewport={"width": 1440, "height": 900})  # a new conversation: no history
        answer = index.ask(question)
        offered = [b.passage for b in layout(answer.quotes, answer.parts, answer.more) if b.role == "offer"]
        assert offered, question
        for passage in offered:  # never a passage the answer already quotes
            assert not any(
                q.article == passage.article and q.start < passage.end and passage.start < q.end for q in answer.quotes
            )
        reply = ask(page, question)
        buttons = reply.locator(".askback-offers .askback-cite")
        expect(buttons).to_have_count(len(offered))
        numbers = [int(b.inner_text()[1 : b.inner_text().index("]")]) for b in buttons.all()]
        assert numbers == sorted(numbers), question  # listed in number order
        for n, passage in enumerate(offered):
            expect(page.locator("#askback-article")).to_have_count(1, timeout=WAIT)
            shown = page.locator("#askback-article").get_attribute("data-shown") or ""
            buttons.nth(n).click()
            expect(page.locator("#askback-article")).not_to_have_attribute("data-shown", shown, timeout=WAIT)
            hit = page.locator("#askback-hit")
            expect(hit).to_be_in_viewport(timeout=WAIT)
            text = hit.text_content() or ""
            assert len(text) > 20 and passage.text.startswith(text), (question, text[:60], passage.text[:60])
            assert text not in {q.text for q in answer.quotes}


def _focus_ring(page: Any) -> tuple[str, float]:
    """The focused control's name and the width of its visible focus ring (its label's, for a radio)."""
    return page.evaluate(
        """() => {
            let el = document.activeElement;
            if (!el.matches('button, input, textarea, select, a[href], summary, [role="button"]')) return ['', 0];
            const name = (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 40);
            if (el.type === 'radio') el = el.closest('label');
            const s = getComputedStyle(el);
            const ring = s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0;
            return [name, ring];
        }"""
    )


def test_every_focusable_control_shows_a_focus_ring_of_two_pixels_or_more(open_chat: Any) -> None:
    page = open_chat(viewport={"width": 1440, "height": 900})
    ask(page, "Is acupuncture safe?")
    page.locator("#askback-header").click()
    seen = {}
    for _ in range(45):
        page.keyboard.press("Tab")
        name, ring = _focus_ring(page)
        if name and name not in ("BODY",):
            seen[name] = ring
    assert len(seen) >= 12, seen
    assert any(name.startswith("[1]") for name in seen), seen  # a source in the panel's list was reached
    assert {name: ring for name, ring in seen.items() if ring < 2} == {}


@pytest.mark.parametrize("size", [(1440, 900), (1280, 720), (390, 844)])
def test_nothing_is_clipped(open_chat: Any, size: tuple[int, int]) -> None:
    width, height = size
    page = open_chat(viewport={"width": width, "height": height})
    ask(page, "How does acupuncture help back pain?")
    ask(page, "Is it safe?")
    page.wait_for_timeout(500)
    found = page.evaluate(
        """() => {
            const doc = document.scrollingElement, box = e => e.getBoundingClientRect();
            const out = {wide: doc.scrollWidth - innerWidth, tall: doc.scrollHeight - innerHeight};
            out.cut = [...document.querySelectorAll('#askback-tools button, #askback-send, .askback-suggestion')]
                .filter(b => b.offsetParent && (box(b).right > innerWidth + 1 || b.scrollWidth > b.clientWidth + 1))
                .map(b => b.textContent.trim());
            const list = document.querySelector('#askback-citations'), lb = box(list);
            out.halfRows = [...list.querySelectorAll('label')].map(box)
                .filter(r => r.top < lb.bottom - 1 && r.bottom > lb.bottom + 1).length;
            const chat = document.querySelector('#askback-chat [role="log"], #askback-chat .bubble-wrap');
            chat.scrollTop = chat.scrollHeight;
            const votes = [...document.querySelectorAll(
                '#askback-chat button[aria-label="Like"], #askback-chat button[aria-label="Dislike"]')].slice(-2);
            const floor = Math.min(box(chat).bottom, innerHeight) + 1;
            out.votes = votes.map(v => box(v).bottom <= floor || doc.scrollHeight > innerHeight);
            const area = document.querySelector('#askback-question textarea'), s = getComputedStyle(area);
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.font = getComputedStyle(area, '::placeholder').font || s.font;
            const room = area.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
            out.placeholder = ctx.measureText(area.placeholder).width - room;
            // On a phone the placeholder keeps the box's font size and wraps: all of it in view.
            out.placeholderSize = getComputedStyle(area, '::placeholder').fontSize === s.fontSize;
            out.placeholderHidden = area.value === '' && area.scrollHeight > area.clientHeight + 1;
            return out;
        }"""
    )
    assert found["wide"] <= 0, found
    if width > 480:  # a desktop window holds the whole page; a phone's page scrolls
        assert found["tall"] <= 1, found
    assert found["cut"] == [] and found["halfRows"] == 0 and all(found["votes"]), found
    assert found["placeholderSize"] and not found["placeholderHidden"], found
    if width > 480:
        assert found["placeholder"] <= 0, found  # on one line


def test_the_refusals_suggestions_are_buttons_that_ask(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat()
    refusal = ask(page, "What's the weather like in Paris today?")
    asks = refusal.locator(".askback-ask")
    assert asks.count() >= 1
    question = asks.first.inner_text()
    replies = page.locator('#askback-chat [data-testid="bot"]')
    before = replies.count()
    asks.first.click()
    expect(replies).to_have_count(before + 1, timeout=WAIT)
    expect(page.locator('#askback-chat [data-testid="user"]').last).to_have_text(question)
    expect(replies.last.locator(".askback-quote").first).to_be_visible(timeout=WAIT)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_defect_and_headings_do_not_skip(open_chat: Any, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_chat(color_scheme=scheme)
    ask(page, "Is acupuncture safe? And how many sessions does NICE recommend?")
    page.locator("#askback-chat .askback-cite").first.click()
    page.wait_for_timeout(800)
    results = Axe().run(page)
    found = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] == "heading-order"
    ]
    assert found == []


def test_a_new_bot_made_by_init_answers_in_the_browser(browser: Any, tmp_path: Path) -> None:
    """From a fresh folder: askback init on two Markdown files, askback serve, one question asked."""
    import subprocess
    import sys

    from playwright.sync_api import expect

    from conftest import start_serve

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "home.md").write_text(
        "# Composting at Home\n\n## How Long Does It Take?\n\n"
        "A hot heap makes compost in about three months; a cold heap can take a year.\n",
        encoding="utf-8",
    )
    (docs / "heap.md").write_text(
        "# What Goes in a Compost Heap\n\n## Greens\n\n"
        "Vegetable peelings, grass cuttings and coffee grounds are greens.\n",
        encoding="utf-8",
    )
    askback_cli = [sys.executable, "-m", "askback.cli"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ASKBACK_FEEDBACK": str(tmp_path / "fb.jsonl")}
    made = subprocess.run(
        [*askback_cli, "init", str(tmp_path / "bot"), str(docs / "home.md"), str(docs / "heap.md")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    assert f"askback serve --index {tmp_path / 'bot' / 'index'}" in made.stdout
    server, url = start_serve("--index", str(tmp_path / "bot" / "index"), env=env)
    try:
        page = browser.new_page()
        page.goto(url, wait_until="load")
        box = page.locator("#askback-question textarea")
        expect(box).to_be_visible(timeout=WAIT)
        assert box.get_attribute("placeholder") == "Ask about composting"
        assert "acupuncture" not in page.content().lower()
        reply = ask(page, "How long does a hot heap take?")
        expect(reply.locator(".askback-quote").first).to_contain_text("about three months", timeout=WAIT)
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_panel_closes_by_keyboard_and_focus_goes_back_to_its_citation(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat(permissions=["clipboard-read", "clipboard-write"])
    reply = ask(page, "Is acupuncture safe?")
    box = page.locator("#askback-question textarea")
    box.focus()
    page.keyboard.press("Shift+Tab")  # one step back from the box: the way to the newest answer
    expect(page.locator("#askback-skip")).to_be_focused()
    expect(page.locator("#askback-skip")).to_be_visible()
    page.keyboard.press("Enter")
    first = reply.locator(".askback-cite").first
    expect(first).to_be_focused()
    article = page.locator("#askback-article")
    expect(article).to_be_visible(timeout=WAIT)  # the panel the answer opened by itself
    before = article.get_attribute("data-shown")
    page.keyboard.press("Enter")
    expect(article).not_to_have_attribute("data-shown", before or "", timeout=WAIT)  # the citation's own render
    expect(article).to_be_visible(timeout=WAIT)
    page.keyboard.press("Escape")
    expect(article).to_be_hidden()
    expect(first).to_be_focused()
    first.click()
    expect(article).to_be_visible(timeout=WAIT)
    close = page.locator("#askback-close")
    expect(close).to_have_accessible_name("Close the source and go back to its citation")
    close.click()
    expect(article).to_be_hidden()
    expect(first).to_be_focused()
    # Copy's mark is said too.
    reply.locator(".askback-copy").first.click()
    expect(page.locator("#askback-live")).to_have_text("Quote 1 copied with its source.", timeout=WAIT)
    expect(page.locator("#askback-live")).to_have_attribute("aria-live", "polite")


def test_the_chosen_source_stays_in_view_with_its_whole_name_on_hover(open_chat: Any) -> None:
    from playwright.sync_api import expect

    page = open_chat(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    reply = ask(page, "Is acupuncture safe?")
    offers = reply.locator(".askback-offers .askback-cite")
    assert offers.count() >= 3
    offers.last.click()
    expect(page.locator("#askback-article")).to_be_visible(timeout=WAIT)
    checked = page.locator("#askback-citations label:has(input:checked)")
    expect(checked).to_have_count(1, timeout=WAIT)
    page.wait_for_timeout(500)
    inside = page.evaluate(
        """() => { const list = document.querySelector('#askback-citations');
                   const label = list.querySelector('label:has(input:checked)');
                   const a = list.getBoundingClientRect(), b = label.getBoundingClientRect();
                   return b.top >= a.top - 1 && b.bottom <= a.bottom + 1; }"""
    )
    assert inside
    for label in page.locator("#askback-citations label").all():
        assert label.get_attribute("title") == label.inner_text().strip()


def test_on_a_phone_every_control_is_on_the_first_screen_without_sideways_scrolling(open_chat: Any) -> None:
    page = open_chat(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.wait_for_timeout(500)
    controls = ["#askback-question textarea", "#askback-send", "#askback-new", "#askback-save"]
    controls += [
        f".askback-suggestion:visible >> nth={n}" for n in range(page.locator(".askback-suggestion:visible").count())
    ]
    for control in controls:
        box = page.locator(control).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844, control
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sizes = page.evaluate(
        """() => { const box = document.querySelector('#askback-question textarea');
                   return [getComputedStyle(box, '::placeholder').fontSize, getComputedStyle(box).fontSize]; }"""
    )
    assert sizes[0] == sizes[1]
