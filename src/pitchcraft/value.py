"""What the bundle saves or brings, in the client's own figures.

Only numbers the client gave are used: today's bill (每月话费一万二, or the profile's current spend),
calls that go unanswered (一天二十多个电话没人接), time lost (每天要花两个小时对账), a loss suffered
(赔了两万多). Each claim keeps the client's words it rests on, the rule's stated assumption
(``templates/value.yaml``) and the arithmetic. No figure, no claim: a product whose statements
give no number gets nothing here, and a bill saving that the product's own fee would eat is not
claimed. The wording of the documents is the templates' business; this module only computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from .quantities import Table, amounts, counts, default_table, default_table_path, durations

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Offering:
    """One product of the bundle as the estimate needs it."""

    product_id: str
    product_name: str
    statements: tuple[str, ...]   # what the client said that this product answers
    monthly_cost: Decimal         # its net monthly fee in the quote


@dataclass(frozen=True)
class Claim:
    kind: str            # bill | calls | time | loss
    product_id: str
    product_name: str
    amount: Decimal      # in ``unit``
    unit: str            # 元/月 | 个/月 | 小时/月 | 小时/次 | 元/次
    basis: str           # the client's words, e.g. 每月话费一万二 (or the profile's figure)
    statement: str       # the statement it comes from ("" for the profile's current spend)
    assumption: str
    working: str         # the arithmetic, in Chinese
    approximate: bool

    @property
    def monthly_cny(self) -> Decimal | None:
        """Money saved per month, for a bill saving only."""
        return self.amount if self.unit == "元/月" else None


@dataclass(frozen=True)
class Rules:
    """templates/value.yaml."""

    working_days: Decimal
    weeks: Decimal
    bill: dict[str, tuple[Decimal, str]]     # product id -> (share, assumption)
    calls: dict[str, str]                    # product id -> assumption
    miss_words: tuple[str, ...]
    time: dict[str, tuple[Decimal, str]]
    loss: dict[str, str]
    spent_words: tuple[str, ...] = ()            # a duration is time lost only with one of these in its clause
    max_hours: Decimal = Decimal(8)              # longer is waiting (一拖就是一个礼拜), not work time
    budget_factor: Decimal = Decimal("1.2")     # far over a budget: beyond this many times it
    bill_factor: Decimal = Decimal("2")         # no budget: what a client can carry, times today's bill
    per_person_month: Decimal = Decimal("40")   # no budget, no bill: per person of the staff, per month

    @classmethod
    def from_dict(cls, data: dict) -> "Rules":
        data = data or {}

        def shared(section: dict) -> dict[str, tuple[Decimal, str]]:
            return {str(pid): (Decimal(str((r or {}).get("share", 1))), str((r or {}).get("assumption", "")))
                    for pid, r in (section or {}).items() if isinstance(r, dict)}

        calls = dict(data.get("calls") or {})
        words = tuple(str(w) for w in calls.pop("words", None) or ())
        time = dict(data.get("time") or {})
        spent = tuple(str(w) for w in time.pop("words", None) or ())
        max_hours = Decimal(str(time.pop("max_hours", 8)))
        return cls(Decimal(str(data.get("working_days_per_month", 22))), Decimal(str(data.get("weeks_per_month", "4.33"))),
                   shared(data.get("bill")), {str(p): str((r or {}).get("assumption", "")) for p, r in calls.items()
                                              if isinstance(r, dict)},
                   words, shared(time),
                   {str(p): str((r or {}).get("assumption", "")) for p, r in (data.get("loss") or {}).items()
                    if isinstance(r, dict)},
                   spent, max_hours,
                   **{key: Decimal(str(fit[name])) for fit in [data.get("fit") or {}]
                      for key, name in (("budget_factor", "budget_factor"), ("bill_factor", "bill_factor"),
                                        ("per_person_month", "per_person_month")) if name in fit})


def load_rules(path: Path | str) -> Rules:
    with open(path, encoding="utf-8") as fh:
        return Rules.from_dict(yaml.safe_load(fh) or {})


_DEFAULT: Rules | None = None


def default_rules() -> Rules:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_rules(default_table_path().with_name("value.yaml"))
    return _DEFAULT


def _fen(d: Decimal) -> Decimal:
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def _num(d: Decimal) -> str:
    """12000 -> 12,000; 44.5 -> 44.5 (a figure as a reader writes it)."""
    d = d.normalize() if d == d.to_integral_value() else d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{int(d):,}" if d == d.to_integral_value() else f"{d:,}"


def _per_month(period: str | None, rules: Rules) -> Decimal | None:
    return {"day": rules.working_days, "week": rules.weeks, "month": Decimal(1)}.get(period or "")


def _period_of(statement: str, start: int, table: Table) -> str | None:
    """How often, from the words before a figure in its statement (每天 …)."""
    head = statement[:start]
    best = None
    for word, key in {**table.duration_periods, **table.money_periods}.items():
        k = head.rfind(word)
        if k >= 0 and (best is None or k > best[0]):
            best = (k, key)
    return None if best is None else best[1]


def estimate(offerings: list[Offering], statements: list[str], current_spend: Decimal | None,
             rules: Rules | None = None, table: Table | None = None) -> list[Claim]:
    """Claims the client's own figures support, product by product, in bundle order."""
    rules = rules or default_rules()
    table = table or default_table()
    out: list[Claim] = []
    bills = _bills(statements, table)
    for o in offerings:
        if o.product_id in rules.bill:
            claim = _bill(o, bills, current_spend, rules, table)
            if claim:
                out.append(claim)
        if o.product_id in rules.calls:
            out += _calls(o, rules, table)
        if o.product_id in rules.time:
            out += _time(o, rules, table)
        if o.product_id in rules.loss:
            out += _loss(o, rules, table)
    # one figure, one claim: the first product of the bundle that answers it keeps it
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for c in out:
        key = (c.kind, c.statement, c.basis)
        if key not in seen:
            seen.add(key)
            kept.append(c)
    return kept


