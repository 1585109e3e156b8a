"""The offer: what the bundle costs, what it saves, and what the manager may concede.

Money is Decimal throughout, never float. One rounding rule: every amount is rounded half-up to the
fen (0.01 CNY) where it is first computed — a line, a line's share of a discount, a tax amount — and
totals are exact sums of those rounded amounts, so the document always adds up.

Rules, in order:
1. A line's quantity comes from what the client said when they said it: a count in the statements
   the product answers that matches what the price item counts (a per-vehicle terminal takes
   六十多辆集卡; a per-user product the people the statement names, 前台3个人, not every employee;
   see :mod:`pitchcraft.quantities`). Otherwise from the profile's staff or sites by the item's
   unit — but a per-member product for a group the client named without a count (调度、安全员) is to
   be confirmed, not every employee (集团彩铃 excepted: every caller hears it, templates/quantities.yaml
   ``whole_unit``); a per-site item for a need in moving vehicles is counted by vehicles or confirmed;
   a per-端 private line counts each place it joins, and the head office named besides them.
   The manager's ``choices.quantities`` (and the older top-level ``quantities:``) override
   both. Each line records where its number came from (:class:`Source`: rule and the client's words).
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
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import quantities as qty
from . import value as worth
from .model.catalog import Pricing, Product, TariffItem, name_key
from .model.money import ZERO, cny, fen
from .model.profile import Profile
from .model.vocab import QUANTITY_RULES



# --- the quote ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a line's quantity came from: the rule, and the client's words when they gave it."""

    rule: str                     # statement | choices | profile | employees | sites | fixed | …-missing | …x0.2
    #                               | to-confirm | messages | messages-start
    phrase: str | None = None     # the client's words: 六十多辆集卡 (to-confirm: what they named, 集团领导)
    statement: str | None = None  # the statement they are in
    kind: str | None = None       # what was counted: vehicles, people …
    approximate: bool = False
    confirm: str | None = None    # to-confirm: what the client is to confirm (人数, 车辆数)
    ends: str | None = None       # a per-端 line: "" each place one end; a name (总部): that end added


@dataclass
class Line:
    product_id: str
    name: str
    item: str
    quantity: int
    unit: str
    unit_price: Decimal
    billing: str          # monthly | one_off
    rule: str             # how the quantity was derived (Source.rule)
    vat: str
    floor: Decimal | None
    category: str
    discount: Decimal = ZERO  # total discount on this line (positive amount)
    applied_rate: Decimal = ZERO
    source: Source | None = None

    @property
    def basis(self) -> str:
        """The rule as a reader sees it: 按客户所说“六十多辆集卡” / 按员工数 / 客户经理指定."""
        return basis_label(self.source or Source(self.rule))

    @property
    def client_basis(self) -> str:
        """The rule as the client's proposal says it (客户经理核定, not the manager's 客户经理指定);
        :func:`client_basis_label` with the profile's figures names the headcount too."""
        return client_basis_label(self.source or Source(self.rule))

    @property
    def to_confirm(self) -> bool:
        """Priced per unit, its quantity left to the client: not in any total (quantity 0)."""
        return self.rule == "to-confirm"

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
    phasing: "Phasing | None" = None                        # the bundle that fits first, the rest later
    value: list[worth.Claim] = field(default_factory=list)  # what it saves or brings, from the client's figures

    @property
    def to_confirm(self) -> list[Line]:
        """The lines whose quantity the client is to confirm: listed with their price, outside the totals."""
        return [ln for ln in self.lines if ln.to_confirm]

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
        """The monthly fee against the monthly budget; one-off costs are held against the year."""
        return None if self.budget is None else self.monthly_total <= self.budget

    @property
    def year_budget(self) -> Decimal | None:
        """The monthly budget over twelve months: what the first year's total is compared with."""
        return None if self.budget is None else 12 * self.budget

    @property
    def first_year_within_budget(self) -> bool | None:
        return None if self.budget is None else self.first_year_total <= self.year_budget

    def one_off_by_product(self) -> list[tuple[str, Decimal]]:
        """One-off costs per product (terminals, set-up), largest first, so a sentence can name them."""
        out: dict[str, Decimal] = {}
        for ln in self.lines:
            if ln.one_off:
                out[ln.name] = out.get(ln.name, ZERO) + ln.one_off
        return sorted(out.items(), key=lambda kv: -kv[1])

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


# A price unit's quantity basis when the item names none (``per``).
UNIT_BASIS = {"line": "employees", "user": "employees", "mailbox": "employees", "site": "sites",
              "terminal": "terminals", "vehicle": "vehicles"}
# Bases counted only from what the client said: no profile figure stands for them (the staff are not
# a newspaper's subscribers, nor the group's leaders); unsaid, the quantity is to be confirmed.
# A terminal with no basis of its own (a camera) is one of them: one per site is no count anyone gave.
SAID_ONLY = ("people", "subscribers", "vehicles", "devices", "rooms", "terminals")
PLACES = ("sites", "stores")


def basis_of(item: TariffItem) -> str:
    return item.per or UNIT_BASIS.get(item.unit, "one")


