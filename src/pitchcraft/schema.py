"""The domain: Profile, Product, Case and their validation, in one place.

Each thing has one spec (see :mod:`pitchcraft.spec`) that validates a file's data and one frozen
dataclass the rest of the pipeline works with. The specs are also exported as JSON Schema for
editors (:mod:`pitchcraft.jsonschema`), so there is a single source of truth; their descriptions
are the hover texts product managers see in VS Code, hence in Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .spec import (Fraction, MapOf, Boolean, Choice, Ctx, Date, Field, Integer, ListOf, Money, Record, Spec, Text,
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
SIZE_SHORT = {"small": "小型", "medium": "中型", "large": "大型"}
INFORMATIZATION = {"basic": "基础", "intermediate": "进阶", "advanced": "深度"}
VAT_CLASSES = {"basic": "基础电信服务", "value_added": "增值电信服务", "goods": "销售货物"}
QUANTITY_BASES = {"employees": "员工数", "sites": "站点数", "one": "固定"}
UNITS = {"line": "每成员", "user": "每用户", "site": "每站点", "account": "每账户", "terminal": "每终端",
         "package": "每套", "mailbox": "每邮箱"}
BILLING = {"monthly": "月付", "one_off": "一次性"}
WORKFLOW_STEPS = ("接受任务", "圈定客户", "制定方案", "顾问式营销", "合同签订", "售后服务", "二次营销",
                  "行业应用推广", "建立工作档案")
PRODUCT_STATUSES = {"active": ("在售",), "retired": ("下线", "已下线")}
# draft: being written (``cases new``); archived: kept for the record. Only active cases are cited.
CASE_STATUSES = {"active": ("在用",), "draft": ("草稿",), "archived": ("归档", "已归档")}

# Warnings that a product manager or presales may keep, with a written reason (``waivers:``).
WAIVABLE_RULES = {
    "absolute-claim": "广告法禁用的绝对化用语",
    "case-stale": "案例数据年份过早",
    "case-sales-story": "案例给客户看的部分读起来像销售过程",
    "tariff-expiring": "资费即将到期",
}
# What `cases new` writes where presales still have to fill in; an active case must not contain it.
PLACEHOLDER = "【待填写】"


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


INDUSTRY_NAMES = _with_synonyms(INDUSTRIES)
INDUSTRY_CHOICE = Choice(INDUSTRY_NAMES, "行业", "行业：英文键或中文名，如 manufacturing / 制造业")
CATEGORY_NAMES = _with_synonyms(CATEGORIES)
SIZE_NAMES = {**{k: k for k in SIZES}, **{v: k for k, v in SIZE_SHORT.items()}}
PRODUCT_STATUS_NAMES = _with_synonyms(PRODUCT_STATUSES)
CASE_STATUS_NAMES = _with_synonyms(CASE_STATUSES)

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
    current_spend_monthly: Decimal | None = None
    quantities: dict[str, int] = field(default_factory=dict)  # product name or id -> quantity
    requested_discount: Decimal | None = None

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
        "tier": Field(Choice({t: t for t in TIERS}, "客户价值等级", "客户价值等级：A、B 或 C")),
        "region": Field(Text(max_len=50, description="所在地区")),
        "current_services": Field(ListOf(Text(max_len=50), single_ok=True,
                                         description="客户已在使用的我方业务（产品名称或别名）"), default=list),
        "competitor": Field(Text(max_len=50, description="现有或竞争的运营商、厂商")),
    }, unknown="ignore", description="客户基本信息"), required=True),
    "contacts": Field(ListOf(Record({
        "name": Field(Text(max_len=50, description="姓名"), required=True),
        "title": Field(Text(max_len=50, description="职务")),
        "role": Field(Choice(_with_synonyms(ROLES), "角色", "角色：决策者、影响者、使用者、把关者")),
        "attitude": Field(Choice(_with_synonyms(ATTITUDES), "态度", "态度：支持、中立、反对")),
    }, unknown="ignore"), description="关键人"), default=list),
    "needs": Field(_Needs(), required=True),
    "budget": Field(Record({"monthly_cny": Field(Money(description="每月预算（元）"))}, unknown="ignore",
                           description="预算")),
    "current_spend": Field(Record({"monthly_cny": Field(Money(description="目前每月通信费用（元）"))},
                                  unknown="ignore", description="客户目前的通信支出")),
    "quantities": Field(MapOf(Integer(minimum=1, maximum=10_000_000), description="按产品指定数量：产品名称或 id: 数量"),
                        default=dict),
    "offer": Field(Record({"discount": Field(Fraction(maximum=Decimal("0.9"),
                                                      description="客户经理拟给的额外折让，如 0.08；超出权限的部分需审批"))},
                          unknown="ignore", description="报价意向")),
    "visit": Field(Record({
        "date": Field(Date(description="拜访日期，如 2026-12-01")),
        "manager": Field(Text(max_len=50, description="客户经理")),
        "phone": Field(Text(max_len=30, accept_numbers=True, description="客户经理电话")),
    }, unknown="ignore", description="拜访信息")),
}, unknown="ignore", description="客户需求档案")


def build_profile(data: dict) -> Profile:
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
        visit_date=visit.get("date"),
        manager=visit.get("manager"),
        manager_phone=visit.get("phone"),
    )


# --- waivers ----------------------------------------------------------------------------------

WAIVERS_SPEC = ListOf(Record({
    "rule": Field(Choice({r: r for r in WAIVABLE_RULES}, "可说明理由的规则", rule="waiver",
                         description="要说明理由的提示规则：" + "、".join(f"{k}（{v}）" for k, v in WAIVABLE_RULES.items())),
                  required=True),
    "reason": Field(Text(min_len=4, max_len=300, rule="waiver", description="为什么可以保留（至少 4 个字）"),
                    required=True),
    "term": Field(Text(max_len=20, rule="waiver",
                       description="只对这个词生效（用于 absolute-claim，如 国家级）；不写则对该规则的所有提示生效")),
}, rule="waiver"), description="已说明理由的提示：每条写明规则和理由；说明过的提示不再显示，只在汇总中计数")


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

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def active(self) -> bool:
        return self.status == "active"

    def fits_industry(self, industry: str) -> bool:
        return "all" in self.industries or industry in self.industries


_ID = Text(max_len=60, pattern=r"[a-z][a-z0-9_]*", pattern_hint="小写字母开头，只含小写字母、数字和下划线",
           description="产品 id")
_CASE_ID = Text(max_len=80, pattern=r"[a-z][a-z0-9-]*", pattern_hint="小写字母开头，只含小写字母、数字和连字符",
                description="案例 id（= cases/ 中的文件名，不含 .md）")
_INDUSTRY_OR_ALL = Choice({**INDUSTRY_NAMES, "all": "all", "全行业": "all"}, "行业",
                          "适用行业：all（全行业）或行业键、中文名")

TARIFF_ITEM_SPEC = Record({
    "name": Field(Text(max_len=50, description="资费项目名称"), required=True),
    "price": Field(Money(negative_rule="tariff-negative", description="标准价格（元，含税），写成 \"5.00\""),
                   required=True),
    "unit": Field(Choice(_with_synonyms(UNITS), "计费单位", rule="tariff-unit",
                         description="计费单位：" + "、".join(f"{k} {v}" for k, v in UNITS.items())), required=True),
    "billing": Field(Choice(_with_synonyms(BILLING), "计费方式", description="计费方式：monthly 月付、one_off 一次性"),
                     required=True),
    "effective": Field(Date(description="生效日期，如 2026-01-01")),
    "expires": Field(Date(description="失效日期，如 2027-12-31；过期的资费不能再报价")),
    "tiers": Field(ListOf(Record({
        "from": Field(Integer(minimum=2, description="从第几个单位起"), required=True),
        "price": Field(Money(negative_rule="tariff-negative", description="此后每单位价格（元）"), required=True),
    }), description="阶梯价：超过一定数量后的单价（逐级计算）"), default=list),
    "floor": Field(Money(negative_rule="tariff-negative", description="最低价：任何折扣后单价不得低于此价")),
    "vat": Field(Choice(_with_synonyms(VAT_CLASSES), "增值税类别", description="增值税类别：basic 基础电信服务、value_added 增值电信服务、goods 销售货物（终端设备）"),
                 default="value_added"),
    "per": Field(Choice(_with_synonyms(QUANTITY_BASES), "数量依据",
                        description="数量按什么计：employees 员工数、sites 站点数、one 固定 1"), default=None),
    "share": Field(Fraction(description="数量依据中需要的比例，如 0.2 表示 20% 的员工")),
    "optional": Field(Boolean(description="可选档位（如更大带宽）：资费表列出，报价不计入"), default=False),
}, description="一项资费")

PRODUCT_SPEC = Record({
    "id": Field(_ID, required=True),
    "name": Field(Text(max_len=50, description="产品名称；改名时把旧名称留在 aliases 里，老档案照样能认出"),
                  required=True),
    "aliases": Field(ListOf(Text(max_len=50), description="别名、旧名称；不能与其他产品的名称或别名相同"),
                     default=list),
    "category": Field(Choice(CATEGORY_NAMES, "产品类别",
                             "需求类别：basic_comms 基础通信、mobile_office 移动办公、production_control 生产控制、"
                             "marketing 服务营销"), required=True),
    "status": Field(Choice(PRODUCT_STATUS_NAMES, "状态", "状态：active 在售、retired 已下线（不再推荐）"),
                    default="active"),
    "replaced_by": Field(Text(max_len=60, pattern=_ID.pattern, pattern_hint=_ID.pattern_hint,
                              description="已下线产品的替代产品 id")),
    "summary": Field(Text(max_len=300, description="一句话解释"), required=True),
    "how_it_works": Field(Text(max_len=2000, multiline=True, description="实现原理，2–4 句"), required=True),
    "benefits": Field(ListOf(Text(max_len=200), min_items=1, description="给客户带来的价值，2–4 条"), required=True),
    "industries": Field(ListOf(_INDUSTRY_OR_ALL, min_items=1, description="适用行业：[all] 或行业列表"), required=True),
    "fit": Field(Record({
        "sizes": Field(ListOf(Choice({k: k for k in SIZES}, "规模"), min_items=1,
                              description="适合的规模：small 100 人以下、medium 100–999 人、large 1000 人及以上"),
                       default=lambda: list(SIZES)),
        "tiers": Field(ListOf(Choice({t: t for t in TIERS}, "价值等级"), min_items=1,
                              description="适合的客户价值等级：A、B、C"),
                       default=lambda: list(TIERS)),
    }, description="客户属性"), required=True),
    "informatization": Field(Choice(_with_synonyms(INFORMATIZATION), "信息化程度",
                                    "信息化程度：basic 基础、intermediate 进阶、advanced 深度"), required=True),
    "promotion": Field(Text(max_len=1000, multiline=True, description="推广策略"), required=True),
    "client_phrases": Field(ListOf(Text(max_len=200), min_items=1,
                                   description="客户描述问题时的原话（不写产品名），8–15 条；用于匹配"), required=True),
    "keywords": Field(ListOf(Text(max_len=20), description="客户常说的短词；* 代表最多 8 个字"), default=list),
    "tariff": Field(Record({
        "summary": Field(Text(max_len=200, description="资费一句话说明"), required=True),
        "items": Field(ListOf(TARIFF_ITEM_SPEC, description="资费项目"), default=list),
    }, description="资费"), required=True),
    "related_cases": Field(ListOf(_CASE_ID, description="相关案例 id"), default=list),
    "requires": Field(ListOf(_ID, description="必须同时开通的产品 id"), default=list),
    "excludes": Field(ListOf(_ID, description="不能同时开通的产品 id"), default=list),
    "waivers": Field(WAIVERS_SPEC, default=list),
    "faq": Field(ListOf(Record({
        "q": Field(Text(max_len=100, description="客户常问的问题"), required=True),
        "a": Field(Text(max_len=300, description="如实的回答"), required=True),
    }), description="常见问题及回答，2–3 条；写进汇报材料的讲稿备注"), default=list),
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
            "products": Field(ListOf(_ID, min_items=2, description="同时办理即享优惠的产品 id"), required=True),
            "discount": Field(Fraction(maximum=Decimal("0.9"), description="月费折让比例，如 0.10"), required=True),
        }), description="组合优惠"), default=list),
    }, description="报价规则：税率、折让权限、组合优惠")),
}
PRODUCTS_SPEC = ListOf(PRODUCT_SPEC, min_items=1, description="产品列表")
CATALOG_SPEC = Record({**CATALOG_HEADER_FIELDS, "products": Field(PRODUCTS_SPEC, required=True)},
                      description="产品图谱（catalog/products.yaml）")


def build_pricing(data: dict | None):
    """The catalog's ``pricing`` section as quote rules (defaults where it says nothing)."""
    from .quote import Authority, Bundle, Pricing

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
    status: str = "active"
    quote: str | None = None         # the client's words; shown only with quote_consent
    quote_consent: bool = False
    quote_by: str | None = None      # who said it (a role, not a name)
    sample: bool = False             # an invented example: marked （示例） wherever a client reads it

    @property
    def client_quote(self) -> str | None:
        """The client's words a document may print: only with the client's consent to quote them."""
        return self.quote if self.quote_consent and self.quote else None

    @property
    def internal_review(self) -> str:
        """How the deal was won (## 内部复盘): for the visit brief only, never a client document."""
        return self.sections.get(CASE_SECTION_INTERNAL, "")

    def lines(self, section: str) -> list[str]:
        """A body section as a reader sees it: a line per paragraph, list items marked "· ", no
        Markdown emphasis (client text is shown as text, never as markup)."""
        out = []
        for line in self.sections.get(section, "").split("\n"):
            line = line.strip().replace("**", "")
            if line[:2] in ("- ", "* "):
                line = "· " + line[2:].strip()
            if line:
                out.append(line)
        return out

    @property
    def client_label(self) -> str:
        """The name shown to readers: the real name only with recorded consent (脱敏)."""
        return self.real_name if self.consent and self.real_name else self.display_name

    @property
    def size(self) -> str | None:
        return size_of(self.employees)

    @property
    def active(self) -> bool:
        return self.status == "active"


