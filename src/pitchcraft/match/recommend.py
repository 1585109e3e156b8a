"""From need statements in the client's words to a focused bundle of products and cases.

For every statement: score each product by its closest client phrasing (IDF-weighted cosine of
character bigrams), add the product's cue words found in the statement, weigh by industry, size
and tier fit, and compare with the catalog's out-of-scope phrasings. The best product above the
threshold answers the statement; a near-tie may add a second. Statements nothing answers go to
``unmatched``. Products the client already has are kept apart as extensions, never pitched as new.

A candidate is claimed only with evidence (:mod:`.evidence`): the statement names a kind of
communication or information need the product covers. Every link carries a
:class:`~.evidence.Confidence`: ``level`` 明确 (a clear need, a close phrasing) or 待确认 (plausible,
to ask the client), ``score``, ``evidence`` (the need words), ``kinds`` and, for 待确认, ``question``.

What the documents ask of a :class:`Recommendation` ``rec``:

- ``rec.links(CLEAR)`` / ``rec.links(TO_CONFIRM)`` / ``rec.links()``: :class:`Link` objects
  (statement, category, product, score, confidence, phrase), new products first, then extensions;
- ``rec.confident_products``: the pitched products with at least one 明确 link (the proposal's answers);
- ``ProductMatch.alternative_to`` / ``.options``: one product per need (:mod:`.alternatives`): a product
  set aside for another that answers the same statements alike, named there as an option, never priced;
- ``rec.to_confirm``: the 待确认 links, each with ``link.question`` for the brief;
- ``rec.open_needs``: statements, verbatim, with no 明确 link (待进一步沟通); ``rec.unmatched``
  stays those with no link at all (``unmatched_needs`` of the JSON);
- ``ProductMatch.links`` and ``ProductMatch.confidence`` (its surest link's level);
  ``StatementMatch.confidence`` (its surest link, or level 无 with the closest score).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from operator import is_
from typing import NamedTuple

from ..model.catalog import Catalog
from ..model.case import Case
from ..model.catalog import Product
from ..model.profile import Profile
from ..model.vocab import CATEGORIES, INDUSTRY_LABELS, SIZES
from .alternatives import only_rides, set_aside
from .cases import CaseIndex, CaseMatch, Plan, choose_cases
from .choices import apply_choices
from .evidence import CLEAR, NO_CONFIDENCE, NONE, TO_CONFIRM, Confidence, Judge
from .index import Doc, Query
from .indexcache import cached_index
from .text import CueFinder, mandarin, speaks_southern

CANDIDATES = 5  # kept per statement: the lexically closest, of which the two best with evidence may be taken
SLACK = 1e-9  # relative margin for ratings and bounds, which add in another order than exact scores
LIMITS = (*(0.6 * 0.75 ** k for k in range(12)), 0.0)  # falling limits of the rounds looking at texts
WALK_COST = 20  # walking this many postings costs about as much as rating one text
# From how many indexed phrasings numpy scores every product (see Matcher). Measured on a 2-core VM
# with generated catalogs, median per profile (runs vary by up to 1.4×): numpy takes 5-12 ms up to
# 30,000 phrasings; the pure code 10-12 ms at the shipped catalog's ~600, 16-20 ms at 6,000,
# 24-31 ms at 10,700 (700 products), 35-45 ms at 15,000 and 55-70 ms at 30,000. But ``import numpy``
# costs ~135 ms, once per process. Below 10,000 phrasings the pure code keeps within the 50 ms
# budget, while the import would be a large share of a one-proposal run (loading and indexing the
# shipped catalog takes ~70 ms); from there on it is about 5% of loading and indexing the catalog.
VECTORISE_FROM = 10_000


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
    max_products: int = 10
    max_cases: int = 3


@dataclass
class Evidence:
    product: Product
    score: float
    phrase: str        # the catalog phrasing closest to the statement
    cues: list[str]    # cue words found in the statement
    fit_notes: list[str]
    confidence: Confidence = NO_CONFIDENCE  # how sure this statement→product link is (see .evidence)
    cue_bonus: float = 0.0  # the part of ``score`` its cue words bring


@dataclass
class StatementMatch:
    statement: str
    category: str
    products: list[Evidence] = field(default_factory=list)
    out_of_scope: str | None = None  # the out-of-scope phrasing that won, if any
    best_score: float = 0.0          # the closest product's score, claimed or not

    @property
    def matched(self) -> bool:
        return bool(self.products)

    @property
    def confidence(self) -> Confidence:
        """The surest of its links; level 无 (with the closest score) when nothing claims it."""
        if self.products:
            return self.products[0].confidence
        return NO_CONFIDENCE._replace(score=self.best_score)


@dataclass
class Link:
    """One statement answered by one product, with how sure the matcher is."""

    statement: str
    category: str
    product: Product
    score: float
    confidence: Confidence
    phrase: str  # the product's client phrasing closest to the statement

    @property
    def level(self) -> str:
        return self.confidence.level

    @property
    def question(self) -> str | None:
        return self.confidence.question


@dataclass
class ProductMatch:
    product: Product
    score: float
    statements: list[StatementMatch]
    reasons: list[str]
    existing: bool = False  # the client already has it: an extension, not a new sale
    links: list[Link] = field(default_factory=list)  # one per statement, in statement order
    chosen: bool = False    # the account manager added it (profile ``choices``): final, whatever the links say
    alternative_to: str | None = None  # set aside for this product, which answers the same needs (see .alternatives)
    options: tuple[Product, ...] = ()  # the products set aside for this one: named as options, never priced
    option_words: tuple[str, ...] = ()  # per option: the client's clause (verbatim) that it does as well
    ranked_as: str = ""  # set aside: the two scores as ranked on the statement (less what the client has now)
    outranked: tuple[str, ...] = ()    # statements another pitched product answers alike and better: not shown here

    @property
    def confidence(self) -> str:
        """明确 if the manager chose it or any of its links is, else 待确认."""
        return CLEAR if self.chosen or any(link.confidence.clear for link in self.links) else TO_CONFIRM


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

    def links(self, level: str | None = None) -> list[Link]:
        """Every link of the pitched products and extensions, or those of one level (明确 | 待确认)."""
        return [link for m in self.all_products for link in m.links if level is None or link.level == level]

    @property
    def confident_products(self) -> list[ProductMatch]:
        """The new pitches with at least one 明确 link: what a proposal presents as answers (not one set
        aside as an alternative to another, :mod:`.alternatives`)."""
        return [m for m in self.products if m.confidence == CLEAR and not m.alternative_to]

    @property
    def to_confirm(self) -> list[Link]:
        """The 待确认 links, each with a question to ask the client."""
        return self.links(TO_CONFIRM)

    @property
    def open_needs(self) -> list[str]:
        """Statements, verbatim and in order, that no 明确 link answers (待进一步沟通)."""
        clear = {link.statement for link in self.links(CLEAR)}
        return [sm.statement for sm in self.statements if sm.statement not in clear]


class _Fits(NamedTuple):
    """The products' fit to one kind of client: industry, size and tier."""

    key: tuple
    each: list[tuple[float, list[str]]]  # product position -> (factor, notes)
    best: float                          # the highest factor
    factors: object                      # the factors as a numpy array, when the matcher uses numpy


