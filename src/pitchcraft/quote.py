"""The offer: what the bundle costs, what it saves, and what the manager may concede.

Money is Decimal throughout, never float. One rounding rule: every amount is rounded half-up to the
fen (0.01 CNY) where it is first computed — a line, a line's share of a discount, a tax amount — and
totals are exact sums of those rounded amounts, so the document always adds up.

Rules, in order:
1. Quantities come from the profile (employees, sites) by each price item's unit, unless the profile
   overrides them (``quantities:``); each line records the rule that produced its quantity.
2. Volume tiers are graduated: each unit is priced by the band it falls in (like tax brackets), so
   buying more never costs less in total. A line is written per band.
3. Discounts are a fraction of the list price, applied per line and added up (not compounded):
   first the catalog's bundle rules, then the manager's requested discount up to the manager's own
   authority. Nothing takes an item below its floor price: a discount that would is capped and says so.
   What exceeds the manager's authority is not granted: it is listed in ``needs_approval`` with the
   role that may approve it, for the internal side only.
4. Prices include VAT; the tax inside them is shown per VAT class (basic telecom / value-added),
   at the rates of the catalog's ``pricing`` section.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from .model.catalog import Pricing, Product, TariffItem
from .model.money import ZERO, fen
from .model.profile import Profile
from .model.vocab import QUANTITY_RULES



# --- the quote ----------------------------------------------------------------------------------


@dataclass
class Line:
    product_id: str
    name: str
    item: str
    quantity: int
    unit: str
    unit_price: Decimal
    billing: str          # monthly | one_off
    rule: str             # how the quantity was derived
    vat: str
    floor: Decimal | None
    category: str
    discount: Decimal = ZERO  # total discount on this line (positive amount)
    applied_rate: Decimal = ZERO

    @property
    def gross(self) -> Decimal:
        return fen(self.unit_price * self.quantity)

    @property
    def monthly(self) -> Decimal:
        return self.gross if self.billing == "monthly" else ZERO

    @property
    def one_off(self) -> Decimal:
        return self.gross if self.billing == "one_off" else ZERO


@dataclass
class Discount:
    rule: str
    label: str
    rate: Decimal
    monthly: Decimal      # negative
    capped: bool = False  # a floor price stopped part of it


@dataclass
class Approval:
    rule: str
    requested: Decimal
    granted: Decimal
    role: str | None      # who may approve the rest; None: beyond every authority
    reason: str


@dataclass
class Quote:
    date: dt.date
    lines: list[Line]
    discounts: list[Discount]
    needs_approval: list[Approval]
    tax: dict[str, Decimal]              # VAT class -> tax included in the first year's amounts
    budget: Decimal | None
    current_spend: Decimal | None
    notes: list[str] = field(default_factory=list)
    alternatives: list["Alternative"] = field(default_factory=list)

    @property
    def gross_monthly(self) -> Decimal:
        return sum((ln.monthly for ln in self.lines), ZERO)

    @property
    def monthly_total(self) -> Decimal:
        return self.gross_monthly + sum((d.monthly for d in self.discounts), ZERO)

    @property
    def one_off_total(self) -> Decimal:
        return sum((ln.one_off for ln in self.lines), ZERO)

    @property
    def annual_total(self) -> Decimal:
        return 12 * self.monthly_total

    @property
    def first_year_total(self) -> Decimal:
        return 12 * self.monthly_total + self.one_off_total

    @property
    def within_budget(self) -> bool | None:
        return None if self.budget is None else self.monthly_total <= self.budget

    def by_category(self) -> dict[str, Decimal]:
        """Net monthly cost per need area, discounts included (for the pricing chart)."""
        out: dict[str, Decimal] = {}
        for ln in self.lines:
            if ln.billing == "monthly":
                out[ln.category] = out.get(ln.category, ZERO) + ln.monthly - ln.discount
        return out


@dataclass
class Alternative:
    key: str              # essential | recommended
    label: str
    product_ids: list[str]
    product_names: list[str]
    monthly_total: Decimal
    first_year_total: Decimal
    covered: int          # need statements this bundle answers


# --- building ----------------------------------------------------------------------------------


def effective(item: TariffItem, date: dt.date) -> bool:
    return (item.effective is None or item.effective <= date) and (item.expires is None or date <= item.expires)


def quantity_for(item: TariffItem, profile: Profile, product: Product) -> tuple[int, str]:
    """How many units of a price item, and the rule that says so.

    A quantity the profile gives for a product replaces the counted ones (per member, per site …);
    items sold once per client (a platform fee, an installation) stay at one.
    """
    basis = item.per or {"line": "employees", "user": "employees", "mailbox": "employees",
                         "site": "sites", "terminal": "sites"}.get(item.unit, "one")
    if basis == "one":
        return 1, "fixed"
    for key in (product.id, *product.names):
        if key in profile.quantities:
            return profile.quantities[key], "profile"
    base = profile.employees if basis == "employees" else profile.sites
    if base is None:
        return 1, f"{basis}-missing"
    share = item.share if item.share is not None else Decimal(1)
    qty = max(1, math.ceil(Decimal(base) * share))
    return qty, basis if share == 1 else f"{basis}x{share}"


def _bands(item: TariffItem, qty: int) -> list[tuple[int, Decimal, str]]:
    """Graduated tiers: (units, unit price, band label) per band the quantity reaches."""
    tiers = sorted(item.tiers, key=lambda t: t.from_quantity)
    bounds = [(1, item.price)] + [(t.from_quantity, t.price) for t in tiers if t.from_quantity > 1]
    out = []
    for i, (start, price) in enumerate(bounds):
        last = i + 1 == len(bounds)
        end = qty if last else bounds[i + 1][0] - 1
        units = min(qty, end) - start + 1
        if units > 0:
            out.append((units, price, f"第 {start} 个起" if last else f"第 {start}–{end} 个"))
    return out


def build(profile: Profile, products: list[Product], pricing: Pricing, date: dt.date,
          requested_discount: Decimal | None = None) -> Quote:
    """The quote for these products under the catalog's pricing rules on ``date``."""
    return _build(profile, products, pricing, date, requested_discount)


