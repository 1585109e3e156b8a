"""From need statements in the client's words to a focused bundle of products and cases.

For every statement: score each product by its closest client phrasing (IDF-weighted cosine of
character bigrams), add the product's cue words found in the statement, weigh by industry, size
and tier fit, and compare with the catalog's out-of-scope phrasings. The best product above the
threshold answers the statement; a near-tie may add a second. Statements nothing answers go to
``unmatched``. Products the client already has are kept apart as extensions, never pitched as new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..load import Catalog
from ..schema import CATEGORIES, INDUSTRY_LABELS, SIZES, Case, Product, Profile
from .index import Doc, Index
from .text import contains


@dataclass(frozen=True)
class Tuning:
    threshold: float = 0.12        # below this a statement is unmatched
    second_ratio: float = 0.60     # a second product must score this close to the best
    keyword_bonus: float = 0.08    # per cue word found in the statement
    support_weight: float = 0.3    # how much a product's second-closest phrasing adds
    keyword_cap: int = 2
    phrase_weight: float = 1.0
    summary_weight: float = 0.8
    industry_miss: float = 0.35    # factor for an industry-specific product outside its industry
    size_miss: float = 0.85
    tier_miss: float = 0.92
    max_products: int = 8
    max_cases: int = 3


@dataclass
class Evidence:
    product: Product
    score: float
    phrase: str        # the catalog phrasing closest to the statement
    cues: list[str]    # cue words found in the statement
    fit_notes: list[str]


@dataclass
class StatementMatch:
    statement: str
    category: str
    products: list[Evidence] = field(default_factory=list)
    out_of_scope: str | None = None  # the out-of-scope phrasing that won, if any

    @property
    def matched(self) -> bool:
        return bool(self.products)


@dataclass
class ProductMatch:
    product: Product
    score: float
    statements: list[StatementMatch]
    reasons: list[str]
    existing: bool = False  # the client already has it: an extension, not a new sale


@dataclass
class CaseMatch:
    case: Case
    score: float
    shared_products: list[str]
    reasons: list[str]


@dataclass
class Recommendation:
    profile: Profile
    products: list[ProductMatch]          # new pitches, best first
    extensions: list[ProductMatch]        # needs answered by what the client already has
    cases: list[CaseMatch]
    statements: list[StatementMatch]
    unmatched: list[str]
    current_products: list[Product]       # resolved current_services
    unknown_current: list[str]            # current_services naming nothing in the catalog
    pricing: object = None                # the catalog's quote rules, for the offer (pitchcraft.quote)

    @property
    def all_products(self) -> list[ProductMatch]:
        return self.products + self.extensions


class Matcher:
    """The catalog's index, built once and reused for every profile."""

    def __init__(self, catalog: Catalog, tuning: Tuning = Tuning()):
        self.catalog = catalog
        self.tuning = tuning
        docs: list[Doc] = []
        for p in catalog.products:
            if not p.active:
                continue
            docs += [Doc(p.id, phrase, tuning.phrase_weight) for phrase in p.client_phrases]
            docs.append(Doc(p.id, p.summary, tuning.summary_weight))
        docs += [Doc("", phrase, tuning.phrase_weight) for phrase in catalog.out_of_scope]
        self.index = Index(docs)

    def match_statement(self, statement: str, category: str, profile: Profile) -> StatementMatch:
        t = self.tuning
        best: dict[str, tuple[float, str]] = {}
        second: dict[str, float] = {}
        oos_score, oos_phrase = 0.0, None
        for i, (score, _shared) in self.index.search(statement).items():
            doc = self.index.docs[i]
            score *= doc.weight
            if not doc.owner:
                if score > oos_score:
                    oos_score, oos_phrase = score, doc.text
                continue
            top = best.get(doc.owner, (0.0, ""))[0]
            if score > top:
                second[doc.owner] = top
                best[doc.owner] = (score, doc.text)
            elif score > second.get(doc.owner, 0.0):
                second[doc.owner] = score
        oos_cues = [c for c in self.catalog.out_of_scope_cues if contains(statement, c)]
        if oos_cues:
            oos_score += 2 * t.keyword_bonus
            oos_phrase = oos_phrase or oos_cues[0]
        candidates: list[Evidence] = []
        for p in self.catalog.products:
            if not p.active:
                continue
            cues = [k for k in p.keywords if contains(statement, k)][: t.keyword_cap]
            base, phrase = best.get(p.id, (0.0, ""))
            if not base and not cues:
                continue
            score = base + t.support_weight * second.get(p.id, 0.0) + t.keyword_bonus * len(cues)
            factor, notes = self._fit(p, profile)
            candidates.append(Evidence(p, score * factor, phrase or p.summary, cues, notes))
        candidates.sort(key=lambda e: -e.score)
        self.last_candidates, self.last_oos = candidates, oos_score  # for tools/match_report.py
        sm = StatementMatch(statement, category)
        if not candidates or candidates[0].score < t.threshold:
            return sm
        if oos_score >= candidates[0].score:
            sm.out_of_scope = oos_phrase
            return sm
        top = candidates[0].score
        sm.products = [e for e in candidates[:2] if e.score >= max(t.threshold, top * t.second_ratio)]
        return sm

    def _fit(self, p: Product, profile: Profile) -> tuple[float, list[str]]:
        t = self.tuning
        factor, notes = 1.0, []
        if p.fits_industry(profile.industry):
            if "all" not in p.industries:
                notes.append(f"本产品面向{INDUSTRY_LABELS[profile.industry]}等行业，与客户行业相符")
        else:
            factor *= t.industry_miss
        size = profile.size
        if size and size not in p.sizes:
            factor *= t.size_miss
        elif size:
            notes.append(f"适合{SIZES[size]}客户")
        if profile.tier and profile.tier not in p.tiers:
            factor *= t.tier_miss
        return factor, notes


