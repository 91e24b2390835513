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


def small_talk(text: str) -> str | None:
    """The kind of small talk ``text`` is, when it is nothing but that."""
    bare = re.sub(r"[^a-z' ?]", "", text.lower()).strip(" ?") or ("?" if "?" in text else "")
    for pattern, kind in _SMALL_TALK:
        if pattern.fullmatch(bare):
            return kind
    return None
