"""Starting a new bot in a folder: a corpus with a commented ``askback.toml``, the documents
added, the index built."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from askback.api import AddReport, add_documents, build_index
from askback.index.embedding import Embedder

__all__ = ["InitReport", "init_bot"]


@dataclass(frozen=True)
class InitReport:
    """What ``init_bot`` made: the corpus and index folders, the bot file, and the added articles."""

    corpus: str
    index: str
    bot_file: str
    topic: str
    added: AddReport | None  # None when no documents were given: the index is built by the first add


def init_bot(
    folder: str | Path,
    paths: Sequence[str | Path] = (),
    *,
    embedder: Embedder | None = None,
    progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> InitReport:
    """Start a new FAQ bot in ``folder``: ``corpus/`` with a commented ``askback.toml`` (its topic
    guessed from what all the documents share), the documents added as by ``add_documents``, and
    ``index/`` built from them.

    Raises:
        BuildError: ``folder`` exists and is not empty.
        CorpusError, BuildError: as for ``add_documents``; the new folder is removed again.
    """
    import shutil

    from askback.corpus.bot import BOT_FILE, starter_file
    from askback.corpus.files import load_corpus
    from askback.corpus.topic import guess_topic
    from askback.errors import BuildError

    root = Path(folder)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise BuildError(f"{root} exists and is not empty; choose a new folder for the bot")
    corpus, index = root / "corpus", root / "index"
    made = not root.exists()
    try:
        corpus.mkdir(parents=True)
        added = (
            add_documents(paths, corpus, index, embedder=embedder, progress=progress, stage=stage) if paths else None
        )
        documents = load_corpus(corpus) if added else []
        topic = guess_topic([(d.article.title, d.text[d.body_start :]) for d in documents])
        (corpus / BOT_FILE).write_text(starter_file(topic), encoding="utf-8")
        if added:  # records the bot in the index; every vector is reused
            build_index(corpus, index, embedder=embedder)
    except BaseException:
        shutil.rmtree(root if made else corpus, ignore_errors=True)
        shutil.rmtree(index, ignore_errors=True)
        raise
    return InitReport(str(corpus), str(index), str(corpus / BOT_FILE), topic, added)
