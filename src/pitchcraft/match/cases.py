"""Which cases of the library a proposal cites.

A case is cited as evidence for what this proposal does, so a reader must be able to take it as
such. A case is cited only when all of these hold (docs/content-format.md says the same in Chinese):

- **its main product** (the first of ``products``) is one the proposal clearly answers a need with
  (or the client already has), and **every product of it** is in the plan or already with the client,
  except that a case of the client's own sub-industry with three or more products may show one more;
  never one the proposal leaves 待确认 or names as an option;
- **it answered a need of the kind this client has with the same product**: one of the case's
  ``needs`` carries a cue word of a shared product that answers one of the client's statements, or
  reads like such a statement;
- **it does not show what the proposal leaves open**: no need of the case is close (in wording) to a
  need the proposal answers nowhere (待进一步沟通), unless one of the plan's products speaks to it;
- **it does not mirror the client** (:func:`mirrors`): a case with the client's own figures reads as
  made up for them;
- a case of another sub-industry is cited only when the need its main product answered and the
  client's are close in wording too (closer still for another industry's). A case of another industry, even of the client's
  sub-industry, is flagged ``other_industry`` so the documents introduce it as such.

Of those, the closest come first: the same sub-industry (vocab.SUB_INDUSTRIES; the client's is
recognised from its name), then the same industry, then how close the answered needs are in wording.
At most :data:`MOST` are cited: two strong cases read better than three with a weak one, and none
is better than a weak one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import is_

from ..errors import Problem
from ..model.case import Case
from ..model.profile import Profile
from ..model.vocab import SIZES, SUB_INDUSTRIES, SUB_INDUSTRY_WORDS, industry_peers
from .text import contains, grams

MOST = 2            # cases cited at most
SAME_CLOSE = 0.15   # the client's industry, another sub-industry: its need and the client's this close in wording
OTHER_CLOSE = 0.2   # another industry's case: this close (bigram Dice of the two sentences)
OPEN_CLOSE = 0.12   # a case need this close to a need the proposal leaves open shows what we say we do not do
SAME_SIZE_SPREAD = 0.2  # same site count and headcounts within 20 %: the client's own figures


@dataclass
class CaseMatch:
    case: Case
    score: float
    shared_products: list[str]
    reasons: list[str]
    other_industry: bool = False  # not the client's industry (even if its sub-industry): introduce it as such


@dataclass(frozen=True)
class Plan:
    """What the proposal does, as the case choice needs it: per clearly answered product its cue words
    and the client's statements it answers; the products it leaves to confirm or names as options;
    the statements nothing clearly answers; the products the client already has."""

    answered: dict[str, tuple[str, ...]] = field(default_factory=dict)   # product id -> statements
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)       # product id -> cue words
    pending: frozenset[str] = frozenset()
    open_needs: tuple[str, ...] = ()
    current: frozenset[str] = frozenset()

    @classmethod
    def of(cls, pitched, answers: dict[str, str], statements, current_ids) -> Plan:
        """From the pitched :class:`~.recommend.ProductMatch` list, the ids the proposal answers with,
        every :class:`~.recommend.StatementMatch` and the ids of the client's current services."""
        answered: dict[str, list[str]] = defaultdict(list)
        cues: dict[str, tuple[str, ...]] = {}
        pending = set()
        for m in pitched:
            pid = m.product.id
            pending.update(p.id for p in m.options)
            if pid not in answers:
                pending.add(pid)
                continue
            cues[pid] = tuple(m.product.keywords)
            answered[pid] += [link.statement for link in m.links if link.confidence.clear]
        clear = {s for ss in answered.values() for s in ss}
        return cls({k: tuple(v) for k, v in answered.items()}, cues, frozenset(pending - set(answers)),
                   tuple(sm.statement for sm in statements if sm.statement not in clear), frozenset(current_ids))


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


def sub_industry_of(profile: Profile) -> str | None:
    """The client's sub-industry from the words of its name (vocab.SUB_INDUSTRY_WORDS): of several, the
    one usually of the client's industry, else the first; None when no word is found."""
    found = [key for key, (_industry, words) in SUB_INDUSTRY_WORDS.items() if any(w in profile.name for w in words)]
    own = [key for key in found if SUB_INDUSTRY_WORDS[key][0] == profile.industry]
    return (own or found or [None])[0]


def _same_place(a: str | None, b: str | None) -> bool:
    """Whether two regions name the same place: one is the other's beginning (清远 / 清远佛冈)."""
    a, b = (a or "").strip(), (b or "").strip()
    return len(a) >= 2 and len(b) >= 2 and (a.startswith(b) or b.startswith(a))


