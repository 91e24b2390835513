"""In a real browser: a question taught by the publisher, asked in other words, is answered with
the taught passage first."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import askback
from conftest import start_serve
from test_browser import CHROMIUM, FLAGS, WAIT, ask

ROOT = Path(__file__).resolve().parents[1]
TAUGHT = "Can acupuncture help with neck pain?"
PARAPHRASE = "Does acupuncture help neck pain too?"
QUOTE = "with solid evidence for chronic low back pain, knee osteoarthritis, migraines, and neck pain"

if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def taught_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``askback serve`` on a copy of the shipped bot with one question taught."""
    folder = tmp_path_factory.mktemp("taught")
    shutil.copytree(ROOT / "corpus", folder / "corpus")
    shutil.copytree(ROOT / "index", folder / "index")
    askback.teach(TAUGHT, QUOTE, corpus=folder / "corpus", index=folder / "index")
    process, url = start_serve("--index", str(folder / "index"), env={"ASKBACK_FEEDBACK": str(folder / "fb.jsonl")})
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_a_paraphrase_of_a_taught_question_gets_the_taught_passage_first(taught_server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page: Any = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(taught_server, wait_until="load")
            expect(page.locator("#askback-question textarea")).to_be_visible(timeout=WAIT)
            reply = ask(page, PARAPHRASE)
            first = reply.locator("blockquote").first
            expect(first).to_contain_text(QUOTE, timeout=WAIT)
        finally:
            browser.close()
