"""The client needs profile: the type the pipeline reads and the spec that validates a profile file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .spec import Choice, Date, Field, Fraction, Integer, INVALID, ListOf, MapOf, Money, Record, Spec, Text
from .vocab import (ATTITUDES, CATEGORIES, CATEGORY_NAMES, CLIENT_KEYS, CONTACT_KEYS, INDUSTRY_CHOICE, MONEY_KEYS,
                    PROFILE_KEYS, ROLES, TIERS, VISIT_KEYS, size_of, with_synonyms)

# --- profile ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    title: str | None
    role: str | None
    attitude: str | None


@dataclass(frozen=True)
class Choices:
    """The account manager's own choices (``choices:``), which override the matching: products
    pitched whatever it says (``add``), never pitched (``drop``), quoted quantities, each by a
    product's name, alias or id as written. ``places`` keeps where each name stands in the file
    (field path -> line, column), so a name the catalog does not know is reported there."""

    add: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    quantities: dict[str, int] = field(default_factory=dict)
    file: str = field(default="", compare=False)
    places: dict[str, tuple[int | None, int | None]] = field(default_factory=dict, compare=False)

    def __bool__(self) -> bool:
        return bool(self.add or self.drop or self.quantities)


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
    current_spend_monthly: Decimal | None = None
    quantities: dict[str, int] = field(default_factory=dict)  # product name or id -> quantity
    requested_discount: Decimal | None = None
    branch: str | None = None  # the issuing branch named by the profile (id or name in company.yaml)
    choices: Choices = field(default_factory=Choices)

    @property
    def size(self) -> str | None:
        return size_of(self.employees)

    def statements(self) -> list[tuple[str, str]]:
        """Every need statement with its category, in file order."""
        return [(cat, s) for cat, items in self.needs.items() for s in items]


class _Needs(Spec):
    """``needs:``: category (English key or Chinese name) -> list of statements."""

    description = "客户在四个方面的需求，用客户自己的话写：basic_comms 基础通信、mobile_office 移动办公、" \
                  "production_control 生产控制、marketing 服务营销（也可用中文类别名作键）"
    statement = Text(max_len=500, description="一条需求，客户的原话")

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
        statements = ListOf(self.statement, single_ok=True).json_schema()
        items = {"anyOf": [*statements["anyOf"], {"type": "null"}]}
        props = {key: dict(items, description=f"{label}方面的需求") for key, label in CATEGORIES.items()}
        props.update({label: dict(items, description=f"{label}方面的需求（同 {key}）") for key, label in CATEGORIES.items()})
        return {"type": "object", "properties": props, "minProperties": 1, "description": self.description}


PROFILE_SPEC = Record({
    "client": Field(Record({
        "name": Field(Text(max_len=100, description="客户全称"), required=True),
        "industry": Field(INDUSTRY_CHOICE, required=True),
        "employees": Field(Integer(minimum=1, maximum=10_000_000, description="员工人数")),
        "sites": Field(Integer(minimum=1, maximum=100_000, description="办公点、厂区或门店数")),
        "tier": Field(TIERS.choice("客户价值等级：A、B 或 C")),
        "region": Field(Text(max_len=50, description="所在地区")),
        "current_services": Field(ListOf(Text(max_len=50), single_ok=True,
                                         description="客户已在使用的我方业务（产品名称或别名）"), default=list),
        "competitor": Field(Text(max_len=50, description="现有或竞争的运营商、厂商")),
    }, unknown="ignore", description="客户基本信息", key_names=CLIENT_KEYS.lookup), required=True),
    "contacts": Field(ListOf(Record({
        "name": Field(Text(max_len=50, description="姓名"), required=True),
        "title": Field(Text(max_len=50, description="职务")),
        "role": Field(Choice(with_synonyms(ROLES), "角色", "角色：决策者、影响者、使用者、把关者")),
        "attitude": Field(Choice(with_synonyms(ATTITUDES), "态度", "态度：支持、中立、反对")),
    }, unknown="ignore", key_names=CONTACT_KEYS.lookup), description="关键人"), default=list),
    "needs": Field(_Needs(), required=True),
    "budget": Field(Record({"monthly_cny": Field(Money(description="每月预算（元）"))}, unknown="ignore",
                           description="预算", key_names=MONEY_KEYS.lookup)),
    "current_spend": Field(Record({"monthly_cny": Field(Money(description="目前每月通信费用（元）"))},
                                  unknown="ignore", description="客户目前的通信支出", key_names=MONEY_KEYS.lookup)),
    "quantities": Field(MapOf(Integer(minimum=1, maximum=10_000_000), description="按产品指定数量：产品名称或 id: 数量"),
                        default=dict),
    "choices": Field(Record({
        "add": Field(ListOf(Text(max_len=50), single_ok=True,
                            description="无论匹配结果如何都要推荐的产品：产品名称、别名或 id"), default=list),
        "drop": Field(ListOf(Text(max_len=50), single_ok=True,
                             description="不向这个客户推荐的产品：产品名称、别名或 id"), default=list),
        "quantities": Field(MapOf(Integer(minimum=1, maximum=10_000_000),
                                  description="报价数量，替代按客户所说或按人数、站点数的估算：产品名称、别名或 id: 数量"),
                            default=dict),
    }, unknown="ignore", description="客户经理的决定：加入、去掉的产品和报价数量，优先于自动匹配")),
    "offer": Field(Record({"discount": Field(Fraction(maximum=Decimal("0.9"),
                                                      description="客户经理拟给的额外折让，如 0.08；超出权限的部分需审批"))},
                          unknown="ignore", description="报价意向")),
    "visit": Field(Record({
        "date": Field(Date(description="拜访日期，如 2026-12-01")),
        "manager": Field(Text(max_len=50, description="客户经理")),
        "phone": Field(Text(max_len=30, accept_numbers=True, description="客户经理电话")),
        "branch": Field(Text(max_len=80, description="出具文档的分公司（catalog/company.yaml 中的编号或名称，如 dongguan、"
                                                    "东莞分公司）；不写时按 client.region 确定")),
    }, unknown="ignore", description="拜访信息", key_names=VISIT_KEYS.lookup)),
}, unknown="ignore", description="客户需求档案", key_names=PROFILE_KEYS.lookup)


def build_choices(data: dict | None, file: str = "", where=None) -> Choices:
    """``choices:`` as validated; ``where(path) -> (line, col)`` locates each name in the file."""
    data = data or {}
    add, drop = tuple(data.get("add") or ()), tuple(data.get("drop") or ())
    quantities = dict(data.get("quantities") or {})
    places: dict[str, tuple[int | None, int | None]] = {}
    if where is not None:
        for key, names in (("add", add), ("drop", drop)):
            for i in range(len(names)):
                places[f"choices.{key}[{i}]"] = where(("choices", key, i))
        for name in quantities:
            places[f"choices.quantities.{name}"] = where(("choices", "quantities", name))
    return Choices(add, drop, quantities, file, places)


def build_profile(data: dict, file: str = "", where=None) -> Profile:
    client, budget, visit = data["client"], data["budget"] or {}, data["visit"] or {}
    spend, offer = data["current_spend"] or {}, data["offer"] or {}
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
        current_spend_monthly=spend.get("monthly_cny"),
        quantities=dict(data["quantities"] or {}),
        requested_discount=offer.get("discount"),
        choices=build_choices(data["choices"], file, where),
        visit_date=visit.get("date"),
        manager=visit.get("manager"),
        manager_phone=visit.get("phone"),
        branch=visit.get("branch"),
    )

