"""The ``askback`` command: a thin layer that turns library errors into one line and an exit code."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

import click

from askback.cli_report import Progress, say_added, say_built, say_read
from askback.config import DEFAULT_HOST, DEFAULT_PORT, INDEX_ENV, SHIPPED_INDEX, VERSION, feedback_log_path
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
@click.option(
    "--corpus", default=None, help="Folder of article files (default: the index's own, else ./corpus in a bot folder)."
)
@click.option(
    "--index", "index_path", default=None, help=f"Where to write the index (default: ${INDEX_ENV} or ./index)."
)
@click.option("--full", is_flag=True, help="Embed every passage again instead of reusing unchanged ones.")
@_json_option
def build(corpus: str | None, index_path: str | None, full: bool, as_json: bool) -> None:
    """Rebuild the index from the corpus, embedding only what changed; the old index stays until the
    new one is complete."""
    from askback.api import build_index

    target = _write_target(index_path)
    folder = _corpus_folder(corpus, target, "askback init DIR")
    with Progress() as bar:
        report = build_index(folder, target, progress=bar.update, full=full, stage=bar.stage)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report)))
    else:
        say_read(report)
        say_built(report, folder)


def _corpus_folder(corpus: str | None, index: str, init: str) -> str:
    """The corpus that build and add use: --corpus, else the one the index was built from, else
    ./corpus in a bot's folder. Elsewhere they refuse rather than start a corpus and an index
    where the user happens to stand."""
    if corpus is not None:
        return corpus
    recorded = _recorded_corpus(Path(index))
    if recorded is not None:
        return recorded
    if os.path.isdir("corpus"):
        return "corpus"
    raise AskbackError(f"no ./corpus here: pass --corpus DIR, or start a bot with: {init}")


def _recorded_corpus(index: Path) -> str | None:
    """The corpus folder an existing index records, as the user would type it; None without one."""
    from askback.index.store import MANIFEST, recorded_path

    try:
        recorded = json.loads((index / MANIFEST).read_text(encoding="utf-8")).get("corpus")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(recorded, str) or not recorded_path(recorded, index).is_dir():
        return None
    return _shown(recorded_path(recorded, index))


def _write_target(index_path: str | None) -> str:
    """The index that build and add write: --index, else $ASKBACK_INDEX, else ./index."""
    return index_path or os.environ.get(INDEX_ENV) or "index"


@main.command(short_help="Add documents (Markdown, MyST, reStructuredText, HTML, PDF, text; .gz; folders) as articles.")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option(
    "--corpus", default=None, help="Corpus folder to add the articles to (default: the index's own, else ./corpus)."
)
@click.option("--index", "index_path", default=None, help=f"Index to rebuild (default: ${INDEX_ENV} or ./index).")
@_json_option
def add(files: tuple[str, ...], corpus: str | None, index_path: str | None, as_json: bool) -> None:
    """Add FILES (.md/.markdown MyST or plain Markdown, .rst, .html/.htm pages, .pdf, .txt, a .gz of
    any, or folders of them) to the corpus as articles, then rebuild the index. Each becomes one
    corpus file with the text a reader sees and the metadata it states; adding a file added before
    (or one stating the same address) updates its article, keeping the old text in the corpus's
    .askback-replaced/ folder. Nothing is written unless all can be added."""
    from askback.api import add_documents

    target = _write_target(index_path)
    folder = _corpus_folder(corpus, target, "askback init DIR " + " ".join(map(shlex.quote, files)))
    with Progress() as bar:
        report = add_documents(files, folder, target, progress=bar.update, stage=bar.stage)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report)))
        return
    say_added(report)
    say_built(report.build, folder)


@main.command(short_help="Start a new FAQ bot in a folder, from your documents.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("files", nargs=-1, type=click.Path())
def init(folder: str, files: tuple[str, ...]) -> None:
    """Make FOLDER/corpus (with a commented askback.toml to edit), add FILES (documents or folders
    of them) to it as by askback add, and build FOLDER/index. FOLDER must be new or empty."""
    from askback.newbot import init_bot

    with Progress() as bar:
        report = init_bot(folder, files, progress=bar.update, stage=bar.stage)
    if report.added:
        say_added(report.added)
        say_built(report.added.build, report.corpus)
    topic = f"topic “{report.topic}”, guessed from all the titles and headings" if report.topic else "no topic yet"
    where = f"--corpus {shlex.quote(report.corpus)} --index {shlex.quote(report.index)}"
    click.echo(f"wrote {report.bot_file} ({topic}): edit it, then run: askback build {where}")
    click.echo(f"no safety list (most bots need none): {report.bot_file} says how to add one")
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
    from askback.api import load_index
    from askback.serve.server import address, check_port, launch

    check_port(host, port)  # before loading anything: a bad --port fails at once
    index = load_index(index_path)
    _warn_stale(index, index_path)
    click.echo("starting the chat ...", err=True)

    def ready() -> None:  # printed once the port accepts connections, so the page opens at once
        click.echo(f"askback chat on {address(host, port)}", err=True)

    votes = Path(feedback) if feedback else feedback_log_path()
    launch(index, votes, host, port, allow_hosts, ready, question_log=Path(question_log) if question_log else None)


@main.command(name="eval", short_help="Score the answers on a question set with gold passages.")
@click.argument("question_set", required=False, type=click.Path(dir_okay=False))
@_index_option
@_json_option
def evaluate(question_set: str | None, index_path: str | None, as_json: bool) -> None:
    """Score answers on a question set (default: evaluation/questions.jsonl)."""
    from askback.api import load_index
    from askback.config import PROJECT_ROOT
    from askback.evaluation import evaluate as run
    from askback.evaluation import foreign, load_questions, summary

    path = Path(question_set) if question_set else PROJECT_ROOT / "evaluation" / "questions.jsonl"
    questions = load_questions(path)
    index = load_index(index_path)
    lost = foreign(index, questions, _shown(path), _shown(index.path))
    if lost:
        click.echo(
            f"warning: no article of the index at {_shown(index.path)} holds the gold passages of "
            f"{len(lost)} questions ({', '.join(lost[:8])}{', ...' if len(lost) > 8 else ''}); they count as misses",
            err=True,
        )
    report = run(index, questions)
    click.echo(json.dumps(dataclasses.asdict(report)) if as_json else summary(report, questions))


def _warn_stale(index: Any, index_path: str | None) -> None:
    if index_path is None and index.path.resolve() == SHIPPED_INDEX.resolve():
        # Run beside the bots made here, the sample bot answering would pass for one of them.
        bots = sorted(d.name for d in Path(".").iterdir() if d.is_dir() and (d / "index" / "manifest.json").is_file())
        if bots:
            click.echo(f"answered by the sample bot; to ask yours: --index {bots[0]}/index", err=True)
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


from askback.cli_teach import gaps_command, teach_command  # noqa: E402 - the publisher's loop

main.add_command(teach_command)
main.add_command(gaps_command)

if __name__ == "__main__":
    main()
