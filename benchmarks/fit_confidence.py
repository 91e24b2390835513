"""Fit the confidence model on every question set at once, and show each set left out.

    python benchmarks/fit_confidence.py [--write]

For each one-question message of every set, the signals ``confidence.signals`` computed for it
(read from ``Answer.explanation``, the records the answer was made from) and a label: 1 for a
question the articles answer (kinds single, multi, followup), 0 for one they don't (near, and an
off-topic one that gets past the refusal of what is far from every passage). The sets: the
in-scope ones of ``sets.SETS`` (their near-domain questions too) and the near-domain sets of other
corpora it fits on, ``sets.NEAR_FITTED``, each answered from its own corpus's index (a set whose
index is not built is left out, and said so). Every signal is read, even one weighed 0 today.

A logistic regression (L2 0.1, Newton's method) gives the weights, each signal's weight held at
zero or above (a passage closer in meaning, or more of the question's words known, must never
lower the confidence: a negative weight would be this data's accident, not a rule that holds on
new questions; a signal whose weight comes out negative is dropped and the rest refitted). The
threshold ``unsure_below`` is the one that best separates the two with every set counting alike
(per set, the share of its near questions marked unsure less the share of its answerable ones
marked unsure, summed over the sets): the 150 answerable questions of one corpus must not outvote
the near-domain questions of another. Of the thresholds, only those that leave at most 10% of each
near-domain set's near questions confident are weighed, when any does. The trade-off curve is
printed for the chosen weights; each set left out is scored with the weights and threshold fitted
on the others. --write prints the config line to paste.

``subject_rarity`` (a word no article uses, which the articles would use at English's rate, is a
subject word when its English rarity reaches it) changes the signals themselves: the questions are
answered at each cut of ``RARITY_GRID``, weights and threshold fitted at each, and the cut whose fit
separates best (the same sum over the sets) is kept, the higher of equals. A set left out is scored
with the cut, weights and threshold chosen on the others.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sets import NEAR, NEAR_FITTED, SETS, answering_from, index_for, items, near_index, read

ANSWERABLE = {"single", "multi", "followup"}
Rows = dict[str, list[tuple[list[float], int]]]


def labelled(questions: list[dict[str, Any]]) -> list[tuple[list[float], int]]:
    import askback

    out = []
    for item in questions:
        if item["kind"] not in ANSWERABLE | {"near", "out"}:
            continue
        answer = askback.ask(item["question"], history=item.get("history", []))
        decisions = [d for d in answer.explanation if d.signals]
        if len(decisions) != 1:
            continue  # refused, or several questions: labels are per message
        out.append(([v for _, v in decisions[0].signals], int(item["kind"] in ANSWERABLE)))
    return out


# The cuts ``subject_rarity`` is chosen from: "dog" is 0.29, "forever" 0.35, "flame" 0.44.
RARITY_GRID = (0.24, 0.28, 0.32, 0.36, 0.40, 0.44)
Fitted = tuple[float, np.ndarray, float]


def rows(rarity_cut: float) -> Rows:
    import dataclasses

    from askback.answer import compose as answer
    from askback.config import ANSWERING

    # Every signal read, whatever its weight today: one the shipped model weighs at 0 (and so
    # skips) must still be seen by the fit to get a weight again.
    weights = tuple(w or 1e-9 for w in ANSWERING.confidence_weights)
    settings = dataclasses.replace(ANSWERING, confidence_weights=weights, subject_rarity=rarity_cut)
    original = answer.compose
    answer.compose = lambda r, q, h=(), s=settings: original(r, q, h, s)  # type: ignore[misc]
    try:
        return _rows()
    finally:
        answer.compose = original


def _rows() -> Rows:
    out: Rows = {}
    for name in SETS:
        answering_from(index_for(name))
        out[name] = labelled(items(name))
    for name in NEAR_FITTED:
        index, path = near_index(name), NEAR[name]
        if index is None:
            print(f"near/{name}: its corpus's index is not built (sets.CORPUS_INDEXES): left out", file=sys.stderr)
            continue
        answering_from(index)
        out[f"near/{name}"] = labelled(read(path))
    return out


def fit(data: list[tuple[list[float], int]], l2: float = 0.1) -> np.ndarray:
    """Bias and one weight per signal, every signal's weight >= 0."""
    x = np.array([[1.0, *f] for f, _ in data])
    y = np.array([label for _, label in data], dtype=float)
    kept = np.ones(x.shape[1], dtype=bool)
    while True:
        w = np.zeros(x.shape[1])
        xs = x[:, kept]
        v = np.zeros(xs.shape[1])
        for _ in range(50):
            p = 1 / (1 + np.exp(-xs @ v))
            grad = xs.T @ (p - y) + l2 * np.r_[0, v[1:]]
            hess = xs.T @ (xs * (p * (1 - p))[:, None]) + l2 * np.diag(np.r_[0, np.ones(len(v) - 1)])
            v -= np.linalg.solve(hess, grad)
        w[kept] = v
        negative = [i for i in range(1, len(w)) if w[i] < 0]
        if not negative:
            return w
        kept[min(negative, key=lambda i: w[i])] = False


