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
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import templates
from .chunking import on_list_line
from .config import ANSWERING, CHUNKING, MAX_QUESTION_CHARS, AnswerSettings
from .errors import QuestionError
from .index import section_heading
from .kinds import wanted_kinds
from .message import read_message
from .records import Answer, Article, Part, Passage
from .retrieval import Hit, Retriever, relevance, tokenize
from .safety import red_flags

__all__ = ["Block", "check_history", "check_question", "compose", "group_by_article", "layout", "render"]

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
_REPLIES = {"greeting": templates.GREETING, "thanks": templates.THANKS, "bye": templates.BYE, "help": templates.HELP}
_FOLLOW_UP_START = re.compile(r"(and|but|so|also|then|what about|how about|what else|same for|and what)\b")
_BACK_REFERENCE = re.compile(r"\b(it|its|they|them|their|those|these|that|this|ones?|there|he|she|him|her|each)\b")
_PERSONAL = re.compile(r"\b(should|can|could|may|must|do) i\b|\bfor me\b|\bmy\b|\bi('m| am| have| take)\b")


def check_question(question: object) -> str:
    """The question with whitespace tidied, or a QuestionError saying what is wrong with it."""
    if not isinstance(question, str):
        raise QuestionError(f"a question must be text, not {type(question).__name__}")
    text = " ".join(question.split())
    if not text:
        raise QuestionError(templates.EMPTY_QUESTION)
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
    text = check_question(question)
    history = check_history(history)
    chat = small_talk(text)
    if chat:
        return Answer((), False, _REPLIES[chat], retriever.question_headings[: settings.suggestions])
    message = read_message(text)
    several = len(message.parts) > 1
    relevant = context_turns(retriever, history, settings)
    # The story is searched once, for all the parts: encoding a long message is the costly step.
    around = (message.context, retriever.search(message.context, settings.candidates)) if message.context else None
    found = [
        _answer_part(retriever, part, query, around, relevant, settings, several)
        for part, query in zip(message.parts, message.queries, strict=True)
    ]
    flags = red_flags(text)
    urgent = retriever.urgent_hits(retriever.encode(text), settings.safety_quotes) if flags else []
    if urgent:  # safety first: before anything about acupuncture
        found.insert(0, (Part("", tuple(h.passage for h in urgent), False, red_flags=flags), urgent))
    parts = _distinct(found)
    shown = parts if several or urgent else ()
    quotes = tuple(dict.fromkeys(q for part in parts for q in part.quotes))
    if not quotes:
        return abstention(retriever, settings, shown)
    notice = templates.DISCLAIMER if _PERSONAL.search(text.lower()) else ""
    hits = [h for _, part_hits in found for h in part_hits]
    suggestions = suggest(retriever, hits, quotes, text, settings)
    return Answer(quotes, False, render(quotes, notice, shown), suggestions, shown)


def _answer_part(
    retriever: Retriever,
    part: str,
    query: str,
    around: tuple[str, list[Hit]] | None,
    relevant: Sequence[str],
    settings: AnswerSettings,
    several: bool,
) -> tuple[Part, list[Hit]]:
    """One question's quotes: searched on its words, with the earlier on-topic turns (``relevant``)
    when it depends on them, and with the message around it (``around``: its text and hits)."""
    follow_up = depends_on_history(query)
    short = len(tokenize(query)) <= settings.short_turn_words
    context = contextual_query(query, relevant, settings) if relevant and (follow_up or short) else query
    vector = retriever.encode(context)
    hits = retriever.search(context, settings.candidates, vector=vector)
    if context == query:
        covered = covers(retriever, hits, query, settings)
    elif follow_up:
        # A follow-up is judged with its context, unless its own words are all foreign to the
        # articles ("what's the weather in London?"); a one-word turn ("period?") may be elliptical.
        own_words = tokenize(query)
        covered = covers(retriever, hits, context, settings) and (
            len(own_words) < 2 or any(retriever.knows(w) for w in own_words)
        )
        hits = with_the_turn_itself(hits, retriever.search(query, settings.candidates), settings.follow_up_weight)
    else:
        # A short turn that reads as self-contained may still be elliptical ("how many people took
        # part?"): the conversation counts a little; it is judged on its own words.
        alone = retriever.search(query, settings.candidates)
        covered = covers(retriever, alone, query, settings)
        hits = with_the_turn_itself(hits, alone, settings.new_subject_weight)
    if around:
        story, story_hits = around
        covered = covered or covers(retriever, story_hits, story, settings)
        hits = with_the_turn_itself(story_hits, hits, settings.question_weight)
    if not covered or not hits:
        return Part(part, (), True), hits
    missing = missing_word(retriever, query, settings) if context == query else ""
    if missing:
        return Part(part, (), True, missing), []
    wanted = wanted_kinds(query)
    hits = [h for h in hits if h.passage.kind in wanted]
    if not hits:
        return Part(part, (), True), hits
    max_articles = settings.part_articles if several else settings.max_articles
    chosen = select(hits, settings, max_articles)
    words = set(tokenize(context))
    quotes = [
        trimmed(retriever, *with_neighbour(retriever, h, hits, settings), vector, words, settings) for h in chosen
    ]

    # The last word: no quote leaves unless the article file, as it is now, holds it at its offsets.
    kept = tuple(q for q in quotes if retriever.files.holds(q))
    return Part(part, kept, not kept), hits


