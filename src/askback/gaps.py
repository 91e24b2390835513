"""``askback gaps``: what readers asked that the articles don't answer, from the question log
(``askback serve --log-questions``) and the vote log.

It reads the logs line by line (a line cut by a crash is counted and passed over) and keeps at most
``DISTINCT`` distinct questions in memory: past that, the questions asked only once so far are let
go (the most asked stay exact). The most asked of the questions refused or answered unsure are
then embedded and grouped by meaning, greedily: a question joins the first group, most asked
first, whose first question is within ``GROUP_ABOVE`` cosine of it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from askback.errors import AskbackError
from askback.index.embedding import Embedder

__all__ = ["Gap", "GapsReport", "Suggestion", "Voted", "gaps", "log_files"]

DISTINCT = 50_000  # distinct questions counted exactly; past this, those asked once are dropped
GROUPED = 2_000  # the most asked unanswered questions grouped by meaning
GROUP_ABOVE = (
    0.6  # cosine to a group's first question to join it: MiniLM paraphrases 0.73-0.89, other subjects below 0.3
)
EXAMPLES = 5
SHOWN = 50  # groups, down-voted answers and suggestions listed at most
LINE_BYTES = 1_000_000  # a longer line is not askback's: passed over, never read whole
QUOTE_CHARS = 160  # of an up-voted quote, the verbatim start a teach command needs


@dataclass(frozen=True)
class Gap:
    """Questions the articles did not answer (or answered unsure), alike in meaning."""

    count: int
    questions: tuple[str, ...]  # the most asked first, up to ``EXAMPLES``
    refused: int
    unsure: int


@dataclass(frozen=True)
class Voted:
    """An answer readers voted down: its question, how often, and what it quoted."""

    question: str
    count: int
    quotes: tuple[str, ...]  # "article: start of the quote"


@dataclass(frozen=True)
class Suggestion:
    """An up-voted question and its first quote, not yet taught: the command that teaches it."""

    question: str
    article: str
    quote: str
    votes: int
    command: str


@dataclass(frozen=True)
class GapsReport:
    questions: int  # logged questions read
    unanswered: int  # of those, refused or unsure
    gaps: tuple[Gap, ...]
    voted_down: tuple[Voted, ...]
    to_teach: tuple[Suggestion, ...]
    unreadable: int  # log lines passed over (cut by a crash, or not askback's)


def log_files(path: Path) -> list[Path]:
    """A log and the full files rotated out of it (``NAME.1``, ``NAME.2``, …), oldest first."""
    numbered = []
    for p in path.parent.glob(path.name + ".*"):
        suffix = p.name[len(path.name) + 1 :]
        if suffix.isdigit():
            numbered.append((int(suffix), p))
    return [p for _, p in sorted(numbered)] + ([path] if path.exists() else [])


def _records(path: Path, unreadable: list[int]) -> Iterator[dict[str, Any]]:
    files = log_files(path)
    if not files:
        raise AskbackError(f"no log at {path}; serve with: askback serve --log-questions {path}")
    for file in files:
        try:
            with file.open("rb") as handle:
                while raw := handle.readline(LINE_BYTES):
                    if len(raw) == LINE_BYTES and not raw.endswith(b"\n"):  # no line askback writes is this long
                        unreadable[0] += 1
                        while (rest := handle.readline(LINE_BYTES)) and not rest.endswith(b"\n"):
                            pass
                        continue
                    try:
                        record = json.loads(raw)
                    except ValueError:
                        unreadable[0] += 1
                        continue
                    if isinstance(record, dict) and isinstance(record.get("question"), str):
                        yield record
                    else:
                        unreadable[0] += 1
        except OSError as exc:
            raise AskbackError(f"cannot read {file} ({exc.strerror})") from None


class _Counts:
    """Counts of distinct keys, at most ``DISTINCT`` kept: past it, the keys seen once are dropped."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, key: str) -> None:
        self.counts[key] += 1
        if len(self.counts) > DISTINCT:
            self.counts = Counter({k: n for k, n in self.counts.items() if n > 1})


