"""What a question asks for, and what a passage holds: the expected answer type, the section whose
heading answers the question's form, and the article the question is about.

- **Answer type.** "How long does it take to work?" wants a duration, "how often" a frequency,
  "how much" an amount, "how many" a count, "how does it help" or "why" a mechanism or cause, "who"
  a kind of person, "is it safe?" a yes or no. A passage holds durations ("24–48 hours", "3–4
  visits"), frequencies ("once a week"), amounts ("$75"), counts ("80 percent", "1,162 people"),
  because-clauses, people ("if you are pregnant", "people with"), verdicts ("yes", "studies
  show"). Both are read from the form of the words (question words, numbers, units, clause
  shapes), never from one corpus's vocabulary, so any corpus gets them.
- **A heading that answers the form.** "How is gonorrhea diagnosed?" is answered by the section
  headed "Diagnosis": the question's words, less its subject, meet the heading's words (compared
  by their first five letters, so "diagnosed" meets "Diagnosis"). A section opens with its answer
  more often than not, so its first passage counts most.
- **The article it is about.** A question that names an article's subject (the distinctive words
  of its title: "gonorrhea", "prolactinoma") is about that article.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from askback.corpus.chunking import section_heading
from askback.records import Passage
from askback.search.words import tokenize

__all__ = ["Forms", "asked_for", "held", "without_form_words"]

DURATION, FREQUENCY, AMOUNT, COUNT, MECHANISM, WHO, YES_NO = (
    "duration",
    "frequency",
    "amount",
    "count",
    "mechanism",
    "who",
    "yes/no",
)

_TIME = r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?)"
_SPAN = r"(?:sessions?|visits?|treatments?|appointments?)"
_NUMBER = (
    r"(?:\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?"
    r"|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|few|several|many)"
)
_ASKS = {
    DURATION: re.compile(
        rf"\bhow (long|soon|quickly|fast)\b|\bhow much time\b|\bhow many {_TIME}\b|\bwhen (will|does|do|should|can)\b"
        r"[^?]*\b(work|feel|notice|help|kick|start|see|better|improve|results?|effects?|stop|end)\b",
        re.I,
    ),
    FREQUENCY: re.compile(
        r"\bhow (often|frequently|regularly)\b|\bhow many times\b|\bevery (couple|few|other|two|three)\b|"
        r"\b(once|twice|\w+ times) a (week|month|year)\b|\b(more|less) (often|regular|frequent)\w*\b",
        re.I,
    ),
    AMOUNT: re.compile(
        r"\bhow much\b(?! time| longer)|\b(cost|costs|price|fees?|expensive|afford|pay|insurance)\b", re.I
    ),
    COUNT: re.compile(
        rf"\bhow many\b(?! {_TIME}| times)|\bhow common\b|\bnumber of\b|\bwhat (percentage|proportion)\b", re.I
    ),
    MECHANISM: re.compile(
        r"\bhow (does|do|did|would|could|can|is|are) [^?]*\b(work|works|help|helps|heal|relieve|reduce|ease|treat|"
        r"affect|cause|happen|get rid)\b|\bwhy\b|\bwhat causes\b|\bcaused? by\b|\bmechanism|\bthe science\b",
        re.I,
    ),
    WHO: re.compile(r"\bwho\b|\bwhich (people|patients|person)\b|\banyone\b|\banybody\b|\bpeople (with|who)\b", re.I),
    YES_NO: re.compile(r"^\W*(is|are|can|could|does|do|did|should|will|would|has|have|was|were|may|might)\b", re.I),
}
_HOLDS = {
    DURATION: re.compile(
        rf"\b{_NUMBER}\s*{_TIME}\b|\b{_NUMBER}\s*{_SPAN}\b|\b(within|after|over|for|takes?|lasts?|up to)\s+"
        rf"(?:the first |a |an |)(?:{_NUMBER}\s+)?{_TIME}\b|\b(immediately|right away|overnight|long[- ]term|"
        r"short[- ]term|lasting|gradual(ly)?|at first)\b",
        re.I,
    ),
    FREQUENCY: re.compile(
        rf"\b(once|twice|{_NUMBER}\s+times?)\s+(a|per|each|every)\s+{_TIME}\b|\bevery\s+(\w+\s+)?{_TIME}\b|"
        rf"\b(daily|weekly|monthly|yearly|a week|per week|a month|per month)\b|\b\d+\s*(x|×)\s*(a|per)\s+{_TIME}\b",
        re.I,
    ),
    AMOUNT: re.compile(
        r"[$£€¥]\s?\d|\b\d[\d,.]*\s*(dollars|pounds|euros)\b|\b(costs?|price[sd]?|fees?|insurance|insurers?|covered|"
        r"pay|paid|afford\w*|expensive|cheap|out[- ]of[- ]pocket)\b",
        re.I,
    ),
    COUNT: re.compile(
        r"\b\d[\d,.]*\s*(%|percent|per ?cent)|\b\d[\d,.]*\s+(people|patients|participants|adults|children|men|women|"
        r"cases|americans|of every|out of|in every|million|thousand)\b|\b(one|two|three|four|five|\d+) (in|out of) "
        r"(every )?\d+|\b(million|thousand|hundred) (people|americans|adults|children|cases)\b|\b(most|many|few) "
        r"(people|patients)\b|\baffects? (about|around|approximately|nearly|more than)\b",
        re.I,
    ),
    MECHANISM: re.compile(
        r"\b(because|works? by|by (\w+ing)|leads? to|results? in|caus(e|es|ed|ing)|trigger\w*|releas\w+|stimulat\w+|"
        r"block\w*|activat\w+|due to|so that|thereby|mechanism\w*|which (may|can|helps?)|this (helps|allows|means))\b",
        re.I,
    ),
    WHO: re.compile(
        r"\b(people|patients|persons?|anyone|those|individuals|women|men|children|adults|elderly|older adults)\b"
        r"|\bif you (have|are|take|had)\b|\byou (have|are) (a|an|pregnant)\b|\bpregnan\w+|\bwho (have|are|has|is)\b",
        re.I,
    ),
    YES_NO: re.compile(
        r"^\W*(yes|no)\b|\b(is|are|can be|may be) (generally |usually |very |not )?(safe|effective|helpful|"
        r"recommended|worth)\b|\b(studies|research|evidence|trials?) (show|shows|suggest|suggests|found|supports?)\b",
        re.I,
    ),
}
_KEY_LETTERS = 5
_LIST_INTRO = re.compile(r"^[^\n]{3,120}:[ \t]*$", re.MULTILINE)
_QUESTION_WORDS = frozenset("what how why when where who which whose whom is are can does do did".split())


# "how long", "how often", "how much": the adverb names the kind of answer, not the subject; BM25
# would match it as a word ("long" in a heading "for the Long Haul").
_FORM_WORDS = re.compile(r"\b(how)\s+(long|often|much|many|soon|quickly|fast|frequently|far)\b", re.I)


def without_form_words(question: str) -> str:
    """The question without the adverbs of its "how long", "how often", ... : what BM25 searches."""
    return _FORM_WORDS.sub(r"\1", question)


def asked_for(question: str) -> frozenset[str]:
    """The kinds of answer the question's form asks for (none for "what is X?")."""
    return frozenset(kind for kind, pattern in _ASKS.items() if pattern.search(question.strip()))


