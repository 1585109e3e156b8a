"""Browsing and reuse: catalog list/show, cases list/search/show/new, coverage."""

from __future__ import annotations


import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, Cli
from pitchcraft.prep.coverage import group_statements
from pitchcraft.content.lint import lint
from pitchcraft.load import load_catalog

LINT = FIXTURES / "lint"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "catalog" / "products.yaml")[0]


def width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1  # a CJK character takes two columns


def columns(line: str) -> list[int]:
    """Display columns at which the cells of a table line start."""
    starts, col, prev = [], 0, " "
    for i, ch in enumerate(line):
        if ch != " " and prev == " " and (i < 2 or line[i - 2:i] == "  "):
            starts.append(col)
        col += width(ch)
        prev = ch
    return starts


# --- catalog list / show ----------------------------------------------------------------------------


def test_catalog_list_shows_every_product_aligned(shipped_cli, catalog):
    result = shipped_cli("catalog", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "名称", "类别", "适用行业", "规模", "等级", "状态"]
    rows = [ln for ln in lines[2:] if ln and not ln.startswith("共")]
    assert sorted(r.split()[0] for r in rows) == sorted(p.id for p in catalog.products)
    order = ["基础通信", "移动办公", "生产控制", "服务营销"]
    categories = [order.index(r.split()[2]) for r in rows]
    assert categories == sorted(categories)  # grouped by need category
    header = columns(lines[0])
    assert all(columns(r)[:5] == header[:5] for r in rows)  # after 集团V网 as after blackberry
    assert "blackberry" in result.stdout and "已下线" in result.stdout
    assert f"共 {len(catalog.products)} 个产品" in result.stdout


def test_catalog_list_filters(shipped_cli, catalog):
    result = shipped_cli("catalog", "list", "--category", "生产控制")
    ids = {ln.split()[0] for ln in result.stdout.splitlines()[2:] if ln and not ln.startswith("共")}
    assert ids == {p.id for p in catalog.products if p.category == "production_control"}
    result = shipped_cli("catalog", "list", "--industry", "农业")
    ids = {ln.split()[0] for ln in result.stdout.splitlines()[2:] if ln and not ln.startswith("共")}
    assert "agri_info" in ids and "finance_info" not in ids and "vpmn" in ids
    assert ids == {p.id for p in catalog.products if p.fits_industry("agriculture")}


def test_catalog_list_refuses_an_unknown_filter_in_chinese(shipped_cli):
    result = shipped_cli("catalog", "list", "--industry", "航天")
    assert result.exit_code == 1
    assert "未知的行业“航天”" in result.stderr and "manufacturing（制造业）" in result.stderr
    assert "Traceback" not in result.output


def test_catalog_show_is_a_product_card(shipped_cli):
    result = shipped_cli("catalog", "show", "短号集群网")  # an alias
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("集团V网（vpmn）〔基础通信〕 在售")
    for part in ("别名：短号集群网", "一句话：", "实现原理：", "带来的价值：", "适用行业：全行业", "客户属性：规模",
                 "信息化程度：基础", "推广策略：", "资费项目", "5.00 元", "每成员", "月付", "2026-01-01 至 2027-12-31",
                 "相关案例（", "mfg-three-plants-vnet：三厂区内部通话费下降近四成"):
        assert part in out, part


def test_catalog_show_a_retired_product_and_a_miss(shipped_cli):
    out = shipped_cli("catalog", "show", "blackberry").stdout
    assert "已下线，由 手机邮箱（mobile_mail） 替代" in out.splitlines()[0]
    result = shipped_cli("catalog", "show", "集团V")
    assert result.exit_code == 1
    assert "产品目录中没有“集团V”" in result.stderr and "集团V网" in result.stderr


def test_browsing_a_catalog_with_mistakes_lists_the_rest(tmp_path):
    ws = tmp_path / "ws"
    (ws / "catalog").mkdir(parents=True)
    shutil.copy(LINT / "broken-catalog" / "schema.yaml", ws / "catalog" / "products.yaml")
    result = Cli(ws)("catalog", "list")
    assert result.exit_code == 0
    assert "产品目录有 1 个错误" in result.stderr
    assert "mobile_mail" in result.stdout and "vpmn" not in result.stdout


# --- cases list / search / show ------------------------------------------------------------------------


def test_cases_list(shipped_cli):
    result = shipped_cli("cases", "list", "--industry", "制造业")
    assert result.exit_code == 0
    ids = [ln.split()[0] for ln in result.stdout.splitlines()[2:] if ln and not ln.startswith("共")]
    assert ids == ["mfg-lighting-dealer-orders", "mfg-mould-maker-service", "mfg-three-plants-vnet"]
    assert "共 3 个案例" in result.stdout
    all_steps = shipped_cli("cases", "list", "--step", "合同签订").stdout
    assert "cons-builder-sites-contract" in all_steps and "mfg-three-plants-vnet" not in all_steps