def quantity_for(item: TariffItem, profile: Profile, product: Product, said: tuple[str, ...] = (),
                 chosen: dict[str, int] | None = None, table: "qty.Table | None" = None) -> tuple[int, Source]:
    """How many units of a price item, and where that number came from.

    ``said``: the statements the product answers; ``chosen``: the manager's quantities by product
    id (``choices.quantities``, names already resolved). Items sold once per client (a platform
    fee, an installation) stay at one whatever anyone says. An item counted per person the client
    names, per subscriber, vehicle or device takes only a count the client gave: without one its
    quantity is 0 and to be confirmed (``to-confirm``), never a share of the staff.
    """
    basis = basis_of(item)
    if basis == "one":
        return 1, Source("fixed")
    if chosen and product.id in chosen:
        return chosen[product.id], Source("choices")
    for key in (product.id, *product.names):
        if key in profile.quantities:
            return profile.quantities[key], Source("profile")
    table = table or qty.default_table()
    if basis == "messages":
        return _packages(item, product, said, table)
    heard = _said_count(item, profile, product, said, table)
    if heard is not None and product.id in table.per_end and heard[1].kind in ("sites", "stores"):
        return _ends(heard, said, table)
    if heard is not None:
        return heard
    if basis in SAID_ONLY:
        return 0, _to_confirm(item, basis, product, said, table, profile)
    if basis == "employees" and product.id not in table.whole_unit:
        group = _named_group(said, table)
        if group is not None:  # 八个矿的调度、安全员之间: those people, not every employee
            return 0, Source("to-confirm", group[0], group[1], "people", False, table.confirm_label("people"))
    if basis == "sites":
        moving = _on_the_move(said, table)
        if moving is not None:  # 司机开车打瞌睡: in the vehicles, which no site count stands for
            return moving
        every = any(table.every_place(s) for s in said)  # 每个网点, 各乡镇, 项目部都…: every site
        # (a private line priced per 端 joins that place to another: no one-place count for it)
        here = None if every or product.id in table.per_end else next(
            ((w, s) for s in said for w in table.one_place if w in s), None)
        if here is not None:  # 镇政府这栋楼的宽带: one building, not every site of the profile
            return 1, Source("statement", here[0], here[1], "sites")
        if said and (profile.sites or 0) > 1 and not every:
            # 景区酒店一百多间房: one place or places in general, not every site of the profile
            return 0, _to_confirm(item, "sites", product, said, table, profile)
    base = profile.employees if basis == "employees" else profile.sites
    if base is None:
        return 1, Source(f"{basis}-missing")
    share = item.share if item.share is not None else Decimal(1)
    n = max(1, math.ceil(Decimal(base) * share))
    # kind: the unit, so a camera per site reads 18 个站点各 1 台 (what each site gets)
    return n, Source(basis if share == 1 else f"{basis}x{share}", kind=item.unit,
                     ends="" if basis == "sites" and product.id in table.per_end else None)


def _named_group(said: tuple[str, ...], table) -> tuple[str, str] | None:
    """The groups of people the statements name (调度、安全员), and the statement: who a per-member
    product is for when the client said who. None when no statement names a group."""
    for statement in said:
        named = [n for n in table.names(statement, {"people"}, groups_only=True)
                 if len(n) > 1 and n not in table.not_named and not _part_of_word(statement, n)]
        if named:
            return "、".join(dict.fromkeys(named)), statement
    return None


def _on_the_move(said: tuple[str, ...], table) -> tuple[int, Source] | None:
    """A per-site item for a need in moving vehicles (司机开车打瞌睡): the vehicles the client counted
    in that statement, else to confirm. None when a statement speaks of sites, or of nothing moving."""
    moving = [s for s in said if any(w in s for w in table.on_the_move)]
    if not moving or len(moving) < len(said):
        return None
    for statement in moving:
        found = [q for q in qty.counts(statement, table) if q.quotable]
        if any(q.kind in ("sites", "stores") for q in found):
            return None
        vehicles = next((q for q in found if q.kind == "vehicles"), None)
        if vehicles is not None:
            return vehicles.value, Source("statement", vehicles.phrase, statement, "vehicles", vehicles.approximate)
    return 0, Source("to-confirm", None, moving[0], "vehicles", False, table.confirm_label("vehicles"))


def _ends(heard: tuple[int, Source], said: tuple[str, ...], table) -> tuple[int, Source]:
    """A line priced per 端: each place the client counted is one end, and the head office they name
    besides them (ERP放在龙华总部机房，观澜和松岗两个厂: 2 + 1) is one more."""
    n, src = heard
    statement = src.statement or ""
    hub = next((h for h in table.hubs if h in statement and h not in (src.phrase or "")), None)
    return n + (1 if hub else 0), replace(src, ends=hub or "")


