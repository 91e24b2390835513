"""Answering one question of a message: search it (with its conversation and its story), judge
whether the articles cover it, choose its quotes and offers, and say how sure the answer is."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from askback.answer import offer
from askback.answer.confidence import confidence, rarity, signals
from askback.answer.conversation import (
    contextual_query,
    covers,
    depends_on_history,
    foreign_whole_question,
    lift_first,
    own_subject,
    own_words_only,
    stands_alone,
    subject_of,
    with_the_turn_itself,
)
from askback.answer.decision import Deciding
from askback.answer.form import fit_to_form
from askback.answer.message import asks, points_back
from askback.answer.quotes import select, trimmed, with_code, with_marker, with_neighbour
from askback.answer.taught import explained, taught_hits
from askback.config import ANSWERING, AnswerSettings
from askback.corpus.kinds import wanted_kinds
from askback.records import Decision, Part
from askback.search.absence import names_written, not_the_subject
from askback.search.distinctive import without_common
from askback.search.english import expected, is_english, rarest
from askback.search.retrieval import Hit, Retriever
from askback.search.unrelated import baseline
from askback.search.words import passage_words, tokenize

__all__ = [
    "Found",
    "Searched",
    "answer_part",
    "missing_around",
    "missing_word",
    "nameable",
    "searched",
    "subject_words",
    "users_word",
    "with_story_subject",
]


@dataclass(frozen=True)
class Found:
    """One question's part, the hits it was chosen from, and how it was decided."""

    part: Part
    decision: Decision | None
    hits: list[Hit]


@dataclass(frozen=True)
class Searched:
    """One question of a message as its searches read it (``searched``), worked out once: the
    texts are encoded ahead in one call, then searched."""

    part: str  # the question as the user wrote it
    asked: str  # the message's sentence that asks it (``Message.queries``)
    query: str  # as searched: the subject of the question before it in place of words that point back
    context: str  # with the earlier on-topic turns, when it depends on them; else ``query``
    distinct: str  # its distinctive words, when some of its words are corpus-wide; else ""

    @property
    def texts(self) -> list[str]:
        """What ``answer_part`` searches: the question with its context, on its own, its
        distinctive words and, when it points back, its own words."""
        return [self.context, self.query, self.distinct, self.part if self.query != self.part else ""]


