"""The brief's objection answers as workspace data: templates/brief/objections.yaml (price,
competitor, status quo, the competitors recognised, a product without a playbook)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docreader import docx_text
from pitchcraft.content.copy import OBJECTIONS, check_copy, load_copy, put
from pitchcraft.load import load_catalog
from pitchcraft.pipeline import make_brief
from pitchcraft.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
MANUFACTURING = ROOT / "examples" / "precision-manufacturing.yaml"


def _brief_text(workspace: Path, profile: Path) -> tuple[object, str]:
    made = make_brief(Workspace.open(workspace), profile)
    out = workspace / "b.docx"
    out.write_bytes(made.data)
    return made.brief, docx_text(out)


def _objections(workspace: Path) -> Path:
    return workspace / "templates" / OBJECTIONS


def test_the_shipped_objections_are_complete():
    copy = load_copy([ROOT / "templates"])
    assert copy.answers["price"]["topic"] == "价格"
    assert {c["who"] for c in copy.answers["competitors"]} == {"中国电信", "中国联通", "中国广电"}
    assert check_copy([ROOT / "templates"], load_catalog(ROOT / "catalog" / "products.yaml")[0]) == []


def test_put_replaces_only_named_slots_and_never_evaluates():
    assert put("先上{core}，{later}放到第二期", core="集团V网", later="{core}") == "先上集团V网，{core}放到第二期"
    assert put("{who.__class__}", who="x") == "{who.__class__}"


def test_the_brief_says_the_workspace_price_and_competitor_answers(workspace, tmp_path):
    path = _objections(workspace)
    text = path.read_text(encoding="utf-8")
    text = text.replace("  says: 你们的报价太高了，能不能再便宜一点？", "  says: 价格能不能再商量？")
    text = text.replace("    who: 中国联通\n", "    who: 联通公司\n")
    text = text.replace("  - match: [电信, 天翼]\n", "  - match: [电信, 天翼, 星网]\n")
    path.write_text(text, encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text(MANUFACTURING.read_text(encoding="utf-8").replace(
        "  competitor: 中国电信\n", "  competitor: 星网通信\n", 1), encoding="utf-8")
    brief, shown = _brief_text(workspace, profile)
    price, rival = brief.objections[:2]
    assert price.says == "价格能不能再商量？" and "价格能不能再商量？" in shown
    assert rival.says == "我们一直用中国电信的固话和宽带，用得挺好，没必要换。"
    assert "中国电信的常见做法是以固定电话和光纤宽带为基础" in rival.answer
    assert "{" not in shown and "}" not in shown


def test_a_product_without_a_playbook_gets_the_workspace_fallback(workspace):
    books = workspace / "templates" / "brief" / "playbooks.yaml"
    text = books.read_text(encoding="utf-8")
    start = text.index("\n  vpmn:\n")
    end = text.index("\n  ", start + len("\n  vpmn:\n") + 1)
    while text[end + 3] == " ":  # the rest of vpmn's entry
        end = text.index("\n  ", end + 1)
    books.write_text(text[:start] + text[end:], encoding="utf-8")
    path = _objections(workspace)
    path.write_text(path.read_text(encoding="utf-8").replace(
        '  says: "{product}怎么收费、多久能用上？"', '  says: "{product}一个月多少钱？"'), encoding="utf-8")
    brief, shown = _brief_text(workspace, MANUFACTURING)
    vpmn = next(o for o in brief.objections if o.topic == "集团V网")
    assert vpmn.says == "集团V网一个月多少钱？" and vpmn.answer.startswith("标准资费：")
    assert "集团V网一个月多少钱？" in shown


@pytest.mark.parametrize("old, new, message", [
    ("  value: 如果是价值看法不同：用客户自己的话算账——“{first_need}”",
     "  value: 如果是价值看法不同：用客户自己的话算账——“{need}”", "未知的占位 {need}，这里可用：{first_need}"),
    ("  ask_why: 不要当场降价", "  ask_why: 不要{first_need}当场降价", "未知的占位 {first_need}，这里不能用占位"),
    ("    who: 中国广电\n", "    who: [中国广电]\n", "应为文字"),
    ("status_quo:  #", "status_quos:  #", "status_quo"),
])
def test_broken_objections_are_reported_with_file_and_line(cli, workspace, tmp_path, old, new, message):
    path = _objections(workspace)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = cli("catalog", "validate")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(r"templates/brief/objections.yaml:\d+:", result.output) and message in result.output, result.output
    brief = cli("brief", MANUFACTURING, "--out", tmp_path / "out")
    assert brief.exit_code == 1 and message in brief.stderr and not (tmp_path / "out").exists()


def test_a_stage_action_with_an_unknown_slot_is_refused_not_a_traceback(cli, workspace, tmp_path):
    path = workspace / "templates" / "brief" / "stages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("：{lead}\"", "：{lead.__class__}\"", 1), encoding="utf-8")
    result = cli("brief", MANUFACTURING, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "templates/brief/stages.yaml:" in result.stderr and "未知的占位 {lead.__class__}" in result.stderr


def test_a_workspace_file_that_is_a_folder_is_refused_not_skipped(cli, workspace, tmp_path):
    for relative in (OBJECTIONS, "vocabulary.yaml"):
        path = workspace / "templates" / relative
        saved = path.read_bytes()
        path.unlink()
        path.mkdir()
        result = cli("generate", MANUFACTURING, "--brief", "--out", tmp_path / "out")
        assert result.exit_code == 1 and "Traceback" not in result.output, relative
        assert f"{path}: error: 这是一个文件夹，不是文件" in result.stderr, result.stderr
        assert not (tmp_path / "out").exists()
        path.rmdir()
        path.write_bytes(saved)


def test_a_site_word_too_long_for_the_figure_is_a_warning_with_its_line(cli, workspace):
    path = workspace / "templates" / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    site: 门店\n", "    site: 各地的直营门店和加盟门店\n", 1), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("    site: 各地的直营门店和加盟门店") + 1
    result = cli("catalog", "validate")
    assert result.exit_code == 0, result.output
    assert f"templates/vocabulary.yaml:{line}:" in result.output and "方案结构图的方框里放不下" in result.output