def probabilities(w: np.ndarray, data: list[tuple[list[float], int]]) -> np.ndarray:
    x = np.array([[1.0, *f] for f, _ in data]).reshape(len(data), len(w))
    return 1 / (1 + np.exp(-x @ w))


def rates(w: np.ndarray, data: list[tuple[list[float], int]], threshold: float) -> tuple[float, float]:
    """Share of near questions marked unsure, share of answerable ones marked unsure (nan: none)."""
    if not data:
        return float("nan"), float("nan")
    unsure = probabilities(w, data) < threshold
    labels = np.array([label for _, label in data])
    near = float(unsure[labels == 0].mean()) if (labels == 0).any() else float("nan")
    answerable = float(unsure[labels == 1].mean()) if (labels == 1).any() else float("nan")
    return near, answerable


def separation(w: np.ndarray, data: Rows, t: float) -> float:
    """Near questions unsure less answerable ones unsure, summed over the sets."""
    total = 0.0
    for rs in data.values():
        near, answerable = rates(w, rs, t)
        total += (0.0 if np.isnan(near) else near) - (0.0 if np.isnan(answerable) else answerable)
    return total


# The target: at most this share of a near-domain set's near questions answered confidently.
MOST_CONFIDENT = 0.1


def threshold(w: np.ndarray, data: Rows) -> float:
    """The threshold with the most near questions unsure less answerable ones unsure, each set
    alike, of those that leave at most ``MOST_CONFIDENT`` of each near-domain set's near questions
    confident (of all thresholds when none does)."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    near_sets = [rs for name, rs in data.items() if name.startswith("near/")]
    meeting = [t for t in grid if all(1 - rates(w, rs, t)[0] <= MOST_CONFIDENT + 1e-9 for rs in near_sets)]
    return float(max(meeting or grid, key=lambda t: separation(w, data, t)))


def best(by_cut: dict[float, Rows], left_out: str = "") -> Fitted:
    """The ``subject_rarity`` cut, weights and threshold that separate best, ``left_out`` unread."""
    fitted = []
    for cut, data in by_cut.items():
        read_ = {n: rs for n, rs in data.items() if n != left_out}
        w = fit([r for rs in read_.values() for r in rs])
        t = threshold(w, read_)
        fitted.append((separation(w, read_, t), cut, w, t))
    _, cut, w, t = max(fitted, key=lambda f: (f[0], f[1]))
    return cut, w, t


def main() -> None:
    from askback.answer.confidence import SIGNALS

    by_cut = {cut: rows(cut) for cut in RARITY_GRID}
    cut, w, t = best(by_cut)
    data = by_cut[cut]
    everything = [r for rs in data.values() for r in rs]
    for c, d in by_cut.items():
        wc = fit([r for rs in d.values() for r in rs])
        print(f"subject_rarity {c}: separation {separation(wc, d, threshold(wc, d)):.2f}")
    print(f"subject_rarity: {cut}")
    print(f"weights (bias, {', '.join(SIGNALS)}):", np.round(w, 2).tolist())
    print(f"unsure_below: {t}   ({len(everything)} questions, {sum(1 - y for _, y in everything)} near)")
    print("trade-off (all sets): threshold -> near unsure, answerable unsure")
    for at in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, t):
        near, ok = rates(w, everything, at)
        print(f"  {at:.2f} -> {near:.2f}, {ok:.2f}")
    print("each set with these: near unsure, answerable unsure")
    for name, held in data.items():
        near, ok = rates(w, held, t)
        print(f"  {name}: {near:.2f}, {ok:.2f}  ({len(held)} questions)")
    for name in data:
        co, wo, to = best(by_cut, name)
        near, ok = rates(wo, by_cut[co][name], to)
        print(
            f"left out {name}: subject_rarity {co} weights {np.round(wo, 2).tolist()} threshold {to},"
            f" near unsure {near:.2f}, answerable unsure {ok:.2f}"
        )
    if "--write" in sys.argv:
        values = tuple(round(float(v), 2) for v in w)
        print(json.dumps({"confidence_weights": values, "unsure_below": t, "subject_rarity": cut}))


if __name__ == "__main__":
    main()
