"""The implementation plan (实施计划) is this client's: read back from the generated .docx and .pptx.

Phases and durations follow what is pitched (lines are surveyed and built per site, with a pilot when
the client has many sites; cloud services are configured in days), the dates follow the visit date
in working days, the first milestone answers the client's most urgent need, and the deck's next
steps and the executive summary's 下一步 say what the proposal's table says.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Cli, copy_workspace, profile_with
from docreader import docx_paragraphs, pptx_slides
from docx import Document

from pitchcraft.pipeline import generate
from pitchcraft.workspace import Workspace

NOW = dt.datetime(2026, 12, 2, 9, 0)
SUPERMARKET = ROOT / "examples" / "chain-supermarket.yaml"     # 30 stores, lines and cloud services
HOSPITAL = ROOT / "examples" / "county-hospital.yaml"          # 3 院区, switchboard, OA, lines, terminals
HOTPOT = ROOT / "tests" / "eval" / "tuning" / "114-shantou-laoniuji-huoguo.yaml"  # 15 stores, booking calls
WATER = ROOT / "tests" / "eval" / "tuning" / "104-shaoguan-lechang-zilaishui.yaml"  # IoT on the pipes
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _dates(text: str) -> list[dt.date]:
    return [dt.date(int(y), int(m), int(d)) for y, m, d in _DATE.findall(text)]


def _read(folder: Path) -> dict:
    """The plan table's rows (phase, start, end, work), the plan chapter's text, the summary's
    下一步 and the deck's next-steps slide."""
    doc = Document(str(folder / "proposal.docx"))
    (table,) = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["阶段", "时间（预计）", "工作内容"]]
    rows = []
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        when = _dates(cells[1])
        rows.append({"phase": cells[0], "start": when[0], "end": when[-1], "work": cells[2]})
    paragraphs = docx_paragraphs(folder / "proposal.docx")
    chapter, inside = [], False
    for style, text in paragraphs:
        if style == "Heading 1":
            inside = text.endswith("实施计划")
        elif inside:
            chapter.append(text)
    summary = next(t for _s, t in paragraphs if t.startswith("下一步："))
    (slide,) = [s for s in pptx_slides(folder / "pitch.pptx") if s["layout"] == "Next Steps"]
    return {"rows": rows, "chapter": "\n".join(chapter), "summary": summary, "slide": slide}


def _generate(tmp_path: Path, profile: Path, ws: Path = ROOT) -> dict:
    folder = generate(Workspace.open(ws), profile, tmp_path / f"out-{profile.stem}", now=NOW, force=True).folder
    return _read(folder)


def _working_days(start: dt.date, end: dt.date) -> int:
    return sum(1 for k in range((end - start).days + 1) if (start + dt.timedelta(days=k)).weekday() < 5)


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plans")
    return {p.stem: _generate(tmp, p) for p in (SUPERMARKET, HOSPITAL, HOTPOT, WATER)}


def test_two_clients_with_different_products_get_different_plans(plans):
    shapes = {key: [(r["phase"], _working_days(r["start"], r["end"])) for r in plan["rows"]]
              for key, plan in plans.items()}
    phases = {key: [name for name, _days in shape] for key, shape in shapes.items()}
    assert len({tuple(p) for p in phases.values()}) == len(phases), phases  # no two alike
    # what is pitched decides the phases: lines are surveyed first, IoT cards are fitted in the client's devices
    assert "现场勘察" in phases["chain-supermarket"] and "现场勘察" not in phases["104-shaoguan-lechang-zilaishui"]
    assert any("物联网卡" in p for p in phases["104-shaoguan-lechang-zilaishui"])
    # the supermarket's rural stores are pitched IoT cards (round 12), its other stores lines: both kinds of phase;
    # the hotpot chain is pitched lines only, so no IoT-card phase appears in its plan
    assert any("物联网卡" in p for p in phases["chain-supermarket"])
    assert not any("物联网卡" in p for p in phases["114-shantou-laoniuji-huoguo"])


