"""The implementation plan of this client: phases and working-day durations from what is pitched.

The phase definitions are data (``templates/proposal/plan.yaml``, kept by the product manager):
how each kind of product is delivered (configured in days, deployed and integrated, surveyed and
built per site, devices delivered and installed), when a pilot comes first, the holidays. This
module only arranges them for one recommendation: the kinds the bundle needs, its products'
provisioning times from the catalog (``service_level.provision``), the client's site count, the
visit date, and the statement that is most urgent, whose go-live is the plan's first milestone.
The proposal's 实施计划, its executive summary's 下一步 and the deck's next-steps slide all read
the one :class:`Plan`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..model.spec import (
    INVALID,
    Boolean,
    Date,
    Field,
    Integer,
    ListOf,
    MapOf,
    Record,
    Text,
    read_checked,
)

_LINE = Text(max_len=200)
_DAYS = Integer(minimum=0, maximum=250)
_STEP = Record({"name": Field(Text(max_len=20), required=True), "days": Field(_DAYS, required=True),
                "what": Field(_LINE, required=True), "client": Field(_LINE, required=True)})

PLAN_SPEC = Record({
    "confirm": Field(Record({**_STEP.fields, "base": Field(Text(max_len=60), required=True)}), required=True),
    "agreement": Field(_STEP, required=True),
    "talk": Field(_STEP, required=True),
    "kinds": Field(MapOf(Record({
        "products": Field(ListOf(Text(max_len=40)), default=()),
        "days": Field(_DAYS, required=True),
        "per_site": Field(Boolean(), default=False),
        "confirm": Field(Text(max_len=60), required=True),
        "before": Field(_STEP),
        "after": Field(_STEP),
        "name": Field(Text(max_len=20), required=True),
        "what": Field(_LINE, required=True),
        "client": Field(_LINE, required=True),
    })), required=True),
    "pilot": Field(Record({
        "min_sites": Field(Integer(minimum=2, maximum=100_000), required=True),
        "sites": Field(Integer(minimum=1, maximum=100), required=True),
        "days": Field(_DAYS, required=True), "batch": Field(Integer(minimum=1, maximum=10_000), required=True),
        "batch_days": Field(_DAYS, required=True), "words": Field(ListOf(Text(max_len=10)), default=()),
        "name": Field(Text(max_len=20), required=True), "what": Field(_LINE, required=True),
        "client": Field(_LINE, required=True), "rollout_name": Field(Text(max_len=20), required=True),
        "rollout_what": Field(_LINE, required=True), "rollout_one": Field(_LINE, required=True),
        "rollout_client": Field(_LINE, required=True),
    }), required=True),
    "later": Field(Record({"wait": Field(_DAYS, required=True), "suffix": Field(Text(max_len=20), required=True)}),
                   required=True),
    "review": Field(Record({**_STEP.fields, "after": Field(_DAYS, required=True)}), required=True),
    "holidays": Field(ListOf(Record({"name": Field(Text(max_len=20), required=True),
                                     "from": Field(Date(), required=True), "to": Field(Date(), required=True)})),
                      default=()),
})

# the placeholders the plan's texts may use (templates/proposal/plan.yaml explains each)
PLACEHOLDERS = {"products", "provision", "site", "sites", "pilot", "rest", "batches", "days", "items"}
DEFAULT_KIND = "config"
SHORT = 5  # a phase this short is not split by a holiday
# 急 words: a statement saying it cannot wait is the most urgent; else one that says what goes wrong
_URGENT = re.compile(r"着急|急着|急需|很急|太急|急死|急得|尽快|马上|赶紧|赶在|等不了|月底前|年底前|节前|开业前")
_PROVISION_DAYS = re.compile(r"(\d+)\s*个?工作日")


@dataclass(frozen=True)
class Phase:
    name: str
    start: dt.date
    end: dt.date
    what: str
    client: str
    live: tuple[str, ...] = ()  # product ids in use (at the pilot sites, or everywhere) when it ends
    pilot: bool = False         # in use at the pilot sites only


@dataclass(frozen=True)
class Plan:
    start: dt.date
    phases: tuple[Phase, ...]
    milestone: Phase | None      # the first go-live of what answers the most urgent need
    urgent: str | None           # that statement, in the client's words
    pilot: bool                  # some product goes to a few sites first
    holidays: tuple[str, ...]    # the holidays inside the plan, which it does not count
    confirm_items: str           # what the first phase checks with the client
    per_site: bool = False       # something is built or installed at the client's sites

    @property
    def end(self) -> dt.date:
        return max(ph.end for ph in self.phases)


class Calendar:
    """Working days: not a weekend, not a listed holiday."""

    def __init__(self, holidays: tuple[dict, ...]):
        self.off: dict[dt.date, str] = {}
        for h in holidays:
            d = h["from"]
            while d <= h["to"]:
                self.off[d] = h["name"]
                d += dt.timedelta(days=1)

    def working(self, d: dt.date) -> bool:
        return d.weekday() < 5 and d not in self.off

    def first(self, d: dt.date) -> dt.date:
        """``d`` or the first working day after it."""
        while not self.working(d):
            d += dt.timedelta(days=1)
        return d

    def next(self, d: dt.date) -> dt.date:
        """The working day after ``d``."""
        return self.first(d + dt.timedelta(days=1))

    def end(self, start: dt.date, days: int) -> dt.date:
        """The last day of ``days`` working days from ``start`` (itself a working day); 0 or 1: that day."""
        d = self.first(start)
        for _ in range(max(days, 1) - 1):
            d = self.next(d)
        return d

    def fit(self, start: dt.date, days: int) -> tuple[dt.date, dt.date]:
        """A short phase (:data:`SHORT` working days or less) from ``start``, moved after a holiday it
        would straddle: a three-day review is not spread over the Spring Festival. (start, end)."""
        first = self.first(start)
        last = self.end(first, days)
        if days <= SHORT:
            inside = [d for d in self.off if first <= d <= last]
            if inside:
                first = self.next(max(inside))
                last = self.end(first, days)
        return first, last

    def skipped(self, first: dt.date, last: dt.date) -> tuple[str, ...]:
        names: list[str] = []
        for d, name in sorted(self.off.items()):
            if first <= d <= last and name not in names:
                names.append(name)
        return tuple(names)


def load_plan(path: Path) -> dict:
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int, _size: int) -> dict:
    """plan.yaml checked: its fields, a product in one kind only, only known placeholders, holidays in order."""
    src, data, problems = read_checked(path, PLAN_SPEC)
    if src is None:
        raise InputError(problems)
    if data is not INVALID:
        if DEFAULT_KIND not in data["kinds"]:
            problems.append(src.problem(("kinds",), f"缺少交付方式 {DEFAULT_KIND}（不在任何一类中的产品按它排）",
                                        rule="outline"))
        seen: dict[str, str] = {}
        for kind, spec in data["kinds"].items():
            for i, pid in enumerate(spec["products"]):
                if pid in seen:
                    problems.append(src.problem(("kinds", kind, "products", i),
                                                f"产品 {pid} 已在交付方式 {seen[pid]} 中，一个产品只能属于一类",
                                                rule="outline"))
                seen[pid] = kind
        for path_, text in _texts(data):
            for _lit, name, _spec, _conv in string.Formatter().parse(text):
                if name is not None and name not in PLACEHOLDERS:
                    problems.append(src.problem(path_, f"未知的占位 {{{name}}}，可用：" +
                                                "、".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS)), rule="outline"))
        for i, h in enumerate(data["holidays"]):
            if h["to"] < h["from"]:
                problems.append(src.problem(("holidays", i, "to"), "节假日的结束日期早于开始日期", rule="outline"))
    if data is INVALID or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return data


def _texts(data: dict):
    """(path, text) of every text with placeholders."""
    for key in ("confirm", "agreement", "talk", "review", "pilot"):
        for field in ("what", "client", "rollout_what", "rollout_one", "rollout_client"):
            if field in data[key]:
                yield (key, field), data[key][field]
    for kind, spec in data["kinds"].items():
        for field in ("what", "client", "confirm"):
            yield ("kinds", kind, field), spec[field]
        for step in ("before", "after"):
            if spec.get(step):
                for field in ("what", "client"):
                    yield ("kinds", kind, step, field), spec[step][field]


def _fill(text: str, **values) -> str:
    filled = string.Formatter().vformat(text, (), {k: values.get(k, "") for k in PLACEHOLDERS})
    return _DIGIT_AFTER_HAN.sub(r"\1 \2", filled)  # 到 30 个门店, as every count is written


_DIGIT_AFTER_HAN = re.compile(r"([\u4e00-\u9fff])(\d)")


def _named(name: str, suffix: str) -> str:
    """A phase's name with the second step's mark: 线路施工与开通（试点） + （第二步） -> …（试点，第二步）."""
    if suffix and name.endswith("）") and suffix.startswith("（"):
        return name[:-1] + "，" + suffix[1:]
    return name + suffix


def provision_days(provision: str | None, default: int) -> int:
    """The working days a catalog provisioning time states ("15个工作日（具备接入资源时）" -> 15)."""
    m = _PROVISION_DAYS.search(provision or "")
    return int(m.group(1)) if m else default


def urgent_statement(statements, trouble: re.Pattern) -> str | None:
    """Of the statements the bundle answers, the one that says it cannot wait, else the first that
    says what goes wrong now (``trouble``), else the first: the plan's first milestone answers it."""
    answered = [sm.statement for sm in statements if sm.matched and sm.products]
    for pattern in (_URGENT, trouble):
        found = next((s for s in answered if pattern.search(s)), None)
        if found:
            return found
    return answered[0] if answered else None


