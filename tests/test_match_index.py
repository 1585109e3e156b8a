"""The matcher's index and its shortcuts give exactly what scoring everything gives.

The references below are the straightforward algorithms the matcher used before it was indexed
for large catalogs (every document scored, every product and case looked at); the fast paths
must agree with them float for float, ties and order included. Both ways the matcher finds the
best products are checked: the pure one, and the numpy one large catalogs use (forced on here).
"""

from __future__ import annotations

import dataclasses
import math
import pickle
import sys
from collections import defaultdict

import pytest

from conftest import ROOT, modules_a_generate_imports
from pitchcraft.load import load_catalog, load_cases
from pitchcraft.match.index import Doc
from pitchcraft.match.cases import choose_cases
from pitchcraft.match.alternatives import only_rides
import pitchcraft.match.recommend  # noqa: E402  (the module, for its choose_cases)
recommend_module = sys.modules["pitchcraft.match.recommend"]
from pitchcraft.match.recommend import CANDIDATES, VECTORISE_FROM, Matcher, recommend
from pitchcraft.match.text import CueFinder, contains, grams, mandarin
from pitchcraft.pipeline import read_profile
from pitchcraft.model.vocab import SIZES, SUB_INDUSTRIES, SUB_INDUSTRY_WORDS, industry_peers

PROFILES = sorted(p for p in (ROOT / "tests" / "eval" / "profiles").glob("*.yaml") if not p.name.endswith(".gold.yaml"))


class ReferenceIndex:
    """Every document scored term at a time, as the index first did."""

    def __init__(self, docs: list[Doc]):
        self.docs = docs
        features = [grams(d.text) for d in docs]
        df: dict[str, int] = defaultdict(int)
        for fs in features:
            for g in fs:
                df[g] += 1
        n = max(len(docs), 1)
        self.idf = {g: math.log(1 + n / c) for g, c in df.items()}
        self.default_idf = math.log(1 + n)
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.norms = []
        for i, fs in enumerate(features):
            for g in fs:
                self.postings[g].append(i)
            self.norms.append(math.sqrt(sum(self.idf[g] ** 2 for g in fs)) or 1.0)

    def search(self, text: str) -> dict[int, tuple[float, set[str]]]:
        fs = grams(text)
        qnorm = math.sqrt(sum(self.idf.get(g, self.default_idf) ** 2 for g in fs)) or 1.0
        dots: dict[int, float] = defaultdict(float)
        shared: dict[int, set[str]] = defaultdict(set)
        for g in fs:
            w = self.idf.get(g)
            if w is None:
                continue
            for i in self.postings[g]:
                dots[i] += w * w
                shared[i].add(g)
        return {i: (dots[i] / (qnorm * self.norms[i]), shared[i]) for i in dots}


def reference_candidates(matcher: Matcher, reference: ReferenceIndex, statement: str, profile):
    """Every active product scored, best first, and the out-of-scope score, for the Mandarin copy the matcher reads."""
    t = matcher.tuning
    statement = mandarin(statement)
    best: dict[str, tuple[float, str]] = {}
    second: dict[str, float] = {}
    oos_score = 0.0
    for i, (score, _) in reference.search(statement).items():
        doc = reference.docs[i]
        score *= doc.weight
        if not doc.owner:
            oos_score = max(oos_score, score)
            continue
        top = best.get(doc.owner, (0.0, ""))[0]
        if score > top:
            second[doc.owner] = top
            best[doc.owner] = (score, doc.text)
        elif score > second.get(doc.owner, 0.0):
            second[doc.owner] = score
    if any(contains(statement, c) for c in matcher.catalog.out_of_scope_cues):
        oos_score += 2 * t.keyword_bonus
    out = []
    for p in matcher.catalog.products:
        if not p.active:
            continue
        cues = [k for k in p.keywords if contains(statement, k)][: t.keyword_cap]
        base, phrase = best.get(p.id, (0.0, ""))
        if not base and not cues:
            continue
        score = base + t.support_weight * second.get(p.id, 0.0) + t.keyword_bonus * len(cues)
        factor, notes = matcher._fit(p, profile)
        out.append((p.id, score * factor, phrase or p.summary, cues, notes))
    out.sort(key=lambda c: -c[1])
    return out, oos_score