def test_a_line_takes_the_catalogs_provisioning_time_and_a_cloud_service_days(plans):
    rows = plans["county-hospital"]["rows"]
    line = next(r for r in rows if "集团专线" in r["work"] and r["phase"].startswith("线路施工"))
    assert _working_days(line["start"], line["end"]) >= 15  # catalog: 15个工作日（具备接入资源时）
    config = next(r for r in rows if r["phase"].startswith("业务开通"))
    assert "集团V网" in config["work"] and _working_days(config["start"], config["end"]) <= 5


def test_many_sites_get_a_pilot_first_and_few_sites_none(plans):
    supermarket = [r["phase"] for r in plans["chain-supermarket"]["rows"]]
    assert any("试点" in p for p in supermarket) and any("分批推广" in p for p in supermarket)
    assert "其余 28 个门店" in "\n".join(r["work"] for r in plans["chain-supermarket"]["rows"])
    assert not any("试点" in r["phase"] for r in plans["county-hospital"]["rows"])  # 3 院区: all at once


def test_a_pilot_the_client_asks_for_is_planned(tmp_path):
    data = yaml.safe_load(HOSPITAL.read_text(encoding="utf-8"))
    next(iter(data["needs"].values())).append("想先在一个院区试点，效果好了再推开")
    profile = tmp_path / "asks-pilot.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rows = _generate(tmp_path, profile)["rows"]
    assert any("试点" in r["phase"] for r in rows)


@pytest.mark.parametrize("visit", ["2027-03-01", "2027-03-22"])
def test_the_plan_starts_at_the_visit_and_counts_working_days(tmp_path, visit):
    profile = profile_with(tmp_path, HOTPOT, "visit", visit__date=visit)
    plan = _generate(tmp_path, profile)
    day = dt.date.fromisoformat(visit)
    rows = plan["rows"]
    assert rows[0]["start"] == day and f"以拜访日{day.year}年{day.month}月{day.day}日为起点" in plan["chapter"]
    for r in rows:
        assert r["start"] >= day and r["end"] >= r["start"]
        assert r["end"].weekday() < 5 and (r is rows[0] or r["start"].weekday() < 5), r  # no weekend
    assert max(r["end"] for r in rows) < day + dt.timedelta(days=365)


def test_a_later_visit_moves_the_whole_plan(tmp_path):
    early = _generate(tmp_path, profile_with(tmp_path, HOTPOT, "early", visit__date="2027-03-01"))["rows"]
    late = _generate(tmp_path, profile_with(tmp_path, HOTPOT, "late", visit__date="2027-03-22"))["rows"]
    assert [r["phase"] for r in early] == [r["phase"] for r in late]
    assert all(b["start"] > a["start"] and b["end"] > a["end"] for a, b in zip(early, late))


def test_the_spring_festival_is_not_counted(tmp_path):
    profile = profile_with(tmp_path, SUPERMARKET, "festival", visit__date="2027-01-25")
    rows = _generate(tmp_path, profile)["rows"]
    assert "春节" in _generate(tmp_path, profile)["chapter"]
    for r in rows:  # nothing starts or ends inside the holiday plan.yaml lists (2027-02-05 to 02-12)
        for d in (r["start"], r["end"]):
            assert not dt.date(2027, 2, 5) <= d <= dt.date(2027, 2, 12), r


def test_a_short_phase_is_not_spread_over_a_holiday(tmp_path):
    # the document's date 2026-12-02 puts the review a month after the last go-live, at the Spring Festival
    rows = _generate(tmp_path, ROOT / "examples" / "precision-manufacturing.yaml")["rows"]
    festival = [dt.date(2027, 2, 5) + dt.timedelta(days=k) for k in range(8)]
    for r in rows:
        if (r["end"] - r["start"]).days < 10:  # a few working days: held before or after, not across
            assert not any(r["start"] <= d <= r["end"] for d in festival), r
    assert rows[-1]["phase"] == "上线回访" and rows[-1]["start"] > festival[-1]