CASE_SPEC = Record({
    "id": Field(Text(max_len=80, pattern=_CASE_ID.pattern, pattern_hint=_CASE_ID.pattern_hint, rule="case-id",
                     description=_CASE_ID.description), required=True),
    "title": Field(Text(max_len=80, description="案例标题"), required=True),
    "status": Field(Choice(CASE_STATUS_NAMES, "案例状态",
                           "状态：active 在用（会被方案引用）、draft 草稿、archived 归档；只有 active 会被引用"),
                    default="active"),
    "client": Field(Record({
        "display_name": Field(Text(max_len=60, description="脱敏后的客户名称，如 华南某精密制造企业；没有授权时只显示它"),
                              required=True),
        "real_name": Field(Text(max_len=100, description="客户真实名称；只有 consent: true（已取得客户书面授权）时才能填写")),
        "consent": Field(Boolean(description="是否已取得客户授权公开真实名称"), default=False),
    }, description="客户（脱敏）"), required=True),
    "industry": Field(INDUSTRY_CHOICE, required=True),
    "employees": Field(Integer(minimum=1, description="员工人数")),
    "sites": Field(Integer(minimum=1, description="办公点、厂区或门店数")),
    "region": Field(Text(max_len=30, description="地区")),
    "year": Field(Integer(minimum=2000, maximum=2100, description="成效数据的测量年份")),
    "products": Field(ListOf(_ID, min_items=1, description="用到的产品 id"), required=True),
    "needs": Field(ListOf(Text(max_len=200), description="解决的需求，客户的原话"), default=list),
    "workflow_step": Field(Choice({s: s for s in WORKFLOW_STEPS}, "工作流程环节",
                                  "对应的工作流程环节：" + "、".join(WORKFLOW_STEPS)), required=True),
    "results": Field(ListOf(Text(max_len=200), description="客户的可量化成效，每条带数字（与 ## 实施成效 一致）"),
                     default=list),
    "quote": Field(Text(max_len=300, description="客户的原话（客户评价）；只有 quote_consent: true 时才会出现在方案中")),
    "quote_consent": Field(Boolean(description="客户是否同意在方案中引用这句原话"), default=False),
    "quote_by": Field(Text(max_len=40, description="说这句话的人的职务，如 信息中心主任；不写姓名")),
    "sample": Field(Boolean(description="编写的示例案例，不是真实客户：用于客户前必须换成真实案例；"
                                        "方案和演示稿中案例标题后标注（示例）"), default=False),
    "waivers": Field(WAIVERS_SPEC, default=list),
}, description="案例头信息（cases/<id>.md 开头 --- 之间的部分）")

