"""How close a corpus's passages come to questions they have nothing to do with: the scale a
question's closeness is read on.

A cosine means different things in different corpora and under different models: 0.35 is a close
match among five articles on one subject and a chance one among 2,000 pages of API reference, where
some passage shares a word with anything. So before a question's best cosine says anything, it is
compared with the best cosines the same passages give a fixed list of everyday questions on
subjects no publisher's help pages are about (the weather, a recipe, a football score). Their
median and spread are this corpus's "unrelated" level; a question's closeness is how many spreads
above it the question comes. Median and the median absolute deviation, not mean and standard
deviation: a corpus that happens to be about cooking answers a few of the list, and that must not
move the scale.

Computed once per loaded index, on first use (the list encoded and searched: a few hundred
milliseconds), never stored: it follows the corpus and the model whatever they are.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from askback.search.retrieval import Retriever

__all__ = ["UNRELATED_QUESTIONS", "Baseline", "baseline"]

# Everyday questions, each on its own subject, none that a publisher's help pages would answer.
UNRELATED_QUESTIONS = (
    "What's the weather forecast for this weekend?",
    "Who won the football match last night?",
    "How long should I boil an egg for a runny yolk?",
    "What is the capital city of Australia?",
    "How do I change a flat tyre on my bike?",
    "What's a good recipe for vegetable lasagna?",
    "When do tomatoes need to be planted outside?",
    "How do I learn to play barre chords on the guitar?",
    "Which films won the most Oscars?",
    "How many moons does Jupiter have?",
    "What time does the train to the airport leave?",
    "How do I get red wine out of a carpet?",
    "What should I pack for a week of hiking in the mountains?",
    "Who painted the ceiling of the Sistine Chapel?",
    "How do I teach my puppy to sit?",
    "What's the best way to save for a house deposit?",
    "How do castling rules work in chess?",
    "Which wedding dress styles suit a beach ceremony?",
    "How do I knit a scarf for beginners?",
    "When did the Roman Empire fall?",
    "What's the exchange rate between euros and yen today?",
    "How do I descale a kettle with vinegar?",
    "Which national parks are best to visit in autumn?",
    "How often should I water a cactus?",
    "What does a referee's yellow card mean?",
    "How do I write a cover letter for a job in a bakery?",
    "Where can I watch the northern lights in Norway?",
    "How do I tune a piano at home?",
    "What are the lyrics of the national anthem?",
    "How much does it cost to paint a two-bedroom flat?",
    "Which birds migrate south for the winter?",
    "How do I make cold brew coffee?",
    "Who wrote Pride and Prejudice?",
    "How do I get rid of aphids on roses?",
    "What's the speed limit on a motorway?",
    "How do I fold a paper crane?",
    "When is the next full moon?",
    "How do I bleed the air out of a radiator?",
    "What should I name my goldfish?",
    "How do I improve my golf swing?",
)


@dataclass(frozen=True)
class Baseline:
    """The best cosines of the unrelated questions in one corpus: their median and spread."""

    median: float
    spread: float  # the median absolute deviation, scaled to a standard deviation, at least 0.01

    @classmethod
    def of(cls, closeness: np.ndarray) -> Baseline:
        median = float(np.median(closeness)) if len(closeness) else 0.0
        spread = 1.4826 * float(np.median(np.abs(closeness - median))) if len(closeness) else 0.0
        return cls(median, max(spread, 0.01))

    def above(self, cosine: float) -> float:
        """How many spreads ``cosine`` is above the corpus's unrelated level."""
        return (cosine - self.median) / self.spread


_BASELINES: weakref.WeakKeyDictionary[Retriever, Baseline] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def baseline(retriever: Retriever) -> Baseline:
    """The corpus's unrelated level, computed on first use and kept with the loaded retriever."""
    from askback.search.retrieval import Method

    with _LOCK:
        found = _BASELINES.get(retriever)
        if found is None:
            vectors = retriever.embedder.encode(list(UNRELATED_QUESTIONS))
            closeness = [
                max((h.dense for h in retriever.search(q, 3, Method.DENSE, vectors[i : i + 1])), default=0.0)
                for i, q in enumerate(UNRELATED_QUESTIONS)
            ]
            found = _BASELINES[retriever] = Baseline.of(np.array(closeness, dtype=np.float32))
        return found
