"""interview: a guided interview that writes a profile recommend accepts; wrong answers asked again."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import FIXTURES, ROOT
from pitchcraft.prep.interview import (Script, count_value, date_value, examples_for, money_value, split_names,
                                  tier_value)
from pitchcraft.load import load_catalog, load_profile

ANSWERS = FIXTURES / "interview"


def _stdin(*answers: str) -> str:
    return "".join(a + "\n" for a in answers)


# The same interview as answers-list.yaml, typed at the terminal (no wrong answers).
TYPED = [
    "五金制品厂", "制造业", "120", "", "", "", "", "", "",       # client basics, then no key person
    "", "车间主任和工人之间打电话多，话费报销高", "", "", "",         # basic comms: one problem
    "", "", "", "", "", "",                                      # mobile office, production, marketing: none
    "", "", "", "",                                              # budget, visit
]


def test_answers_file_makes_a_profile_that_recommend_accepts(cli, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "华南精密.yaml"
    result = cli("interview", out, "--answers", ANSWERS / "answers-list.yaml")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    # the two wrong answers were explained and asked again
    assert "未知的行业 '航天'" in result.output
    assert "应为整数" in result.output and "八百五十" in result.output
    assert result.output.count("请重新输入") == 2

    profile, warnings = load_profile(out)
    assert warnings == []
    assert profile.name == "华南精密制造有限公司"
    assert profile.industry == "manufacturing" and profile.employees == 850 and profile.sites == 3
    assert profile.tier == "A" and profile.competitor == "中国电信"
    assert [(c.name, c.role, c.attitude) for c in profile.contacts] == [
        ("王建国", "decision_maker", "neutral"), ("张丽华", "gatekeeper", "opposed")]
    assert profile.needs["basic_comms"] == ("三个厂区的主管、班组长之间一天打几十个电话，每个月光话费报销就好几万",)
    assert "production_control" not in profile.needs
    assert str(profile.budget_monthly) == "30000.00"
    assert profile.visit_date.isoformat() == "2026-12-01" and profile.manager_phone == "13800000000"

    rec = cli("recommend", out, "--json")
    assert rec.exit_code == 0, rec.stderr
    data = json.loads(rec.stdout)
    assert data["client"]["name"] == "华南精密制造有限公司"
    names = {p["name"] for p in data["products"]}
    assert {"集团V网", "集团彩铃"} <= names

    # the SPIN notes are kept for the brief; the progress file is gone
    raw = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert raw["discovery"]["basic_comms"]["needs"][0]["implication"] == "一个月光话费报销就要四五万"
    assert raw["discovery"]["basic_comms"]["situation"].startswith("三个厂区")
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no progress or temporary file left


def test_keyed_answers_file(cli, tmp_path):
    out = tmp_path / "超市.yaml"
    result = cli("interview", out, "--answers", ANSWERS / "answers-keyed.yaml")
    assert result.exit_code == 0, result.output
    profile, _ = load_profile(out)
    assert profile.industry == "retail" and profile.sites == 18
    assert profile.current_services == ("集团V网",)
    assert [(c.name, c.title, c.role, c.attitude) for c in profile.contacts] == [
        ("陈店长", "营运经理", "user", "supportive")]
    assert profile.needs == {"basic_comms": ("门店的座机人一出门就没人接，生意都跑了",),
                             "marketing": ("店里搞活动，想通知老会员回来消费",)}
    assert profile.manager == "王芳" and profile.manager_phone is None
    assert "没有用到" in result.output and "visit.phnoe" in result.output


def test_answers_piped_on_stdin(cli, tmp_path):
    out = tmp_path / "五金.yaml"
    result = cli.runner.invoke(_main(), ["--workspace", str(cli.workspace), "interview", str(out)],
                               input=_stdin(*TYPED))
    assert result.exit_code == 0, result.output
    profile, _ = load_profile(out)
    assert profile.name == "五金制品厂" and profile.employees == 120
    assert profile.needs == {"basic_comms": ("车间主任和工人之间打电话多，话费报销高",)}
    assert profile.contacts == ()


def _main():
    from pitchcraft.cli import main

    return main


def _run(cli, *args, input: str):
    return cli.runner.invoke(_main(), ["--workspace", str(cli.workspace), *map(str, args)], input=input)


def test_bad_answer_is_asked_again_with_the_reason(cli, tmp_path):
    out = tmp_path / "x.yaml"
    answers = ["", "五金制品厂", "15", "火箭", "2", "-3", "120", "", "", "", "宽带套餐", "", "", *TYPED[8:]]
    result = _run(cli, "interview", out, input=_stdin(*answers))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "这一项必须填写" in result.output               # empty client name
    assert "没有编号 15" in result.output                   # pick-list number out of range
    assert "未知的行业 '火箭'" in result.output
    assert "应不小于 1" in result.output                     # the schema's own rule for employees
    assert "产品目录中没有“宽带套餐”" in result.output         # current services checked against the catalog
    assert load_profile(out)[0].employees == 120


def test_examples_come_from_the_catalog_phrasings(cli, tmp_path):
    out = tmp_path / "x.yaml"
    result = _run(cli, "interview", out, input=_stdin(*TYPED))
    catalog, _ = load_catalog(cli.workspace / "catalog" / "products.yaml")
    for category in ("basic_comms", "mobile_office", "production_control", "marketing"):
        examples = examples_for(catalog, category, "manufacturing")
        assert 2 <= len(examples) <= 3
        for phrase in examples:
            assert phrase in result.output
            assert any(phrase in p.client_phrases for p in catalog.products if p.category == category)
    assert result.output.count("例如：") == 4


def test_examples_follow_the_industry():
    catalog, _ = load_catalog(ROOT / "catalog" / "products.yaml")
    finance = examples_for(catalog, "marketing", "finance")
    fin_product = catalog.by_id["finance_info"]
    assert fin_product.client_phrases[0] in finance           # industry-specific product first
    assert fin_product.client_phrases[0] not in examples_for(catalog, "marketing", "education")


def test_no_need_at_all_asks_for_one(cli, tmp_path):
    out = tmp_path / "x.yaml"
    answers = TYPED[:9] + ["", "", "", "", "", "", "", ""] + ["服务营销", "客户打进来只听到嘟嘟声"] + ["", "", "", ""]
    result = _run(cli, "interview", out, input=_stdin(*answers))
    assert result.exit_code == 0, result.output
    assert "至少需要一条需求描述" in result.output
    assert load_profile(out)[0].needs == {"marketing": ("客户打进来只听到嘟嘟声",)}


def test_interrupted_interview_resumes_where_it_stopped(cli, tmp_path):
    out = tmp_path / "五金.yaml"
    state = tmp_path / ".五金.yaml.interview.json"
    first = _run(cli, "interview", out, input=_stdin(*TYPED[:11]))  # input ends mid-interview
    assert first.exit_code == 1
    assert "Traceback" not in first.output
    assert "访谈未完成，已保存 11 个回答" in first.stderr
    assert not out.exists()
    saved = json.loads(state.read_text(encoding="utf-8"))["answers"]
    assert saved["client.name"] == "五金制品厂"
    assert saved["needs.basic_comms.1.problem"] == "车间主任和工人之间打电话多，话费报销高"

    # asked whether to continue; "y", then only the remaining answers
    second = _run(cli, "interview", out, input=_stdin("y", *TYPED[11:]))
    assert second.exit_code == 0, second.output
    assert "已恢复 11 个回答" in second.output
    assert "五金制品厂（上次已回答）" in second.output
    profile, _ = load_profile(out)
    assert profile.name == "五金制品厂"
    assert profile.needs == {"basic_comms": ("车间主任和工人之间打电话多，话费报销高",)}
    assert not state.exists()


def test_restart_discards_progress(cli, tmp_path):
    out = tmp_path / "x.yaml"
    _run(cli, "interview", out, input=_stdin("旧客户名"))
    assert (tmp_path / ".x.yaml.interview.json").exists()
    result = _run(cli, "interview", out, "--restart", input=_stdin(*TYPED))
    assert result.exit_code == 0, result.output
    assert load_profile(out)[0].name == "五金制品厂"


def test_resume_then_answers_file_for_the_rest(cli, tmp_path):
    out = tmp_path / "x.yaml"
    first = _run(cli, "interview", out, input=_stdin("顺德连锁超市总店", "商贸"))
    assert first.exit_code == 1
    result = _run(cli, "interview", out, "--resume", "--answers", ANSWERS / "answers-keyed.yaml", input="")
    assert result.exit_code == 0, result.output
    profile, _ = load_profile(out)
    assert profile.name == "顺德连锁超市总店"      # the saved answer wins over the file
    assert profile.industry == "retail" and profile.sites == 18
    assert "client.name" in result.output.split("没有用到")[1]


def test_existing_profile_is_not_overwritten(cli, tmp_path):
    out = tmp_path / "x.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    result = _run(cli, "interview", out, input=_stdin(*TYPED))
    assert result.exit_code == 1
    assert "档案已存在" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    forced = _run(cli, "interview", out, "--force", input=_stdin(*TYPED))
    assert forced.exit_code == 0, forced.output
    assert load_profile(out)[0].name == "五金制品厂"


def test_broken_answers_file_is_reported_not_raised(cli, tmp_path):
    bad = tmp_path / "answers.yaml"
    bad.write_text("- 客户\n- [未闭合\n", encoding="utf-8")
    result = cli("interview", tmp_path / "x.yaml", "--answers", bad)
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr and "YAML 语法错误" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_output_must_be_yaml(cli, tmp_path):
    result = _run(cli, "interview", tmp_path / "x.docx", input="")
    assert result.exit_code == 1
    assert ".yaml" in result.stderr


@pytest.mark.parametrize("raw, expected", [("850", 850), ("１，２００人", 1200), (850.0, 850), ("约八百", "约八百")])
def test_count_value(raw, expected):
    assert count_value(raw) == expected


@pytest.mark.parametrize("raw, expected", [("2026/12/1", "2026-12-01"), ("2026年12月1日", "2026-12-01"),
                                           ("下周", "下周")])
def test_date_value(raw, expected):
    assert date_value(raw) == expected


@pytest.mark.parametrize("raw, expected", [("¥30,000", "30000"), ("3万", "30000"), ("2.5万元", "25000.0"),
                                           ("五千", "五千")])
def test_money_value(raw, expected):
    assert money_value(raw) == expected


@pytest.mark.parametrize("raw, expected", [("A类", "A"), ("b级客户", "B"), ("D", "D")])
def test_tier_value(raw, expected):
    assert tier_value(raw) == expected


def test_split_names_and_script_flattening():
    assert split_names("集团彩铃、集团V网，企信通") == ["集团彩铃", "集团V网", "企信通"]
    script = Script({"contacts": [{"name": "王"}], "needs": {"marketing": {1: {"problem": "p"}}}})
    assert script.take("contacts.1.name") == "王"
    assert script.take("needs.marketing.1.problem") == "p"
    assert script.take("client.tier") == ""       # not in the file: Enter
    assert script.take("client.tier") is None     # asked again: the terminal answers


def test_ctrl_c_saves_progress(workspace, tmp_path, monkeypatch):
    """Ctrl-C at the third question: the two answers are kept, nothing else is written."""
    from pitchcraft.prep import interview

    typed = iter(["五金制品厂", "制造业"])

    def prompt(*_args, **_kwargs):
        try:
            return next(typed)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(interview.click, "prompt", prompt)
    catalog, _ = load_catalog(workspace / "catalog" / "products.yaml")
    out = tmp_path / "x.yaml"
    with pytest.raises(interview.Paused) as caught:
        interview.run_interview(out, catalog, echo=lambda _text: None)
    assert caught.value.saved == 2
    assert "再次运行同一命令即可从中断处继续" in str(caught.value)
    assert not out.exists()
    saved = json.loads((tmp_path / ".x.yaml.interview.json").read_text(encoding="utf-8"))["answers"]
    assert saved == {"client.name": "五金制品厂", "client.industry": "制造业"}


def test_questions_come_from_the_workspace_templates_not_the_current_folder(cli, tmp_path, monkeypatch):
    spin = cli.workspace / "templates" / "interview" / "spin.yaml"
    text = spin.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    old = data["basic_comms"]["situation"]
    spin.write_text(text.replace(old, "本工作目录专有的现状提问：员工平时怎么互相联系？"), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"  # the current folder: a workspace of its own that must not be read
    (elsewhere / "templates" / "interview").mkdir(parents=True)
    (elsewhere / "templates" / "interview" / "spin.yaml").write_text("- 不该读到这里\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    out = tmp_path / "五金.yaml"
    result = _run(cli, "interview", out, input=_stdin(*TYPED))
    assert result.exit_code == 0, result.output
    assert "现状：本工作目录专有的现状提问：员工平时怎么互相联系？" in result.output
    assert old not in result.output
    assert load_profile(out)[0].name == "五金制品厂"


@pytest.mark.parametrize("kind", ["shape", "yaml", "folder", "device"])
def test_broken_workspace_questions_are_refused_before_anything_is_asked(cli, tmp_path, kind):
    spin = cli.workspace / "templates" / "interview" / "spin.yaml"
    spin.unlink()
    expected = {"shape": ("spin.yaml:1:1:", "应为键值对"), "yaml": ("spin.yaml:2:", "YAML 语法错误"),
                "folder": ("spin.yaml:", "文件夹"), "device": ("spin.yaml:", "设备或特殊文件")}[kind]
    if kind == "shape":
        spin.write_text("- 现状怎么样？\n", encoding="utf-8")
    elif kind == "yaml":
        spin.write_text("basic_comms: [\n", encoding="utf-8")
    elif kind == "folder":
        spin.mkdir()
    else:
        spin.symlink_to("/dev/zero")
    out = tmp_path / "五金.yaml"
    result = _run(cli, "interview", out, input=_stdin(*TYPED))
    assert result.exit_code == 1, result.output
    assert f"{spin}" in result.output and all(e in result.output for e in expected)
    assert "客户全称" not in result.output  # refused before the first question
    assert "Traceback" not in result.output
    assert not out.exists() and not any(tmp_path.glob(".*interview*"))
    # the brief and catalog validate refuse the same file with the same message
    brief = cli("brief", ROOT / "examples" / "chain-supermarket.yaml", "--out", tmp_path / "briefs")
    assert brief.exit_code == 1 and all(e in brief.stderr for e in expected)
    assert not (tmp_path / "briefs").exists()
    check = cli("catalog", "validate")
    assert check.exit_code == 1 and all(e in check.stdout + check.stderr for e in expected)


@pytest.mark.parametrize("text, line, qid, says", [
    ("client.name: {a: [1, 2]}\n", 1, "client.name", "写成了键值对或列表"),
    ("client:\n  name: [甲, [乙]]\n", 2, "client.name", "写成了键值对或列表"),
    ("client.name: 华南精密\nclient.nope: x\n", 2, "client.nope", "没有这个问题编号"),
    ("client.name: 华南精密\nclient.industry: 火星\n", 2, "client.industry", "未知的行业 '火星'"),
    ("- 华南精密\n- 火星\n", 2, "client.industry", "未知的行业 '火星'"),
])
def test_a_refused_answer_in_the_file_is_named_by_file_line_and_id_without_a_terminal(cli, tmp_path, text, line,
                                                                                      qid, says):
    answers = tmp_path / "answers.yaml"
    answers.write_text(text, encoding="utf-8")
    out = tmp_path / "x.yaml"
    result = _run(cli, "interview", out, "--answers", answers, input="")
    assert result.exit_code == 1, result.output
    assert re.search(rf"{re.escape(str(answers))}:{line}:\d+: error: {re.escape(qid)}: [^\n]*{re.escape(says)}",
                     result.stderr), result.stderr
    assert "访谈未完成" in result.stderr and "Traceback" not in result.output
    assert not out.exists()
