"""The product catalog: products with their tariffs, the pricing rules, and the catalog as a whole.

Each thing is one frozen dataclass whose fields are declared with their spec in the file
(:func:`pitchcraft.model.spec.declared`); the validation of a file, the JSON Schema for editors
(:mod:`pitchcraft.content.schemas`) and the builder are derived from it. The descriptions are the
hover texts product managers see in VS Code, hence in Chinese.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from ..yamlsrc import Located
from .money import ZERO
from .spec import (INVALID, Boolean, Choice, Ctx, Date, Field, Fraction, Integer, Layout, ListOf, MapOf, Money, Record,
                   Section, Text, TypedRecord, build, declared, spec_of)
from .vocab import (BILLING, CASE_ID, CATEGORY_NAMES, INDUSTRIES, INDUSTRY_CHOICE, INDUSTRY_OR_ALL, INFORMATIZATION,
                    PRODUCT_ID, PRODUCT_STATUS_NAMES, QUANTITY_BASES, SIZES, TIERS, UNITS, VAT_CLASSES, WAIVERS_SPEC,
                    with_synonyms)

# --- catalog ----------------------------------------------------------------------------------


def _price(description: str) -> Money:
    return Money(negative_rule="tariff-negative", description=description)


@dataclass(frozen=True)
class PriceTier:
    """From this quantity on, each further unit costs ``price`` (graduated, like tax brackets)."""

    from_quantity: int = declared(Integer(minimum=2, description="从第几个单位起"), required=True, at="from")
    price: Decimal = declared(_price("此后每单位价格（元）"), required=True)


def _by_quantity(tiers: tuple[PriceTier, ...]) -> tuple[PriceTier, ...]:
    return tuple(sorted(tiers, key=lambda t: t.from_quantity))


@dataclass(frozen=True)
class TariffItem:
    name: str = declared(Text(max_len=50, description="资费项目名称"), required=True)
    price: Decimal = declared(_price("标准价格（元，含税），写成 \"5.00\""), required=True)
    unit: str = declared(Choice(with_synonyms(UNITS), "计费单位", rule="tariff-unit",
                                description="计费单位：" + "、".join(f"{k} {v}" for k, v in UNITS.items())),
                         required=True)
    billing: str = declared(Choice(with_synonyms(BILLING), "计费方式", description="计费方式：monthly 月付、one_off 一次性"),
                            required=True)
    effective: dt.date | None = declared(Date(description="生效日期，如 2026-01-01"), default=None)
    expires: dt.date | None = declared(Date(description="失效日期，如 2027-12-31；过期的资费不能再报价"), default=None)
    tiers: tuple[PriceTier, ...] = declared(
        ListOf(spec_of(PriceTier), description="阶梯价：超过一定数量后的单价（逐级计算）"), default=(),
        build=_by_quantity)
    # lowest unit price any discount may reach
    floor: Decimal | None = declared(_price("最低价：任何折扣后单价不得低于此价"), default=None)
    # VAT class: basic | value_added | goods
    vat: str = declared(Choice(with_synonyms(VAT_CLASSES), "增值税类别",
                               description="增值税类别：basic 基础电信服务、value_added 增值电信服务、goods 销售货物（终端设备）"),
                        default="value_added")
    # quantity basis overriding the unit's: employees | sites | one | people | subscribers | vehicles |
    # devices | rooms | messages (quote.quantity_for)
    per: str | None = declared(Choice(with_synonyms(QUANTITY_BASES), "数量依据",
                                      description="数量按什么计：employees 全体员工、sites 站点数、one 固定 1；"
                                                  "people 客户点名的使用人员、subscribers 订户、vehicles 车辆、"
                                                  "devices 设备、rooms 会议室（这五种只按客户说的数，没说就写“待确认”、不计入合计）；"
                                                  "messages 按客户说的发送对象折算短信包（须写 contains）"),
                               default=None)
    # part of the basis that needs it (e.g. 0.2 of the staff): an estimate shown as one (员工480人×20%)
    share: Decimal | None = declared(Fraction(description="按员工数或站点数估算时的比例，如 0.2 表示 20% 的员工；"
                                                          "报价会写成“员工480人×20%”。只有一部分人使用的产品请改用 per: people"),
                                     default=None)
    # a package's size (10000 条): how many recipients one package serves a month
    contains: int | None = declared(Integer(minimum=1, maximum=10_000_000,
                                            description="每包含多少条（短信包写 10000）；per: messages 按它折算包数"),
                                    default=None)
    # where the standard price stops: a larger count is a project, priced apart (quote: outside the totals)
    up_to: int | None = declared(Integer(minimum=1, maximum=10_000_000,
                                         description="标准价适用的最大数量：客户说的数量超过它时，这一项写“按项目单独报价”、"
                                                     "不计入合计（如物联网卡写 5000）"),
                                 default=None)
    # what the standard price is not for (a vehicle terminal's price is no vessel's): counted in these words,
    # the line is to be confirmed, never priced as the catalog's thing
    not_for: tuple[str, ...] = declared(
        ListOf(Text(max_len=10), description="标准价不适用的对象：客户所说的数量里有这些词（如车载终端写 [船, 艘]）时，"
                                             "这一项写“型号和价格待确认”、不计入合计"),
        default=())
    # an alternative (e.g. a larger circuit): listed, not quoted
    optional: bool = declared(Boolean(description="可选档位（如更大带宽）：资费表列出，报价不计入"), default=False)

    layout: ClassVar[Layout] = Layout(description="一项资费")


def _commitment(description: str, max_len: int = 40, **kw) -> Text:
    return Text(max_len=max_len, description=description, **kw)


@dataclass(frozen=True)
class ServiceLevel:
    """What the operator commits to for a product: the proposal's 服务保障 table shows only these."""

    provision: str | None = declared(_commitment("开通时限，如 5个工作日"), default=None)
    response: str | None = declared(_commitment("故障响应，如 4小时响应（7×24 小时受理是全部业务的标准，不必重复）"),
                                    default=None)
    restore: str | None = declared(_commitment("故障恢复时限，如 4小时"), default=None)
    availability: str | None = declared(_commitment("可用率，如 99.9%", max_len=20, accept_numbers=True), default=None)

    layout: ClassVar[Layout] = Layout(description="服务等级：建议书“服务保障”一章按产品列出，只写确实承诺的项目")