def test_cases_list_all_shows_drafts(cli, workspace):
    assert cli("cases", "new", "mfg-new-draft", "--industry", "制造业").exit_code == 0
    assert "mfg-new-draft" not in cli("cases", "list").stdout
    listed = cli("cases", "list", "--all").stdout
    assert any(ln.startswith("mfg-new-draft") and ln.rstrip().endswith("草稿") for ln in listed.splitlines())


def test_cases_search_ranks_chinese_free_text(shipped_cli):
    result = shipped_cli("cases", "search", "工地", "视频", "--json")
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "cons-builder-sites-contract"
    assert hits == sorted(hits, key=lambda h: -h["score"])
    text = shipped_cli("cases", "search", "工地 视频").stdout
    assert text.startswith("1. cons-builder-sites-contract  隐患整改由三天缩短到一天")
    assert "命中：" in text


def test_cases_search_filters(shipped_cli):
    ids = [h["id"] for h in json.loads(shipped_cli("cases", "search", "--product", "千里眼", "--json").stdout)]
    assert ids and all("video_surveillance" in _front(i) for i in ids)
    large = json.loads(shipped_cli("cases", "search", "--size", "大型", "--json").stdout)
    assert large and all(_employees(h["id"]) >= 1000 for h in large)
    none = shipped_cli("cases", "search", "--industry", "农业", "--product", "财信通")
    assert none.stdout.strip() == "没有符合条件的案例。"


def _front(case_id: str) -> str:
    return (ROOT / "cases" / f"{case_id}.md").read_text(encoding="utf-8").split("---")[1]


def _employees(case_id: str) -> int:
    line = next(ln for ln in _front(case_id).splitlines() if ln.startswith("employees:"))
    return int(line.split(":")[1])


def test_cases_show_respects_consent(shipped_cli, cli, workspace):
    out = shipped_cli("cases", "show", "mfg-three-plants-vnet").stdout
    assert "客户：东莞某精密五金企业（脱敏名称）" in out
    assert "成效：" in out and "集团V网（vpmn）" in out
    assert "客户评价：“以前每个月光核话费就要两天" in out and "（客户已同意引用）" in out
    assert "示例案例（sample: true）" in out
    assert [ln for ln in out.splitlines() if ln.startswith("【")] == [
        "【客户背景】", "【面临的挑战】", "【解决方案】", "【实施成效】", "【内部复盘】（内部资料：只在拜访简报中出现）"]
    missing = shipped_cli("cases", "show", "mfg-three-plant")
    assert missing.exit_code == 1 and "mfg-three-plants-vnet" in missing.stderr

    path = workspace / "cases" / "mfg-three-plants-vnet.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  real_name: null\n  consent: false", "  real_name: 深圳市某某精密科技有限公司\n  consent: true")
    path.write_text(text.replace("quote_consent: true", "quote_consent: false"), encoding="utf-8")
    out = cli("cases", "show", "mfg-three-plants-vnet").stdout
    assert "客户：深圳市某某精密科技有限公司（已取得授权，显示真实名称）" in out
    assert "（未获授权引用，不会出现在方案中）" in out


# --- cases new --------------------------------------------------------------------------------------


def test_cases_new_scaffolds_a_valid_draft(cli, workspace):
    result = cli("cases", "new", "mfg-welding-vnet", "--industry", "制造业", "--product", "集团V网",
                 "--product", "企信通", "--step", "制定方案", "--title", "焊接车间一张网")
    assert result.exit_code == 0, result.output
    path = workspace / "cases" / "mfg-welding-vnet.md"
    text = path.read_text(encoding="utf-8")
    for part in ("id: mfg-welding-vnet", 'title: "焊接车间一张网"', "status: draft", "display_name:",
                 "real_name: null", "consent: false", "industry: manufacturing", "products: [vpmn, enterprise_sms]",
                 "workflow_step: 制定方案", "year:", "needs:", "results:", "quote: null", "quote_consent: false",
                 "quote_by: null", "sample: false", "waivers: []"):
        assert part in text, part
    assert re.findall(r"^## (.+)$", text, re.M) == ["客户背景", "面临的挑战", "解决方案", "实施成效", "内部复盘"]
    report = lint(workspace / "catalog" / "products.yaml", workspace / "cases")
    new = [p for p in report.problems if Path(p.file).name == "mfg-welding-vnet.md"]
    assert [p.rule for p in new] == ["case-draft"]
    assert {p.rule for p in report.problems if p not in new} == {"case-sample"}  # the shipped, invented cases

    path.write_text(text.replace("status: draft ", "status: active"), encoding="utf-8")
    report = lint(workspace / "catalog" / "products.yaml", workspace / "cases")
    marked = [n for n, ln in enumerate(text.splitlines(), 1) if "【待填写】" in ln]
    assert [(p.rule, p.line) for p in report.problems if Path(p.file).name == "mfg-welding-vnet.md"] == \
        [("case-format", n) for n in marked]
    assert len(marked) >= 9  # display name, year, need, result, the five sections


