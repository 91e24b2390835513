"""The records that flow through the pipeline: articles, passages, answers."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Answer", "Article", "Part", "Passage"]


@dataclass(frozen=True)
class Article:
    """One corpus file. ``path`` is the file's path as given at build time."""

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
        """Title, then author and site when known: how an answer names its source."""
        extra = ", ".join(x for x in (self.author, self.publisher) if x)
        return f"{self.title} ({extra})" if extra else self.title


@dataclass(frozen=True)
class Passage:
    """A quotable slice of an article: ``file_text[start:end] == text``, always."""

    text: str
    start: int
    end: int
    article: Article
    score: float = 0.0
    heading: str = ""
    kind: str = "text"  # text, or debris quoted only when asked for: reference, bio, promotion, lost list


@dataclass(frozen=True)
class Part:
    """One question of a message, in the user's own words, and the quotes that answer it; ``abstained``
    when the articles don't, with ``missing`` the user's word that none of them uses, when that is why.

    A message that describes red-flag symptoms starts with a safety part: ``red_flags`` holds the
    user's words for them, ``quotes`` the articles' passages that send the reader to a doctor."""

    question: str
    quotes: tuple[Passage, ...]
    abstained: bool
    missing: str = ""
    red_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What ``ask`` returns: verbatim quotes, or an abstention, rendered as markdown.

    ``quotes`` is every quote in the order shown; ``parts`` has one entry per question of a message
    that asks several (empty for a message of one question), after a safety part when the message
    describes red-flag symptoms; ``abstained`` is true only when no part is answered."""

    quotes: tuple[Passage, ...]
    abstained: bool
    markdown: str
    suggestions: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()
