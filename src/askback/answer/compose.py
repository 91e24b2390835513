"""Turning retrieved passages into an answer made only of verbatim quotes and fixed templates.

The steps: small talk gets a template; a turn is searched both with the conversation before it and
on its own words, the conversation counting more when the turn reads as a follow-up ("and how much
does each one cost?") and less when it reads as self-contained, so a new subject is answered on its
own words while an elliptical one ("how many people took part?") keeps its context; the articles
either cover the question (enough similarity, enough known words) or we abstain; each
article contributes its best passage, run on into the next passage of its section when that one
answers too. A long quote loses the sentences at its end that are far from the question in meaning
and share none of its words; trimming its start, or keeping only the sentences closest to the
question, was measured and cut the sentences that answer.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from askback import templates
from askback.answer import offer
from askback.answer.confidence import SIGNALS, confidence, signals
from askback.answer.message import read_message
from askback.answer.suggestions import answered_headings
from askback.answer.voice import Voice, voice_of
from askback.config import ANSWERING, CHUNKING, MAX_QUESTION_CHARS, AnswerSettings
from askback.corpus.chunking import on_list_line
from askback.corpus.kinds import wanted_kinds
from askback.errors import QuestionError
from askback.index.store import section_heading
from askback.records import Answer, Article, Candidate, Decision, Part, Passage
from askback.search.distinctive import without_common
from askback.search.english import expected, rarest
from askback.search.retrieval import Hit, Retriever, relevance
from askback.search.words import tokenize

__all__ = ["Block", "check_history", "check_question", "compose", "group_by_article", "layout", "render", "sources"]

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
_FOLLOW_UP_START = re.compile(r"(and|but|so|also|then|what about|how about|what else|same for|and what)\b")
_BACK_REFERENCE = re.compile(r"\b(it|its|they|them|their|those|these|that|this|ones?|there|he|she|him|her|each)\b")
_PERSONAL = re.compile(r"\b(should|can|could|may|must|do) i\b|\bfor me\b|\bmy\b|\bi('m| am| have| take)\b")


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


def compose(
    retriever: Retriever, question: str, history: Sequence[str] | None = (), settings: AnswerSettings = ANSWERING
) -> Answer:
    """Answer ``question`` (``history``: earlier user turns, oldest first) with quotes or a template.

    Each question of the message is answered on its own (``Answer.parts`` when there are several);
    the story around a question counts for ``1 - question_weight`` of its search."""
    voice = voice_of(retriever.stored)
    text = check_question(question, voice)
    history = check_history(history)
    chat = small_talk(text)
    if chat:
        reply = {"greeting": voice.greeting, "thanks": voice.thanks, "bye": voice.goodbye, "help": voice.help}[chat]
        return Answer((), False, reply, suggestable(retriever, settings)[: settings.suggestions])
    message = read_message(text)
    several = len(message.parts) > 1
    relevant = context_turns(retriever, history, settings)
    # The story is searched once, for all the parts: encoding a long message is the costly step.
    around = (message.context, retriever.search(message.context, settings.candidates)) if message.context else None
    found = [
        _answer_part(retriever, part, query, around, relevant, settings, several)
        for part, query in zip(message.parts, message.queries, strict=True)
    ]
    flags = retriever.stored.bot.safety.red_flags_in(text)
    urgent = retriever.urgent_hits(retriever.encode(text), settings.safety_quotes) if flags else []
    if urgent:  # safety first: before anything else the articles say
        found.insert(0, _Found(Part("", tuple(h.passage for h in urgent), False, red_flags=flags), None, urgent))
    explanation = tuple(f.decision for f in found if f.decision is not None)
    parts = _distinct(found)
    quotes = tuple(dict.fromkeys(q for part in parts for q in part.quotes))
    parts = tuple(
        dataclasses.replace(p, more=tuple(m for m in p.more if not any(_overlap(m, q) for q in quotes))) for p in parts
    )
    shown = parts if several or urgent else ()
    if not quotes:
        return dataclasses.replace(abstention(retriever, settings, shown), explanation=explanation)
    notice = voice.disclaimer if _PERSONAL.search(text.lower()) else ""
    hits = [h for f in found for h in f.hits]
    suggestions = suggest(retriever, hits, quotes, text, settings)
    more = _once(m for part in parts for m in part.more)
    answered = [p for p in parts if not p.abstained and not p.red_flags]
    sure = min((p.confidence for p in answered), default=1.0)
    unsure = not several and any(p.unsure for p in answered)
    missing = next((p.missing for p in answered if p.unsure), "") if unsure else ""
    markdown = render(quotes, notice, shown, more, unsure, missing)
    return Answer(quotes, False, markdown, suggestions, shown, more, sure, unsure, missing, explanation)


@dataclass(frozen=True)
class _Found:
    """One question's part, the hits it was chosen from, and how it was decided."""

    part: Part
    decision: Decision | None
    hits: list[Hit]


