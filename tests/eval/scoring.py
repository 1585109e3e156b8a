"""The eval scorer's figures (../shared/eval/score_match.py), computed in-process.

recall = must-groups hit / must-groups; precision = recommended products named in must ∪ acceptable
/ recommended products; plus forbidden picks and the handling of out-of-scope statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pitchcraft.load import load_profile
from pitchcraft.match.recommend import Matcher, recommend
from pitchcraft.report import to_json


@dataclass
class Score:
    must: int = 0
    hit: int = 0
    out: int = 0
    ok: int = 0
    forbidden: int = 0
    unmatched: int = 0
    unmatched_reported: int = 0
    claimed: int = 0
    profiles: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.hit / self.must if self.must else 0.0

    @property
    def precision(self) -> float:
        return self.ok / self.out if self.out else 0.0

    def summary(self) -> str:
        return (f"recall={self.recall:.3f} precision={self.precision:.3f} forbidden={self.forbidden} "
                f"unmatched={self.unmatched_reported}/{self.unmatched} claimed_unmatched={self.claimed} "
                f"avg_products={self.out / max(self.profiles, 1):.1f} profiles={self.profiles}")


def score(dirs: list[Path], content, matcher: Matcher | None = None) -> Score:
    matcher = matcher or Matcher(content.catalog)
    s = Score()
    for d in dirs:
        for path in sorted(Path(d).glob("*.yaml")):
            if path.name.endswith(".gold.yaml"):
                continue
            gold_path = path.with_name(path.stem + ".gold.yaml")
            if not gold_path.exists():
                continue
            gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
            profile, _ = load_profile(path)
            answer = to_json(recommend(profile, content.catalog, content.cases, matcher))
            names = [{p["name"], *p["aliases"]} for p in answer["products"]]
            must = gold.get("must") or []
            good = set(gold.get("acceptable") or []) | {n for g in must for n in g}
            hits = [g for g in must if any(set(g) & ns for ns in names)]
            claimed = {st for p in answer["products"] for st in p["matched_needs"]}
            unmatched = gold.get("unmatched") or []
            s.profiles += 1
            s.must += len(must)
            s.hit += len(hits)
            s.out += len(names)
            s.ok += sum(1 for ns in names if ns & good)
            s.forbidden += sum(1 for ns in names if ns & set(gold.get("forbidden") or []))
            s.unmatched += len(unmatched)
            s.unmatched_reported += sum(1 for st in unmatched if st in answer["unmatched_needs"])
            s.claimed += sum(1 for st in unmatched if st in claimed)
            missed = [g[0] for g in must if g not in hits]
            extra = [sorted(ns)[0] for ns in names if not ns & good]
            s.lines.append(f"{path.name}: recall {len(hits)}/{len(must)} missed {missed} extra {extra}")
    return s
