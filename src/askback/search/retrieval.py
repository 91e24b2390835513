"""Hybrid retrieval: dense (FAISS inner product on unit vectors) plus BM25, fused.

Dense search finds paraphrases ("how much does it cost" ~ "$75 per session"); BM25 finds the rare
exact words dense search blurs (NICE, adenosine, lumbar). Each retriever proposes its best candidates
and a weighted sum of cosine and max-normalised BM25 ranks them: on both question sets it beat
reciprocal rank fusion, BM25 alone and dense alone (benchmarks/retrieval_methods.py). ``Method``
exists so each part can be measured on its own.

Section headings are the articles' own table of contents, often their FAQ ("Is It Safe?",
"When It Might Not Be Right for You"). A heading close in meaning to the question lifts the
passages of its section that are candidates: the passage text alone often shares little with the
question. (Headings only lift: in a large corpus one heading, "Is It Safe?", heads
thousands of sections, too many to add as candidates.)
"""

from __future__ import annotations

import bisect
import collections
import enum
import itertools
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from askback import limits
from askback.config import RETRIEVAL, RetrievalSettings
from askback.corpus.kinds import TEXT
from askback.index.embedding import Embedder
from askback.index.sources import ArticleFiles
from askback.index.store import StoredIndex
from askback.records import Passage
from askback.search import shared
from askback.search.absence import Mentions
from askback.search.answertype import Forms, without_form_words
from askback.search.changes import lists_changes
from askback.search.copies import Copies
from askback.search.distinctive import common_words
from askback.search.english import everyday
from askback.search.headings import question_headings
from askback.search.sections import Sections, headed
from askback.search.spelling import Speller
from askback.search.taught import TaughtQuestions
from askback.search.words import stem_words, tokenize

__all__ = ["Hit", "Method", "Retriever", "relevance"]

_COMPLETIONS = 20  # a clipped word stands for at most this many corpus words


class Method(enum.Enum):
    HYBRID = "hybrid"  # weighted sum of cosine and max-normalised BM25
    RRF = "rrf"  # reciprocal rank fusion of the two below
    DENSE = "dense"
    LEXICAL = "lexical"


@dataclass(frozen=True)
class Hit:
    """A candidate passage with the evidence for it: cosine similarity (passage and best sentence
    blended), BM25, and the fused score."""

    passage: Passage
    score: float
    dense: float
    lexical: float
    number: int = -1  # the passage's place in the index: neighbours differ by one
    heading: float = 0.0  # cosine of the question with the passage's section heading, when that lifts it

    def rescored(self, score: float) -> Hit:
        """This hit at ``score``, its passage's relevance with it: built directly, as
        ``dataclasses.replace`` is slow at every candidate of every search."""
        p = self.passage
        passage = Passage(p.text, p.start, p.end, p.article, relevance(score), p.heading, p.kind)
        return Hit(passage, score, self.dense, self.lexical, self.number, self.heading)


