"""Developer aid: for every statement of the labelled profiles, the top candidates and the gold.

usage: python tools/match_report.py [PROFILE_DIR ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from pitchcraft.load import load_profile
from pitchcraft.match.recommend import Matcher
from pitchcraft.pipeline import load_content
from pitchcraft.workspace import Workspace


def main(dirs: list[str]) -> None:
    content = load_content(Workspace.open("."))
    matcher = Matcher(content.catalog)
    for d in dirs:
        for path in sorted(Path(d).glob("*.yaml")):
            if path.name.endswith(".gold.yaml"):
                continue
            gold = yaml.safe_load(path.with_name(path.stem + ".gold.yaml").read_text(encoding="utf-8"))
            profile, _ = load_profile(path)
            print(f"== {path.name} ({profile.industry}, {profile.employees})")
            print("   must:", " | ".join("/".join(g[:2]) for g in gold.get("must") or []))
            for cat, s in profile.statements():
                sm = matcher.match_statement(s, cat, profile)
                cands = matcher.last_candidates[:3]
                picked = ",".join(e.product.name for e in sm.products) or ("OOS" if sm.out_of_scope else "-")
                tops = "  ".join(f"{e.product.name}:{e.score:.2f}" for e in cands)
                print(f"   [{picked}] {s}\n        {tops}  oos:{matcher.last_oos:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["tests/eval/profiles", "../shared/eval/profiles"])
