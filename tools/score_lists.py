"""Score statement lists (the tuning lists' format) as tests/test_match_confidence.py does.

usage: python tools/score_lists.py [FILE.yaml ...] [-v]

A file holds ``needs:`` entries ``[industry, [products any one of which is right], statement]`` and/or
``traps:`` entries ``[industry, statement]``. With no file: tests/eval/tuning/needs.yaml and traps.yaml.
Prints needs missed and traps claimed per file; ``-v`` lists them with what was chosen.
Developer aid: its output is English-labelled and never reaches a client.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]

from pitchcraft.match.recommend import Matcher
from pitchcraft.model.profile import Profile
from pitchcraft.pipeline import load_content
from pitchcraft.workspace import Workspace


def client(industry: str) -> Profile:
    return Profile("测试客户", industry, 200, 3, "B", None, (), None, (), {}, None, None, None, None)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    files = [Path(a) for a in argv if a != "-v"] or [ROOT / "tests/eval/tuning/needs.yaml",
                                                     ROOT / "tests/eval/tuning/traps.yaml"]
    matcher = Matcher(load_content(Workspace.open(ROOT)).catalog)
    for f in files:
        data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        missed, claimed = [], []
        for industry, wanted, statement in data.get("needs") or []:
            sm = matcher.match_statement(statement, "other", client(industry))
            names = {n for e in sm.products for n in (e.product.name, *e.product.aliases)}
            if not names & set(wanted):
                missed.append(f"  MISS {statement}  -> {'、'.join(e.product.name for e in sm.products) or '-'}"
                              f" (want {'/'.join(wanted)}; best {sm.best_score:.2f})")
        for industry, statement in data.get("traps") or []:
            sm = matcher.match_statement(statement, "other", client(industry))
            if sm.matched:
                claimed.append(f"  TRAP {statement}  -> {'、'.join(e.product.name for e in sm.products)}"
                               f" [{sm.confidence.level}] {sm.confidence.score:.2f} ({'、'.join(sm.confidence.evidence)})")
        if verbose:
            print("\n".join(missed + claimed))
        print(f"{f}: needs missed {len(missed)} of {len(data.get('needs') or [])}, "
              f"traps claimed {len(claimed)} of {len(data.get('traps') or [])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