def gaps(
    log: str | Path,
    feedback: str | Path | None = None,
    *,
    embedder: Embedder | None = None,
    taught: frozenset[str] = frozenset(),
) -> GapsReport:
    """What readers asked that the articles don't answer, most asked first; with ``feedback``
    (the vote log), the answers voted down and the up-voted pairs not yet taught (``taught``:
    questions already taught, lower-cased)."""
    unreadable = [0]
    total = missed = 0
    unanswered = _Counts()
    how: dict[str, Counter[str]] = {}
    taught_answers: set[str] = set()
    for record in _records(Path(log), unreadable):
        total += 1
        if record.get("taught") and record.get("answer"):
            taught_answers.add(str(record["answer"]))
        out = record.get("outcome")
        asked = [record["question"]] if out in ("refused", "unsure") else []
        asked += [q for q in record.get("unanswered") or [] if isinstance(q, str) and out == "answered"]
        for question in asked:
            missed += 1
            key = " ".join(question.split())
            unanswered.add(key)
            if key in unanswered.counts and len(how) < DISTINCT:
                how.setdefault(key, Counter())["refused" if out != "unsure" else "unsure"] += 1
    groups = _grouped(unanswered.counts, how, embedder)
    down, up = _votes(Path(feedback), unreadable) if feedback else ({}, {})
    voted = sorted(down.values(), key=lambda v: -v.count)[:SHOWN]
    to_teach = [
        _suggestion(question, article, quote, len(answers))
        for question, (article, quote, answers) in sorted(up.items(), key=lambda kv: -len(kv[1][2]))
        if question.casefold() not in taught and not answers & taught_answers
    ][:SHOWN]
    return GapsReport(total, missed, tuple(groups), tuple(voted), tuple(to_teach), unreadable[0])


def _grouped(counts: Counter[str], how: dict[str, Counter[str]], embedder: Embedder | None) -> list[Gap]:
    top = [q for q, _ in counts.most_common(GROUPED)]
    if not top:
        return []
    if embedder is None:
        from askback.index.embedding import OnnxQueryEncoder

        embedder = OnnxQueryEncoder()
    vectors = embedder.encode(top)
    leaders: list[int] = []
    members: list[list[int]] = []
    for i in range(len(top)):
        if leaders:
            cosine = vectors[leaders] @ vectors[i]
            best = int(np.argmax(cosine))
            if cosine[best] >= GROUP_ABOVE:
                members[best].append(i)
                continue
        leaders.append(i)
        members.append([i])
    found = []
    for group in members:
        asked = [top[i] for i in group]
        kinds: Counter[str] = sum((how.get(q, Counter()) for q in asked), Counter())
        found.append(Gap(sum(counts[q] for q in asked), tuple(asked[:EXAMPLES]), kinds["refused"], kinds["unsure"]))
    return sorted(found, key=lambda g: -g.count)[:SHOWN]


def _votes(path: Path, unreadable: list[int]) -> tuple[dict[str, Voted], dict[str, tuple[str, str, set[str]]]]:
    """Each answer's last vote, then the down-voted questions and the up-voted first quotes."""
    last: dict[str, dict[str, Any]] = {}
    for record in _records(path, unreadable):
        if isinstance(record.get("answer"), str) and record.get("vote") in ("up", "down", "none"):
            last[record["answer"]] = record
    down: dict[str, Voted] = {}
    up: dict[str, tuple[str, str, set[str]]] = {}  # question -> first quote's article and start, answer ids
    for answer, record in last.items():
        question = " ".join(record["question"].split())
        quotes = [q for q in record.get("quotes") or [] if isinstance(q, dict)]
        if record["vote"] == "down":
            shown = tuple(f"{q.get('article')}: {_start(str(q.get('text', '')))}" for q in quotes)
            before = down.get(question)
            down[question] = Voted(question, (before.count if before else 0) + 1, shown)
        elif record["vote"] == "up" and quotes and quotes[0].get("text"):
            article, quote = str(quotes[0].get("article", "")), _start(str(quotes[0]["text"]))
            up.setdefault(question, (article, quote, set()))[2].add(answer)
    return down, up


def _start(text: str) -> str:
    """The quote's verbatim start, cut at a word: enough for ``askback teach --quote``."""
    if len(text) <= QUOTE_CHARS:
        return text.strip()
    cut = text[:QUOTE_CHARS]
    return cut[: cut.rfind(" ")].strip() if " " in cut else cut


def _suggestion(question: str, article: str, quote: str, votes: int) -> Suggestion:
    """The up-voted pair with the ``askback teach`` command that accepts it (the quote on one line:
    teaching reads its spaces and line breaks alike)."""
    import shlex

    quote = " ".join(quote.split())
    command = f"askback teach {shlex.quote(question)} --quote {shlex.quote(quote)} --article {shlex.quote(article)}"
    return Suggestion(question, article, quote, votes, command)