def missing_word(retriever: Retriever, question: str, settings: AnswerSettings = ANSWERING) -> str:
    """The user's word that none of the articles uses and that carries the question's meaning
    ("Does Medicare cover acupuncture?"): without it the question means something else (cosine of
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


def _distinct(found: Sequence[tuple[Part, list[Hit]]]) -> tuple[Part, ...]:
    """The parts with no two overlapping quotes: a quote overlapping an earlier one of the same
    article is replaced by that earlier quote (within a part it is dropped), so each passage is shown
    once and a later part can point to it."""
    shown: list[Passage] = []
    parts = []
    for part, _ in found:
        kept: list[Passage] = []
        for q in part.quotes:
            earlier = next((s for s in shown if _overlap(s, q)), None)
            if earlier is None:
                shown.append(q)
            if (earlier or q) not in kept:
                kept.append(earlier or q)
        parts.append(dataclasses.replace(part, quotes=tuple(kept)))
    return tuple(parts)


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
    suggestions = retriever.question_headings[: settings.suggestions]
    lines = [templates.ABSTAIN, templates.SUGGEST, *(f"- {s}" for s in suggestions)]
    return Answer((), True, "\n".join(lines[:2]) + "\n" + "\n".join(lines[2:]), suggestions, parts)


def suggest(
    retriever: Retriever, hits: Sequence[Hit], quotes: Sequence[Passage], question: str, settings: AnswerSettings
) -> tuple[str, ...]:
    """Question headings of nearby sections that the answer did not quote."""
    used = {section_heading(q.heading).lower() for q in quotes} | {question.lower()}
    nearby = [section_heading(h.passage.heading) for h in sorted(hits, key=lambda h: -h.score)]
    pool = [q for q in nearby if q.endswith("?")] + list(retriever.question_headings)
    out: list[str] = []
    for q in pool:
        if q.lower() not in used and q not in out:
            out.append(q)
    return tuple(out[: settings.suggestions])


def group_by_article(quotes: Sequence[Passage]) -> list[tuple[Article, list[Passage]]]:
    """Quotes grouped by article, in order of first appearance: the order of the numbered citations."""
    groups: dict[Article, list[Passage]] = {}
    for p in quotes:
        groups.setdefault(p.article, []).append(p)
    return list(groups.items())


@dataclass(frozen=True)
class Block:
    """One piece of a shown answer: a filled-in template (``part``, ``note``, ``citation``) or a
    ``quote``, whose text is the passage's, verbatim. A citation carries its article's ``number``,
    a quote its ``passage``, so the chat can link them."""

    role: str
    text: str
    number: int = 0
    passage: Passage | None = None


def layout(quotes: Sequence[Passage], parts: Sequence[Part] = ()) -> list[Block]:
    """What an answer shows, in order: quotes grouped by article under numbered citations; for a
    message of several questions, each question in the user's words with its quotes (or "not
    covered") below it. An article keeps one number across the whole answer, and a passage already
    shown is pointed to ("quoted above"), not repeated. ``render`` and the chat format the same blocks."""
    numbers = {article: n for n, (article, _) in enumerate(group_by_article(quotes), start=1)}
    blocks = []
    done: set[Passage] = set()
    for part in parts or [Part("", tuple(quotes), False)]:
        if part.red_flags:
            symptoms = ", ".join(f"“{words}”" for words in part.red_flags)
            blocks.append(Block("part", templates.SAFETY.format(symptoms=symptoms)))
        elif parts:
            blocks.append(Block("part", templates.PART.format(question=part.question)))
        if part.abstained:
            missing = templates.PART_MISSING.format(word=part.missing) if part.missing else templates.PART_ABSTAIN
            blocks.append(Block("note", missing))
        for article, passages in group_by_article(part.quotes):
            new = [p for p in passages if p not in done]
            line = templates.CITATION if new else templates.QUOTED_ABOVE
            number = numbers[article]
            blocks.append(Block("citation", line.format(number=number, byline=article.byline), number))
            blocks += [Block("quote", p.text, number, p) for p in new]
            done.update(new)
    return blocks


def render(quotes: Sequence[Passage], notice: str = "", parts: Sequence[Part] = ()) -> str:
    """The answer as markdown: ``layout``'s blocks, quotes as block quotes, then the notice."""
    shown = [
        "\n".join(f"> {line.strip()}" if line.strip() else ">" for line in b.text.splitlines())
        if b.role == "quote"
        else b.text
        for b in layout(quotes, parts)
    ]
    return "\n\n".join([*shown, notice] if notice else shown)
