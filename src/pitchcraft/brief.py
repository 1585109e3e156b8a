"""The account manager's visit brief (拜访简报): an internal Word document, composed here as data.

It is what the training decks say a manager should carry into a visit: who the key persons are and
how to win each of them (role × attitude), how close the relationship is (seed 004's clip, zipper and
velcro), the bundle with one line of value per product, the questions to ask for every need
(situation, problem, implication, need-payoff), the objections to expect with an answer for each —
price first, never a blind cut — the needs to take back to product managers, and the next steps along
the work manual's flow (制定方案 → 顾问式营销 → 合同签订 → 售后服务 → 二次营销).

The brief is marked 内部资料 请勿外传 and is never merged into the client's proposal: it is its own
file. :mod:`pitchcraft.render.brief_docx` writes it; this module decides what it says.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compose.briefcases import case_blocks
from .compose.context import PLAN_PHASES, money
from .compose.model import Numbering, Table
from .errors import OutputExistsError, Problem, UsageError
from .interview import SPIN
from .match import Recommendation
from .match.recommend import ProductMatch
from .schema import ATTITUDES, CATEGORIES, CATEGORY_NAMES, INDUSTRY_LABELS, ROLES, SIZE_SHORT, Product, Profile
from .textblocks import Bullets, Heading, Para
from .workspace import Workspace

BANNER = "内部资料 请勿外传"
FILE_SUFFIX = "拜访简报.docx"

# --- key persons: role x attitude -> how to win them over -------------------------------------------

STRATEGY: dict[tuple[str, str], str] = {
    ("decision_maker", "supportive"):
        "请他在决策会上明确表态，并指定一位对接人推动合同；邀请参加高层交流或同行标杆参观，巩固支持。",
    ("decision_maker", "neutral"):
        "用他关心的经营结果说话：省多少钱、快多少、少出多少错；带上同行业案例和测算，争取一次 20 分钟的专门汇报。",
    ("decision_maker", "opposed"):
        "先弄清反对的真实原因（对我们有成见、与现有供应商关系深，还是觉得没必要）；不正面硬推，"
        "通过支持我们的影响者间接影响，用小范围试点降低他的决策风险。",
    ("influencer", "supportive"):
        "把案例、测算和演示材料交给他，武装他在内部替我们说话；请他引荐决策者，并提前告诉我们内部的顾虑。",
    ("influencer", "neutral"):
        "了解他最在意的问题，用他所管部门的痛点做演示；邀请他参与方案设计，让方案里有他的意见。",
    ("influencer", "opposed"):
        "单独约谈，先听完他的顾虑并记录；若顾虑来自现有供应商关系，强调平滑过渡、不影响现有业务，"
        "请他参与试点评估。",
    ("user", "supportive"):
        "请他讲出日常使用中的不便，作为需求依据；安排试用，让他的使用体验成为内部口碑。",
    ("user", "neutral"):
        "现场演示操作，强调简单、不改变工作习惯；承诺上线培训和专人答疑。",
    ("user", "opposed"):
        "多半担心改变习惯或增加工作量：先试用一个小组，安排培训和专人答疑，让他看到省事而不是添事。",
    ("gatekeeper", "supportive"):
        "请他提前告知预算、采购和合规流程及时间点，按流程准备材料，避免卡在流程上。",
    ("gatekeeper", "neutral"):
        "提前准备资费明细、现有费用与方案后费用的对比和合同样本，按他的流程和时间点走。",
    ("gatekeeper", "opposed"):
        "带上费用对比测算（现有费用 vs 方案后费用）和预算匹配说明，讲清哪些是固定资费、哪些可按量调整；"
        "在决策会之前单独约见，不要让他在会上第一次看到报价。",
}
ROLE_UNKNOWN = "角色未记录：拜访时弄清他在决策中的位置——拍板、出主意、使用，还是把关预算和合规。"
ATTITUDE_UNKNOWN = "态度未记录，先按中立准备："


def _strategy(role: str | None, attitude: str | None) -> str:
    if role is None:
        return ROLE_UNKNOWN
    if attitude is None:
        return ATTITUDE_UNKNOWN + STRATEGY[(role, "neutral")]
    return STRATEGY[(role, attitude)]


def _priority(role: str | None, attitude: str | None) -> str:
    if role == "decision_maker":
        return "关键支持" if attitude == "supportive" else "首要争取"
    if attitude == "opposed":
        return "重点化解"
    if attitude == "supportive":
        return "可以依靠"
    return "继续争取"


# --- relationship stage (seed 004: 夹子 / 拉链 / 尼龙搭扣) ------------------------------------------------

STAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "clip": (
        "夹子（松散型）",
        "纯粹的买卖关系：我们提供标准配置、非定制的产品，客户适应我们。没有关系基础的竞争性营销是被动的，"
        "而全新客户对差错的容忍度远低于老客户，这一单必须全力以赴。",
        ("以标准化产品切入，先成交一单建立信任：{lead}",
         "摸清决策链：谁拍板、谁出主意、谁把关预算，补全关键人档案",
         "第一次合作做到零差错：开通、培训、回访都按承诺的时间完成",
         "目标：合作起来后调整产品和服务，升级为拉链关系"),
    ),
    "zipper": (
        "拉链（熟悉型）",
        "彼此熟悉：客户已在用我们的业务，我们可以调整产品或服务、建立紧密的合作关系，但这种关系仍可能被对手取代。",
        ("先回访现有业务（{current}）的使用情况和满意度，解决遗留问题，再谈新需求",
         "把新产品和现有业务组合、捆绑起来，提高客户的转网成本：{lead}",
         "有计划地拜访关键人，建立与决策者的定期沟通",
         "目标：按客户的业务定制整体方案，升级为尼龙搭扣关系"),
    ),
    "velcro": (
        "尼龙搭扣（紧密型）",
        "最紧密的关系：按客户要求定制，彼此依赖，我们适应客户。要守住它，就要持续为客户创造新的价值。",
        ("以整体解决方案而不是单个产品来谈：{lead}",
         "保持高层互访和定期服务报告，落实首席客户代表",
         "关注竞争对手的反挖动作和各项合同的到期时间，提前续约",
         "从客户的客户出发找新的应用，帮助客户赢得它的市场"),
    ),
}
VELCRO_FROM = 3  # current services from which the relationship counts as velcro


# --- competitors ---------------------------------------------------------------------------------------

# name fragments -> (who, their usual bundle: stated as fact, never disparaged)
COMPETITORS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("电信", "天翼"), "中国电信", "以固定电话和光纤宽带为基础、捆绑天翼手机的融合套餐，政企客户常从固话、宽带和专线切入"),
    (("联通", "沃"), "中国联通", "宽带、固话与手机打包的融合套餐，政企客户常从专线、宽带和云业务切入"),
    (("广电", "有线"), "中国广电", "以有线电视和宽带为基础、叠加 192 号段手机业务的融合套餐"),
)


def competitor_of(name: str | None) -> tuple[str, str] | None:
    if not name:
        return None
    for fragments, who, bundle in COMPETITORS:
        if any(f in name for f in fragments):
            return who, bundle
    return None


# --- per product: a question to qualify the need, and the client's likely question with an answer -------

# Answers restate the catalog's own descriptions (how_it_works, promotion); where the catalog does not
# say (migration, lead times), the answer tells the manager to confirm first rather than promise.
PLAYBOOK: dict[str, tuple[str, str, str]] = {
    "vpmn": ("员工手机有多少是我方号码？内部互拨大约占话费的几成？能否提供近三个月的话单，用来测算能省多少？",
             "加入集团V网要换号吗？员工原来的套餐怎么办？",
             "不用换号，原号码、原套餐都不变，只是编入集团虚拟网并分配短号；成员之间按网内资费计费，网外通话沿用各自套餐。"
             "费用可以集团统一付、个人自付或按比例分摊，跨地市的分支机构也能加入同一张网。"),
    "vnet_companion": ("员工和哪些网外号码通话最多（家属、固定供应商、外包队伍负责人）？",
                       "伴侣号码是不是也要加入我们集团？",
                       "不用。伴侣号码不编入集团、不占成员名额，只是和成员之间通话享受伴侣优惠；由管理员或成员本人通过短信、网厅办理和变更。"),
    "group_private_line": ("有几个站点要互联？ERP、财务等系统放在哪里？现在用什么线路、多大带宽？",
                           "专线断了怎么办？开通要多久？",
                           "合同约定服务等级：可用率 99.9%，7×24 小时网管监控，城区故障 4 小时内修复，按季度出具服务报告。"
                           "开通需要现场勘察和施工，周期以勘察结果为准——拜访前先请网络支撑评估资源，不要当场承诺日期。"),
    "ip_private_line": ("现在的宽带多大、上行够不够？有没有自建网站、服务器，需不需要固定公网 IP？",
                        "专线比普通宽带贵不少，值吗？",
                        "差别在于带宽独享、不与他人分摊、上下行对等，并配固定公网 IP 和专属故障受理通道；"
                        "几百人同时上网、对外提供服务的单位，高峰期不掉速才是省下的成本。"),
    "info_terminal": ("通知一般发给多少人？有没有保密要求，断网时是否也要能发？",
                      "这和用手机群发有什么区别？",
                      "信息机放在值班室，本地保存通讯录，经移动网络直接群发到成员手机并收回复、统计回执；"
                      "不用登录外部网站，断网时照样可用。终端可采用合约方式，降低一次性投入。"),
    "wireless_dnn": ("有多少台设备或物联网卡？对数据与互联网隔离有什么硬性要求？",
                     "设备里的卡被拔出来挪用怎么办？",
                     "专属 DNN 只能接入客户内网、与互联网隔离；可以做机卡绑定和访问地址白名单，卡被拔出也挪用不了，"
                     "还可为每台终端分配固定内网 IP。"),
    "mobile_switchboard": ("对外公布的号码有几个？一天大概多少来电、漏接多少？",
                           "要不要换掉我们原来的座机号码？",
                           "一般不用：总机号码可以沿用原有固话号码（号码能否迁移拜访前先核实），来电按语音导航和分机规则转到员工手机；"
                           "不用买交换机、不用布线，员工手机外呼可显示总机号码，漏接有短信提醒。"),
    "enterprise_sms": ("一次通知要发给多少人？多久发一次？现在怎么发？",
                       "员工要不要装软件？",
                       "不用。普通手机就能收到，短信带企业签名；管理员在网页上就能群发、定时发送，并统计回执和回复。"),
    "mas": ("哪些系统（OA、ERP、CRM）需要自动发短信？系统由谁开发维护？",
            "要改我们的系统吗？",
            "只需要系统调用一个接口（HTTP/WebService、CMPP 或数据库中间表，任选其一），由 MAS 下发短信并回传状态；"
            "我们提供接口文档和测试账号，建议先打通一个场景（如审批提醒或验证码）再扩展。"),
    "mobile_oa": ("现在用什么 OA？最常用、最着急的是哪几个审批流程？",
                  "我们已经有 OA 了，还要再上一套吗？",
                  "不必推倒重来：现有 OA 可以经安全网关延伸到手机上，也可以用标准流程；"
                  "建议先上线三到五个最常用的审批流程，支持手写签批和附件预览，待办有消息提醒。"),
    "mobile_mail": ("哪些人经常出差、需要在外面及时看邮件？现在用什么邮箱？",
                    "我们公司的邮件能在手机上收吗？",
                    "可以。手机邮箱能代收企业邮箱的邮件，新邮件到达即提醒，Word、PDF、Excel 附件可在手机上预览。"),
    "enterprise_mail": ("有没有自己的域名？现在员工用什么邮箱对外联系？大概要多少个邮箱？",
                        "服务器要我们自己维护吗？原来的邮件怎么办？",
                        "不用自建邮件服务器，由运营商负责运维和数据备份；账号统一开设和回收，员工离职邮件不流失。"
                        "原有邮件怎么迁移，拜访前先和产品经理确认，不要当场承诺。"),
    "group_directory": ("员工多少人、分几个部门？人员调动多不多？",
                        "通讯录会不会泄露出去？",
                        "号簿只有本集团成员能看，人员离职后自动收回；管理员统一维护、可从 Excel 批量导入，变动后成员手机自动刷新。"),
    "cloud_video": ("总部和分支多久开一次会？每次多少人、要不要出差？",
                    "是不是要买很贵的会议设备？",
                    "不一定：手机、电脑就能入会，会议室终端按需选配；按账号或并发方数订购。"
                    "可以拿一次现场开会的差旅费和年费对比，并申请试用账号。"),
    "mobile_scm": ("经销商、门店有多少家？现在怎么下单、怎么对账？",
                   "经销商会不会不愿意用？",
                   "经销商在手机上就能下单，不用装电脑软件；建议先选一个区域的经销商试点，订单自动进入进销存或 ERP，"
                   "月底自动出对账单。实施由行业经理和合作伙伴共同完成。"),
    "industry_terminal": ("现场作业有多少人？现在靠纸质记录还是已有设备？",
                          "终端一次性投入太大怎么办？",
                          "可以“终端合约 + 号卡 + 应用”打包，按台购买或分期，降低一次性投入；终端、号卡、应用安装和维保一体化交付。"),
    "gprs_access": ("有多少台设备要联网？数据要传回哪个系统？",
                    "设备这么分散，这些卡怎么管？",
                    "配套物联网卡管理平台，可以看每张卡的在线状态和流量池用量、办理停复机；设备上电即可上报数据，不用拉网线，"
                    "数据经企业专属 APN/DNN 回到客户自己的服务器。"),
    "video_surveillance": ("要看哪些地方、几个点位？晚上有没有人值守？",
                           "录像存在哪里？要不要买硬盘录像机？",
                           "视频加密上传到运营商云端，可选存 7 天或 30 天，不需要硬盘录像机和专业布线；手机上实时看、回放，"
                           "异常告警推送到手机，还可以分权给店长。"),
    "business_card": ("业务员有多少人？每天对外打多少电话？",
                      "每次通话都发短信，会不会打扰客户？",
                      "同一号码每天只发一次，内容由单位统一编辑审核；可以设置只发给主叫、只发给被叫或都发。"),
    "group_ringtone": ("每天大概有多少个外部来电？最想让来电的人听到什么（资质、新品、服务热线）？",
                       "员工还能用自己的彩铃吗？内容以后能改吗？",
                       "集团彩铃由管理员统一设置，员工不能随意改成个人彩铃；内容可以按节日、活动随时更换，也可以委托专业录音棚配音。"),
    "mobile_media": ("想推送给谁（员工、党员、会员、订户）？多久一期？",
                     "内容由谁来做？",
                     "客户自己编辑图文或视频，运营商提供编辑发布平台、往期样刊和模板，还能统计阅读情况。"),
    "finance_info": ("每天有多少笔动账、续保、到期提醒？现在走什么通道？",
                     "高峰时段短信会不会延迟？发错人怎么办？",
                     "财信通走专用高优先级通道，高峰时段保障发送速度；有发送状态回执和号码变更核验，避免发错人，"
                     "记录按金融监管要求留存。"),
    "agri_info": ("要覆盖多少农户、哪些品种？由谁统一付费？",
                  "农户要自己交钱吗？",
                  "可以由合作社或农业部门统一付费、社员免费接收；按地区、按品种推送行情、天气预警和农技信息，农户还能提问、由农技专家回复。"),
    "commerce_info": ("会员有多少？收银系统里有没有会员资料？",
                      "顾客会不会嫌烦、退订？",
                      "短信带商户签名，顾客可以回复退订；按消费记录、会员等级和生日分组，只发给合适的人，平台还统计券码核销和回店情况。"),
}
GENERIC_QUALIFY = "涉及多少人、多少个点？现在是怎么解决的？"


def _playbook(p: Product) -> tuple[str, str, str]:
    if p.id in PLAYBOOK:
        return PLAYBOOK[p.id]
    return (GENERIC_QUALIFY, f"{p.name}怎么收费、多久能用上？",
            f"标准资费：{p.tariff_summary}。开通周期和所需资料拜访前先向产品经理确认，不要当场承诺。")


# --- the brief as data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPlan:
    name: str
    title: str
    role: str       # Chinese label, or 未记录
    attitude: str   # Chinese label, or 未记录
    priority: str
    strategy: str


@dataclass(frozen=True)
class Stage:
    key: str        # clip | zipper | velcro
    name: str
    basis: str
    meaning: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Objection:
    topic: str
    says: str
    answer: str


@dataclass(frozen=True)
class NeedQuestions:
    category: str
    statement: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    phase: str
    todo: str
    when: str


@dataclass
class Brief:
    client: str
    title: str
    banner: str
    meta: tuple[tuple[str, str], ...]
    people: list[PersonPlan]
    stage: Stage
    objections: list[Objection]
    questions: list[NeedQuestions]
    unmatched: list[str]
    steps: list[Step]
    blocks: list = field(default_factory=list)   # Heading, Para, Bullets, Table, in reading order
    footer_note: str = ""


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _names(items: list[str] | tuple[str, ...]) -> str:
    return "、".join(items)


def read_discovery(data: Any) -> dict[str, dict[str, Any]]:
    """What the interview learnt (``discovery:``), read leniently: statement -> notes, plus situations.

    Returns ``{"situations": {category: text}, "notes": {statement: {"implication": …, "need_payoff": …}}}``.
    Malformed parts are ignored: they are the manager's own notes, not part of the contract.
    """
    out: dict[str, dict[str, Any]] = {"situations": {}, "notes": {}}
    disc = data.get("discovery") if isinstance(data, dict) else None
    if not isinstance(disc, dict):
        return out
    for raw_key, entry in disc.items():
        cat = CATEGORY_NAMES.get(str(raw_key).strip())
        if cat is None or not isinstance(entry, dict):
            continue
        if isinstance(entry.get("situation"), str) and entry["situation"].strip():
            out["situations"][cat] = entry["situation"].strip()
        for item in entry.get("needs") or []:
            if isinstance(item, dict) and isinstance(item.get("statement"), str):
                notes = {k: item[k].strip() for k in ("implication", "need_payoff")
                         if isinstance(item.get(k), str) and item[k].strip()}
                out["notes"][item["statement"].strip()] = notes
    return out


def _people(profile: Profile) -> list[PersonPlan]:
    plans = []
    for c in profile.contacts:
        plans.append(PersonPlan(c.name, c.title or "—", ROLES.get(c.role or "", "未记录"),
                                ATTITUDES.get(c.attitude or "", "未记录"), _priority(c.role, c.attitude),
                                _strategy(c.role, c.attitude)))
    return plans


def _stage(rec: Recommendation) -> Stage:
    profile = rec.profile
    current = [p.name for p in rec.current_products] + list(rec.unknown_current)
    n = len(current)
    key = "clip" if n == 0 else "zipper" if n < VELCRO_FROM else "velcro"
    name, meaning, actions = STAGES[key]
    lead = _names([m.product.name for m in rec.products[:2]]) or "客户最关心的一项需求"
    if key == "clip":
        basis = "档案中没有客户在用的我方业务，按新客户对待"
    else:
        basis = f"客户已在使用我方 {n} 项业务：{_names(current)}"
    if profile.competitor:
        basis += f"；现有或竞争的供应商：{profile.competitor}"
    return Stage(key, name, basis, meaning,
                 tuple(a.format(lead=lead, current=_names(current) or "—") for a in actions))


def _price_objection(rec: Recommendation) -> Objection:
    profile = rec.profile
    products = rec.products
    first_need = profile.statements()[0][1]
    lines = ["不要当场降价，先问清客户要求降价的真实原因：是竞争对手报价更低、还没有真正的购买意向、"
             "对方案的价值看法不同，还是预算有限？"]
    lines.append("如果是对手报价更低：请客户把两份方案放在一起，逐项比包含什么（成员数、网内通话、服务等级、开通费、合同期），"
                 "比内容，不只比总价。")
    if len(products) >= 3:
        core, later = products[:2], products[2:]
        lines.append(f"如果是预算有限：不同的价格对应不同的组合，而不是同一组合打折——可以先上"
                     f"{_names([m.product.name for m in core])}（基础组合），"
                     f"{_names([m.product.name for m in later])}放到第二期。")
    else:
        lines.append("如果是预算有限：不同的价格对应不同的组合，而不是同一组合打折——先上最急的一项，其余分期。")
    lines.append("如果是还没有购买意向、只是在压价比价：不急于报底价，先把需求和价值谈透，约定试点之后再谈价格。")
    lines.append(f"如果是价值看法不同：用客户自己的话算账——“{first_need}”，这件事每月的代价是多少，和方案的月费放在一起比。")
    fixed = "；".join(f"{m.product.name} {m.product.tariff_summary}" for m in products[:4])
    lines.append(f"心里要有数：各产品的标准资费是固定的（{fixed or '见推荐组合'}）；"
                 "可以调整的是产品组合和上线顺序、成员和站点数量、合同期限和付费方式。")
    if profile.budget_monthly is not None:
        lines.append(f"档案记录的月预算约 {money(profile.budget_monthly)}：报价前按成员数、站点数测算，超出预算就用上面的分期组合。")
    else:
        lines.append("档案中没有预算：拜访时问清现在每月的通信费和可用的预算。")
    return Objection("价格", "你们的报价太高了，能不能再便宜一点？", "\n".join(lines))


def _competitor_objection(rec: Recommendation) -> Objection:
    profile = rec.profile
    name = profile.competitor or ""
    known = competitor_of(name)
    ours = _names([m.product.name for m in rec.products[:3]]) or "我们的方案"
    if known:
        who, bundle = known
        says = f"我们一直用{who}的固话和宽带，用得挺好，没必要换。"
        answer = (f"{who}的常见做法是{bundle}。不评价对方的网络和服务，也不劝客户拆掉现有的固话和宽带。\n"
                  f"我们的思路是以手机为中心的融合：{ours}，补上手机侧的内部通话、移动办公和对外形象，"
                  "和现有固话、宽带可以并存，员工手机号码不变。\n"
                  "先选一个部门或一个分支机构试点，用前后的账单和使用数据说话；问清现有合同的到期时间，到期前三个月带着对比测算再谈。")
    else:
        says = f"我们现在用的是{name}，合作挺久了。"
        answer = (f"先了解{name}给客户提供了什么、客户满意什么、不满意什么，不评价对方。\n"
                  f"讲我们方案的不同：{ours}——用客户自己提到的问题对照，说明每一项解决什么；"
                  "从不冲突的业务先开始，问清现有合同的到期时间。")
    return Objection("竞争对手", says, answer)


def _status_quo_objection(rec: Recommendation) -> Objection:
    first_need = rec.profile.statements()[0][1]
    return Objection("现状", "我们现在这样也能用，不着急。",
                     f"把客户自己的话复述回去：“{first_need}”——问这件事每个月要多花多少钱、耽误多少事；"
                     "再约一个小范围试用，让客户先看到效果，不逼单。")


_PERSON_OBJECTIONS = {
    "gatekeeper": ("今年的预算已经定了，没有这笔费用。",
                   "带上费用对比：现有费用 vs 方案后费用，先说省下的部分；讲清固定资费和可调整的部分，"
                   "提出分期上线、从下个预算周期开始计费等不同组合，而不是降价。"),
    "decision_maker": ("现在这样也挺好，没必要改。",
                       "不争论，先问他最关心的经营指标；用同行业案例说明别人改了之后省了什么、快了什么，"
                       "提议小范围试点，由他决定是否推广。"),
    "influencer": ("这个方案我们内部还没想好，先放一放。",
                   "请他说出具体顾虑并逐条记录；约定一次内部演示，让他参与方案调整，把他的意见写进方案。"),
    "user": ("又要学新东西，太麻烦了。",
             "承诺上线培训和专人答疑，先在一个小组试用；演示时从他每天最费事的那一步开始，让他看到省事。"),
}


def _person_objections(people: list[PersonPlan], profile: Profile) -> list[Objection]:
    out, seen = [], set()
    for c in profile.contacts:
        if c.attitude != "opposed" or c.role is None or c.role in seen:
            continue
        seen.add(c.role)
        says, answer = _PERSON_OBJECTIONS[c.role]
        out.append(Objection(f"{c.name}（{ROLES[c.role]}）", says, answer))
    return out


def _product_objections(rec: Recommendation) -> list[Objection]:
    out = []
    for m in rec.products:
        _qualify, says, answer = _playbook(m.product)
        out.append(Objection(m.product.name, says, answer))
    return out


def _questions(rec: Recommendation, discovery: dict) -> list[NeedQuestions]:
    notes = discovery.get("notes", {})
    out = []
    for sm in rec.statements:
        spin = SPIN.get(sm.category, SPIN["basic_comms"])
        qs = []
        if sm.matched:
            same_area = [e.product for e in sm.products if e.product.category == sm.category]
            qs.append("核实：" + _playbook((same_area or [sm.products[0].product])[0])[0])
        else:
            qs.append("核实：这件事现在怎么解决？希望做到什么程度？（暂无对应产品：记下细节，带回给产品经理）")
        known = notes.get(sm.statement, {})
        qs.append(f"影响（已了解）：{known['implication']}——拜访时确认具体数字" if "implication" in known
                  else f"影响：{spin['implication']}")
        qs.append(f"价值（客户期望）：{known['need_payoff']}" if "need_payoff" in known
                  else f"价值：{spin['need_payoff']}")
        out.append(NeedQuestions(sm.category, sm.statement, tuple(qs)))
    return out


def _steps(rec: Recommendation, people: list[PersonPlan]) -> list[Step]:
    profile = rec.profile
    visit = profile.visit_date
    phases = {name: (start, end) for name, start, end, _what in PLAN_PHASES}

    def when(start: int, end: int, fallback: str) -> str:
        if visit is None:
            return fallback
        return f"{_cn_date(visit + dt.timedelta(days=start))}—{_cn_date(visit + dt.timedelta(days=end))}"

    first = rec.products[0].product.name if rec.products else "方案"
    win = [p for p in people if p.priority in ("首要争取", "重点化解")]
    gatekeepers = [p.name for p in people if p.role == ROLES["gatekeeper"]]
    untouched = [label for key, label in CATEGORIES.items() if key not in profile.needs]
    prepare = "用 pitchcraft generate 生成建议书和 PPT；准备费用对比测算、资费明细和同行业案例"
    if rec.unmatched:
        prepare += f"；把 {len(rec.unmatched)} 条待带回需求先发给产品经理"
    visit_todo = f"按提问清单挖掘需求（现状→问题→影响→价值），现场演示{first}，争取试用或试点"
    if win:
        visit_todo += f"；重点见{_names([p.name for p in win])}"
    contract = "确认产品组合、成员数和资费，签订业务协议，明确服务等级和对接人"
    if gatekeepers:
        contract += f"；请{_names(gatekeepers)}提前审阅费用和合同"
    c_start, c_end = phases.get("合同签订", (7, 14))
    o_start, o_end = phases.get("开通实施", (14, 30))
    t_start, t_end = phases.get("培训上线", (30, 37))
    r_start, r_end = phases.get("回访优化", (60, 67))
    second = "上线一个月后回访用量和满意度，按使用情况调整方案"
    if rec.unmatched:
        second += "；答复待带回的需求"
    if untouched:
        second += f"；从尚未谈到的{_names(untouched)}方面发掘新需求"
    return [
        Step("制定方案", prepare, f"{_cn_date(visit - dt.timedelta(days=1))}前" if visit else "拜访前"),
        Step("顾问式营销", visit_todo, _cn_date(visit) if visit else "拜访当天"),
        Step("合同签订", contract, when(c_start, c_end, f"拜访后第 {c_start}–{c_end} 天")),
        Step("售后服务", "开通实施、管理员和员工培训；开通后一周内回访，处理问题不过夜",
             when(o_start, t_end, f"拜访后第 {o_start}–{t_end} 天")),
        Step("二次营销", second, when(r_start, r_end, f"拜访后第 {r_start}–{r_end} 天")),
    ]


def compose_brief(rec: Recommendation, today: dt.date, discovery: dict | None = None) -> Brief:
    """Everything the brief says, as data, with its blocks in reading order."""
    profile = rec.profile
    discovery = discovery or {"situations": {}, "notes": {}}
    people = _people(profile)
    stage = _stage(rec)
    objections = [_price_objection(rec)]
    objections.append(_competitor_objection(rec) if profile.competitor else _status_quo_objection(rec))
    objections += _person_objections(people, profile)
    objections += _product_objections(rec)
    questions = _questions(rec, discovery)
    steps = _steps(rec, people)
    meta = tuple((k, v) for k, v in (
        ("拜访日期", _cn_date(profile.visit_date) if profile.visit_date else "未定"),
        ("客户经理", " ".join(x for x in (profile.manager, profile.manager_phone) if x) or "未填写"),
        ("编制日期", _cn_date(today)),
    ))
    brief = Brief(profile.name, f"{profile.name}拜访简报", BANNER, meta, people, stage, objections, questions,
                  list(rec.unmatched), steps,
                  footer_note="本简报由 pitchcraft 根据需求档案生成，只供客户经理拜访准备使用；"
                              "请勿发给客户，也不要把其中内容复制到建议书中。")
    brief.blocks = _blocks(rec, brief, discovery)
    return brief


def _snapshot(rec: Recommendation, stage: Stage) -> Table:
    p = rec.profile
    size = "、".join(x for x in (
        f"{p.employees} 人" if p.employees else "",
        f"{p.sites} 个办公点/厂区/门店" if p.sites else "",
    ) if x) or "未填写"
    if p.size:
        size += f"（{SIZE_SHORT[p.size]}）"
    current = [m.name for m in rec.current_products]
    current_text = _names(current) if current else "无（新客户）"
    if rec.unknown_current:
        current_text += f"；产品目录中找不到：{_names(rec.unknown_current)}，请核实"
    counts = [f"{CATEGORIES.get(k, '其他')} {len(v)}" for k, v in p.needs.items() if v]
    total = len(p.statements())
    needs = (f"共 {total} 条（{'，'.join(counts)}）；有产品对应 {total - len(rec.unmatched)} 条，"
             f"待带回 {len(rec.unmatched)} 条")
    rows = [
        ("客户名称", p.name),
        ("行业", INDUSTRY_LABELS[p.industry]),
        ("规模", size),
        ("价值等级", f"{p.tier} 类" if p.tier else "未填写"),
        ("地区", p.region or "未填写"),
        ("现有我方业务", current_text),
        ("竞争对手", p.competitor or "未填写"),
        ("月预算", money(p.budget_monthly) if p.budget_monthly is not None else "未填写"),
        ("需求概况", needs),
        ("关系阶段", stage.name),
    ]
    return Table(("项目", "内容"), tuple(rows), (1.4, 6.0))


def _blocks(rec: Recommendation, brief: Brief, discovery: dict) -> list:
    num = Numbering()
    blocks: list = []

    def h1(text: str) -> None:
        blocks.append(Heading(1, num.next(1) + text))

    def h2(text: str) -> None:
        blocks.append(Heading(2, num.next(2) + text))

    h1("客户速览")
    blocks.append(_snapshot(rec, brief.stage))

    h1("关键人地图")
    if brief.people:
        deciders = [x for x in brief.people if x.role == ROLES["decision_maker"]]
        to_win = [x for x in brief.people if x.priority in ("首要争取", "重点化解")]
        allies = [x for x in brief.people if x.attitude == ATTITUDES["supportive"]]
        summary = [
            "拍板的人：" + (_names([f"{x.name}（{x.title}，{x.attitude}）" for x in deciders]) if deciders
                          else "档案中没有决策者——拜访时要弄清谁拍板"),
            "需要争取：" + (_names([f"{x.name}（{x.title}，{x.role}，{x.attitude}）" for x in to_win]) if to_win
                          else "暂无明确的反对者，保持与每位关键人的沟通"),
            "可以依靠：" + (_names([f"{x.name}（{x.title}）" for x in allies]) if allies
                          else "还没有明确的支持者——本次拜访要争取至少一位内部支持者"),
        ]
        blocks.append(Bullets(tuple(summary)))
        blocks.append(Table(("姓名", "职务", "角色", "态度", "策略"),
                            tuple((x.name, x.title, x.role, x.attitude, f"【{x.priority}】{x.strategy}")
                                  for x in brief.people),
                            (1.0, 1.3, 0.9, 0.8, 4.6), "表：关键人与策略"))
    else:
        blocks.append(Para("档案中还没有关键人。拜访时请弄清以下四类人各是谁、对我们是什么态度，回来补进档案："))
        blocks.append(Bullets(("决策者：最后拍板的人", "影响者：出主意、内部有话语权的人",
                               "使用者：每天用的人，他们的不便就是需求", "把关者：管预算、采购和合规的人（常是财务）")))

    h1("客户关系阶段")
    stage = brief.stage
    blocks.append(Para(f"判断：{stage.name}。依据：{stage.basis}。", "lead"))
    blocks.append(Para(stage.meaning))
    blocks.append(Para("下一步："))
    blocks.append(Bullets(stage.actions))

    h1("推荐组合")
    if rec.all_products:
        blocks.append(Para(f"共推荐 {len(rec.products)} 个新产品"
                           + (f"，另有 {len(rec.extensions)} 项现有业务可扩容" if rec.extensions else "")
                           + "。每个产品一句话价值，拜访时先讲价值、再讲产品。"))
        rows = [_bundle_row(m) for m in rec.all_products]
        blocks.append(Table(("产品", "一句话价值", "回应的客户原话", "标准资费"), tuple(rows),
                            (1.3, 2.4, 2.6, 2.1), "表：推荐组合"))
    else:
        blocks.append(Para("本次需求在产品目录中都没有对应的产品；拜访以了解需求为主，回来后与产品经理一起研究方案。"))

    h1("可引用的案例")
    blocks += case_blocks(rec)

    h1("拜访提问清单")
    blocks.append(Para("按“现状 → 问题 → 影响 → 价值”的顺序问，记下客户的原话；先问影响，再谈产品。"))
    by_cat: dict[str, list[NeedQuestions]] = {}
    for q in brief.questions:
        by_cat.setdefault(q.category, []).append(q)
    situations = discovery.get("situations", {})
    for cat in [*CATEGORIES, *[c for c in by_cat if c not in CATEGORIES]]:
        label = CATEGORIES.get(cat, "其他需求")
        items = by_cat.get(cat, [])
        spin = SPIN.get(cat, SPIN["basic_comms"])
        if items:
            h2(label)
            if cat in situations:
                blocks.append(Para(f"已了解的现状：{situations[cat]}", "note"))
            for q in items:
                blocks.append(Para(f"“{q.statement}”", "quote"))
                blocks.append(Bullets(q.questions))
        elif cat in CATEGORIES:
            h2(f"{label}（尚未谈到）")
            blocks.append(Para("档案中还没有这方面的需求。手册要求从“了解需求”走向“创造需求”，可以这样打开话题："))
            blocks.append(Bullets((f"现状：{spin['situation']}", f"问题：{spin['problem']}")))

    h1("可能的异议与应答")
    blocks.append(Para("价格异议放在第一位。不要单纯降价：降价会让客户怀疑品质和诚信，让已成交的客户不满，"
                       "而且我们不可能永远是最低价。客户买的是价值，不是价格；不同的价格对应不同的组合。"))
    blocks.append(Table(("类型", "客户可能说", "建议应答"),
                        tuple((o.topic, o.says, o.answer) for o in brief.objections),
                        (1.0, 2.4, 5.0), "表：异议与应答"))

    h1("待带回的需求")
    if brief.unmatched:
        blocks.append(Para(f"以下 {len(brief.unmatched)} 条需求在产品目录中暂无对应产品。不要当场承诺；"
                           "记下细节，回来后通过集团 CCOS 系统提交行业经理、产品经理评估，并在约定时间内答复客户（闭环管理）。"))
        blocks.append(Bullets(tuple(brief.unmatched)))
    else:
        blocks.append(Para("本次所有需求都有产品对应，没有需要带回的需求。"))
    if rec.unknown_current:
        blocks.append(Para(f"另：现有业务中的 {_names(rec.unknown_current)} 在产品目录中找不到，请核实名称后更新档案。",
                           "note"))

    h1("后续步骤")
    blocks.append(Table(("环节", "要做的事", "时间"),
                        tuple((s.phase, s.todo, s.when) for s in brief.steps),
                        (1.2, 4.8, 2.2), "表：按工作流程的后续步骤"))
    return blocks


def _bundle_row(m: ProductMatch) -> tuple[str, str, str, str]:
    p = m.product
    name = p.name + ("\n（现有业务扩容）" if m.existing else "")
    value = p.benefits[0] if p.benefits else p.summary
    needs = "\n".join(f"“{sm.statement}”" for sm in m.statements)
    return (name, value, needs, p.tariff_summary)


# --- making and writing the file ------------------------------------------------------------------------


@dataclass
class Made:
    brief: Brief
    recommendation: Recommendation
    data: bytes
    warnings: list[Problem]
    date: dt.date


def _discovery_of(source: Path | bytes) -> dict:
    """The interview's notes from a profile file, or from the exact bytes already read from it."""
    from .yamlsrc import decode, parse, read_yaml

    if isinstance(source, (bytes, bytearray)):
        text, _problems = decode(bytes(source), Path("profile.yaml"))
        src = parse(text, Path("profile.yaml"))[0] if text is not None else None
    else:
        src, _problems = read_yaml(Path(source))
    return read_discovery(src.data if src is not None else None)


