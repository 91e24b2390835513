"""Reading a turn within its conversation: does it depend on the turns before it ("and how much
does each one cost?"), which earlier turns are its context, and how the turn's own words and its
context share the search. A turn that reads as self-contained is answered on its own words, while
an elliptical one ("how many people took part?") keeps its context."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import numpy as np

from askback.answer.message import points_back
from askback.answer.smalltalk import small_talk
from askback.config import ANSWERING, AnswerSettings
from askback.search.retrieval import Hit, Retriever
from askback.search.words import passage_words, tokenize

__all__ = [
    "context_turns",
    "contextual_query",
    "covers",
    "depends_on_history",
    "foreign_whole_question",
    "lift_first",
    "own_subject",
    "own_words_only",
    "stands_alone",
    "subject_of",
    "with_the_turn_itself",
]


_FOLLOW_UP_START = re.compile(r"(and|but|so|also|then|what about|how about|what else|same for|and what)\b")


_BACK_REFERENCE = re.compile(r"\b(it|its|they|them|their|those|these|that|this|ones?|there|he|she|him|her|each)\b")


def subject_of(retriever: Retriever, turn: str, besides: str = "", words: int = 3) -> str:
    """What ``turn`` asks about, in its own words: up to ``words`` of its words that the articles
    use (or that are rare and no article uses), not everyday in them nor in most passages, nor in
    ``besides`` (the turn pointing back to it), the rarest in English and those nearly as rare.
    "How do I clear the pip cache?" is about "cache" in a guide where every page says "pip"; the
    corpus's own words decide, never a list of one subject's nouns."""
    from askback.search.english import expected

    asked = set(tokenize(besides))
    everyday = set(retriever.everyday_words(turn))
    total = retriever.speller.total_words()
    users = {w: _users_word(turn, w) for w in dict.fromkeys(tokenize(turn))}
    # A rare word no article uses is the subject too ("the keto diet"): what makes "does it cut
    # down relapses?" a question they don't answer.
    found = [
        w
        for w in users
        if w not in asked
        and w not in retriever.common_words
        and w not in everyday
        and (retriever.uses(w) or (not retriever.knows(w) and expected(users[w], total) < 1))
    ]
    rate = {w: expected(users[w], total) for w in found}
    # Only words about as rare as the rarest: "worker thread", not the "start" of "how do I start a
    # worker thread?" (ten times as common in English), which the question before asked, not this one.
    rarest = min(rate.values(), default=0.0)
    # Of equally rare words, those no article uses first: "CVE-2024-55549" of "Is libxslt 1.1.35
    # affected by CVE-2024-55549?" is what "which release fixes it?" asks about, not "1.1.35".
    kept = sorted((w for w in found if rate[w] <= _AS_RARE * rarest), key=lambda w: (rate[w], retriever.knows(w)))
    return " ".join(users[w] for w in kept[:words])


_AS_RARE = 10.0  # a tenth of English's rate: one step of the Zipf scale


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _users_word(text: str, stem: str) -> str:
    """The word of ``text`` as the user wrote it whose stem is ``stem``."""
    return next((w for w in _WORD.findall(text) if tokenize(w) == [stem]), stem)


def depends_on_history(text: str) -> bool:
    """A short turn, a turn that starts like a follow-up, or one that points back ("it", "those")."""
    lower = text.lower()
    content = tokenize(text)
    if _FOLLOW_UP_START.match(lower) or len(content) <= 2:
        return True
    return bool(_BACK_REFERENCE.search(lower)) and len(content) <= 4


_EXISTENTIAL = re.compile(r"\b(is|are|was|were|isn't|aren't)\s+there\b", re.I)
# A verb that makes a question whole ("Is there a GUI?", "how do I …"); "over what period?" has none.
_VERB = re.compile(r"\b(is|are|was|were|do|does|did|can|could|will|would|should|shall|may|might|must|has|have|had)\b")


def foreign_whole_question(retriever: Retriever, text: str) -> bool:
    """Is ``text`` a whole question ("Is there a GUI?"), neither elliptical ("and pricing?", "over what
    period?") nor pointing back, about words the articles never use? The conversation before it cannot say
    what it asks; its own words can only find what comes closest."""
    lower = text.lower()
    content = tokenize(text)
    if _FOLLOW_UP_START.match(lower) or not _VERB.search(lower) or not content:
        return False
    if _BACK_REFERENCE.search(_EXISTENTIAL.sub(" ", lower)):  # "is there" points back to nothing
        return False
    return not any(map(retriever.knows, content))


def context_turns(retriever: Retriever, history: Sequence[str], settings: AnswerSettings = ANSWERING) -> list[str]:
    """The last ``history_turns`` earlier turns that may be context, oldest first. Refused turns and
    small talk never are: they would pull the search off the subject. Only as many turns are
    searched as it takes to find them, however long the history."""
    found: list[str] = []
    for turn in reversed(history):
        if len(found) == settings.history_turns:
            break
        if not small_talk(turn) and covers(retriever, retriever.search(turn, 10), turn, settings):
            found.insert(0, turn)
    return found


def contextual_query(
    text: str, history: Sequence[str], settings: AnswerSettings = ANSWERING, retriever: Retriever | None = None
) -> str:
    """The question, preceded by the earlier turns back to the last self-contained one. A question
    that points back ("and how do I remove just one package from it?") is preceded by what the
    turn before it asked about (``subject_of``), not by all its words: "clear" in "How do I clear
    the pip cache?" would choose the answer to that question again. After a long turn (a story)
    the whole turn is kept."""
    if not history:
        return text
    if retriever is not None and settings.follow_up_subject and points_back(text):
        last = next((t for t in reversed(history[-settings.history_turns :]) if t.strip() and not small_talk(t)), "")
        # A long turn tells a story: its rarest words are its details, not what "it" is.
        short = len(tokenize(last)) <= settings.short_turn_words
        subject = subject_of(retriever, last, text, settings.story_subject_words) if short else ""
        if subject and _points_to_the_articles(retriever, subject, text, settings):
            return text
        if subject:
            return f"{subject} {text}"
    context: list[str] = []
    for turn in reversed(history[-settings.history_turns :]):
        turn = " ".join(turn.split())
        if not turn or small_talk(turn):
            continue
        context.insert(0, turn)
        if not depends_on_history(turn):
            break
    return " ".join([*context, text])


def own_subject(retriever: Retriever, turn: str) -> list[str]:
    """The turn's own subject words that the articles use in some form ("pregnancy" where they say
    "pregnant", "possibly lost"): neither corpus-wide nor everyday in them."""
    everyday = set(retriever.everyday_words(turn))
    return [
        w
        for w in dict.fromkeys(tokenize(turn))
        if w not in retriever.common_words and w not in everyday and retriever.mentions(_users_word(turn, w))
    ]


def _points_to_the_articles(retriever: Retriever, subject: str, turn: str, settings: AnswerSettings) -> bool:
    """Does "it" in ``turn`` stand for what every article is about rather than ``subject``, what
    the turn before asked about? So when no passage holds that subject together with one of the
    turn's own words, and the turn alone finds a passage close in meaning: "does it hurt?" after
    "How much does a session cost?" asks whether the treatment hurts, and no passage says how
    much a cost hurts. A subject the articles don't use ("the keto diet") is what "it" is."""
    named = tokenize(subject)
    own = [w for w in own_subject(retriever, turn) if w not in named and retriever.uses(w)]
    if not own or not all(map(retriever.uses, named)):
        return False
    if _held_together(retriever, named, own):
        return False
    alone = retriever.search(turn, settings.own_best)
    return bool(alone) and max(h.dense for h in alone) >= settings.stands_alone_above