def answer_part(
    retriever: Retriever,
    read: Searched,
    around: tuple[str, list[Hit]] | None,
    settings: AnswerSettings,
    several: bool,
    others: Sequence[str] = (),
) -> Found:
    """One question's quotes: searched on its words, with the earlier on-topic turns (``read.context``)
    when it depends on them, and with the message around it (``around``: its text and hits;
    ``others``: the message's other questions)."""
    part, query, context, distinct = read.part, read.query, read.context, read.distinct
    told = around[0].replace(read.asked, " ") if around else ""  # the sentences around the question
    follow_up = depends_on_history(query)
    vector = retriever.encode(context)
    hits = retriever.search(context, settings.candidates, vector=vector)
    alone = hits if context == query else retriever.search(query, settings.candidates)
    if context == query:
        covered = covers(retriever, hits, query, settings)
    elif not stands_alone(query, alone, settings, follow_up, bool(own_subject(retriever, query))):
        # A follow-up that cannot stand alone is judged with its context, unless its own words are
        # all foreign to the articles; a one-word turn ("period?") may be elliptical. A turn that
        # reads as self-contained is judged on its own words ("what's the weather in London?").
        own_words = tokenize(query)
        covered = (
            covers(retriever, hits, context, settings) and (len(own_words) < 2 or any(map(retriever.knows, own_words)))
            if follow_up
            else covers(retriever, alone, query, settings)
        )
        hits = with_the_turn_itself(hits, alone, settings.follow_up_weight)
    else:
        # A turn whose own words find a close answer is answered on them first, even after a
        # conversation on another subject ("what about the risks?" after costs); the conversation
        # counts a little.
        covered = covers(retriever, alone, query, settings)
        hits = with_the_turn_itself(hits, alone, settings.new_subject_weight)
    if query != part:  # the sentence it points back to says what "it" is, not what is asked
        hits = own_words_only(retriever, hits, part, settings)
    judged = hits
    subject = subject_words(retriever, query, settings)
    if distinct:
        hits = with_the_turn_itself(hits, retriever.search(distinct, settings.candidates), settings.distinctive_weight)
    if around and around[0] not in query:  # a query that carries the whole story has it already
        story, story_hits = around
        covered = covered or covers(retriever, story_hits, story, settings)
        hits = with_the_turn_itself(story_hits, hits, settings.question_weight)
    hits, reading = fit_to_form(retriever, part, hits, settings)
    if retriever.stored.bot.safety.asks_for_a_doctor(part):
        hits = lift_first(retriever.urgent_hits(vector, settings.safety_quotes), hits)
    unknown = tuple(w for w in subject if not retriever.knows(w))
    read_as, everyday = retriever.speller.corrected(part), retriever.everyday_words(query)
    decide = Deciding(part, read_as, subject, unknown, everyday, hits, settings, reading)
    lifted = taught_hits(retriever, query, hits, settings, vector if context == query else None)
    if not lifted and (not covered or not hits):
        return Found(*decide.refused("the closest passages are far from the question in meaning"), hits)
    missing = missing_word(retriever, query, settings) if context == query and not lifted else ""
    if missing:
        named = missing if nameable(retriever, part, missing) else ""
        return Found(*decide.refused(f"no article uses “{missing}”", named), [])
    wanted = wanted_kinds(query)
    # A question that asks for a sample or a command ("show me an example of …", "what command …")
    # may be answered by the sentence that introduces one ("A typical tally.toml looks like this:"),
    # quoted with it (quotes.with_code); otherwise such a sentence reads as a list's lead-in whose
    # list is lost. "exec() kills my command" asks for no command.
    asks_sample = bool(_ASKS_SAMPLE.search(query))
    leads = {h.number for h in hits if asks_sample and retriever.sections.code_after(h.number) is not None}
    hits = [h for h in hits if h.passage.kind in wanted or h.number in leads]
    hits = lifted.first(hits) if lifted else hits
    if not hits:
        return Found(*decide.refused("only references, bios or promotions match"), hits)
    max_articles = settings.part_articles if several else settings.max_articles
    quoted, offered = offer.split(select(hits, settings, max_articles, leads), hits, settings)
    quoted, offered = offer.of_the_asked_kind(quoted, offered, reading.asked_for, retriever.forms.holds)
    top = quoted[0].passage
    held = passage_words(top.heading, top.text)
    names = _names(query, subject)
    best = max((h.dense for h in judged), default=0.0)
    # The unrelated level costs a few hundred ms per loaded index (paid while the suggestions are
    # checked, before any request is timed): read only while closeness is weighed, else shown as 0.
    values = signals(
        baseline(retriever).above(best) if settings.confidence_weights[1] else 0.0,
        [users_word(query, w) for w in subject],
        [w not in unknown for w in subject],
        [w in held for w in subject],
        [_holds(h, subject) for h in hits[:_FULLEST_OF]],
        # The story says what the question is about only when the question names nothing itself or
        # points into it ("How do I fix that?"); otherwise a story's details are only its details.
        # The message's other questions ask about the same thing ("Should I use AddressSanitizer or
        # Memcheck? What are the tradeoffs in speed?"): a name they use and no article does counts.
        [
            *(missing_around(retriever, told, subject) if not subject or points_back(part) else []),
            *missing_around(retriever, " ".join(others), subject),
        ],
        [[bool(n.search(_text(h))) for n in names] for h in hits[:_FULLEST_OF]],
    )
    sure = confidence(values, settings)
    unsure = sure < settings.unsure_below and not lifted  # the publisher vouched for a taught answer
    if unsure:  # one quote, the closest the articles come; the rest only offered
        quoted, offered = quoted[:1], [*quoted[1:], *offered]
    absent = [w for w in (users_word(query, w) for w in unknown) if nameable(retriever, part, w)] if unsure else []
    missing = rarest(absent) if absent else ""
    words = set(tokenize(context))
    quotes = with_code(
        retriever,
        [
            h.passage
            if lifted and lifted.holds(h)
            else trimmed(
                retriever, *with_neighbour(retriever, h, hits, settings), vector, words, settings, h.passage.start
            )
            for h in quoted
        ],
        quoted,
    )
    quotes = [with_marker(retriever, q) for q in quotes]
    # The last word: no quote leaves unless the article file, as it is now, holds it at its offsets.
    kept = tuple(q for q in quotes if retriever.files.holds(q))
    more = tuple(h.passage for h in offered if retriever.files.holds(h.passage))
    part_, decision = decide.answered(kept, more, values, sure, unsure, quoted, offered, missing)
    return Found(part_, explained(decision, lifted), hits)