def _answer_part(
    retriever: Retriever,
    part: str,
    query: str,
    around: tuple[str, list[Hit]] | None,
    relevant: Sequence[str],
    settings: AnswerSettings,
    several: bool,
) -> _Found:
    """One question's quotes: searched on its words, with the earlier on-topic turns (``relevant``)
    when it depends on them, and with the message around it (``around``: its text and hits)."""
    follow_up = depends_on_history(query)
    short = len(tokenize(query)) <= settings.short_turn_words
    context = contextual_query(query, relevant, settings) if relevant and (follow_up or short) else query
    vector = retriever.encode(context)
    hits = retriever.search(context, settings.candidates, vector=vector)
    alone = hits if context == query else retriever.search(query, settings.candidates)
    if context == query:
        covered = covers(retriever, hits, query, settings)
    elif not _stands_alone(query, alone, settings, follow_up):
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
    subject = _subject(retriever, query)
    distinct = without_common(query, retriever.common_words)
    if distinct and settings.distinctive_weight > 0:
        hits = with_the_turn_itself(hits, retriever.search(distinct, settings.candidates), settings.distinctive_weight)
    if around and around[0] not in query:  # a query that carries the whole story has it already
        story, story_hits = around
        covered = covered or covers(retriever, story_hits, story, settings)
        hits = with_the_turn_itself(story_hits, hits, settings.question_weight)
    if retriever.stored.bot.safety.asks_for_a_doctor(part):
        hits = _first(retriever.urgent_hits(vector, settings.safety_quotes), hits)
    unknown = tuple(w for w in subject if not retriever.knows(w))
    read_as, everyday = retriever.speller.corrected(part), retriever.everyday_words(query)
    decide = _Deciding(part, read_as, subject, unknown, everyday, hits, settings)
    if not covered or not hits:
        return _Found(*decide.refused("the closest passages are far from the question in meaning"), hits)
    missing = missing_word(retriever, query, settings) if context == query else ""
    if missing:
        return _Found(*decide.refused(f"no article uses “{missing}”", missing), [])
    wanted = wanted_kinds(query)
    hits = [h for h in hits if h.passage.kind in wanted]
    if not hits:
        return _Found(*decide.refused("only references, bios or promotions match"), hits)
    max_articles = settings.part_articles if several else settings.max_articles
    quoted, offered = offer.split(select(hits, settings, max_articles), hits, settings)
    top = quoted[0].passage
    held = set(tokenize(f"{top.heading} {top.text}"))
    values = signals(
        max((h.dense for h in judged), default=0.0),
        subject,
        [w not in unknown for w in subject],
        [w in held for w in subject],
    )
    sure = confidence(values, settings)
    unsure = sure < settings.unsure_below
    if unsure:  # one quote, the closest the articles come; the rest only offered
        quoted, offered = quoted[:1], [*quoted[1:], *offered]
    missing = rarest([_users_word(query, w) for w in unknown]) if unsure and unknown else ""
    words = set(tokenize(context))
    quotes = [
        trimmed(retriever, *with_neighbour(retriever, h, hits, settings), vector, words, settings) for h in quoted
    ]
    # The last word: no quote leaves unless the article file, as it is now, holds it at its offsets.
    kept = tuple(q for q in quotes if retriever.files.holds(q))
    more = tuple(h.passage for h in offered if retriever.files.holds(h.passage))
    return _Found(*decide.answered(kept, more, values, sure, unsure, quoted, offered, missing), hits)


