"""The needs analysis (需求分析) per need area, from the data there is.

For each area: what the client said, each statement quoted once and numbered; what we know of their
situation (the services they already have with us, the interview's notes); what it means for their
work, only where their words say it (``templates/proposal/needs.yaml``: a cue word in a statement
brings a sentence true of any industry, in the client's own industry words); what the proposal
answers, product by product with the catalog benefit nearest to what they said; and the open points:
the figures the statements leave out, the quoted quantities that rest on an estimate, and the
statements nothing answers yet. No sentence is written for want of data, and none comes from
another industry.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..content.vocabulary import Words, fill
from ..errors import InputError
from ..model.spec import INVALID, Field, ListOf, Record, Text, read_checked
from ..model.vocab import CATEGORIES
from ..quote import Source, client_basis_label
from . import headline
from .context import candidate_links

NEEDS_SPEC = Record({
    "cues": Field(ListOf(Record({
        "key": Field(Text(max_len=30), required=True),
        "words": Field(ListOf(Text(max_len=20), min_items=1), required=True),
        "means": Field(Text(max_len=200), required=True),
        "ask": Field(Text(max_len=120), required=True),
    })), required=True),
})
_SHARE = re.compile(r"^(employees|sites)x")
NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def load_cues(path: Path) -> tuple[dict, ...]:
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int, _size: int) -> tuple[dict, ...]:
    src, data, problems = read_checked(path, NEEDS_SPEC)
    if src is None or data is INVALID or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return tuple(data["cues"])


def number(i: int) -> str:
    """A statement's mark within its area (①, ②, …), by which the answers and open points refer to it."""
    return NUMBERS[i] if i < len(NUMBERS) else f"（{i + 1}）"


def cues_of(statement: str, cues: tuple[dict, ...]) -> list[dict]:
    return [c for c in cues if any(w in statement for w in c["words"])]


def _estimated(rule: str) -> bool:
    """A quantity the quote estimated (a share of the staff or sites, or 1 for want of a figure),
    as against one the client gave, the manager set, or the profile's own count."""
    return rule == "employees" or bool(_SHARE.match(rule)) or rule.endswith("-missing")


def analysis(rec, words: Words, cues: tuple[dict, ...], discovery: dict, offer=None) -> list[dict]:
    """The needs analysis's areas, in the profile's order, each as the chapter text reads it."""
    p = rec.profile
    situations = discovery.get("situations", {})
    notes = discovery.get("notes", {})
    by_statement = {sm.statement: sm for sm in rec.statements}
    matches = {m.product.id: m for m in rec.all_products}
    lines_of: dict[str, list] = {}
    for ln in (offer.lines if offer is not None else ()):
        lines_of.setdefault(ln.product_id, []).append(ln)
    candidates = candidate_links(rec)  # open statements with a 待确认 product: named, not "no product"
    groups = []
    for cat, statements in p.needs.items():
        if not statements:  # an area the profile lists empty gets no heading
            continue
        quotes, means, asks = [], [], []
        answered: dict[str, list] = {}  # product id -> its statements here, in order
        unanswered = []
        maybe: dict[str, list[str]] = {}  # the candidates' names -> the marks of the statements they may answer
        for i, statement in enumerate(statements):
            mark = number(i)
            note = notes.get(statement.strip(), {})
            quotes.append({"mark": mark, "statement": statement, "implication": note.get("implication"),
                           "need_payoff": note.get("need_payoff")})
            sm = by_statement.get(statement)
            if sm is not None and sm.matched:
                for e in sm.products:
                    answered.setdefault(e.product.id, []).append((mark, sm))
            else:
                unanswered.append(mark)
                if statement in candidates:
                    maybe.setdefault("或".join(link.product.name for link in candidates[statement]), []).append(mark)
            asked = "implication" in note  # the interview has it: not asked again
            for cue in cues_of(statement, cues):
                sentence = fill(cue["means"], words)
                said = next((x for x in means if x["text"] == sentence), None)
                if said is None:
                    means.append({"text": sentence, "marks": [mark]})
                elif mark not in said["marks"]:
                    said["marks"].append(mark)
                if asked:  # one figure to ask for per statement: its first cue's
                    continue
                asked = True
                ask = fill(cue["ask"], words)
                same = next((a for a in asks if a["ask"] == ask), None)
                if same is None:
                    asks.append({"ask": ask, "marks": [mark]})
                else:
                    same["marks"].append(mark)
        answers, estimates, existing = [], [], []
        for pid, said in answered.items():
            m = matches.get(pid)
            if m is None:
                continue
            here = replace(m, statements=[sm for _mark, sm in said])
            answers.append({"name": m.product.name, "existing": m.existing,
                            "message": headline.message(here), "marks": [mark for mark, _sm in said]})
            if m.existing:
                existing.append(m.product.name)
            for ln in lines_of.get(pid, ()):
                src = ln.source or Source(ln.rule)
                if ln.to_confirm:  # priced per unit only, outside the totals: the count is asked for
                    said = (f"{ln.name}的数量待确认（{client_basis_label(src, p.employees, p.sites)}），"
                            "请提供实际需要的数量，确认后计入报价")
                elif _estimated(src.rule):
                    said = f"{ln.name}的数量暂按{client_basis_label(src, p.employees, p.sites)}估算，请确认实际需要的数量"
                else:
                    continue
                if said not in estimates:  # one per product and basis, whatever its tariff tiers
                    estimates.append(said)
        none = [mark for mark in unanswered if not any(mark in marks for marks in maybe.values())]
        asks = [{"ask": a["ask"], "marks": "".join(a["marks"])} for a in asks]
        means = [{"text": x["text"], "marks": "".join(x["marks"])} for x in means]
        # each part's lines as the chapter prints them, the statements they are about marked first
        lines = {
            "understood": [f"{x['marks']} {x['text']}" for x in means],
            "answered": [f"{''.join(a['marks'])} {a['name']}{'（现有业务扩容）' if a['existing'] else ''}"
                         f"{'：' + a['message'] if a['message'] else ''}（见“分项方案”）" for a in answers]
            + [f"{''.join(marks)} 可能适用{names}，需要先向贵单位确认，列在“待进一步沟通”一章"
               for names, marks in maybe.items()]
            + ([f"{''.join(none)} 本方案暂不包含对应的产品和费用，列在“待进一步沟通”一章"] if none else []),
            "open": [f"{a['marks']} 请贵单位提供{a['ask']}" for a in asks] + estimates,
        }
        groups.append({
            "key": cat, "label": CATEGORIES.get(cat, "其他"), "quotes": quotes,
            "situation": situations.get(cat), "existing": existing, "means": means,
            "answers": answers, "unanswered": unanswered, "asks": asks, "estimates": estimates, "lines": lines,
        })
    return groups
