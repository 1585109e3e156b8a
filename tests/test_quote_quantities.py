"""Quote quantities from what the client said, the manager's quantities, phasing and value on the offer."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from pitchcraft.quote import Said, Source, basis_label, build, quantity_for
from pitchcraft.model.catalog import TariffItem
from test_quote import PRICING, VNET, product, profile

DAY = dt.date(2026, 12, 1)

TERMINAL = product("industry_terminal", TariffItem("手持数据终端", D("1680.00"), "terminal", "one_off", vat="goods"),
                   TariffItem("终端数据功能费", D("20.00"), "terminal", "monthly", vat="basic"),
                   category="production_control")
SWITCH = product("mobile_switchboard", TariffItem("总机号码功能费", D("50.00"), "account", "monthly"),
                 TariffItem("分机成员功能费", D("8.00"), "user", "monthly", share=D("0.2")))
MEETING = product("cloud_video", TariffItem("会议室硬件终端", D("5800.00"), "terminal", "one_off", per="sites"))


def test_a_per_vehicle_terminal_takes_the_vehicles_the_client_named():
    said = Said({"industry_terminal": ("港区六十多辆集卡每天进出，调度只能打电话问司机在哪",)})
    q = build(profile(employees=300, sites=5), [TERMINAL], PRICING, DAY, said=said)
    assert [ln.quantity for ln in q.lines] == [60, 60]
    src = q.lines[0].source
    assert (src.rule, src.phrase, src.kind, src.approximate) == ("statement", "六十多辆集卡", "vehicles", True)
    assert q.lines[0].basis == "按客户所说“六十多辆集卡”"


def test_a_per_user_product_is_quoted_for_the_people_named_not_all_staff():
    said = Said({"mobile_switchboard": ("前台就3个人，客户打进来经常占线",)})
    q = build(profile(employees=1500, sites=2), [SWITCH], PRICING, DAY, said=said)
    ext = [ln for ln in q.lines if ln.unit == "user"][0]
    assert ext.quantity == 3 and ext.source.phrase == "前台就3个人" and ext.source.kind == "people"
    # a fixed item stays at one whatever is said
    assert [ln.quantity for ln in q.lines if ln.unit == "account"] == [1]


def test_without_a_count_the_staff_rule_is_shown():
    said = Said({"mobile_switchboard": ("客户打进来电话经常占线",)})
    q = build(profile(employees=1500, sites=2), [SWITCH], PRICING, DAY, said=said)
    ext = [ln for ln in q.lines if ln.unit == "user"][0]
    assert ext.quantity == 300 and ext.rule == "employeesx0.2" and ext.basis == "按员工数×20%"


def test_a_group_named_without_a_count_is_to_be_confirmed_not_a_share_of_the_staff():
    said = Said({"mobile_switchboard": ("前台电话经常占线",)})
    q = build(profile(employees=1500, sites=2), [SWITCH], PRICING, DAY, said=said)
    ext = [ln for ln in q.lines if ln.unit == "user"][0]
    assert ext.to_confirm and ext.quantity == 0 and ext.source.phrase == "前台" and ext.source.confirm == "人数"


def test_people_with_no_group_named_yield_to_the_profiles_headcount():
    everyone = Said({"vpmn": ("两千多人，内部电话打得多",)})
    q = build(profile(employees=2130), [VNET], PRICING, DAY, said=everyone)
    assert sum(ln.quantity for ln in q.lines) == 2130 and q.lines[0].rule == "employees"
    called = Said({"vpmn": ("急诊叫会诊，打了三个人都没接",)})
    q = build(profile(employees=1500), [VNET], PRICING, DAY, said=called)
    assert sum(ln.quantity for ln in q.lines) == 1500
    # with no headcount in the profile, the client's figure is the best there is
    q = build(profile(employees=None), [VNET], PRICING, DAY, said=Said({"vpmn": ("我们十二个人天天互相打电话",)}))
    assert q.lines[0].quantity == 12 and q.lines[0].rule == "statement"


def test_meeting_room_terminals_take_the_rooms_not_the_sites():
    said = Said({"cloud_video": ("机关有两间会议室，想跟18个乡镇开视频会",)})
    q = build(profile(employees=200, sites=18), [MEETING], PRICING, DAY, said=said)
    assert q.lines[0].quantity == 2 and q.lines[0].source.kind == "rooms"


def test_a_handheld_terminal_counts_no_water_meters():
    # nor one terminal per site (round 11): no count of terminals said, the number is the client's to give
    said = Said({"industry_terminal": ("全市两万多块水表还是抄表员上门去抄",)})
    q = build(profile(employees=300, sites=5), [TERMINAL], PRICING, DAY, said=said)
    assert q.lines[0].quantity == 0 and q.lines[0].rule == "to-confirm" and q.lines[0].source.confirm == "终端数"


def test_a_vague_number_is_not_quoted():
    said = Said({"industry_terminal": ("几十辆车跑在外面",)})
    q = build(profile(employees=300, sites=5), [TERMINAL], PRICING, DAY, said=said)
    assert q.lines[0].quantity == 0 and q.lines[0].rule == "to-confirm" and q.lines[0].source.phrase == "几十辆车"


def test_the_managers_quantity_overrides_what_was_said():
    said = Said({"industry_terminal": ("六十多辆集卡",)}, chosen={"industry_terminal": 64})
    q = build(profile(), [TERMINAL], PRICING, DAY, said=said)
    assert [ln.quantity for ln in q.lines] == [64, 64] and q.lines[0].basis == "客户经理指定"


def test_quantity_for_without_statements_keeps_the_old_rules():
    item = VNET.tariff_items[0]
    assert quantity_for(item, profile(employees=80), VNET) == (80, Source("employees", kind="line"))  # kind: the unit
    assert basis_label(Source("fixed")) == "固定 1 套"


# --- through the commands -----------------------------------------------------------------------

def write(tmp: Path, data: dict, name: str = "p.yaml") -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


PORT = {
    "client": {"name": "湛江某集装箱码头", "industry": "物流", "employees": 420, "sites": 5},
    "needs": {"生产控制": ["港区六十多辆集卡要装车载终端，调度想实时看到每辆车的位置"],
              "基础通信": ["现在全公司每个月话费三万多，调度、司机、堆场之间电话打得多"]},
}

COOP = {
    "client": {"name": "梅州某茶叶专业合作社", "industry": "农业", "employees": 15, "sites": 1},
    "needs": {
        "基础通信": ["我们十二个人天天互相打电话，话费都是自己出，每月话费四五百块"],
        "生产控制": ["社员交来的茶青、卖出去的货全靠手写记账，想在手机上就能下单、进货、对账"],
        "服务营销": ["想给老客户发个新茶上市的消息"],
    },
}


def recommend_json(shipped_cli, path: Path) -> dict:
    result = shipped_cli("recommend", path, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_recommend_json_quotes_what_the_client_said(shipped_cli, tmp_path):
    data = recommend_json(shipped_cli, write(tmp_path, PORT))
    lines = [ln for ln in data["quote"]["lines"] if ln["source"]["rule"] == "statement"]
    assert lines, data["quote"]["lines"]
    assert all(ln["quantity"] == 60 and ln["source"]["phrase"] == "六十多辆集卡" for ln in lines)
    assert all(ln["source"]["basis"] == "按客户所说“六十多辆集卡”" for ln in lines)


def test_value_from_the_clients_bill_and_none_without_a_figure(shipped_cli, tmp_path):
    data = recommend_json(shipped_cli, write(tmp_path, PORT))
    q = data["quote"]
    bills = [v for v in q["value"] if v["kind"] == "bill"]
    assert bills and bills[0]["basis"] == "每个月话费三万多" and bills[0]["assumption"]
    assert D(q["value_monthly_saving"]) == sum(D(v["amount"]) for v in bills)
    quiet = dict(PORT, needs={"生产控制": PORT["needs"]["生产控制"]})
    q = recommend_json(shipped_cli, write(tmp_path, quiet, "quiet.yaml"))["quote"]
    assert q["value"] == [] and q["value_monthly_saving"] is None


def test_a_bundle_far_over_a_small_clients_bill_is_phased(shipped_cli, tmp_path):
    q = recommend_json(shipped_cli, write(tmp_path, COOP))["quote"]
    ph = q["phasing"]
    assert ph is not None and ph["basis"] == "bill" and "每月话费四五百块" in ph["reason"]
    assert "mobile_scm" in ph["later"]["products"] and ph["phase_1"]["products"]
    assert D(ph["phase_1"]["quote"]["first_year_total"]) <= 12 * D(ph["limit_monthly"])
    assert set(ph["phase_1"]["products"]) | set(ph["later"]["products"]) == {ln["product_id"] for ln in q["lines"]}


def test_a_bundle_within_the_budget_is_not_phased(shipped_cli, tmp_path):
    rich = dict(COOP, budget={"monthly_cny": 50000})
    assert recommend_json(shipped_cli, write(tmp_path, rich))["quote"]["phasing"] is None


def test_over_budget_phases_with_the_budget_named(shipped_cli, tmp_path):
    tight = dict(COOP, budget={"monthly_cny": 300})
    ph = recommend_json(shipped_cli, write(tmp_path, tight))["quote"]["phasing"]
    assert ph["basis"] == "budget" and "月度预算 ¥300.00" in ph["reason"]


@pytest.mark.parametrize("example", ["precision-manufacturing", "chain-supermarket", "county-hospital"])
def test_every_line_of_the_examples_says_where_its_number_came_from(shipped_cli, example):
    root = Path(__file__).resolve().parents[1]
    q = recommend_json(shipped_cli, root / "examples" / f"{example}.yaml")["quote"]
    for ln in q["lines"]:
        assert ln["source"]["basis"]
        if ln["source"]["rule"] == "statement":
            assert ln["source"]["phrase"] in ln["source"]["statement"]


from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SAYINGS = st.lists(st.text(alphabet="六十多辆集卡前台就3个人两千上百近家门店会议室间部座机一万二.的，", max_size=30),
                   max_size=3)


@settings(max_examples=150, deadline=None)
@given(SAYINGS, SAYINGS)
@example([], ["前台"])  # a named group with no count: to be confirmed (hypothesis found it in CI)
def test_any_words_give_a_quote_that_adds_up(terminal_said, switch_said):
    said = Said({"industry_terminal": tuple(terminal_said), "mobile_switchboard": tuple(switch_said)})
    q = build(profile(employees=50, sites=3), [TERMINAL, SWITCH, MEETING], PRICING, DAY, said=said)
    # a line is counted (at least one) or to be confirmed: quantity 0, nothing in the totals (a named group,
    # 前台, without a count since round 10); either way its basis says why
    assert all(ln.basis and (ln.quantity == 0 and not ln.monthly and not ln.one_off if ln.to_confirm
                             else ln.quantity >= 1) for ln in q.lines)
    assert q.first_year_total == 12 * q.monthly_total + q.one_off_total
    assert q.gross_monthly == sum(ln.monthly for ln in q.lines if not ln.to_confirm)
    for ln in q.lines:
        if ln.rule == "statement":
            assert ln.source.phrase in ln.source.statement


def test_the_proposal_says_where_each_number_came_from(cli, tmp_path):
    from docreader import docx_text

    out = tmp_path / "out"
    result = cli("generate", write(tmp_path, PORT), "--out", out)
    assert result.exit_code == 0, result.output
    text = docx_text(next(out.iterdir()) / "proposal.docx")
    assert "依据：贵单位所说“六十多辆集卡”\n60\n" in text  # the basis under the item, then the quantity
    assert "goods" not in text and "销售货物" in text  # the terminals' VAT class by its name


def test_the_quote_command_shows_phasing_and_value(shipped_cli, tmp_path):
    # the supply-chain product is 待确认 for this client: once the manager adds it, the documents'
    # offer (what ``quote`` prints first) is the whole bundle, phased
    result = shipped_cli("quote", write(tmp_path, {**COOP, "choices": {"add": ["移动供应链管理"]}}))
    assert result.exit_code == 0
    assert "分步建议" in result.stdout and "下一步：" in result.stdout and "移动供应链管理" in result.stdout
    assert "价值估算（集团V网）：按客户所说“每月话费四五百块”" in result.stdout


def test_phasing_and_value_reach_the_templates_as_data(tmp_path):
    from pitchcraft.compose.context import quote_ctx
    from pitchcraft.pipeline import quote, recommend_for
    from pitchcraft.workspace import Workspace

    root = Path(__file__).resolve().parents[1]
    _p, rec, _w = recommend_for(Workspace.open(root), write(tmp_path, COOP))
    ctx = quote_ctx(quote(rec, DAY))
    assert "移动供应链管理" in ctx["phasing"]["later"] and ctx["phasing"]["phase_1"]
    assert ctx["phasing"]["phase_1_first_year"].startswith("¥") and "四五百块" in ctx["phasing"]["reason"]
    [bill] = [v for v in ctx["value"] if v["kind"] == "bill"]
    assert bill["basis"] == "每月话费四五百块" and bill["amount"].startswith("¥") and bill["assumption"]
    assert ctx["value_saving"] == bill["amount"]


def test_a_workspaces_own_tables_are_used(cli, workspace, tmp_path):
    rules = (workspace / "templates" / "value.yaml").read_text(encoding="utf-8")
    (workspace / "templates" / "value.yaml").write_text(rules.replace("share: 0.5", "share: 0.25"), encoding="utf-8")
    table = (workspace / "templates" / "quantities.yaml").read_text(encoding="utf-8")
    (workspace / "templates" / "quantities.yaml").write_text(table.replace("nouns: [集卡,", "nouns: [拖头, 集卡,"),
                                                             encoding="utf-8")
    port = dict(PORT, needs={"生产控制": ["港区七十多台拖头要装车载终端，调度想实时看到每辆车的位置"],
                             "基础通信": PORT["needs"]["基础通信"]})
    q = json.loads(cli("recommend", write(tmp_path, port), "--json").stdout)["quote"]
    bill = [v for v in q["value"] if v["kind"] == "bill"][0]
    assert "× 25%" in bill["working"]
    assert any(ln["quantity"] == 70 and ln["source"]["phrase"] == "七十多台拖头" for ln in q["lines"])


def test_a_broken_table_is_bad_input_with_its_file(cli, workspace, tmp_path):
    (workspace / "templates" / "value.yaml").write_text("fit:\n  budget_factor: 很多\n", encoding="utf-8")
    out = tmp_path / "out"
    for args in (("recommend", write(tmp_path, PORT), "--json"), ("generate", write(tmp_path, PORT), "--out", out)):
        result = cli(*args)
        assert result.exit_code != 0 and "value.yaml" in result.output and "Traceback" not in result.output
    assert not out.exists()
