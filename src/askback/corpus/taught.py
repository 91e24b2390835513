"""Taught questions: the publisher's own "this question is answered by this passage", kept in one
file beside ``askback.toml`` so they are versioned with the articles.

``taught.jsonl`` holds one JSON object a line: ``{"question": ..., "article": ID, "quote": TEXT}``.
The quote is the article's text, verbatim; the build finds the passage that holds it. A pair whose
quote is no longer in its article is reported stale by the build and not used: it is never moved to
another passage in silence. The file is rewritten whole (a temporary file renamed over it), so a
crash leaves the old file or the new one, never half of each.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from askback.config import MAX_QUESTION_CHARS
from askback.errors import CorpusError

__all__ = ["QUOTE_CHARS", "TAUGHT_FILE", "TaughtPair", "find_quote", "read_taught", "write_taught"]

TAUGHT_FILE = "taught.jsonl"
QUOTE_CHARS = 2000  # a passage is at most 1,000 characters; a quote may run across two
TAUGHT_FILE_BYTES = 50_000_000
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class TaughtPair:
    """``question`` is answered by the passage of article ``article`` that holds ``quote``."""

    question: str
    article: str
    quote: str


def same_question(a: str, b: str) -> bool:
    """Two wordings of a taught question are one when they differ only in case and spacing."""
    return _SPACE.sub(" ", a).strip().casefold() == _SPACE.sub(" ", b).strip().casefold()


def checked_pair(question: object, article: object, quote: object, where: str) -> TaughtPair:
    """A pair with its texts checked; a CorpusError names ``where`` and what is wrong."""
    if not isinstance(question, str) or not question.strip():
        raise CorpusError(f"{where}: the question is empty or not text")
    if not isinstance(quote, str) or not quote.strip():
        raise CorpusError(f"{where}: the quote is empty or not text")
    if not isinstance(article, str):
        raise CorpusError(f"{where}: the article id is not text")
    if len(question) > MAX_QUESTION_CHARS:
        raise CorpusError(f"{where}: the question is {len(question):,} characters; at most {MAX_QUESTION_CHARS:,}")
    if len(quote) > QUOTE_CHARS:
        raise CorpusError(
            f"{where}: the quote is {len(quote):,} characters; quote at most {QUOTE_CHARS:,}, "
            "the sentence that answers is enough"
        )
    return TaughtPair(" ".join(question.split()), article, quote.strip())


def read_taught(corpus: Path) -> tuple[TaughtPair, ...]:
    """The corpus's taught pairs, in file order; none when it has no ``taught.jsonl``.

    Raises:
        CorpusError: the file is not a regular UTF-8 file of JSON lines in the format above; the
            message names the file and the line.
    """
    path = corpus / TAUGHT_FILE
    if not os.path.lexists(path):
        return ()
    if path.is_symlink() or not path.is_file():
        raise CorpusError(f"{path}: not a regular file; replace it with the taught questions' file or remove it")
    if path.stat().st_size > TAUGHT_FILE_BYTES:
        raise CorpusError(f"{path}: larger than {TAUGHT_FILE_BYTES:,} bytes; split the corpus")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    pairs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            record = json.loads(line)
        except ValueError:
            raise CorpusError(f'{where}: not a JSON object; each line is {{"question", "article", "quote"}}') from None
        if not isinstance(record, dict):
            raise CorpusError(f'{where}: not a JSON object; each line is {{"question", "article", "quote"}}')
        pairs.append(checked_pair(record.get("question"), record.get("article", ""), record.get("quote"), where))
    return tuple(pairs)


def write_taught(corpus: Path, pairs: Iterable[TaughtPair]) -> None:
    """Replace the corpus's taught pairs (the file goes when none are left)."""
    path = corpus / TAUGHT_FILE
    lines = [
        json.dumps({"question": p.question, "article": p.article, "quote": p.quote}, ensure_ascii=False) + "\n"
        for p in pairs
    ]
    if not lines:
        path.unlink(missing_ok=True)
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=corpus, prefix=".taught-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.writelines(lines)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise CorpusError(f"cannot write {path} ({exc.strerror}); the taught questions are unchanged") from None


def find_quote(quote: str, text: str, body_start: int = 0) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text``'s body: verbatim, or with its spaces and line breaks written
    differently (a quote copied from a rendered page). None when it is not there."""
    at = text.find(quote, body_start)
    if at >= 0:
        return at, at + len(quote)
    words = quote.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    found = pattern.search(text, body_start)
    return (found.start(), found.end()) if found else None


def articles_holding(quote: str, texts: Mapping[str, tuple[str, int]]) -> list[str]:
    """The ids of the articles (id -> text and body start) whose body holds ``quote``."""
    return [aid for aid, (text, start) in texts.items() if find_quote(quote, text, start)]
