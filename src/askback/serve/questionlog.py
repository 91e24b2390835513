"""The question log (``askback serve --log-questions FILE``, off by default): what readers asked
and how each was answered, for ``askback gaps``.

One JSON line per question asked in the chat or through ``POST /api/ask``: the time, the question
(up to ``QUESTION_CHARS`` characters), the outcome ("answered", "unsure", "refused", or "chat" for
small talk), the confidence, the questions of the message the articles did not answer, the quotes
by article id and offsets, the taught question that chose the first quote, and the answer's id,
which the vote log's records name. Nothing else: no address, no cookie, no session. The log is
bounded and rotated as the vote log is (feedback.py): full files are kept as ``NAME.1``, ``NAME.2``,
…, and after ``max_files`` of those logging stops, said once on stderr, rather than delete anything.
"""

from __future__ import annotations

import time
from pathlib import Path

from askback.errors import AskbackError
from askback.records import Answer
from askback.serve.feedback import MAX_BYTES, MAX_FILES, QUESTION_CHARS, FeedbackLog

__all__ = ["QuestionLog", "outcome"]


def outcome(answer: Answer) -> str:
    """How a message was answered, as the log and ``askback gaps`` name it."""
    if answer.abstained:
        return "refused"
    if not answer.quotes:
        return "chat"
    return "unsure" if answer.unsure else "answered"


class QuestionLog(FeedbackLog):
    """An append-only log of questions and outcomes, checked when it is opened."""

    name, records = "question log", "questions"

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, max_files: int = MAX_FILES) -> None:
        if path.is_dir():
            raise AskbackError(f"question log {path} is a folder; pass a file path with --log-questions")
        try:
            super().__init__(path, max_bytes, max_files)
        except AskbackError:
            raise AskbackError(
                f"cannot write the question log {path}; pass a writable file with --log-questions"
            ) from None

    def asked(self, question: str, answer: Answer, answer_id: str = "") -> bool:
        """Log one answered message; False when the disk refused it or the log is full."""
        unanswered = [p.question[:QUESTION_CHARS] for p in answer.parts if p.abstained and p.question]
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "answer": answer_id,
            "question": " ".join(question.split())[:QUESTION_CHARS],
            "outcome": outcome(answer),
            "confidence": round(answer.confidence, 3),
            "unanswered": unanswered,
            "quotes": [{"article": p.article.id, "start": p.start, "end": p.end} for p in answer.quotes],
            "taught": next((d.taught for d in answer.explanation if d.taught), ""),
        }
        return self.append(record)