def _said_count(item: TariffItem, profile: Profile, product: Product, said: tuple[str, ...], table
                ) -> tuple[int, Source] | None:
    """The count the client gave, in the statements the product answers, of what this item counts:
    the kinds the item's unit takes (templates/quantities.yaml ``counted_by``), preferred first,
    then in the order said. People of a named group (前台3个人, 销售团队二十来人) are who the product
    is for; people with no group named (两千多人, 打了三个人都没接) are not reliably its users, so
    they count only when the profile gives no headcount."""
    found = _heard(item, product, said, table)
    if found is None:
        return None
    q, statement = found
    basis = basis_of(item)
    text = unicodedata.normalize("NFKC", statement)  # the counts' positions are in the folded text
    if q.kind == "people" and item.unit == "terminal" and not any(w in text for w in table.one_each):
        # 两千多工人，想知道有没有人进了危险区域: how many people, not that each carries a terminal
        return 0, _to_confirm(item, basis, product, said, table, profile, refused=found)
    if q.kind == "staff" and profile.employees is not None:
        return None  # people with no group named: the profile's headcount is the figure
    if q.kind in PLACES:  # 十四间民宿散在两个村: two counts of places, neither the sum: which is meant is asked
        # (not 一个新工地, nor 每个网点两条: one, or a count said per place)
        other = next((o for o in qty.counts(statement, table) if o.quotable and o.kind in PLACES and o.value > 1
                      and (o.end <= q.start or o.start >= q.end) and o.value != q.value
                      and table.each_before(text, o.start) is None), None)
        if other is not None:
            first, second = sorted((q, other), key=lambda c: c.start)
            words = statement if len(text) == len(statement) else text
            return 0, Source("to-confirm", words[first.start:second.end], statement, q.kind, True,
                             table.confirm_label("sites"))
    each = table.each_before(text, q.start) if q.kind not in PLACES else None
    if each is not None:  # 每家店装四个摄像头: per place, times the places the client counted
        return _per_place(q, each, statement, text, item, profile, product, said, table)
    return q.value, Source("statement", q.phrase, statement, q.kind, q.approximate)


def _per_place(q, each: int, statement: str, text: str, item: TariffItem, profile: Profile, product: Product,
               said: tuple[str, ...], table) -> tuple[int, Source]:
    """A count said per place (每家店装四个摄像头, 每间都拉一条宽带) times the places the client
    counted: in the same statement (两家店), else in another they made; none said, to be confirmed
    (the profile's site figure is no count of the places this is for)."""
    words = statement if len(text) == len(statement) else text  # phrases in the client's own characters
    per = words[each:q.end]
    places = [p for p in qty.counts(statement, table) if p.quotable and p.kind in PLACES]
    if places:
        p = min(places, key=lambda p: abs(p.start - each))
        span = words[min(p.start, each):max(p.end, q.end)]
        return q.value * p.value, Source("statement", span, statement, q.kind, q.approximate or p.approximate)
    others = [s for s in (*said, *(st for _c, st in profile.statements())) if s != statement]
    for other in dict.fromkeys(others):
        p = next((p for p in qty.counts(other, table) if p.quotable and p.kind in PLACES), None)
        if p is not None:
            return q.value * p.value, Source("statement", f"{p.phrase}”“{per}", statement, q.kind,
                                             q.approximate or p.approximate)
    confirm = table.confirm_label(basis_of(item), item.unit, product.id)
    return 0, Source("to-confirm", per, statement, q.kind, q.approximate, confirm)


def _heard(item: TariffItem, product: Product, said: tuple[str, ...], table, quotable: bool = True):
    """The first count of what the item counts in the statements (quotable ones, or the vague ones)."""
    if not said:
        return None
    table = table or qty.default_table()
    kinds = table.kinds_for(item.unit, item.per, product.id)
    if not kinds:
        return None
    found = [(kinds.index(q.kind), k, q, s) for k, s in enumerate(said) for q in qty.counts(s, table)
             if q.kind in kinds and (q.quotable if quotable else q.vague)]
    if not found:
        return None
    _, k, q, statement = min(found, key=lambda f: (f[0], f[1], f[2].start))
    text = unicodedata.normalize("NFKC", statement)  # the counts' positions are in the folded text
    if quotable and len(text) == len(statement):  # 两台门机、六台正面吊: a list of counts of one kind is their sum
        for _i, k2, nxt, _s in sorted(found, key=lambda f: (f[1], f[2].start)):
            same = nxt.kind == q.kind or (q.kind in PLACES and nxt.kind in PLACES)  # 三家酒店五家餐厅
            if k2 == k and same and nxt.start > q.start and text[q.end:nxt.start] in LIST_JOINS:
                q = replace(q, value=q.value + nxt.value, phrase=statement[q.start:nxt.end], end=nxt.end,
                            approximate=q.approximate or nxt.approximate)
    return q, statement


LIST_JOINS = ("、", "和", "与", "及", "跟", "还有", "")  # "": said one after the other (三家酒店五家餐厅)


def _to_confirm(item: TariffItem, basis: str, product: Product, said: tuple[str, ...], table,
                profile: Profile | None = None, refused=None) -> Source:
    """A quantity the client did not give: what they did say of it (几十台CNC, 集团领导, 两千多工人,
    三个小区), if anything. ``refused``: a count they gave that is not one of what the line counts."""
    confirm = table.confirm_label(basis, item.unit, product.id)
    if refused is not None:
        q, statement = refused
        return Source("to-confirm", q.phrase, statement, q.kind, q.approximate, confirm)
    vague = _heard(item, product, said, table, quotable=False)
    if vague is not None:
        q, statement = vague
        return Source("to-confirm", q.phrase, statement, q.kind, True, confirm)
    if basis == "terminals":  # a camera: the places or vehicles the client counted, as what to ask about
        counted = _counted_places(said, table, profile)
        if counted is not None:
            q, statement = counted
            return Source("to-confirm", q.phrase, statement, q.kind, q.approximate, confirm)
    kinds = PLACES if basis == "sites" else table.kinds_for(item.unit, item.per, product.id)
    for statement in said:
        # a word of one character (车, 户) or the word the line already says (订户) names nothing new
        named = [n for n in table.names(statement, set(kinds), groups_only=basis == "people")
                 if len(n) > 1 and n not in confirm and n not in table.not_named and not _part_of_word(statement, n)]
        if named:  # the longest; of places the last of equals (景区酒店: 酒店), of people the first (前台)
            return Source("to-confirm", max(reversed(named) if basis == "sites" else named, key=len), statement,
                          basis, False, confirm)
    return Source("to-confirm", None, said[0] if said else None, basis, False, confirm)  # the need it answers


