"""How many quotes of each passage kind the answers hold, over every question set, with the kind
filter (only text, plus references or bios when the question asks for them) and without it.

    python benchmarks/quote_kinds.py
"""

from __future__ import annotations

import json
from collections import Counter

from fit import SETS  # the three question sets

import askback
from askback.answer import part as answer
from askback.corpus import kinds


def count() -> tuple[Counter[str], list[str]]:
    kinds_seen: Counter[str] = Counter()
    unasked: list[str] = []
    for path in SETS.values():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            for quote in askback.ask(item["question"], history=item["history"]).quotes:
                kinds_seen[quote.kind] += 1
                if quote.kind not in kinds.wanted_kinds(item["question"]):
                    unasked.append(f"{item['id']}: {quote.kind}: {quote.text[:60]!r}")
    return kinds_seen, unasked


def main() -> None:
    with_filter, unasked = count()
    print("with the filter:   ", dict(with_filter), "unasked for:", unasked or "none")
    original = answer.wanted_kinds
    answer.wanted_kinds = lambda question: frozenset(kinds.KINDS)  # type: ignore[assignment]
    try:
        without, _ = count()
    finally:
        answer.wanted_kinds = original
    print("without the filter:", dict(without))


if __name__ == "__main__":
    main()
