"""The thumbs up/down log: JSON lines, each written whole or not at all, and bounded per answer.

Each record names the ``answer`` it is about (a random id per answer shown). A changed vote appends
a record rather than editing one, so the last record of an answer is its vote; "none" means the
vote was taken back. ``votes()`` reads the log that way.

What one client can write is bounded: a vote is per shown answer, so repeating it writes nothing
and an answer's vote can change at most ``CHANGES_PER_ANSWER`` times; the question is logged up to
``QUESTION_CHARS`` characters. Old votes are never dropped: when the log would pass ``max_bytes`` it
is renamed to the next free ``NAME.1``, ``NAME.2``, … and kept. After ``max_files`` of those the log
stops taking votes and says so once on stderr, rather than delete anything.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from askback.errors import AskbackError

__all__ = ["CHANGES_PER_ANSWER", "QUESTION_CHARS", "FeedbackLog"]

MAX_BYTES = 5_000_000
MAX_FILES = 100  # 500 MB of votes before the log stops and asks for the old files to be moved
CHANGES_PER_ANSWER = 10
QUESTION_CHARS = 500


class FeedbackLog:
    """An append-only log checked when it is opened: a bad path fails at start-up, not at each vote."""

    name, records = "feedback log", "votes"  # how the message that the log is full names it

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, max_files: int = MAX_FILES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.max_files = max_files
        self._lock = threading.RLock()  # vote() holds it around append(), which takes it too
        self._logged: dict[str, tuple[str, int]] = {}  # answer id -> (its last vote, records written)
        self._full = False
        if path.is_dir():
            raise AskbackError(f"feedback log {path} is a folder; pass a file path with --feedback")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644))
        except OSError as exc:
            raise AskbackError(
                f"cannot write the feedback log {path} ({exc.strerror}); pass a writable file with --feedback"
            ) from None

    def vote(self, answer: str, vote: str, details: dict[str, Any]) -> bool:
        """Log ``vote`` ("up", "down" or "none") for ``answer``; True when the log holds it.
        The same vote again writes nothing; past ``CHANGES_PER_ANSWER`` changes nothing more is
        written for that answer (False)."""
        with self._lock:
            last, written = self._logged.get(answer, ("none", 0))
            if vote == last:
                return True
            if written >= CHANGES_PER_ANSWER:
                return False
            question = str(details.get("question", ""))[:QUESTION_CHARS]
            record = {**details, "answer": answer, "vote": vote, "question": question}
            if not self.append(record):
                return False
            self._logged[answer] = (vote, written + 1)
            return True

    def append(self, record: dict[str, Any]) -> bool:
        """Add one record; False when the disk refused it or the log is full (nothing partial is left)."""
        with self._lock:
            line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
            try:
                if self.path.exists() and self.path.stat().st_size + len(line) > self.max_bytes and not self._rotate():
                    return False
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

    def _rotate(self) -> bool:
        """Keep the full log as the next numbered file; False (said once) when there are too many."""
        number = len(self._numbered()) + 1
        if number > self.max_files:
            if not self._full:
                self._full = True
                print(
                    f"askback: the {self.name} {self.path} and its {self.max_files} numbered files are full; "
                    f"{self.records} are no longer logged until they are moved elsewhere",
                    file=sys.stderr,
                )
            return False
        os.replace(self.path, self.path.with_name(f"{self.path.name}.{number}"))
        return True

    def _numbered(self) -> list[Path]:
        """The kept files, oldest first."""
        found = []
        for path in self.path.parent.glob(self.path.name + ".*"):
            suffix = path.name[len(self.path.name) + 1 :]
            if suffix.isdigit():
                found.append((int(suffix), path))
        return [path for _, path in sorted(found)]

    def votes(self) -> dict[str, str]:
        """Each answer's current vote, "up" or "down", by answer id (the kept files first)."""
        current: dict[str, str] = {}
        for path in (*self._numbered(), self.path):
            lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
            for line in lines:
                record = json.loads(line)
                if "answer" in record:
                    current[record["answer"]] = record["vote"]
        return {answer: vote for answer, vote in current.items() if vote != "none"}
