"""The product catalog: products with their tariffs, the pricing rules, and the catalog as a whole.

Each thing has one spec (see :mod:`pitchcraft.model.spec`) that validates a file's data and one
frozen dataclass the rest of the pipeline works with. The specs are also exported as JSON Schema
for editors (:mod:`pitchcraft.content.schemas`); their descriptions are the hover texts product
managers see in VS Code, hence in Chinese.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..yamlsrc import Located
from .money import ZERO
from .spec import Field, Fraction, ListOf, Money, Record, Text, Boolean, Choice, Date, Integer, MapOf
from .vocab import (BILLING, CASE_ID, CATEGORY_NAMES, INDUSTRY_OR_ALL, INFORMATIZATION, PRODUCT_ID,
                    PRODUCT_STATUS_NAMES, QUANTITY_BASES, SIZES, TIERS, UNITS, VAT_CLASSES, WAIVERS_SPEC,
                    with_synonyms)

# --- catalog ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceTier:
    """From this quantity on, each further unit costs ``price`` (graduated, like tax brackets)."""

    from_quantity: int
    price: Decimal


@dataclass(frozen=True)
class TariffItem:
    name: str
    price: Decimal
    unit: str
    billing: str
    effective: dt.date | None = None
    expires: dt.date | None = None
    tiers: tuple[PriceTier, ...] = ()
    floor: Decimal | None = None        # lowest unit price any discount may reach
    vat: str = "value_added"            # VAT class: basic | value_added
    per: str | None = None              # quantity basis overriding the unit's: employees | sites | one
    share: Decimal | None = None        # part of the basis that needs it (e.g. 0.2 of the staff)
    optional: bool = False              # an alternative (e.g. a larger circuit): listed, not quoted


@dataclass(frozen=True)
class ServiceLevel:
    """What the operator commits to for a product: the proposal's 服务保障 table shows only these."""

    provision: str | None = None     # 开通时限, e.g. 5个工作日
    response: str | None = None      # 故障响应, e.g. 4小时响应
    restore: str | None = None       # 故障恢复, e.g. 4小时
    availability: str | None = None  # 可用率, e.g. 99.9%


SERVICE_LEVEL_FIELDS = {"provision": "开通时限", "response": "故障响应", "restore": "故障恢复",
                        "availability": "可用率"}


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    aliases: tuple[str, ...]
    category: str
    status: str
    replaced_by: str | None
    summary: str
    how_it_works: str
    benefits: tuple[str, ...]
    industries: tuple[str, ...]  # ("all",) or industry keys
    sizes: tuple[str, ...]
    tiers: tuple[str, ...]
    informatization: str
    promotion: str
    client_phrases: tuple[str, ...]
    keywords: tuple[str, ...]
    tariff_summary: str
    tariff_items: tuple[TariffItem, ...]
    related_cases: tuple[str, ...]
    line: int | None = field(default=None, compare=False)
    requires: tuple[str, ...] = ()   # product ids that must be ordered with this one
    excludes: tuple[str, ...] = ()   # product ids that cannot be ordered with this one
    faq: tuple[tuple[str, str], ...] = ()  # (question, answer): what clients ask, for the speaker notes
    service_level: ServiceLevel | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def active(self) -> bool:
        return self.status == "active"

    def fits_industry(self, industry: str) -> bool:
        return "all" in self.industries or industry in self.industries


TARIFF_ITEM_SPEC = Record({
    "name": Field(Text(max_len=50, description="资费项目名称"), required=True),
    "price": Field(Money(negative_rule="tariff-negative", description="标准价格（元，含税），写成 \"5.00\""),
                   required=True),
    "unit": Field(Choice(with_synonyms(UNITS), "计费单位", rule="tariff-unit",
                         description="计费单位：" + "、".join(f"{k} {v}" for k, v in UNITS.items())), required=True),
    "billing": Field(Choice(with_synonyms(BILLING), "计费方式", description="计费方式：monthly 月付、one_off 一次性"),
                     required=True),
    "effective": Field(Date(description="生效日期，如 2026-01-01")),
    "expires": Field(Date(description="失效日期，如 2027-12-31；过期的资费不能再报价")),
    "tiers": Field(ListOf(Record({
        "from": Field(Integer(minimum=2, description="从第几个单位起"), required=True),
        "price": Field(Money(negative_rule="tariff-negative", description="此后每单位价格（元）"), required=True),
    }), description="阶梯价：超过一定数量后的单价（逐级计算）"), default=list),
    "floor": Field(Money(negative_rule="tariff-negative", description="最低价：任何折扣后单价不得低于此价")),
    "vat": Field(Choice(with_synonyms(VAT_CLASSES), "增值税类别", description="增值税类别：basic 基础电信服务、value_added 增值电信服务、goods 销售货物（终端设备）"),
                 default="value_added"),
    "per": Field(Choice(with_synonyms(QUANTITY_BASES), "数量依据",
                        description="数量按什么计：employees 员工数、sites 站点数、one 固定 1"), default=None),
    "share": Field(Fraction(description="数量依据中需要的比例，如 0.2 表示 20% 的员工")),
    "optional": Field(Boolean(description="可选档位（如更大带宽）：资费表列出，报价不计入"), default=False),
}, description="一项资费")