def brief_bytes(ws: Workspace, rec: Recommendation, profile: Path | bytes, today: dt.date) -> bytes:
    """The brief of an already matched profile as .docx bytes, for ``generate --brief``.

    ``profile`` is the profile's path or the bytes it was read from (its ``discovery:`` notes are used).
    """
    from .render import brief_docx

    brief = compose_brief(rec, today, _discovery_of(profile))
    return brief_docx.render(brief, ws.template("reference.docx"))


def make_brief(ws: Workspace, profile_path: Path, today: dt.date | None = None) -> Made:
    """Load, match, compose and render; nothing is written yet."""
    from .pipeline import recommend_for
    from .render import brief_docx

    today = today or dt.date.today()
    _profile, rec, warnings = recommend_for(ws, Path(profile_path))
    brief = compose_brief(rec, today, _discovery_of(profile_path))
    data = brief_docx.render(brief, ws.template("reference.docx"))
    return Made(brief, rec, data, warnings, rec.profile.visit_date or today)


def default_filename(made: Made) -> str:
    from .write import slug

    return f"{made.date.isoformat()}-{slug(made.brief.client)}-{FILE_SUFFIX}"


def write_brief_bytes(made: Made, out_folder: Path, *, force: bool = False, filename: str | None = None) -> Path:
    """Write the rendered brief into ``out_folder`` atomically; never over a file without ``force``."""
    out_folder = Path(out_folder)
    if out_folder.exists() and not out_folder.is_dir():
        raise UsageError(f"输出位置不是文件夹：{out_folder}")
    name = filename or default_filename(made)
    if Path(name).name != name or name in ("", ".", ".."):
        raise UsageError(f"简报文件名不合法：{name}")
    target = out_folder / name
    if target.exists() and not force:
        raise OutputExistsError(f"简报已存在：{target}。如需重新生成并覆盖，请加 --force")
    out_folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(made.data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_brief(ws: Workspace, profile_path: Path, out_folder: Path, *, force: bool = False,
                filename: str | None = None, today: dt.date | None = None) -> Path:
    """Compose the brief for one profile and write it into ``out_folder``; the file's path.

    ``filename`` defaults to ``<visit date>-<client>-拜访简报.docx``; inside a proposal folder pass
    ``"brief.docx"``.
    """
    return write_brief_bytes(make_brief(ws, profile_path, today), out_folder, force=force, filename=filename)
