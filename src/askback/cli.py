"""The ``askback`` command: a thin layer that turns library errors into one line and an exit code."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys
from typing import Any

import click

from askback.config import DEFAULT_HOST, DEFAULT_PORT, INDEX_ENV, VERSION, feedback_log_path
from askback.errors import AskbackError


class _Commands(click.Group):
    """Every failure ends as one line on stderr and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AskbackError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            click.echo(f"error: unexpected {type(exc).__name__}: {exc}", err=True)
            sys.exit(2)


def _index_option(f: Any) -> Any:
    return click.option(
        "--index",
        "index_path",
        default=None,
        help=f"Index folder (default: ${INDEX_ENV}, else ./index, else the shipped index).",
    )(f)


def _json_option(f: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(f)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="askback")
def main() -> None:
    """A FAQ bot that answers only by quoting its articles, verbatim, naming which article said what."""


@main.command(short_help="Rebuild the index from the corpus, embedding only what changed.")
@click.option("--corpus", default="corpus", show_default=True, help="Folder of article files (*.txt).")
@click.option(
    "--index", "index_path", default=None, help=f"Where to write the index (default: ${INDEX_ENV} or ./index)."
)
@click.option("--full", is_flag=True, help="Embed every passage again instead of reusing unchanged ones.")
@_json_option
def build(corpus: str, index_path: str | None, full: bool, as_json: bool) -> None:
    """Rebuild the index from the corpus, embedding only what changed; the old index stays until the
    new one is complete."""
    from askback.api import build_index

    with _Progress() as bar:
        report = build_index(corpus, _write_target(index_path), progress=bar.update, full=full, stage=bar.stage)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report)))
    else:
        _summary(report)


def _write_target(index_path: str | None) -> str:
    """The index that build and add write: --index, else $ASKBACK_INDEX, else ./index."""
    return index_path or os.environ.get(INDEX_ENV) or "index"


def _summary(report: Any) -> None:
    click.echo(
        f"built {report.index}: {report.articles} articles, {report.passages} passages "
        f"({report.reused} reused, {report.embedded} embedded, {report.removed} removed) in {report.seconds:.1f} s"
    )
    if report.unread:
        click.echo(
            f"not read (not corpus files): {', '.join(report.unread)}; add documents with: askback add FILE", err=True
        )
    if not report.safety_list:
        click.echo(
            "no safety list: the corpus's askback.toml gives no [safety] red_flags and urgent patterns, "
            "so a message describing serious symptoms gets no safety block",
            err=True,
        )
    taught_summary(report)


@main.command(short_help="Add web pages, Markdown, PDF or text files as articles.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--corpus", default="corpus", show_default=True, help="Corpus folder to add the articles to.")
@click.option("--index", "index_path", default=None, help=f"Index to rebuild (default: ${INDEX_ENV} or ./index).")
@_json_option
def add(files: tuple[str, ...], corpus: str, index_path: str | None, as_json: bool) -> None:
    """Add FILES (.html/.htm saved pages, .md, .pdf, .txt) to the corpus as articles, then rebuild
    the index. Each becomes one corpus file with the article's own text and stated metadata; a
    document stating the address of an article already in the corpus updates its file, keeping the
    old text in the corpus's .askback-replaced/ folder. Nothing is written unless all can be added."""
    from askback.api import add_documents

    with _Progress() as bar:
        report = add_documents(files, corpus, _write_target(index_path), progress=bar.update, stage=bar.stage)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report)))
        return
    for a in report.added:
        by = f" by {a.author}" if a.author else ""
        verb = "updated" if a.updated else "added"
        click.echo(
            f"{verb} {a.corpus_file}: “{a.title}”{by}, {a.words} words (left out {a.left_out} words of page furniture)"
        )
        if a.replaced:
            click.echo(f"  the text it replaced is kept in {a.replaced}")
    _summary(report.build)


