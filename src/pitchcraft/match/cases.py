"""Which cases of the library a proposal cites.

A case is cited as evidence for the proposed products, so it must use at least one of them. Cases
of the client's own industry come first and, when one of them shares a product, only they are
cited; a case of another industry is cited only when none of the client's industry shares a
product, and it is then flagged (``other_industry``) so the documents introduce it as such.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from operator import is_

from ..errors import Problem
from ..model.case import Case
from ..model.profile import Profile
from ..model.vocab import SIZES, industry_peers


@dataclass
class CaseMatch:
    case: Case
    score: float
    shared_products: list[str]
    reasons: list[str]
    other_industry: bool = False  # no case of the client's industry shares a product: introduce it as such


class CaseIndex:
    """A case library by product, so choosing looks only at the cases that share a product."""

    def __init__(self, cases: list[Case]):
        self.cases = tuple(cases)
        self.by_product: dict[str, list[int]] = defaultdict(list)
        for k, case in enumerate(self.cases):
            for pid in dict.fromkeys(case.products):
                self.by_product[pid].append(k)

    def holds(self, cases: list[Case]) -> bool:
        return len(cases) == len(self.cases) and all(map(is_, cases, self.cases))

    def sharing(self, product_ids) -> list[Case]:
        """The cases that use any of the products, in library order."""
        ks = {k for pid in product_ids for k in self.by_product.get(pid, ())}
        return [self.cases[k] for k in sorted(ks)]


def choose_cases(profile: Profile, products: dict[str, str], cases: CaseIndex, limit: int) -> list[CaseMatch]:
    """Up to ``limit`` cases sharing the proposed ``products`` (id -> name), best first: the client's
    industry when any of its cases shares a product, else other industries' (flagged)."""
    pool = cases.sharing(products)
    same = [case for case in pool if case.industry == profile.industry]
    other = not same
    size = profile.size
    ranked = []
    for k, case in enumerate(same or pool):
        shared = [pid for pid in case.products if pid in products]
        same_size = bool(size) and case.size == size
        score = 0.5 * len(shared) / max(len(case.products), 1) + 0.1 * min(len(shared), 3)
        score += 0.1 if same_size else 0.0
        score += 0.0 if other else 0.35
        ranked.append((-round(min(score, 1.0), 2), case.id, k, case, shared, same_size))
    ranked.sort(key=lambda r: r[:3])
    out: list[CaseMatch] = []
    for score, _, _, case, shared, same_size in ranked[:limit]:
        peers = industry_peers(case.industry)
        reasons = [f"其他行业的参考案例，客户是{peers}（{industry_peers(profile.industry)}暂无用到本方案产品的案例）"
                   if other else f"同为{peers}"]
        if same_size:
            reasons.append(f"同为{SIZES[case.size]}客户")
        reasons.append("用到了本方案中的同样产品：" + "、".join(products[pid] for pid in shared))
        out.append(CaseMatch(case, -score, shared, reasons, other))
    return out


def sample_warnings(chosen: list[CaseMatch]) -> list[Problem]:
    """One warning per invented case a proposal cites: the documents mark it, the manager replaces it."""
    return [Problem(c.case.file, None, None, "sample",
                    f"本方案引用的案例“{c.case.title}”是示例案例（sample: true），文中已标注“（示例）”；"
                    "发给客户前请换成真实案例", "warning", "case-sample")
            for c in chosen if c.case.sample]
