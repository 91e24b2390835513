"""What a corpus says about its own bot: ``askback.toml`` beside the articles.

The file names the bot and its topic, may replace any of its self-descriptions, and gives the
field's safety list: the red-flag symptoms a message may describe, and what marks an article's
urgent "see a doctor now" passage. It is read when the index is built and recorded in the index,
so a served index needs no corpus to know its voice. Without the file the bot speaks of the
articles themselves and has no safety list: a red-flag list is a medical judgement that only the
corpus's publisher can make. A malformed file fails the build with one line naming the file, the
line and the key, before anything is written.

The file is a regular file of at most ``BOT_FILE_BYTES`` (a folder, FIFO, device or link in its
place is an error, not an absent file), and each of its texts has a length limit (``TEXT_CHARS``).
Safety patterns are compiled with RE2, whose matching takes time linear in the message: no
pattern, however written, can hang an answer (Python's ``re`` takes minutes over ``(a+)+$`` on a
29-character message). RE2 has no look-around and no back-references; a pattern using them is an
error naming it.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2

from askback.errors import CorpusError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["BOT_FILE", "Bot", "Safety", "read_bot", "starter_file"]

BOT_FILE = "askback.toml"
BOT_FILE_BYTES = 64_000
# The longest each text may be, in characters: a greeting is shown in every "hello" reply and on the page.
TEXT_CHARS = {"name": 80, "topic": 200, "placeholder": 200}
OTHER_TEXT_CHARS = 500  # greeting, help, goodbye, intro, disclaimer
PATTERN_CHARS = 1000
PATTERNS = 100  # per list
_LISTS = ("red_flags", "urgent", "doctor_questions")


@dataclass(frozen=True)
class Safety:
    """The field's safety list: regular expressions, matched without regard to case."""

    red_flags: tuple[str, ...] = ()  # a message matching one describes a symptom to see a doctor about now
    # A passage matching one tells the reader to see a doctor without delay; the most urgent first.
    urgent: tuple[str, ...] = ()
    doctor_questions: tuple[str, ...] = ()  # a question matching one asks when to see a doctor

    @functools.cached_property
    def _compiled(self) -> dict[str, tuple[Any, ...]]:
        """Every pattern compiled by RE2; a CorpusError names one it cannot take."""
        return {name: tuple(compile_pattern(p) for p in getattr(self, name)) for name in _LISTS}

    def check(self) -> None:
        """A CorpusError naming a pattern RE2 cannot compile (one an older askback recorded)."""
        self._compiled  # noqa: B018 - compiling is the check

    def red_flags_in(self, message: str) -> tuple[str, ...]:
        """The user's own words that describe red-flag symptoms, in the order they wrote them."""
        found = sorted({m.span() for pattern in self._compiled["red_flags"] for m in pattern.finditer(message)})
        spans: list[tuple[int, int]] = []
        for a, b in found:
            if spans and a <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
            else:
                spans.append((a, b))
        return tuple(message[a:b] for a, b in spans)

    def urgency(self, text: str) -> int:
        """The place of the first ``urgent`` pattern ``text`` matches: they are listed most urgent
        first ("immediately" before "a medical workup"), so lower is more urgent; past the list if none."""
        return next((n for n, p in enumerate(self._compiled["urgent"]) if p.search(text)), len(self.urgent))

    def asks_for_a_doctor(self, question: str) -> bool:
        return any(p.search(question) for p in self._compiled["doctor_questions"])


@dataclass(frozen=True)
class Bot:
    """A corpus's bot: its name and topic, any replaced self-descriptions ("" keeps askback's own
    wording), and its safety list."""

    name: str = "askback"
    topic: str = ""  # "composting at home"; "" speaks of the articles themselves
    greeting: str = ""
    help: str = ""
    goodbye: str = ""
    placeholder: str = ""
    intro: str = ""
    disclaimer: str = ""  # shown under an answer to a personal question; "" shows none
    safety: Safety = Safety()

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Bot:
        """The bot as an index's manifest recorded it (``dataclasses.asdict``)."""
        safety = record.get("safety") or {}
        texts = {
            f.name: str(record[f.name]) for f in dataclasses.fields(cls) if f.name != "safety" and f.name in record
        }
        lists = {f.name: tuple(safety.get(f.name, ())) for f in dataclasses.fields(Safety)}
        return cls(**texts, safety=Safety(**lists))


_TEXTS = tuple(f.name for f in dataclasses.fields(Bot) if f.name != "safety")


def compile_pattern(pattern: str) -> Any:
    """``pattern`` compiled by RE2, matched without regard to case; a CorpusError says why it
    cannot be (RE2 refuses look-around and back-references, which can take exponential time)."""
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # the error is ours to report, in one line
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        unsupported = any(mark in pattern for mark in ("(?=", "(?!", "(?<", "\\1"))
        hint = "; write it without look-ahead, look-behind or back-references" if unsupported else ""
        raise CorpusError(f"the pattern {pattern!r} does not compile ({reason}){hint}") from None