@main.command(short_help="Start a new FAQ bot in a folder, from your documents.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def init(folder: str, files: tuple[str, ...]) -> None:
    """Make FOLDER/corpus (with a commented askback.toml to edit), add FILES to it as by
    askback add, and build FOLDER/index. FOLDER must be new or empty."""
    from askback.api import init_bot

    with _Progress() as bar:
        report = init_bot(folder, files, progress=bar.update, stage=bar.stage)
    if report.added:
        for a in report.added.added:
            click.echo(f"added {a.corpus_file}: “{a.title}”, {a.words} words")
        _summary(report.added.build)
    topic = f"topic “{report.topic}”, guessed from the titles" if report.topic else "no topic yet"
    where = f"--corpus {shlex.quote(report.corpus)} --index {shlex.quote(report.index)}"
    click.echo(f"wrote {report.bot_file} ({topic}): edit it, then run: askback build {where}")
    if report.added:
        click.echo(f"next: askback serve --index {shlex.quote(report.index)}")
    else:
        click.echo(f"next: askback add FILE {where}")


@main.command(short_help="Answer a question with quotes from the articles.")
@click.argument("question")
@click.option("--history", multiple=True, help="An earlier question of the conversation (repeatable, oldest first).")
@click.option("--explain", is_flag=True, help="Also show the candidate passages, their scores and why each was chosen.")
@_index_option
@_json_option
def ask(question: str, history: tuple[str, ...], explain: bool, index_path: str | None, as_json: bool) -> None:
    """Answer QUESTION with quotes from the articles.

    A question that starts with a dash goes after --, as in: askback ask -- "-is it safe?"
    """
    from askback.api import load_index

    index = load_index(index_path)
    _warn_stale(index, index_path)
    result = index.ask(question, history=list(history))
    if as_json:
        shown = dataclasses.asdict(result)
        if not explain:
            shown.pop("explanation")
        click.echo(json.dumps({"question": question, **shown}, ensure_ascii=False))
        return
    click.echo(result.markdown)
    if explain:
        click.echo("\n" + explanation_text(result))


def explanation_text(answer: Any) -> str:
    """``Answer.explanation`` as plain lines: per question, its words, the confidence and its
    signals, the outcome and why, and each candidate passage with its scores and matched words."""
    lines = [f"confidence of the answer: {answer.confidence:.2f}"]
    for d in answer.explanation:
        lines += [
            "",
            f"question: {d.question}",
            *([f"  searched as: {d.read_as}"] if d.read_as else []),
            f"  distinctive words: {', '.join(d.distinctive) or '(none)'}",
            f"  words no article uses: {', '.join(d.unknown) or '(none)'}",
            *([f"  everyday words, weighed less in BM25: {', '.join(d.everyday)}"] if d.everyday else []),
            f"  asks for: {', '.join(d.asked_for) or '(no kind of answer in particular)'}",
            *([f"  about the article: {d.about}"] if d.about else []),
            "  signals: " + (", ".join(f"{name} {value:.2f}" for name, value in d.signals) or "(not computed)"),
            f"  confidence {d.confidence:.2f}: {d.outcome} ({d.reason})",
            *([f"  taught question decided the first quote: {d.taught}"] if d.taught else []),
            "  candidates (score, cosine, BM25, verdict, matched words, what it holds, article › section: text):",
        ]
        for c in d.candidates:
            where = f"{c.passage.article.id} › {c.passage.heading}" if c.passage.heading else c.passage.article.id
            lines.append(
                f"    {c.score:.3f} {c.dense:.3f} {c.lexical:5.2f} {c.verdict:<9} [{' '.join(c.matched)}] "
                f"{{{', '.join(c.holds)}}} "
                f"{where}: {' '.join(c.passage.text.split())[:80]}"
            )
    return "\n".join(lines)


@main.command(short_help="Export the fast query encoder, once per machine.")
@click.option("--force", is_flag=True, help="Export again even if the cached encoder exists.")
def prepare(force: bool) -> None:
    """Export the fast query encoder (ONNX) from the bundled weights, once per machine."""
    from askback.index.embedding import export_onnx, onnx_model_path

    path = onnx_model_path()
    if force or not path.exists():
        export_onnx(path)
        click.echo(f"query encoder ready: {path}", err=True)


@main.command(short_help="Start the chat in the browser (and its JSON API).")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name that requests may address besides localhost and IP addresses (repeatable).",
)
@click.option("--feedback", default=None, help="Feedback log (default: $ASKBACK_FEEDBACK or ./feedback.jsonl).")
@click.option(
    "--log-questions",
    "question_log",
    default=None,
    metavar="FILE",
    help="Log each question and its outcome to FILE, for askback gaps (default: not logged).",
)
@_index_option
def serve(
    host: str,
    port: int,
    allow_hosts: tuple[str, ...],
    feedback: str | None,
    question_log: str | None,
    index_path: str | None,
) -> None:
    """Start the chat at http://HOST:PORT (never a public share link).

    Requests must address the server as localhost, by an IP address, as --host, or as a name given
    with --allow-host: a web page cannot reach it through a name of its own."""
    from pathlib import Path

    from askback.api import load_index
    from askback.serve.server import check_port, launch

    check_port(host, port)  # before anything is printed: a bad --port must not be announced as served
    index = load_index(index_path)
    _warn_stale(index, index_path)
    click.echo(f"askback chat on http://{host}:{port}", err=True)
    questions = Path(question_log) if question_log else None
    launch(index, Path(feedback) if feedback else feedback_log_path(), host, port, allow_hosts, questions)


