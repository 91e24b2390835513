"""Measuring answers against a question set with gold passages (JSONL, one question per line).

Each line: ``{"id", "kind", "question", "history": [...], "gold": [[article, passage text], ...]}`` where
kind is single, multi or followup (in scope), out (the articles don't answer), near (close to the
articles' subject, but they don't answer it: reported, as abstaining there is hard), or smalltalk. A quote
holds a gold passage when it contains a run of at least 60% of the gold passage's words, in order.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from askback.errors import AskbackError
from askback.records import Passage

if TYPE_CHECKING:
    from askback.api import Index

__all__ = ["Question", "Report", "evaluate", "foreign", "holds", "load_questions", "summary"]

IN_SCOPE = ("single", "multi", "followup")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    question: str
    history: tuple[str, ...]
    gold: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Report:
    questions: int
    hit1: float
    hit3: float
    mrr: float
    coverage: float
    false_abstain: float
    out_abstain: float
    near_abstain: float | None  # None when the set has no near-domain questions
    smalltalk_ok: float
    integrity: float
    quote_words_p50: float
    latency_ms_p50: float
    latency_ms_p95: float
    misses: tuple[str, ...]


FORMAT_HINT = (
    'each line is {"id", "kind", "question", "history": [earlier questions], "gold": [[article, text]]}; '
    'README.md, "Question sets", explains each field'
)


def load_questions(path: Path) -> list[Question]:
    """Read a question set; an error names the line and what is wrong with it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AskbackError(f"{path}: cannot read the question set ({exc})") from None
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            history = r.get("history", [])
            if not isinstance(history, list) or not all(isinstance(t, str) for t in history):
                raise ValueError('"history" must be a list of earlier questions, not a single string')
            questions.append(
                Question(r["id"], r["kind"], r["question"], tuple(history), tuple(map(tuple, r.get("gold", ()))))
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise AskbackError(f"{path}, line {number}: not a question ({exc}); {FORMAT_HINT}") from None
    return questions


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def holds(quote: str, gold: str) -> bool:
    return _held(normalise(quote), gold)


def _unfound(index: Index, questions: Sequence[Question]) -> tuple[str, ...]:
    """The ids of the questions with gold passages, none of which any of ``index``'s articles holds:
    written for other articles, they cannot be answered here and would score as misses."""
    texts = []
    for article in index.articles:
        try:
            texts.append(normalise(index.article_text(article)))
        except OSError:
            continue  # gone since the build: it quotes nothing either
    return tuple(q.id for q in questions if q.gold and not any(_held(t, g) for t in texts for _, g in q.gold))


def foreign(index: Index, questions: Sequence[Question], set_name: str, index_name: str) -> tuple[str, ...]:
    """The ids of the questions whose gold passages no article of ``index`` holds: they score as
    misses. A set where that is every answerable question was written for other articles and is
    refused: its figures would say the bot fails, not that the set does not fit."""
    lost = _unfound(index, questions)
    if lost and len(lost) == sum(1 for q in questions if q.gold):
        raise AskbackError(
            f"{set_name} quotes none of the articles of the index at {index_name}: pass a question set "
            'written for this bot (README.md, "Question sets"), or the --index it was written for'
        )
    return lost


def _held(normalised: str, gold: str) -> bool:
    words = normalise(gold).split()
    need = max(min(4, len(words)), math.ceil(0.6 * len(words)))
    return any(" ".join(words[i : i + need]) in normalised for i in range(len(words) - need + 1))


def rank_of(quotes: Sequence[Passage], gold: Sequence[tuple[str, str]]) -> int | None:
    return next((n for n, p in enumerate(quotes, 1) if any(holds(p.text, g) for _, g in gold)), None)


def evaluate(index: Index, questions: Sequence[Question]) -> Report:
    """Ask every question and score the answers; the first call warms the model up and is not timed."""
    index.ask("warm up")
    ranks: list[int | None] = []
    coverage, times, words = [], [], []
    abstained: dict[str, list[bool]] = {}
    talk_ok, verbatim, quotes_seen, misses = [], 0, 0, []
    texts: dict[str, str] = {}
    for q in questions:
        started = time.perf_counter()
        answer = index.ask(q.question, q.history)
        times.append((time.perf_counter() - started) * 1000)
        abstained.setdefault(q.kind, []).append(answer.abstained)
        for p in answer.quotes:
            quotes_seen += 1
            words.append(len(p.text.split()))
            path = p.article.path
            if path not in texts:
                texts[path] = index.article_text(p.article)
            verbatim += texts[path][p.start : p.end] == p.text
        if q.kind in IN_SCOPE:
            rank = rank_of(answer.quotes, q.gold)
            ranks.append(rank)
            if rank is None or rank > 3:
                misses.append(q.id)
        if q.kind == "multi":
            wanted = {a for a, _ in q.gold}
            found = {a for a, g in q.gold if any(holds(p.text, g) for p in answer.quotes)}
            coverage.append(len(found) / len(wanted))
        if q.kind == "smalltalk":
            talk_ok.append(not answer.quotes and not answer.abstained)
    times.sort()
    in_scope = [a for k in IN_SCOPE for a in abstained.get(k, [])]
    return Report(
        questions=len(questions),
        hit1=_share(r == 1 for r in ranks),
        hit3=_share(r is not None and r <= 3 for r in ranks),
        mrr=round(sum(1 / r for r in ranks if r) / len(ranks), 3) if ranks else 0.0,
        coverage=round(statistics.mean(coverage), 3) if coverage else 0.0,
        false_abstain=_share(in_scope),
        out_abstain=_share(abstained.get("out", [])),
        near_abstain=_share(abstained["near"]) if "near" in abstained else None,
        smalltalk_ok=_share(talk_ok),
        integrity=round(verbatim / quotes_seen, 3) if quotes_seen else 1.0,
        quote_words_p50=statistics.median(words) if words else 0.0,
        latency_ms_p50=round(statistics.median(times), 2) if times else 0.0,
        latency_ms_p95=round(times[min(len(times) - 1, int(0.95 * len(times)))], 2) if times else 0.0,
        misses=tuple(misses),
    )


def _share(flags: object) -> float:
    values = list(flags)  # type: ignore[call-overload]
    return round(sum(values) / len(values), 3) if values else 0.0


METRICS = {
    "questions": "questions",
    "hit1": "gold passage quoted first (hit@1)",
    "hit3": "gold passage among the first three quotes (hit@3)",
    "mrr": "mean reciprocal rank of the gold passage (MRR)",
    "coverage": "share of the gold articles quoted, several-source questions",
    "false_abstain": "answerable questions refused (lower is better)",
    "out_abstain": "off-topic questions refused",
    "near_abstain": "on-subject questions the articles don't answer, refused",
    "smalltalk_ok": "greetings and thanks answered without quotes",
    "integrity": "quotes that are exactly the article's text at their offsets",
    "quote_words_p50": "median quote length, words",
    "latency_ms_p50": "median time to answer, ms",
    "latency_ms_p95": "95th percentile time to answer, ms",
}


def summary(report: Report, questions: Sequence[Question]) -> str:
    """The report as ``askback eval`` prints it: a metric a line, then the missed questions."""
    lines = [
        f"{label:<58} {'-' if getattr(report, name) is None else getattr(report, name)}"
        for name, label in METRICS.items()
    ]
    if report.misses:
        asked = {q.id: q.question for q in questions}
        lines += ["", f"missed ({len(report.misses)}): no quote of the gold passage among the first three"]
        lines += [f"  {miss}: {asked[miss]}" for miss in report.misses]
    return "\n".join(lines)
