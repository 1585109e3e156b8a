"""Every vocabulary of the domain, each one table: key -> Chinese label (and accepted synonyms).

Whatever shows a label asks these tables, so a key added here is shown everywhere and a key
missing here cannot reach a reader unnoticed (tests/test_vocab.py). Also the field specs that
several types share (ids, waivers).
"""

from __future__ import annotations

from .spec import Choice, Field, ListOf, Record, Text

# --- the table type ---------------------------------------------------------------------------


class Vocab(dict):
    """One vocabulary: ``key -> Chinese label`` (the mapping itself), plus the other names a file or
    an answer may use for a key. ``lookup`` maps every accepted spelling (the key, its lowercase, the
    label, each synonym) to the key; it is what a :class:`~pitchcraft.model.spec.Choice` checks against."""

    def __init__(self, what: str, entries: dict[str, str | tuple[str, ...]]):
        super().__init__({k: v if isinstance(v, str) else v[0] for k, v in entries.items()})
        self.what = what
        self.synonyms = {k: () if isinstance(v, str) else tuple(v[1:]) for k, v in entries.items()}
        self.lookup: dict[str, str] = {}
        for key in self:
            for name in (key, key.lower(), *self.names(key)):
                self.lookup.setdefault(name, key)

    def names(self, key: str) -> tuple[str, ...]:
        """The label first, then the synonyms."""
        return (self[key], *self.synonyms[key])

    def choice(self, description: str = "", rule: str = "schema") -> Choice:
        return Choice(self.lookup, self.what, description, rule)


def with_synonyms(labels: dict[str, str]) -> dict[str, str]:
    """Accepted spelling -> key for a plain label table (a :class:`Vocab` has it as ``lookup``)."""
    return labels.lookup if isinstance(labels, Vocab) else {**{k: k for k in labels}, **{v: k for k, v in labels.items()}}


# --- vocabularies: key -> label first, then the synonyms accepted in files and answers --------

INDUSTRIES = Vocab("行业", {
    "government": ("党政机关", "政府", "政府机关"),
    "manufacturing": ("制造业", "制造"),
    "finance": ("金融", "金融业", "银行", "保险"),
    "logistics": ("物流", "物流业", "交通运输", "交通运输业"),
    "retail": ("零售", "零售业", "商贸"),
    "education": ("教育",),
    "healthcare": ("医疗", "医疗卫生"),
    "agriculture": ("农业",),
    "energy": ("能源",),
    "construction": ("建筑", "建筑业", "房地产"),
    "hospitality": ("酒店", "餐饮", "酒店餐饮", "餐饮业"),
    "media": ("媒体", "新闻媒体"),
    "it": ("互联网", "信息技术"),
    "utilities": ("公共事业", "水务"),
})
INDUSTRY_LABELS = INDUSTRIES  # the same table, under the name the label readers use

