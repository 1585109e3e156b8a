"""Score semantic second-chance designs on a tools/semantic_probe.py .npz (developer aid, English output).

usage: python tools/semantic_grid.py PROBE.npz [PROBE.npz ...] [-v]

Only statements the lexical matcher leaves unclaimed, that no ask-kind rule (matter, job, gap,
sought party) refuses and that no out-of-scope phrasing wins, get a second chance ("pool"). Each
design either names a product or abstains. Per design: needs recovered to an accepted product /
to another product / traps claimed, in the pool; and, as "standalone", the same decision on every
labelled need (claimed or not; traps as in the pool), which says how well the signal alone finds
the product when the wording is easy. ``-v`` lists the pool's decisions. Several .npz files (each
with its own bank, e.g. a held-out set probed with its round's checkout) are summed.

Designs (thresholds chosen on the tuning data only):
- ``top1 T``: the nearest labelled phrasing is a product's, cosine >= T (the round-4 second chance);
- ``knn k T s``: labelled-neighbour vote over the catalog's client phrasings (labelled with their
  product) and out-of-scope phrasings (labelled "none"): the nearest is a product's at cosine >= T,
  the winning product holds share >= s of the k neighbours' summed cosine, and no out-of-scope
  phrasing is among the k;
- ``gate T``: a semantic need detector on the lexical top candidate: the lexical best product
  (score >= 0.12) is taken when the nearest product phrasing has cosine >= T and no out-of-scope
  phrasing is among the 5 nearest;
- ``agree T L``: two signals agree: the lexical best product (score >= L) is among the encoder's two
  nearest products, with a phrasing at cosine >= T.
"""

from __future__ import annotations

import json
import sys

import numpy as np

DESIGNS = [("top1", 0.55), ("top1", 0.60), ("top1", 0.70),
           ("knn", 5, 0.55, 0.6), ("knn", 5, 0.60, 0.6), ("knn", 5, 0.55, 0.0), ("knn", 1, 0.55, 0.0),
           ("gate", 0.55), ("gate", 0.60), ("agree", 0.50, 0.12), ("agree", 0.55, 0.12), ("agree", 0.50, 0.16),
           ("agree", 0.45, 0.20), ("agree", 0.50, 0.12, 1), ("agree", 0.45, 0.12, 1), ("agree", 0.55, 0.12, 1),
           ("agree", 0.55, 0.12, 3), ("agree", 0.60, 0.12)]


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    totals: dict[tuple, dict[str, dict[str, int]]] = {}
    for path in [a for a in argv if a != "-v"]:
        probe(path, verbose, totals)
    if len(argv) - verbose > 1:
        print("all:")
        for design, figures in totals.items():
            print(line(design, figures))
    return 0


def line(design: tuple, figures: dict[str, dict[str, int]]) -> str:
    p, a = figures["pool"], figures["standalone"]
    return (f"{' '.join(map(str, design)):<16} pool right {p['right']} wrong {p['wrong']} traps {p['trap']}   "
            f"standalone right {a['right']} wrong {a['wrong']} traps {a['trap']}")


def probe(path: str, verbose: bool, totals: dict) -> None:
    data = np.load(path)
    meta = json.loads(str(data["meta"]))
    rows, products = meta["rows"], meta["products"]
    labels = np.array(meta["labels"])
    none = labels == ""
    sims = data["stmt"] @ data["bank"].T

    def decide(i: int, design: tuple) -> str | None:
        s = sims[i]
        order = np.argsort(-s)
        kind = design[0]
        if kind == "agree":
            cands = rows[i]["cands"]
            if not cands or cands[0][1] < design[2]:
                return None
            nearest: dict[str, float] = {}
            for j in order[:80]:
                if not none[j]:
                    nearest.setdefault(labels[j], float(s[j]))
            ranked = list(nearest)[:design[3] if len(design) > 3 else 2]
            return cands[0][0] if cands[0][0] in ranked and nearest[cands[0][0]] >= design[1] else None
        if kind == "gate":
            cands = rows[i]["cands"]
            if not cands or cands[0][1] < 0.12 or s[~none].max() < design[1] or none[order[:5]].any():
                return None
            return cands[0][0]
        k, T, share = (1, design[1], 0.0) if kind == "top1" else design[1:]
        top = order[:k]
        if none[top[0]] or s[top[0]] < T or (kind == "knn" and none[top].any()):
            return None
        votes: dict[str, float] = {}
        for j in top:
            votes[labels[j]] = votes.get(labels[j], 0.0) + float(s[j])
        win = max(votes, key=votes.get)
        return win if votes[win] >= share * sum(votes.values()) else None

    def verdict(i: int, pid: str) -> str:
        good = rows[i]["good"]
        return "trap" if good is None else ("right" if set(products[pid]) & set(good) else "wrong")

    chance = [i for i, r in enumerate(rows) if not r["elsewhere"] and not r["oos"]]
    pool = [i for i in chance if not rows[i]["claimed"]]
    alone = [i for i in chance if rows[i]["good"] is not None or not rows[i]["claimed"]]
    n_pool = sum(rows[i]["good"] is not None for i in pool)
    print(f"{path}: {len(rows)} statements; second-chance pool: {n_pool} needs, {len(pool) - n_pool} traps; "
          f"standalone: {sum(rows[i]['good'] is not None for i in alone)} needs")
    for design in DESIGNS:
        figures = {}
        for name, among in (("pool", pool), ("standalone", alone)):
            count = {"right": 0, "wrong": 0, "trap": 0}
            for i in among:
                pid = decide(i, design)
                if pid is not None:
                    count[verdict(i, pid)] += 1
                    if verbose and name == "pool":
                        print(f"    {design} {verdict(i, pid)}: {rows[i]['said']} -> {products[pid][0]}")
            figures[name] = count
            total = totals.setdefault(design, {}).setdefault(name, {"right": 0, "wrong": 0, "trap": 0})
            for key, n in count.items():
                total[key] += n
        print(line(design, figures))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
