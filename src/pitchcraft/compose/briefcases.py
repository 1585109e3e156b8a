"""The visit brief's part on the cases the proposal cites: how each was won (## 内部复盘).

The internal review is for the manager preparing the visit, so it appears here and nowhere a
client reads; the brief also says which case is invented and which is another industry's, as the
client documents mark them.
"""

from __future__ import annotations

from ..model.case import CASE_SECTION_INTERNAL, SAMPLE_MARK
from .textblocks import Bullets, Para
from ..model.vocab import industry_group


def case_blocks(cases) -> list:
    """Blocks for the brief: per case the client's documents cite, why it was chosen and its internal review."""
    if not cases:
        return [Para("本方案没有引用案例：案例库中没有主产品在本方案中、又与这家客户的细分行业或需求足够接近的在用案例，"
                     "宁可不引也不引牵强的。拜访时可以讲产品的典型用法，"
                     "不要临时编造案例。")]
    blocks: list = [Para("建议书和演示稿引用了以下案例。下面的“内部复盘”讲这些项目是怎么做成的，"
                         "只供拜访准备参考，不要讲给客户或写进建议书。")]
    for n, c in enumerate(cases, 1):
        case = c.case
        blocks.append(Para(f"{n}. {case.title}{SAMPLE_MARK if case.sample else ''}", "lead"))
        facts = [f"客户：{case.client_label}（{industry_group(case.industry)}）", "选用原因：" + "；".join(c.reasons)]
        if c.other_industry:
            facts.append("这是其他行业的案例，建议书中已注明；讲的时候说清楚是别的行业的做法")
        if case.sample:
            facts.append("这是编写的示例案例，不是真实客户：发给客户前请换成真实案例")
        if case.quote and not case.quote_consent:
            facts.append(f"客户原话（未获授权引用，不要写进建议书）：“{case.quote}”")
        blocks.append(Bullets(tuple(facts)))
        review = [line.removeprefix("· ") for line in case.lines(CASE_SECTION_INTERNAL)]
        blocks.append(Para(f"{CASE_SECTION_INTERNAL}：" if review else f"{CASE_SECTION_INTERNAL}：案例中没有记录，"
                           "可以向写这个案例的同事了解成交经过。", "note"))
        if review:
            blocks.append(Bullets(tuple(review)))
    return blocks
