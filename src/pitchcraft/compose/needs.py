"""The needs analysis (需求分析) per need area, from the data there is.

For each area: what the client said, each statement quoted once and numbered; what we know of their
situation (the services they already have with us, the interview's notes); what each statement means
for their work, only where its own words say it (``templates/proposal/needs.yaml``: the first cue that
fits the statement, and only that one, in the client's own industry words; a cue's ``also`` and
``unless`` words hold a word of two senses to the one meant); what the proposal answers, product by
product with the catalog benefit nearest to what they said; and the open points: the figure each
statement leaves out (its cue's ask), the quoted quantities that rest on an estimate (quoting the
client's words only in the area that holds them), and the statements nothing answers yet, told by
their cue's own reply when it has one (a coverage complaint goes to the network team). No sentence is
written for want of data, and none comes from another industry.
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
        "also": Field(ListOf(Text(max_len=20), min_items=1)),
        "unless": Field(ListOf(Text(max_len=20), min_items=1)),
        "means": Field(Text(max_len=200), required=True),
        "ask": Field(Text(max_len=120), required=True),
        "reply": Field(Text(max_len=120)),
        "open": Field(Record({
            "lead": Field(Text(max_len=120), required=True),
            "do": Field(Text(max_len=200), required=True),
        })),
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


def fits(cue: dict, statement: str) -> bool:
    """Whether a statement says what a cue is about: one of its words, one of its ``also`` words
    when it has them (a word of two senses held to the one meant), and none of its ``unless`` words."""
    return (any(w in statement for w in cue["words"])
            and (not cue.get("also") or any(w in statement for w in cue["also"]))
            and not any(w in statement for w in cue.get("unless") or ()))


def cue_of(statement: str, cues: tuple[dict, ...]) -> dict | None:
    """The one cue a statement is understood by: the first of the table that fits it (the table
    lists the particular before the general), or none, and then nothing is written of it."""
    return next((c for c in cues if fits(c, statement)), None)


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
        replies: dict[str, list[str]] = {}  # a cue's own reply to what nothing answers -> the marks it is for
        for i, statement in enumerate(statements):
            mark = number(i)
            note = notes.get(statement.strip(), {})
            cue = cue_of(statement, cues)  # what this statement itself says, or nothing
            route = None
            if cue is not None and cue.get("open"):
                route = {"key": cue["key"], "lead": fill(cue["open"]["lead"], words),
                         "do": fill(cue["open"]["do"], words), "ask": fill(cue["ask"], words)}
            quotes.append({"mark": mark, "statement": statement, "implication": note.get("implication"),
                           "need_payoff": note.get("need_payoff"), "cue": cue["key"] if cue else None,
                           "ask": fill(cue["ask"], words) if cue else None, "route": route})
            sm = by_statement.get(statement)
            if sm is not None and sm.matched:
                for e in sm.products:
                    answered.setdefault(e.product.id, []).append((mark, sm))
            else:
                unanswered.append(mark)
                if statement in candidates:
                    maybe.setdefault("或".join(link.product.name for link in candidates[statement]), []).append(mark)
                elif cue is not None and cue.get("reply"):
                    replies.setdefault(fill(cue["reply"], words), []).append(mark)
            if cue is None:
                continue
            # one sentence per statement, its own cue's: statements saying the same share it (①②)
            sentence = fill(cue["means"], words)
            said = next((x for x in means if x["text"] == sentence), None)
            if said is None:
                means.append({"text": sentence, "marks": [mark]})
            else:
                said["marks"].append(mark)
            if "implication" in note:  # the interview has it: not asked again
                continue
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
                if src.statement and src.statement not in statements and (ln.to_confirm or _estimated(src.rule)):
                    # the count rests on another area's words (抄表员 for an 安检员 need): not quoted here
                    said = f"{ln.name}用于这件事的数量待确认，请提供实际需要的数量，确认后计入报价"
                elif ln.to_confirm:  # priced per unit only, outside the totals: the count is asked for
                    said = (f"{ln.name}的数量待确认（{client_basis_label(src, p.employees, p.sites)}），"
                            "请提供实际需要的数量，确认后计入报价")
                elif _estimated(src.rule):
                    said = f"{ln.name}的数量暂按{client_basis_label(src, p.employees, p.sites)}估算，请确认实际需要的数量"
                else:
                    continue
                if said not in estimates:  # one per product and basis, whatever its tariff tiers
                    estimates.append(said)
        none = [mark for mark in unanswered if not any(mark in marks for marks in (*maybe.values(), *replies.values()))]
        asks = [{"ask": a["ask"], "marks": "".join(a["marks"])} for a in asks]
        means = [{"text": x["text"], "marks": "".join(x["marks"])} for x in means]
        # each part's lines as the chapter prints them, the statements they are about marked first
        lines = {
            "understood": [f"{x['marks']} {x['text']}" for x in means],
            "answered": [f"{''.join(a['marks'])} {a['name']}{'（现有业务扩容）' if a['existing'] else ''}"
                         f"{'：' + a['message'] if a['message'] else ''}（见“分项方案”）" for a in answers]
            + [f"{''.join(marks)} 可能适用{names}，需要先向贵单位确认，列在“待进一步沟通”一章"
               for names, marks in maybe.items()]
            + [f"{''.join(marks)} {reply}" for reply, marks in replies.items()]
            + ([f"{''.join(none)} 本方案暂不包含对应的产品和费用，列在“待进一步沟通”一章"] if none else []),
            "open": [f"{a['marks']} 请贵单位提供{a['ask']}" for a in asks] + estimates,
        }
        groups.append({
            "key": cat, "label": CATEGORIES.get(cat, "其他"), "quotes": quotes,
            "situation": situations.get(cat), "existing": existing, "means": means,
            "answers": answers, "unanswered": unanswered, "asks": asks, "estimates": estimates, "lines": lines,
        })
    return groups