def _delivery(cal: Calendar, spec: dict, prods: list, before: dict | None, pilot: dict | None,
              begin: dt.date, prepare_from: dt.date, suffix: str, site: str, sites: int | None,
              sites_said: str) -> list[Phase]:
    """One kind's phases for its products: preparation, then delivery (at a few pilot sites first,
    then the rest in batches, when ``pilot`` is the pilot's spec), then training; the last one ends
    when all of them are in use."""
    names = "、".join(pr.name for pr in prods)
    days = max(provision_days(pr.service_level.provision if pr.service_level else None, spec["days"])
               for pr in prods)
    provision = "、".join(f"{pr.name} {pr.service_level.provision}" if pr.service_level and pr.service_level.provision
                          else f"{pr.name} 约{spec['days']}个工作日" for pr in prods)
    fill = {"products": names, "provision": provision, "site": site,
            "sites": f"{pilot['sites']} 个试点{site}" if pilot else sites_said}
    ids = tuple(pr.id for pr in prods)
    after = spec.get("after")
    out: list[Phase] = []
    if before:
        b = Phase(before["name"] + suffix, *cal.fit(prepare_from, before["days"]),
                  _fill(before["what"], **dict(fill, sites=sites_said)), _fill(before["client"], **fill))
        out.append(b)
        begin = max(begin, cal.next(b.end))
    if pilot:
        out.append(Phase(_named(f"{spec['name']}（{pilot['name']}）", suffix), begin,
                         cal.end(begin, days + pilot["days"]),
                         _fill(pilot["what"], **dict(fill, pilot=f"{pilot['sites']} 个{site}", days=str(pilot["days"]))),
                         _fill(pilot["client"], **fill), live=ids, pilot=True))
        rest = sites - pilot["sites"]
        batches = math.ceil(rest / pilot["batch"])
        r_start = cal.next(out[-1].end)
        out.append(Phase(_named(f"{spec['name']}（{pilot['rollout_name']}）", suffix), r_start,
                         cal.end(r_start, days + (batches - 1) * pilot["batch_days"]),
                         _fill(pilot["rollout_what" if batches > 1 else "rollout_one"],
                               **dict(fill, rest=f"其余 {rest} 个{site}", batches=str(batches))),
                         _fill(pilot["rollout_client"], **fill), live=ids))
    else:  # with training to follow, it is in use once that is done
        out.append(Phase(spec["name"] + suffix, *cal.fit(begin, days), _fill(spec["what"], **fill),
                         _fill(spec["client"], **fill), live=() if after else ids))
    if after:
        out.append(Phase(after["name"] + suffix, *cal.fit(cal.next(out[-1].end), after["days"]),
                         _fill(after["what"], **fill), _fill(after["client"], **fill), live=ids))
    return out


