"""Developer aid: the eval scorer's figures computed in-process, for quick tuning.

usage: python tools/eval_match.py [PROFILE_DIR ...]
Mirrors ../shared/eval/score_match.py (recall over must-groups, precision over recommended products).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from pitchcraft.load import load_profile
from pitchcraft.match.recommend import Matcher, Tuning, recommend
from pitchcraft.pipeline import load_content
from pitchcraft.report import to_json
from pitchcraft.workspace import Workspace


def score(dirs, content, tuning=Tuning(), verbose=False) -> dict:
    matcher = Matcher(content.catalog, tuning)
    t = dict(must=0, hit=0, out=0, ok=0, forbidden=0, unm=0, unm_hit=0, claimed=0, n=0)
    for d in dirs:
        for path in sorted(Path(d).glob("*.yaml")):
            if path.name.endswith(".gold.yaml"):
                continue
            gold = yaml.safe_load(path.with_name(path.stem + ".gold.yaml").read_text(encoding="utf-8"))
            profile, _ = load_profile(path)
            answer = to_json(recommend(profile, content.catalog, content.cases, matcher))
            names = [{p["name"], *p["aliases"]} for p in answer["products"]]
            must = gold.get("must") or []
            good = set(gold.get("acceptable") or []) | {n for g in must for n in g}
            hits = [g for g in must if any(set(g) & ns for ns in names)]
            t["n"] += 1
            t["must"] += len(must)
            t["hit"] += len(hits)
            t["out"] += len(names)
            t["ok"] += sum(1 for ns in names if ns & good)
            t["forbidden"] += sum(1 for ns in names if ns & set(gold.get("forbidden") or []))
            unmatched = gold.get("unmatched") or []
            claimed = {s for p in answer["products"] for s in p["matched_needs"]}
            t["unm"] += len(unmatched)
            t["unm_hit"] += sum(1 for s in unmatched if s in answer["unmatched_needs"])
            t["claimed"] += sum(1 for s in unmatched if s in claimed)
            if verbose:
                missed = [g[0] for g in must if g not in hits]
                extra = [sorted(ns)[0] for ns in names if not ns & good]
                print(f"{path.name}: recall {len(hits)}/{len(must)} missed {missed} extra {extra}")
    t["recall"] = t["hit"] / t["must"] if t["must"] else 0
    t["precision"] = t["ok"] / t["out"] if t["out"] else 0
    t["unmatched_recall"] = t["unm_hit"] / t["unm"] if t["unm"] else 1
    return t


def main(dirs):
    content = load_content(Workspace.open("."))
    r = score(dirs, content, verbose=True)
    print({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()})


if __name__ == "__main__":
    main(sys.argv[1:] or ["tests/eval/profiles", "../shared/eval/profiles"])