def _counted_places(said: tuple[str, ...], table, profile: Profile | None):
    """The places or vehicles the client counted in the statements (三个小区, 九百多台公交车); for a
    need in moving vehicles (司机开车打瞌睡), the vehicles they counted anywhere (一百六十台车)."""
    for statement in said:
        q = next((q for q in qty.counts(statement, table) if q.quotable and q.kind in (*PLACES, "vehicles")), None)
        if q is not None:
            return q, statement
    moving = next((s for s in said if any(w in s for w in table.on_the_move)), None)
    if profile is not None and moving is not None:
        for _c, statement in profile.statements():
            q = next((q for q in qty.counts(statement, table) if q.quotable and q.kind == "vehicles"), None)
            if q is not None:  # the need's own statement stays the one quoted (the brief asks about it)
                return q, moving
    return None


def _part_of_word(statement: str, noun: str) -> bool:
    """采购单, 销售部: a group's name inside a word for a thing or a department, not the people."""
    k = statement.find(noun)
    return 0 <= k and statement[k + len(noun):k + len(noun) + 1] in tuple("单表款部处科")


def _packages(item: TariffItem, product: Product, said: tuple[str, ...], table) -> tuple[int, Source]:
    """Message packages for the recipients the client named (会员有五万多: one message each a
    month); without a count, one package to start with, adjusted to what is sent."""
    if not item.contains:
        return 1, Source("fixed")
    found = _heard(item, product, said, table)
    if found is None:
        rough = _heard(item, product, said, table, quotable=False)
        if rough is not None and (rough[0].high is None or rough[0].high > item.contains):
            return 0, _to_confirm(item, "messages", product, said, table)  # 一个月发几十万条: not one package
        # 去年发了两万条短信: a number of messages, more than a package, in no month said: asked for
        volume = next(((q, s) for s in said for q in qty.counts(s, table)
                       if q.kind == "messages" and q.quotable and q.value > item.contains), None)
        if volume is not None:
            q, statement = volume
            return 0, Source("to-confirm", q.phrase, statement, q.kind, q.approximate, table.confirm_label("messages"))
        return 1, Source("messages-start")  # nothing said, or few enough (几十个班组长) for one
    q, statement = found
    return max(1, math.ceil(Decimal(q.value) / item.contains)), Source("messages", q.phrase, statement, q.kind,
                                                                     q.approximate)


def items_for(product: Product, said: tuple[str, ...], table: "qty.Table | None" = None
              ) -> list[tuple[TariffItem, tuple[str, ...]]]:
    """The product's price items to quote, each with the statements its quantity is read from.

    A product sold for different things (行业终端: a handheld per worker, a vehicle unit per
    vehicle; ``items_by_statement`` in templates/quantities.yaml) prices its vehicle items for the
    statements that speak of vehicles and its other counted items for the rest, so sixty trucks
    buy sixty vehicle units and no handhelds, and a handheld is not counted by the trucks."""
    items = [it for it in product.tariff_items if not it.optional]
    table = table or qty.default_table()
    split = {basis_of(it) for it in items} & set(table.split_by)
    if not split:
        return [(it, said) for it in items]
    kinds = {k for b in split for k in table.counted_by_per.get(b, ())}

    def about(statement: str) -> bool:
        """Counts vehicles (四十台冷藏车), or names them and counts no people (救护车开到哪了; not
        一百多个运维人员出海，每个人在哪条船上)."""
        found = [q for q in qty.counts(statement, table) if q.quotable]
        if any(q.kind in kinds for q in found):
            return True
        return bool(table.names(statement, kinds)) and not any(q.kind == "people" for q in found)

    naming = tuple(s for s in said if about(s))
    rest = tuple(s for s in said if s not in naming)
    out = []
    for it in items:
        basis = basis_of(it)
        if basis in split:
            if naming or not said:  # a product with no statement (added by the manager): still listed
                out.append((it, naming))
        elif basis == "one" or rest or not naming:
            out.append((it, said if basis == "one" else rest))
    return out


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


@dataclass(frozen=True)
class Said:
    """What the quote knows of the client beyond the profile's figures: the statements each product
    answers, and the manager's quantities by product id."""

    statements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    chosen: dict[str, int] = field(default_factory=dict)
    table: "qty.Table | None" = None
    # current services the proposal expands (新来的员工没加进去): not sold again, but what the
    # expansion costs is a line to confirm, so a first-year total never reads complete without it
    extensions: tuple[tuple[Product, tuple[str, ...]], ...] = ()