def _build(profile: Profile, products: list[Product], pricing: Pricing, date: dt.date,
           requested_discount: Decimal | None) -> Quote:
    lines: list[Line] = []
    notes: list[str] = []
    for p in products:
        for item in p.tariff_items:
            if item.optional:
                continue
            if not effective(item, date):
                notes.append(f"{p.name}“{item.name}”资费不在有效期内，未计入报价")
                continue
            qty, rule = quantity_for(item, profile, p)
            if rule.endswith("-missing"):
                notes.append(f"{p.name}“{item.name}”按 1 计：档案中没有{'员工数' if 'employees' in rule else '站点数'}")
            bands = _bands(item, qty)
            for units, price, band in bands:
                lines.append(Line(p.id, p.name, item.name + (f"（{band}）" if len(bands) > 1 else ""),
                                  units, item.unit, price, item.billing, rule, item.vat, item.floor, p.category))
    ids = {p.id for p in products}
    discounts: list[Discount] = []
    for b in pricing.bundles:
        if set(b.products) <= ids:
            discounts.append(_apply(lines, f"bundle:{b.id}", b.name, b.discount, set(b.products)))
    approvals: list[Approval] = []
    if requested_discount:
        limit = pricing.manager_limit
        granted = min(requested_discount, limit)
        if granted > 0:
            discounts.append(_apply(lines, "manager-discount", "商务优惠", granted, None))
        if requested_discount > limit:
            role = next((a.role for a in pricing.authority if a.max_discount >= requested_discount), None)
            approvals.append(Approval("manager-discount", requested_discount, granted, role,
                                      f"申请折让 {requested_discount:.0%} 超出客户经理权限 {limit:.0%}"
                                      + (f"，需{role}审批" if role else "，超出全部授权，不可承诺")))
    tax = _tax(lines, pricing)
    budget = profile.budget_monthly
    quote = Quote(date, lines, [d for d in discounts if d.monthly != 0], approvals, tax, budget,
                  profile.current_spend_monthly, notes)
    return quote


def _apply(lines: list[Line], rule: str, label: str, rate: Decimal, only: set[str] | None) -> Discount:
    """A discount of ``rate`` of list price on the monthly lines (of ``only`` products), floors kept."""
    total = ZERO
    capped = False
    for ln in lines:
        if ln.billing != "monthly" or (only is not None and ln.product_id not in only):
            continue
        room = Decimal(1) - ln.applied_rate
        if ln.floor is not None and ln.unit_price > 0:
            room = min(room, Decimal(1) - ln.floor / ln.unit_price - ln.applied_rate)
        applied = max(ZERO, min(rate, room))
        if applied < rate:
            capped = True
        amount = fen(ln.gross * applied)
        ln.applied_rate += applied
        ln.discount += amount
        total += amount
    return Discount(rule, label, rate, -total, capped)


def _tax(lines: list[Line], pricing: Pricing) -> dict[str, Decimal]:
    """VAT inside the first year's amounts (prices include tax), per VAT class."""
    out: dict[str, Decimal] = {}
    for ln in lines:
        rate = pricing.vat_rates.get(ln.vat, ZERO)
        net = (ln.monthly - ln.discount) * 12 + ln.one_off
        out[ln.vat] = out.get(ln.vat, ZERO) + net * rate / (1 + rate)
    return {k: fen(v) for k, v in out.items()}


