"""How well each candidate fits what the question asks for: the kind of answer its form wants
("how long" a duration), the section whose heading answers that form ("Diagnosis" for "how is it
diagnosed?"), that section's opening passage, and the article the question names. Each raises a
candidate's score by its fitted share (``AnswerSettings``; ``benchmarks/fit.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from askback.config import AnswerSettings
from askback.search.answertype import asked_for
from askback.search.retrieval import Hit, Retriever

__all__ = ["Reading", "fit_to_form"]


@dataclass(frozen=True)
class Reading:
    """What the question's form asked for, and the article it named (``--explain``)."""

    asked_for: tuple[str, ...]
    about: str  # the article's id, or ""


def fit_to_form(
    retriever: Retriever, question: str, hits: Sequence[Hit], settings: AnswerSettings
) -> tuple[list[Hit], Reading]:
    """``hits`` rescored by the question's form, best first."""
    forms = retriever.forms
    asked = asked_for(question)
    everyday = retriever.everyday_words(question)
    about, named = forms.about(question, everyday)
    form_words = forms.form_words(question, everyday)  # once per question, not per candidate
    if named < settings.about_share:
        about = ""
    rescored = []
    for hit in hits:
        n = hit.number
        bonus = 0.0
        if asked and n >= 0:
            bonus += settings.answer_type_weight * len(asked & forms.holds[n]) / len(asked)
        if n >= 0:
            fits = forms.heading_answers(form_words, n, forms.subject_keys(hit.passage.article.path))
            bonus += fits * (settings.heading_form_weight + settings.opening_weight * forms.opens_section[n])
        if about and hit.passage.article.path == about:
            bonus += settings.about_weight * named
        if bonus:  # a share of the score, so that the quote and offer margins keep their meaning
            hit = hit.rescored(hit.score * (1 + bonus))
        rescored.append(hit)
    rescored.sort(key=lambda h: -h.score)
    article = next((h.passage.article.id for h in hits if h.passage.article.path == about), "")
    return rescored, Reading(tuple(sorted(asked)), article)