def _held_together(retriever: Retriever, every: Sequence[str], one_of: Sequence[str]) -> bool:
    """Does some passage hold every word of ``every`` and one of ``one_of`` (words the articles use)?"""
    held = [retriever.bm25_scores([w]) > 0 for w in every]
    either = np.logical_or.reduce([retriever.bm25_scores([w]) > 0 for w in one_of])
    return bool(np.logical_and.reduce([*held, either]).any())


def stands_alone(
    query: str, alone: Sequence[Hit], settings: AnswerSettings, follow_up: bool, names_its_subject: bool = False
) -> bool:
    """Can a turn be answered on its own words? Its own search finds a passage close in meaning
    ("what about the risks?", "how long does it take?"), and a follow-up also points
    back to nothing ("it", "those"). "How many people took part?" finds nothing close alone: the
    conversation says which trial it is about. A turn that names its own subject in the articles'
    words ("what about during pregnancy?", "and what about 'possibly lost'?") needs a passage only
    ``own_subject_above`` close: it takes from the conversation only how it is asked."""
    if (follow_up and _BACK_REFERENCE.search(query.lower())) or not alone:
        return False
    above = settings.stands_alone_above
    if names_its_subject:
        above = min(settings.own_subject_above, above)
    return max(h.dense for h in alone) >= above