def read_bot(corpus: Path) -> Bot:
    """The bot ``corpus/askback.toml`` states, or the neutral one when there is none."""
    path = corpus / BOT_FILE
    if not os.path.lexists(path):
        return Bot()
    text = _read_bot_file(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: not valid TOML ({exc}); fix it, then build again") from None
    except RecursionError:  # [[[[... nested deeper than the parser goes
        line, key = _deepest(text)
        raise CorpusError(
            f"{path}:{line}: {key}: nested far deeper than any key of askback.toml; fix it, then build again"
        ) from None

    def refuse(key: str, problem: str) -> CorpusError:
        return CorpusError(
            f"{path}:{_line_of(text, key.rsplit('.', 1)[-1])}: {key}: {problem}; fix it, then build again"
        )

    known = {*_TEXTS, "safety"}
    for key in data:
        if key not in known:
            raise refuse(key, f"unknown key (known: {', '.join(sorted(known))})")
    texts = {}
    for key in _TEXTS:
        if key in data:
            if not isinstance(data[key], str):
                raise refuse(key, f"must be text in quotes, not {type(data[key]).__name__}")
            texts[key] = data[key].strip()
            limit = TEXT_CHARS.get(key, OTHER_TEXT_CHARS)
            if len(texts[key]) > limit:
                raise refuse(key, f"is {len(texts[key]):,} characters long; keep it to {limit:,}")
    if "name" in texts and not texts["name"]:
        raise refuse("name", "must not be empty")
    safety = data.get("safety", {})
    if not isinstance(safety, dict):
        raise refuse("safety", "must be a table: [safety]")
    lists = {}
    for key, value in safety.items():
        if key not in _LISTS:
            raise refuse(f"safety.{key}", f"unknown key (known: {', '.join(_LISTS)})")
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise refuse(f"safety.{key}", "must be a list of patterns in quotes")
        if len(value) > PATTERNS:
            raise refuse(f"safety.{key}", f"holds {len(value)} patterns; keep it to {PATTERNS}")
        for pattern in value:
            if len(pattern) > PATTERN_CHARS:
                raise refuse(f"safety.{key}", f"a pattern is {len(pattern):,} characters; keep each to {PATTERN_CHARS}")
            try:
                compile_pattern(pattern)
            except CorpusError as exc:
                raise refuse(f"safety.{key}", str(exc)) from None
        lists[key] = tuple(value)
    return Bot(**texts, safety=Safety(**lists))


def _read_bot_file(path: Path) -> str:
    """The text of ``askback.toml``: a regular file (not followed if a link, checked on the open
    descriptor; a FIFO does not hang the open) of at most ``BOT_FILE_BYTES``."""
    where = "askback.toml must be a text file in the corpus folder (or absent)"
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            raise CorpusError(f"{path}: a symbolic link; {where}") from None
        raise CorpusError(f"{path}: cannot be read ({exc.strerror}); fix or remove it") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise CorpusError(f"{path}: not a regular file; {where}")
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(BOT_FILE_BYTES + 1)
        except OSError as exc:
            raise CorpusError(f"{path}: cannot be read ({exc.strerror}); fix or remove it") from None
    if len(data) > BOT_FILE_BYTES:
        raise CorpusError(f"{path}: over {BOT_FILE_BYTES:,} bytes; a bot file is a few short texts and patterns")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def _deepest(text: str) -> tuple[int, str]:
    """The line and key of the first value that opens a list or table inside another at once
    (``x = [[[...``): what the keys of askback.toml never need."""
    found = re.search(r"^[ \t]*([\w.\"'-]+)[ \t]*=[ \t]*[\[{](?:\s|#[^\n]*)*[\[{]", text, re.MULTILINE)
    if not found:
        return 1, "a value"
    return text.count("\n", 0, found.start()) + 1, found[1].strip("\"'")


def _line_of(text: str, key: str) -> int:
    """The line where ``key`` is set (or its table opens), for the error message; 1 when not found."""
    setting = re.compile(rf"^\s*(\[\s*{re.escape(key)}\s*\]|[\"']?{re.escape(key)}[\"']?\s*=)", re.MULTILINE)
    found = setting.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def starter_file(topic: str) -> str:
    """A commented ``askback.toml`` for ``askback init``, its topic guessed, for the user to edit."""
    return f"""# askback.toml: what this corpus's bot says about itself. Edit it, then run: askback build
# Every key is optional. Texts left out keep askback's own wording.

name = "askback"
# The topic, as it fits "I answer questions about ...". Guessed from the articles' titles.
topic = {_toml_string(topic)}

# greeting = "Hello! I answer questions about ..."
# help = "I can only quote my articles, word for word. They cover ..."
# goodbye = "Goodbye."
# placeholder = "Ask about ..."
# intro = "Every answer here is quoted word for word from the articles it names."
# disclaimer = "These are quotes from articles, not advice: ask a professional about your own situation."

# ---- Safety list: optional. Delete this section if your articles are not about health. ----
# A message that matches a red flag gets the articles' urgent passages first, those matching the
# first urgent pattern leading; a question matching doctor_questions asks when to see a doctor.
# Regular expressions, matched without regard to case. What belongs here is a judgement for the
# publisher of the articles; without it askback has no safety block. An example for health articles:
# [safety]
# red_flags = ['\\bchest pain\\b', '\\bcan.?t breathe\\b']
# urgent = ['\\b(immediately|emergency|call 911)\\b']
# doctor_questions = ['\\bwhen should i (see|call) a doctor\\b']
"""


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