class _Deciding:
    """One question's evidence, turned into its ``Part`` with the ``Decision`` that explains it."""

    def __init__(
        self,
        question: str,
        read_as: str,
        subject: list[str],
        unknown: tuple[str, ...],
        everyday: tuple[str, ...],
        hits: Sequence[Hit],
        settings: AnswerSettings,
    ) -> None:
        self.question, self.subject, self.unknown, self.hits = question, tuple(subject), unknown, hits
        self.read_as = read_as if read_as != question else ""  # the search's reading, typos corrected
        self.everyday = everyday
        self.settings = settings

    def _candidates(self, quoted: Sequence[Hit] = (), offered: Sequence[Hit] = ()) -> tuple[Candidate, ...]:
        quoted_numbers = {h.number for h in quoted}
        offered_numbers = {h.number for h in offered}
        words = tuple(dict.fromkeys(tokenize(self.read_as or self.question)))
        out = []
        for h in self.hits[:12]:
            verdict = (
                "quoted" if h.number in quoted_numbers else "offered" if h.number in offered_numbers else "not shown"
            )
            held = set(tokenize(f"{h.passage.heading} {h.passage.text}"))
            matched = tuple(w for w in words if w in held)
            out.append(Candidate(h.passage, h.score, h.dense, h.lexical, matched, verdict))
        return tuple(out)

    def refused(self, reason: str, missing: str = "") -> tuple[Part, Decision]:
        decision = Decision(
            self.question,
            self._candidates(),
            self.subject,
            self.unknown,
            (),
            0.0,
            "refused",
            reason,
            self.read_as,
            self.everyday,
        )
        return Part(self.question, (), True, missing, confidence=0.0), decision

    def answered(
        self,
        quotes: tuple[Passage, ...],
        more: tuple[Passage, ...],
        values: tuple[float, ...],
        sure: float,
        unsure: bool,
        quoted: Sequence[Hit],
        offered: Sequence[Hit],
        missing: str = "",
    ) -> tuple[Part, Decision]:
        outcome = "unsure" if unsure and quotes else "quoted" if quotes else "refused"
        reason = (
            f"confidence {sure:.2f} is below {self.settings.unsure_below}: one quote, the rest offered"
            if outcome == "unsure"
            else f"confidence {sure:.2f}; quoted the passages within {self.settings.quote_margin} of the best score"
            if quotes
            else "the article files no longer hold the chosen passages"
        )
        decision = Decision(
            self.question,
            self._candidates(quoted, offered),
            self.subject,
            self.unknown,
            tuple(zip(SIGNALS, values, strict=True)),
            sure,
            outcome,
            reason,
            self.read_as,
            self.everyday,
        )
        part = Part(self.question, quotes, not quotes, missing, more=more, confidence=sure, unsure=unsure)
        return part, decision


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


def _distinct(found: Sequence[_Found]) -> tuple[Part, ...]:
    """The parts with no two overlapping quotes: a quote overlapping an earlier one of the same
    article is replaced by that earlier quote (within a part it is dropped), so each passage is shown
    once and a later part can point to it."""
    shown: list[Passage] = []
    parts = []
    for part in (f.part for f in found):
        kept: list[Passage] = []
        for q in part.quotes:
            earlier = next((s for s in shown if _overlap(s, q)), None)
            if earlier is None:
                shown.append(q)
            if (earlier or q) not in kept:
                kept.append(earlier or q)
        parts.append(dataclasses.replace(part, quotes=tuple(kept)))
    return tuple(parts)


def _once(passages: Iterable[Passage]) -> tuple[Passage, ...]:
    """The passages without any that overlaps an earlier one: parts offer the same passage, each
    with its own score, and the reader should see it listed once."""
    kept: list[Passage] = []
    for p in passages:
        if not any(_overlap(p, k) for k in kept):
            kept.append(p)
    return tuple(kept)


def _overlap(a: Passage, b: Passage) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end


def check_history(history: object) -> list[str]:
    """The earlier turns that are text; a QuestionError for a history that is not a list of turns."""
    if history is None:
        return []
    if isinstance(history, str) or not isinstance(history, Sequence):
        raise QuestionError(f"history must be a list of earlier questions, not {type(history).__name__}")
    turns = [turn for turn in history if isinstance(turn, str)]
    for number, turn in enumerate(turns, start=1):
        try:
            turn.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate from a broken client
            where = f"earlier turn {number} of the history, character {exc.start + 1}"
            raise QuestionError(f"{where} is not valid text; send the turn again as text") from None
    return turns


