"""The semantic second opinion (pitchcraft.match.semantic): 待确认 links only, with their evidence,
where the lexical matcher's best candidate and the encoder agree; never into the client's documents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from docreader import docx_text, pptx_slides
from pitchcraft.match.evidence import NONE, TO_CONFIRM
from pitchcraft.match.recommend import Matcher
from pitchcraft.match.semantic import KIND, Semantic
from pitchcraft.model.profile import Profile
from pitchcraft.pipeline import Session, load_content
from pitchcraft.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
# Written for this test: no need word of the lexical vocabulary, asked in the client's own way.
CASH_DESK = "门店收银全靠那一条网，上周断了一下午，一单都收不了"
SIGNBOARD = "想把门店的招牌换成更亮一点的"  # near shops and signage, asks for no telecom service


@pytest.fixture(scope="module")
def catalog():
    return load_content(Workspace.open(ROOT)).catalog


@pytest.fixture(scope="module")
def matchers(catalog, tmp_path_factory):
    return Matcher(catalog), Matcher(catalog, semantic=True)


def client(industry: str = "retail") -> Profile:
    return Profile("测试客户", industry, 200, 3, "B", None, (), None, (), {}, None, None, None, None)


def test_a_need_with_no_need_word_gets_a_link_to_confirm_with_its_evidence(matchers):
    plain, semantic = matchers
    assert not plain.match_statement(CASH_DESK, "other", client()).products
    sm = semantic.match_statement(CASH_DESK, "other", client())
    assert [e.product.name for e in sm.products] == ["IP专线"]
    c = sm.products[0].confidence
    assert c.level == TO_CONFIRM and c.kinds == (KIND,)
    phrase = c.evidence[0]
    assert phrase in sm.products[0].product.client_phrases and sm.products[0].phrase == phrase
    assert CASH_DESK in c.question


def test_a_statement_near_a_product_that_asks_for_something_else_stays_unclaimed(matchers):
    for matcher in matchers:
        sm = matcher.match_statement(SIGNBOARD, "other", client())
        assert not sm.products and sm.confidence.level == NONE
    best = matchers[1].last_candidates[0]  # the encoder was asked (a lexical candidate, no refusal) and disagreed
    assert best.score >= matchers[1].tuning.threshold and not matchers[1].judge.elsewhere(SIGNBOARD)
    # an ask-kind rule's refusal (a job for a third party) is never overruled
    said = "想找个施工队把门店的监控室重新翻修一下"
    assert matchers[0].judge.elsewhere(said)
    assert not any(m.match_statement(said, "other", client()).products for m in matchers)


def test_lexical_links_are_untouched(matchers):
    plain, semantic = matchers
    said = "几十家门店每天报货都靠打电话，仓库经常记错"
    a, b = plain.match_statement(said, "other", client()), semantic.match_statement(said, "other", client())
    assert [(e.product.id, e.confidence) for e in a.products] == [(e.product.id, e.confidence) for e in b.products]


def test_the_catalog_vectors_are_cached_by_their_phrasings(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path / "cache"))
    products = [p for p in catalog.products if p.active][:3]
    first = Semantic(products)
    folder = tmp_path / "cache" / "semantic"
    assert len(list(folder.glob("*.npy"))) == 1
    again = Semantic(products)
    assert len(list(folder.glob("*.npy"))) == 1 and (again.vectors == first.vectors).all()
    changed = [products[0].__class__(**{**products[0].__dict__,
                                        "client_phrases": (*products[0].client_phrases[:-1], "仓库的货到底还剩多少")}),
               *products[1:]]
    fresh = Semantic(changed)
    assert len(list(folder.glob("*.npy"))) == 2
    assert not (fresh.vectors[len(products[0].client_phrases) - 1] == first.vectors[len(products[0].client_phrases) - 1]).all()


def test_the_documents_are_the_same_with_or_without_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path / "cache"))
    profile = tmp_path / "shop.yaml"
    profile.write_text(
        "client:\n  name: 佛山市好邻里便利店有限公司\n  industry: 零售\n  employees: 120\n  sites: 9\n  tier: B\n"
        "  region: 佛山禅城\nneeds:\n  基础通信:\n    - 几十家门店每天报货都靠打电话，仓库经常记错\n"
        f"  移动办公:\n    - {CASH_DESK}\nvisit:\n  date: 2026-12-20\n  manager: 陈晓明\n  phone: \"13800000001\"\n",
        encoding="utf-8")
    now = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone.utc)
    ws = Workspace.open(ROOT)
    plain = Session.open(ws, semantic=False).build(profile, now=now, brief=True)
    semantic = Session.open(ws, semantic=True).build(profile, now=now, brief=True)
    assert CASH_DESK in plain.recommendation.unmatched
    assert CASH_DESK not in semantic.recommendation.unmatched
    assert any(KIND in link.confidence.kinds for link in semantic.recommendation.to_confirm)
    texts = {}
    for name, built in (("plain", plain), ("semantic", semantic)):
        folder = tmp_path / name
        folder.mkdir()
        for file, data in built.files.items():
            (folder / file).write_bytes(data)
        texts[name] = (docx_text(folder / "proposal.docx"), [s["text"] for s in pptx_slides(folder / "pitch.pptx")],
                       docx_text(folder / "brief.docx"))
    assert texts["plain"][:2] == texts["semantic"][:2]  # the client's Word and PowerPoint
    assert "IP专线" not in texts["plain"][2] and "IP专线" in texts["semantic"][2]  # the manager's brief asks
