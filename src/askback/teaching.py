"""Teaching askback: record that a question is answered by a passage of an article.

The pairs live in the corpus's ``taught.jsonl`` (corpus/taught.py); a build records them in the
index (index/taught.py), and a question close to a taught one gets the taught passage first
(answer/taught.py). Every check runs before the file is written: a quote not in its article is a
one-line error naming the closest passage, and a file of pairs is taught whole or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from askback.corpus.files import Document, load_corpus
from askback.corpus.taught import (
    TaughtPair,
    articles_holding,
    checked_pair,
    find_quote,
    read_taught,
    same_question,
    write_taught,
)
from askback.errors import CorpusError
from askback.index.build import BuildReport, passages_of
from askback.index.embedding import Embedder
from askback.records import shorten
from askback.search.words import tokenize

__all__ = ["TeachReport", "forget", "taught", "teach", "teach_from"]

MAX_TEACH_LINES = 100_000


@dataclass(frozen=True)
class TeachReport:
    """What a teaching did: pairs written, the questions they answer, items skipped because their
    gold is empty (questions the articles don't answer) or because their quote is in several
    articles and the item names none of them; and the rebuild, when an index was given."""

    taught: int
    questions: int
    skipped_empty: int = 0
    ambiguous: int = 0
    build: BuildReport | None = None


def taught(corpus: str | Path = "corpus") -> tuple[TaughtPair, ...]:
    """The corpus's taught pairs, in the order they were taught."""
    return read_taught(Path(corpus))


def teach(
    question: str,
    quote: str,
    article: str | None = None,
    corpus: str | Path = "corpus",
    index: str | Path | None = None,
    *,
    embedder: Embedder | None = None,
) -> TeachReport:
    """Teach that ``question`` is answered by the passage of ``article`` holding ``quote``
    (verbatim; spaces and line breaks may differ). The question's earlier pairs are replaced.

    Args:
        article: the article's id (its file name without ``.txt``); default the one article whose
            text holds the quote.
        index: rebuild this index afterwards (only the new question is embedded).

    Raises:
        CorpusError: the quote is not in the article (the message names the closest passage), is in
            several articles and none is named, or the question or quote is empty or too long.
    """
    folder = Path(corpus)
    documents = load_corpus(folder)
    pair = _resolved(checked_pair(question, article or "", quote, "teach"), documents, named=article is not None)
    return _write(folder, [pair], index, embedder)


def teach_from(
    path: str | Path,
    corpus: str | Path = "corpus",
    index: str | Path | None = None,
    *,
    embedder: Embedder | None = None,
) -> TeachReport:
    """Teach every question of a question set: JSON lines ``{"question": ..., "gold": [[article,
    text], ...]}`` (an evaluation set as it is). Each gold text becomes a pair; a message of
    several questions (``"parts"``) teaches each part. Items with empty gold are skipped and counted;
    a gold article id that is not a corpus article's is looked up by its text.

    Raises:
        CorpusError: a line is not such an object, or a gold text is in no article (naming the
            line and the closest passage). Nothing is taught then.
    """
    source = Path(path)
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{source}: cannot read it as UTF-8 text ({exc})") from None
    if len(lines) > MAX_TEACH_LINES:
        raise CorpusError(f"{source}: {len(lines):,} lines; teach at most {MAX_TEACH_LINES:,} at once")
    folder = Path(corpus)
    documents = load_corpus(folder)
    ids = {d.article.id for d in documents}
    pairs: list[TaughtPair] = []
    empty = ambiguous = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}, line {number}"
        for question, gold in _items(line, where):
            if not gold:
                empty += 1
                continue
            for aid, text in gold:
                named = aid in ids
                try:
                    pairs.append(_resolved(checked_pair(question, aid if named else "", text, where), documents, named))
                except _Ambiguous:
                    ambiguous += 1
    return _write(folder, pairs, index, embedder, empty, ambiguous)


