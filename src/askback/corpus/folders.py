"""What a folder of documents holds for ``askback add``: its documents of the formats askback reads
(found recursively, hidden ones left out), what it holds that is left out and why (a link to a file
outside it, a file of another format), and the articles added from it whose document is gone."""

from __future__ import annotations

import collections
import re
from pathlib import Path

from askback.corpus.converters import FORMATS, format_of
from askback.corpus.files import Document
from askback.errors import CorpusError

__all__ = ["SUPPORTED", "documents_in", "gone_from", "source_of"]

SUPPORTED = tuple(FORMATS)  # and a .gz of any of them
_NAMED = 5  # up to this many passed-over files are named; more are counted by extension


def documents_in(paths: list[Path], passed_over: list[str] | None = None) -> list[Path]:
    """The documents of ``paths``: a file as it is, a folder's files of the formats askback reads,
    found recursively (hidden ones left out), in name order. A folder holding none is an error.
    What a folder holds and askback leaves out is said in ``passed_over``: its links to files
    outside it, and its files of other formats."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder")
        if not path.is_dir():
            found.append(path)
            continue
        root = path.resolve()
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        # A link in the folder to a file outside it is not the folder's document: adding the
        # folder must not publish /etc/passwd because someone linked it there.
        outside = [p for p in files if not p.resolve().is_relative_to(root)]
        inside = [p for p in files if format_of(p) and p not in outside]
        if not inside:
            raise CorpusError(f"{path}: no documents askback reads in this folder ({', '.join(SUPPORTED)}, .gz)")
        found += inside
        if passed_over is not None:
            passed_over += [f"{p}: a link to a file outside {path}; name that file itself to add it" for p in outside]
            unread = [p for p in files if not format_of(p) and p not in outside]
            passed_over += [_unread_text(unread)] if unread else []
    return found


def _unread_text(paths: list[Path]) -> str:
    """One line naming a folder's files askback does not read: a publisher should know that
    ``CHANGES`` or ``notes.docx`` is not in the bot, and how to add a plain-text one."""
    by_kind = collections.Counter(p.suffix.lower() if p.suffix else "no extension" for p in paths)
    shown = (
        ", ".join(p.name for p in paths[:_NAMED])
        if len(paths) <= _NAMED
        else ", ".join(f"{n} {kind}" for kind, n in by_kind.most_common())
    )
    return (
        f"{len(paths)} file{'s' if len(paths) != 1 else ''} of a format askback does not read ({shown}): "
        f"it reads {', '.join(SUPPORTED)} and .gz of them; a plain-text file can be added renamed to .txt"
    )


def gone_from(paths: list[Path], existing: list[Document]) -> list[str]:
    """The articles of ``existing`` (the corpus) added from a file of one of the folders ``paths``
    that the folder no longer holds: adding the folder again does not take them out, and the
    publisher who deleted the page should hear how to."""
    folders = [p.resolve() for p in paths if p.is_dir()]
    gone = []
    for document in existing if folders else []:
        source = Path(named) if (named := source_of(document)) else None
        if source and not source.exists() and any(source.is_relative_to(f) for f in folders):
            path = document.article.path
            gone.append(f"{path}: its document {source} is gone; delete {path} and run askback build to take it out")
    return gone


def source_of(document: Document) -> str:
    """The file a corpus file was added from, as its header records it ("" when it does not)."""
    found = re.search(r"^source:[ \t]*(.*)$", document.text[: document.body_start], re.M)
    return found.group(1).strip() if found else ""