def _bills(statements, table: Table) -> list[tuple[str, object]]:
    found = []
    for s in statements:
        for a in amounts(s, table):
            if a.subject == "bill" and not a.vague and a.monthly() is not None:
                found.append((s, a))
    return found


def _bill(o: Offering, bills, current_spend, rules: Rules, table: Table) -> Claim | None:
    share, assumption = rules.bill[o.product_id]
    own = [(s, a) for s, a in bills if s in o.statements]
    pick = (own or bills or [None])[0]
    if pick is not None:
        statement, a = pick
        monthly, basis, approx = _fen(a.monthly()), a.phrase, a.approximate
        period = "" if a.period == "month" else f"（按月折算 ¥{_num(monthly)}）"
    elif current_spend:
        statement, monthly, basis, approx, period = "", _fen(current_spend), f"目前每月通信支出 ¥{_num(current_spend)}", False, ""
    else:
        return None
    saving = _fen(monthly * share - o.monthly_cost)
    if saving <= 0:
        return None
    working = (f"现有话费 ¥{_num(monthly)}/月{period} × {share:.0%} − {o.product_name}月费 ¥{o.monthly_cost:,.2f}"
               f" ≈ ¥{saving:,.2f}/月")
    return Claim("bill", o.product_id, o.product_name, saving, "元/月", basis, statement, assumption, working, True
                 if approx else share != 1)


def _calls(o: Offering, rules: Rules, table: Table) -> list[Claim]:
    out = []
    for s in o.statements:
        for q in counts(s, table):
            if q.kind != "calls" or not q.quotable:
                continue
            _lo, hi = _clause(s, q.start, q.end)
            if not any(w in s[q.end:hi] for w in rules.miss_words):
                continue  # 一天上千个电话，好多人打不进来: the calls counted are not the ones missed
            period = _period_of(s, q.start, table)
            factor = _per_month(period, rules)
            if factor is None:
                continue
            monthly = (Decimal(q.value) * factor).to_integral_value(ROUND_HALF_UP)
            how = {"day": f"每月按 {_num(rules.working_days)} 个工作日计", "week": f"每月按 {_num(rules.weeks)} 周计",
                   "month": "按月计"}[period]
            out.append(Claim("calls", o.product_id, o.product_name, monthly, "个/月", q.phrase, s,
                             rules.calls[o.product_id], f"{q.value} 个 × {_num(factor)} ≈ {_num(monthly)} 个/月（{how}）",
                             q.approximate))
            break
    return out


def _time(o: Offering, rules: Rules, table: Table) -> list[Claim]:
    share, assumption = rules.time[o.product_id]
    out = []
    for s in o.statements:
        for d in durations(s, table):
            if d.vague or d.hours <= 0 or d.hours > rules.max_hours:
                continue
            k = s.find(d.phrase)
            lo, hi = _clause(s, k, k + len(d.phrase))
            if rules.spent_words and not any(w in s[lo:hi] for w in rules.spent_words):
                continue  # 录像存够九十天: a time, not time lost
            factor = _per_month(d.period, rules)
            hours = d.hours * share
            if factor is None:
                out.append(Claim("time", o.product_id, o.product_name, _round1(hours), "小时/次", d.phrase, s, assumption,
                                 f"每次约 {_num(hours)} 小时", d.approximate))
            else:
                monthly = _round1(hours * factor)
                how = {"day": f"每月按 {_num(rules.working_days)} 个工作日计", "week": f"每月按 {_num(rules.weeks)} 周计",
                       "month": "按月计"}[d.period]
                out.append(Claim("time", o.product_id, o.product_name, monthly, "小时/月", d.phrase, s, assumption,
                                 f"{_num(hours)} 小时 × {_num(factor)} ≈ {_num(monthly)} 小时/月（{how}）", d.approximate))
            break
    return out


def _loss(o: Offering, rules: Rules, table: Table) -> list[Claim]:
    out = []
    for s in o.statements:
        for a in amounts(s, table):
            if a.subject == "loss" and not a.vague:
                out.append(Claim("loss", o.product_id, o.product_name, _fen(a.value), "元/次", a.phrase, s,
                                 rules.loss[o.product_id], f"客户所说一次损失约 ¥{_num(a.value)}", a.approximate))
                break
    return out


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    marks = "，。；;,!！?？\n"
    left = max(text.rfind(c, 0, start) for c in marks) + 1
    rights = [i for i in (text.find(c, end) for c in marks) if i >= 0]
    return left, min(rights) if rights else len(text)


def _round1(d: Decimal) -> Decimal:
    return d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def monthly_saving(claims: list[Claim]) -> Decimal | None:
    """The bill savings added up (other claims are not money per month); None when there are none."""
    money = [c.amount for c in claims if c.unit == "元/月"]
    return sum(money, Decimal(0)) if money else None


def to_json(claims: list[Claim]) -> list[dict]:
    return [{"kind": c.kind, "product_id": c.product_id, "product": c.product_name,
             "amount": f"{c.amount:.2f}" if c.unit.startswith("元") else str(c.amount), "unit": c.unit,
             "basis": c.basis, "statement": c.statement, "assumption": c.assumption, "working": c.working,
             "approximate": c.approximate} for c in claims]
