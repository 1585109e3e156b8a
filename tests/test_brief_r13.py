"""Round 13: the brief's warnings and section copy as data (templates/brief/{warnings,sections}.yaml),
影响/价值 questions chosen per statement (templates/interview/topics.yaml), candidate products for an
open need, coverage complaints routed to network maintenance, not counted as a need without a product."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docreader import docx_text
from pitchcraft.compose.brief import spin_pair
from pitchcraft.content.copy import load_copy
from pitchcraft.pipeline import make_brief
from pitchcraft.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
HOSPITAL = ROOT / "examples" / "county-hospital.yaml"
MANUFACTURING = ROOT / "examples" / "precision-manufacturing.yaml"
APPROVAL_Q = "签字"


def _text(workspace: Path, profile: Path) -> str:
    made = make_brief(Workspace.open(workspace), profile)
    out = workspace / "b.docx"
    out.write_bytes(made.data)
    return docx_text(out)


def _questions_of(text: str, statement: str) -> str:
    """The lines after a quoted statement in the question list, up to the next quote."""
    at = text.index("拜访提问清单")
    start = text.index(f"“{statement}”", at)
    nxt = re.search(r"\n“", text[start + 2:])
    return text[start: start + 2 + (nxt.start() if nxt else 400)]


@pytest.mark.parametrize("statement, wrong", [
    ("对讲机在厂区里经常听不清，喊不应人", ["审批", "合同", "来电"]),
    ("病人出院以后复查、随访全靠护士一个个打电话，一天打不了几个", ["审批", "来电", "品牌"]),
    ("要通知几百户农户打疫苗的时间", ["来电", "审批", "订单"]),
    ("这事说不清楚是什么", ["审批", "来电", "订单", "停机"]),
])
def test_implication_questions_are_about_what_the_statement_says(statement, wrong):
    implication, payoff = spin_pair(statement, load_copy([ROOT / "templates"]))
    assert not any(w in implication + payoff for w in wrong), (statement, implication, payoff)


def test_an_approval_statement_gets_the_approval_question_and_a_coverage_cue_its_own():
    copy = load_copy([ROOT / "templates"])
    assert APPROVAL_Q in spin_pair("院长经常去市里开会，采购单、请假条都压在他桌上等签字", copy)[0]
    assert "信号" in spin_pair("一开过某段海域就断线", copy, "coverage")[0]


def test_the_hospital_brief_asks_about_follow_up_calls_not_approvals(workspace):
    text = _text(workspace, HOSPITAL)
    follow_up = _questions_of(text, "病人出院以后复查、随访全靠护士一个个打电话，一天打不了几个")
    assert "通知" in follow_up and "审批单" not in follow_up and "漏掉了多少来电" not in follow_up, follow_up
    report = _questions_of(text, "检验报告出来了，想让系统自动发短信到病人手机上，不用他再跑一趟来问")
    assert "审批单" not in report, report
    sign = _questions_of(text, "院长经常去市里开会，采购单、请假条都压在他桌上等签字")
    assert "批" in sign, sign


def test_the_warnings_come_from_the_workspace_file(workspace):
    path = workspace / "templates" / "brief" / "warnings.yaml"
    text = path.read_text(encoding="utf-8")
    assert "拜访前请注意" in _text(workspace, MANUFACTURING)
    path.write_text(text.replace('lead: "拜访前请注意："', 'lead: "进门前请注意："'), encoding="utf-8")
    brief = _text(workspace, MANUFACTURING)
    assert "进门前请注意：" in brief and "拜访前请注意" not in brief


@pytest.mark.parametrize("rel, old, new, message", [
    ("brief/warnings.yaml", "比本简报的编制日期早 {age}。", "比本简报的编制日期早 {days}。", "未知的占位 {days}"),
    ("brief/sections.yaml", "\nweak: ", "\nweek: ", "缺少必填字段 weak"),
    ("interview/topics.yaml", "    cue: coverage\n", "", "cue 和 words 至少要写一项"),
])
def test_broken_brief_copy_is_refused_with_file_and_line(cli, workspace, tmp_path, rel, old, new, message):
    path = workspace / "templates" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = cli("brief", MANUFACTURING, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(rf"templates/{re.escape(rel)}:\d+", result.stderr) and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()
