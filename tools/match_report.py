"""Per need statement: what won, its score and confidence level, the evidence, and the runner-up.

usage: python tools/match_report.py [PROFILE.yaml | FOLDER ...] [--only-doubts]

With no argument: tests/eval/profiles and ../shared/eval/profiles. A profile with a ``.gold.yaml``
beside it also shows the gold's must groups and marks statements the gold keeps unmatched (``gold:无``).
``--only-doubts`` prints only statements that are not 明确, or that the gold disagrees with.
Developer aid: its output is English-labelled and never reaches a client.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from pitchcraft.load import load_profile
from pitchcraft.match.recommend import Matcher
from pitchcraft.pipeline import load_content
from pitchcraft.workspace import Workspace


def profiles(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():  # a folder's profiles; tuning lists (needs.yaml, traps.yaml) are no profiles
            out += [p for p in sorted(path.glob("*.yaml")) if not p.name.endswith(".gold.yaml")
                    and "client" in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})]
        else:
            out.append(path)
    return out


def report(path: Path, matcher: Matcher, only_doubts: bool = False) -> list[str]:
    gold_path = path.with_name(path.stem + ".gold.yaml")
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
    profile, _ = load_profile(path)
    unmatched = set(gold.get("unmatched") or [])
    lines = [f"== {path.name} ({profile.industry}, {profile.employees} staff)"]
    if gold.get("must"):
        lines.append("   must: " + " | ".join("/".join(g[:2]) for g in gold["must"]))
    for cat, s in profile.statements():
        sm = matcher.match_statement(s, cat, profile)
        cands = matcher.last_candidates
        c = sm.confidence
        won = "、".join(e.product.name for e in sm.products) or ("OOS" if sm.out_of_scope else "-")
        runner = next((e for e in cands if e not in sm.products[:1]), None)
        disagree = (s in unmatched) == sm.matched
        if only_doubts and c.clear and not disagree:
            continue
        mark = " gold:无" if s in unmatched else ""
        lines.append(f"   [{c.level}] {won} {c.score:.2f}{mark}{'  <-- gold disagrees' if disagree else ''}  {s}")
        lines.append(f"        evidence: {'、'.join(c.evidence) or '-'}"
                     + (f"  elsewhere: {matcher.judge.elsewhere(s)}" if matcher.judge.elsewhere(s) else "")
                     + (f"  runner-up: {runner.product.name} {runner.score:.2f} [{runner.confidence.level}]"
                        if runner else "")
                     + f"  oos: {matcher.last_oos:.2f}")
    return lines


def main(argv: list[str]) -> None:
    only = "--only-doubts" in argv
    args = [a for a in argv if a != "--only-doubts"] or ["tests/eval/profiles", "../shared/eval/profiles"]
    content = load_content(Workspace.open("."))
    matcher = Matcher(content.catalog)
    for path in profiles(args):
        print("\n".join(report(path, matcher, only)))


if __name__ == "__main__":
    main(sys.argv[1:])
