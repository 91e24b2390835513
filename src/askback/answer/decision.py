"""How one question was decided: its ``Part`` and the ``Decision`` record that explains it
(``askback ask --explain``)."""

from __future__ import annotations

from collections.abc import Sequence

from askback.answer.confidence import SIGNALS
from askback.answer.form import Reading
from askback.config import AnswerSettings
from askback.records import Candidate, Decision, Part, Passage
from askback.search.answertype import held as answer_types
from askback.search.retrieval import Hit
from askback.search.words import passage_words, tokenize

__all__ = ["Deciding"]


class Deciding:
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
        reading: Reading | None = None,
    ) -> None:
        self.question, self.subject, self.unknown, self.hits = question, tuple(subject), unknown, hits
        self.reading = reading or Reading((), "")
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
            held = passage_words(h.passage.heading, h.passage.text)
            matched = tuple(w for w in words if w in held)
            holds = tuple(sorted(answer_types(h.passage.text)))
            out.append(Candidate(h.passage, h.score, h.dense, h.lexical, matched, verdict, holds))
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
            self.reading.asked_for,
            self.reading.about,
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
            self.reading.asked_for,
            self.reading.about,
        )
        part = Part(self.question, quotes, not quotes, missing, more=more, confidence=sure, unsure=unsure)
        return part, decision