def forget(question: str, corpus: str | Path = "corpus", index: str | Path | None = None) -> int:
    """Remove ``question``'s pairs (case and spacing aside); returns how many were removed.
    ``index``: rebuild it afterwards."""
    folder = Path(corpus)
    pairs = read_taught(folder)
    kept = [p for p in pairs if not same_question(p.question, question)]
    if len(kept) != len(pairs):
        write_taught(folder, kept)
        if index is not None:
            from askback.api import build_index

            build_index(folder, index)
    return len(pairs) - len(kept)


class _Ambiguous(CorpusError):
    """The quote is in several articles and none is named."""


def _items(line: str, where: str) -> Iterable[tuple[str, list[tuple[str, str]]]]:
    """The questions of one question-set line, each with its gold (article id, text) pairs."""
    try:
        item = json.loads(line)
    except ValueError:
        raise CorpusError(
            f'{where}: not a JSON object; each line is {{"question": ..., "gold": [[article, text]]}}'
        ) from None
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        raise CorpusError(f'{where}: expected {{"question": ..., "gold": [[article, text], ...]}}')
    parts = item.get("parts") or [[item["question"], item.get("gold") or []]]
    for entry in parts:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], list)):
            raise CorpusError(f"{where}: each part is [question, [[article, text], ...]]")
        gold = entry[1]
        if not all(isinstance(g, list) and len(g) == 2 and all(isinstance(x, str) for x in g) for g in gold):
            raise CorpusError(f"{where}: gold is a list of [article, text] pairs of strings")
        yield str(entry[0]), [(g[0], g[1]) for g in gold]


def _resolved(pair: TaughtPair, documents: list[Document], named: bool) -> TaughtPair:
    """The pair with its article found and its quote checked against the article's text."""
    texts = {d.article.id: (d.text, d.body_start) for d in documents}
    if named:
        if pair.article not in texts:
            known = ", ".join(list(texts)[:8]) + (", ..." if len(texts) > 8 else "")
            raise CorpusError(f"{pair.question!r}: no article “{pair.article}” in the corpus (its articles: {known})")
        if find_quote(pair.quote, *texts[pair.article]) is None:
            closest = _closest(pair.quote, [d for d in documents if d.article.id == pair.article])
            raise CorpusError(f"the quote “{shorten(pair.quote, 60)}” is not in {pair.article} verbatim; {closest}")
        return pair
    holding = articles_holding(pair.quote, texts)
    if not holding:
        raise CorpusError(
            f"the quote “{shorten(pair.quote, 60)}” is in no article verbatim; {_closest(pair.quote, documents)}"
        )
    if len(holding) > 1:
        raise _Ambiguous(
            f"the quote “{shorten(pair.quote, 60)}” is in {len(holding)} articles ({', '.join(holding[:4])}); "
            "name one with --article"
        )
    return TaughtPair(pair.question, holding[0], pair.quote)


def _closest(quote: str, documents: list[Document]) -> str:
    """Names the passage sharing most of the quote's words, to copy the quote from."""
    words = set(tokenize(quote))
    best, share = None, -1.0
    for doc in documents:
        for p in passages_of(doc):
            shared = len(words & set(tokenize(p.text))) / max(len(words), 1)
            if shared > share:
                best, share = p, shared
    if best is None:
        return "the corpus has no passages"
    where = f"{best.article.id} › {best.heading}" if best.heading else best.article.id
    return f"the closest passage is {where}: “{shorten(best.text, 100)}”"


def _write(
    corpus: Path,
    new: list[TaughtPair],
    index: str | Path | None,
    embedder: Embedder | None,
    empty: int = 0,
    ambiguous: int = 0,
) -> TeachReport:
    """Add ``new`` to the corpus's pairs, replacing the earlier pairs of its questions; rebuild."""
    asked = [p.question for p in new]
    kept = [p for p in read_taught(corpus) if not any(same_question(p.question, q) for q in asked)]
    unique = list(dict.fromkeys(new))
    write_taught(corpus, [*kept, *unique])
    report = None
    if index is not None:
        from askback.api import build_index

        report = build_index(corpus, index, embedder=embedder)
    return TeachReport(len(unique), len({p.question for p in unique}), empty, ambiguous, report)
