"""The domain: Profile, Product, Case and their validation, in one place.

Each thing has one spec (see :mod:`pitchcraft.spec`) that validates a file's data and one frozen
dataclass the rest of the pipeline works with. The specs are also exported as JSON Schema for
editors, so there is a single source of truth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .spec import (Boolean, Choice, Ctx, Date, Field, Integer, ListOf, Money, Record, Spec, Text,
                   INVALID)

# --- vocabularies -----------------------------------------------------------------------------

INDUSTRIES: dict[str, tuple[str, ...]] = {
    "government": ("党政机关", "政府"),
    "manufacturing": ("制造业", "制造"),
    "finance": ("金融", "银行", "保险"),
    "logistics": ("物流", "交通运输"),
    "retail": ("零售", "商贸"),
    "education": ("教育",),
    "healthcare": ("医疗", "医疗卫生"),
    "agriculture": ("农业",),
    "energy": ("能源",),
    "construction": ("建筑", "房地产"),
    "hospitality": ("酒店", "餐饮", "酒店餐饮"),
    "media": ("媒体", "新闻媒体"),
    "it": ("互联网", "信息技术"),
    "utilities": ("公共事业", "水务"),
}
INDUSTRY_LABELS = {key: names[0] for key, names in INDUSTRIES.items()}

CATEGORIES: dict[str, str] = {
    "basic_comms": "基础通信",
    "mobile_office": "移动办公",
    "production_control": "生产控制",
    "marketing": "服务营销",
}

ROLES = {"decision_maker": "决策者", "influencer": "影响者", "user": "使用者", "gatekeeper": "把关者"}
ATTITUDES = {"supportive": "支持", "neutral": "中立", "opposed": "反对"}
TIERS = ("A", "B", "C")
SIZES = {"small": "小型（100 人以下）", "medium": "中型（100–999 人）", "large": "大型（1000 人及以上）"}
INFORMATIZATION = {"basic": "基础", "intermediate": "进阶", "advanced": "深度"}
UNITS = {"line": "每成员", "user": "每用户", "site": "每站点", "account": "每账户", "terminal": "每终端",
         "package": "每套", "mailbox": "每邮箱"}
BILLING = {"monthly": "月付", "one_off": "一次性"}
WORKFLOW_STEPS = ("接受任务", "圈定客户", "制定方案", "顾问式营销", "合同签订", "售后服务", "二次营销",
                  "行业应用推广", "建立工作档案")


def size_of(employees: int | None) -> str | None:
    if employees is None:
        return None
    if employees < 100:
        return "small"
    if employees < 1000:
        return "medium"
    return "large"


def _with_synonyms(labels: dict[str, str | tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, names in labels.items():
        out[key] = key
        for name in (names if isinstance(names, tuple) else (names,)):
            out[name] = key
    return out


INDUSTRY_CHOICE = Choice(_with_synonyms(INDUSTRIES), "行业", "industry key or Chinese name")
CATEGORY_NAMES = _with_synonyms(CATEGORIES)

# --- profile ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    title: str | None
    role: str | None
    attitude: str | None


@dataclass(frozen=True)
class Profile:
    name: str
    industry: str
    employees: int | None
    sites: int | None
    tier: str | None
    region: str | None
    current_services: tuple[str, ...]
    competitor: str | None
    contacts: tuple[Contact, ...]
    needs: dict[str, tuple[str, ...]]  # category key (or "other") -> statements, in file order
    budget_monthly: Decimal | None
    visit_date: dt.date | None
    manager: str | None
    manager_phone: str | None

    @property
    def size(self) -> str | None:
        return size_of(self.employees)

    def statements(self) -> list[tuple[str, str]]:
        """Every need statement with its category, in file order."""
        return [(cat, s) for cat, items in self.needs.items() for s in items]


class _Needs(Spec):
    """``needs:``: category (English key or Chinese name) -> list of statements."""

    description = "need statements by category: basic_comms|mobile_office|production_control|marketing"
    statement = Text(max_len=500, description="a need in the client's own words")

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.error(path, "应为按类别列出的需求，例如 basic_comms: [ ... ]")
            return INVALID
        out: dict[str, list[str]] = {}
        for raw_key, items in value.items():
            key = CATEGORY_NAMES.get(str(raw_key).strip())
            if key is None:
                ctx.warn(path + (raw_key,),
                         f"未知的需求类别 {raw_key}（可选：{'、'.join(CATEGORIES)} 或 {'、'.join(CATEGORIES.values())}），"
                         "其中的需求仍会参与匹配", rule="unknown-category")
                key = "other"
            checked = ListOf(self.statement, single_ok=True).check(items, path + (raw_key,), ctx)
            if checked is not INVALID:
                out.setdefault(key, []).extend(checked)
        if not any(out.values()):
            ctx.error(path, "至少需要一条需求描述（四个类别都是空的）")
            return INVALID
        return out

    def json_schema(self):
        items = {"type": ["array", "null"], "items": self.statement.json_schema()}
        props = {key: dict(items, description=label) for key, label in CATEGORIES.items()}
        props.update({label: dict(items, description=key) for key, label in CATEGORIES.items()})
        return {"type": "object", "properties": props, "minProperties": 1, "description": self.description}


PROFILE_SPEC = Record({
    "client": Field(Record({
        "name": Field(Text(max_len=100, description="client name"), required=True),
        "industry": Field(INDUSTRY_CHOICE, required=True),
        "employees": Field(Integer(minimum=1, maximum=10_000_000)),
        "sites": Field(Integer(minimum=1, maximum=100_000)),
        "tier": Field(Choice({t: t for t in TIERS}, "客户价值等级")),
        "region": Field(Text(max_len=50)),
        "current_services": Field(ListOf(Text(max_len=50), single_ok=True), default=list),
        "competitor": Field(Text(max_len=50)),
    }, unknown="ignore"), required=True),
    "contacts": Field(ListOf(Record({
        "name": Field(Text(max_len=50), required=True),
        "title": Field(Text(max_len=50)),
        "role": Field(Choice(_with_synonyms(ROLES), "角色")),
        "attitude": Field(Choice(_with_synonyms(ATTITUDES), "态度")),
    }, unknown="ignore")), default=list),
    "needs": Field(_Needs(), required=True),
    "budget": Field(Record({"monthly_cny": Field(Money())}, unknown="ignore")),
    "visit": Field(Record({
        "date": Field(Date()),
        "manager": Field(Text(max_len=50)),
        "phone": Field(Text(max_len=30, accept_numbers=True)),
    }, unknown="ignore")),
}, unknown="ignore", description="client needs profile (客户需求档案)")


def build_profile(data: dict) -> Profile:
    client, budget, visit = data["client"], data["budget"] or {}, data["visit"] or {}
    return Profile(
        name=client["name"],
        industry=client["industry"],
        employees=client["employees"],
        sites=client["sites"],
        tier=client["tier"],
        region=client["region"],
        current_services=tuple(client["current_services"] or ()),
        competitor=client["competitor"],
        contacts=tuple(Contact(c["name"], c["title"], c["role"], c["attitude"]) for c in data["contacts"]),
        needs={k: tuple(v) for k, v in data["needs"].items()},
        budget_monthly=budget.get("monthly_cny"),
        visit_date=visit.get("date"),
        manager=visit.get("manager"),
        manager_phone=visit.get("phone"),
    )


# --- catalog ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TariffItem:
    name: str
    price: Decimal
    unit: str
    billing: str
    effective: dt.date | None = None
    expires: dt.date | None = None


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

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def active(self) -> bool:
        return self.status == "active"

    def fits_industry(self, industry: str) -> bool:
        return "all" in self.industries or industry in self.industries


_ID = Text(max_len=60, pattern=r"[a-z][a-z0-9_]*", pattern_hint="小写字母开头，只含小写字母、数字和下划线")
_CASE_ID = Text(max_len=80, pattern=r"[a-z][a-z0-9-]*", pattern_hint="小写字母开头，只含小写字母、数字和连字符")
_INDUSTRY_OR_ALL = Choice({**_with_synonyms(INDUSTRIES), "all": "all", "全行业": "all"}, "行业")

TARIFF_ITEM_SPEC = Record({
    "name": Field(Text(max_len=50), required=True),
    "price": Field(Money(), required=True),
    "unit": Field(Choice(dict(_with_synonyms(UNITS)), "计费单位"), required=True),
    "billing": Field(Choice(_with_synonyms(BILLING), "计费方式"), required=True),
    "effective": Field(Date()),
    "expires": Field(Date()),
}, description="one price item")

PRODUCT_SPEC = Record({
    "id": Field(_ID, required=True),
    "name": Field(Text(max_len=50), required=True),
    "aliases": Field(ListOf(Text(max_len=50)), default=list),
    "category": Field(Choice(CATEGORY_NAMES, "产品类别"), required=True),
    "status": Field(Choice({"active": "active", "retired": "retired", "在售": "active", "下线": "retired"},
                           "状态"), default="active"),
    "replaced_by": Field(_ID),
    "summary": Field(Text(max_len=300), required=True),
    "how_it_works": Field(Text(max_len=2000, multiline=True), required=True),
    "benefits": Field(ListOf(Text(max_len=200), min_items=1), required=True),
    "industries": Field(ListOf(_INDUSTRY_OR_ALL, min_items=1), required=True),
    "fit": Field(Record({
        "sizes": Field(ListOf(Choice({k: k for k in SIZES}, "规模"), min_items=1), default=lambda: list(SIZES)),
        "tiers": Field(ListOf(Choice({t: t for t in TIERS}, "价值等级"), min_items=1), default=lambda: list(TIERS)),
    }), required=True),
    "informatization": Field(Choice(_with_synonyms(INFORMATIZATION), "信息化程度"), required=True),
    "promotion": Field(Text(max_len=1000, multiline=True), required=True),
    "client_phrases": Field(ListOf(Text(max_len=200), min_items=1), required=True),
    "keywords": Field(ListOf(Text(max_len=20)), default=list),
    "tariff": Field(Record({
        "summary": Field(Text(max_len=200), required=True),
        "items": Field(ListOf(TARIFF_ITEM_SPEC), default=list),
    }), required=True),
    "related_cases": Field(ListOf(_CASE_ID), default=list),
}, description="one product of the product map (产品图谱)")

CATALOG_SPEC = Record({
    "catalog": Field(Record({"name": Field(Text()), "version": Field(Text(accept_numbers=True))})),
    "out_of_scope": Field(ListOf(Text(max_len=200)), default=list),
    "out_of_scope_cues": Field(ListOf(Text(max_len=30)), default=list),
    "products": Field(ListOf(PRODUCT_SPEC, min_items=1), required=True),
}, description="product catalog (产品图谱)")


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
        tariff_items=tuple(TariffItem(**item) for item in tariff["items"]),
        related_cases=tuple(data["related_cases"]), line=line,
    )


# --- cases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    display_name: str
    real_name: str | None
    consent: bool
    industry: str
    employees: int | None
    sites: int | None
    region: str | None
    year: int | None
    products: tuple[str, ...]
    needs: tuple[str, ...]
    workflow_step: str
    results: tuple[str, ...]
    sections: dict[str, str]  # body heading -> text
    file: str = field(default="", compare=False)

    @property
    def client_label(self) -> str:
        """The name shown to readers: the real name only with recorded consent (脱敏)."""
        return self.real_name if self.consent and self.real_name else self.display_name

    @property
    def size(self) -> str | None:
        return size_of(self.employees)


CASE_SPEC = Record({
    "id": Field(_CASE_ID, required=True),
    "title": Field(Text(max_len=80), required=True),
    "client": Field(Record({
        "display_name": Field(Text(max_len=60), required=True),
        "real_name": Field(Text(max_len=100)),
        "consent": Field(Boolean(), default=False),
    }), required=True),
    "industry": Field(INDUSTRY_CHOICE, required=True),
    "employees": Field(Integer(minimum=1)),
    "sites": Field(Integer(minimum=1)),
    "region": Field(Text(max_len=30)),
    "year": Field(Integer(minimum=2000, maximum=2100)),
    "products": Field(ListOf(_ID, min_items=1), required=True),
    "needs": Field(ListOf(Text(max_len=200)), default=list),
    "workflow_step": Field(Choice({s: s for s in WORKFLOW_STEPS}, "工作流程环节"), required=True),
    "results": Field(ListOf(Text(max_len=200), min_items=1), required=True),
}, description="case study front matter (案例)")

CASE_SECTIONS_REQUIRED = ("客户挑战", "解决方案")


def build_case(data: dict, sections: dict[str, str], file: str) -> Case:
    client = data["client"]
    return Case(
        id=data["id"], title=data["title"], display_name=client["display_name"],
        real_name=client["real_name"], consent=client["consent"], industry=data["industry"],
        employees=data["employees"], sites=data["sites"], region=data["region"], year=data["year"],
        products=tuple(data["products"]), needs=tuple(data["needs"]),
        workflow_step=data["workflow_step"], results=tuple(data["results"]), sections=sections,
        file=file,
    )


def validate(spec: Spec, ctx: Ctx, path: tuple = ()):
    return spec.check(ctx.src.data, path, ctx)
