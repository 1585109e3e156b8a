"""Every quoted quantity of every shipped profile, with the words it came from.

usage: python tools/quantity_sweep.py [--all] [--tsv FILE] [PROFILE_OR_DIR ...]

Prices each profile as its documents do (pitchcraft.pipeline.documents_quote) and prints one row
per priced line: profile, product, item, quantity (``?`` for 待确认), rule, the client's phrase and
the statement it is in. Without arguments it sweeps examples/, tests/eval/** and /work/shared/eval.
``--all`` adds the fixed lines (platform fees, set-up: always 1); the summary at the end counts
lines counted (a quantity in the totals) and to-confirm lines, by rule. Developer aid: read the list
as the client would ("每家店装四个摄像头，两家店" should read 8, not 2). English-labelled; never
reaches a client.
"""

from __future__ import annotations

import collections
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]

from pitchcraft.errors import InputError  # noqa: E402
from pitchcraft.pipeline import Session, documents_quote, quote, read_profile  # noqa: E402
from pitchcraft.workspace import Workspace  # noqa: E402

SHARED = Path("/work/shared/eval")
DATE = dt.date(2026, 12, 3)


def profiles(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [ROOT / "examples", ROOT / "tests" / "eval", SHARED]
    out: list[Path] = []
    for r in roots:
        if r.is_file():
            out.append(r)
        elif r.is_dir():
            out += sorted(p for p in r.rglob("*.yaml") if not p.name.endswith(".gold.yaml"))
    return out


def rows(session: Session, path: Path) -> list[dict]:
    profile, _raw, _w = read_profile(path)
    rec = session.recommend(profile)
    docs = documents_quote(rec, DATE, session.ws)
    answers = {m.product.id: [sm.statement for sm in m.statements] for m in rec.products}
    shown = {(ln.product_id, ln.item) for ln in docs.lines}
    # the whole recommendation's quote too (the web and --json show it): its lines the documents leave out
    extra = [ln for ln in quote(rec, DATE, session.ws).lines if (ln.product_id, ln.item) not in shown]
    out = []
    for where, ln in [("docs", ln) for ln in docs.lines] + [("full", ln) for ln in extra]:
        src = ln.source
        out.append({"profile": path.stem, "path": str(path), "where": where, "product": ln.name, "item": ln.item,
                    "quantity": "?" if ln.to_confirm else str(ln.quantity), "rule": ln.rule,
                    "kind": src.kind if src else None, "phrase": src.phrase if src else None,
                    "statement": (src.statement if src else None) or " | ".join(answers.get(ln.product_id, ())),
                    "basis": ln.basis,
                    "employees": profile.employees, "sites": profile.sites})
    return out


def main(argv: list[str]) -> int:
    show_fixed = "--all" in argv
    tsv = None
    if "--tsv" in argv:
        k = argv.index("--tsv")
        tsv = Path(argv[k + 1])
        argv = argv[:k] + argv[k + 2:]
    args = [a for a in argv if not a.startswith("--")]
    session = Session.open(Workspace.open(ROOT))
    found: list[dict] = []
    skipped = 0
    for path in profiles(args):
        try:
            found += rows(session, path)
        except InputError:
            skipped += 1  # a bad-input fixture: no quote to read
    by_rule = collections.Counter(r["rule"] for r in found)
    for r in found:
        if r["rule"] == "fixed" and not show_fixed:
            continue
        said = f"“{r['phrase']}”" if r["phrase"] else ""
        where = f"  ⟨{r['statement']}⟩" if r["statement"] and r["rule"] != "fixed" else ""
        print(f"{r['profile']}\t{r['where']}\t{r['product']} / {r['item']}\t{r['quantity']}\t{r['rule']}\t{said}{where}")
    counted = sum(1 for r in found if r["rule"] not in ("fixed", "to-confirm"))
    pending = by_rule["to-confirm"]
    docs = [r for r in found if r["where"] == "docs"]
    docs_counted = sum(1 for r in docs if r["rule"] not in ("fixed", "to-confirm"))
    docs_pending = sum(1 for r in docs if r["rule"] == "to-confirm")
    profiles_n = len({r["path"] for r in found})
    print(f"\n# {profiles_n} profiles ({skipped} unreadable skipped), {len(found)} lines: "
          f"{by_rule['fixed']} fixed, {counted} counted, {pending} to confirm; "
          f"in the documents {len(docs)} lines: {docs_counted} counted, {docs_pending} to confirm")
    print("# counted by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())
                                          if k not in ("fixed", "to-confirm")))
    if tsv:
        keys = list(found[0]) if found else []
        tsv.write_text("\n".join(["\t".join(keys)] + ["\t".join(str(r[k] or "") for k in keys) for r in found]) + "\n",
                       encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