@main.command(name="eval", short_help="Score the answers on a question set with gold passages.")
@click.argument("question_set", required=False, type=click.Path(dir_okay=False))
@_index_option
@_json_option
def evaluate(question_set: str | None, index_path: str | None, as_json: bool) -> None:
    """Score answers on a question set (default: evaluation/questions.jsonl)."""
    from pathlib import Path

    from askback.api import load_index
    from askback.config import PROJECT_ROOT
    from askback.evaluation import evaluate as run
    from askback.evaluation import load_questions

    path = Path(question_set) if question_set else PROJECT_ROOT / "evaluation" / "questions.jsonl"
    questions = load_questions(path)
    report = run(load_index(index_path), questions)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report)))
        return
    for name, label in METRICS.items():
        value = getattr(report, name)
        click.echo(f"{label:<58} {'-' if value is None else value}")
    asked = {q.id: q.question for q in questions}
    if report.misses:
        click.echo(f"\nmissed ({len(report.misses)}): no quote of the gold passage among the first three")
        for miss in report.misses:
            click.echo(f"  {miss}: {asked[miss]}")


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


def _warn_stale(index: Any, index_path: str | None) -> None:
    if index.stale:
        click.echo(
            f"warning: the corpus changed since the index was built ({', '.join(map(_shown, index.stale))}); "
            f"changed articles are not quoted until you run: {rebuild_command(index, index_path)}",
            err=True,
        )


def rebuild_command(index: Any, index_path: str | None) -> str:
    """The ``askback build`` line that rebuilds this index from its own corpus, from this folder."""
    words = ["askback build"]
    if _shown(index.corpus) != "corpus":
        words.append(f"--corpus {shlex.quote(_shown(index.corpus))}")
    if index_path or _shown(index.path) != "index":
        words.append(f"--index {shlex.quote(index_path or _shown(index.path))}")
    return " ".join(words)


def _shown(path: Any) -> str:
    """A path as the user would type it here: relative when it is below the working folder."""
    relative = os.path.relpath(os.path.abspath(path))
    return relative if not relative.startswith("..") else os.path.abspath(path)


class _Progress:
    """Says what a build is doing on stderr; in a terminal, a progress bar once the count is known."""

    def __init__(self) -> None:
        self._enabled = sys.stderr.isatty()
        self._bar: Any = None
        self._shown = 0

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def stage(self, text: str) -> None:
        click.echo(f"{text} ...", err=True)

    def update(self, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="embedding passages", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._shown)
        self._shown = done


from askback.cli_teach import gaps_command, taught_summary, teach_command  # noqa: E402 - the publisher's loop

main.add_command(teach_command)
main.add_command(gaps_command)

if __name__ == "__main__":
    main()
