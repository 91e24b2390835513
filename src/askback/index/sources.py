"""The article files as they are now: the last word on whether a quote may leave askback.

Offsets in the index were true when it was built. Before a passage is quoted, the file it cites is
read (once, and again whenever its size, modification or change time, or inode changes) and must
hold exactly that text at those offsets; an edited, deleted or mismatched article can then never be quoted wrongly, in a
running server as much as in a new process.

Files are read only through ``corpus.files.open_article``: a link put in an article's place after
the build makes that article unavailable (with a warning in the server's log), never serves the
file it points to.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from askback.corpus.files import open_article
from askback.errors import CorpusError
from askback.records import Article, Passage

__all__ = ["ArticleFiles"]

_LOG = logging.getLogger("askback")


class ArticleFiles:
    """Reads article files on demand and remembers them until they change on disk."""

    def __init__(self, locate: Callable[[Article], Path]) -> None:
        self._locate = locate
        self._paths: dict[str, Path] = {}  # where each article's file is, by its path: fixed for a loaded index
        self._cache: dict[Path, tuple[tuple[int, int, int, int], str]] = {}
        self._lock = threading.Lock()
        self._warned: set[Path] = set()

    def text(self, article: Article) -> str | None:
        """The article's file as it is now, or None when it is gone, a link, not a regular file, or
        not UTF-8."""
        path = self._paths.get(article.path)
        if path is None:
            path = self._paths.setdefault(article.path, self._locate(article))
        # An unchanged file is not read again. The stat is of the entry itself (a link is not
        # followed), and what the cache holds was read through open_article: a link or any other
        # change since makes the key differ, and the file is then opened and checked as below.
        try:
            info = os.lstat(path)
            cached = self._cache.get(path)
            if cached and stat.S_ISREG(info.st_mode) and cached[0] == _key(info):
                return cached[1]
        except OSError:
            pass
        try:
            with open_article(path) as handle:
                seen = _key(os.fstat(handle.fileno()))  # the file opened, not whatever the path names now
                text = handle.read()
        except (CorpusError, OSError, UnicodeDecodeError) as exc:
            self._unavailable(path, str(exc) if isinstance(exc, CorpusError) else f"{path}: cannot read ({exc})")
            return None
        with self._lock:
            self._cache[path] = (seen, text)
            self._warned.discard(path)
        return text

    def _unavailable(self, path: Path, reason: str) -> None:
        """Warn once that an article present at build time cannot be read now; a file simply
        removed is ``Index.stale``'s business, not a warning."""
        if not os.path.lexists(path) or path in self._warned:
            return
        with self._lock:
            self._warned.add(path)
        _LOG.warning("%s; its article is unavailable until this is fixed and askback build is run", reason)

    def holds(self, passage: Passage) -> bool:
        """Does the article file, as it is now, hold exactly ``passage.text`` at its offsets?"""
        return _holds(self.text(passage.article), passage)

    def checker(self) -> Callable[[Passage], bool]:
        """``holds`` for one request's many passages: each file is looked at once, not once per
        passage (a search checks dozens of passages of a handful of articles)."""
        texts: dict[str, str | None] = {}  # by the article's path: a string keeps its hash, an Article does not

        def holds(passage: Passage) -> bool:
            key = passage.article.path
            if key not in texts:
                texts[key] = self.text(passage.article)
            return _holds(texts[key], passage)

        return holds


def _holds(text: str | None, passage: Passage) -> bool:
    return text is not None and text[passage.start : passage.end] == passage.text


def _key(info: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is unchanged. ctime too: a same-size rewrite that restores the old mtime
    (touch -d, rsync -t) still moves ctime, which no user call can set back."""
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
