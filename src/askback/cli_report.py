"""What the ``askback`` command prints while it builds: progress, each document added, the build's summary."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from askback.cli_teach import taught_summary
from askback.corpus.files import left_out_text

__all__ = ["Progress", "say_added", "say_built", "say_read"]


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


_SHOWN_READ = 50  # a first build of a large corpus names this many articles, then counts the rest


def say_read(report: Any) -> None:
    """One line per article a build read anew: what it keeps, and what its document's conversion
    left out (``askback add`` records that in the file's header)."""
    for a in report.read[:_SHOWN_READ]:
        code = _code_samples(a.code_blocks)
        kinds = left_out_text(a.left_out_kinds)
        left = f"left out {kinds}" if kinds else "nothing left out"
        click.echo(f"read {a.corpus_file}: “{a.title}”, {a.words} words kept, {a.passages} passages{code} ({left})")
    if len(report.read) > _SHOWN_READ:
        click.echo(f"read {len(report.read) - _SHOWN_READ} more articles")


def _shown(path: str) -> str:
    """A path as the user would type it here: relative when it is below the working folder."""
    relative = os.path.relpath(path)
    return relative if not relative.startswith("..") else path


def say_built(report: Any, corpus: str | Path) -> None:
    """The articles the build removed (their files are gone), then its summary."""
    for a in report.gone[:_SHOWN_READ]:
        title = f": “{a.title}”" if a.title else ""
        click.echo(f"removed {_shown(a.corpus_file)}{title} (its file is gone)")
    if len(report.gone) > _SHOWN_READ:
        click.echo(f"removed {len(report.gone) - _SHOWN_READ} more articles")
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
        code = _code_samples(a.code_blocks)
        kinds = left_out_text(a.left_out_kinds)
        left = f"left out {kinds}" if kinds else "nothing left out"
        click.echo(f"{verb} {a.corpus_file}: “{a.title}”{by}, {a.words} words kept{code} ({left})")
        if a.replaced:
            click.echo(f"  the text it replaced is kept in {a.replaced}")
        if a.same_title:
            click.echo(
                f"  {a.same_title} has the same title; to update that article instead, add the document from "
                f"the path it was added from, or delete {a.same_title} and run askback build",
                err=True,
            )
        if not a.prose:
            click.echo(
                f"  {a.source} has no sentence of its own, only a title and short lines (a cover page?); "
                "found in a folder it would be skipped",
                err=True,
            )
    for reason in report.skipped:
        click.echo(f"skipped {reason}", err=True)


class Progress:
    """Says what a build is doing on stderr: in a terminal, a bar with the texts embedded, the rate
    and the time left; otherwise a plain line at every tenth of the work."""

    def __init__(self) -> None:
        self._terminal = sys.stderr.isatty()
        self._bar: Any = None
        self._shown = 0
        self._first: tuple[float, int] | None = None  # (when, texts done) at the first update
        self._last = (0.0, 0)  # (when, texts done) at the last line shown

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def stage(self, text: str) -> None:
        click.echo(f"{text} ...", err=True)

    def update(self, done: int, total: int) -> None:
        """``done`` of ``total`` texts are embedded. The first call comes after the first batch
        (and the model's loading): rates are measured from there, on the texts done since."""
        import time

        now = time.monotonic()
        if self._terminal:
            if self._bar is None:
                from tqdm import tqdm

                self._bar = tqdm(
                    total=total, initial=done, unit=" texts", desc="embedding", file=sys.stderr, dynamic_ncols=True
                )
            else:
                self._bar.update(done - self._shown)
            self._shown = done
            return
        if self._first is None:
            self._first = self._last = (now, done)
        tenth = done * 10 // max(total, 1)
        if tenth > self._shown or done == total:
            self._shown = tenth if done < total else 11
            # Texts are embedded shortest first, so each costs more than the one before: the time
            # left comes from the rate since the last line, the last line gives the whole rate.
            since, before = self._first if done == total else self._last
            self._last = (now, done)
            if now > since and done > before:
                rate = (done - before) / (now - since)
                left = f", about {(total - done) / rate:.0f} s left" if done < total else ""
                pace = f", {rate:.0f} a second{left}"
            else:
                pace = ""
            click.echo(f"embedded {done}/{total} texts{pace}", err=True)


def _code_samples(count: int) -> str:
    """", 3 code samples" after a document's words kept; nothing when it has none."""
    return f", {count} code sample{'s' if count != 1 else ''}" if count else ""
