"""Round 13: a count far beyond where an item's standard price stops (catalog ``up_to``) is a
project: the line reads 按项目单独报价, stays outside every total, and says why in the client's words."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import yaml

from conftest import generate_each
from docreader import docx_text, quote_rows
from pitchcraft.model.catalog import TariffItem
from pitchcraft.quote import Said, build
from test_quote import PRICING, product, profile

DAY = dt.date(2026, 12, 1)
ROOT = Path(__file__).resolve().parents[1]
GAS = ROOT / "tests/eval/tuning/116-zhongshan-qijiang-ranqi.yaml"
CARD = product("gprs_access", TariffItem("物联网卡功能费", D("5.00"), "line", "monthly", per="devices", up_to=5000),
               category="iot")


def test_a_count_beyond_the_standard_scope_is_a_project_outside_the_totals():
    said = Said({"gprs_access": ("三十几万户的燃气表每个月要派人上门抄",)})
    q = build(profile(employees=900, sites=6), [CARD], PRICING, DAY, said=said)
    (line,) = q.lines
    assert line.to_confirm and line.quantity == 0 and q.monthly_total == 0
    assert "三十几万户的燃气表" in line.client_basis and "按项目单独报价" in line.client_basis
    assert "按项目单独报价" in q.notes[-1] and "待贵单位确认" not in q.notes[-1]


def test_a_count_within_the_scope_keeps_the_standard_price():
    said = Said({"gprs_access": ("两百台设备要联网回传数据",)})
    q = build(profile(employees=900, sites=6), [CARD], PRICING, DAY, said=said)
    assert [(ln.quantity, ln.monthly) for ln in q.lines] == [(200, D("1000.00"))]


def test_every_shipped_per_unit_price_says_where_it_stops():
    data = yaml.safe_load((ROOT / "catalog/products.yaml").read_text(encoding="utf-8"))
    missing = [(p["id"], it["name"]) for p in data["products"] if p.get("status") == "active"
               for it in (p.get("tariff") or {}).get("items", [])
               if it["unit"] not in ("package", "account") and it.get("per") != "one" and "up_to" not in it]
    assert missing == []


def test_a_bad_scope_is_a_chinese_message_with_file_line_field(cli, workspace):
    path = workspace / "catalog/products.yaml"
    text = path.read_text(encoding="utf-8")
    assert "up_to: 5000\n" in text
    path.write_text(text.replace("up_to: 5000\n", "up_to: 很多\n", 1), encoding="utf-8")
    result = cli("catalog", "validate")
    assert result.exit_code != 0
    assert "products.yaml:" in result.output and "up_to" in result.output and "Traceback" not in result.output


def test_the_gas_utilitys_proposal_quotes_no_card_for_three_hundred_thousand_meters(tmp_path):
    (folder,) = generate_each(tmp_path, {"gas": GAS}).values()
    card = [r for r in quote_rows(folder) if r["item"] == "物联网卡功能费"]
    assert card and card[0]["monthly"] == "未计入"
    assert "三十几万户的燃气表的规模按项目单独报价，由我方项目组另行测算" in card[0]["basis"]
    text = docx_text(folder / "proposal.docx")
    assert "1,350,930" not in text and "按项目单独报价" in text


FERRY = ROOT / "tests/eval/tuning/119-zhuhai-wanshan-haidao-keyun.yaml"


def test_a_vehicle_price_is_not_quoted_for_vessels(tmp_path):
    (folder,) = generate_each(tmp_path, {"ferry": FERRY}).values()
    rows = [r for r in quote_rows(folder) if r["item"] in ("车载定位终端", "车辆定位服务费")]
    assert len(rows) == 2
    for r in rows:
        assert r["quantity"] == "待确认" and "十几条船" in r["basis"] and "型号和价格待确认" in r["basis"], r
        assert "未计入" in (r["monthly"] + r["one_off"])
    assert "¥6,800.00" not in docx_text(folder / "proposal.docx")


def test_a_ferry_operator_reads_vessels_not_field_work(tmp_path):
    (folder,) = generate_each(tmp_path, {"ferry": FERRY}).values()
    text = docx_text(folder / "proposal.docx")
    assert "船载定位终端" in text and "现场作业电子化" not in text