def alternatives(profile: Profile, ranked: list[tuple[Product, int, float]], pricing: Pricing, date: dt.date,
                 budget: Decimal, requested_discount: Decimal | None = None) -> list[Alternative]:
    """When the recommended bundle is over budget: an essential bundle that fits it, next to the
    recommended one — different prices mean different bundles, not a blind cut (seed 004).

    ``ranked``: (product, need statements it answers, score), best first.
    """
    def variant(products: list[Product]) -> Quote:  # every variant under the same discount request
        return _build(profile, products, pricing, date, requested_discount)

    full = variant([p for p, _n, _s in ranked])
    out = []
    chosen: list[tuple[Product, int, float]] = []
    # most needs per yuan first, then by score
    def cost(p: Product) -> Decimal:
        return variant([p]).monthly_total

    for p, n, s in sorted(ranked, key=lambda r: (-(r[1] / max(float(cost(r[0])), 1.0)), -r[2])):
        trial = variant([x for x, _n, _s in chosen] + [p])
        if trial.monthly_total <= budget:
            chosen.append((p, n, s))
    if chosen and len(chosen) < len(ranked):
        q = variant([p for p, _n, _s in chosen])
        out.append(Alternative("essential", "精简版（预算内）", [p.id for p, _n, _s in chosen],
                               [p.name for p, _n, _s in chosen], q.monthly_total, q.first_year_total,
                               sum(n for _p, n, _s in chosen)))
    out.append(Alternative("recommended", "推荐版（完整方案）", [p.id for p, _n, _s in ranked],
                           [p.name for p, _n, _s in ranked], full.monthly_total, full.first_year_total,
                           sum(n for _p, n, _s in ranked)))
    return out


def for_recommendation(rec, pricing: Pricing | None, date: dt.date) -> Quote:
    """The offer for a recommendation's new products (extensions of current services are not sold
    again), with alternative bundles when the budget is tight."""
    pricing = pricing or Pricing()
    products = [m.product for m in rec.products]
    q = build(rec.profile, products, pricing, date, rec.profile.requested_discount)
    if q.budget is not None and q.monthly_total > q.budget and len(products) > 1:
        ranked = [(m.product, len(m.statements), m.score) for m in rec.products]
        q.alternatives = alternatives(rec.profile, ranked, pricing, date, q.budget, rec.profile.requested_discount)
    return q


def rule_label(rule: str) -> str:
    if rule.startswith("employeesx") or rule.startswith("sitesx"):
        basis, share = rule.split("x", 1)
        return f"{QUANTITY_RULES[basis]}×{Decimal(share):.0%}"
    return QUANTITY_RULES[rule]


def to_json(q: Quote) -> dict:
    """The ``quote`` object of contracts/cli.md (money as strings with two decimals)."""
    return {
        "currency": "CNY",
        "date": q.date.isoformat(),
        "lines": [{"product_id": ln.product_id, "name": ln.name, "item": ln.item, "quantity": ln.quantity,
                   "unit": ln.unit, "unit_price": f"{ln.unit_price:.2f}", "monthly": f"{ln.monthly:.2f}",
                   "one_off": f"{ln.one_off:.2f}", "rule": ln.rule, "vat": ln.vat} for ln in q.lines],
        "discounts": [{"rule": d.rule, "label": d.label, "rate": f"{d.rate:.2f}", "monthly": f"{d.monthly:.2f}",
                       "capped_by_floor": d.capped} for d in q.discounts],
        "monthly_total": f"{q.monthly_total:.2f}",
        "one_off_total": f"{q.one_off_total:.2f}",
        "annual_total": f"{q.annual_total:.2f}",
        "first_year_total": f"{q.first_year_total:.2f}",
        "tax_included": {k: f"{v:.2f}" for k, v in q.tax.items()},
        "budget_monthly": None if q.budget is None else f"{q.budget:.2f}",
        "within_budget": q.within_budget,
        "current_monthly_spend": None if q.current_spend is None else f"{q.current_spend:.2f}",
        "needs_approval": [{"rule": a.rule, "requested": f"{a.requested:.2f}", "granted": f"{a.granted:.2f}",
                            "approver": a.role, "reason": a.reason} for a in q.needs_approval],
        "alternatives": [{"key": a.key, "label": a.label, "products": a.product_ids,
                          "monthly_total": f"{a.monthly_total:.2f}", "first_year_total": f"{a.first_year_total:.2f}",
                          "needs_covered": a.covered} for a in q.alternatives],
        "notes": q.notes,
    }
