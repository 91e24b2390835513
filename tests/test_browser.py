"""The chat in a real browser: ask, follow up, open a citation, go off-topic (Playwright + chromium)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: .ci/run installs it with apt-get")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    port = free_port()
    feedback = tmp_path_factory.mktemp("fb") / "feedback.jsonl"
    env = {**os.environ, "ASKBACK_FEEDBACK": str(feedback), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    process = subprocess.Popen(
        [sys.executable, "-m", "askback.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("askback serve did not answer within 90 s")
    yield url, feedback
    process.terminate()
    process.wait(timeout=20)


def test_chat_in_a_browser(server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.goto(url, wait_until="load")
        box = page.locator("#askback-question textarea")
        expect(box).to_be_visible(timeout=30_000)
        chat = page.locator("#askback-chat")

        box.fill("How many sessions does NICE recommend?")
        box.press("Enter")
        expect(chat).to_contain_text("up to 10 sessions", timeout=30_000)
        expect(chat).to_contain_text("What Science Says About Acupuncture for Chronic Back Pain")

        box.fill("over how many weeks?")  # only answerable from the first turn
        box.press("Enter")
        expect(chat.locator(".message").last).to_contain_text("5–8 weeks", timeout=30_000)

        page.locator("#askback-citations label").first.click()
        hit = page.locator("#askback-hit")
        expect(hit).to_be_visible(timeout=30_000)
        expect(hit).to_contain_text("up to 10 sessions")
        expect(hit).to_be_in_viewport()
        Path(ROOT / "artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "artifacts" / "chat.png"), full_page=True)

        box.fill("What's the weather like in London?")
        box.press("Enter")
        expect(chat).to_contain_text("The articles don't cover that", timeout=30_000)
        browser.close()


def test_script_in_a_question_is_shown_as_text(server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(url, wait_until="load")
        box = page.locator("#askback-question textarea")
        expect(box).to_be_visible(timeout=30_000)
        box.fill("<script>window.pwned = 1</script> $$x^2$$ *bold*")
        box.press("Enter")
        expect(page.locator("#askback-chat")).to_contain_text("<script>window.pwned = 1</script>", timeout=30_000)
        assert page.evaluate("window.pwned === undefined")
        assert page.locator("#askback-chat .katex").count() == 0
        browser.close()


def test_a_javascript_url_in_an_article_header_does_not_run(tmp_path: Path) -> None:
    """The source panel's HTML for an article whose header says url: javascript:..., clicked in chromium."""
    from playwright.sync_api import sync_playwright

    from askback.records import Article
    from askback.ui import ChatApp

    corpus = tmp_path / "a.txt"
    corpus.write_text("---\ntitle: A\nurl: javascript:window.ran=1\n---\nNeedles.\n", encoding="utf-8")
    article = Article("a", "A", str(corpus), url="javascript:window.ran=1")

    class OneFile:
        def article_file(self, _: Article) -> Path:
            return corpus

    app = ChatApp.__new__(ChatApp)
    app.index = OneFile()  # type: ignore[assignment]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.set_content(app.article_html(article, []))
        page.get_by_text("javascript:window.ran=1").click()
        assert page.evaluate("window.ran === undefined") and page.locator("a").count() == 0
        browser.close()


def test_the_server_accepts_no_uploads(server: tuple[str, Path]) -> None:
    url, _ = server
    part = b'Content-Disposition: form-data; name="files"; filename="a.html"\r\n\r\n<script>1</script>'
    body = b"--x\r\n" + part + b"\r\n--x--\r\n"
    request = urllib.request.Request(
        url + "gradio_api/upload", data=body, headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
