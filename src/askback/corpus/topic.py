"""The topic of a new bot, guessed from what all its documents share.

A topic names what every document is about, so it is a word most of them use (in their titles,
headings or text) that is rare in everyday English: "Valgrind" across a tool's manual, "pip"
across its user guide. Words shared by the titles come first ("Composting at Home", "What Goes in
a Compost Heap": "composting"). One document's title is never the topic of many; when nothing is
shared, there is no topic and the bot names its articles instead.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

__all__ = ["guess_topic"]

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[.+#'’-][A-Za-z0-9]+)*")
_HEADING = re.compile(r"^#+[ \t]+(\S+)[ \t]*$", re.M)  # a heading of one word
_CODE = re.compile(r"^```[^\n]*\n.*?^```[ \t]*$", re.M | re.S)  # a code block of the corpus text
_SHARED = 0.6  # a topic word is in at least this share of the documents
_LITTLE = frozenset(
    "a an and are as at be by can do does for from how i in is it its not of on or the to what when where which "
    "who why will with your you this that".split()
)


@cache
def _english() -> tuple[dict[str, int], float]:
    from spellchecker import SpellChecker

    frequency = SpellChecker().word_frequency
    return frequency.dictionary, float(frequency.total_words)


def _rarity(word: str) -> float:
    """1 for a word everyday English does not use, near 0 for "the"."""
    counts, total = _english()
    share = counts.get(word, 0) / total
    return 1.0 if share == 0 else min(1.0, -math.log10(share) / 9)


def guess_topic(documents: Sequence[tuple[str, str]]) -> str:
    """The topic of documents given as ``(title, text)``: the words most titles share, else the
    word most documents use that everyday English uses least; "" when they share nothing."""
    if not documents:
        return ""
    if len(documents) == 1:
        return documents[0][0]
    titles = _shared_title_words([title for title, _ in documents])
    if titles:
        return titles
    forms: dict[str, Counter[str]] = {}
    documents_using: Counter[str] = Counter()
    as_heading: Counter[str] = Counter()  # "Overview", "Symptoms": a section's name, not a subject
    for title, text in documents:
        text = _CODE.sub("", text)  # a sample's names ("SomePackage") are not what the pages are about
        as_heading.update({m.lower() for m in _HEADING.findall(text)})
        seen = set()
        for word in _WORD.findall(f"{title}\n{text}"):
            key = word.lower()
            if key in _LITTLE or len(key) < 2:
                continue
            forms.setdefault(key, Counter())[word] += 1
            seen.add(key)
        documents_using.update(seen)
    least = max(2, math.ceil(_SHARED * len(documents)))
    scored = [
        (documents_using[key] / len(documents) * min(_rarity(key), _rarity(key[:-1]) if key.endswith("s") else 1), key)
        for key in documents_using
        if documents_using[key] >= least and not key.isdigit() and as_heading[key] * 2 < documents_using[key]
    ]
    if not scored:
        return ""
    best, key = max(scored)
    if best < 0.45:
        return ""
    return forms[key].most_common(1)[0][0]


def _shared_title_words(titles: list[str]) -> str:
    """The words that at least half of the titles (and two at least) share, in the order the first
    title has them; "composting" for "Composting at Home" and "What Goes in a Compost Heap"."""
    words = [[w for w in _WORD.findall(t) if w.lower() not in _LITTLE] for t in titles]

    def key(word: str) -> str:  # "Composting" and "Compost" share a topic
        return word.lower()[:6]

    counts: Counter[str] = Counter()
    for title in words:
        counts.update({key(w) for w in title})
    least = max(2, (len(titles) + 1) // 2)
    shared = [w for w in dict.fromkeys(w for title in words for w in title) if counts[key(w)] >= least]
    shared = list({key(w): w for w in reversed(shared)}.values())[::-1]  # one form per word, the first seen
    return " ".join(w if w.isupper() else w.lower() for w in shared)
