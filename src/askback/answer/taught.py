"""A taught question decides the first quote: a question close to one the publisher taught
(``askback teach``) gets the taught passage first, whatever the search ranked first; the other
articles' views follow as they would. A question far from every taught one is answered as if
nothing were taught.

The taught passage is quoted whole (the span of passages that holds the taught quote), never
trimmed: the publisher chose it. It leads with the best score of the search, so the other articles
join or are offered by the same rules as without it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from askback.answer.quotes import overlap
from askback.config import AnswerSettings
from askback.records import Decision, Passage
from askback.search.answertype import asked_for
from askback.search.retrieval import Hit, Retriever
from askback.search.taught import TaughtMatch

__all__ = ["Lifted", "explained", "taught_hits"]

_ANSWERS = 0.5  # a heading this close to the question's form answers it (answertype.Forms.heading_answers)


@dataclass(frozen=True)
class Lifted:
    """The taught question that matched and the hits of its passages, to lead the answer."""

    match: TaughtMatch
    hits: tuple[Hit, ...]

    def first(self, hits: Sequence[Hit]) -> list[Hit]:
        """``hits`` led by the taught passages, without the hits they overlap."""
        rest = [h for h in hits if not any(overlap(h.passage, t.passage) for t in self.hits)]
        return [*self.hits, *rest]

    def holds(self, hit: Hit) -> bool:
        return any(hit is t for t in self.hits)


def taught_hits(
    retriever: Retriever, question: str, hits: Sequence[Hit], settings: AnswerSettings, vector: np.ndarray | None
) -> Lifted | None:
    """The taught passages for ``question`` when a taught question is close enough to it
    (``settings.taught_above``), as hits scoring the search's best; None otherwise."""
    if not retriever.taught:
        return None
    q = retriever.encode(question) if vector is None else vector
    match = retriever.taught.closest(q, question, settings.taught_above)
    if match is None:
        return None
    top = max((h.score for h in hits), default=1.0)
    stale = set(retriever.stored.stale)
    found = []
    for span in match.spans:
        passage, number = _passage(retriever, span.passages)
        if passage is None or passage.article.path in stale or not retriever.files.holds(passage):
            continue
        if not _asks_the_same(retriever, question, match, number):
            continue
        dense = float(retriever.stored.vectors.reconstruct(number) @ q[0])
        lexical = next((h.lexical for h in hits if h.number == number), 0.0)
        found.append(Hit(dataclasses.replace(passage, score=max(0.0, min(top, 1.0))), top, dense, lexical, number))
    if not found:
        return None
    found.sort(key=lambda h: -h.dense)  # of several taught answers, the closest to this wording first
    return Lifted(match, tuple(found))


def _asks_the_same(retriever: Retriever, question: str, match: TaughtMatch, number: int) -> bool:
    """Does the taught passage answer what the question asks, as the articles' own structure reads
    it? Questions of one form about one subject are close in meaning whatever they ask ("What
    causes tremor?", "What is tremor?", "How is tremor diagnosed?"), so the two questions must ask
    for the same kind of answer (a cause, a duration, an amount...), and no other section of the
    taught passage's article may have a heading that answers the question's form (at least
    ``_ANSWERS``) better than the taught passage's own ("Diagnosis" for "how is it diagnosed?"):
    the article answers it there."""
    if asked_for(question) != asked_for(match.question):
        return False
    forms = retriever.forms
    path = retriever.stored.passages[number].article.path
    subject = forms.subject_keys(path)
    form = forms.form_words(question, retriever.everyday_words(question))
    own = forms.heading_answers(form, number, subject)
    return not any(
        forms.heading_answers(form, n, subject) > max(own, _ANSWERS)
        for n, p in enumerate(retriever.stored.passages)
        if p.article.path == path
    )


def _passage(retriever: Retriever, numbers: tuple[int, ...]) -> tuple[Passage | None, int]:
    """The passage holding a taught quote: one passage, or two neighbours joined when the quote runs
    across the cut between them (then the first's number)."""
    passages = retriever.stored.passages
    if len(numbers) == 1:
        return passages[numbers[0]], numbers[0]
    joined = retriever.sections.joined(passages[numbers[0]], passages[numbers[1]]) if len(numbers) == 2 else None
    if joined is not None:
        return joined, numbers[0]
    return passages[numbers[0]], numbers[0]


def explained(decision: Decision, lifted: Lifted | None) -> Decision:
    """The decision, saying which taught question chose the first quote."""
    if lifted is None:
        return decision
    m = lifted.match
    return dataclasses.replace(decision, taught=f"{m.question} (cosine {m.cosine:.2f})")
