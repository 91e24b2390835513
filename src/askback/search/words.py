"""The vocabulary every stage shares: lower-cased, stemmed content words (BM25's, the distinctive
words', the answer layer's)."""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

__all__ = ["STOPWORDS", "passage_words", "stem_words", "tokenize"]

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves it's i'm i've you're that's there's what's let's tell know
    don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't can't cannot haven't
    hasn't hadn't mustn't needn't i'd you'd they'd we'd i'll you'll they'll we'll they're we're they've
    we've who's where's how's why's when's here's much get got also anyone anybody anything someone
    somebody something everyone everybody everything im ive dont doesnt didnt isnt arent wasnt werent
    wouldnt shouldnt couldnt cant wont havent hasnt hadnt thats theres whats youre theyre youve
    theyve lol omg idk tbh btw pls plz thx imo imho fyi""".split()
)


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words: the vocabulary BM25 and the answer layer share."""
    return list(_tokens(text))


# One answer reads the same few texts (its question, the question as searched, its story) some
# thirty times over its steps: each is tokenized once.
@functools.lru_cache(maxsize=1 << 12)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(stem_words([t for t in _TOKEN.findall(text.lower().replace("’", "'")) if t not in STOPWORDS]))


@functools.lru_cache(maxsize=1 << 14)
def passage_words(heading: str, text: str) -> frozenset[str]:
    """A passage's words under its heading, as ``tokenize`` reads them: looked up for every
    candidate of every question, tokenized once."""
    return frozenset(tokenize(f"{heading} {text}"))


def stem_words(words: list[str]) -> list[str]:
    return [str(w) for w in _stemmer().stemWords(words)]


# One PyStemmer per thread, loaded on first use: a Stemmer keeps a word cache and is not documented
# as safe to share, and the server answers several requests at once.
_STEMMERS = threading.local()


def _stemmer() -> Any:
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        import Stemmer

        stemmer = _STEMMERS.english = Stemmer.Stemmer("english")
    return stemmer