def small_talk(text: str) -> str | None:
    """The kind of small talk ``text`` is, when it is nothing but that."""
    bare = re.sub(r"[^a-z' ?]", "", text.lower()).strip(" ?") or ("?" if "?" in text else "")
    for pattern, kind in _SMALL_TALK:
        if pattern.fullmatch(bare):
            return kind
    return None


def depends_on_history(text: str) -> bool:
    """A short turn, a turn that starts like a follow-up, or one that points back ("it", "those")."""
    lower = text.lower()
    content = tokenize(text)
    if _FOLLOW_UP_START.match(lower) or len(content) <= 2:
        return True
    return bool(_BACK_REFERENCE.search(lower)) and len(content) <= 4


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


def contextual_query(text: str, history: Sequence[str], settings: AnswerSettings = ANSWERING) -> str:
    """The question, preceded by the earlier turns back to the last self-contained one."""
    if not history:
        return text
    context: list[str] = []
    for turn in reversed(history[-settings.history_turns :]):
        turn = " ".join(turn.split())
        if not turn or small_talk(turn):
            continue
        context.insert(0, turn)
        if not depends_on_history(turn):
            break
    return " ".join([*context, text])


def _subject(retriever: Retriever, query: str) -> list[str]:
    """The question's distinctive (stemmed) words: not corpus-wide, and, of those no article uses,
    only the ones the articles would use less than once at English's rate. That 8,000 words of
    articles lack "put", "told" or "women" is phrasing, not a subject they leave out; that they
    lack "teenagers" may be."""
    total = retriever.speller.total_words()
    return [
        w
        for w in dict.fromkeys(tokenize(retriever.speller.corrected(query)))
        if w not in retriever.common_words and (retriever.knows(w) or expected(_users_word(query, w), total) < 1)
    ]


def _users_word(text: str, stem: str) -> str:
    """The word of ``text`` as the user wrote it whose stem is ``stem`` ("teenagers" for "teenag")."""
    return next((w for w in _WORD.findall(text) if tokenize(w) == [stem]), stem)


def _stands_alone(query: str, alone: Sequence[Hit], settings: AnswerSettings, follow_up: bool) -> bool:
    """Can a turn be answered on its own words? Its own search finds a passage close in meaning
    ("what about the risks?", "how long does it take?"), and a follow-up also points
    back to nothing ("it", "those"). "How many people took part?" finds nothing close alone: the
    conversation says which trial it is about."""
    if (follow_up and _BACK_REFERENCE.search(query.lower())) or not alone:
        return False
    return max(h.dense for h in alone) >= settings.stands_alone_above


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
    kept = [h for h in hits if h.number in best or words & set(tokenize(f"{h.passage.heading} {h.passage.text}"))]
    return kept or list(hits)


def _first(leading: Sequence[Hit], hits: Sequence[Hit]) -> list[Hit]:
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

    def rescored(hit: Hit, score: float) -> Hit:
        return dataclasses.replace(hit, score=score, passage=dataclasses.replace(hit.passage, score=relevance(score)))

    merged = []
    for h in in_context:
        other = mine.pop(h.number, None)
        merged.append(rescored(h, (1 - w) * h.score + w * (other.score if other else floor_alone)))
    merged += [rescored(h, (1 - w) * floor_context + w * h.score) for h in mine.values()]
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


def select(hits: Sequence[Hit], settings: AnswerSettings = ANSWERING, max_articles: int | None = None) -> list[Hit]:
    """Each article's best passage, grouped by article, best article first.

    The leading article may add a second passage nearly as good as its first. Another article joins
    when its best passage scores close to the top, is about as close in meaning as the best overall,
    or matches the question's words about as well as the best (it names the same trial or guideline).
    """
    quotable = [h for h in hits if _quotable(h.passage)] or list(hits)
    top, closest = quotable[0], max(h.dense for h in quotable)
    peak = max(h.lexical for h in quotable)
    groups: dict[Article, list[Hit]] = {top.passage.article: [top]}
    for hit in quotable[1:]:
        group = groups.get(hit.passage.article)
        if group is None:
            close = (
                hit.score >= settings.other_articles * top.score
                or hit.dense >= closest - settings.similar_meaning
                or (peak > 0 and hit.lexical >= settings.same_words * peak)
            )
            if len(groups) < (max_articles or settings.max_articles) and close:
                groups[hit.passage.article] = [hit]
        elif group[0] is top and len(group) < 2 and hit.score >= settings.second_quote * top.score:
            group.append(hit)
    return [hit for group in groups.values() for hit in group]


