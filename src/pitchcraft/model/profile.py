"""The client needs profile: the type the pipeline reads, each field declared with its place and
spec in the profile file (:func:`pitchcraft.model.spec.declared`), from which the validation, the
JSON Schema and the builder are derived."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from .spec import (Choice, Date, Fraction, Integer, INVALID, Layout, ListOf, MapOf, Money, Section, Spec, Text,
                   build, declared, spec_of)
from .vocab import (ATTITUDES, CATEGORIES, CATEGORY_NAMES, CLIENT_KEYS, CONTACT_KEYS, INDUSTRY_CHOICE, MONEY_KEYS,
                    PROFILE_KEYS, ROLES, TIERS, VISIT_KEYS, size_of, with_synonyms)

# --- profile ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str = declared(Text(max_len=50, description="姓名"), required=True)
    title: str | None = declared(Text(max_len=50, description="职务"))
    role: str | None = declared(Choice(with_synonyms(ROLES), "角色", "角色：决策者、影响者、使用者、把关者"))
    attitude: str | None = declared(Choice(with_synonyms(ATTITUDES), "态度", "态度：支持、中立、反对"))

    layout: ClassVar[Layout] = Layout(unknown="ignore", key_names=CONTACT_KEYS.lookup)


_NAMES = Text(max_len=50)
_QUANTITY = Integer(minimum=1, maximum=10_000_000)


@dataclass(frozen=True)
class Choices:
    """The account manager's own choices (``choices:``), which override the matching: products
    pitched whatever it says (``add``), never pitched (``drop``), quoted quantities, each by a
    product's name, alias or id as written. ``places`` keeps where each name stands in the file
    (field path -> line, column), so a name the catalog does not know is reported there."""

    add: tuple[str, ...] = declared(ListOf(_NAMES, single_ok=True,
                                           description="无论匹配结果如何都要推荐的产品：产品名称、别名或 id"),
                                    default=())
    drop: tuple[str, ...] = declared(ListOf(_NAMES, single_ok=True,
                                            description="不向这个客户推荐的产品：产品名称、别名或 id"), default=())
    quantities: dict[str, int] = declared(
        MapOf(_QUANTITY, description="报价数量，替代按客户所说或按人数、站点数的估算：产品名称、别名或 id: 数量"),
        default_factory=dict)
    file: str = field(default="", compare=False)
    places: dict[str, tuple[int | None, int | None]] = field(default_factory=dict, compare=False)

    layout: ClassVar[Layout] = Layout(description="客户经理的决定：加入、去掉的产品和报价数量，优先于自动匹配",
                                      unknown="ignore")

    def __bool__(self) -> bool:
        return bool(self.add or self.drop or self.quantities)

    def located(self, file: str = "", where=None) -> Choices:
        """The same choices knowing their file; ``where(path) -> (line, col)`` locates each name."""
        places: dict[str, tuple[int | None, int | None]] = {}
        if where is not None:
            for key, names in (("add", self.add), ("drop", self.drop)):
                for i in range(len(names)):
                    places[f"choices.{key}[{i}]"] = where(("choices", key, i))
            for name in self.quantities:
                places[f"choices.quantities.{name}"] = where(("choices", "quantities", name))
        return dataclasses.replace(self, file=file, places=places)


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
                         f"未知的需求类别 {raw_key}（可选：{'、'.join(f'{name}（{k}）' for k, name in CATEGORIES.items())}），"
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



@dataclass(frozen=True)
class Profile:
    name: str = declared(Text(max_len=100, description="客户全称"), required=True, at="client.name")
    industry: str = declared(INDUSTRY_CHOICE, required=True, at="client.industry")
    employees: int | None = declared(Integer(minimum=1, maximum=10_000_000, description="员工人数"),
                                     at="client.employees")
    sites: int | None = declared(Integer(minimum=1, maximum=100_000, description="办公点、厂区或门店数"),
                                 at="client.sites")
    tier: str | None = declared(TIERS.choice("客户价值等级：A、B 或 C"), at="client.tier")
    region: str | None = declared(Text(max_len=50, description="所在地区"), at="client.region")
    current_services: tuple[str, ...] = declared(
        ListOf(_NAMES, single_ok=True, description="客户已在使用的我方业务（产品名称或别名）"),
        at="client.current_services", absent=list)
    competitor: str | None = declared(Text(max_len=50, description="现有或竞争的运营商、厂商"), at="client.competitor")
    contacts: tuple[Contact, ...] = declared(ListOf(spec_of(Contact), description="关键人"), absent=list)
    # category key (or "other") -> statements, in file order
    needs: dict[str, tuple[str, ...]] = declared(_Needs(), required=True)
    budget_monthly: Decimal | None = declared(Money(description="每月预算（元）"), at="budget.monthly_cny")
    visit_date: dt.date | None = declared(Date(description="拜访日期，如 2026-12-01"), at="visit.date")
    manager: str | None = declared(Text(max_len=50, description="客户经理"), at="visit.manager")
    manager_phone: str | None = declared(Text(max_len=30, accept_numbers=True, description="客户经理电话"),
                                         at="visit.phone")
    current_spend_monthly: Decimal | None = declared(Money(description="目前每月通信费用（元）"),
                                                     at="current_spend.monthly_cny", default=None)
    # product name or id -> quantity
    quantities: dict[str, int] = declared(MapOf(_QUANTITY, description="按产品指定数量：产品名称或 id: 数量"),
                                          default_factory=dict)
    requested_discount: Decimal | None = declared(
        Fraction(maximum=Decimal("0.9"), description="客户经理拟给的额外折让，如 0.08；超出权限的部分需审批"),
        at="offer.discount", default=None)
    # the issuing branch named by the profile (id or name in company.yaml)
    branch: str | None = declared(Text(max_len=80, description="出具文档的分公司（catalog/company.yaml 中的编号或名称，"
                                                               "如 dongguan、东莞分公司）；不写时按 client.region 确定"),
                                  at="visit.branch", default=None)
    choices: Choices = declared(spec_of(Choices), default_factory=Choices)

    layout: ClassVar[Layout] = Layout(
        description="客户需求档案", unknown="ignore", key_names=PROFILE_KEYS.lookup,
        order=("client", "contacts", "needs", "budget", "current_spend", "quantities", "choices", "offer", "visit"),
        sections={
            "client": Section("客户基本信息", required=True, unknown="ignore", key_names=CLIENT_KEYS.lookup),
            "budget": Section("预算", unknown="ignore", key_names=MONEY_KEYS.lookup),
            "current_spend": Section("客户目前的通信支出", unknown="ignore", key_names=MONEY_KEYS.lookup),
            "offer": Section("报价意向", unknown="ignore"),
            "visit": Section("拜访信息", unknown="ignore", key_names=VISIT_KEYS.lookup),
        })

    @property
    def size(self) -> str | None:
        return size_of(self.employees)

    def statements(self) -> list[tuple[str, str]]:
        """Every need statement with its category, in file order."""
        return [(cat, s) for cat, items in self.needs.items() for s in items]

    def located(self, file: str = "", where=None) -> Profile:
        """The same profile knowing where its file's choices stand (see :meth:`Choices.located`)."""
        return dataclasses.replace(self, choices=self.choices.located(file, where))


# The profile file's spec (validation, JSON Schema), derived from the declarations above.
PROFILE_SPEC = spec_of(Profile)


def build_profile(data: dict, file: str = "", where=None) -> Profile:
    """A profile from data :data:`PROFILE_SPEC` validated; ``where(path) -> (line, col)`` locates its choices."""
    return build(Profile, data).located(file, where)