def searched(
    retriever: Retriever, part: str, query: str, story: str, relevant: Sequence[str], settings: AnswerSettings
) -> Searched:
    """The question as searched (the subject of the question before it, or of its story, in place of
    words that point back), with its context (the earlier on-topic turns, when it depends on
    them; else the same) and its distinctive words (when ``distinctive_weight`` counts them)."""
    asked = query
    earlier = query[: -len(part)] if query != part and query.endswith(part) else ""
    if earlier and settings.follow_up_subject and points_back(part) and asks(earlier) and not points_back(earlier):
        # "What is a wheel cache, and how do I disable it?": "it" is what the question before asked
        # about. A question before that points back itself ("Is it safe?"), or a sentence of the
        # story, is kept whole.
        named = subject_of(retriever, earlier, part, settings.story_subject_words)
        query = f"{named} {part}" if named else query
    query = with_story_subject(retriever, query, story, settings)
    short = len(tokenize(query)) <= settings.short_turn_words
    follow_up = depends_on_history(query)
    # A whole question on words no article uses ("Is there a GUI?") takes nothing from the
    # conversation: after a question on Python files it is not about Python files.
    depends = bool(relevant) and (follow_up or short) and not foreign_whole_question(retriever, query)
    context = contextual_query(query, relevant, settings, retriever) if depends else query
    distinct = without_common(query, retriever.common_words) if settings.distinctive_weight > 0 else ""
    return Searched(part, asked, query, context, distinct)


_FULLEST_OF = 8  # the passages searched for the one holding most of the question's subject


def _text(hit: Hit) -> str:
    p = hit.passage
    return f"{p.article.title}\n{p.heading}\n{p.text}"


def _names(query: str, subject: Sequence[str]) -> list[re.Pattern[str]]:
    """The names the question writes, one of whose words is a subject word ("Dr. Memory", not the
    "Valgrind" every page of its manual says), as patterns matching them as written."""
    return [
        re.compile(r"\b" + r"[\W_]{1,3}".join(map(re.escape, name)) + r"\b", re.IGNORECASE)
        for name in names_written(query)
        if any(t in subject for t in tokenize(" ".join(name)))
    ]


def _holds(hit: Hit, subject: Sequence[str]) -> list[bool]:
    """Whether the passage, under its article's title and its heading, holds each subject word."""
    p = hit.passage
    words = passage_words(f"{p.article.title} {p.heading}", p.text)
    return [w in words for w in subject]


def missing_around(retriever: Retriever, story: str, subject: Sequence[str]) -> list[str]:
    """The names in the question's story that no article uses, as the user wrote them: words
    English doesn't list (a product, a tool: "Heroku", "asar") and names written as code
    ("ERR_REQUIRE_ESM"), not the question's own.
    A story's everyday details ("my kitchen", "paracetamol", "76") are only its details."""
    words = [w for w in subject_words(retriever, story) if w not in subject and not retriever.knows(w)]
    named = [
        u
        for u in (users_word(story, w) for w in words)
        if len(u) > 2 and not any(c.isdigit() for c in u) and not is_english(u)
    ]
    return [*named, *retriever.names_missing(story)]


def nameable(retriever: Retriever, question: str, word: str) -> bool:
    """May askback say that none of the articles mentions ``word``? Only when the question holds it,
    no article holds it in any form nor a word it is a typo of, and it is not a verb of the story
    ("my friend swears by it"): a claim of absence is checked before it is made."""
    if not any(c.isalpha() for c in word):  # a number: "7" of "Python 2.7" is a piece of a version
        return False
    held = re.search(rf"\b{re.escape(word)}\b", question, re.IGNORECASE)
    return bool(held) and not retriever.mentions(word) and not not_the_subject(question, word)


