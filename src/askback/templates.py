"""Every word askback says in its own voice. Nothing else but verbatim quotes reaches the user."""

from __future__ import annotations

__all__ = [
    "ABSTAIN",
    "ACKNOWLEDGED",
    "ALSO_DISCUSSED",
    "ARTICLES",
    "ARTICLE_CHANGED",
    "ARTICLE_LIST",
    "ARTICLE_OPENED",
    "BYE",
    "CITATION",
    "CLEAR_NAME",
    "CLOSE",
    "CLOSE_NAME",
    "COPIED",
    "COPY",
    "COPY_NAME",
    "COPY_SOURCE",
    "EMPTY_QUESTION",
    "EXPORT",
    "EXPORT_SECTION",
    "EXPORT_TITLE",
    "GREETING",
    "GREETING_ARTICLES",
    "HELP",
    "INFERRED_NOTE",
    "INFERRED_TITLE",
    "INTRO",
    "MANY_ARTICLES",
    "NEW_CONVERSATION",
    "NEXT_HIGHLIGHT",
    "NOT_TEXT",
    "NO_QUESTION",
    "NO_QUOTES",
    "OFFER",
    "OFFER_SECTION",
    "OFFER_START",
    "PART",
    "PART_ABSTAIN",
    "PART_MISSING",
    "PLACEHOLDER_ARTICLES",
    "PREVIEW",
    "PREVIEW_ARTICLES",
    "QUESTION_LABEL",
    "QUESTION_PLACEHOLDER",
    "QUOTED_ABOVE",
    "SAFETY",
    "SEND",
    "SKIP_TO_ANSWER",
    "SOURCES_FOR",
    "SOURCES_LABEL",
    "SOURCES_NONE",
    "SOURCE_LINE",
    "SUGGEST",
    "SUGGEST_TOPICS",
    "THANKS",
    "TOO_LONG",
    "TOPIC_ARTICLES",
    "UNSURE",
    "UNSURE_MISSING",
]

# How the bot speaks of itself. A corpus's askback.toml names its topic and may replace any of
# these (corpus/bot.py); without a topic it speaks of the articles themselves.
GREETING = "Hello! I answer questions about {topic} by quoting the articles I have, and I say which article said what."
GREETING_ARTICLES = "Hello! I answer by quoting {articles}, and I say which article said what."
HELP = "I can only quote my articles, word for word, with their sources. They are {articles}."
THANKS = "You're welcome. Ask me anything else about the articles."
ACKNOWLEDGED = "All right. Ask me anything else about the articles."  # "ok", "got it", "cool"
BYE = "Goodbye, and take care."
INTRO = "Every answer here is quoted word for word from the articles it names; nothing is written by {name} itself."
EMPTY_QUESTION = "Please type a question about {topic}."
NO_QUESTION = "I need a word or two to look up: please type a question about {topic}."  # "what", "huh"
QUESTION_PLACEHOLDER = "Ask about {topic}"
PREVIEW = "Answers about {topic}, quoted word for word from articles, with their sources."
# The same without a topic: {articles} is ARTICLE_LIST or MANY_ARTICLES.
TOPIC_ARTICLES = "the articles"
PLACEHOLDER_ARTICLES = "Ask a question about the articles"
PREVIEW_ARTICLES = "Answers quoted word for word from {count} articles, with their sources."
ARTICLE_LIST = "these {count} articles: {titles}"
MANY_ARTICLES = "these {count} articles, among them {titles}"
ABSTAIN = "The articles don't cover that, so I can't answer it from them."
PART = "You asked: “{question}”"
PART_ABSTAIN = "The articles don't answer this part."
PART_MISSING = "None of the articles mentions “{word}”, so they don't answer this part."
SAFETY = "You mention {symptoms}. First, what the articles say about serious symptoms:"
UNSURE = "The articles may not answer this. The closest they come:"
UNSURE_MISSING = "None of the articles mentions “{word}”, so they may not answer this. The closest they come:"
ALSO_DISCUSSED = "Also discussed in:"
OFFER = "[{number}] {byline}{section}"
OFFER_SECTION = " › {section}"
OFFER_START = ": “{start}…”"
QUOTED_ABOVE = "[{number}] {byline}: quoted above."
SUGGEST = "Questions the articles do answer:"
SUGGEST_TOPICS = "What the articles cover:"  # when the suggestions are section names, not questions
CITATION = "[{number}] {byline} says:"
SOURCE_LINE = "[{number}] {byline}"
INFERRED_TITLE = "title from its first line"
NOT_TEXT = "Character {position} of that question is not valid text; please type or paste it again."
TOO_LONG = "That question is too long ({length} characters); please keep it under {limit}."

# The chat page's own words: labels, notes and the link preview.
QUESTION_LABEL = "Your question"
SEND = "Send"
NEW_CONVERSATION = "New conversation"
ARTICLES = "The {count} articles"
SOURCES_FOR = "Sources of the answer to “{question}”"
ARTICLE_OPENED = "An article from the list"
SOURCES_NONE = "Open a numbered citation in an answer to read its article here, with the quotes highlighted."
NO_QUOTES = "That answer quotes no article."
ARTICLE_CHANGED = "This article's file has changed since the index was built; rebuild it with: askback build"
INFERRED_NOTE = "The title is taken from the article's first line; the article states none."
NEXT_HIGHLIGHT = "Next highlight"
COPY = "Copy"
COPY_NAME = "Copy quote {number} from {title}"
SOURCES_LABEL = "Sources of this answer"
CLEAR_NAME = "Clear the conversation"
EXPORT = "Save as Markdown"
EXPORT_TITLE = "{name}: a conversation, quoted from the articles"
EXPORT_SECTION = "section: {section}"
COPY_SOURCE = "— {source}"
COPIED = "Quote {number} copied with its source."
CLOSE = "Close"
CLOSE_NAME = "Close the source and go back to its citation"
SKIP_TO_ANSWER = "Go to the newest answer"