def build(profile: Profile, products: list[Product], pricing: Pricing, date: dt.date,
          requested_discount: Decimal | None = None, said: Said | None = None) -> Quote:
    """The quote for these products under the catalog's pricing rules on ``date``."""
    return _build(profile, products, pricing, date, requested_discount, said)


def _build(profile: Profile, products: list[Product], pricing: Pricing, date: dt.date,
           requested_discount: Decimal | None, said: Said | None = None) -> Quote:
    said = said or Said()
    lines: list[Line] = []
    notes: list[str] = []
    for p in products:
        for item, statements in items_for(p, said.statements.get(p.id, ()), said.table):
            if not effective(item, date):
                notes.append(f"{p.name}“{item.name}”资费不在有效期内，未计入报价")
                continue
            n, source = quantity_for(item, profile, p, statements, said.chosen, said.table)
            rule = source.rule
            if rule.endswith("-missing"):
                notes.append(f"{p.name}“{item.name}”按 1 计：档案中没有{'员工数' if 'employees' in rule else '站点数'}")
            if item.up_to is not None and n > item.up_to and rule not in ("choices", "profile"):
                # beyond where the standard price stops (三十几万户的燃气表): a project, priced apart, outside
                # every total; the manager's own quantity (choices, profile) is theirs to stand by
                source = Source("to-confirm", source.phrase, source.statement, "project", source.approximate,
                                "规模")
                rule, n = "to-confirm", 0
            if item.not_for and rule == "statement" and source.phrase and any(w in source.phrase for w in item.not_for):
                # 十几条船: the catalog's vehicle price is no vessel's; the model and its price to be confirmed
                source = Source("to-confirm", source.phrase, source.statement, "unpriced", source.approximate,
                                "型号和价格")
                rule, n = "to-confirm", 0
            # a quantity to be confirmed: one line at the list price, quantity 0, outside every total
            bands = [(0, item.price, "")] if rule == "to-confirm" else _bands(item, n)
            for units, price, band in bands:
                lines.append(Line(p.id, p.name, item.name + (f"（{band}）" if len(bands) > 1 else ""),
                                  units, item.unit, price, item.billing, rule, item.vat, item.floor, p.category,
                                  source=source))
    for p, statements in said.extensions:
        lines += _added_lines(p, statements, said.table, said.chosen.get(p.id))
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
    pending = [ln for ln in lines if ln.to_confirm]
    if pending:
        notes.append(to_confirm_note(pending))
    tax = _tax(lines, pricing)
    budget = profile.budget_monthly
    quote = Quote(date, lines, [d for d in discounts if d.monthly != 0], approvals, tax, budget,
                  profile.current_spend_monthly, notes)
    return quote


def _added_lines(product: Product, said: tuple[str, ...], table, chosen: int | None = None) -> list[Line]:
    """A current service expanded: its counted monthly items at the list price, the number added to
    be confirmed (新增成员数), outside every total; one-off and per-client items are not sold again.
    ``chosen``: the manager's quantity for the product (choices.quantities), the number added."""
    table = table or qty.default_table()
    confirm = table.to_confirm.get("added", "新增数量")
    if chosen is not None:
        return [Line(product.id, product.name, f"{item.name}（新增）", chosen, item.unit, item.price, item.billing,
                     "choices", item.vat, item.floor, product.category, source=Source("choices"))
                for item in product.tariff_items
                if not item.optional and item.billing == "monthly" and basis_of(item) != "one"]
    out = []
    for item in product.tariff_items:
        if item.optional or item.billing != "monthly" or basis_of(item) == "one":
            continue
        source = Source("to-confirm", None, said[0] if said else None, "added", False, confirm)
        out.append(Line(product.id, product.name, f"{item.name}（新增）", 0, item.unit, item.price, item.billing,
                        "to-confirm", item.vat, item.floor, product.category, source=source))
    return out


def to_confirm_note(pending: list[Line]) -> str:
    """The one sentence every document says of the quantities to be confirmed."""
    project = [ln for ln in pending if ln.source and ln.source.kind == "project"]
    unpriced = [ln for ln in pending if ln.source and ln.source.kind == "unpriced"]
    counted = [ln for ln in pending if ln not in project and ln not in unpriced]
    apart = "；".join(filter(None, (
        ("、".join(dict.fromkeys(ln.name for ln in project))
         + "的规模超出标准资费的适用数量，按项目单独报价，由我方项目组另行测算，未计入以上合计") if project else "",
        ("、".join(dict.fromkeys(f"{ln.name}“{ln.item}”" for ln in unpriced))
         + "的标准价不适用于贵单位所说的对象，型号和价格由我方另行报价，未计入以上合计") if unpriced else "")))
    if not counted:
        return apart
    what = "、".join(dict.fromkeys(f"{ln.name}{(ln.source.confirm if ln.source else None) or '数量'}" for ln in counted))
    return (f"{apart}；" if apart else "") + (f"{what}待贵单位确认：{'这' if len(counted) == 1 else '这些'}项按单价列出，未计入以上合计；"
            "确认后按单价乘以实际数量计入")


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
                 budget: Decimal, requested_discount: Decimal | None = None, said: Said | None = None
                 ) -> list[Alternative]:
    """When the recommended bundle is over budget: an essential bundle that fits it, next to the
    recommended one — different prices mean different bundles, not a blind cut (seed 004).

    ``ranked``: (product, need statements it answers, score), best first.
    """
    def variant(products: list[Product]) -> Quote:  # every variant under the same discount request
        return _build(profile, products, pricing, date, requested_discount, said)

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
        out.append(Alternative("essential", "精简版（月费在预算内）", [p.id for p, _n, _s in chosen],
                               [p.name for p, _n, _s in chosen], q.monthly_total, q.first_year_total,
                               sum(n for _p, n, _s in chosen)))
    out.append(Alternative("recommended", "推荐版（完整方案）", [p.id for p, _n, _s in ranked],
                           [p.name for p, _n, _s in ranked], full.monthly_total, full.first_year_total,
                           sum(n for _p, n, _s in ranked)))
    return out


