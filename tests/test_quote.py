"""The offer: exact arithmetic on hand-computed quotes, and properties that hold for any quantities."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

from hypothesis import given, settings, strategies as st

from conftest import EXAMPLES
from pitchcraft.model.catalog import Authority, Bundle, Pricing
from pitchcraft.model.money import cny, fen
from pitchcraft.quote import build
from pitchcraft.model.catalog import PriceTier, Product, TariffItem
from pitchcraft.model.profile import Profile

DAY = dt.date(2026, 12, 1)


def product(pid: str, *items: TariffItem, category: str = "basic_comms") -> Product:
    return Product(pid, pid.upper(), (), category, "active", None, "说明", "原理", ("价值",), ("all",),
                   ("small", "medium", "large"), ("A", "B", "C"), "basic", "推广", ("说法",), (), "资费", items, ())


def profile(employees: int | None = 100, sites: int | None = 2, **extra) -> Profile:
    base = dict(name="测试客户", industry="manufacturing", employees=employees, sites=sites, tier="B", region=None,
                current_services=(), competitor=None, contacts=(), needs={"basic_comms": ("话费高",)},
                budget_monthly=None, visit_date=None, manager=None, manager_phone=None)
    base.update(extra)
    return Profile(**base)


VNET = product("vpmn", TariffItem("成员功能费", D("5.00"), "line", "monthly", vat="basic", floor=D("4.00"),
                                  tiers=(PriceTier(500, D("4.50")),)))
DIRECTORY = product("group_directory", TariffItem("成员功能费", D("1.00"), "user", "monthly", floor=D("0.70")),
                    category="mobile_office")
LINE = product("group_private_line",
               TariffItem("电路月租", D("900.00"), "site", "monthly", vat="basic"),
               TariffItem("10M 电路月租", D("2500.00"), "site", "monthly", vat="basic", optional=True),
               TariffItem("施工费", D("3000.00"), "site", "one_off", vat="basic"),
               TariffItem("旧资费", D("100.00"), "site", "monthly", expires=dt.date(2025, 12, 31)))
PRICING = Pricing({"basic": D("0.09"), "value_added": D("0.06")},
                  (Bundle("vnet-office", "V网办公组合", ("vpmn", "group_directory"), D("0.10")),),
                  (Authority("客户经理", D("0.05")), Authority("政企部经理", D("0.10"))))


def test_hand_computed_quote():
    q = build(profile(employees=850, sites=3), [VNET, DIRECTORY, LINE], PRICING, DAY)
    # V网: 499 × 5.00 + 351 × 4.50 = 2495.00 + 1579.50; 号簿 850 × 1.00; 专线 3 × 900.00
    assert [ln.monthly for ln in q.lines if ln.billing == "monthly"] == [D("2495.00"), D("1579.50"), D("850.00"),
                                                                          D("2700.00")]
    assert q.gross_monthly == D("7624.50")
    # bundle 10 % on V网 and 号簿: 249.50 + 157.95 + 85.00
    assert [(d.rule, d.monthly) for d in q.discounts] == [("bundle:vnet-office", D("-492.45"))]
    assert q.monthly_total == D("7132.05")
    assert q.one_off_total == D("9000.00")  # the optional 10M circuit and the expired tariff are not quoted
    assert q.first_year_total == D("12") * D("7132.05") + D("9000.00") == D("94584.60")
    assert any("不在有效期" in n for n in q.notes)
    # tax inside the prices: basic 9 %, value-added 6 %
    basic = (D("2495.00") - D("249.50") + D("1579.50") - D("157.95") + D("2700.00")) * 12 + D("9000.00")
    assert q.tax["basic"] == fen(basic * D("0.09") / D("1.09"))
    assert q.tax["value_added"] == fen((D("850.00") - D("85.00")) * 12 * D("0.06") / D("1.06"))


def test_discount_beyond_authority_is_flagged_not_granted():
    q = build(profile(), [VNET], PRICING, DAY, requested_discount=D("0.08"))
    assert [(d.rule, d.rate) for d in q.discounts] == [("manager-discount", D("0.05"))]
    assert q.monthly_total == D("475.00")  # 100 × 5.00 less 5 %
    [approval] = q.needs_approval
    assert approval.role == "政企部经理" and approval.granted == D("0.05")
    beyond = build(profile(), [VNET], PRICING, DAY, requested_discount=D("0.30"))
    assert beyond.needs_approval[0].role is None and "不可承诺" in beyond.needs_approval[0].reason


def test_floor_caps_a_discount():
    q = build(profile(), [VNET, DIRECTORY], Pricing(bundles=(Bundle("b", "组合", ("vpmn", "group_directory"),
                                                                    D("0.40")),)), DAY)
    d = q.discounts[0]
    assert d.capped
    assert d.monthly == -(D("100.00") + D("30.00"))  # V网 to its 4.00 floor, 号簿 to 0.70


def test_profile_quantities_and_missing_counts():
    q = build(profile(employees=None, quantities={"VPMN": 40}), [VNET, LINE], PRICING, DAY)
    assert q.lines[0].quantity == 40 and q.lines[0].rule == "profile"
    q2 = build(profile(employees=None, sites=None), [VNET], PRICING, DAY)
    assert q2.lines[0].quantity == 1 and any("员工数" in n for n in q2.notes)


def test_money_format():
    assert cny(D("12345")) == "¥12,345.00" and cny(D("-425.5")) == "-¥425.50"
    assert fen(D("0.005")) == D("0.01") and fen(D("0.0049")) == D("0.00")


quantities = st.integers(min_value=1, max_value=5000)


@settings(max_examples=60, deadline=None)
@given(employees=quantities, sites=st.integers(1, 200), rate=st.decimals("0", "0.5", places=2))
def test_total_is_the_sum_of_its_lines_and_no_price_goes_below_its_floor(employees, sites, rate):
    pricing = Pricing(bundles=(Bundle("b", "组合", ("vpmn", "group_directory"), rate),),
                      authority=(Authority("客户经理", D("0.5")),))
    q = build(profile(employees, sites), [VNET, DIRECTORY, LINE], pricing, DAY, requested_discount=rate)
    assert q.monthly_total == sum(ln.monthly for ln in q.lines) + sum(d.monthly for d in q.discounts)
    assert q.first_year_total == 12 * q.monthly_total + q.one_off_total
    for ln in q.lines:
        if ln.floor is not None and ln.monthly:
            assert ln.monthly - ln.discount >= fen(ln.floor * ln.quantity) - D("0.01") * 2


@settings(max_examples=60, deadline=None)
@given(a=quantities, b=quantities)
def test_more_quantity_never_costs_less(a, b):
    low, high = sorted((a, b))
    q_low = build(profile(low), [VNET, DIRECTORY], PRICING, DAY)
    q_high = build(profile(high), [VNET, DIRECTORY], PRICING, DAY)
    assert q_high.monthly_total >= q_low.monthly_total


def test_quote_in_recommend_json_follows_the_contract(shipped_cli):
    data = json.loads(shipped_cli("recommend", EXAMPLES[0], "--json").stdout)
    q = data["quote"]
    assert q["currency"] == "CNY"
    total = sum(D(ln["monthly"]) for ln in q["lines"]) + sum(D(d["monthly"]) for d in q["discounts"])
    assert D(q["monthly_total"]) == total
    assert D(q["first_year_total"]) == 12 * D(q["monthly_total"]) + D(q["one_off_total"])
    assert all(isinstance(ln["monthly"], str) and ln["monthly"].count(".") == 1 for ln in q["lines"])


def test_quote_command_and_documents(shipped_cli, cli, tmp_path):
    result = shipped_cli("quote", EXAMPLES[0])
    assert result.exit_code == 0 and "每月应付" in result.stdout and "首年合计" in result.stdout
    from docreader import docx_text, pptx_slides

    out = tmp_path / "out"
    assert cli("generate", EXAMPLES[0], "--out", out).exit_code == 0
    folder = next(out.iterdir())
    text = docx_text(folder / "proposal.docx")
    offer = json.loads(shipped_cli("quote", EXAMPLES[0], "--json").stdout)
    assert f"¥{D(offer['monthly_total']):,.2f}" in text and "报价明细" in text
    assert "需审批" not in text and "审批" not in text  # the internal side never reaches the client
    deck = pptx_slides(folder / "pitch.pptx")
    pricing = [s for s in deck if s["layout"] == "Investment"]
    assert pricing and any(sh.has_chart for sh in pricing[0]["shapes"])
    assert f"¥{D(offer['monthly_total']):,.2f}" in pricing[0]["text"]