# A finer kind of client than the industry, for choosing the cases a proposal cites (match/cases.py):
# a ferry operator and a city bus company are both 交通运输, a resort and a tea restaurant both 酒店餐饮,
# but neither reads the other's story as its own. A case names its own (front matter ``sub_industry``);
# a client's is recognised from its name (SUB_INDUSTRY_WORDS). Not tied to one industry: a gas utility
# may be filed under 能源 or 公共事业.
SUB_INDUSTRIES = Vocab("细分行业", {
    "parts_machining": ("零部件与机械加工", "精密制造", "五金", "模具"),
    "consumer_goods": ("消费品制造", "灯饰", "家具", "家电"),
    "bank": ("银行", "农商行", "城商行"),
    "insurance": ("保险",),
    "road_passenger": ("城市公交与道路客运", "公交", "道路客运"),
    "water_passenger": ("水路客运与航运", "轮渡", "海岛客运", "航运"),
    "freight": ("货运物流", "物流", "冷链", "快递"),
    "chain_store": ("连锁门店零售", "超市", "便利店", "连锁零售"),
    "trade_dealer": ("商贸批发与专卖", "批发", "专卖", "建材商贸"),
    "k12_school": ("中小学与幼儿园", "中小学", "幼儿园"),
    "college": ("高等与职业院校", "高校", "职业院校"),
    "training": ("培训机构",),
    "hospital": ("医院", "医共体", "卫生院"),
    "clinic_chain": ("门诊与诊所", "诊所", "口腔连锁"),
    "planting": ("种植", "果园", "茶园"),
    "livestock_aquaculture": ("水产与畜禽养殖", "养殖", "水产"),
    "power_new_energy": ("电力与新能源", "电力", "新能源", "光伏"),
    "fuel_retail": ("成品油零售", "加油站"),
    "city_gas": ("城市燃气", "燃气", "管道燃气"),
    "water_supply": ("供水与水务", "供水", "水务"),
    "contractor": ("建筑与市政施工", "建筑施工", "市政工程"),
    "hotel": ("酒店住宿", "酒店", "度假酒店", "民宿"),
    "restaurant": ("餐饮", "餐厅", "茶餐厅"),
    "press": ("报业与出版", "报业", "出版"),
    "broadcast": ("广电与融媒体", "融媒体", "广电"),
    "software": ("软件与互联网", "软件", "互联网"),
    "it_services": ("系统集成与信息技术服务", "系统集成"),
    "gov_service": ("党政机关与政务服务", "政务服务"),
    "grassroots_gov": ("街道与乡镇", "街道", "乡镇"),
})
# Words in a client's name that put it in a sub-industry, and the industry it usually belongs to (of two
# that fit, the one of the client's industry wins: 茶餐厅 is a restaurant, 茶叶合作社 planting).
SUB_INDUSTRY_WORDS = {
    "parts_machining": ("manufacturing", ("精密", "模具", "五金", "机械", "注塑", "压铸", "零部件", "电子")),
    "consumer_goods": ("manufacturing", ("灯饰", "家具", "服装", "纺织", "印染", "家电", "陶", "玩具", "食品")),
    "bank": ("finance", ("银行", "农商", "信用社", "信用合作")),
    "insurance": ("finance", ("保险",)),
    "road_passenger": ("logistics", ("公交", "公共汽车", "巴士", "汽车客运", "出租")),
    "water_passenger": ("logistics", ("海岛", "轮渡", "航运", "船务", "客轮", "港")),
    "freight": ("logistics", ("物流", "快递", "快运", "冷链", "货运")),
    "chain_store": ("retail", ("超市", "便利店", "连锁", "商场", "药房")),
    "trade_dealer": ("retail", ("建材", "批发", "商贸", "贸易")),
    "k12_school": ("education", ("小学", "中学", "幼儿园", "幼教", "九年一贯")),
    "college": ("education", ("学院", "大学", "职业技术")),
    "training": ("education", ("培训",)),
    "hospital": ("healthcare", ("医院", "卫生院", "医共体", "妇幼")),
    "clinic_chain": ("healthcare", ("口腔", "诊所", "门诊")),
    "planting": ("agriculture", ("种植", "果", "橙", "柑", "茶", "蔬菜", "农场")),
    "livestock_aquaculture": ("agriculture", ("养殖", "水产", "对虾", "渔", "畜牧", "猪", "禽")),
    "power_new_energy": ("energy", ("电力", "供电", "光伏", "风电", "新能源")),
    "fuel_retail": ("energy", ("石油", "石化", "加油", "油品")),
    "city_gas": ("energy", ("燃气", "煤气", "天然气")),
    "water_supply": ("utilities", ("水务", "自来水", "供水")),
    "contractor": ("construction", ("建筑", "建工", "市政", "路桥", "工程")),
    "hotel": ("hospitality", ("酒店", "宾馆", "度假", "民宿", "温泉")),
    "restaurant": ("hospitality", ("餐厅", "餐饮", "酒楼", "食府", "茶餐厅")),
    "press": ("media", ("报业", "日报", "晚报", "出版")),
    "broadcast": ("media", ("融媒体", "广电", "电视台", "广播")),
    "software": ("it", ("软件", "互联网", "网络科技")),
    "it_services": ("it", ("集成", "信息技术服务")),
    "gov_service": ("government", ("政务", "局", "委员会", "人民政府")),
    "grassroots_gov": ("government", ("街道", "镇", "乡")),
}