def mirrors(case: Case, profile: Profile, sub_industry: str | None = None) -> bool:
    """Whether a case of the client's industry (or ``sub_industry``) has the client's own figures, so that
    it reads as made up for them: the same size band and two of the same city, the same number of
    sites and headcounts within 20 % of each other."""
    if case.industry != profile.industry and (sub_industry is None or case.sub_industry != sub_industry):
        return False
    if profile.size is None or case.size != profile.size:
        return False
    alike = (_same_place(case.region, profile.region), bool(case.sites) and case.sites == profile.sites,
             bool(case.employees and profile.employees)
             and abs(case.employees - profile.employees) <= SAME_SIZE_SPREAD * max(case.employees, profile.employees))
    return sum(alike) >= 2


def _bigrams(text: str) -> set[str]:
    return {g for g in grams(text) if len(g) == 2}


def closeness(a: str, b: str) -> float:
    """How close two sentences are in wording: the Dice coefficient of their character bigrams."""
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _speaks(cues: tuple[str, ...], text: str) -> bool:
    return any(contains(text, cue) for cue in cues)


def choose_cases(profile: Profile, products: dict[str, str], cases: CaseIndex, limit: int,
                 plan: Plan | None = None) -> list[CaseMatch]:
    """Up to ``limit`` (at most :data:`MOST`) cases for the proposed ``products`` (id -> name) that
    ``plan`` says the proposal answers with, best first; none when no case fits (see the module)."""
    plan = plan or Plan(answered={pid: () for pid in products})
    mine = sub_industry_of(profile)
    offered = set(products) | plan.current
    ranked = []
    for k, case in enumerate(cases.sharing(products)):
        same_sub = mine is not None and case.sub_industry == mine
        outside = [pid for pid in case.products if pid not in offered]
        if case.products[0] not in offered or mirrors(case, profile, mine) or set(outside) & plan.pending:
            continue
        if outside and not (same_sub and len(outside) == 1 and len(case.products) >= 3):
            continue  # only a case of the client's own sub-industry may show one product besides the plan's
        shared = [pid for pid in case.products if pid in products]
        # the case's needs a shared product speaks to, each with the client's statement closest to it
        fits = []
        for need in case.needs:
            for pid in shared:
                said = max(plan.answered.get(pid, ()), key=lambda s: closeness(need, s), default="")
                near = closeness(need, said) if said else 0.0
                if near >= SAME_CLOSE or _speaks(plan.cues.get(pid, ()), need):
                    fits.append((near, need, said, pid))
        if not fits:
            continue  # it did something else with these products than what this client asks
        if any(closeness(need, left) >= OPEN_CLOSE and not any(_speaks(plan.cues.get(pid, ()), need) for pid in shared)
               for need in case.needs for left in plan.open_needs):
            continue  # it shows what the proposal says it does not answer
        near, need, said, pid = max(fits)
        same_industry = case.industry == profile.industry
        main = max((f[0] for f in fits if f[3] == case.products[0]), default=0.0)
        if not same_sub and main < (SAME_CLOSE if same_industry else OTHER_CLOSE):
            continue  # not the client's kind of business, and its main product not plainly for the same need
        score = (0.5 if same_sub else 0.0) + (0.2 if same_industry else 0.0) + min(near, 0.5) * 0.5 \
            + 0.05 * min(len(fits), 2)
        ranked.append((-round(min(score, 1.0), 2), case.id, k, case, shared, same_sub, same_industry, need, said, pid))
    ranked.sort(key=lambda r: r[:3])
    out: list[CaseMatch] = []
    for score, _, _, case, shared, same_sub, same_industry, need, said, pid in ranked[:min(limit, MOST)]:
        other = not same_industry  # the documents name the case's industry: another one is said to be
        if same_sub:
            reasons = [f"同为{SUB_INDUSTRIES[mine]}客户" + ("" if same_industry else
                                                          f"（案例客户归入{industry_peers(case.industry)}）")]
        elif same_industry:
            reasons = [f"同为{industry_peers(case.industry)}（细分行业不同）"]
        else:
            reasons = [f"其他行业的参考案例，客户是{industry_peers(case.industry)}；需求与贵单位的相近"]
        if case.size and case.size == profile.size:
            reasons.append(f"同为{SIZES[case.size]}客户")
        if said:
            reasons.append(f"回应的需求相近：案例中“{need}”，贵单位提到“{said}”，都用{products[pid]}")
        reasons.append("用到了本方案中的同样产品：" + "、".join(products[p] for p in shared))
        out.append(CaseMatch(case, -score, shared, reasons, other))
    return out


def sample_warnings(chosen: list[CaseMatch]) -> list[Problem]:
    """One warning per invented case a proposal cites: the documents mark it, the manager replaces it."""
    return [Problem(c.case.file, None, None, "sample",
                    f"本方案引用的案例“{c.case.title}”是示例案例（sample: true），文中已标注“（示例）”；"
                    "发给客户前请换成真实案例", "warning", "case-sample")
            for c in chosen if c.case.sample]
