"""How one bot speaks of itself: askback's templates, filled from the corpus's ``askback.toml``
(its name and topic, any text it replaces) or, without a topic, from the articles themselves."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from askback import templates
from askback.corpus.bot import Bot
from askback.index.store import StoredIndex

__all__ = ["Voice", "voice_of"]

_LISTED = 4  # a greeting names at most this many articles


@dataclass(frozen=True)
class Voice:
    """Every self-description of one bot, ready to show."""

    name: str
    topic: str  # "" when the corpus names none
    greeting: str
    help: str
    thanks: str
    acknowledged: str  # the reply to "ok", "got it"
    goodbye: str
    empty_question: str
    no_question: str  # the reply to a message with no word to look up ("what", "huh")
    placeholder: str
    preview: str
    intro: str
    disclaimer: str  # "" when the corpus gives none: no note under personal questions


def voice_of(stored: StoredIndex) -> Voice:
    """The voice of the bot an index was built for (worked out once per index: every answer asks)."""
    return speak(stored.bot, stored.titles)


@functools.lru_cache(maxsize=16)
def speak(bot: Bot, titles: Sequence[str]) -> Voice:
    """``bot``'s voice over articles with these ``titles``."""
    quoted = [f"“{t}”" for t in titles[:_LISTED]]
    listed = ", ".join(quoted[:-1]) + f" and {quoted[-1]}" if len(quoted) > 1 else "".join(quoted)
    many = len(titles) > _LISTED
    articles = (templates.MANY_ARTICLES if many else templates.ARTICLE_LIST).format(count=len(titles), titles=listed)
    topic = bot.topic
    return Voice(
        name=bot.name,
        topic=topic,
        greeting=bot.greeting
        or (templates.GREETING.format(topic=topic) if topic else templates.GREETING_ARTICLES.format(articles=articles)),
        help=bot.help or templates.HELP.format(articles=articles),
        thanks=templates.THANKS,
        acknowledged=templates.ACKNOWLEDGED,
        goodbye=bot.goodbye or templates.BYE,
        empty_question=templates.EMPTY_QUESTION.format(topic=topic or templates.TOPIC_ARTICLES),
        no_question=templates.NO_QUESTION.format(topic=topic or templates.TOPIC_ARTICLES),
        placeholder=bot.placeholder
        or (templates.QUESTION_PLACEHOLDER.format(topic=topic) if topic else templates.PLACEHOLDER_ARTICLES),
        preview=templates.PREVIEW.format(topic=topic)
        if topic
        else templates.PREVIEW_ARTICLES.format(count=len(titles)),
        intro=bot.intro or templates.INTRO.format(name=bot.name),
        disclaimer=bot.disclaimer,
    )