def _ref_closeness(a: str, b: str) -> float:
    """The Dice coefficient of two sentences' character bigrams."""
    x, y = ({g for g in grams(t) if len(g) == 2} for t in (a, b))
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _ref_sub_industry(profile):
    found = [key for key, (_industry, words) in SUB_INDUSTRY_WORDS.items() if any(w in profile.name for w in words)]
    own = [key for key in found if SUB_INDUSTRY_WORDS[key][0] == profile.industry]
    return (own or found or [None])[0]


def _ref_mirrors(case, profile, mine) -> bool:
    if case.industry != profile.industry and (mine is None or case.sub_industry != mine):
        return False
    if profile.size is None or case.size != profile.size:
        return False
    a, b = (case.region or "").strip(), (profile.region or "").strip()
    place = len(a) >= 2 and len(b) >= 2 and (a.startswith(b) or b.startswith(a))
    staff = bool(case.employees and profile.employees) and \
        abs(case.employees - profile.employees) <= 0.2 * max(case.employees, profile.employees)
    return place + (bool(case.sites) and case.sites == profile.sites) + staff >= 2


def reference_cases(profile, wanted, cases, limit, plan):
    """Every case of the library looked at, one by one, by the rule of docs/content-format.md (round 12):
    its main product offered and nothing beyond the plan (one more for the client's own sub-industry with
    three products or more), nothing the plan leaves pending, not mirroring the client, a need of it
    answered alike, none close to a need left open; another sub-industry only when its main product's
    need is close to the client's; the same sub-industry, industry and closeness first; at most 2."""
    mine = _ref_sub_industry(profile)
    offered = set(wanted) | set(plan.current)
    speaks = lambda pid, text: any(contains(text, cue) for cue in plan.cues.get(pid, ()))
    ranked = []
    for case in cases:
        if not set(case.products) & set(wanted):
            continue
        same_sub = mine is not None and case.sub_industry == mine
        outside = [pid for pid in case.products if pid not in offered]
        if case.products[0] not in offered or _ref_mirrors(case, profile, mine) or set(outside) & set(plan.pending):
            continue
        if outside and not (same_sub and len(outside) == 1 and len(case.products) >= 3):
            continue
        shared = [pid for pid in case.products if pid in wanted]
        fits = []
        for need in case.needs:
            for pid in shared:
                said = max(plan.answered.get(pid, ()), key=lambda s: _ref_closeness(need, s), default="")
                near = _ref_closeness(need, said) if said else 0.0
                if near >= 0.15 or speaks(pid, need):
                    fits.append((near, need, said, pid))
        if not fits or any(_ref_closeness(need, left) >= 0.12 and not any(speaks(pid, need) for pid in shared)
                           for need in case.needs for left in plan.open_needs):
            continue
        near, need, said, pid = max(fits)
        same_industry = case.industry == profile.industry
        main = max((f[0] for f in fits if f[3] == case.products[0]), default=0.0)
        if not same_sub and main < (0.15 if same_industry else 0.2):
            continue
        score = round(min((0.5 if same_sub else 0.0) + (0.2 if same_industry else 0.0) + min(near, 0.5) * 0.5
                          + 0.05 * min(len(fits), 2), 1.0), 2)
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
            reasons.append(f"回应的需求相近：案例中“{need}”，贵单位提到“{said}”，都用{wanted[pid]}")
        reasons.append("用到了本方案中的同样产品：" + "、".join(wanted[p] for p in shared))
        ranked.append((case.id, score, shared, reasons, not same_industry))
    ranked.sort(key=lambda c: (-c[1], c[0]))  # ties by id, then library order (a stable sort)
    return ranked[:min(limit, 2)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated catalog of 300 products (clones of the shipped ones) and 600 cases."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth_content
    finally:
        sys.path.remove(str(ROOT / "bench"))
    root = synth_content.make_workspace(tmp_path_factory.mktemp("big"), 300, 600)
    catalog, _ = load_catalog(root / "catalog" / "products.yaml")
    cases, _ = load_cases(root / "cases", catalog)
    return catalog, cases


@pytest.fixture(scope="module")
def shipped():
    catalog, _ = load_catalog(ROOT / "catalog" / "products.yaml")
    cases, _ = load_cases(ROOT / "cases", catalog)
    return catalog, cases


@pytest.fixture(scope="module", params=["shipped", "generated"])
def content(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def matcher(content):
    return Matcher(content[0])


@pytest.fixture(scope="module")
def vectorised(content):
    """The same catalog's matcher with the numpy path forced on, however small the catalog."""
    return Matcher(content[0], vectorise_from=0)


@pytest.fixture(params=["pure", "numpy"])
def either(request, matcher, vectorised):
    """Each way of finding the best products in turn."""
    return matcher if request.param == "pure" else vectorised


@pytest.fixture(scope="module")
def reference(matcher):
    return ReferenceIndex(matcher.index.docs)


@pytest.fixture(scope="module")
def profiles():
    return [read_profile(p)[0] for p in PROFILES]


def test_search_gives_the_reference_scores_in_the_reference_order(matcher, reference, profiles):
    texts = [s for profile in profiles[:2] for _, s in profile.statements()]
    texts += [d.text for d in matcher.index.docs[::499]] + ["", "ＣＮＣ机床 ERP", "完全无关的话"]
    for text in texts:
        got = matcher.index.search(text)
        want = {i: score for i, (score, _shared) in reference.search(text).items()}
        assert list(got) == list(want), text
        assert got == want, text


def test_exact_and_close_cosines_agree_with_search(matcher, profiles):
    index = matcher.index
    for _, statement in profiles[0].statements():
        query = index.query(statement)
        for i, score in index.search(statement).items():
            t = index.text_of[i]
            assert query.cosine(t) == score
            assert query.approx(t) == pytest.approx(score, rel=1e-12, abs=1e-15)


def test_a_walk_leaves_out_only_texts_below_its_limit(matcher, profiles):
    index = matcher.index
    for _, statement in list(profiles[1].statements())[:3]:
        query = index.query(statement)
        walk = query.walk()
        seen: set[int] = set()
        for limit in (0.5, 0.3, 0.1):
            fresh = walk.down_to(limit)
            assert not fresh & seen
            seen |= fresh
            for i, score in index.search(statement).items():
                t = index.text_of[i]
                if t not in seen:
                    assert score * index.docs[i].weight < limit


def candidates(matcher: Matcher) -> list[tuple]:
    """The last statement's candidates, everything that can differ between two ways of finding them."""
    return [(e.product.id, e.score, e.phrase, e.cues, e.fit_notes) for e in matcher.last_candidates]


def test_the_best_candidates_are_those_of_scoring_every_product(either, reference, profiles):
    matcher = either
    for profile in profiles:
        for category, statement in profile.statements():
            sm = matcher.match_statement(statement, category, profile)
            want, want_oos = reference_candidates(matcher, reference, statement, profile)
            assert candidates(matcher) == want[:CANDIDATES], statement
            assert matcher.last_oos == want_oos
            # the claimed ones (see match.evidence), in the order of the candidates
            picked = [e.product.id for e in sm.products]
            ids = [c[0] for c in want[:CANDIDATES]]
            assert set(picked) <= set(ids) and picked == sorted(picked, key=ids.index)
            assert all(e.confidence.level != "无" for e in sm.products)


def many_statements(catalog, profiles) -> list[str]:
    """Statements of every kind: the profiles', the catalog's own phrasings and cue words, pieces and
    mixtures of them, and texts that share nothing."""
    said = [s for profile in profiles for _, s in profile.statements()]
    phrases = [phrase for p in catalog.products for phrase in (*p.client_phrases, p.summary)]
    keywords = [k for p in catalog.products for k in p.keywords]
    out = said + phrases[::max(1, len(phrases) // 150)] + keywords[::max(1, len(keywords) // 40)]
    out += [s[: len(s) // 2] for s in said] + [s[len(s) // 2:] for s in said]
    out += [a + "，" + b for a, b in zip(said, said[7:])]
    out += [" ".join(keywords[k:k + 3]) for k in range(0, len(keywords), max(1, len(keywords) // 20))]
    out += list(catalog.out_of_scope) + ["", "。", "完全无关的话", "ＣＮＣ机床 ERP", "xyz 123"]
    return out


def test_the_numpy_path_agrees_with_the_pure_one_over_many_statements(content, matcher, vectorised, profiles):
    catalog, _ = content
    assert matcher.arrays is None and vectorised.arrays is not None
    statements = many_statements(catalog, profiles)
    for profile in profiles[::4]:  # several industries, sizes and tiers
        for statement in statements:
            want = matcher.match_statement(statement, "other", profile)
            got = vectorised.match_statement(statement, "other", profile)
            assert candidates(vectorised) == candidates(matcher), statement
            assert vectorised.last_oos == matcher.last_oos, statement
            assert (got.products, got.out_of_scope) == (want.products, want.out_of_scope), statement


@pytest.fixture(scope="module")
def twins(shipped):
    """The shipped catalog with every active product twice in a row, and a third time at the end
    with another fit: products score exactly alike, and the first in the catalog must win."""
    catalog, _ = shipped
    products, thirds = [], []
    for p in catalog.products:
        products.append(p)
        if p.active:
            products.append(dataclasses.replace(p, id=f"{p.id}_twin", name=f"{p.name}（二）", aliases=()))
            thirds.append(dataclasses.replace(p, id=f"{p.id}_other", name=f"{p.name}（三）", aliases=(),
                                              sizes=p.sizes[:1], tiers=p.tiers[-1:]))
    return dataclasses.replace(catalog, products=tuple(products + thirds))


@pytest.mark.parametrize("vectorise_from", [VECTORISE_FROM, 0])
def test_ties_go_to_the_first_product_in_the_catalog(twins, profiles, vectorise_from):
    matcher = Matcher(twins, vectorise_from=vectorise_from)
    reference = ReferenceIndex(matcher.index.docs)
    tied = 0
    for profile in profiles[::3]:
        for statement in many_statements(twins, [profile])[:60]:
            matcher.match_statement(statement, "other", profile)
            want, want_oos = reference_candidates(matcher, reference, statement, profile)
            got = candidates(matcher)
            assert got == want[:CANDIDATES], statement
            assert matcher.last_oos == want_oos
            tied += len(got) > 1 and got[0][1] == got[1][1]
    assert tied > 20  # the twins did tie


def test_a_matcher_pickled_and_loaded_matches_alike(vectorised, profiles):
    loaded = pickle.loads(pickle.dumps(vectorised))
    assert loaded.arrays is not None
    for profile in profiles[:3]:
        for category, statement in profile.statements():
            vectorised.match_statement(statement, category, profile)
            loaded.match_statement(statement, category, profile)
            assert candidates(loaded) == candidates(vectorised)


def test_the_shipped_catalog_never_imports_numpy(shipped, tmp_path):
    """``import numpy`` is a large share of one ``pitchcraft generate``: the shipped catalog stays far below
    the size from which the matcher uses it, and a whole generate process does not import it."""
    catalog, _ = shipped
    assert Matcher(catalog).arrays is None
    assert sum(len(p.client_phrases) + 1 for p in catalog.products) + len(catalog.out_of_scope) < VECTORISE_FROM / 5
    imported = modules_a_generate_imports(tmp_path / "out")
    assert "pitchcraft.match.recommend" in imported
    assert not [name for name in imported if name.split(".")[0] == "numpy"]


def test_cases_are_ranked_as_looking_at_every_case(content, either, profiles, monkeypatch):
    """The indexed choice (only the cases sharing a product) gives what looking at every case would, with
    the plan recommend() passes; and recommend() cites exactly those cases."""
    catalog, cases = content
    matcher = either
    calls = []
    real = recommend_module.choose_cases
    monkeypatch.setattr(recommend_module, "choose_cases", lambda *args: calls.append(args) or real(*args))
    cited = 0
    for profile in profiles:
        calls.clear()
        rec = recommend(profile, catalog, cases, matcher)
        (_profile, wanted, index, _limit, plan), = calls
        got = [(c.case.id, c.score, c.shared_products, c.reasons, c.other_industry)
               for c in real(profile, wanted, index, 10, plan)]
        assert got == reference_cases(profile, wanted, index.cases, 10, plan), profile.name
        assert [c.case.id for c in rec.cases] == [g[0] for g in got[:matcher.tuning.max_cases]]
        cited += bool(got)
    assert cited >= 1  # the rule is exercised on real output, not only on profiles citing none


def test_the_case_index_follows_the_cases_passed(shipped):
    catalog, cases = shipped
    matcher = Matcher(catalog)
    index = matcher.case_index(cases)
    assert matcher.case_index(list(cases)) is index
    assert matcher.case_index(cases[1:]) is not index


def test_cue_finder_agrees_with_contains(shipped, profiles):
    catalog, _ = shipped
    cues = [k for p in catalog.products for k in p.keywords] + list(catalog.out_of_scope_cues)
    cues += ["*", "找*供应商", "*签字", "ＣＮＣ", "a**b"]
    finder = CueFinder(cues)
    texts = [s for profile in profiles for _, s in profile.statements()]
    texts += ["想找一家便宜点的供应商", "供应商交货全靠电话催", "cnc停机", "ab", "a\nb", ""]
    for text in texts:
        assert finder.found(text) == {c for c in cues if contains(text, c)}, text
