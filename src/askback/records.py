"""The records that flow through the pipeline: articles, passages, answers.

All are frozen dataclasses with short reprs: an answer's repr says what it holds, not every field of
every article inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from askback import templates

__all__ = ["Answer", "Article", "Candidate", "Decision", "Part", "Passage", "safe_markdown", "web_address"]

_WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)
_MARKUP = re.compile(r"[\\`*_\[\]<>&]")  # links need "[", tags "<", entities "&"; the rest is emphasis


def web_address(url: str) -> str:
    """``url`` when it is an http(s) address, else "": nothing else may leave askback as a link."""
    return url if _WEB_ADDRESS.fullmatch(url.strip()) else ""


def safe_markdown(markdown: str) -> str:
    """Markdown that a client may render: every character that markdown or HTML would read as
    markup (links, tags, emphasis, entities) is backslash-escaped, so an article's ``<script>`` or
    ``[x](javascript:...)`` shows as the text it is. Block quotes (a line's leading "> ") stay."""
    lines = []
    for line in markdown.split("\n"):
        lead = "> " if line.startswith("> ") else ">" if line == ">" else ""
        lines.append(lead + _MARKUP.sub(lambda m: "\\" + m[0], line[len(lead) :]))
    return "\n".join(lines)


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass(frozen=True, repr=False)
class Article:
    """One corpus file and what its header states.

    Attributes:
        id: the file name without its extension.
        title: the article's title; ``title_inferred`` is true when the file did not state one and
            askback took it from the first line.
        path: the absolute path of the article's file (resolved against the index's own folder,
            never the current one): ``open(path).read()[p.start:p.end] == p.text`` for its passages.
        author, publisher, published, url: as the header states them, else "".
    """

    id: str
    title: str
    path: str
    author: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""
    title_inferred: bool = False

    @property
    def byline(self) -> str:
        """Title, then author and site when known: how an answer names its source. A title askback
        took from the first line says so, rather than pass as one the article states."""
        inferred = templates.INFERRED_TITLE if self.title_inferred else ""
        extra = ", ".join(x for x in (inferred, self.author, self.publisher) if x)
        return f"{self.title} ({extra})" if extra else self.title

    def __repr__(self) -> str:
        return f"Article({self.id!r}, {shorten(self.title, 50)!r})"


@dataclass(frozen=True, repr=False)
class Passage:
    """A quotable slice of an article, verbatim.

    Attributes:
        text: exactly ``article file text[start:end]``, always.
        start, end: character offsets into the article's file (``article.path``).
        article: the article it comes from.
        score: relevance to the question in [0, 1] (higher is closer; 0 for a passage not retrieved
            by a question). Compare scores within one answer or retrieval only.
        heading: the section headings above the passage, outer first, joined by " › ".
        kind: "text", or a passage quoted only when a question asks for it: "reference", "bio",
            "promotion", "lost list", "code" (a sample, quoted whole), "parameters" (a function's
            list of parameters and their types).
    """

    text: str
    start: int
    end: int
    article: Article
    score: float = 0.0
    heading: str = ""
    kind: str = "text"

    def __repr__(self) -> str:
        return f"Passage({shorten(self.text, 40)!r}, article={shorten(self.article.id, 28)!r}, {self.start}–{self.end})"


@dataclass(frozen=True, repr=False)
class Part:
    """One question of a message, in the user's own words, and the quotes that answer it.

    Attributes:
        question: the question sentence as the user wrote it.
        quotes: the passages that answer it, in the order shown.
        abstained: true when the articles don't answer this part; ``missing`` is then the user's
            word that none of them uses, when that is why (also set on an ``unsure`` part).
        red_flags: set on the safety part that leads an answer to a message describing red-flag
            symptoms: the user's words for them; its ``quotes`` send the reader to a doctor.
        more: passages that speak to the question less strongly than the quotes: offered
            collapsed ("Also discussed in"), verbatim at their offsets like quotes.
        confidence: how likely the articles answer this question, in [0, 1] (see ``confidence``).
        unsure: true when the confidence is low: one quote is shown, under a template that says
            the articles may not answer it.
    """

    question: str
    quotes: tuple[Passage, ...]
    abstained: bool
    missing: str = ""
    red_flags: tuple[str, ...] = ()
    more: tuple[Passage, ...] = ()
    confidence: float = 1.0
    unsure: bool = False

    def __repr__(self) -> str:
        label = f"red flags {list(self.red_flags)}" if self.red_flags else repr(shorten(self.question, 50))
        return f"Part({label}, {len(self.quotes)} quotes, abstained={self.abstained})"


@dataclass(frozen=True, repr=False)
class Answer:
    """What ``ask`` returns: verbatim quotes, or an abstention, rendered as markdown.

    Attributes:
        quotes: every quote, in the order shown.
        abstained: true only when no part of the message is answered (``markdown`` then says so
            and ``suggestions`` lists questions the articles do answer).
        markdown: the answer as shown: fixed templates and the quotes, each under its article.
        suggestions: the articles' own section headings that are questions, to ask next.
        parts: one entry per question of a message that asks several, after a safety part when
            the message describes red-flag symptoms; empty for a plain message of one question.
        more: passages offered collapsed below the quotes: other articles that speak to the
            question less strongly, verbatim at their offsets. Not quoted: the reader opens them.
        confidence: how likely the articles answer the message, in [0, 1]: the lowest of its
            answered questions'; 0.0 when it is refused (``abstained``), 1.0 for small talk.
        unsure: the confidence of a one-question message is low: ``quotes`` holds one passage,
            shown under "The articles may not answer this", and the rest is only offered;
            ``missing`` is then the user's word that no article uses, when there is one. In a
            message of several questions: one of its answered ``parts`` is unsure (each part
            says so under its own question).
        explanation: how each question was decided (``askback ask --explain`` prints it).
    """

    quotes: tuple[Passage, ...]
    abstained: bool
    markdown: str
    suggestions: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()
    more: tuple[Passage, ...] = ()
    confidence: float = 1.0
    unsure: bool = False
    missing: str = ""
    explanation: tuple[Decision, ...] = field(default=(), compare=False)

    def __repr__(self) -> str:
        articles = len({p.article for p in self.quotes})
        parts = f", {len(self.parts)} parts" if self.parts else ""
        return f"Answer({len(self.quotes)} quotes from {articles} articles{parts}, abstained={self.abstained})"


@dataclass(frozen=True)
class Candidate:
    """A passage considered for a question, with the scores that ranked it and what became of it."""

    passage: Passage
    score: float  # the fused score the choice compared
    dense: float  # closeness in meaning (cosine)
    lexical: float  # BM25 on the question's words
    matched: tuple[str, ...]  # the question's (stemmed) words the passage holds
    verdict: str  # "quoted", "offered" or "not shown"
    holds: tuple[str, ...] = ()  # the kinds of answer its text holds (durations, counts, ...)


@dataclass(frozen=True)
class Decision:
    """How one question of a message was answered: the evidence and the outcome, as computed."""

    question: str
    candidates: tuple[Candidate, ...]
    distinctive: tuple[str, ...]  # the question's words that few passages share: its own subject
    unknown: tuple[str, ...]  # the question's words that no article uses
    signals: tuple[tuple[str, float], ...]  # what the confidence was computed from
    confidence: float
    outcome: str  # "quoted", "unsure", "refused"
    reason: str
    read_as: str = ""  # the question as the search read it, when typos were corrected (spelling.py)
    everyday: tuple[str, ...] = ()  # the question's words BM25 weighs less: any text uses them (english.py)
    asked_for: tuple[str, ...] = ()  # the kinds of answer the question's form asks for (answertype.py)
    about: str = ""  # the id of the article the question names
    taught: str = ""  # the taught question (askback teach) that chose the first quote, with its cosine
