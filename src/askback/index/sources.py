"""The article files as they are now: the last word on whether a quote may leave askback.

Offsets in the index were true when it was built. Before a passage is quoted, the file it cites is
read (once, and again whenever its size, modification or change time, or inode changes) and must
hold exactly that text at those offsets; an edited, deleted or mismatched article can then never be quoted wrongly, in a
running server as much as in a new process.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from askback.records import Article, Passage

__all__ = ["ArticleFiles"]


class ArticleFiles:
    """Reads article files on demand and remembers them until they change on disk."""

    def __init__(self, locate: Callable[[Article], Path]) -> None:
        self._locate = locate
        self._cache: dict[Path, tuple[tuple[int, int, int, int], str]] = {}
        self._lock = threading.Lock()

    def text(self, article: Article) -> str | None:
        """The article's file as it is now, or None when it is gone, not a regular file, or not UTF-8."""
        path = self._locate(article)
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        # ctime too: a same-size rewrite that restores the old mtime (touch -d, rsync -t) still
        # moves ctime, which no user call can set back.
        seen = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        cached = self._cache.get(path)
        if cached and cached[0] == seen:
            return cached[1]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        with self._lock:
            self._cache[path] = (seen, text)
        return text

    def holds(self, passage: Passage) -> bool:
        """Does the article file, as it is now, hold exactly ``passage.text`` at its offsets?"""
        return _holds(self.text(passage.article), passage)

    def checker(self) -> Callable[[Passage], bool]:
        """``holds`` for one request's many passages: each file is looked at once, not once per
        passage (a search checks dozens of passages of a handful of articles)."""
        texts: dict[Article, str | None] = {}

        def holds(passage: Passage) -> bool:
            if passage.article not in texts:
                texts[passage.article] = self.text(passage.article)
            return _holds(texts[passage.article], passage)

        return holds


def _holds(text: str | None, passage: Passage) -> bool:
    return text is not None and text[passage.start : passage.end] == passage.text