def missing_word(retriever: Retriever, question: str, settings: AnswerSettings = ANSWERING) -> str:
    """The user's word that none of the articles uses and that carries the question's meaning
    ("Does Medicare cover it?"): without it the question means something else (cosine of
    the two below ``missing_meaning``). Empty when there is none."""
    if settings.missing_meaning <= 0:
        return ""
    words = [w for w in _WORD.findall(question) if len(w) > 2 and tokenize(w)]
    unknown = list(dict.fromkeys(w for w in words if not all(retriever.knows(t) for t in tokenize(w))))
    if not unknown:
        return ""
    whole = retriever.encode(question)[0]
    for word in unknown[:3]:
        without = re.sub(rf"\b{re.escape(word)}\b", " ", question)
        if float(retriever.encode(without)[0] @ whole) < settings.missing_meaning:
            return word
    return ""


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_ASKS_SAMPLE = re.compile(
    r"\b(examples?|snippets?|samples?|show me|(?:what|which) (?:is the )?command|the command (?:to|for|that))\b", re.I
)


# "people in her situation", "for him", "in my case": the story says who or what that is.
_POINTS_INTO_STORY = re.compile(
    r"\b(?:(?:people|someone|anyone|those|others|somebody)\s+(?:in|like|with)\s+)?"
    r"(?:her|his|their|my|your|this|that|such an?|the same)\s+(?:situation|case|condition|circumstances?|position|"
    r"problem|issue|state)\b|\b(?:for|to|with|in|on|about)\s+(?:him|her|them)\b|\bpeople like (?:him|her|me|them|us)\b",
    re.IGNORECASE,
)


def with_story_subject(retriever: Retriever, question: str, story: str, settings: AnswerSettings) -> str:
    """The question, its words that point back into its story ("people in her situation", "for
    him") replaced by the story's rarest words that the articles know ("pacemaker", "sciatica"):
    the question's subject, for the search, the distinctive-word signal and confidence. The
    pointing words themselves ("people", "situation") say nothing of what is asked."""
    pointing = _POINTS_INTO_STORY.search(question)
    if not story or settings.story_subject_words <= 0 or not pointing:
        return question
    asked = set(tokenize(question))
    everyday = set(retriever.everyday_words(story))
    known = [
        w
        for w in dict.fromkeys(tokenize(story))
        if w not in asked and w not in retriever.common_words and w not in everyday and retriever.uses(w)
    ]
    if not known:
        return question
    total = retriever.speller.total_words()
    # Rarest in English first: "pacemaker" and "warfarin" name a subject, "struggling" does not.
    rarest_first = sorted(known, key=lambda w: expected(users_word(story, w), total))[: settings.story_subject_words]
    subject = " ".join(users_word(story, w) for w in rarest_first)
    return f"{question[: pointing.start()]}{subject}{question[pointing.end() :]}"


def subject_words(retriever: Retriever, query: str, settings: AnswerSettings = ANSWERING) -> list[str]:
    """The question's distinctive (stemmed) words: not corpus-wide, and, of those no article uses,
    only the ones the articles would use less than once at English's rate, or that English uses
    rarely enough to name a subject (``subject_rarity``). That 8,000 words of articles lack "put",
    "told" or "women" is phrasing, not a subject they leave out; that they lack "teenagers" may be,
    and that a manual of 180,000 words never says "flame" or "cargo" is."""
    total = retriever.speller.total_words()
    return [
        w
        for w in dict.fromkeys(tokenize(retriever.speller.corrected(query)))
        if w not in retriever.common_words
        and (
            retriever.knows(w)
            or expected(users := users_word(query, w), total) < 1
            or rarity(users) >= settings.subject_rarity
        )
    ]


def users_word(text: str, stem: str) -> str:
    """The word of ``text`` as the user wrote it whose stem is ``stem`` ("teenagers" for "teenag")."""
    return next((w for w in _WORD.findall(text) if tokenize(w) == [stem]), stem)