def recommend(profile: Profile, catalog: Catalog, cases: list[Case], matcher: Matcher | None = None
              ) -> Recommendation:
    matcher = matcher or Matcher(catalog)
    t = matcher.tuning
    current: list[Product] = []
    unknown_current: list[str] = []
    for name in profile.current_services:
        product = catalog.resolve(name)
        if product is None:
            unknown_current.append(name)
        elif product not in current:
            current.append(product)
    current_ids = {p.id for p in current}

    statements = [matcher.match_statement(s, cat, profile) for cat, s in profile.statements()]
    by_product: dict[str, list[tuple[StatementMatch, Evidence]]] = {}
    for sm in statements:
        for ev in sm.products:
            by_product.setdefault(ev.product.id, []).append((sm, ev))

    picks: list[ProductMatch] = []
    for pid, hits in by_product.items():
        product = hits[0][1].product
        score = max(ev.score for _, ev in hits) + 0.05 * (len(hits) - 1)
        existing = pid in current_ids
        picks.append(ProductMatch(product, min(score, 1.0), [sm for sm, _ in hits],
                                  _reasons(product, hits, existing), existing))
    picks.sort(key=lambda m: (-m.score, m.product.id))
    new = [m for m in picks if not m.existing][: t.max_products]
    extensions = [m for m in picks if m.existing]
    unmatched = [sm.statement for sm in statements if not sm.matched]
    return Recommendation(profile, new, extensions, rank_cases(profile, new + extensions, cases, t.max_cases),
                          statements, unmatched, current, unknown_current, catalog.pricing)


def _reasons(product: Product, hits: list[tuple[StatementMatch, Evidence]], existing: bool) -> list[str]:
    reasons = []
    if existing:
        reasons.append(f"客户已在使用{product.name}，以下需求通过扩容现有业务解决，不作为新业务重复推荐")
    for sm, ev in hits:
        text = f"客户提到“{sm.statement}”，这正是{product.name}解决的问题（典型说法：“{ev.phrase}”）"
        if ev.cues:
            text += f"；关键词：{'、'.join(ev.cues)}"
        reasons.append(text)
    notes = dict.fromkeys(n for _, ev in hits for n in ev.fit_notes)
    reasons += list(notes)
    if len(hits) > 1:
        reasons.append(f"一个产品同时回应 {len(hits)} 条需求")
    return reasons


def rank_cases(profile: Profile, picks: list[ProductMatch], cases: list[Case], limit: int) -> list[CaseMatch]:
    """Cases that share the bundle's products, the client's industry and size, best first."""
    wanted = {m.product.id: m.product.name for m in picks}
    out: list[CaseMatch] = []
    for case in cases:
        shared = [pid for pid in case.products if pid in wanted]
        same_industry = case.industry == profile.industry
        if not shared and not same_industry:
            continue
        score = 0.5 * len(shared) / max(len(case.products), 1) + 0.1 * min(len(shared), 3)
        reasons = []
        if same_industry:
            score += 0.35
            reasons.append(f"同属{INDUSTRY_LABELS[case.industry]}行业")
        if profile.size and case.size == profile.size:
            score += 0.1
            reasons.append(f"同为{SIZES[case.size]}客户")
        if shared:
            reasons.append("用到了本方案中的同样产品：" + "、".join(wanted[pid] for pid in shared))
        out.append(CaseMatch(case, round(min(score, 1.0), 2), shared, reasons))
    out.sort(key=lambda c: (-c.score, c.case.id))
    return out[:limit]


def category_label(key: str) -> str:
    return CATEGORIES.get(key, "其他需求")
