"""The shipped catalog and case library: complete, valid, and honest."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from pitchcraft.load import load_catalog, load_cases
from pitchcraft.model.case import CASE_SECTIONS_CLIENT
from pitchcraft.model.vocab import INDUSTRIES, WORKFLOW_STEPS

SEED_PRODUCTS = ROOT.parent / "shared" / "contracts" / "seed-products.md"
SEED_NAMES = [
    "短号集群网", "集团专线", "集群网VPMN", "集团短号", "集团信息机", "无线DNN", "移动总机", "集群网", "集团V网",
    "移动V网伴侣", "IP专线", "企信通", "新企信通", "集团短信通", "移动OA", "手机邮箱", "企业邮箱", "blackberry",
    "集团号簿", "MAS", "移动供应链管理", "行业终端", "GPRS企业接入", "企业名片", "集团彩铃", "移动媒体", "财信通",
    "农信通", "商信通",
]
CATEGORY_OF = {
    "basic_comms": ["短号集群网", "集团专线", "集群网VPMN", "集团短号", "集团信息机", "无线DNN", "移动总机", "集群网",
                    "集团V网", "移动V网伴侣", "IP专线"],
    "mobile_office": ["企信通", "新企信通", "集团短信通", "移动OA", "手机邮箱", "企业邮箱", "blackberry", "集团号簿", "MAS"],
    "production_control": ["移动供应链管理", "行业终端", "GPRS企业接入"],
    "marketing": ["企业名片", "集团彩铃", "移动媒体", "财信通", "农信通", "商信通"],
}
ABSOLUTE_CLAIMS = re.compile(r"最|第一|唯一|国家级|顶级|100%|绝对|全网最低")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "catalog" / "products.yaml")[0]


@pytest.fixture(scope="module")
def cases(catalog):
    return load_cases(ROOT / "cases", catalog)[0]


def test_seed_list_matches_the_contract():
    if SEED_PRODUCTS.exists():
        text = SEED_PRODUCTS.read_text(encoding="utf-8")
        contract = re.findall(r"^\| (\S[^|]*?) \| (basic_comms|mobile_office|production_control|marketing) \|", text, re.M)
        assert sorted(n for n, _ in contract) == sorted(SEED_NAMES)


@pytest.mark.parametrize("category,names", CATEGORY_OF.items())
def test_every_seed_product_resolves_with_its_category(catalog, category, names):
    for name in names:
        product = catalog.resolve(name)
        assert product is not None, name
        assert product.category == category, name


def test_products_carry_the_product_map_fields(catalog):
    for p in catalog.products:
        assert p.summary and p.how_it_works and p.promotion and p.benefits and p.industries
        assert p.tariff_summary and p.tariff_items, p.id
        assert len(p.client_phrases) >= 8, p.id
        assert all(i.price >= 0 for i in p.tariff_items)


def test_no_absolute_advertising_claims_in_client_facing_text(catalog, cases):
    for p in catalog.products:
        for text in (p.summary, p.how_it_works, p.promotion, p.tariff_summary, *p.benefits):
            assert not ABSOLUTE_CLAIMS.search(text), (p.id, text)
    for c in cases:  # what a client reads of a case; the internal review is not client text
        for text in (c.title, *c.results, c.client_quote or "", *(c.sections[s] for s in CASE_SECTIONS_CLIENT)):
            assert not ABSOLUTE_CLAIMS.search(text), (c.id, text)


def test_case_library_covers_every_industry_and_step(cases, catalog):
    assert len(cases) >= 16
    assert {c.industry for c in cases} == set(INDUSTRIES)
    assert {c.workflow_step for c in cases} == set(WORKFLOW_STEPS)
    for c in cases:
        assert c.display_name and c.results and all(c.sections[s] for s in CASE_SECTIONS_CLIENT), c.id
        assert c.sample, c.id  # every shipped case is invented, and marked so
        assert all(re.search(r"\d", r) for r in c.results), c.id
        assert all(catalog.by_id[pid].active for pid in c.products), c.id
        if not c.consent:
            assert c.client_label == c.display_name


def test_catalog_validate_passes_on_shipped_content(shipped_cli):
    result = shipped_cli("catalog", "validate")
    assert result.exit_code == 0, result.stderr
    assert "检查通过" in result.stdout


def test_products_list_the_cases_that_use_them(catalog, cases):
    for c in cases:
        for pid in c.products:
            assert c.id in catalog.by_id[pid].related_cases, (pid, c.id)