class Matcher:
    """The catalog's index, built once and reused for every profile.

    ``last_candidates`` and ``last_oos`` keep, for tools/match_report.py, the best
    :data:`CANDIDATES` products of the last statement and the out-of-scope score it got.

    From ``vectorise_from`` indexed phrasings on, every product's closest texts are found with
    numpy (:mod:`.vector`), imported here while the index is built, never while matching;
    smaller catalogs use :class:`_Contest`, in pure Python. Both give the same results.
    """

    def __init__(self, catalog: Catalog, tuning: Tuning = Tuning(), vectorise_from: int = VECTORISE_FROM):
        self.catalog = catalog
        self.tuning = tuning
        self.products = [p for p in catalog.products if p.active]
        docs: list[Doc] = []
        self.product_docs: list[range] = []  # product position -> its docs
        for p in self.products:
            start = len(docs)
            docs += [Doc(p.id, phrase, tuning.phrase_weight) for phrase in p.client_phrases]
            docs.append(Doc(p.id, p.summary, tuning.summary_weight))
            self.product_docs.append(range(start, len(docs)))
        self.oos_docs = range(len(docs), len(docs) + len(catalog.out_of_scope))
        docs += [Doc("", phrase, tuning.phrase_weight) for phrase in catalog.out_of_scope]
        self.index = index = cached_index(docs)
        self.product_texts = [frozenset(index.text_of[d] for d in span) for span in self.product_docs]
        self.text_products: list[list[tuple[int, float]]] = [[] for _ in index.docs_of]  # text -> (product, weight)
        for pos, span in enumerate(self.product_docs):
            for d in span:
                self.text_products[index.text_of[d]].append((pos, docs[d].weight))
        self.judge = Judge(self.products)
        self.position = {p.id: pos for pos, p in enumerate(self.products)}
        self.cues = CueFinder([k for p in self.products for k in p.keywords] + list(catalog.out_of_scope_cues))
        self.cue_products: dict[str, list[int]] = {}  # cue -> the products listing it, as often as they do
        fit_groups: dict[tuple, list[int]] = {}  # products the fit rules cannot tell apart
        for pos, p in enumerate(self.products):
            for cue in p.keywords:
                self.cue_products.setdefault(cue, []).append(pos)
            fit_groups.setdefault((p.industries, p.sizes, p.tiers), []).append(pos)
        self._fit_groups = list(fit_groups.values())
        self._group_of = [0] * len(self.products)  # product position -> its fit group
        for g, group in enumerate(self._fit_groups):
            for pos in group:
                self._group_of[pos] = g
        self._fits: _Fits | None = None
        self.arrays = None
        if len(docs) >= vectorise_from:
            from .vector import ProductArrays  # deferred: numpy, only for large catalogs

            self.arrays = ProductArrays(index, self.product_docs)
        self._cases: CaseIndex | None = None
        self._speaks: tuple[tuple[str, ...], bool] = ((), False)  # a profile's statements, whether it speaks southern

    def match_statement(self, said: str, category: str, profile: Profile) -> StatementMatch:
        """``said`` verbatim goes to the result; the matcher reads its Mandarin copy (:func:`.text.mandarin`),
        from where it says what is wanted (:meth:`.evidence.Judge.focus`)."""
        statement = self.judge.focus(mandarin(said, self._southern(profile)))
        sm = self._match(statement, said, category, profile)
        parts = self.judge.asks(statement)
        if len(parts) > 1 and not any(e.confidence.clear for e in sm.products):
            # two asks in one statement (想贷款…；另外排班能不能在手机上看到): each is judged on its own
            whole, each = self.last_candidates, [self._match(part, said, category, profile) for part in parts]
            firsts = [part.products[0] for part in each if part.products]  # each ask's best answer first
            rest = sorted((e for part in each for e in part.products[1:]), key=lambda e: -e.score)
            best = {}
            for e in (*sorted(firsts, key=lambda e: -e.score), *rest):
                best.setdefault(e.product.id, e)
            if best:
                sm.products, sm.out_of_scope = list(best.values())[:2], None
                sm.best_score = max(sm.best_score, sm.products[0].score)
            self.last_candidates = whole
        return sm

    def _southern(self, profile: Profile) -> bool:
        """Whether the client speaks Teochew, Minnan or Hakka-flavoured Chinese in any statement (kept for
        the profile last asked about: its statements are matched one after another)."""
        said = tuple(s for _, s in profile.statements())
        if self._speaks[0] != said:
            self._speaks = (said, any(map(speaks_southern, said)))
        return self._speaks[1]

    def _match(self, statement: str, said: str, category: str, profile: Profile) -> StatementMatch:
        """One statement (the matcher's reading of ``said``) against the catalog."""
        t = self.tuning
        query = self.index.query(statement)
        found = self.cues.found(statement)
        cues = self._cues_found(found)
        if self.arrays is None:
            candidates = _Contest(self, query, cues, profile).best()
        else:
            candidates = self._best_of_all(query, cues, profile)
        oos_score, _, oos_phrase = self._closest(self.oos_docs, query.cosine, query.first)
        oos_cues = [c for c in self.catalog.out_of_scope_cues if c in found]
        if oos_cues:
            oos_score += 2 * t.keyword_bonus
            oos_phrase = oos_phrase or oos_cues[0]
        judge = self.judge
        needs, elsewhere, asked = judge.needs(statement), judge.elsewhere(statement), judge.asked(statement)
        for ev in candidates:
            ev.confidence = judge.judge(self.position[ev.product.id], ev.score, needs, elsewhere, asked == set(),
                                        t.threshold, statement, ev.phrase, asked, said)
        self.last_candidates, self.last_oos = candidates, oos_score
        sm = StatementMatch(said, category, best_score=candidates[0].score if candidates else 0.0)
        if not candidates or candidates[0].score < min(t.threshold, judge.STRONG_FLOOR):
            return sm
        if oos_score >= candidates[0].score:
            sm.out_of_scope = oos_phrase
            return sm
        claimed = [e for e in candidates if e.confidence.level != NONE]
        if not claimed:
            return sm
        if claimed[0].score < t.threshold:  # claimed on many need words, none close: the product most about them
            claimed.sort(key=lambda e: -judge.share(self.position[e.product.id], e.confidence.evidence))
        top = claimed[0].score
        # a second answer scores close to the best, or is itself clear and close (a statement with two asks)
        sm.products = [e for e in claimed[:2] if e is claimed[0] or e.score >= max(t.threshold, top * t.second_ratio)
                       or (e.confidence.clear and e.score >= self.judge.CLEAR_SCORE)]
        return sm

    def _cues_found(self, found: set[str]) -> dict[int, list[str]]:
        """Product position -> its cue words among ``found``, in its own order, as many as count."""
        cap = self.tuning.keyword_cap
        first: dict[int, str | None] = {}  # product -> the one cue word it has, or None if more
        for cue in found:
            for pos in self.cue_products.get(cue, ()):
                first[pos] = None if pos in first else cue
        cues = {pos: [cue][:cap] if cue is not None else [k for k in self.products[pos].keywords if k in found][:cap]
                for pos, cue in first.items()}
        return {pos: words for pos, words in cues.items() if words}

    def _best_of_all(self, query: Query, cues: dict[int, list[str]], profile: Profile) -> list[Evidence]:
        """The best :data:`CANDIDATES` products, from numpy estimates of every product's score."""
        t = self.tuning
        fits = self._fit_all(profile)
        contenders = self.arrays.contenders(query, fits.factors, {pos: len(words) for pos, words in cues.items()},
                                            t.support_weight, t.keyword_bonus, CANDIDATES, SLACK)
        return self._ranked(contenders, query, cues, fits.each)

    def _ranked(self, contenders: list[int], query: Query, cues: dict[int, list[str]],
                fits: list[tuple[float, list[str]]]) -> list[Evidence]:
        """The best :data:`CANDIDATES` of ``contenders``, scored exactly; of equal scores the first in the catalog."""
        exact = [self._evidence(pos, query, cues.get(pos, []), fits[pos]) for pos in contenders]
        return [ev for _, _, ev in sorted(zip((-ev.score for ev in exact), contenders, exact))][:CANDIDATES]

    def _evidence(self, pos: int, query: Query, cues: list[str], fit: tuple[float, list[str]]) -> Evidence:
        p = self.products[pos]
        base, second, phrase = self._closest(self.product_docs[pos], query.cosine, query.first)
        factor, notes = fit
        return Evidence(p, self._score(base, second, cues, factor), phrase or p.summary, cues, list(notes),
                        cue_bonus=self.tuning.keyword_bonus * len(cues) * factor)

    def _score(self, base: float, second: float, cues: list[str], factor: float) -> float:
        t = self.tuning
        return (base + t.support_weight * second + t.keyword_bonus * len(cues)) * factor

    def _closest(self, docs: range, cosine, first=None) -> tuple[float, float, str | None]:
        """The best and second best weighted cosine among ``docs``, and the best one's text.

        With ``first`` (text -> rank of its first shared feature), of equal scores the first in
        :meth:`Index.search` order wins, as it always has.
        """
        text_of, weighted = self.index.text_of, self.index.docs
        hits = [(first(text_of[d]) if first else 0, d, cosine(text_of[d]) * weighted[d].weight) for d in docs]
        if first:
            hits.sort()
        best, second, phrase = 0.0, 0.0, None
        for _, d, score in hits:
            if score > best:
                best, second, phrase = score, best, weighted[d].text
            elif score > second:
                second = score
        return best, second, phrase

    def _fit_all(self, profile: Profile) -> _Fits:
        """Every product's fit to the profile, once per group of alike products, kept for the next alike client."""
        key = (profile.industry, profile.size, profile.tier)
        if self._fits is None or self._fits.key != key:
            group_fits = [self._fit(self.products[group[0]], profile) for group in self._fit_groups]
            each = list(map(group_fits.__getitem__, self._group_of))
            self._fits = _Fits(key, each, max((f for f, _ in group_fits), default=1.0),
                               None if self.arrays is None else self.arrays.factors(each))
        return self._fits

    def case_index(self, cases: list[Case]) -> CaseIndex:
        """The index of a case library, kept as long as the same cases are passed."""
        if self._cases is None or not self._cases.holds(cases):
            self._cases = CaseIndex(cases)
        return self._cases

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