# The name covering every kind of client an industry key holds, for a sentence that names a cited
# case's industry: a city bus company and a cold-chain carrier are both logistics (物流, 交通运输), but
# only 交通物流 is true of both. Industries whose label already covers all their clients keep it.
INDUSTRY_GROUPS = {"logistics": "交通物流", "hospitality": "酒店餐饮", "construction": "建筑与房地产",
                   "it": "互联网与信息技术"}

# What clients of an industry are, as a noun a sentence can put two of them under: 同为制造企业, not
# 同属制造业行业 (a label plus 行业 doubles the word and reads as machine-made). True of every client
# the key holds, as the groups above are: a bus company and a cold-chain carrier are 交通物流企业.
INDUSTRY_PEERS = {
    "government": "党政机关", "manufacturing": "制造企业", "finance": "金融机构", "logistics": "交通物流企业",
    "retail": "零售商贸企业", "education": "教育机构", "healthcare": "医疗卫生机构", "agriculture": "农业经营单位",
    "energy": "能源企业", "construction": "建筑与房地产企业", "hospitality": "酒店餐饮企业", "media": "新闻媒体单位",
    "it": "互联网与信息技术企业", "utilities": "公用事业单位",
}


def industry_group(key: str) -> str:
    """What a document calls an industry when it is not only the client's own (:data:`INDUSTRY_GROUPS`)."""
    return INDUSTRY_GROUPS.get(key) or INDUSTRY_LABELS[key]


def industry_peers(key: str) -> str:
    """The noun for clients of an industry key (:data:`INDUSTRY_PEERS`)."""
    return INDUSTRY_PEERS[key]

CATEGORIES = Vocab("需求类别", {
    "basic_comms": "基础通信",
    "mobile_office": "移动办公",
    "production_control": "生产控制",
    "marketing": "服务营销",
})
ROLES = Vocab("角色", {"decision_maker": ("决策者", "决策人"), "influencer": ("影响者", "影响人"),
                      "user": ("使用者", "使用人"), "gatekeeper": ("把关者", "把关人")})
ATTITUDES = Vocab("态度", {"supportive": "支持", "neutral": "中立", "opposed": "反对"})
TIERS = Vocab("客户价值等级", {"A": ("A 类", "A类"), "B": ("B 类", "B类"), "C": ("C 类", "C类")})
SIZES = Vocab("规模", {"small": ("小型（100 人以下）", "小型"), "medium": ("中型（100–999 人）", "中型"),
                      "large": ("大型（1000 人及以上）", "大型")})
SIZE_SHORT = {k: SIZES.synonyms[k][0] for k in SIZES}  # 小型, as in a narrow column
INFORMATIZATION = Vocab("信息化程度", {"basic": "基础", "intermediate": "进阶", "advanced": "深度"})
VAT_CLASSES = Vocab("增值税类别", {"basic": "基础电信服务", "value_added": "增值电信服务", "goods": "销售货物"})
# What a price item's quantity counts. employees / sites: the profile's figures when the client
# said none; people / subscribers / vehicles / devices / rooms: only a count the client gave (else the line
# is priced per unit with its quantity to be confirmed); messages: packages for the recipients said.
QUANTITY_BASES = Vocab("数量依据", {"employees": "员工数", "sites": "站点数", "one": "固定",
                                 "people": ("使用人数", "客户所说的人数"), "subscribers": ("订户数", "客户所说的订户数"),
                                 "vehicles": ("车辆数", "客户所说的车辆数"), "devices": ("设备数", "客户所说的设备数"),
                                 "rooms": ("会议室数", "客户所说的会议室数"),
                                 "messages": ("短信条数", "按发送对象折算")})
# How a quote line's quantity was found (quote.quantity_for); "employeesx0.2" is shown as 按员工数×20%.
QUANTITY_RULES = Vocab("数量规则", {"employees": "按员工数", "sites": "按站点数", "fixed": "固定 1 套",
                                 "profile": "档案指定", "choices": "客户经理指定", "statement": "按客户所说",
                                 "employees-missing": "缺员工数，按 1 计", "sites-missing": "缺站点数，按 1 计",
                                 "to-confirm": "数量待确认，未计入合计", "messages-start": "先按 1 包起",
                                 "messages": "按客户所说的发送对象折算"})
UNITS = Vocab("计费单位", {"line": "每成员", "user": "每用户", "site": "每站点", "account": "每账户",
                       "terminal": "每终端", "package": "每套", "mailbox": "每邮箱", "vehicle": "每车"})
