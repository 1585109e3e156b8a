"""Every vocabulary of the domain, each one table: key -> Chinese label (and accepted synonyms).

Whatever shows a label asks these tables, so a key added here is shown everywhere and a key
missing here cannot reach a reader unnoticed (tests/test_vocab.py). Also the field specs that
several types share (ids, waivers).
"""

from __future__ import annotations

from .spec import Choice, Field, ListOf, Record, Text

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

# The four kinds of consultative question (SPIN), in the order they are asked.
SPIN_LABELS = {"situation": "现状", "problem": "问题", "implication": "影响", "need_payoff": "价值"}

# Warnings that a product manager or presales may keep, with a written reason (``waivers:``).
WAIVABLE_RULES = {
    "absolute-claim": "广告法禁用的绝对化用语",
    "case-stale": "案例数据年份过早",
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


def with_synonyms(labels: dict[str, str | tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, names in labels.items():
        out[key] = key
        for name in (names if isinstance(names, tuple) else (names,)):
            out[name] = key
    return out


INDUSTRY_NAMES = with_synonyms(INDUSTRIES)
INDUSTRY_CHOICE = Choice(INDUSTRY_NAMES, "行业", "行业：英文键或中文名，如 manufacturing / 制造业")
CATEGORY_NAMES = with_synonyms(CATEGORIES)
SIZE_NAMES = {**{k: k for k in SIZES}, **{v: k for k, v in SIZE_SHORT.items()}}
PRODUCT_STATUS_NAMES = with_synonyms(PRODUCT_STATUSES)
CASE_STATUS_NAMES = with_synonyms(CASE_STATUSES)

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

# --- ids ---------------------------------------------------------------------------------------

PRODUCT_ID = Text(max_len=60, pattern=r"[a-z][a-z0-9_]*", pattern_hint="小写字母开头，只含小写字母、数字和下划线",
                  description="产品 id")
CASE_ID = Text(max_len=80, pattern=r"[a-z][a-z0-9-]*", pattern_hint="小写字母开头，只含小写字母、数字和连字符",
               description="案例 id（= cases/ 中的文件名，不含 .md）")
INDUSTRY_OR_ALL = Choice({**INDUSTRY_NAMES, "all": "all", "全行业": "all"}, "行业",
                         "适用行业：all（全行业）或行业键、中文名")
