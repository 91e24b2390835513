"""Small talk: a greeting, thanks, goodbye or a request for help, answered by a template."""

from __future__ import annotations

import re

__all__ = ["small_talk"]


_SMALL_TALK = [
    (
        re.compile(r"(hi|hello|hey|hiya|howdy|greetings|good (morning|afternoon|evening|day))( there| askback)?"),
        "greeting",
    ),
    (
        re.compile(
            r"(many )?(thanks|thank you|thx|ty|cheers)( (a lot|so much|very much))?( (that|this) (helps|helped))?"
        ),
        "thanks",
    ),
    (re.compile(r"(ok(ay)? |great,? |perfect,? )?(thanks|thank you)"), "thanks"),
    (re.compile(r"(bye|goodbye|see you|see ya|ciao)( now| later)?"), "bye"),
    (
        re.compile(
            r"(help|\?|what can you do|what do you do|what can i ask( you)?|who are you|what are you|"
            r"how does this work|what is this|what do you know( about)?)"
        ),
        "help",
    ),
]


# When a message is several pieces of small talk ("thanks, bye"), the reply that answers the last
# word of a conversation: a request for help first, then a goodbye, thanks, a greeting.
_FIRST = ("help", "bye", "thanks", "greeting")
# Said beside small talk ("great, thanks"), never alone an answer of its own.
_ACKNOWLEDGED = re.compile(r"(ok(ay)?|great|perfect|cool|nice|awesome|got it|all ?right|brilliant|lovely)")
_LONGEST = 100  # characters: longer messages are not small talk, and are not split to find out
_SENTENCES = re.compile(r"[.!;]+|\s+(?:and|&)\s+")
_PIECES = re.compile(r"[,.!;]+|\s+(?:and|&)\s+|\s+-\s+")


def small_talk(text: str) -> str | None:
    """The kind of small talk ``text`` is, when it is nothing but that: one piece ("thanks") or
    several ("thanks, bye", "hi! what can you do?")."""
    whole = _kind(text)
    if whole or len(text) > _LONGEST:
        return whole
    for pieces in (_SENTENCES.split(text), _PIECES.split(text)):
        said = [p for p in pieces if p.strip()]
        kinds = [_kind(p) for p in said if not _ACKNOWLEDGED.fullmatch(p.strip().lower())]
        if len(said) > 1 and kinds and None not in kinds:
            return next(k for k in _FIRST if k in kinds)
    return None


def _kind(text: str) -> str | None:
    bare = re.sub(r"[^a-z' ?]", "", text.lower()).strip(" ?") or ("?" if "?" in text else "")
    for pattern, kind in _SMALL_TALK:
        if pattern.fullmatch(bare):
            return kind
    return None
