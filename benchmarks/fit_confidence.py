"""Fit the confidence model on every question set at once, and show each set left out.

    python benchmarks/fit_confidence.py [--write]

For each one-question message of the three sets, the signals ``confidence.signals`` computed for
it (read from ``Answer.explanation``, the records the answer was made from) and a label: 1 for a
question the articles answer (kinds single, multi, followup), 0 for an on-subject one they don't
(near). A logistic regression (L2 0.1, Newton's method) gives the weights, each signal's weight
held at zero or above (a passage closer in meaning, or more of the question's words known, must
never lower the confidence: a negative weight would be this data's accident, not a rule that holds
on new questions; a signal whose weight comes out negative is dropped and the rest refitted); the threshold
``unsure_below`` is the one that best separates the two (most near questions unsure minus most
answerable ones unsure, Youden's J). The trade-off curve is printed for the chosen weights; each
set left out is scored with the weights and threshold fitted on the other two. --write prints the
config line to paste.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sets import SETS, answering_from, index_for

ANSWERABLE = {"single", "multi", "followup"}


def rows() -> dict[str, list[tuple[list[float], int]]]:
    import askback

    out: dict[str, list[tuple[list[float], int]]] = {}
    for name, path in SETS.items():
        answering_from(index_for(name))
        out[name] = []
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item["kind"] not in ANSWERABLE | {"near"}:
                continue
            answer = askback.ask(item["question"], history=item.get("history", []))
            decisions = [d for d in answer.explanation if d.signals]
            if len(decisions) != 1:
                continue  # refused, or several questions: labels are per message
            out[name].append(([v for _, v in decisions[0].signals], int(item["kind"] in ANSWERABLE)))
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
    x = np.array([[1.0, *f] for f, _ in data])
    return 1 / (1 + np.exp(-x @ w))


def rates(p: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float]:
    """Share of near questions marked unsure, share of answerable ones marked unsure."""
    unsure = p < threshold
    near = unsure[labels == 0].mean() if (labels == 0).any() else float("nan")
    return float(near), float(unsure[labels == 1].mean())


def threshold(w: np.ndarray, data: list[tuple[list[float], int]]) -> float:
    p, labels = probabilities(w, data), np.array([label for _, label in data])
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    return float(max(grid, key=lambda t: (lambda r: r[0] - r[1])(rates(p, labels, t))))


def main() -> None:
    data = rows()
    everything = [r for rs in data.values() for r in rs]
    w = fit(everything)
    t = threshold(w, everything)
    print(f"weights (bias, {', '.join(('meaning', 'subject_known', 'subject_quoted'))}):", np.round(w, 2).tolist())
    print(f"unsure_below: {t}   ({len(everything)} questions, {sum(1 - y for _, y in everything)} near)")
    p, labels = probabilities(w, everything), np.array([y for _, y in everything])
    print("trade-off (all sets): threshold -> near unsure, answerable unsure")
    for cut in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, t):
        near, ok = rates(p, labels, cut)
        print(f"  {cut:.2f} -> {near:.2f}, {ok:.2f}")
    for name in SETS:
        others = [r for n, rs in data.items() if n != name for r in rs]
        wo = fit(others)
        to = threshold(wo, others)
        held = data[name]
        near, ok = rates(probabilities(wo, held), np.array([y for _, y in held]), to)
        print(f"left out {name}: threshold {to}, near unsure {near:.2f}, answerable unsure {ok:.2f}")
    if "--write" in sys.argv:
        from askback.config import ANSWERING

        values = tuple(round(float(v), 2) for v in w)
        print(dataclasses.replace(ANSWERING, confidence_weights=values, unsure_below=t).confidence_weights, t)


if __name__ == "__main__":
    main()