class _Contest:
    """The best :data:`CANDIDATES` products for one statement, exactly as scoring every product
    would rank them, found without scoring every product.

    A product scores at most (1 + support_weight) times the weighted cosine of its closest text,
    plus its cue words, times its fit. Texts are looked at closest first (:class:`Walk`), in
    rounds with a falling limit; products are rated (cosines summed in any order, see
    :meth:`Query.approx`) in the order of that bound while it reaches the lowest rating kept.
    The texts of products with cue words are looked at further down, by what the words may add.
    The rounds stop once no text below the limit can lift a product to the ratings kept; then
    only the products whose rating may place them among the best are scored exactly.
    """

    def __init__(self, matcher: Matcher, query: Query, cues: dict[int, list[str]], profile: Profile):
        t = matcher.tuning
        self.matcher, self.query = matcher, query
        fits = matcher._fit_all(profile)
        self.fits, self.best_fit = fits.each, fits.best
        self.cues = cues  # product -> its cue words found, as scored
        self.lift, self.bonus = 1 + max(t.support_weight, 0.0), max(t.keyword_bonus, 0.0)
        self.closest: dict[int, float] = {}  # product -> weighted cosine of its closest text looked at
        self.waiting: list[tuple[float, int, float]] = []  # heap of (-weighted cosine, text, cosine)
        self.rated: dict[int, float] = {}
        self.kept: list[float] = []  # heap of the best ratings so far
        self.floor = 0.0  # the rating to reach to be kept, less a margin for rounding

    def best(self) -> list[Evidence]:
        m, query = self.matcher, self.query
        stretch = self.lift * self.best_fit  # a product's rating is at most this times its closest text
        cue_texts = set().union(*map(m.product_texts.__getitem__, self.cues))
        walk, deep_walk = query.walk(), query.walk()
        for guess in LIMITS:
            limit = max(guess, self.floor / stretch) if stretch else 0.0
            deep = limit - self.bonus * m.tuning.keyword_cap / self.lift  # the same, for cue words
            self.look(walk.down_to(limit))
            if cue_texts:
                fresh = deep_walk.down_to(deep, most=WALK_COST * len(cue_texts)) if deep > 0 else None
                self.look(cue_texts if fresh is None else cue_texts & fresh)
                cue_texts = set() if fresh is None else cue_texts - fresh
            self.settle(min(limit, deep) if self.cues else limit)
            self.rate([pos for pos, score in self.closest.items()
                       if score >= limit or pos in self.cues and score >= deep]
                      + ([pos for pos in self.cues if pos not in self.closest] if deep <= 0 else []))
            if self.floor >= limit * stretch:
                break  # every product left out is below the floor
        contenders = [pos for pos, rating in self.rated.items() if rating >= self.floor * (1 - SLACK)]
        return m._ranked(contenders, query, self.cues, self.fits)

    def look(self, texts) -> None:
        weight = self.matcher.index.weight
        for text in texts:
            cosine = self.query.approx(text)
            heapq.heappush(self.waiting, (-cosine * weight[text], text, cosine))

    def settle(self, level: float) -> None:
        """Note the products' closest texts among those waiting, down to ``level``."""
        waiting, closest, text_products = self.waiting, self.closest, self.matcher.text_products
        while waiting and -waiting[0][0] >= level:
            _, text, cosine = heapq.heappop(waiting)
            for pos, weight in text_products[text]:
                if cosine * weight > closest.get(pos, 0.0):
                    closest[pos] = cosine * weight

    def rate(self, among: list[int]) -> None:
        """Rate the products among ``among`` while their bound reaches the floor."""
        m, cues, fits = self.matcher, self.cues, self.fits
        bounds = sorted((((self.lift * self.closest.get(pos, 0.0) + self.bonus * len(cues.get(pos, ())))
                          * fits[pos][0], pos) for pos in among if pos not in self.rated), reverse=True)
        for bound, pos in bounds:
            if bound < self.floor:
                break
            best, second, _ = m._closest(m.product_docs[pos], self.query.approx)
            if best or pos in cues:
                self.rated[pos] = rating = m._score(best, second, cues.get(pos, []), fits[pos][0])
                (heapq.heappush if len(self.kept) < CANDIDATES else heapq.heappushpop)(self.kept, rating)
                if len(self.kept) == CANDIDATES:
                    self.floor = self.kept[0] * (1 - SLACK)


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
        links = [Link(sm.statement, sm.category, product, ev.score, ev.confidence, ev.phrase) for sm, ev in hits]
        picks.append(ProductMatch(product, min(score, 1.0), [sm for sm, _ in hits],
                                  _reasons(product, hits, existing), existing, links))
    picks.sort(key=lambda m: (-m.score, m.product.id))
    # Every statement keeps its best answer; second answers fill the bundle up to its size cap.
    firsts = {sm.products[0].product.id for sm in statements if sm.products}
    fresh = [m for m in picks if not m.existing]
    room = max(t.max_products - sum(m.product.id in firsts for m in fresh), 0)
    seconds = {m.product.id for m in fresh if m.product.id not in firsts}
    kept = set(firsts) | set([pid for pid in (m.product.id for m in fresh) if pid in seconds][:room])
    new = [m for m in fresh if m.product.id in kept]
    extensions = [m for m in picks if m.existing]
    new, extensions, dropped = apply_choices(catalog, profile.choices, new, extensions, statements, ProductMatch)
    set_aside(new, extensions, statements, catalog.pricing.bundles)  # one product per need: the other named as an option
    if dropped:  # no case that cites a dropped product
        cases = [c for c in cases if not dropped.intersection(c.products)]
    unmatched = [sm.statement for sm in statements if not sm.matched]
    # a case is evidence for what the proposal answers: only products with a 明确 link count
    answers = {m.product.id: m.product.name for m in new + extensions
               if m.confidence == CLEAR and not m.alternative_to and not only_rides(m)}
    return Recommendation(profile, new, extensions,
                          choose_cases(profile, answers, matcher.case_index(cases), t.max_cases,
                                       Plan.of(new + extensions, answers, statements, current_ids)),
                          statements, unmatched, current, unknown_current, catalog.pricing)


def _reasons(product: Product, hits: list[tuple[StatementMatch, Evidence]], existing: bool) -> list[str]:
    reasons = []
    if existing:
        reasons.append(f"客户已在使用{product.name}，以下需求通过扩容现有业务解决，不作为新业务重复推荐")
    for sm, ev in hits:
        c = ev.confidence
        if c.clear:
            text = f"客户提到“{sm.statement}”，这正是{product.name}解决的问题（典型说法：“{ev.phrase}”）"
        else:
            text = f"客户提到“{sm.statement}”，可能需要{product.name}，待与客户确认（相近说法：“{ev.phrase}”）"
        text += f"；依据：{'、'.join(c.kinds)}（“{'”“'.join(c.evidence)}”）"
        if ev.cues:
            text += f"；关键词：{'、'.join(ev.cues)}"
        reasons.append(text)
    notes = dict.fromkeys(n for _, ev in hits for n in ev.fit_notes)
    reasons += list(notes)
    if len(hits) > 1:
        reasons.append(f"一个产品同时回应 {len(hits)} 条需求")
    return reasons


def category_label(key: str) -> str:
    return CATEGORIES.get(key, "其他需求")
