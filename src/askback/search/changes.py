"""Pages that are lists of changes (release notes, NEWS, changelogs): most of their sections are
headed by a release ("Release 3.19.0 (11 Apr 2022)", "v2.1 - 2019"). Each entry names the
features and errors the rest of the documentation explains ("Fixed: Conditional jump depends on
uninitialised value"), so on a question's words it matches as well as the page that answers it;
the search weighs such a page's passages less (``RetrievalSettings.changes_weight``)."""

from __future__ import annotations

import re

import numpy as np

from askback.corpus.chunking import section_heading
from askback.records import Passage

__all__ = ["lists_changes"]

# A version after a word ("Release 3.19.0", "libfoo v2.1"), not a section number opening a heading
# ("4.2.8. Memory leak detection"), or a year.
_RELEASE = re.compile(r"[A-Za-z)]\s+v?\d+\.\d+|\b(?:19|20)\d\d\b")
SHARE = 0.5  # at least this share of a page's section headings name a release...
AT_LEAST = 3  # ...and at least this many


def lists_changes(passages: tuple[Passage, ...]) -> np.ndarray:
    """For each passage, whether its page is a list of changes."""
    headings: dict[str, set[str]] = {}
    for p in passages:
        headings.setdefault(p.article.path, set()).add(section_heading(p.heading))
    changes = set()
    for path, names in headings.items():
        releases = sum(1 for name in names if _RELEASE.search(name))
        if releases >= AT_LEAST and releases >= SHARE * len(names):
            changes.add(path)
    return np.array([p.article.path in changes for p in passages], dtype=bool)
