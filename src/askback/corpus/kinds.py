"""What kind of text a passage is, decided when the index is built: only ``text`` answers questions.

Web articles carry debris that reads like content: reference-list entries ("Chou R, Deyo R… Ann
Intern Med. 2017;166(7):493–505", bare source links), author bios ("Camellia specializes in writing
about…"), promotion ("Use this free AI-powered symptom checker"), and lines that introduce a list the
page lost ("…can be effective for:" with nothing after). They are kept in the index, with their kind,
but quoted only when a question asks for them: a reference when it asks which studies or sources an
article cites, a bio when it asks who wrote it.

Code (a sample between the article's `````` ``` `````` lines) is quoted whole, and only when a question
asks for code, a command or an example.

A list of names and their types (a function's parameters and return value: "name {string}",
"Returns: <Buffer>") is quoted only when a question asks for options, parameters, arguments or what
something returns; the prose after it answers the rest.

Some passages are never quoted or offered: a fragment (an article's title line or its section
heading alone, a bare citation mark such as "[4]", a short line that ends no sentence such as
"Stability: 2 - Stable") says nothing, and site boilerplate (a passage
that three or more articles share, once each article's own title is set aside: "The following
diseases are related to …") says nothing about the article it sits in.
"""

from __future__ import annotations

import re

from askback.corpus.chunking import section_heading, split_sentences

__all__ = [
    "BIO",
    "BOILERPLATE",
    "CODE",
    "FRAGMENT",
    "KINDS",
    "LOST_LIST",
    "PARAMETERS",
    "PROMOTION",
    "REFERENCE",
    "TEXT",
    "boilerplate",
    "kind_of",
    "wanted_kinds",
]

TEXT, REFERENCE, BIO, PROMOTION, LOST_LIST = "text", "reference", "bio", "promotion", "lost list"
FRAGMENT, BOILERPLATE, CODE, PARAMETERS = "fragment", "boilerplate", "code", "parameters"
KINDS = (TEXT, REFERENCE, BIO, PROMOTION, LOST_LIST, FRAGMENT, BOILERPLATE, CODE, PARAMETERS)
SHARED_BY = 3  # a passage this many articles share is the site's, not an article's

_REFERENCE_HEADING = re.compile(r"\b(references?|sources?|citations?|bibliography|further reading)\b", re.I)
_CITATION = re.compile(
    r"https?://|www\.|\bdoi\b|↩|\b(19|20)\d\d;\s*\d+|\bet al\.|\b[A-Z][a-z]+ [A-Z]{1,2}(,|\.) [A-Z][a-z]+ [A-Z]{1,2}\b"
)
_BIO = re.compile(
    r"\b(speciali[sz]es in (writing|covering)|writes about|has written (for|about)|about the author|"
    r"is a (freelance |health |medical )?(writer|journalist|editor|blogger)|her writing|his writing)\b",
    re.I,
)
_PROMOTION = re.compile(
    r"\b(symptom checker|sign up|subscribe|download (the|our) app|book (now|an appointment|online)|click here|"
    r"use (this|our) free|try it free|free trial|get started|learn more at|our (clinic|team) (offers|can))\b",
    re.I,
)
_ASKS_SOURCES = re.compile(r"\b(sources?|references?|cite[sd]?|citations?|studies|papers?|journals?|trials?)\b", re.I)
_ASKS_CODE = re.compile(r"\b(code|commands?|examples?|snippets?|samples?|syntax)\b", re.I)
_ASKS_PARAMETERS = re.compile(
    r"\b(options?|param(eter)?s?|arg(ument)?s?|returns?|return value|signature|types?|accepts?)\b", re.I
)
_ASKS_AUTHOR = re.compile(r"\b(who (wrote|writes|is|are)|who's|author|writer|wrote|bio)\b", re.I)


def kind_of(text: str, heading: str, author: str = "", title: str = "") -> str:
    """The kind of a passage, from its own words, its section heading and the article's author (a
    passage that opens with the author's name is about the author) and title."""
    bare = _plain(_MARKS.sub(" ", text))
    if len(_WORDS.findall(bare)) < 2 or bare in {_plain(title), _plain(heading), _plain(section_heading(heading))}:
        return FRAGMENT
    if _LABEL.fullmatch(text.strip()):
        return FRAGMENT  # a few words with no sentence in them: "Stability: 2 - Stable", a tagline
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    cited = sum(bool(_CITATION.search(line)) for line in lines)
    if cited * 2 > len(lines) or (_REFERENCE_HEADING.search(heading) and cited):
        return REFERENCE
    names = [author, author.split()[0]] if author.split() else []
    if any(text.startswith(f"{name} ") for name in names) or _mostly(_BIO, text):
        return BIO
    if _mostly(_PROMOTION, text):
        return PROMOTION
    if text.rstrip().endswith((":", ":…", ": …")):
        return LOST_LIST  # the chunker keeps a list with the line introducing it: here the list is gone
    return TEXT


_LABEL = re.compile(r"[^\n.!?]{1,60}[^\n.!?:;,]")  # one short line that ends no sentence
_MARKS = re.compile(r"\[\d+(?:[-–,]\s*\d+)*\]|\(\d+\)")  # citation marks: [4], [2-3], (7)
_WORDS = re.compile(r"[^\W\d_]{2,}")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def boilerplate(passages: list[tuple[str, str, str]]) -> set[int]:
    """Of ``(article title, article path, text)`` for every passage of a corpus, the numbers of the
    passages that ``SHARED_BY`` or more articles share, each article's title set aside."""
    readings = []
    for title, _, text in passages:
        plain, name = _plain(text), _plain(title)
        readings.append(plain.replace(name, "{title}") if name else plain)
    articles: dict[str, set[str]] = {}
    for (_, path, _), reading in zip(passages, readings, strict=True):
        articles.setdefault(reading, set()).add(path)
    return {n for n, reading in enumerate(readings) if len(articles[reading]) >= SHARED_BY}


def _mostly(pattern: re.Pattern[str], text: str) -> bool:
    """Do the sentences matching ``pattern`` make up at least half of the passage's words? (A
    content passage that ends with "Subscribe to our newsletter" is still content.)"""
    matched = sum(len(text[a:b].split()) for a, b in split_sentences(text) if pattern.search(text[a:b]))
    return matched * 2 >= len(text.split()) > 0


def wanted_kinds(question: str) -> frozenset[str]:
    """The kinds a question may be answered with: text, plus references, bios, code or parameter
    lists when it asks for them."""
    kinds = {TEXT}
    if _ASKS_CODE.search(question):
        kinds.add(CODE)
    if _ASKS_PARAMETERS.search(question):
        kinds.add(PARAMETERS)
    if _ASKS_SOURCES.search(question):
        kinds.add(REFERENCE)
    if _ASKS_AUTHOR.search(question):
        kinds.add(BIO)
    return frozenset(kinds)