def relevance(score: float) -> float:
    """A passage's score as callers see it (``Passage.score``): the fused score within [0, 1]. The
    fused score is mostly a cosine, so it rarely leaves that range; a heading lift can push it past 1."""
    return min(max(score, 0.0), 1.0)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest scores, best first, without sorting them all."""
    if k < len(scores):
        chosen = np.argpartition(-scores, k - 1)[:k]
        return chosen[np.argsort(-scores[chosen], kind="stable")]
    return np.argsort(-scores, kind="stable")


def _acronyms(text: str) -> frozenset[str]:
    """The (stemmed) words ``text`` writes in capitals: "NICE" is a name, "nice" a word."""
    return frozenset(tokenize(" ".join(w for w in _CAPITALS.findall(text) if w.isupper())))


_CAPITALS = re.compile(r"\b[A-Za-z]{2,}\b")


def lexical_text(passage: Passage, heading: bool = True) -> str:
    """What BM25 indexes: the passage plus where it sits (title, site, author, and its heading
    unless it is one of a long section's later passages: ``sections.headed``)."""
    a = passage.article
    return " ".join((a.title, a.publisher, a.author, passage.heading if heading else "", passage.text))


class Retriever:
    """Searches one loaded index. Safe to share between threads: only a cache of article files and
    the everyday words (computed alike by any thread) fill in."""

    def __init__(self, stored: StoredIndex, embedder: Embedder, settings: RetrievalSettings = RETRIEVAL) -> None:
        import bm25s

        self.stored = stored
        self.embedder = embedder
        self.settings = settings
        self._usable = stored.usable
        self._bm25 = bm25s.BM25()
        with_heading = headed(stored.passages, settings.lexical_heading_passages)
        corpus_tokens = [
            tokenize(lexical_text(p, h)) or ["\x00"] for p, h in zip(stored.passages, with_heading, strict=True)
        ]
        self._bm25.index(corpus_tokens, show_progress=False)
        self.common_words = common_words(corpus_tokens, settings.common_share)
        self._copies = Copies(p.text for p in stored.passages)  # copies.py: a caveat repeated is shown once
        self._vocab = set(self._bm25.vocab_dict)
        self._sorted_vocab = sorted(self._vocab)
        self._everyday_stems: frozenset[str] | None = None
        self._one_letter_less = {w[:i] + w[i + 1 :] for w in self._vocab if len(w) >= 6 for i in range(len(w))}
        self.question_headings = question_headings(stored.passages)
        self.forms = Forms.of(stored.passages, self.common_words)  # answertype.py
        self.suggestable: tuple[str, ...] | None = None  # those answered by their own section (suggestions.py)
        self._named = _name_tokens(stored.passages, corpus_tokens)
        self._article_paths = np.array([p.article.path for p in stored.passages], dtype=object)
        self._heading_of = stored.heading_of
        self._changes = lists_changes(stored.passages)  # changes.py
        self.files = ArticleFiles(stored.article_file)
        self.sections = Sections(stored.passages, self.files)  # sections.py: quotes over whole sections
        self.taught = TaughtQuestions.of(stored)  # the publisher's taught questions (taught.py)
        # The passages that send the reader to a doctor without delay, and how urgently (bot.py):
        # read once here, not at every message describing red flags.
        safety = stored.bot.safety
        levels = np.array(
            [safety.urgency(p.text) if p.kind == TEXT else len(safety.urgent) for p in stored.passages], dtype=np.int64
        )
        self._urgent = np.flatnonzero(levels < len(safety.urgent))
        self._urgency = levels[self._urgent]
        self.speller = Speller(lambda: map(lexical_text, stored.passages))
        articles = tuple(dict.fromkeys(p.article for p in stored.passages))
        self._mentions = Mentions(
            lambda: itertools.chain(map(lexical_text, stored.passages), (self.files.text(a) or "" for a in articles))
        )

    def mentions(self, word: str) -> bool:
        """Do the articles hold the user's ``word`` in any form, or is it a typo of theirs
        (absence.py)? Only a word they don't may be named as one no article mentions."""
        stems = tokenize(word)
        return not stems or any(map(self.knows, stems)) or self._mentions.mentioned(word)

    def names_missing(self, text: str) -> list[str]:
        """The names written as code in ``text`` that no article holds as they are (absence.py)."""
        return self._mentions.names_missing(text)

    def uses(self, word: str) -> bool:
        """Does this (tokenized) word occur in the corpus, as it is?"""
        return word in self._vocab

    def knows(self, word: str) -> bool:
        """Does this (tokenized) word occur in the corpus, as a word, the start of a longer one
        ("physio" in "physiotherapist") or with one letter missing ("acupunture")?"""
        return bool(self._completions(word)) or (len(word) >= 5 and word in self._one_letter_less)

    def _completions(self, word: str) -> list[str]:
        """The corpus word this (tokenized) word is, else those it starts ("physio": "physiotherapi",
        "physiolog"): people clip long words."""
        if word in self._vocab:
            return [word]
        if len(word) < 5:
            return []
        at = bisect.bisect_left(self._sorted_vocab, word)
        return list(itertools.takewhile(lambda w: w.startswith(word), self._sorted_vocab[at : at + _COMPLETIONS]))

    def encode(self, text: str) -> np.ndarray:
        """The query's vector, typos read as the articles' words (spelling.py)."""
        limits.check()
        return self._vector(self.speller.corrected(text))

    @contextmanager
    def one_answer(self) -> Iterator[None]:
        """Within this block (one answer), a text is encoded once however often it is searched,
        ``encode_ahead`` encodes the texts the answer will search in one call, and each article
        file is looked at once (shared.py)."""
        with shared.sharing(self, self.files.checker()):
            yield

    def encode_ahead(self, texts: Iterable[str]) -> None:
        """Encode ``texts`` in one call of the encoder, for this answer's searches (outside
        ``one_answer``, nothing)."""
        answer = shared.current(self)
        if answer is not None:
            limits.check()
            answer.ahead(map(self.speller.corrected, texts), self.embedder.encode)

    def _vector(self, text: str) -> np.ndarray:
        """The vector of ``text`` (read as corrected), encoded once per answer."""
        answer = shared.current(self)
        return self.embedder.encode([text]) if answer is None else answer.vector(text, self.embedder.encode)

    def search(self, query: str, k: int, method: Method = Method.HYBRID, vector: np.ndarray | None = None) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first; ``vector`` reuses an encoded query."""
        limits.check()  # an answer past its time, or unwanted, stops here (limits.py)
        n = len(self.stored.passages)
        if n == 0 or k <= 0:
            return []
        pool = min(n, max(self.settings.candidates, k))
        query = self.speller.corrected(query)  # once: BM25 and the encoder read the same words
        words = tokenize(without_form_words(query))
        lexical = self._lexical_scores(words, _acronyms(query))
        usable = self._usable & self._mentioned(words)
        lexical_top = _top(lexical, pool)
        lexical_top = lexical_top[lexical[lexical_top] > 0]
        if method is Method.LEXICAL:
            ids = lexical_top[usable[lexical_top]]
            return self._held((self._hit(int(i), float(lexical[i]), 0.0, float(lexical[i])) for i in ids), k, True)
        q = self._vector(query) if vector is None else vector
        _, dense_ids = self.stored.vectors.search(q, pool)
        owners, best_sentence = self._best_sentences(q, pool)
        close_headings, heading_cosines = self._close_headings(q)
        candidates = np.unique(np.concatenate([dense_ids[0][dense_ids[0] >= 0], owners, lexical_top]))
        candidates = candidates[usable[candidates]]
        if not len(candidates):
            return []
        cosine = self.stored.vectors.reconstruct_batch(candidates) @ q[0]
        heading = np.zeros(len(candidates), dtype=np.float32)
        candidate_headings = self._heading_of[candidates]
        for h, c in zip(close_headings.tolist(), heading_cosines.tolist(), strict=True):
            heading[candidate_headings == h] = c
        sentence = cosine.copy()
        where = np.searchsorted(owners, candidates).clip(max=max(len(owners) - 1, 0))
        has = owners[where] == candidates if len(owners) else np.zeros(len(candidates), dtype=bool)
        sentence[has] = best_sentence[where[has]]
        b = self.settings.sentence_weight
        dense = (1 - b) * cosine + b * np.maximum(cosine, sentence)
        lift = self.settings.heading_weight * np.maximum(heading - self.settings.heading_above, 0.0)
        score = self._fuse(method, dense + lift if method is Method.HYBRID else dense, lexical[candidates])
        if method is Method.HYBRID:
            score = np.where(self._changes[candidates], self.settings.changes_weight * score, score)
        order = np.argsort(-score, kind="stable")
        # As Python numbers in one step each: dozens of candidates, read one element at a time, cost more.
        columns = (a[order].tolist() for a in (candidates, score, dense, lexical[candidates], heading))
        return self._held(itertools.starmap(self._hit, zip(*columns, strict=True)), k, True)

    def urgent_hits(self, vector: np.ndarray, k: int) -> list[Hit]:
        """The ``k`` passages that send the reader to a doctor without delay: the most urgent wording
        first ("speak to a doctor immediately" before "a medical workup"), then the closest to ``vector``."""
        if not len(self._urgent):
            return []
        cosine = self.stored.vectors.reconstruct_batch(self._urgent) @ vector[0]
        order = np.lexsort((-cosine, self._urgency))
        ranked = (self._hit(int(self._urgent[j]), float(cosine[j]), float(cosine[j]), 0.0) for j in order)
        return self._held(ranked, k)

    def _held(self, ranked: Iterable[Hit], k: int, once: bool = False) -> list[Hit]:
        """The first ``k`` of ``ranked`` that the article files, as they are now (or as this answer
        first read them), still hold: an edited article is not quoted. ``once``: a passage that
        copies a better one (``copies_above``) is left out, and its place goes to the next."""
        answer = shared.current(self)
        holds = answer.holds if answer else self.files.checker()
        if once:
            ranked = self._copies.first_of_each(ranked, self.settings.copies_above)
        return list(itertools.islice((h for h in ranked if holds(h.passage)), k))

    def _fuse(self, method: Method, dense: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        if method is Method.DENSE:
            return dense
        if method is Method.RRF:
            k = self.settings.rrf_k
            dense_rank = np.argsort(np.argsort(-dense, kind="stable"), kind="stable")
            lexical_rank = np.argsort(np.argsort(-lexical, kind="stable"), kind="stable")
            return 1 / (k + dense_rank) + np.where(lexical > 0, 1 / (k + lexical_rank), 0.0)
        peak = float(lexical.max()) if len(lexical) else 0.0
        w = self.settings.dense_weight
        return w * dense + (1 - w) * (lexical / peak if peak > 0 else lexical)

    def _mentioned(self, words: list[str]) -> np.ndarray:
        """Passages of the articles the query names by author or site ("the Ubie article"), else all."""
        named = [self._named[t] for t in words if t in self._named]
        if not named:
            return np.ones(len(self.stored.passages), dtype=bool)
        return np.isin(self._article_paths, list(set().union(*named)))

    def names_an_article(self, words: list[str]) -> bool:
        """Does the (tokenized) question name an article by its author or site?"""
        return any(t in self._named for t in words)

    def _best_sentences(self, q: np.ndarray, pool: int) -> tuple[np.ndarray, np.ndarray]:
        """Passages (sorted) with a sentence among the closest ones, and their best sentence cosine."""
        total = self.stored.unit_vectors.ntotal
        if not total:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        scores, ids = self.stored.unit_vectors.search(q, min(total, 4 * pool))
        found = ids[0] >= 0
        # Results come best first, so each passage's first occurrence is its best sentence.
        owners, first = np.unique(self.stored.units[ids[0][found], 0], return_index=True)
        return owners, scores[0][found][first]

    def sentences(self, first: int, last: int, q: np.ndarray) -> list[tuple[int, int, float]]:
        """(start, end, cosine with ``q``) of each sentence or list item of passages ``first..last``."""
        rows = self.stored.units[:, 0]
        lo, hi = int(np.searchsorted(rows, first)), int(np.searchsorted(rows, last, side="right"))
        if lo == hi:
            return []
        cosine = self.stored.unit_vectors.reconstruct_batch(np.arange(lo, hi)) @ q[0]
        return [(int(a), int(b), float(c)) for (_, a, b), c in zip(self.stored.units[lo:hi], cosine, strict=True)]

    def _close_headings(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the headings closer to the question than ``heading_above``, and their cosines."""
        total = self.stored.heading_vectors.ntotal
        if not total:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        scores, ids = self.stored.heading_vectors.search(q, min(total, self.settings.heading_candidates))
        close = (ids[0] >= 0) & (scores[0] > self.settings.heading_above)
        return ids[0][close], scores[0][close]

    def _lexical_scores(self, words: list[str], acronyms: frozenset[str] = frozenset()) -> np.ndarray:
        """BM25 of the words the corpus has, everyday words (not ``acronyms``: "NICE" is not "nice")
        weighed less; a clipped word scores as the best of the words it starts."""
        scores = np.zeros(len(self.stored.passages), dtype=np.float32)
        everyday = self._everyday() - acronyms
        for group, weight in (
            ([w for w in words if w in self._vocab and w not in everyday], 1.0),
            ([w for w in words if w in everyday], self.settings.everyday_weight),
        ):
            if group:
                scores += weight * self.bm25_scores(group)
        clipped = collections.Counter(w for w in words if w not in self._vocab)
        for word, times in clipped.items():
            completions = self._completions(word)
            if completions:  # counted as often as it is written, as whole words are
                best = np.max([self.bm25_scores([w]) for w in completions], axis=0)
                scores += times * best.astype(np.float32)
        return scores

    def bm25_scores(self, words: list[str]) -> np.ndarray:
        """bm25s' ``get_scores(words)`` for words of the corpus, summed as it sums them (word by
        word, in float32), read straight from its index: its own call costs a search more than
        the sums do."""
        index = self._bm25.scores
        data, rows, starts = index["data"], index["indices"], index["indptr"]
        scores = np.zeros(len(self.stored.passages), dtype=np.float32)
        for word in words:
            token = self._bm25.vocab_dict[word]
            start, end = starts[token], starts[token + 1]
            scores[rows[start:end]] += data[start:end]  # a passage once per word: no repeated rows
        return scores

    def everyday_words(self, text: str) -> tuple[str, ...]:
        """The (stemmed) words of ``text`` that BM25 weighs as everyday (``everyday_weight``)."""
        everyday = self._everyday() - _acronyms(text)
        return tuple(w for w in dict.fromkeys(tokenize(self.speller.corrected(text))) if w in everyday)

    def _everyday(self) -> frozenset[str]:
        """The (stemmed) words the articles use no more than any English text would (english.py);
        counted on the first search, as it loads English's word counts."""
        if self._everyday_stems is None:
            below = self.settings.everyday_below
            found = (
                everyday(self.speller.word_counts(), below, lambda w: stem_words([w])[0]) if below > 0 else frozenset()
            )
            self._everyday_stems = found & self._vocab
        return self._everyday_stems

    def _hit(self, i: int, score: float, dense: float, lexical: float, heading: float = 0.0) -> Hit:
        p = self.stored.passages[i]
        found = Passage(p.text, p.start, p.end, p.article, relevance(score), p.heading, p.kind)
        return Hit(found, score, dense, lexical, i, heading)


def _name_tokens(passages: tuple[Passage, ...], tokens: list[list[str]]) -> dict[str, set[str]]:
    """Words of authors' and sites' names that occur in no other article: saying one names its articles.

    ``tokens`` are the passages' BM25 tokens (metadata included), so one pass finds who uses each word.
    """
    owners: dict[str, set[str]] = {}
    for article in dict.fromkeys(p.article for p in passages):
        for token in tokenize(f"{article.author} {article.publisher}"):
            owners.setdefault(token, set()).add(article.path)
    users: dict[str, set[str]] = {token: set() for token in owners}
    for passage, words in zip(passages, tokens, strict=True):
        for token in owners.keys() & set(words):
            users[token].add(passage.article.path)
    # A name word the articles also use as an ordinary word ("doctor", "note") does not name an article.
    return {token: paths for token, paths in owners.items() if users[token] <= paths}