PRODUCT_SPEC = Record({
    "id": Field(PRODUCT_ID, required=True),
    "name": Field(Text(max_len=50, description="产品名称；改名时把旧名称留在 aliases 里，老档案照样能认出"),
                  required=True),
    "aliases": Field(ListOf(Text(max_len=50), description="别名、旧名称；不能与其他产品的名称或别名相同"),
                     default=list),
    "category": Field(Choice(CATEGORY_NAMES, "产品类别",
                             "需求类别：basic_comms 基础通信、mobile_office 移动办公、production_control 生产控制、"
                             "marketing 服务营销"), required=True),
    "status": Field(Choice(PRODUCT_STATUS_NAMES, "状态", "状态：active 在售、retired 已下线（不再推荐）"),
                    default="active"),
    "replaced_by": Field(Text(max_len=60, pattern=PRODUCT_ID.pattern, pattern_hint=PRODUCT_ID.pattern_hint,
                              description="已下线产品的替代产品 id")),
    "summary": Field(Text(max_len=300, description="一句话解释"), required=True),
    "how_it_works": Field(Text(max_len=2000, multiline=True, description="实现原理，2–4 句"), required=True),
    "benefits": Field(ListOf(Text(max_len=200), min_items=1, description="给客户带来的价值，2–4 条"), required=True),
    "industries": Field(ListOf(INDUSTRY_OR_ALL, min_items=1, description="适用行业：[all] 或行业列表"), required=True),
    "fit": Field(Record({
        "sizes": Field(ListOf(Choice({k: k for k in SIZES}, "规模"), min_items=1,
                              description="适合的规模：small 100 人以下、medium 100–999 人、large 1000 人及以上"),
                       default=lambda: list(SIZES)),
        "tiers": Field(ListOf(Choice(TIERS.lookup, "价值等级"), min_items=1,
                              description="适合的客户价值等级：A、B、C"),
                       default=lambda: list(TIERS)),
    }, description="客户属性"), required=True),
    "informatization": Field(Choice(with_synonyms(INFORMATIZATION), "信息化程度",
                                    "信息化程度：basic 基础、intermediate 进阶、advanced 深度"), required=True),
    "promotion": Field(Text(max_len=1000, multiline=True, description="推广策略"), required=True),
    "client_phrases": Field(ListOf(Text(max_len=200), min_items=1,
                                   description="客户描述问题时的原话（不写产品名），8–15 条；用于匹配"), required=True),
    "keywords": Field(ListOf(Text(max_len=20), description="客户常说的短词；* 代表最多 8 个字"), default=list),
    "tariff": Field(Record({
        "summary": Field(Text(max_len=200, description="资费一句话说明"), required=True),
        "items": Field(ListOf(TARIFF_ITEM_SPEC, description="资费项目"), default=list),
    }, description="资费"), required=True),
    "related_cases": Field(ListOf(CASE_ID, description="相关案例 id"), default=list),
    "requires": Field(ListOf(PRODUCT_ID, description="必须同时开通的产品 id"), default=list),
    "excludes": Field(ListOf(PRODUCT_ID, description="不能同时开通的产品 id"), default=list),
    "faq": Field(ListOf(Record({
        "q": Field(Text(max_len=100, description="客户常问的问题"), required=True),
        "a": Field(Text(max_len=300, description="如实的回答"), required=True),
    }), description="常见问题及回答，2–3 条；写进汇报材料的讲稿备注"), default=list),
    "service_level": Field(Record({
        "provision": Field(Text(max_len=40, description="开通时限，如 5个工作日")),
        "response": Field(Text(max_len=40, description="故障响应，如 4小时响应（7×24 小时受理是全部业务的标准，不必重复）")),
        "restore": Field(Text(max_len=40, description="故障恢复时限，如 4小时")),
        "availability": Field(Text(max_len=20, accept_numbers=True, description="可用率，如 99.9%")),
    }, description="服务等级：建议书“服务保障”一章按产品列出，只写确实承诺的项目")),
    "waivers": Field(WAIVERS_SPEC, default=list),
}, description="产品图谱中的一个产品")

