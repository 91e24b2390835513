"""``askback teach`` and ``askback gaps``: the publisher's loop. Serve with a question log, see what
readers asked that the articles don't answer (``gaps``), teach the answers that exist (``teach``),
rebuild (``build``)."""

from __future__ import annotations

import dataclasses
import json
import shlex
from typing import Any

import click

__all__ = ["gaps_command", "taught_summary", "teach_command"]


@click.command(name="teach", short_help="Teach which passage answers a question; list or remove taught ones.")
@click.argument("question", required=False)
@click.option("--quote", default=None, help="Text of the answering passage, verbatim (a sentence of it is enough).")
@click.option("--article", default=None, help="The article's id (file name without .txt); default: the one holding it.")
@click.option(
    "--from", "from_file", default=None, type=click.Path(dir_okay=False), help="Teach a question set (JSONL)."
)
@click.option("--list", "listing", is_flag=True, help="List the taught questions.")
@click.option("--remove", default=None, metavar="QUESTION", help="Remove a taught question.")
@click.option(
    "--corpus", default="corpus", show_default=True, help="Corpus folder; the pairs live in its taught.jsonl."
)
@click.option("--index", "index_path", default=None, help="Rebuild this index afterwards (else run askback build).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def teach_command(
    question: str | None,
    quote: str | None,
    article: str | None,
    from_file: str | None,
    listing: bool,
    remove: str | None,
    corpus: str,
    index_path: str | None,
    as_json: bool,
) -> None:
    """Teach that QUESTION is answered by the passage holding --quote, verbatim, in --article.
    A reader's question close in meaning to QUESTION then gets that passage as its first quote once
    the index is rebuilt. The pairs are kept in the corpus's taught.jsonl, with the articles.

    \b
    askback teach "Can I compost citrus peel?" --quote "citrus peel breaks down slowly"
    askback teach --from questions.jsonl     (an evaluation set: question and gold)
    askback teach --list
    askback teach --remove "Can I compost citrus peel?"
    """
    from askback import teaching
    from askback.errors import AskbackError

    chosen = sum(bool(x) for x in (question, from_file, listing, remove))
    if chosen != 1:
        raise AskbackError("give a QUESTION with --quote, or one of --from FILE, --list, --remove QUESTION")
    if listing:
        pairs = teaching.taught(corpus)
        if as_json:
            click.echo(json.dumps([dataclasses.asdict(p) for p in pairs], ensure_ascii=False))
        for p in [] if as_json else pairs:
            click.echo(f"{p.question}\n  {p.article}: “{' '.join(p.quote.split())}”")
        return
    if remove:
        removed = teaching.forget(remove, corpus, index_path)
        if not removed:
            raise AskbackError(f"“{remove}” is not a taught question; see them with: askback teach --list")
        click.echo(json.dumps({"removed": removed}) if as_json else f"removed {removed} taught pair(s) of “{remove}”")
        _next_step(corpus, index_path, as_json)
        return
    if from_file:
        report = teaching.teach_from(from_file, corpus, index_path)
    else:
        if not quote:
            raise AskbackError("give the answering text with --quote, copied from the article")
        report = teaching.teach(str(question), quote, article, corpus, index_path)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False))
        return
    click.echo(f"taught {report.taught} pair(s) for {report.questions} question(s)")
    if report.skipped_empty:
        click.echo(f"skipped {report.skipped_empty} question(s) with no gold: the articles don't answer them")
    if report.ambiguous:
        click.echo(f"skipped {report.ambiguous} quote(s) found in several articles with none named")
    if report.build:
        click.echo(f"rebuilt {report.build.index}")
        taught_summary(report.build)
    _next_step(corpus, index_path, as_json)


def _next_step(corpus: str, index_path: str | None, as_json: bool) -> None:
    if index_path is None and not as_json:
        where = f" --corpus {shlex.quote(corpus)}" if corpus != "corpus" else ""
        click.echo(f"answers use it once the index is rebuilt: askback build{where}")


def taught_summary(report: Any) -> None:
    """The build's taught pairs: how many it uses, and each stale one on stderr."""
    if report.taught:
        click.echo(f"taught questions: {report.taught} pair(s) used")
    for line in report.stale_taught:
        click.echo(f"stale taught pair, not used: {line}", err=True)


@click.command(name="gaps", short_help="What readers asked that the articles don't answer.")
@click.option("--log", "log", required=True, help="The question log (askback serve --log-questions FILE).")
@click.option("--feedback", default=None, help="The vote log, for answers voted down and up-voted pairs to teach.")
@click.option("--corpus", default=None, help="Corpus folder: its taught questions are not suggested again.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def gaps_command(log: str, feedback: str | None, corpus: str | None, as_json: bool) -> None:
    """Report, most asked first: the questions the articles did not answer or answered unsure,
    grouped by meaning; the answers readers voted down; and the up-voted question → quote pairs
    not yet taught, each as the askback teach command that accepts it. Rotated log files
    (FILE.1, FILE.2, ...) are read too."""
    from askback.gaps import gaps
    from askback.teaching import taught

    known = frozenset(p.question.casefold() for p in taught(corpus)) if corpus else frozenset()
    report = gaps(log, feedback, taught=known)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False))
        return
    click.echo(f"{report.questions} questions logged, {report.unanswered} not answered or answered unsure")
    if report.unreadable:
        click.echo(f"({report.unreadable} unreadable log lines passed over)")
    if report.gaps:
        click.echo("\nasked, not answered (most asked first):")
    for gap in report.gaps:
        how = ", ".join(f"{n} {kind}" for kind, n in (("refused", gap.refused), ("unsure", gap.unsure)) if n)
        click.echo(f"  {gap.count}× ({how})")
        for question in gap.questions:
            click.echo(f"    - {question}")
    if report.voted_down:
        click.echo("\nanswers voted down:")
    for voted in report.voted_down:
        click.echo(f"  {voted.count}× {voted.question}")
        for quote in voted.quotes:
            click.echo(f"    quoted {quote}")
    if report.to_teach:
        click.echo("\nup-voted answers not yet taught (run to teach, then askback build):")
    for s in report.to_teach:
        click.echo(f"  {s.votes}× {s.command}")