# After an invented case's title wherever a client reads it (cases with ``sample: true``).
SAMPLE_MARK = "（示例）"
# The body: what a client reads, in this order, then the internal part only the visit brief reads.
CASE_SECTIONS_CLIENT = ("客户背景", "面临的挑战", "解决方案", "实施成效")
CASE_SECTION_OUTCOME = "实施成效"
CASE_SECTION_INTERNAL = "内部复盘"
CASE_SECTIONS = CASE_SECTIONS_CLIENT + (CASE_SECTION_INTERNAL,)
# Headings of the former format and where their content goes now (for the error message).
CASE_SECTIONS_FORMER = {"客户挑战": "“## 面临的挑战”", "实施过程": "“## 解决方案”（实施步骤写在方案之后）",
                        "客户评价": "头信息的 quote、quote_consent、quote_by"}


def build_case(data: dict, sections: dict[str, str], file: str) -> Case:
    client = data["client"]
    return Case(
        id=data["id"], title=data["title"], display_name=client["display_name"],
        real_name=client["real_name"], consent=client["consent"], industry=data["industry"],
        employees=data["employees"], sites=data["sites"], region=data["region"], year=data["year"],
        products=tuple(data["products"]), needs=tuple(data["needs"]),
        workflow_step=data["workflow_step"], results=tuple(data["results"]), sections=sections,
        file=file, status=data["status"], quote=data["quote"], quote_consent=data["quote_consent"],
        quote_by=data["quote_by"], sample=data["sample"],
    )


def validate(spec: Spec, ctx: Ctx, path: tuple = ()):
    return spec.check(ctx.src.data, path, ctx)