@dataclass
class Phasing:
    """The bundle far over what the client can carry: the part that fits first, the rest later."""

    basis: str                 # budget | bill | size: what the limit comes from
    limit_monthly: Decimal     # what the client can carry per month, first-year cost spread over 12
    phase_1: list[str]         # product ids, in bundle order
    later: list[str]
    phase_1_quote: Quote
    later_quote: Quote         # the later products on their own
    full_monthly: Decimal
    full_first_year: Decimal
    reason: str                # why, in Chinese, with the client's figure


def said_for(rec, table: "qty.Table | None" = None, full=None) -> Said:
    """The statements each pitched product answers, and the manager's quantities by product id.

    ``full``: the whole recommendation, when ``rec`` is the documents' view of it. A product the
    manager added (choices.add) whose links the matcher left 待确认 answers no statement in the view;
    its quantities are read from the statements the matcher linked it to (一百六十台车 -> 160 units)."""
    statements = {m.product.id: tuple(sm.statement for sm in m.statements) for m in rec.products}
    if full is not None:
        linked = {m.product.id: tuple(sm.statement for sm in m.statements) for m in full.products}
        statements = {pid: said or linked.get(pid, ()) for pid, said in statements.items()}
    extensions = tuple((m.product, tuple(sm.statement for sm in m.statements))
                       for m in getattr(rec, "extensions", ()) or ())
    wanted = {name_key(str(k)): n for k, n in rec.profile.choices.quantities.items()}
    chosen = {}
    for m in (*rec.products, *(getattr(rec, "extensions", ()) or ())):  # a current service expanded too
        key = next((name_key(x) for x in (m.product.id, *m.product.names) if name_key(x) in wanted), None)
        if key is not None:
            chosen[m.product.id] = wanted[key]
    return Said(statements, chosen, table, extensions)


def for_recommendation(rec, pricing: Pricing | None, date: dt.date, table: "qty.Table | None" = None,
                       rules: "worth.Rules | None" = None, full=None) -> Quote:
    """The offer for a recommendation's new products (extensions of current services are not sold
    again): quantities from what the client said, alternative bundles when the budget is tight,
    the bundle that fits first when the whole is far over the client's budget or size, and what
    it saves or brings in the client's own figures."""
    rec = _priced(rec)
    pricing = pricing or Pricing()
    products = [m.product for m in rec.products]
    said = said_for(rec, table, full)
    q = build(rec.profile, products, pricing, date, rec.profile.requested_discount, said)
    if q.budget is not None and q.monthly_total > q.budget and len(products) > 1:
        ranked = [(m.product, len(m.statements), m.score) for m in rec.products]
        q.alternatives = alternatives(rec.profile, ranked, pricing, date, q.budget, rec.profile.requested_discount,
                                      said)
    rules = rules or worth.default_rules()
    q.value = worth.estimate(_offerings(rec, q), [s for _c, s in rec.profile.statements()],
                             rec.profile.current_spend_monthly, rules, said.table)
    q.phasing = phasing(rec, q, pricing, date, said, rules)
    return q


def _priced(rec):
    """The recommendation as priced: a product set aside as an alternative to another that answers the
    same needs (pitchcraft.match.alternatives) is named in the documents as an option, never priced."""
    kept = [m for m in rec.products if not getattr(m, "alternative_to", None)]
    return rec if len(kept) == len(rec.products) else replace(rec, products=kept)


def _offerings(rec, q: Quote) -> list[worth.Offering]:
    net: dict[str, Decimal] = {}
    for ln in q.lines:
        net[ln.product_id] = net.get(ln.product_id, ZERO) + ln.monthly - ln.discount
    return [worth.Offering(m.product.id, m.product.name, tuple(sm.statement for sm in m.statements),
                           net.get(m.product.id, ZERO)) for m in rec.products]


