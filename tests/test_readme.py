"""The README followed as a newcomer follows it: every command it shows, run in order as a script in a
fresh clone (set-up done), with the documents its examples name. A command the README shows and a
clone cannot run is a bug of the README or of askback."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from askback.corpus.bot import read_bot
from askback.evaluation import load_questions
from conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
OPTIONAL = re.compile(r"\s\[[^\]]*\]")  # a synopsis's [--option VALUE]: left out, as a newcomer first runs it
WAIT = 120  # seconds for a command; a serve must say its address within this


def _clone(to: Path) -> Path:
    """The files a clone of this repository holds, as they are in this checkout."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, to / name)
    return to


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = Path(sys.prefix)
    if not (venv / "bin" / "askback").exists():
        pytest.skip("the tests do not run in askback's set-up environment")
    folder = _clone(tmp_path_factory.mktemp("clone"))
    (folder / ".venv").symlink_to(venv)  # set-up already done: the environment this suite runs in
    return folder


@pytest.fixture(scope="module")
def env(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from askback.index.embedding import onnx_model_path

    home = tmp_path_factory.mktemp("home")
    _documents(clone, home / "docs")
    kept = {k: v for k, v in os.environ.items() if not k.startswith("ASKBACK_")}
    return {
        **kept,
        "HOME": str(home),
        "PYTHONPATH": str(clone / "src"),  # the clone's own askback
        "ASKBACK_CACHE": str(onnx_model_path().parents[1]),  # the query encoder `askback prepare` exported
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }


def _documents(clone: Path, docs: Path) -> None:
    """The documents the README's examples add: in the clone's root, and in ~/docs."""
    from fpdf import FPDF

    docs.mkdir(parents=True)
    (docs / "composting-at-home.md").write_text(
        "# Composting at Home\n\nTurn the heap every two weeks so that air reaches the middle.\n"
        "A hot heap makes compost in about three months.\n",
        encoding="utf-8",
    )
    (docs / "what-goes-in-a-heap.html").write_text(
        "<html><head><title>What Goes in a Compost Heap</title></head><body><article>"
        "<h1>What Goes in a Compost Heap</h1><p>Vegetable peelings and coffee grounds are greens.</p>"
        "<p>Do not add meat or dairy: they attract rats.</p></article></body></html>",
        encoding="utf-8",
    )
    (clone / "page.html").write_text(
        "<html><head><title>Acupuncture and Sleep</title></head><body><article><h1>Acupuncture and Sleep</h1>"
        "<p>Some people with back pain sleep better during a course of acupuncture.</p></article></body></html>",
        encoding="utf-8",
    )
    (clone / "faq.html").write_text(
        "<html><head><title>Clinic Questions</title></head><body><article><h1>Clinic Questions</h1>"
        "<p>The clinic opens at eight and books sessions of forty minutes.</p></article></body></html>",
        encoding="utf-8",
    )
    (clone / "notes.md").write_text(
        "# Notes on Needles\n\nThe needles are single use and thinner than a hair.\n", encoding="utf-8"
    )
    pdf = FPDF()
    pdf.set_title("A Guide to Heat Packs")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 10, "A heat pack eases a stiff back for about twenty minutes at a time.")
    pdf.output(str(clone / "guide.pdf"))


def _commands(block: str) -> list[str]:
    """A bash block's commands, each continued line joined."""
    return [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]


class _Served:
    """The ``askback serve`` the README last started, until the next one replaces it."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self, command: str, clone: Path, env: dict[str, str]) -> None:
        self.stop()
        self.port = free_port()
        self.process = subprocess.Popen(
            ["bash", "-c", f"exec {command} --port {self.port}"],
            cwd=clone,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert self.process.stderr is not None
        said = []
        for raw in self.process.stderr:  # ends when the process does
            said.append(raw.decode())
            if raw.startswith(b"askback chat on "):
                # Ready means ready: the page and the API answer at once, with no retry.
                address = raw.decode().split()[-1]
                assert address == f"http://127.0.0.1:{self.port}"
                with urllib.request.urlopen(f"{address}/api/info", timeout=10) as response:
                    assert response.status == 200 and json.load(response)["articles"] > 0
                return
        pytest.fail(f"{command} stopped before it served: {''.join(said)}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def served() -> Iterator[_Served]:
    server = _Served()
    yield server
    server.stop()


def _run(command: str, clone: Path, env: dict[str, str]) -> str:
    done = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, timeout=WAIT, check=False)
    assert done.returncode == 0, f"{command}\n{done.stderr.decode()}"
    return done.stdout.decode()


def test_every_command_of_the_readme_runs_in_a_fresh_clone(
    clone: Path, env: dict[str, str], served: _Served, tmp_path: Path
) -> None:
    ran = []
    for language, block in BLOCK.findall(README):
        if language == "python":
            _run(f"PYTHONWARNINGS=ignore .venv/bin/python - <<'EOF'\n{block}EOF", clone, env)
            ran.append("python")
        elif language == "toml":
            corpus = tmp_path / "toml"
            corpus.mkdir()
            (corpus / "askback.toml").write_text(block, encoding="utf-8")
            assert read_bot(corpus).safety.red_flags
        elif language == "json":
            (tmp_path / "set.jsonl").write_text(" ".join(block.split()), encoding="utf-8")
            assert load_questions(tmp_path / "set.jsonl")[0].gold
        elif language == "bash":
            for line in _commands(block):
                steps = [s for s in line.split(" && ") if not s.startswith("bash scripts/setup.sh")]
                if any("pytest" in s for s in steps):
                    continue  # the checks and this very suite: what runs this test
                for step in steps:
                    if step.startswith(".venv/bin/askback"):
                        step = OPTIONAL.sub("", step)
                    step = step.replace("127.0.0.1:7860", f"127.0.0.1:{served.port}")
                    if " serve" in step.split("#")[0]:
                        served.start(step.split("#")[0].strip(), clone, env)
                    elif step.startswith("chromium") and not shutil.which("chromium"):
                        continue
                    elif step.startswith("curl"):
                        assert "error" not in json.loads(_run(step, clone, env))
                    else:
                        _run(step, clone, env)
                    ran.append(step.split("#")[0].strip())
    assert "python" in ran and any(step.startswith("curl") for step in ran)
    assert sum(" serve" in step for step in ran) == 4
    assert (clone / "chat.png").exists() or not shutil.which("chromium")
    assert any(step.startswith(".venv/bin/askback eval") for step in ran)
    assert (clone / "mybot" / "index" / "manifest.json").exists()