def test_the_decks_next_steps_are_the_plans_rows(plans):
    for key, plan in plans.items():
        rows = {(r["phase"], r["end"]) for r in plan["rows"]}
        lines = [t for t in plan["slide"]["text"].split("\n") if t.strip()]
        steps = []
        for i, line in enumerate(lines):
            if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日前", line):
                steps.append((lines[i + 1].split("：")[0], _dates(line)[0]))
        assert len(steps) == 3, (key, lines)
        for step in steps:
            assert step in rows, (key, step, rows)
        first = plan["rows"][0]
        assert plan["slide"]["text"].startswith(f"下一步：{first['end'].year}年{first['end'].month}月"
                                                f"{first['end'].day}日前{first['phase']}")
        assert _dates(plan["summary"])[:2] == [first["start"], first["end"]]


def test_the_first_milestone_answers_the_most_urgent_need(plans):
    hotpot = plans["114-shantou-laoniuji-huoguo"]
    said = re.search(r"第一个节点对应贵单位提出的“(.+?)”：(\d{4}年\d{1,2}月\d{1,2}日)前(.+?)。", hotpot["chapter"])
    assert said, hotpot["chapter"]
    assert said.group(1).startswith("周末晚上订位电话打到爆")  # the calls that cannot get through
    assert "移动总机" in said.group(3)
    (date,) = _dates(said.group(2))
    assert any(r["end"] == date and "移动总机" in r["work"] for r in hotpot["rows"])
    # the deck's third step is that milestone
    assert said.group(2) + "前" in hotpot["slide"]["text"]


def test_with_nothing_pitched_the_plan_is_to_talk_it_over(tmp_path):
    profile = tmp_path / "nothing.yaml"
    profile.write_text("client: {name: 测试无匹配有限公司, industry: 制造业, employees: 50}\n"
                       "needs: {marketing: [希望帮我们找到价格便宜一点的冻肉供应商]}\nvisit: {date: 2026-12-21}\n",
                       encoding="utf-8")
    plan = _generate(tmp_path, profile)
    assert [r["phase"] for r in plan["rows"]] == ["需求进一步沟通"]  # no agreement, no go-live, no review
    assert "签订业务协议" not in plan["slide"]["text"] and "报价" not in plan["chapter"]


def test_every_catalog_product_has_a_delivery_kind():
    catalog = yaml.safe_load((ROOT / "catalog" / "products.yaml").read_text(encoding="utf-8"))
    plan = yaml.safe_load((ROOT / "templates" / "proposal" / "plan.yaml").read_text(encoding="utf-8"))
    listed = {pid for kind in plan["kinds"].values() for pid in kind["products"]}
    active = {p["id"] for p in catalog["products"] if p.get("status", "active") == "active"}
    assert active <= listed, active - listed


@pytest.mark.parametrize("broken, said", [
    (("  days: 5\n  what: 确认产品组合", "  days: 五天\n  what: 确认产品组合"), ("confirm.days", "应为整数")),
    (("{products}开通和配置", "{product}开通和配置"), ("kinds.config.what", "{product}")),
], ids=["not-a-number", "unknown-placeholder"])
def test_a_broken_plan_file_is_reported_with_its_line_and_nothing_is_written(tmp_path, broken, said):
    ws = copy_workspace(tmp_path / "ws")
    path = ws / "templates" / "proposal" / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    assert broken[0] in text
    path.write_text(text.replace(broken[0], broken[1], 1), encoding="utf-8")
    result = Cli(ws)("generate", SUPERMARKET, "--out", tmp_path / "out")
    assert result.exit_code != 0
    message = result.output
    assert re.search(r"plan\.yaml:\d+:\d+: error: ", message) and all(x in message for x in said), message
    assert "Traceback" not in message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