# The catalog file without its products: the products are validated one by one, so each keeps
# its index in the file (and its line) even when a product before it is broken.
CATALOG_HEADER_FIELDS = {
    "catalog": Field(Record({"name": Field(Text(description="产品图谱名称")),
                             "version": Field(Text(accept_numbers=True, description="版本，如 \"2026.11\""))},
                            description="目录信息")),
    "out_of_scope": Field(ListOf(Text(max_len=200),
                                 description="没有任何通信/信息化产品能解决的需求原话，匹配时留在“暂无对应产品”中"),
                          default=list),
    "out_of_scope_cues": Field(ListOf(Text(max_len=30), description="上述需求的短提示词；* 代表最多 8 个字"),
                               default=list),
    "pricing": Field(Record({
        "vat_rates": Field(MapOf(Fraction(maximum=Decimal("0.5")), description="增值税率：basic、value_added"),
                           default=dict),
        "authority": Field(ListOf(Record({
            "role": Field(Text(max_len=20, description="岗位，如 客户经理"), required=True),
            "max_discount": Field(Fraction(description="可自行给出的最大折让，如 0.05"), required=True),
        }), description="折让权限：从客户经理开始，由低到高"), default=list),
        "bundles": Field(ListOf(Record({
            "id": Field(Text(max_len=60, pattern=r"[a-z][a-z0-9-]*", pattern_hint="小写字母、数字和连字符"), required=True),
            "name": Field(Text(max_len=40, description="组合名称"), required=True),
            "products": Field(ListOf(PRODUCT_ID, min_items=2, description="同时办理即享优惠的产品 id"), required=True),
            "discount": Field(Fraction(maximum=Decimal("0.9"), description="月费折让比例，如 0.10"), required=True),
        }), description="组合优惠"), default=list),
    }, description="报价规则：税率、折让权限、组合优惠")),
}
PRODUCTS_SPEC = ListOf(PRODUCT_SPEC, min_items=1, description="产品列表")
CATALOG_SPEC = Record({**CATALOG_HEADER_FIELDS, "products": Field(PRODUCTS_SPEC, required=True)},
                      description="产品图谱（catalog/products.yaml）")


# --- pricing rules from the catalog -----------------------------------------------------------


@dataclass(frozen=True)
class Bundle:
    id: str
    name: str
    products: tuple[str, ...]
    discount: Decimal  # fraction of list price, e.g. 0.10


@dataclass(frozen=True)
class Authority:
    role: str
    max_discount: Decimal


@dataclass(frozen=True)
class Pricing:
    vat_rates: dict[str, Decimal] = field(default_factory=lambda: {"basic": Decimal("0.09"),
                                                                    "value_added": Decimal("0.06")})
    bundles: tuple[Bundle, ...] = ()
    authority: tuple[Authority, ...] = (Authority("客户经理", Decimal("0.05")),)
    # Quotes are built for one bundle at a time; what-if bundles (alternatives) reuse this.

    @property
    def manager_limit(self) -> Decimal:
        return self.authority[0].max_discount if self.authority else ZERO


def build_pricing(data: dict | None) -> Pricing:
    """The catalog's ``pricing`` section as quote rules (defaults where it says nothing)."""
    data = data or {}
    defaults = Pricing()
    rates = {**defaults.vat_rates, **(data.get("vat_rates") or {})}
    authority = tuple(Authority(a["role"], a["max_discount"]) for a in data.get("authority") or ()) \
        or defaults.authority
    bundles = tuple(Bundle(b["id"], b["name"], tuple(b["products"]), b["discount"]) for b in data.get("bundles") or ())
    return Pricing(rates, bundles, authority)


def build_tariff_item(item: dict) -> TariffItem:
    tiers = tuple(sorted((PriceTier(t["from"], t["price"]) for t in item["tiers"]), key=lambda t: t.from_quantity))
    return TariffItem(item["name"], item["price"], item["unit"], item["billing"], item["effective"], item["expires"],
                      tiers, item["floor"], item["vat"], item["per"], item["share"], item["optional"])


def build_product(data: dict, line: int | None) -> Product:
    tariff = data["tariff"]
    return Product(
        id=data["id"], name=data["name"], aliases=tuple(data["aliases"]), category=data["category"],
        status=data["status"], replaced_by=data["replaced_by"], summary=data["summary"],
        how_it_works=data["how_it_works"], benefits=tuple(data["benefits"]),
        industries=tuple(data["industries"]), sizes=tuple(data["fit"]["sizes"]),
        tiers=tuple(data["fit"]["tiers"]), informatization=data["informatization"],
        promotion=data["promotion"], client_phrases=tuple(data["client_phrases"]),
        keywords=tuple(data["keywords"]), tariff_summary=tariff["summary"],
        tariff_items=tuple(build_tariff_item(item) for item in tariff["items"]),
        related_cases=tuple(data["related_cases"]), line=line,
        requires=tuple(data["requires"]), excludes=tuple(data["excludes"]),
        faq=tuple((f["q"], f["a"]) for f in data["faq"]),
        service_level=ServiceLevel(**data["service_level"]) if data.get("service_level") and any(
            data["service_level"].values()) else None,
    )


# --- the catalog as a whole -------------------------------------------------------------------


@dataclass
class Catalog:
    products: tuple[Product, ...]
    out_of_scope: tuple[str, ...]
    out_of_scope_cues: tuple[str, ...]
    file: Path
    checksum: str
    by_id: dict[str, Product] = field(default_factory=dict)
    by_name: dict[str, Product] = field(default_factory=dict)
    src: Located | None = field(default=None, repr=False, compare=False)  # positions, for later checks
    pricing: Pricing | None = field(default=None, repr=False)               # quote rules (pricing:)
    index_of: dict[str, int] = field(default_factory=dict, repr=False)      # product id -> index in the file

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