def with_neighbour(
    retriever: Retriever, hit: Hit, hits: Sequence[Hit], settings: AnswerSettings = ANSWERING
) -> tuple[Passage, int, int]:
    """The hit's passage, run on into the next or previous passage of its section when that one
    answers nearly as well (the section's answer often spans the chunker's cut), with the numbers
    of the first and last passage it spans. A joined quote stays within a passage's hard limit."""
    max_chars = CHUNKING.max_chars
    for other in hits:
        if abs(other.number - hit.number) == 1 and other.score >= settings.join_neighbour * hit.score:
            joined = retriever.joined(hit.passage, other.passage)
            if joined and len(joined.text.split()) <= settings.join_max_words and len(joined.text) <= max_chars:
                return joined, min(hit.number, other.number), max(hit.number, other.number)
    return hit.passage, hit.number, hit.number


def trimmed(
    retriever: Retriever,
    passage: Passage,
    first: int,
    last: int,
    vector: np.ndarray,
    words: set[str],
    settings: AnswerSettings = ANSWERING,
) -> Passage:
    """A long quote without the sentences at its end that are far from the question in meaning
    (``trim_margin`` below its best sentence) and share none of its words. Lines of a list stay
    whole. Only the end is trimmed: a section's first sentence often answers its heading ("Yes,
    when performed by a qualified...") and so shares no word with the question."""
    if len(passage.text.split()) <= settings.trim_above or first < 0:
        return passage
    units = [u for u in retriever.sentences(first, last, vector) if passage.start <= u[0] and u[1] <= passage.end]
    if len(units) < 2:
        return passage
    best = max(c for _, _, c in units)

    def text(a: int, b: int) -> str:
        return passage.text[a - passage.start : b - passage.start]

    def droppable(a: int, b: int, cosine: float) -> bool:
        return (
            cosine < best - settings.trim_margin
            and not words & set(tokenize(text(a, b)))
            and not on_list_line(passage.text, a - passage.start)
        )

    hi = len(units) - 1
    while hi > 0 and droppable(*units[hi]):
        if len(text(units[0][0], units[hi - 1][1]).split()) < settings.trim_min_words:
            break
        hi -= 1
    if hi == len(units) - 1:
        return passage
    a, b = units[0][0], units[hi][1]
    return dataclasses.replace(passage, text=text(a, b), start=a, end=b)


def _quotable(passage: Passage) -> bool:
    """False for a passage that is mostly lines introducing lists the page lost ("Most people need:")."""
    lines = [line.strip() for line in passage.text.splitlines() if line.strip()]
    return sum(line.endswith(":") for line in lines) * 2 <= len(lines)


def abstention(retriever: Retriever, settings: AnswerSettings = ANSWERING, parts: tuple[Part, ...] = ()) -> Answer:
    suggestions = suggestable(retriever, settings)[: settings.suggestions]
    lines = [templates.ABSTAIN, templates.SUGGEST, *(f"- {s}" for s in suggestions)]
    markdown = "\n".join(lines[:2]) + "\n" + "\n".join(lines[2:])
    return Answer((), True, markdown, suggestions, parts, confidence=0.0)


def suggest(
    retriever: Retriever, hits: Sequence[Hit], quotes: Sequence[Passage], question: str, settings: AnswerSettings
) -> tuple[str, ...]:
    """Question headings of nearby sections that the answer did not quote."""
    used = {section_heading(q.heading).lower() for q in quotes} | {question.lower()}
    nearby = [section_heading(h.passage.heading) for h in sorted(hits, key=lambda h: -h.score)]
    allowed = suggestable(retriever, settings)
    pool = [q for q in nearby if q in allowed] + list(allowed)
    out: list[str] = []
    for q in pool:
        if q.lower() not in used and q not in out:
            out.append(q)
    return tuple(out[: settings.suggestions])


def suggestable(retriever: Retriever, settings: AnswerSettings = ANSWERING) -> tuple[str, ...]:
    """The question headings askback may suggest: those that asking quotes their own section."""
    return answered_headings(retriever, lambda heading: compose(retriever, heading, (), settings))


