"""Every tunable number and default in one place; the environment overrides the paths."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

INDEX_ENV = "ASKBACK_INDEX"
FEEDBACK_ENV = "ASKBACK_FEEDBACK"
CACHE_ENV = "ASKBACK_CACHE"
INDEX_FORMAT = 4
VERSION = "0.2.0"  # the one home of the version; CHANGELOG.md says what each one changed
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_INDEX = PROJECT_ROOT / "index"


@dataclass(frozen=True)
class ChunkSettings:
    """How articles are cut into passages; recorded in the index manifest."""

    max_words: int = 55  # a passage grows by whole sentences up to this
    min_words: int = 12  # shorter paragraphs join their neighbour in the same section
    list_words: int = 65  # an introduced list stays whole up to this
    # Hard limits, whatever the text: a sentence longer than this many words is cut at word
    # boundaries, and no passage (nor any quote) is longer than ``max_chars`` characters.
    max_sentence_words: int = 110
    max_chars: int = 1000


@dataclass(frozen=True)
class RetrievalSettings:
    candidates: int = 40  # per retriever, before fusion
    dense_weight: float = 0.8  # hybrid score = w * dense + (1 - w) * BM25 / best BM25
    rrf_k: float = 60.0  # Method.RRF only
    sentence_weight: float = 0.5  # dense = (1 - b) * passage cosine + b * max(passage, best sentence cosine)
    embed_context: bool = True  # embed "title. heading. text" rather than the bare passage
    heading_above: float = 0.6  # a section heading this close to the question in meaning...
    heading_weight: float = 1.0  # ...adds this times the excess to its passages' dense score
    # A page that lists changes (release notes, NEWS: search/changes.py) scores this share: its entries
    # name what the other pages explain. benchmarks/fit_retrieval.py (1.0-0.5); 1: weighed as any page.
    changes_weight: float = 0.7
    heading_candidates: int = 8  # how many of the closest headings may lift their sections' candidates
    # BM25 reads a section's heading with each of its passages when it has at most this many, else
    # with its first only (search/sections.py ``headed``). benchmarks/fit_retrieval.py (1-13; large: all).
    lexical_heading_passages: int = 7
    # Of passages sharing this share of their words (Jaccard), only the best-scoring is a candidate:
    # a caveat repeated under every function, a chapter repeated on an all-in-one page, is shown once
    # (search/copies.py). benchmarks/fit_retrieval.py: from 0.9 up the scores move by one quote at most
    # (0.7 costs Node); kept for the passages a reader no longer sees twice. Above 1: off.
    copies_above: float = 1.0
    common_share: float = 0.25  # a word in more than this share of the passages is corpus-wide, not a subject
    # A word the articles use less than ``everyday_below`` times as often as English does
    # ("actually", "still", "kind"; not "doctor", 11 times, nor "sham", 960) counts this share in
    # a question's BM25: in a small corpus it is as rare as "sham". english.py; 0: off.
    everyday_below: float = 1.0
    everyday_weight: float = 0.6


@dataclass(frozen=True)
class IndexSettings:
    """Exact search while it is fast enough; HNSW past ``approximate_above`` vectors.

    Measured here (384 dims, one query, k=160): exact 1.9 ms at 10k vectors but 16 ms at 20k, HNSW
    1.2-1.6 ms. HNSW keeps its vectors as fp16, half the memory (reconstruction error 6e-5).
    """

    approximate_above: int = 10_000
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 512  # recall@10 at 108k passages: 0.9735 with 128, 0.9796 with 256; benchmarks/scale.py


@dataclass(frozen=True)
class AnswerSettings:
    """Calibrated on both question sets; see README "Abstention" for the trade-off."""

    candidates: int = 40  # passages retrieved before choosing quotes
    answer_above: float = 0.30  # best cosine at or above this: the articles cover the question
    answer_with_words_above: float = 0.19  # ...or at or above this, if the question's words are known
    known_words: float = 0.6  # share of the question's content words that occur in the corpus
    max_articles: int = 5  # one best passage per article, at most this many articles
    other_articles: float = 0.8  # another article is quoted when its best passage scores this share of the top
    similar_meaning: float = 0.08  # ...or when its best cosine is within this of the best cosine
    same_words: float = 0.5  # ...or when its best BM25 is this share of the best BM25
    second_quote: float = 0.9  # the leading article gets a second quote this close to its first
    suggestions: int = 3
    history_turns: int = 3  # how far back a follow-up may look; a longer history is cut to these before any search
    stands_alone_above: float = 0.4  # a follow-up whose own best cosine reaches this is answered on its own words
    # ...or this, when it names its own subject in words the articles use ("what about during pregnancy?"):
    # fitted on every set (benchmarks/fit.py; 0.4, 0.35, 0.3). 0.4: off.
    own_subject_above: float = 0.35
    follow_up_weight: float = 0.1  # a follow-up's score: this share from the turn alone, the rest with its context
    new_subject_weight: float = 0.7  # ...the same for a short turn that reads as self-contained
    own_best: int = 3  # a back-pointing question keeps passages among this many best for it alone
    # A follow-up that points back ("it", "that one") is searched with what the turn before it asked
    # about, in that turn's rarest corpus words (answer/conversation.py), not all of that turn's words.
    follow_up_subject: bool = True
    short_turn_words: int = 6  # a self-contained turn of more content words than this ignores the conversation
    question_weight: float = 0.5  # a question within a story: this share from the question, the rest the message
    missing_meaning: float = 0.0  # refuse when dropping a word the articles lack leaves cosine below this (0: off)
    safety_quotes: int = 3  # a message describing red-flag symptoms first gets this many "see a doctor now" passages
    part_articles: int = 3  # in a message of several questions, at most this many articles per question
    join_neighbour: float = 0.9  # a neighbouring passage of the section scoring this share joins the quote
    join_max_words: int = 90
    # A quote's section is quoted whole when it is this short (in words, within ``max_chars``): the
    # answer to a question that matches its heading is often in another of its passages. Fitted on
    # every set (benchmarks/fit.py; 60, 90, 130, 180, 400): 180, the most ``max_chars`` holds. 0: off.
    section_words: int = 180
    # ...else, when the chunker cut its paragraph (one line of the article) into several passages, the
    # whole paragraph up to this many words: the sentence a question matches and the one that answers
    # it are often one paragraph apart by a cut. Fitted on every set (benchmarks/fit.py; 0, 90, 130,
    # 180): 130 (180 is the same: ``max_chars`` bounds it). 0: off.
    paragraph_words: int = 130
    trim_above: int = 30  # quotes longer than this (in words) may lose unrelated sentences at their end
    # ...those this far below the quote's best sentence in cosine, sharing no word. Fitted on every set
    # (benchmarks/fit.py): 0.15 cut reference pages' answering sentences, which name the figure the
    # question asks for in other words; the other sets do not move.
    trim_margin: float = 0.25
    trim_min_words: int = 20  # ...never trimming below this
    # The question's distinctive words (those in at most RetrievalSettings.common_share of the
    # passages) searched on their own, fused at this share with the plain search.
    distinctive_weight: float = 0.3
    quote_margin: float = 0.95  # a chosen passage is quoted when it scores this share of the best, else offered
    offer_passages: int = 5  # at most this many passages offered collapsed below the quotes
    # Another article's best passage is offered ahead of the next best when it scores this share of the best.
    # benchmarks/fit.py '{"offer_other_above": [0.65, 0.75, 0.85]}' on the ten sets: 0.85, every set left out too.
    offer_other_above: float = 0.85
    # The question's form (answer/form.py): added to a candidate's score, times the share of what the
    # question asks for that it holds; times the share of the question's form words its section
    # heading holds (more for the section's opening passage); times the share of an article's title
    # words the question names, when that share reaches ``about_share``.
    answer_type_weight: float = 0.05
    heading_form_weight: float = 0.2
    opening_weight: float = 0.05
    about_weight: float = 0.0  # fitted: 0.1 gained nothing on any set
    about_share: float = 0.5
    # A question that points back into its story ("her situation", "for him") takes this many of the
    # story's rarest words the articles know as its subject, in place of the pointing words
    # (answer/part.py); 0: off.
    story_subject_words: int = 3
    # confidence = logistic(w0 + w1 * closeness + w2 * subject known + w3 * subject quoted
    # + w4 * nothing missing + w5 * nothing left out + w6 * nothing missing around + w7 * names held)
    # (answer/confidence.py); below ``unsure_below`` one quote is shown under "may not answer this".
    # benchmarks/fit_confidence.py, over every set of benchmarks/sets.py
    confidence_weights: tuple[float, ...] = (-10.83, 0.53, 2.45, 1.46, 2.98, 1.68, 4.42, 1.3)
    unsure_below: float = 0.81
    # A word no article uses is one of the question's subject words, weighed by the confidence, when
    # English uses it this rarely (answer/confidence.py ``rarity``: "dog" 0.29, "flame" 0.44) even if
    # the articles would use it at English's rate; below it, it is phrasing ("told" 0.14, "lots" 0.30).
    # benchmarks/fit_confidence.py: just above the rarest such word of any answerable question.
    subject_rarity: float = 0.28
    # A question this close in meaning (cosine) to a taught question, of the same polarity, gets the
    # taught passage as its first quote. benchmarks/fit_taught.py; above 1: taught questions unused.
    taught_above: float = 0.9


CHUNKING = ChunkSettings()
RETRIEVAL = RetrievalSettings()
INDEXING = IndexSettings()
ANSWERING = AnswerSettings()
MAX_PARTS = 5  # the questions of one message answered one by one; later ones are left unanswered
MAX_DOCUMENT_BYTES = 50_000_000  # askback add: a document's file; a long report's PDF is a few MB
# askback add: a page found in a folder needs one paragraph, list item or table row of this many words that
# ends a sentence (or code) to be an article; a cover page (a title, "Release 3.19.0", a date) has none.
# On the documentation sets (docs/corpus.md) 3 to 6 skip the same four cover pages and nothing else.
PROSE_WORDS = 4
MAX_QUESTION_CHARS = 4000  # real messages tell a story first; longer ones get a clear message
# The questions' search is blended with the story's last sentences up to this many words: MiniLM was
# trained on 128 word pieces (about 95 words). Grid 40/80/150/all on real_style (the only set with
# long stories): 80 best; README "Real messages".
STORY_WORDS = 80
# An answer still working after this many seconds is stopped (HTTP 503): the worst request the
# caps allow takes well under this on one free core (benchmarks/load.py); a busy server may not.
ANSWER_SECONDS = 10.0
DEFAULT_HOST = "127.0.0.1"  # loopback: serving beyond this machine is an explicit choice
DEFAULT_PORT = 7860


def feedback_log_path() -> Path:
    """Where thumbs up and down are appended: $ASKBACK_FEEDBACK, else ./feedback.jsonl."""
    return Path(os.environ.get(FEEDBACK_ENV) or "feedback.jsonl")