def test_cases_new_refuses_what_it_cannot_do(cli, workspace):
    assert cli("cases", "new", "mfg-three-plants-vnet").exit_code == 1
    bad = cli("cases", "new", "Mfg_Case")
    assert bad.exit_code == 1 and "格式不对" in bad.stderr
    unknown = cli("cases", "new", "x-case", "--product", "黑科技")
    assert unknown.exit_code == 1 and "产品目录中没有“黑科技”" in unknown.stderr
    assert not (workspace / "cases" / "x-case.md").exists()
    assert "Traceback" not in bad.output + unknown.output


# --- coverage ---------------------------------------------------------------------------------------


PROFILE = """client:
  name: {name}
  industry: manufacturing
  employees: 200
needs:
  basic_comms:
{needs}
"""


def _profiles(folder: Path) -> Path:
    folder.mkdir()
    needs = {
        "甲厂": ["自己人之间打电话太贵", "想招几个熟练的电焊工"],
        "乙厂": ["厂里招工太难，想招一批熟练电焊工", "想申请政府的补贴"],
        "丙厂": ["听说有政府补贴，想知道怎么申请", "想找人帮我们招聘几个电焊工"],
    }
    for i, (name, statements) in enumerate(needs.items()):
        text = PROFILE.format(name=name, needs="\n".join(f"    - {s}" for s in statements))
        (folder / f"p{i}.yaml").write_text(text, encoding="utf-8")
    (folder / "labels.gold.yaml").write_text("expected: [vpmn]\n", encoding="utf-8")
    (folder / "broken.yaml").write_text("client:\n  name: 丁厂\n  industry: 航天\nneeds: {basic_comms: [a]}\n",
                                        encoding="utf-8")
    return folder


def test_coverage_groups_what_no_product_answers(tmp_path):
    ws = tmp_path / "ws"
    (ws / "catalog").mkdir(parents=True)
    shutil.copy(LINT / "catalog.yaml", ws / "catalog" / "products.yaml")
    shutil.copytree(LINT / "cases", ws / "cases")
    result = Cli(ws)("coverage", _profiles(tmp_path / "profiles"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["profiles"] == 3
    assert [(g["wording"], g["count"], g["clients"]) for g in data["unmatched"]] == [
        ("想招几个熟练的电焊工", 3, ["甲厂", "乙厂", "丙厂"]),
        ("想申请政府的补贴", 2, ["乙厂", "丙厂"]),
    ]
    assert data["products_without_case"] == ["mobile_mail"]
    assert data["never_recommended"] == ["mobile_mail"]
    assert "manufacturing" not in data["industries_without_case"] and "finance" in data["industries_without_case"]
    assert data["industries_without_product"] == []
    assert len(data["industries_generic_only"]) == 14
    assert [Path(i["file"]).name for i in data["invalid"]] == ["broken.yaml"]
    assert [Path(p).name for p in data["not_profiles"]] == ["labels.gold.yaml"]

    text = Cli(ws)("coverage", tmp_path / "profiles").stdout
    assert "需求覆盖情况：3 个档案，共 6 条需求，已有产品对应 1 条（16%），暂无产品对应 5 条。" in text
    assert "    3 条  想招几个熟练的电焊工（3 个客户）" in text
    assert "没有案例的在售产品（1 个）：手机邮箱（mobile_mail）" in text
    assert "broken.yaml:3:3: client.industry：未知的行业 '航天'" in text


def test_grouping_keeps_unrelated_needs_apart():
    groups = group_statements([(s, "c") for s in ("铺面租金越涨越凶，想找几个便宜点的位置开新店", "店面租金太贵了，想换个便宜的铺面",
                                                 "想找几家便宜的蔬菜供应商", "希望能帮我们对接本地的蔬菜基地直接供货")])
    assert [len(g.statements) for g in groups] == [2, 1, 1]
    assert groups[0].wording.startswith("铺面租金")


def test_coverage_on_the_shipped_evaluation_profiles(shipped_cli):
    result = shipped_cli("coverage", ROOT / "tests" / "eval" / "profiles")
    assert result.exit_code == 0
    assert "需求覆盖情况：16 个档案" in result.stdout
    assert "另有 16 个 YAML 文件不是需求档案" in result.stdout


def test_coverage_needs_profiles(shipped_cli, tmp_path):
    result = shipped_cli("coverage", tmp_path)
    assert result.exit_code == 1 and "没有找到 .yaml 需求档案" in result.stderr

