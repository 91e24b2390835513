"""What the ``askback`` command prints while it builds: progress, each document added, the build's summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from askback.cli_teach import taught_summary

__all__ = ["Progress", "say_added", "say_built"]


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def say_built(report: Any, corpus: str | Path) -> None:
    click.echo(
        f"built {report.index}: {report.articles} articles, {report.passages} passages "
        f"({report.reused} reused, {report.embedded} embedded, {report.removed} removed) in {report.seconds:.1f} s"
    )
    if report.unread:
        click.echo(
            f"not read (not corpus files): {', '.join(report.unread)}; add documents with: askback add FILE", err=True
        )
    _say_safety(Path(corpus))
    taught_summary(report)


def _say_safety(corpus: Path) -> None:
    """A safety list is the publisher's choice, and most bots need none: a build mentions it only
    when askback.toml has one, or half of one (red flags without urgent patterns, or the reverse)."""
    from askback.corpus.bot import BOT_FILE, read_bot

    safety = read_bot(corpus).safety
    if safety.red_flags and safety.urgent:
        click.echo(
            f"safety list: {_count(len(safety.red_flags), 'red flag')}, "
            f"{_count(len(safety.urgent), 'urgent pattern')} ({corpus / BOT_FILE})",
            err=True,
        )
    elif safety.red_flags or safety.urgent:
        click.echo(
            f"{corpus / BOT_FILE}: [safety] needs both red_flags and urgent patterns; until it has both, "
            "a message matching a red flag gets no safety block",
            err=True,
        )


def say_added(report: Any) -> None:
    """One line per document: where it went, what was kept and what was left out."""
    for a in report.added:
        by = f" by {a.author}" if a.author else ""
        verb = "unchanged" if a.unchanged else "updated" if a.updated else "added"
        code = f", {a.code_blocks} code samples" if a.code_blocks else ""
        kinds = ", ".join(f"{words} words of {kind}" for kind, words in a.left_out_kinds)
        left = f"left out {kinds}" if kinds else "nothing left out"
        click.echo(f"{verb} {a.corpus_file}: “{a.title}”{by}, {a.words} words kept{code} ({left})")
        if a.replaced:
            click.echo(f"  the text it replaced is kept in {a.replaced}")
    for reason in report.skipped:
        click.echo(f"skipped {reason}", err=True)


class Progress:
    """Says what a build is doing on stderr: in a terminal, a bar with the texts embedded, the rate
    and the time left; otherwise a plain line at every tenth of the work."""

    def __init__(self) -> None:
        self._terminal = sys.stderr.isatty()
        self._bar: Any = None
        self._shown = 0
        self._started = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def stage(self, text: str) -> None:
        click.echo(f"{text} ...", err=True)

    def update(self, done: int, total: int) -> None:
        import time

        if self._terminal:
            if self._bar is None:
                from tqdm import tqdm

                self._bar = tqdm(total=total, unit=" texts", desc="embedding", file=sys.stderr, dynamic_ncols=True)
            self._bar.update(done - self._shown)
            self._shown = done
            return
        if not self._started:
            self._started = time.monotonic()
        tenth = done * 10 // max(total, 1)
        if tenth > self._shown or done == total:
            self._shown = tenth if done < total else 11
            elapsed = max(time.monotonic() - self._started, 1e-6)
            rate = done / elapsed
            left = (total - done) / rate if rate else 0.0
            click.echo(f"embedded {done}/{total} texts, {rate:.0f} a second, about {left:.0f} s left", err=True)
