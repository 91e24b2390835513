"""Anyone's articles: the bot's topic, voice and safety list come from its corpus, never from askback."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

import askback
import askback.api
from askback import CorpusError
from askback.cli import main
from conftest import FakeEmbedder, write_article

SEEDS = Path(__file__).resolve().parents[1] / "corpus"
SEED_WORDS = ("acupuncture", "back pain", "your back", "needle")

COMPOST = {
    "home.txt": (
        "title: Composting at Home\npublisher: Garden Club",
        "Getting Started\nA compost heap needs greens and browns in equal parts. "
        "Turn the heap every two weeks so that air reaches the middle.\n"
        "How Long Does It Take?\nA hot heap makes compost in about three months; a cold heap can take a year.\n",
    ),
    "heap.txt": (
        "title: What Goes in a Compost Heap\npublisher: Garden Club",
        "Greens\nVegetable peelings, grass cuttings and coffee grounds are greens.\n"
        "Never Add\nDo not add meat, dairy or pet waste: they attract rats.\n"
        "Safety\nIf you cut yourself while turning the heap and the wound gets red and hot, "
        "see a doctor immediately: soil can carry tetanus.\n",
    ),
}
BOT = 'name = "Heapbot"\ntopic = "composting at home"\n'
SAFETY = (
    "[safety]\nred_flags = ['''\\bwound\\b[^.?!]{0,30}\\b(red|hot|swollen)\\b''']\n"
    "urgent = ['''\\bsee a doctor immediately\\b''']\n"
)


def _compost(tmp_path: Path, bot: str | None = None) -> Path:
    corpus = tmp_path / "compost"
    for name, (header, body) in COMPOST.items():
        write_article(corpus, name, header, body)
    if bot is not None:
        (corpus / "askback.toml").write_text(bot, encoding="utf-8")
    return corpus


def _index(tmp_path: Path, embedder: FakeEmbedder, bot: str | None = None) -> askback.Index:
    corpus = _compost(tmp_path, bot)
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    return askback.load_index(tmp_path / "ix", embedder=embedder)


def _no_seed_words(text: str) -> None:
    for word in SEED_WORDS:
        assert word not in text.lower(), (word, text)


def test_without_a_bot_file_it_speaks_of_its_own_articles(tmp_path: Path, embedder: FakeEmbedder) -> None:
    index = _index(tmp_path, embedder)
    voice = index.voice
    greeting = index.ask("hi").markdown
    assert "these 2 articles: “What Goes in a Compost Heap” and “Composting at Home”" in greeting  # corpus order
    said = [greeting, index.ask("what can you do?").markdown, index.ask("bye").markdown, voice.placeholder]
    said += [voice.preview, voice.intro, voice.name, str(index.info)]
    with pytest.raises(askback.QuestionError) as empty:
        index.ask("   ")
    said.append(str(empty.value))
    for text in said:
        _no_seed_words(text)
    assert voice.disclaimer == "" and index.info.topic == "" and index.info.articles == 2


def test_a_topic_names_the_bot_and_its_texts(tmp_path: Path, embedder: FakeEmbedder) -> None:
    index = _index(tmp_path, embedder, BOT)
    assert index.ask("hello").markdown.startswith("Hello! I answer questions about composting at home")
    assert index.voice.placeholder == "Ask about composting at home" and index.voice.name == "Heapbot"
    with pytest.raises(askback.QuestionError, match="Please type a question about composting at home"):
        index.ask("")
    assert index.info.name == "Heapbot" and index.info.version == askback.__version__ and index.info.built_at


def test_a_red_flag_gets_no_safety_block_without_a_list(tmp_path: Path, embedder: FakeEmbedder) -> None:
    index = _index(tmp_path, embedder, BOT)
    answer = index.ask("My legs are numb and I can't control my bladder, what is wrong with me?")
    assert not any(p.red_flags for p in answer.parts)
    assert "serious symptoms" not in answer.markdown


def test_with_a_list_the_corpus_own_urgent_passage_comes_first(tmp_path: Path, embedder: FakeEmbedder) -> None:
    index = _index(tmp_path, embedder, BOT + SAFETY)
    answer = index.ask("I cut my hand turning the heap and now the wound is red. How often should I turn it?")
    assert answer.parts[0].red_flags == ("wound is red",)
    assert "see a doctor immediately" in answer.quotes[0].text
    # The seed's back-pain list is not this bot's: numb legs are not its red flag.
    assert not index.ask("My legs are numb, how long does a heap take?").parts


def test_the_seed_bot_keeps_its_words_and_its_list() -> None:
    from askback.corpus.bot import read_bot

    bot = read_bot(SEEDS)
    assert bot.topic == "acupuncture for back pain" and len(bot.safety.red_flags) == 12
    assert bot.safety.red_flags_in("my legs feel weak") == ("legs feel weak",)


@pytest.mark.parametrize(
    ("bot", "says"),
    [
        ('name = "x\n', "askback.toml: not valid TOML"),
        ('name = "x"\ncolour = "red"\n', "askback.toml:2: colour: unknown key"),
        ("topic = 3\n", "askback.toml:1: topic: must be text"),
        ('name = "x"\n\n[safety]\nred_flags = ["(unclosed"]\n', "askback.toml:4: safety.red_flags: the pattern"),
        ('[safety]\nurgent = "now"\n', "askback.toml:2: safety.urgent: must be a list"),
        ('[safety]\nred_flag = ["x"]\n', "askback.toml:2: safety.red_flag: unknown key"),
        ("safety = 1\n", "askback.toml:1: safety: must be a table"),
    ],
)
def test_a_bad_bot_file_fails_build_and_add_and_keeps_the_index(
    tmp_path: Path, embedder: FakeEmbedder, bot: str, says: str
) -> None:
    corpus = _compost(tmp_path, BOT)
    askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    before = {p.name: p.read_bytes() for p in (tmp_path / "ix").iterdir()}
    (corpus / "askback.toml").write_text(bot, encoding="utf-8")
    with pytest.raises(CorpusError, match=re.escape(says)):
        askback.build_index(corpus, tmp_path / "ix", embedder=embedder)
    extra = write_article(tmp_path / "new", "extra.txt", "title: Leaf Mould", "Leaves rot slowly into leaf mould.\n")
    with pytest.raises(CorpusError, match=r"askback\.toml"):
        askback.add_documents([extra], corpus, tmp_path / "ix", embedder=embedder)
    assert {p.name: p.read_bytes() for p in (tmp_path / "ix").iterdir()} == before
    assert sorted(p.name for p in corpus.iterdir()) == ["askback.toml", "heap.txt", "home.txt"]


GUIDE = {
    "install.md": "# Installing Tallyho\n\nRun the installer, then sign in with your account.\n",
    "reports.md": "# Tallyho Reports\n\nA report sums the hours of each project by week.\n",
}


def test_a_bot_on_software_hears_of_the_safety_list_once_at_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())
    monkeypatch.chdir(tmp_path)
    for name, text in GUIDE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    made = runner.invoke(main, ["init", "guide", *GUIDE])
    assert made.exit_code == 0, made.output
    said = [line for line in made.output.splitlines() if "safety" in line]
    assert said == ["no safety list (most bots need none): guide/corpus/askback.toml says how to add one"]
    toml = (tmp_path / "guide" / "corpus" / "askback.toml").read_text(encoding="utf-8")
    section = toml[toml.index("# ---- Safety list") :]
    assert "Delete this section if your articles are not about health" in section.splitlines()[0]
    assert "chest pain" not in toml[: toml.index("# ---- Safety list")]  # the health example stays in it
    (tmp_path / "more.md").write_text("# Tallyho Exports\n\nExport a report as CSV.\n", encoding="utf-8")
    for args in (
        ["build", "--corpus", "guide/corpus", "--index", "guide/index"],
        ["add", "more.md", "--corpus", "guide/corpus", "--index", "guide/index"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "safety" not in result.output, result.output


def test_build_names_a_safety_list_or_half_of_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())
    corpus = _compost(tmp_path, BOT + SAFETY)
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "i")])
    assert result.exit_code == 0 and "safety list: 1 red flag, 1 urgent pattern (" in result.stderr
    (corpus / "askback.toml").write_text(BOT + SAFETY.split("urgent")[0], encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "i")])
    assert result.exit_code == 0 and "needs both red_flags and urgent patterns" in result.stderr
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    result = CliRunner().invoke(main, ["build", "--corpus", str(seeds), "--index", str(tmp_path / "s")])
    assert result.exit_code == 0 and "safety list:" in result.stderr


def test_init_makes_a_bot_from_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())
    monkeypatch.setattr(askback.api, "_QUERIES", FakeEmbedder())
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# Composting at Home\n\nTurn the heap every two weeks.\n", encoding="utf-8")
    (docs / "b.md").write_text("# What Goes in a Compost Heap\n\nCoffee grounds are greens.\n", encoding="utf-8")
    bot = tmp_path / "bot"
    result = CliRunner().invoke(main, ["init", str(bot), str(docs / "a.md"), str(docs / "b.md")])
    assert result.exit_code == 0, result.output
    assert f"next: askback serve --index {bot / 'index'}" in result.stdout
    toml = (bot / "corpus" / "askback.toml").read_text(encoding="utf-8")
    assert 'topic = "composting"' in toml and "# [safety]" in toml
    index = askback.load_index(bot / "index", embedder=FakeEmbedder())
    assert index.voice.topic == "composting" and len(index.articles) == 2
    again = CliRunner().invoke(main, ["init", str(bot)])
    assert again.exit_code == 1 and "exists and is not empty" in again.stderr


def test_init_that_fails_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())
    result = CliRunner().invoke(main, ["init", str(tmp_path / "bot"), str(tmp_path / "missing.md")])
    assert result.exit_code == 1 and not (tmp_path / "bot").exists()


def test_the_page_and_the_api_name_the_bot(tmp_path: Path, embedder: FakeEmbedder) -> None:
    from askback.serve.server import create_app

    index = _index(tmp_path, embedder, BOT)
    app = create_app(index, tmp_path / "feedback.jsonl")

    async def fetch() -> tuple[str, dict[str, object]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            page = (await client.get("/")).text
            info = (await client.get("/api/info")).json()
        return page, info

    page, info = asyncio.run(fetch())
    assert '"title":"Heapbot"' in page and 'property="og:title" content="Heapbot"' in page
    assert "Answers about composting at home" in page and "Ask about composting at home" in page
    _no_seed_words(page.split("<script")[0])
    assert info == {
        "name": "Heapbot",
        "topic": "composting at home",
        "articles": 2,
        "built_at": index.info.built_at,
        "version": askback.__version__,
    }


def test_no_word_of_the_seed_topic_is_in_the_code() -> None:
    source = Path(askback.__file__).parent
    for path in [*source.rglob("*.py"), *source.rglob("*.js"), *source.rglob("*.css")]:
        _no_seed_words(path.read_text(encoding="utf-8"))
