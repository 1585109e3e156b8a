"""The quote a manager can send (round 10 fix round), read back from what ``generate`` wrote.

A client-eye review (the quotes of a hospital, a manufacturer with plants, a hardware factory, a
cold-chain fleet, a coal group and a trucking firm) found what stops a manager from sending them:
five cameras for drivers in 160 moving vehicles, 集团V网 for 5,000 staff when the client spoke of the
mines' dispatchers and safety officers, two internet lines where one was asked for, a private line
missing the head-office end, an expanded V网 with no line at all, "在预算之内" while a third of the
products were still 待确认, discount labels that disagree, phasing that judged the client's means
from a headcount, and a brief whose price answer staged products the proposal never priced.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from conftest import ROOT, generate_each
from docreader import docx_text, pptx_slides, quote_rows

PROFILES = {
    "hospital": ROOT / "examples" / "county-hospital.yaml",
    "precision": ROOT / "examples" / "precision-manufacturing.yaml",
    "hardware": ROOT / "tests" / "eval" / "tuning" / "75-dongguan-hardware-factory.yaml",
    "coldchain": ROOT / "tests" / "eval" / "tuning" / "126-xiashan-lenglian.yaml",
    "coal": ROOT / "tests" / "eval" / "profiles" / "39-coal-mining-group.yaml",
    "trucking": ROOT / "tests" / "eval" / "tuning" / "110-dongguan-tongda-kuaiyun.yaml",
}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("fixq-r10")
    # the trucking firm with the vehicle terminals the matcher holds as 待确认 added by the manager
    added = tmp / "110-added.yaml"
    added.write_text(PROFILES["trucking"].read_text(encoding="utf-8") + "choices:\n  add: [行业终端]\n",
                     encoding="utf-8")
    return generate_each(tmp, {**PROFILES, "trucking-added": added}, "--brief")


def rows_of(folder: Path, product: str) -> list[dict]:
    return [r for r in quote_rows(folder) if r["product"] == product]


def totals(folder: Path) -> dict[str, str]:
    doc = Document(str(folder / "proposal.docx"))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["项目", "金额"]
                 and any(r.cells[0].text == "每月应付" for r in t.rows))
    return {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}


def investment(folder: Path) -> dict:
    return next(s for s in pptx_slides(folder / "pitch.pptx") if "首年合计" in s["text"] and "含税目录价" in s["text"])


def price_answer(folder: Path) -> str:
    brief = Document(str(folder / "brief.docx"))
    for t in brief.tables:
        for r in t.rows:
            cells = [c.text for c in r.cells]
            if cells and cells[0] == "价格":
                return cells[-1]
    raise AssertionError("no price row in the brief")


# --- finding 1: a camera need about drivers in moving vehicles is not priced per site ------------


def test_cameras_for_drivers_in_vehicles_are_not_five_site_cameras(made):
    cams = rows_of(made["trucking"], "千里眼")
    assert cams, "千里眼 is pitched"
    # round 11: the vehicles the client counted elsewhere are named, the cameras per vehicle asked for
    assert all(r["quantity"] == "待确认" and r["basis"] == "贵单位提到“一百六十台车”，摄像头数待确认"
               for r in cams), cams
    assert not any("站点" in r["basis"] for r in cams), cams


# --- finding 2: 160 vehicles said -> 160 vehicle units once the terminal is pitched --------------


def test_the_vehicle_terminal_is_counted_by_the_160_vehicles_said(made):
    # left at the matcher's 待确认 level: not in the client's quote by itself
    assert not rows_of(made["trucking"], "行业终端")
    added = rows_of(made["trucking-added"], "行业终端")
    vehicle = [r for r in added if r["item"].startswith(("车载定位终端", "车辆定位服务费"))]
    assert len(vehicle) == 2 and all(r["quantity"] == "160" and "一百六十台车" in r["basis"] for r in vehicle), added


# --- findings 3 and 9: a per-member product goes to the group the client named -------------------


@pytest.mark.parametrize("key, group", [("coal", "调度、安全员"), ("precision", "主管、班组长"),
                                        ("trucking", "司机"), ("coldchain", "调度、司机")])
def test_vnet_for_a_named_group_is_to_be_confirmed_not_all_staff(made, key, group):
    (vnet,) = rows_of(made[key], "集团V网")
    assert vnet["quantity"] == "待确认" and vnet["monthly"] == "未计入", vnet
    assert vnet["basis"] == f"贵单位提到“{group}”，人数待确认", vnet
    assert not any("全体员工" in r["basis"] for r in rows_of(made[key], "集团V网"))


def test_group_ringtone_is_to_be_confirmed_when_the_client_gave_no_count(made):
    # round 13: the headcount (850) is not the client's word on how many numbers need the ringback;
    # unsaid, the line is priced per unit, 待确认, outside the totals (it was the largest monthly line)
    ring = [r for r in rows_of(made["precision"], "集团彩铃") if r["item"].startswith("成员功能费")]
    assert ring and all(r["quantity"] == "待确认" and r["monthly"] == "未计入" for r in ring), ring
    assert not any("850" in r["basis"] for r in ring)


# --- finding 4: one line asked for is one line --------------------------------------------------


def test_one_multi_carrier_line_is_one_line_not_one_per_site(made):
    ip = rows_of(made["coldchain"], "IP专线")
    assert ip and all(r["quantity"] == "1" for r in ip), ip
    assert not any("个站点" in r["basis"] for r in ip), ip


# --- finding 5: an expanded current service has a line --------------------------------------------


def test_the_expanded_vnet_has_a_line_to_confirm(made):
    folder = made["hardware"]
    (vnet,) = rows_of(folder, "集团V网")
    assert vnet["item"] == "成员功能费（新增）" and vnet["quantity"] == "待确认" and vnet["monthly"] == "未计入"
    assert vnet["price"] == "¥5.00" and "新增成员数待确认" in vnet["basis"], vnet
    assert re.search(r"不含数量待确认的[^）]*集团V网", docx_text(folder / "proposal.docx"))
    assert "集团V网" in totals(folder)["数量待确认的产品（按单价列出，未计入以上合计）"]


# --- finding 10: a private line's ends, counted alike -------------------------------------------


def test_private_line_ends_count_every_place_it_joins(made):
    two_plants = [r for r in rows_of(made["precision"], "集团专线")]
    assert two_plants and all(r["quantity"] == "3" and r["basis"] == "贵单位所说“两个厂”及总部，各 1 端"
                              for r in two_plants), two_plants
    three_plants = rows_of(made["hardware"], "集团专线")
    assert three_plants and all(r["quantity"] == "3" and r["basis"] == "贵单位所说“三个厂区”，各 1 端"
                                for r in three_plants), three_plants


# --- finding 8: no budget sentence hides the lines to confirm -------------------------------------


@pytest.mark.parametrize("key", ["hospital", "coal", "trucking", "hardware", "precision"])
def test_no_budget_sentence_holds_a_partial_fee_as_the_whole(made, key):
    folder = made[key]
    text = docx_text(folder / "proposal.docx")
    pending = list(dict.fromkeys(r["product"] for r in quote_rows(folder) if r["quantity"] == "待确认"))
    assert pending, key
    # every "in the budget" sentence names the part counted and the lines outside it
    for sentence in re.findall(r"[^。\n]*预算之内[^。\n]*", text):
        assert "已计入部分的月费" in sentence and "按单价另计，确认数量后再对照预算" in sentence, sentence
        assert all(name in sentence for name in pending), (sentence, pending)
    assert "（月费在预算内）" not in text
    sums = totals(folder)
    assert sums["数量待确认的产品（按单价列出，未计入以上合计）"] == f"{len(pending)} 项：{'、'.join(pending)}"
    assert sums["贵单位每月预算"].endswith("（已计入部分的月费在预算内，待确认项目另计）")
    slide = investment(folder)
    assert "已计入部分的月费约占" in slide["text"] and "确认数量后再对照预算" in slide["text"], slide["text"]
    assert not re.search(r"；月费约占", slide["text"])
    assert "已计入部分的月费" in slide["notes"] or "预算" not in slide["notes"]


def test_the_chart_marks_a_product_only_partly_priced(made):
    slide = investment(made["hospital"])
    (chart,) = [s.chart for s in slide["shapes"] if getattr(s, "has_chart", False) and s.has_chart]
    names = list(chart.plots[0].categories)
    partial = {r["product"] for r in quote_rows(made["hospital"]) if r["quantity"] == "待确认"} & \
        {r["product"] for r in quote_rows(made["hospital"]) if r["quantity"] != "待确认"}
    assert partial, "the hospital has products with some lines to confirm"
    for name in names:
        bare = name.removesuffix("（部分待确认）")
        assert (bare in partial) == name.endswith("（部分待确认）"), names


# --- finding 11: one name for each discount; the brief says what needs approval -------------------


def test_discount_labels_agree_and_the_brief_says_the_rest_needs_approval(made):
    folder = made["precision"]
    sums = totals(folder)
    labels = [k for k in sums if k.startswith("商务优惠")]
    assert labels == ["商务优惠（5%）"], list(sums)
    text = docx_text(folder / "proposal.docx")
    assert "以上已包含商务优惠（5%），每月合计优惠" in text
    assert "组合办理的优惠" not in text
    assert "需审批" not in text and not re.search(r"(?<![\d.])8%", text)  # the 8% asked is internal
    answer = price_answer(folder)
    assert "【内部·需审批】" in answer and "8%" in answer and "5%" in answer and "政企部经理审批" in answer, answer


# --- finding 7: no phasing judged on a headcount --------------------------------------------------


def test_no_phasing_says_the_plan_is_too_dear_for_the_clients_size(made):
    for key, folder in made.items():
        text = docx_text(folder / "proposal.docx")
        assert "规模来说偏高" not in text, key
    assert "分步实施" not in docx_text(made["coldchain"] / "proposal.docx")  # no budget, no bill given


# --- finding 12: the brief stages only the products the quote prices ------------------------------


def test_the_briefs_price_answer_stages_only_priced_products(made):
    answer = price_answer(made["coldchain"])
    staged = re.search(r"可以先上(.+?)作为基础组合，(.+?)放到第二期", answer)
    assert staged, answer
    first, later = staged[1].split("、"), staged[2].split("、")
    priced = {r["product"] for r in quote_rows(made["coldchain"]) if r["quantity"] != "待确认"}
    # a pitched product with every quantity 待确认 is staged too (round 12: each pitched product once),
    # marked so; every product staged unmarked has a figure in the quote
    unmarked = [n for n in first + later if not n.endswith("（数量待确认）")]
    assert set(unmarked) <= priced, (first, later, priced)
    assert "集团V网" not in unmarked and "集团专线" not in unmarked
    assert first[0] == "行业终端"  # the first pain the client raised (四十台冷藏车) stays in the first step
    # the trucking firm: the terminal held for confirmation is staged nowhere
    assert "行业终端" not in price_answer(made["trucking"]).split("心里要有数")[0]


# --- finding 14: no internal sales rule in the client's documents ---------------------------------


def test_no_client_document_says_the_budget_left_is_no_reason_to_buy_more(made):
    for key, folder in made.items():
        text = docx_text(folder / "proposal.docx") + "\n".join(
            s["text"] + s["notes"] for s in pptx_slides(folder / "pitch.pptx"))
        assert "预算余量" not in text and "加购" not in text, key