def own_words_only(retriever: Retriever, hits: Sequence[Hit], turn: str, settings: AnswerSettings) -> list[Hit]:
    """The hits that answer the turn's own words: those holding one of its distinctive words the
    articles know, or among the best for the turn alone. The conversation (or the sentence a
    question points back to) says what "it" is; it must not choose the answer: after "What does a
    session cost?", "what about the risks?" is about risks, not cost. A turn with no such word
    ("and for her?") keeps them all."""
    words = {w for w in tokenize(turn) if w not in retriever.common_words and retriever.knows(w)}
    if not words:
        return list(hits)
    best = {h.number for h in retriever.search(turn, settings.own_best)}
    kept = [h for h in hits if h.number in best or words & passage_words(h.passage.heading, h.passage.text)]
    return kept or list(hits)


def lift_first(leading: Sequence[Hit], hits: Sequence[Hit]) -> list[Hit]:
    """``leading`` ranked above every hit, in their order, then the other hits."""
    if not leading:
        return list(hits)
    top = max([h.score for h in hits] + [0.0])
    numbers = {h.number for h in leading}
    lifted = [dataclasses.replace(h, score=top + 1e-3 * (len(leading) - i)) for i, h in enumerate(leading)]
    return lifted + [h for h in hits if h.number not in numbers]


def with_the_turn_itself(in_context: Sequence[Hit], alone: Sequence[Hit], w: float) -> list[Hit]:
    """Hits scored with the conversation and on the turn's own words, ``w`` the share of the latter:
    the context says what "each one" or "it" is, the turn says what is asked about it."""
    floor_context = min((h.score for h in in_context), default=0.0)
    floor_alone = min((h.score for h in alone), default=0.0)
    mine = {h.number: h for h in alone}

    merged = []
    for h in in_context:
        other = mine.pop(h.number, None)
        merged.append(h.rescored((1 - w) * h.score + w * (other.score if other else floor_alone)))
    merged += [h.rescored((1 - w) * floor_context + w * h.score) for h in mine.values()]
    return sorted(merged, key=lambda h: -h.score)


def covers(retriever: Retriever, hits: Sequence[Hit], query: str, settings: AnswerSettings = ANSWERING) -> bool:
    """Do the articles speak to ``query``? Close meaning, or fair meaning plus words the articles use."""
    if not hits:
        return False
    words = tokenize(query)
    if retriever.names_an_article(words):
        return True  # "the Ubie article", "Michael Zhang": a question about one of the articles
    best = max(h.dense for h in hits)
    known = sum(retriever.knows(w) for w in words) / len(words) if words else 0.0
    return best >= settings.answer_above or (best >= settings.answer_with_words_above and known >= settings.known_words)