def build_plan(rec, data: dict, start: dt.date, words, trouble: re.Pattern, later: tuple[str, ...] = (),
               notes: tuple[str, ...] = ()) -> Plan:
    """``rec`` the client view of the recommendation, ``start`` the plan's first day (visit or document
    date), ``words`` the client's industry words, ``later`` the product ids the quote phases into a second
    step, ``notes`` the manager's interview notes (a pilot they mention is planned)."""
    cal = Calendar(data["holidays"])
    p = rec.profile
    site = words.site
    sites = p.sites
    kinds = data["kinds"]
    kind_of = {pid: k for k, spec in kinds.items() for pid in spec["products"]}
    by_stage: dict[tuple[int, str], list] = {}
    for m in rec.all_products:
        kind = kind_of.get(m.product.id, DEFAULT_KIND)
        by_stage.setdefault((2 if m.product.id in later else 1, kind), []).append(m.product)
    present = list(dict.fromkeys(kind for (_s, kind) in by_stage))
    per_site_kinds = [k for k in present if kinds[k]["per_site"]]
    sites_said = f"{sites} 个{site}" if sites and sites > 1 else f"各{site}" if not sites else "贵单位"
    pilot_spec = data["pilot"]
    said = " ".join([*(s for _c, s in p.statements()), *notes])
    asked_pilot = any(w in said for w in pilot_spec["words"])

    items = [_fill(kinds[k]["confirm"], site=site) for k in present]
    if per_site_kinds and not sites:
        items.insert(0, f"{site}数量和清单")
    items.append(data["confirm"]["base"])
    confirm_items = "；".join(dict.fromkeys(items))

    t0 = start  # the visit itself starts the confirmation, even on a weekend; its days are working days
    if not rec.all_products:  # nothing to quote or deliver yet: the next step is to talk it over
        t = data["talk"]
        talk = Phase(t["name"], t0, cal.end(cal.first(t0), t["days"]), _fill(t["what"], site=site),
                     _fill(t["client"], site=site))
        return Plan(t0, (talk,), None, None, False, cal.skipped(t0, talk.end), "")
    c = data["confirm"]
    confirm = Phase(c["name"], t0, cal.end(cal.first(t0), c["days"]), _fill(c["what"], items=confirm_items),
                    _fill(c["client"], site=site))
    a = data["agreement"]
    agreement = Phase(a["name"], *cal.fit(cal.next(confirm.end), a["days"]), _fill(a["what"], site=site),
                      _fill(a["client"], site=site))
    phases: list[Phase] = []
    go_live: dict[int, list[dt.date]] = {1: [], 2: []}
    stage_start = {1: cal.next(agreement.end)}
    pilot_any = False
    for stage in (1, 2):
        groups = [(kind, prods) for (s, kind), prods in by_stage.items() if s == stage]
        if not groups:
            continue
        if stage == 2:
            last = max(go_live[1], default=agreement.end)
            stage_start[2] = cal.end(cal.next(last), data["later"]["wait"] + 1)
        suffix = data["later"]["suffix"] if stage == 2 else ""
        for kind, prods in groups:
            spec = kinds[kind]
            pilot = (sites is not None and sites > pilot_spec["sites"]
                     and ((spec["per_site"] and sites >= pilot_spec["min_sites"]) or asked_pilot))
            pilot_any = pilot_any or pilot
            before = spec.get("before")
            if before and spec["per_site"] and (1, kind) in by_stage and stage == 2:
                before = None  # the sites were surveyed for the first step
            # preparation (survey, ordering) needs no agreement: in the first step it runs beside it
            prepare_from = cal.next(confirm.end) if stage == 1 else stage_start[stage]
            done = _delivery(cal, spec, prods, before, pilot_spec if pilot else None, stage_start[stage],
                             prepare_from, suffix, site, sites, sites_said)
            phases += done
            go_live[stage].append(done[-1].end)
    phases.sort(key=lambda ph: (ph.start, ph.end))
    r = data["review"]
    last_live = max([*go_live[1], *go_live[2]], default=agreement.end)
    r_start = cal.end(cal.next(last_live), r["after"] + 1)
    review = Phase(r["name"], *cal.fit(r_start, r["days"]), _fill(r["what"], site=site),
                   _fill(r["client"], site=site))
    allp = (confirm, agreement, *phases, review) if phases else (confirm, agreement)  # nothing to revisit
    urgent = urgent_statement(rec.statements, trouble)
    milestone = None
    if urgent is not None:
        wanted = {e.product.id for sm in rec.statements if sm.statement == urgent for e in sm.products}
        live = [ph for ph in phases if wanted & set(ph.live)]
        milestone = min(live, key=lambda ph: ph.end) if live else None
    return Plan(t0, allp, milestone, urgent if milestone else None, pilot_any,
                cal.skipped(t0, allp[-1].end), confirm_items, bool(per_site_kinds))