def client_limit(profile: Profile, statements: list[str], rules: "worth.Rules",
                 table: "qty.Table | None" = None) -> tuple[str, Decimal, str] | None:
    """What the client can carry per month, and from which of their figures: the budget; else
    today's bill (profile or statements) times a factor; else a per-person amount of the staff."""
    if profile.budget_monthly is not None:
        return "budget", profile.budget_monthly * rules.budget_factor, f"贵单位的月度预算 {cny(profile.budget_monthly)} "
    bill = profile.current_spend_monthly
    words = None
    if bill is None:
        for s in statements:
            a = next((a for a in qty.amounts(s, table) if a.subject == "bill" and not a.vague and a.monthly()), None)
            if a is not None:
                bill, words = fen(a.monthly()), a.phrase
                break
    if bill:
        said = f"贵单位目前的话费（“{words}”）" if words else f"贵单位目前每月通信支出 {cny(bill)} "
        return "bill", bill * rules.bill_factor, said
    if profile.employees:
        return "size", Decimal(profile.employees) * rules.per_person_month, f"贵单位 {profile.employees} 人的规模"
    return None


def phasing(rec, q: Quote, pricing: Pricing, date: dt.date, said: Said, rules: "worth.Rules") -> Phasing | None:
    """When the full bundle is far over the client's budget or size: the products that fit, led
    by the manager's picks and the needs most asked for, and the rest as a later step."""
    if len(rec.products) < 2:
        return None
    limit = client_limit(rec.profile, [s for _c, s in rec.profile.statements()], rules, said.table)
    if limit is None:
        return None
    basis, monthly_limit, words = limit
    if basis == "size":
        return None  # a headcount says nothing of what the client can spend: no staging on a guess
    if q.first_year_total <= 12 * monthly_limit:
        return None

    def cost(products: list[Product]) -> Quote:
        return _build(rec.profile, products, pricing, date, rec.profile.requested_discount, said)

    alone = {m.product.id: cost([m.product]).first_year_total for m in rec.products}
    order = sorted(rec.products, key=lambda m: (not getattr(m, "chosen", False), -len(m.statements),
                                                alone[m.product.id]))
    first: list[Product] = [m.product for m in order if getattr(m, "chosen", False)]
    # the need the client raised first is the most urgent: its product is in the first step
    said_order = [s for _c, s in rec.profile.statements()]
    rank = {s: i for i, s in enumerate(said_order)}
    urgent = min(rec.products, key=lambda m: min((rank.get(sm.statement, len(rank)) for sm in m.statements),
                                                 default=len(rank)), default=None)
    if urgent is not None and urgent.statements and urgent.product not in first:
        first.append(urgent.product)
    for m in order:
        if m.product in first:
            continue
        trial = cost(first + [m.product])
        if trial.first_year_total <= 12 * monthly_limit:
            first.append(m.product)
    if not first:
        first = [min(order, key=lambda m: (alone[m.product.id], -len(m.statements))).product]
    ids = {p.id for p in first}
    later = [m.product for m in rec.products if m.product.id not in ids]
    if not later:
        return None
    first = [m.product for m in rec.products if m.product.id in ids]  # bundle order
    phase_q, later_q = cost(first), cost(later)
    # a first year is held against a year of the budget, never against one month of it
    held = f"高于按{words}折算的一年 {cny(q.year_budget)}" if basis == "budget" \
        else f"与{words}相比明显偏高"
    reason = (f"完整方案首年 {cny(q.first_year_total)}，{held}；"
              f"建议先开通最急需的 {len(first)} 项（首年 {cny(phase_q.first_year_total)}），其余作为下一步")
    return Phasing(basis, fen(monthly_limit), [p.id for p in first], [p.id for p in later], phase_q, later_q,
                   q.monthly_total, q.first_year_total, reason)


def rule_label(rule: str) -> str:
    if rule.startswith("employeesx") or rule.startswith("sitesx"):
        basis, share = rule.split("x", 1)
        return f"{QUANTITY_RULES[basis]}×{Decimal(share):.0%}"
    return QUANTITY_RULES[rule]


def basis_label(source: Source) -> str:
    """按客户所说“六十多辆集卡” when the client gave the number, else the rule's label."""
    if source.rule == "statement" and source.phrase:
        ends = "" if source.ends is None else f"，另加{source.ends} 1 端" if source.ends else "，各 1 端"
        return f"{QUANTITY_RULES['statement']}“{source.phrase}”{ends}"
    if source.rule == "to-confirm" and source.kind == "project":
        return f"客户所说“{source.phrase}”超出标准资费的适用数量，按项目单独报价，未计入合计"
    if source.rule == "to-confirm":
        said = f"客户提到“{source.phrase}”，" if source.phrase else ""
        return f"{said}{source.confirm or '数量'}待确认，未计入合计"
    if source.rule == "messages" and source.phrase:
        return f"按客户所说“{source.phrase}”，每月各 1 条折算"
    return rule_label(source.rule)