@functools.lru_cache(maxsize=1 << 14)
def held(text: str) -> frozenset[str]:
    """The kinds of answer a passage's text holds (each passage's read once: every question's
    candidates ask)."""
    return frozenset(kind for kind, pattern in _HOLDS.items() if pattern.search(text))


def _keys(text: str) -> frozenset[str]:
    """Words compared by their first letters: "diagnosed" meets "Diagnosis", "causes" "cause"."""
    return frozenset(w[:_KEY_LETTERS] for w in tokenize(text) if len(w) > 2 and w not in _QUESTION_WORDS)


@dataclass(frozen=True)
class Forms:
    """Per passage of one index: the answer types it holds, its section heading's words, whether it
    opens its section; per article, the distinctive words of its title."""

    holds: tuple[frozenset[str], ...]
    heading_keys: tuple[frozenset[str], ...]
    opens_section: tuple[bool, ...]
    title_keys: dict[str, frozenset[str]]  # article path -> its title's distinctive keys
    common_keys: frozenset[str]  # the corpus-wide words: never a question's form

    @classmethod
    def of(cls, passages: Sequence[Passage], common: Iterable[str]) -> Forms:
        common_keys = frozenset(w[:_KEY_LETTERS] for w in common)
        holds = tuple(held(p.text) for p in passages)
        # A line introducing a list ("Who should see a podiatrist:") heads what follows as a heading does.
        headings = tuple(_keys(" ".join([section_heading(p.heading), *_LIST_INTRO.findall(p.text)])) for p in passages)
        opens = tuple(
            n == 0 or passages[n - 1].heading != p.heading or passages[n - 1].article != p.article
            for n, p in enumerate(passages)
        )
        titles: dict[str, frozenset[str]] = {}
        for p in passages:
            if p.article.path not in titles:
                titles[p.article.path] = _keys(p.article.title)
        # A title word most titles share ("disease", "syndrome") names no one article.
        counts: dict[str, int] = {}
        for keys in titles.values():
            for k in keys:
                counts[k] = counts.get(k, 0) + 1
        limit = max(2, len(titles) // 4)
        titles = {path: frozenset(k for k in keys if counts[k] <= limit) for path, keys in titles.items()}
        return cls(holds, headings, opens, titles, common_keys)

    def about(self, question: str, everyday: Iterable[str] = ()) -> tuple[str, float]:
        """The article whose title's distinctive words the question names most, and the share
        named (``("", 0.0)`` when none). The question's ``everyday`` words name nothing: "does it
        work?" is not about an article titled "… Does It Work?"."""
        keys = _keys(question) - {w[:_KEY_LETTERS] for w in everyday}
        best, share = "", 0.0
        for path, title in self.title_keys.items():
            if title:
                named = len(title & keys) / len(title)
                if named > share:
                    best, share = path, named
        return best, share

    def form_words(self, question: str, everyday: Iterable[str] = ()) -> frozenset[str]:
        """The question's words less the corpus-wide ones and its ``everyday`` (stemmed) words,
        which are no part of its form: "a nice nap" is not about a heading "NICE Guidelines"."""
        return _keys(question) - self.common_keys - {w[:_KEY_LETTERS] for w in everyday}

    def heading_answers(self, form_words: frozenset[str], number: int, subject: frozenset[str]) -> float:
        """How well passage ``number``'s section heading answers the question's ``form_words``
        less its ``subject``: the share of those words the heading holds times the
        share of the heading's own words they make up. "Diagnosis" answers "how is gout
        diagnosed?" fully; a long heading that shares one word with a long question, barely."""
        form = form_words - subject
        heading = self.heading_keys[number] - subject - self.common_keys
        shared = len(form & heading)
        return shared * shared / (len(form) * len(heading)) if shared else 0.0

    def subject_keys(self, path: str) -> frozenset[str]:
        return self.title_keys.get(path, frozenset())
