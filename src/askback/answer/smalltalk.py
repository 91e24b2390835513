"""Small talk: a greeting, thanks, an acknowledgement, goodbye, a request for help or a question
about the bot itself, answered by a template; and a message that asks nothing ("what", "huh")."""

from __future__ import annotations

import re

from askback.search.words import STOPWORDS

__all__ = ["asks_nothing", "small_talk"]


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
    # Questions about the bot itself, never about anything the articles name: "you" is their subject.
    (
        re.compile(
            r"((so|but|wait|hey) )?(are you|am i (talking|speaking|chatting) (to|with)|is this)"
            r"( just| really| actually)?( an?)?( real| actual| live)?"
            r" (person|human( being)?|bot|robot|chat ?bot|ai|machine)( or (an? )?(person|human|bot|robot|ai|machine))?"
        ),
        "help",
    ),
    (re.compile(r"are you (real|human|alive|a computer|a program)"), "help"),
    # Doubt of the bot's answer: the answer is the articles' words, and the help says so.
    (re.compile(r"((but|so|and) )?(are you (sure|certain)|you sure)"), "help"),
    (re.compile(r"(who|what) am i (talking|speaking|chatting) (to|with)|who (made|built|runs) (you|this)"), "help"),
]


# When a message is several pieces of small talk ("thanks, bye"), the reply that answers the last
# word of a conversation: a request for help first, then a goodbye, thanks, a greeting, and an
# acknowledgement only when it is all there is ("ok, cool").
_FIRST = ("help", "bye", "thanks", "greeting", "acknowledged")
# "ok", "got it": alone, an acknowledgement; beside other small talk ("great, thanks"), that one answers.
_ACKNOWLEDGED = re.compile(
    r"(ok(ay)?|k|kk|okey|great|perfect|cool|nice|awesome|got it|gotcha|all ?right|alright|brilliant|lovely|"
    r"fine|sure|understood|i see|makes sense|noted|good|yes|yeah|yep|yup|no|nope|nah|no thanks?|no thank you)"
    r"( then| now)?"
)
# Sounds that ask nothing ("huh", "hmm"): with only stop words beside them, a message holds no question.
_SOUNDS = re.compile(r"h+u+h+|h+m+|u+h+|u+m+|e+h+|e+r+m*|a+h+|o+h+|w+h?a+t*|wut|pardon")
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
        kinds = [_kind(p) for p in said]
        if len(said) > 1 and None not in kinds:
            return next(k for k in _FIRST if k in kinds)
    return None


_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z]")


def asks_nothing(text: str) -> bool:
    """Does ``text`` hold no word to search for: only question words, stop words and sounds
    ("what", "why?", "huh")? Alone such a message asks for nothing; after a question it may be a
    follow-up ("why?"), read with the conversation."""
    if _OPTION.search(text):  # "what does --all do?": a command-line option is a word to look up
        return False
    # Any letter or digit counts: a word of another script is a word, left for the search to judge.
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", text.lower().replace("’", "'"))
    return all(w in STOPWORDS or _SOUNDS.fullmatch(w) for w in words)


def _kind(text: str) -> str | None:
    bare = re.sub(r"[^a-z' ?]", "", text.lower()).strip(" ?") or ("?" if "?" in text else "")
    for pattern, kind in _SMALL_TALK:
        if pattern.fullmatch(bare):
            return kind
    return "acknowledged" if _ACKNOWLEDGED.fullmatch(bare) else None
