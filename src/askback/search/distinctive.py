"""A question's own subject: its words that few passages share.

Words that most passages of a corpus use (in a corpus on one subject, its name) say little about
which passage answers; the rest ("checked by a doctor", "avoid", "teenagers") say much. The
corpus-wide words are counted from the index's own passages when it loads, never listed by hand,
so a new corpus gets its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from askback.search.words import tokenize as stem

__all__ = ["common_words", "without_common"]

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def common_words(passage_tokens: Sequence[Sequence[str]], share: float) -> frozenset[str]:
    """The (stemmed) words that occur in more than ``share`` of the passages."""
    counts = Counter(t for tokens in passage_tokens for t in set(tokens))
    limit = share * len(passage_tokens)
    return frozenset(t for t, n in counts.items() if n > limit)


def without_common(text: str, common: frozenset[str]) -> str:
    """``text`` without its words whose stem is corpus-wide; "" when nothing distinctive is left
    or nothing was dropped (the plain search already is the distinctive one)."""
    dropped = False
    kept = []
    for word in _WORD.findall(text):
        stems = stem(word)
        if stems and all(s in common for s in stems):
            dropped = True
            continue
        kept.append(word)
    rest = " ".join(kept)
    return rest if dropped and stem(rest) else ""
