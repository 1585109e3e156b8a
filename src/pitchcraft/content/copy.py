"""The sales copy that the brief and the interview put in front of an account manager."""

from __future__ import annotations

# --- the consultative seller's questions, per need area ------------------------------------------

# Situation, problem, implication, need-payoff: what to ask in each of the four areas of the work
# manual (基础通信、移动办公、生产控制、服务营销). The visit brief asks the same questions.
SPIN: dict[str, dict[str, str]] = {
    "basic_comms": {
        "situation": "有几个办公点、厂区或门店？员工之间、各点和总部之间现在靠什么联系（手机、座机、宽带、专线），每月通信费大概多少？",
        "problem": "在日常联络和上网上，最不方便或最花钱的是什么？",
        "implication": "这个问题每月多花多少钱、耽误多少事？有没有因此漏接客户电话或耽误生产？",
        "need_payoff": "如果这个问题解决了，对单位和员工最大的好处是什么？能省下多少？",
    },
    "mobile_office": {
        "situation": "有多少人常在外面跑（销售、外勤、司机、领导出差）？审批、通知、开会现在怎么做？",
        "problem": "人不在办公室时，哪些事办不了、等得最久？",
        "implication": "一份合同、一张审批单或一个通知因此要耽误多久？出过什么差错？",
        "need_payoff": "如果在手机上就能办完，能快多少、省下多少来回跑的时间？",
    },
    "production_control": {
        "situation": "生产、仓储、车辆或设备现在怎么管？数据是靠人报、靠本子记，还是系统自动采集？",
        "problem": "哪个环节最看不见、管不住，或者最容易出错？",
        "implication": "出一次问题损失多大（停机、断料、丢货、超时、对账扯皮）？一年发生几次？",
        "need_payoff": "如果能实时看到、及时提醒、自动对账，对您意味着什么？",
    },
    "marketing": {
        "situation": "客户一般怎么找到您（来电、到店、上门、网上）？现在怎么宣传、怎么通知和维护老客户？",
        "problem": "在接待客户、宣传企业和维护客户上，哪里做得还不够？",
        "implication": "因此漏掉了多少来电、订单或回头客？对品牌形象有什么影响？",
        "need_payoff": "如果每个来电都接得住、每位客户都能及时通知到，对生意有什么帮助？",
    },
}