def sources(quotes: Sequence[Passage], more: Sequence[Passage] = ()) -> list[tuple[Article, list[Passage]]]:
    """An answer's articles in the order its citations number them: those quoted, then those
    only offered; each with its passages."""
    return group_by_article([*quotes, *more])


def group_by_article(quotes: Sequence[Passage]) -> list[tuple[Article, list[Passage]]]:
    """Quotes grouped by article, in order of first appearance: the order of the numbered citations."""
    groups: dict[Article, list[Passage]] = {}
    for p in quotes:
        groups.setdefault(p.article, []).append(p)
    return list(groups.items())


@dataclass(frozen=True)
class Block:
    """One piece of a shown answer: a filled-in template (``part``, ``note``, ``citation``,
    ``offer``) or a ``quote``, whose text is the passage's, verbatim. A citation or offer carries its
    article's ``number``, a quote or offer its ``passage``, so the chat can link them."""

    role: str
    text: str
    number: int = 0
    passage: Passage | None = None


def layout(
    quotes: Sequence[Passage],
    parts: Sequence[Part] = (),
    more: Sequence[Passage] = (),
    unsure: bool = False,
    missing: str = "",
) -> list[Block]:
    """What an answer shows, in order: quotes grouped by article under numbered citations, then the
    passages only offered ("Also discussed in", an ``offer`` per article); for a message of several
    questions, each question in the user's words with its quotes (or "not covered") below it. An
    unsure answer says so before its one quote. An article keeps one number across the whole
    answer, and a passage already shown is pointed to ("quoted above"), not repeated. ``render``
    and the chat format the same blocks."""
    offered = [*more, *(m for part in parts for m in part.more)]
    numbers = {article: n for n, (article, _) in enumerate(sources(quotes, offered), start=1)}
    blocks = []
    done: set[Passage] = set()
    for part in parts or [Part("", tuple(quotes), False, missing, more=tuple(more), unsure=unsure)]:
        if part.red_flags:
            symptoms = ", ".join(f"“{words}”" for words in part.red_flags)
            blocks.append(Block("part", templates.SAFETY.format(symptoms=symptoms)))
        elif parts:
            blocks.append(Block("part", templates.PART.format(question=part.question)))
        if part.abstained:
            note = templates.PART_MISSING.format(word=part.missing) if part.missing else templates.PART_ABSTAIN
            blocks.append(Block("note", note))
        elif part.unsure:
            note = templates.UNSURE_MISSING.format(word=part.missing) if part.missing else templates.UNSURE
            blocks.append(Block("note", note))
        for article, passages in group_by_article(part.quotes):
            new = [p for p in passages if p not in done]
            line = templates.CITATION if new else templates.QUOTED_ABOVE
            number = numbers[article]
            blocks.append(Block("citation", line.format(number=number, byline=article.byline), number))
            blocks += [Block("quote", p.text, number, p) for p in new]
            done.update(new)
        # One line per article not offered earlier in the answer: its number, name and section.
        offers = []
        for article, passages in group_by_article([m for m in part.more if m not in done]):
            section = section_heading(passages[0].heading)
            where = templates.OFFER_SECTION.format(section=section) if section and section != article.title else ""
            line = templates.OFFER.format(number=numbers[article], byline=article.byline, section=where)
            offers.append(Block("offer", line, numbers[article], passages[0]))
            done.update(passages)
        if offers:
            blocks += [Block("note", templates.ALSO_DISCUSSED), *offers]
    return blocks


def render(
    quotes: Sequence[Passage],
    notice: str = "",
    parts: Sequence[Part] = (),
    more: Sequence[Passage] = (),
    unsure: bool = False,
    missing: str = "",
) -> str:
    """The answer as markdown: ``layout``'s blocks, quotes as block quotes, offers as a list, then
    the notice."""
    shown = []
    for b in layout(quotes, parts, more, unsure, missing):
        if b.role == "quote":
            shown.append("\n".join(f"> {line.strip()}" if line.strip() else ">" for line in b.text.splitlines()))
        elif b.role == "offer" and shown and shown[-1].startswith("- "):
            shown[-1] += f"\n- {b.text}"  # one list, not a paragraph per offer
        else:
            shown.append(f"- {b.text}" if b.role == "offer" else b.text)
    return "\n\n".join([*shown, notice] if notice else shown)
