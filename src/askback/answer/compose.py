"""Composing an answer made only of verbatim quotes and fixed templates. The steps, each in the
module named for it:

1. ``message``: check the question and the history; find the message's questions and its story.
2. ``smalltalk``: a greeting, thanks, a request for help or a message that asks nothing gets the
   bot's ``voice``.
3. ``conversation``: which earlier turns are context for a follow-up.
4. ``part``: each question searched, judged covered or not, its quotes (``quotes``) and offers
   (``offer``) chosen, its ``confidence`` computed and its ``decision`` recorded.
5. Safety first: a message describing red flags of the corpus's safety list leads with the
   articles' urgent passages.
6. ``quotes``: each passage shown once across the parts; ``suggestions`` of what else to ask.
7. ``layout``: the answer's blocks, rendered as markdown.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from askback import templates
from askback.answer.conversation import context_turns
from askback.answer.layout import render
from askback.answer.message import asks, check_history, check_question, read_message
from askback.answer.part import Found, answer_part, searched
from askback.answer.quotes import distinct, hedged_offered, once, overlap
from askback.answer.smalltalk import asks_nothing, small_talk
from askback.answer.suggestions import answered_headings, suggest
from askback.answer.voice import voice_of
from askback.config import ANSWERING, AnswerSettings
from askback.records import Answer, Part
from askback.search.retrieval import Retriever
from askback.search.words import tokenize

__all__ = ["abstention", "after_safety", "compose", "suggestable"]

# Why an unsure part's quote is only offered (``--explain``).
_HELD = "; offered, not shown: beside a sure answer, or after another part that may not be answered"
_PERSONAL = re.compile(r"\b(should|can|could|may|must|do) i\b|\bfor me\b|\bmy\b|\bi('m| am| have| take)\b")


def compose(
    retriever: Retriever, question: str, history: Sequence[str] | None = (), settings: AnswerSettings = ANSWERING
) -> Answer:
    """Answer ``question`` (``history``: earlier user turns, oldest first) with quotes or a template.

    Each question of the message is answered on its own (``Answer.parts`` when there are several);
    the story around a question counts for ``1 - question_weight`` of its search."""
    with retriever.one_answer():  # each text encoded once, most of them in one call
        return _compose(retriever, question, history, settings)


def _compose(retriever: Retriever, question: str, history: Sequence[str] | None, settings: AnswerSettings) -> Answer:
    voice = voice_of(retriever.stored)
    text = check_question(question, voice)
    history = check_history(history)
    chat = small_talk(text)
    # "why?" after a question is a follow-up; alone, a message with no word to look up asks nothing.
    if not chat and asks_nothing(text) and not any(t.strip() and not small_talk(t) for t in history):
        chat = "nothing"
    if chat:
        reply = {
            "greeting": voice.greeting,
            "thanks": voice.thanks,
            "acknowledged": voice.acknowledged,
            "bye": voice.goodbye,
            "help": voice.help,
            "nothing": voice.no_question,
        }[chat]
        return Answer((), False, reply, suggestable(retriever, settings)[: settings.suggestions])
    message = read_message(text)
    several = len(message.parts) > 1
    flags = retriever.stored.bot.safety.red_flags_in(text)
    asked = list(zip(message.parts, message.queries, strict=True))
    # Every text the answer searches, encoded in one call (a run of the encoder costs about as much for
    # several short texts as for one); the contexts of follow-ups once the relevant turns are known.
    turns = [t for t in history[-settings.history_turns :] if not small_talk(t)] if settings.history_turns else []
    story = message.context
    read = [searched(retriever, p, q, story, (), settings) for p, q in asked]
    retriever.encode_ahead([*turns, story, ". ".join(flags), *(t for r in read for t in r.texts)])
    relevant = context_turns(retriever, history, settings)
    if relevant:  # read again with the turns they may depend on
        read = [searched(retriever, p, q, story, relevant, settings) for p, q in asked]
        retriever.encode_ahead(t for r in read for t in r.texts)
    # The story is searched once, for all the parts: encoding a long message is the costly step.
    around = (message.context, retriever.search(message.context, settings.candidates)) if message.context else None
    found = [
        answer_part(retriever, r, around, settings, several, [p for p in message.parts if p != r.part]) for r in read
    ]
    # Ranked by the symptoms the user described, not the rest of the message: the passage about them first.
    urgent = retriever.urgent_hits(retriever.encode(". ".join(flags)), settings.safety_quotes) if flags else []
    if urgent:  # safety first: before anything else the articles say
        found = after_safety(found, flags)
        found.insert(0, Found(Part("", tuple(h.passage for h in urgent), False, red_flags=flags), None, urgent))
    # A message's parts that may not be answered offer their closest passage beside a sure answer.
    parts, held = hedged_offered([f.part for f in found]) if several else ([f.part for f in found], ())
    explanation = tuple(
        f.decision if p.quotes == f.part.quotes else dataclasses.replace(f.decision, reason=f.decision.reason + _HELD)
        for f, p in zip(found, parts, strict=True)
        if f.decision is not None
    )
    parts = distinct(parts)
    quotes = tuple(dict.fromkeys(q for part in parts for q in part.quotes))
    parts = tuple(
        dataclasses.replace(p, more=tuple(m for m in p.more if not any(overlap(m, q) for q in quotes))) for p in parts
    )
    shown = parts if several or urgent else ()
    if not quotes:
        return dataclasses.replace(abstention(retriever, settings, shown), explanation=explanation)
    notice = voice.disclaimer if _PERSONAL.search(text.lower()) else ""
    hits = [h for f in found for h in f.hits]
    suggestions = suggest(retriever, hits, quotes, text, suggestable(retriever, settings), settings)
    more = once([*held, *(m for part in parts for m in part.more)])
    answered = [p for p in parts if not p.abstained and not p.red_flags]
    sure = min((p.confidence for p in answered), default=1.0)
    # A message is unsure when any question it answers is: each part says so under its own
    # heading, and the question log counts the message among those to teach.
    unsure = any(p.unsure for p in answered)
    missing = next((p.missing for p in answered if p.unsure and p.missing), "")
    markdown = render(quotes, notice, shown, more, unsure, missing)
    return Answer(quotes, False, markdown, suggestions, shown, more, sure, unsure, missing, explanation)


def after_safety(found: Sequence[Found], flags: Sequence[str]) -> list[Found]:
    """The parts to answer after the safety part, which names the symptoms: one voice, so a word
    it named is never called missing, and a part that only tells the symptoms (it asks nothing, or
    nothing is left of it without them) is not asked again."""
    kept = []
    for f in found:
        rest = f.part.question
        for words in flags:
            rest = rest.replace(words, " ")
        if not asks(f.part.question) or not tokenize(rest):
            continue
        if f.part.missing and any(f.part.missing.lower() in words.lower() for words in flags):
            f = dataclasses.replace(f, part=dataclasses.replace(f.part, missing=""))
        kept.append(f)
    return kept


def abstention(retriever: Retriever, settings: AnswerSettings = ANSWERING, parts: tuple[Part, ...] = ()) -> Answer:
    suggestions = suggestable(retriever, settings)[: settings.suggestions]
    # The suggestions' line only over a list: a corpus with no question headings has none to offer.
    markdown = "\n".join(
        [templates.ABSTAIN, _suggest_label(suggestions), *(f"- {s}" for s in suggestions)]
        if suggestions
        else [templates.ABSTAIN]
    )
    return Answer((), True, markdown, suggestions, parts, confidence=0.0)


def suggestable(retriever: Retriever, settings: AnswerSettings = ANSWERING) -> tuple[str, ...]:
    """The question headings askback may suggest: those that asking quotes their own section."""
    return answered_headings(retriever, lambda heading: compose(retriever, heading, (), settings))


def _suggest_label(suggestions: Sequence[str]) -> str:
    """Questions are offered as questions; a corpus whose headings ask nothing offers its sections."""
    return templates.SUGGEST if all(s.endswith("?") for s in suggestions) else templates.SUGGEST_TOPICS
