"""The thumbs up/down log: JSON lines, each written whole or not at all, and bounded in size.

Each record names the ``answer`` it is about (a random id per answer shown). A changed vote appends
a record rather than editing one, so the last record of an answer is its vote; "none" means the
vote was taken back. ``votes()`` reads the log that way.

When the log would pass ``max_bytes`` it is renamed to ``NAME.1`` (replacing the previous one) and a
new log begins, so the two together never exceed twice the cap however often clients vote.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from .errors import AskbackError

__all__ = ["FeedbackLog"]

MAX_BYTES = 5_000_000


class FeedbackLog:
    """An append-only log checked when it is opened: a bad path fails at start-up, not at each vote."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        if path.is_dir():
            raise AskbackError(f"feedback log {path} is a folder; pass a file path with --feedback")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644))
        except OSError as exc:
            raise AskbackError(
                f"cannot write the feedback log {path} ({exc.strerror}); pass a writable file with --feedback"
            ) from None

    def append(self, record: dict[str, Any]) -> bool:
        """Add one record; False when the disk refused it (nothing partial is left behind)."""
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            try:
                if self.path.exists() and self.path.stat().st_size + len(line) > self.max_bytes:
                    os.replace(self.path, self.path.with_name(self.path.name + ".1"))
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            except OSError:
                return False
            try:
                before = os.fstat(fd).st_size
                try:
                    if os.write(fd, line) != len(line):
                        raise OSError("short write")
                except OSError:
                    os.ftruncate(fd, before)  # a full disk must not leave half a line
                    return False
            finally:
                os.close(fd)
        return True

    def votes(self) -> dict[str, str]:
        """Each answer's current vote, "up" or "down", by answer id (the older ``NAME.1`` first)."""
        current: dict[str, str] = {}
        for path in (self.path.with_name(self.path.name + ".1"), self.path):
            lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
            for line in lines:
                record = json.loads(line)
                if "answer" in record:
                    current[record["answer"]] = record["vote"]
        return {answer: vote for answer, vote in current.items() if vote != "none"}