BILLING = Vocab("计费方式", {"monthly": "月付", "one_off": "一次性"})
WORKFLOW_STEPS = ("接受任务", "圈定客户", "制定方案", "顾问式营销", "合同签订", "售后服务", "二次营销",
                  "行业应用推广", "建立工作档案")
PRODUCT_STATUSES = Vocab("状态", {"active": "在售", "retired": ("已下线", "下线")})
# draft: being written (``cases new``); archived: kept for the record. Only active cases are cited.
CASE_STATUSES = Vocab("案例状态", {"active": "在用", "draft": "草稿", "archived": ("已归档", "归档")})

# The four kinds of consultative question (SPIN), in the order they are asked.
SPIN_LABELS = Vocab("提问类型", {"situation": "现状", "problem": "问题", "implication": "影响",
                             "need_payoff": "价值"})

# Warnings that a product manager or presales may keep, with a written reason (``waivers:``).
WAIVABLE_RULES = Vocab("可说明理由的规则", {
    "absolute-claim": "广告法禁用的绝对化用语",
    "case-stale": "案例数据年份过早",
    "case-sales-story": "案例给客户看的部分读起来像销售过程",
    "tariff-expiring": "资费即将到期",
    "company-example": "出具方信息为示例数据",
})

# Every table above, for the checks that no key reaches a reader (tests/test_vocab.py).
VOCABULARIES = (INDUSTRIES, SUB_INDUSTRIES, CATEGORIES, ROLES, ATTITUDES, TIERS, SIZES, INFORMATIZATION, VAT_CLASSES,
                QUANTITY_BASES, QUANTITY_RULES, UNITS, BILLING, PRODUCT_STATUSES, CASE_STATUSES, SPIN_LABELS,
                WAIVABLE_RULES)

# A profile's keys as people write them in Chinese (客户:, 需求:): not accepted, but told which English
# key they mean (a key written in Chinese is otherwise silently ignored). Not shown in documents.
PROFILE_KEYS = Vocab("档案的键", {
    "client": ("客户", "客户信息", "基本信息", "客户基本信息"), "needs": ("需求", "客户需求", "需求描述"),
    "contacts": ("关键人", "联系人"), "budget": ("预算",), "current_spend": ("目前支出", "通信支出", "现有支出"),
    "quantities": ("数量",), "offer": ("报价", "折让"), "visit": ("拜访", "拜访信息"), "choices": ("我的决定", "选择"),
})
CLIENT_KEYS = Vocab("客户信息的键", {
    "name": ("名称", "客户名称", "客户全称", "单位名称"), "industry": ("行业",), "employees": ("员工数", "员工人数", "人数"),
    "sites": ("网点数", "站点数", "厂区数", "门店数"), "tier": ("客户等级", "等级", "价值等级"), "region": ("地区", "区域"),
    "current_services": ("现有业务", "已有业务", "在用业务"), "competitor": ("竞争对手", "友商"),
})
CONTACT_KEYS = Vocab("关键人的键", {"name": ("姓名", "名字"), "title": ("职务",), "role": ("角色",),
                                 "attitude": ("态度",)})
VISIT_KEYS = Vocab("拜访信息的键", {"date": ("日期", "拜访日期"), "manager": ("客户经理",), "phone": ("电话", "联系电话"),
                                  "branch": ("分公司", "出具单位")})
MONEY_KEYS = Vocab("金额的键", {"monthly_cny": ("每月", "月预算", "每月预算", "每月金额")})

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


INDUSTRY_NAMES = INDUSTRIES.lookup
INDUSTRY_CHOICE = INDUSTRIES.choice("行业：英文键或中文名，如 manufacturing / 制造业")
SUB_INDUSTRY_CHOICE = SUB_INDUSTRIES.choice("细分行业：英文键或中文名，如 city_gas / 城市燃气；可选的值见 docs/content-format.md")
CATEGORY_NAMES = CATEGORIES.lookup
SIZE_NAMES = SIZES.lookup
PRODUCT_STATUS_NAMES = PRODUCT_STATUSES.lookup
CASE_STATUS_NAMES = CASE_STATUSES.lookup

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
