"""The case format's rules beyond one fixture each: what reads as the seller's story and what does
not, waivers by word, outcomes with figures, quotes and consent, the word table itself."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT
from pitchcraft.content import salesstory
from pitchcraft.content.lint import lint

LINT = FIXTURES / "lint"
CATALOG = LINT / "catalog.yaml"
TODAY = dt.date(2026, 11, 23)
OK_CASE = (LINT / "cases" / "ok-case.md").read_text(encoding="utf-8")


def _lint_case(tmp_path: Path, text: str):
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    (folder / "ok-case.md").write_text(text, encoding="utf-8")
    return lint(CATALOG, folder, today=TODAY)


# The examples of case studies told by the seller, each must be found.
SELLER = [
    "二季度分公司下达党政客户信息化拓展任务，把政务服务中心列为首攻对象",
    "查询近三个月的通话特征",
    "降价要求换成组合调整",
    "同期竞争对手以低价劝说企业转网，最后留在了我方",
    "新签约合作社 7 家，新增V网成员 460 个",
    "小客户也建档",
    "接下医共体任务",
    "客户经理驻场一周，拿下了全部三个厂区",
]
# A client's own business using the same words: none may be found.
CLIENT_OWN = [
    "巡检任务由派工系统分配到人，完成巡检任务后拍照上传",
    "溶氧、水温等水质指标实时上传",
    "每月给会员发营销短信，节日做会员营销",
    "茶农议价时心里没底，常被收购商压价",
    "医共体 23 个成员单位统一使用专线",
    "近一年涉及电信诈骗的咨询明显增多",
    "离网型光伏电站的数据回传",
    "脱贫攻坚期间建起的茶园",
    "电子合同签约时间由 3 天缩短到当天",
    "话费由企业统一出账，我们不用再报销",
]


@pytest.mark.parametrize("text", SELLER)
def test_the_sellers_story_is_found(text):
    assert salesstory.table().find(text), text


@pytest.mark.parametrize("text", CLIENT_OWN)
def test_the_clients_own_business_is_not(text):
    assert salesstory.table().find(text) == [], text


def test_the_word_table_ships_with_the_package():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "pitchcraft.content" in config["packages"]
    assert salesstory.TABLE.name.endswith(".yaml") and "*.yaml" in config["package-data"]["pitchcraft.content"]


def test_the_word_table_is_data_and_well_formed():
    data = yaml.safe_load(salesstory.TABLE.read_text(encoding="utf-8"))
    table = salesstory.parse_table(data)
    assert len(table.terms) >= 40 and set(t.kind for t in table.terms) == set(table.kinds)
    for word in ("任务", "指标", "下达", "首攻", "拓展", "攻坚", "竞争对手", "转网", "我方", "客户经理", "签约", "营销",
                 "份额", "话单", "谈判", "新增"):
        assert word in {t.word for t in table.terms}, word
    with pytest.raises(ValueError):
        salesstory.parse_table({"kinds": {"a": "甲"}, "terms": [{"word": "签约", "pattern": "合同", "kind": "a"}]})


def test_overlapping_matches_are_one_finding():
    hits = salesstory.table().find("二季度分公司下达党政客户信息化拓展任务")
    assert [h.text for h in hits] == ["分公司下达", "信息化拓展任务"]  # not also 下达党政客户信息化拓展任务


def test_client_text_is_checked_with_line_and_the_internal_review_is_not(tmp_path):
    text = OK_CASE.replace("开通集团V网，全员短号互拨。", "开通集团V网，全员短号互拨。\n客户经理驻场一周完成签约 300 户。")
    text = text.replace("- 行政经理牵头，先在一个厂区试点一周。", "- 分公司下达任务，竞争对手报了低价，我方让利 5%。")
    report = _lint_case(tmp_path, text)
    found = [(p.rule, p.line, p.col) for p in report.problems]
    line = text.split("\n").index("客户经理驻场一周完成签约 300 户。") + 1
    assert found == [("case-sales-story", line, 1), ("case-sales-story", line, 9)]
    assert "成交经过请写到“## 内部复盘”" in report.problems[0].message


def test_a_waiver_keeps_the_named_word_only(tmp_path):
    text = OK_CASE.replace("results: [内部通话费下降 30%]", "results: [内部通话费下降 30%, 本地市场份额提升 2 个百分点]")
    text = text.replace("---\n## ", "waivers:\n  - {rule: case-sales-story, term: 份额, reason: 客户自己的市场份额，由其年报披露}\n"
                                     "---\n## ", 1)
    report = _lint_case(tmp_path, text)
    assert report.problems == [] and [p.rule for p in report.waived] == ["case-sales-story"]
    report = _lint_case(tmp_path, text.replace("话费高。", "话费高，竞争对手常来拉人。"))
    assert [p.message.split("中的")[1][:6] for p in report.problems] == ["“竞争对手”"]


def test_an_outcome_needs_figures(tmp_path):
    report = _lint_case(tmp_path, OK_CASE.replace("results: [内部通话费下降 30%]", "results: [员工都说好用]"))
    assert [(p.rule, p.field) for p in report.problems] == [("case-outcome", "results[0]")]
    assert "没有数字" in report.problems[0].message
    report = _lint_case(tmp_path, OK_CASE.replace("results: [内部通话费下降 30%]", "results: [话费下降约三成]"))
    assert report.problems == []  # a figure in words counts
    empty = re.sub(r"## 实施成效\n.*?\n\n", "## 实施成效\n\n", OK_CASE, flags=re.S)
    assert [(p.rule, p.message) for p in _lint_case(tmp_path, empty).problems] == [
        ("case-outcome", "案例没有成效：“## 实施成效”小节是空的")]


def test_a_quote_needs_its_words_and_the_real_name_stays_out(tmp_path):
    text = OK_CASE.replace("results: [内部通话费下降 30%]", "results: [内部通话费下降 30%]\nquote_consent: true")
    report = _lint_case(tmp_path, text)
    assert [(p.rule, p.field) for p in report.problems] == [("case-format", "quote_consent")]
    text = OK_CASE.replace("  consent: false", "  real_name: 东莞市宏达精密五金有限公司\n  consent: false")
    text = text.replace("results: [内部通话费下降 30%]", "results: [内部通话费下降 30%]\nquote: 东莞市宏达精密五金有限公司的话费少了一半")
    fields = [p.field for p in _lint_case(tmp_path, text).problems if p.rule == "case-consent"]
    assert fields == ["client.real_name", "quote"]


def test_text_before_the_first_section_and_a_repeated_section_are_refused(tmp_path):
    text = OK_CASE.replace("---\n## 客户背景", "---\n这是一段前言。\n\n## 客户背景", 1)
    text += "\n## 解决方案\n又写了一遍。\n"
    problems = _lint_case(tmp_path, text).problems
    assert [p.rule for p in problems] == ["case-format", "case-format"]
    assert "第一个小节之前有文字" in problems[0].message and "小节重复" in problems[1].message


def test_shipped_cases_are_all_marked_invented():
    for path in sorted((ROOT / "cases").glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        assert yaml.safe_load(front)["sample"] is True, path.name