# How a document sent to the client names each rule: in plain words, with the client's own figure
# (员工480人×20%: short, the quote's column is narrow), never the manager's shorthand (档案指定,
# 按员工数×20%). The manager set a choices quantity and stands by it; nothing says the client agreed.
CLIENT_RULE_LABELS = {
    "fixed": "固定 1 套",
    "profile": "贵单位提供的数量",
    "choices": "客户经理核定",
    "statement": "贵单位所说“{phrase}”",
    "statement-ends": "贵单位所说“{phrase}”，各 1 端",  # a private line: each place it joins is one end
    "statement-ends-hub": "贵单位所说“{phrase}”及{hub}，各 1 端",
    "to-confirm-added": "现有业务新增部分，{confirm}待确认",
    "employees": "全体员工 {n} 人",  # every number: 彩铃 always; V网 when the client named no group
    "employees-share": "员工{n}人×{share}",  # no spaces: one line in the narrow column
    "sites": "{n} 个站点",
    "sites-each": "{n} 个站点各 1 台",  # a terminal per site (a camera, a meeting-room set)
    "sites-ends": "{n} 个站点各 1 端",  # a private line joining every site
    "sites-share": "{n}个站点×{share}",
    "employees-missing": "暂按 1 计，人数待确认",
    "sites-missing": "暂按 1 计，站点数待确认",
    # the client gave no count: priced per unit, outside the totals, with what they did say
    # (short: the quantity column says 待确认 and the amount 未计入; the note under the table says why)
    "to-confirm": "{confirm}待贵单位确认",
    "to-confirm-said": "贵单位提到“{phrase}”，{confirm}待确认",
    # a count beyond where the item's standard price stops (catalog ``up_to``)
    "to-confirm-unpriced": "贵单位所说“{phrase}”不在此标准价的适用范围内，型号和价格待确认",
    "to-confirm-project": "{phrase}的规模按项目单独报价，由我方项目组另行测算",
    "messages": "贵单位所说“{phrase}”，每人每月 1 条",
    "messages-start": "先按每月 1 包，按实际发送量调整",
}


def client_basis_label(source: Source, employees: int | None = None, sites: int | None = None) -> str:
    """:func:`basis_label` as the client reads it, with the headcount or site count it rests on."""
    rule, share = source.rule, ""
    if "x" in rule and rule.split("x", 1)[0] in ("employees", "sites"):
        rule, ratio = rule.split("x", 1)
        share = f"{Decimal(ratio):.0%}"
    n = employees if rule == "employees" else sites if rule == "sites" else None
    if rule in ("employees", "sites") and n is None:
        return basis_label(source)  # the figure is not at hand: the rule alone
    if rule == "statement" and not source.phrase:
        return CLIENT_RULE_LABELS["profile"]
    if rule == "messages" and not source.phrase:
        rule = "messages-start"
    key = f"{rule}-share" if share else "to-confirm-added" if rule == "to-confirm" and source.kind == "added" \
        else f"to-confirm-{source.kind}" if rule == "to-confirm" and source.kind in ("project", "unpriced") \
        and source.phrase \
        else f"{rule}-said" if rule == "to-confirm" and source.phrase \
        else "sites-each" if rule == "sites" and source.kind == "terminal" else rule
    if key == "statement" and source.ends is not None:
        key = "statement-ends-hub" if source.ends else "statement-ends"
    elif key == "sites" and source.ends is not None:
        key = "sites-ends"
    if key not in CLIENT_RULE_LABELS:
        return basis_label(source)
    return CLIENT_RULE_LABELS[key].format(hub=source.ends, n=n, share=share, phrase=source.phrase, confirm=source.confirm or "数量")


def _source_json(ln: Line) -> dict:
    src = ln.source or Source(ln.rule)
    return {"rule": src.rule, "basis": basis_label(src), "phrase": src.phrase, "statement": src.statement,
            "counts": src.kind, "approximate": src.approximate, "to_confirm": src.confirm}


def _phasing_json(ph: Phasing | None) -> dict | None:
    if ph is None:
        return None
    pq, lq = ph.phase_1_quote, ph.later_quote
    return {"basis": ph.basis, "limit_monthly": f"{ph.limit_monthly:.2f}", "reason": ph.reason,
            "full_monthly": f"{ph.full_monthly:.2f}", "full_first_year": f"{ph.full_first_year:.2f}",
            "phase_1": {"products": ph.phase_1, "quote": _totals_json(pq)},
            "later": {"products": ph.later, "monthly_total": f"{lq.monthly_total:.2f}",
                      "one_off_total": f"{lq.one_off_total:.2f}", "first_year_total": f"{lq.first_year_total:.2f}"}}


def _totals_json(q: Quote) -> dict:
    return {"lines": [{"product_id": ln.product_id, "item": ln.item, "quantity": ln.quantity,
                       "monthly": f"{ln.monthly:.2f}", "one_off": f"{ln.one_off:.2f}", "rule": ln.rule}
                      for ln in q.lines],
            "monthly_total": f"{q.monthly_total:.2f}", "one_off_total": f"{q.one_off_total:.2f}",
            "first_year_total": f"{q.first_year_total:.2f}"}


def to_json(q: Quote) -> dict:
    """The ``quote`` object of contracts/cli.md (money as strings with two decimals)."""
    return {
        "currency": "CNY",
        "date": q.date.isoformat(),
        "lines": [{"product_id": ln.product_id, "name": ln.name, "item": ln.item, "quantity": ln.quantity,
                   "unit": ln.unit, "unit_price": f"{ln.unit_price:.2f}", "monthly": f"{ln.monthly:.2f}",
                   "one_off": f"{ln.one_off:.2f}", "rule": ln.rule, "vat": ln.vat, "to_confirm": ln.to_confirm,
                   "source": _source_json(ln)} for ln in q.lines],
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
        "phasing": _phasing_json(q.phasing),
        "value": worth.to_json(q.value),
        "value_monthly_saving": None if worth.monthly_saving(q.value) is None
        else f"{worth.monthly_saving(q.value):.2f}",
    }
