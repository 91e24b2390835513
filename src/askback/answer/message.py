"""Finding the questions in a message: people tell a story, then ask; or ask several things at once.

A sentence asks something when it ends with a question mark or opens like a question ("does it
hurt", "and how many will I need", "also does it help mood"). The question sentences of a message
are its parts, in the user's own words; the rest is its story, which may help the search (a drug, a
condition) but must not lead it. A question that points back ("Is that true?") carries the sentence
before it along, the way a follow-up carries the conversation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from askback import templates
from askback.config import MAX_PARTS, MAX_QUESTION_CHARS, STORY_WORDS
from askback.errors import QuestionError

if TYPE_CHECKING:
    from askback.answer.voice import Voice

__all__ = ["Message", "asks", "check_history", "check_question", "points_back", "read_message"]

_BREAK = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\n+")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Za-z]\.)+[A-Za-z]*|\b(?:Dr|Mr|Mrs|Ms|St|vs|etc|e\.g|i\.e|approx|no))\.$", re.I)
_OPENER = re.compile(
    r"(?:(?:and|also|so|but|or|plus|then|ok|okay|oh|well|honestly|seriously|like|just)[, ]+)*"
    r"(?:what|what's|whats|how|why|when|where|who|which|whose|is|isn't|isnt|are|aren't|can|can't|could|"
    r"should|would|will|won't|do|does|doesn't|did|didn't|has|have|am|may|might|must|any|anything)\b",
    re.IGNORECASE,
)
# "Does it hurt, and how much does a session cost?": a second question joined to the first by "and".
_AND_ASKS = re.compile(
    r",?\s+and\s+(?=(?:how|what|when|where|why|which|who|does|do|is|are|can|could|should|will|would|did)\s)",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:that|this|it|they|those|these|he|she)\b", re.IGNORECASE)
# "Is 'gamer's thumb' a disorder and how do I fix it?": a short question ending on "it" or "them"
# asks about the subject of the question before it.
_ENDS_ON_IT = re.compile(r"\b(?:it|them|that|this one)\W*$", re.IGNORECASE)
# A question this short that points back has no other subject ("how do I use one with a
# requirements file?"); a longer one names its own.
_POINTING_WORDS = 10


# "it", "them", "that one", a closing "that", or "one" standing for a thing ("how do I use one with…?", "the unsafe
# one"), not counting one ("one package").
_POINTER = re.compile(
    r"\b(?:it|its|them|they|that one|this one)\b|\bone\b(?=\s*(?:$|[?.!,;]|(?:with|for|in|from|to|on|at|by|as|"
    r"and|or|then|instead|again)\b))|\b(?:that|this)\W*$",
    re.IGNORECASE,
)


def points_back(text: str) -> bool:
    """Does ``text`` name its subject only by pointing to it ("it", "that one", "the unsafe one")?"""
    return bool(_POINTER.search(text))


@dataclass(frozen=True)
class Message:
    """A message read for its questions: ``parts`` to answer one by one, each with its search text."""

    text: str
    parts: tuple[str, ...]  # the question sentences, verbatim (at most MAX_PARTS); the whole text if none
    queries: tuple[str, ...]  # what to search for each part: the part, or the sentence before it and the part
    # What every part's search is blended with: the story (the sentences that ask nothing) with the
    # question when the message asks one; the story alone when it asks several, so one question
    # does not pull another's passages; empty when there is nothing around the question.
    context: str


def sentences(text: str) -> list[str]:
    """The message's sentences; "L.Ac." or "Dr." does not end one."""
    out: list[str] = []
    for piece in _BREAK.split(text):
        piece = piece.strip()
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        elif piece:
            out.append(piece)
    return [s for s in out if any(c.isalnum() for c in s)]


def questions_in(sentence: str) -> list[str]:
    """A sentence's questions: two joined by "and" ("Does it hurt, and how much does a session
    cost?") are two, each asked on its own; anything else is one."""
    if not asks(sentence):
        return [sentence]
    out, start = [], 0
    for cut in _AND_ASKS.finditer(sentence):
        left, right = sentence[start : cut.start()], sentence[cut.end() :]
        if len(left.split()) >= 2 and len(right.split()) >= 3:
            out.append(left.strip())
            start = cut.end()
    return [*out, sentence[start:].strip()]


def asks(sentence: str) -> bool:
    """Does this sentence ask something?"""
    return sentence.rstrip("\"”’')] ").endswith("?") or bool(_OPENER.match(sentence.lstrip("-–•* ")))


def read_message(text: str) -> Message:
    """The parts of a message. A message with no question sentence ("My physio told me it only works
    if you believe in it.") is one part: the whole message."""
    found = [question for s in sentences(text) for question in questions_in(s)]
    questions = [i for i, s in enumerate(found) if asks(s)]
    if not questions:
        return Message(text, (text,), (text,), "")
    parts, queries = [], []
    for i in questions[:MAX_PARTS]:
        part = found[i]
        query = part
        words = len(part.split())
        after_a_question = i - 1 in questions and words <= _POINTING_WORDS
        back = (_POINTS_BACK.match(part) and words <= 8) or (
            after_a_question and (_ENDS_ON_IT.search(part) or points_back(part))
        )
        if i > 0 and back:
            query = f"{found[i - 1]} {part}"  # "Is that true?" asks about what was just said
        parts.append(part)
        queries.append(query)
    # The story nearest the questions: its last sentences, up to about what the encoder was trained
    # to read (it would keep a long story's opening and drop the end, next to the question).
    story = [s for i, s in enumerate(found) if i not in questions]
    while len(story) > 1 and len(" ".join(story).split()) > STORY_WORDS:
        story.pop(0)
    if len(parts) > 1:
        return Message(text, tuple(parts), tuple(queries), " ".join(story))
    around = " ".join([*(s for s in story if s not in queries[0]), queries[0]])
    return Message(text, tuple(parts), tuple(queries), around if around != queries[0] else "")


def check_question(question: object, voice: Voice) -> str:
    """The question with whitespace tidied, or a QuestionError saying what is wrong with it."""
    if not isinstance(question, str):
        raise QuestionError(f"a question must be text, not {type(question).__name__}")
    text = " ".join(question.split())
    if not text:
        raise QuestionError(voice.empty_question)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate from a broken client
        raise QuestionError(templates.NOT_TEXT.format(position=exc.start + 1)) from None
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(templates.TOO_LONG.format(length=len(text), limit=MAX_QUESTION_CHARS))
    return text


def check_history(history: object) -> list[str]:
    """The earlier turns; a QuestionError for a history that is not a list of strings."""
    if history is None:
        return []
    if isinstance(history, str) or not isinstance(history, Sequence):
        raise QuestionError(f"history must be a list of earlier questions, not {type(history).__name__}")
    turns = list(history)
    for number, turn in enumerate(turns, start=1):
        if not isinstance(turn, str):  # as the HTTP API refuses it: a turn left out would change the follow-up
            raise QuestionError(f"history must be a list of strings, the earlier questions; turn {number} is not text")
        try:
            turn.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate from a broken client
            where = f"earlier turn {number} of the history, character {exc.start + 1}"
            raise QuestionError(f"{where} is not valid text; send the turn again as text") from None
    return turns