SERVICE_LEVEL_FIELDS = {"provision": "开通时限", "response": "故障响应", "restore": "故障恢复",
                        "availability": "可用率"}


def _committed(level: ServiceLevel) -> ServiceLevel | None:
    """A service level that commits to nothing is no service level."""
    return level if any(vars(level).values()) else None


def _pairs(faq: tuple[dict, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((f["q"], f["a"]) for f in faq)


_FAQ = Record({
    "q": Field(Text(max_len=100, description="客户常问的问题"), required=True),
    "a": Field(Text(max_len=300, description="如实的回答"), required=True),
})


# The client-facing texts of a product that an industry may have in its own words (industry_copy).
COPY_FIELDS = ("summary", "how_it_works", "benefits", "faq")


@dataclass(frozen=True)
class IndustryCopy:
    """A product's texts as clients of some industries read them, in place of the default ones.

    The default texts go to every industry, so they name no industry's systems, places or people;
    what only one industry runs (a hospital's 检验报告, a gas utility's 调压站) is written here. Each
    text left out stays the default. ``match`` narrows the entry to clients whose name holds one of
    its words, for an industry key that holds unlike clients (a gas company and a funeral home are
    both utilities)."""

    industries: tuple[str, ...] = declared(
        ListOf(INDUSTRY_CHOICE, min_items=1, description="这段说法给哪些行业的客户看：行业键或中文名，如 [utilities, energy]"),
        required=True)
    match: tuple[str, ...] = declared(
        ListOf(Text(max_len=20), description="可选：只给名称中含这些词之一的客户看，如 [燃气]；不写则给上述行业的全部客户"),
        default=())
    summary: str | None = declared(Text(max_len=300, description="这些行业看到的一句话解释"), default=None)
    how_it_works: str | None = declared(Text(max_len=2000, multiline=True, description="这些行业看到的实现原理"),
                                        default=None)
    benefits: tuple[str, ...] = declared(
        ListOf(Text(max_len=200), min_items=1, description="这些行业看到的价值，2–4 条；第一个分句可能成为标题"), default=())
    faq: tuple[tuple[str, str], ...] = declared(ListOf(_FAQ, description="这些行业的常见问题及回答"), default=(),
                                                build=_pairs)

    layout: ClassVar[Layout] = Layout(description="按客户所在行业改写的产品说明（只写要改的那几项）")

    def fits(self, industry: str, client_name: str) -> bool:
        return industry in self.industries and (not self.match or any(m in client_name for m in self.match))


class _CopyRecord(TypedRecord):
    """An industry_copy entry: a text written but left empty (``summary:``) is an error, not the
    default silently kept; an entry that changes no text says nothing."""

    def check(self, value, path, ctx):
        bad = False
        if isinstance(value, dict):
            for key in COPY_FIELDS:
                if key in value and value[key] is None:  # the field specs report "" and []
                    ctx.error(path + (key,), "不能为空：写出这个行业的说法，或删掉这一项（删掉后用默认说法）")
                    bad = True
            if not any(key in value for key in COPY_FIELDS):
                ctx.error(path, "没有要改写的内容：至少写 summary、how_it_works、benefits、faq 中的一项")
                bad = True
        checked = super().check(value, path, ctx)
        return INVALID if bad else checked


class _Entries(ListOf):
    """A list whose items all have to be valid: one broken entry makes the field invalid, so the
    entries checked afterwards keep their index in the file."""

    def check(self, value, path, ctx):
        items = self.check_items(value, path, ctx)
        if items is INVALID or len(items) < len(value or ()):
            return INVALID
        return [v for _i, v in items]


_BASE_COPY = spec_of(IndustryCopy)
INDUSTRY_COPY_SPEC = _Entries(
    _CopyRecord(_BASE_COPY.fields, unknown=_BASE_COPY.unknown, description=_BASE_COPY.description, of=IndustryCopy),
    description="可选：按客户所在行业改写一句话解释、实现原理、价值和常见问题；按顺序取第一条适用的，没有适用的用默认说法")


def _check_industry_copy(out: dict, path: tuple, ctx: Ctx) -> None:
    """Each industry_copy entry can reach a client: its industries are the product's, and no earlier
    entry for all of an industry's clients takes them first. Unread text harms no client, so these
    are warnings: a product narrowed to fewer industries still generates."""
    applies = out.get("industries") or ()
    covered: dict[str, int] = {}  # industry -> the entry (without match) that serves all its clients
    for j, entry in enumerate(out.get("industry_copy") or ()):
        for k, key in enumerate(entry["industries"]):
            at = path + ("industry_copy", j, "industries", k)
            if "all" not in applies and key not in applies:
                ctx.warn(at, f"本产品的适用行业（industries）中没有{INDUSTRIES[key]}（{key}），这段说法不会被用到；"
                              "请改行业，或先把它加入 industries")
            elif key in covered:
                ctx.warn(at, f"{INDUSTRIES[key]}（{key}）的客户已由第 {covered[key] + 1} 条说法（industry_copy[{covered[key]}]）"
                              "全部覆盖，这一条不会被用到；带 match 的条目要写在不带 match 的前面")
            elif not entry["match"]:
                covered[key] = j


@dataclass(frozen=True)
class Product:
    id: str = declared(PRODUCT_ID, required=True)
    name: str = declared(Text(max_len=50, description="产品名称；改名时把旧名称留在 aliases 里，老档案照样能认出"),
                         required=True)
    aliases: tuple[str, ...] = declared(ListOf(Text(max_len=50), description="别名、旧名称；不能与其他产品的名称或别名相同"),
                                        absent=list)
    category: str = declared(Choice(CATEGORY_NAMES, "产品类别",
                                    "需求类别：basic_comms 基础通信、mobile_office 移动办公、production_control 生产控制、"
                                    "marketing 服务营销"), required=True)
    status: str = declared(Choice(PRODUCT_STATUS_NAMES, "状态", "状态：active 在售、retired 已下线（不再推荐）"),
                           absent="active")
    replaced_by: str | None = declared(Text(max_len=60, pattern=PRODUCT_ID.pattern, pattern_hint=PRODUCT_ID.pattern_hint,
                                            description="已下线产品的替代产品 id"))
    summary: str = declared(Text(max_len=300, description="一句话解释"), required=True)
    how_it_works: str = declared(Text(max_len=2000, multiline=True, description="实现原理，2–4 句"), required=True)
    benefits: tuple[str, ...] = declared(ListOf(Text(max_len=200), min_items=1, description="给客户带来的价值，2–4 条"),
                                         required=True)
    # ("all",) or industry keys
    industries: tuple[str, ...] = declared(ListOf(INDUSTRY_OR_ALL, min_items=1, description="适用行业：[all] 或行业列表"),
                                           required=True)
    sizes: tuple[str, ...] = declared(
        ListOf(Choice({k: k for k in SIZES}, "规模"), min_items=1,
               description="适合的规模：small 100 人以下、medium 100–999 人、large 1000 人及以上"),
        at="fit.sizes", absent=lambda: list(SIZES))
    tiers: tuple[str, ...] = declared(ListOf(Choice(TIERS.lookup, "价值等级"), min_items=1,
                                             description="适合的客户价值等级：A、B、C"),
                                      at="fit.tiers", absent=lambda: list(TIERS))
    informatization: str = declared(Choice(with_synonyms(INFORMATIZATION), "信息化程度",
                                           "信息化程度：basic 基础、intermediate 进阶、advanced 深度"), required=True)
    promotion: str = declared(Text(max_len=1000, multiline=True, description="推广策略"), required=True)
    client_phrases: tuple[str, ...] = declared(
        ListOf(Text(max_len=200), min_items=1, description="客户描述问题时的原话（不写产品名），8–15 条；用于匹配"),
        required=True)
    keywords: tuple[str, ...] = declared(ListOf(Text(max_len=20), description="客户常说的短词；* 代表最多 8 个字"),
                                         absent=list)
    tariff_summary: str = declared(Text(max_len=200, description="资费一句话说明"), required=True, at="tariff.summary")
    tariff_items: tuple[TariffItem, ...] = declared(ListOf(spec_of(TariffItem), description="资费项目"),
                                                    at="tariff.items", absent=list)
    related_cases: tuple[str, ...] = declared(ListOf(CASE_ID, description="相关案例 id"), absent=list)
    line: int | None = field(default=None, compare=False)
    # product ids that must be ordered with this one
    requires: tuple[str, ...] = declared(ListOf(PRODUCT_ID, description="必须同时开通的产品 id"), default=())
    # product ids that cannot be ordered with this one
    excludes: tuple[str, ...] = declared(ListOf(PRODUCT_ID, description="不能同时开通的产品 id"), default=())
    # (question, answer): what clients ask, for the speaker notes
    faq: tuple[tuple[str, str], ...] = declared(
        ListOf(_FAQ, description="常见问题及回答，2–3 条；写进汇报材料的讲稿备注"), default=(), build=_pairs)
    service_level: ServiceLevel | None = declared(spec_of(ServiceLevel), default=None, build=_committed)
    # the texts in an industry's own words, tried in order (copy_for)
    industry_copy: tuple[IndustryCopy, ...] = declared(INDUSTRY_COPY_SPEC, default=())

    layout: ClassVar[Layout] = Layout(
        description="产品图谱中的一个产品",
        sections={"fit": Section("客户属性", required=True), "tariff": Section("资费", required=True)},
        extra={"waivers": Field(WAIVERS_SPEC, default=list)},
        check_all=_check_industry_copy)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def active(self) -> bool:
        return self.status == "active"

    def fits_industry(self, industry: str) -> bool:
        return "all" in self.industries or industry in self.industries

    def copy_for(self, industry: str, client_name: str = "") -> Product:
        """The product with the texts a client of ``industry`` reads: those of the first
        :class:`IndustryCopy` that fits it, the default ones where that entry writes none."""
        entry = next((c for c in self.industry_copy if c.fits(industry, client_name)), None)
        if entry is None:
            return self
        return dataclasses.replace(self, summary=entry.summary or self.summary,
                                   how_it_works=entry.how_it_works or self.how_it_works,
                                   benefits=entry.benefits or self.benefits, faq=entry.faq or self.faq)

    def texts(self) -> list[str]:
        """Every client-facing text of the product, default and per industry (for the checks)."""
        out = [self.summary, self.how_it_works, *self.benefits, *(x for qa in self.faq for x in qa)]
        for c in self.industry_copy:
            out += [t for t in (c.summary, c.how_it_works) if t]
            out += [*c.benefits, *(x for qa in c.faq for x in qa)]
        return out


def build_product(data: dict, line: int | None) -> Product:
    """A product from data :data:`PRODUCT_SPEC` validated, with its line in the file."""
    return build(Product, data, line=line)


# --- pricing rules from the catalog -----------------------------------------------------------


@dataclass(frozen=True)
class Bundle:
    id: str = declared(Text(max_len=60, pattern=r"[a-z][a-z0-9-]*", pattern_hint="小写字母、数字和连字符"), required=True)
    name: str = declared(Text(max_len=40, description="组合名称"), required=True)
    products: tuple[str, ...] = declared(ListOf(PRODUCT_ID, min_items=2, description="同时办理即享优惠的产品 id"),
                                         required=True)
    # fraction of list price, e.g. 0.10
    discount: Decimal = declared(Fraction(maximum=Decimal("0.9"), description="月费折让比例，如 0.10"), required=True)


@dataclass(frozen=True)
class Authority:
    role: str = declared(Text(max_len=20, description="岗位，如 客户经理"), required=True)
    max_discount: Decimal = declared(Fraction(description="可自行给出的最大折让，如 0.05"), required=True)


DEFAULT_VAT_RATES = {"basic": Decimal("0.09"), "value_added": Decimal("0.06")}
DEFAULT_AUTHORITY = (Authority("客户经理", Decimal("0.05")),)


def _with_default_rates(rates: dict[str, Decimal]) -> dict[str, Decimal]:
    """The catalog's VAT rates, the default ones for the classes it does not name."""
    return {**DEFAULT_VAT_RATES, **rates}


def _or_default_authority(authority: tuple[Authority, ...]) -> tuple[Authority, ...]:
    return authority or DEFAULT_AUTHORITY


@dataclass(frozen=True)
class Pricing:
    """The quote rules (``pricing:``); where the catalog says nothing, the defaults apply."""

    vat_rates: dict[str, Decimal] = declared(
        MapOf(Fraction(maximum=Decimal("0.5")), description="增值税率：basic、value_added"),
        default_factory=lambda: dict(DEFAULT_VAT_RATES), absent=dict, build=_with_default_rates)
    bundles: tuple[Bundle, ...] = declared(ListOf(spec_of(Bundle), description="组合优惠"), default=())
    authority: tuple[Authority, ...] = declared(
        ListOf(spec_of(Authority), description="折让权限：从客户经理开始，由低到高"),
        default=DEFAULT_AUTHORITY, absent=list, build=_or_default_authority)
    # Quotes are built for one bundle at a time; what-if bundles (alternatives) reuse this.

    layout: ClassVar[Layout] = Layout(description="报价规则：税率、折让权限、组合优惠", order=("vat_rates", "authority"))

    @property
    def manager_limit(self) -> Decimal:
        return self.authority[0].max_discount if self.authority else ZERO


def build_pricing(data: dict | None) -> Pricing:
    """The catalog's ``pricing`` section as quote rules (defaults where it says nothing)."""
    return build(Pricing, data) if data else Pricing()


# --- the catalog as a whole -------------------------------------------------------------------


@dataclass
class Catalog:
    products: tuple[Product, ...] = declared(ListOf(spec_of(Product), min_items=1, description="产品列表"),
                                             required=True)
    out_of_scope: tuple[str, ...] = declared(
        ListOf(Text(max_len=200), description="没有任何通信/信息化产品能解决的需求原话，匹配时留在“暂无对应产品”中"),
        absent=list)
    out_of_scope_cues: tuple[str, ...] = declared(
        ListOf(Text(max_len=30), description="上述需求的短提示词；* 代表最多 8 个字"), absent=list)
    file: Path
    checksum: str
    by_id: dict[str, Product] = field(default_factory=dict)
    by_name: dict[str, Product] = field(default_factory=dict)
    src: Located | None = field(default=None, repr=False, compare=False)  # positions, for later checks
    pricing: Pricing | None = declared(spec_of(Pricing), default=None, repr=False)  # quote rules (pricing:)
    index_of: dict[str, int] = field(default_factory=dict, repr=False)      # product id -> index in the file

    layout: ClassVar[Layout] = Layout(
        description="产品图谱（catalog/products.yaml）",
        order=("catalog", "out_of_scope", "out_of_scope_cues", "pricing", "products"),
        extra={"catalog": Field(Record({"name": Field(Text(description="产品图谱名称")),
                                        "version": Field(Text(accept_numbers=True, description="版本，如 \"2026.11\""))},
                                       description="目录信息"))})

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.products}
        self.by_name = {}
        for p in self.products:
            for n in p.names:
                self.by_name.setdefault(name_key(n), p)

    def resolve(self, name: str) -> Product | None:
        """A product by id, name or alias (case, width and space insensitive).

        A renamed product keeps its old name among its aliases, so profiles written before the
        rename still find it.
        """
        return self.by_id.get(name.strip()) or self.by_name.get(name_key(name))

    @property
    def active_products(self) -> tuple[Product, ...]:
        return tuple(p for p in self.products if p.active)


def name_key(name: str) -> str:
    """How names are compared: full-width folded to half-width, case and white space ignored."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()  # split() drops what regex \s matches


# The catalog file's spec (validation, JSON Schema), derived from the declarations above. The
# products are validated one by one (PRODUCTS_SPEC), so each keeps its index in the file (and its
# line) even when a product before it is broken; the header is the rest.
CATALOG_SPEC = spec_of(Catalog)
PRODUCTS_SPEC = CATALOG_SPEC.fields["products"].spec
PRODUCT_SPEC = spec_of(Product)
TARIFF_ITEM_SPEC = spec_of(TariffItem)
CATALOG_HEADER_FIELDS = {k: f for k, f in CATALOG_SPEC.fields.items() if k != "products"}
