"""The sales copy as workspace data: templates/brief/playbooks.yaml and templates/interview/spin.yaml."""

from __future__ import annotations

import re
from pathlib import Path

from pitchcraft.content.copy import check_copy, load_copy
from pitchcraft.load import load_catalog
from pitchcraft.model.vocab import CATEGORIES, SPIN_LABELS
from pitchcraft.pipeline import make_brief
from pitchcraft.workspace import Workspace
from docreader import docx_text

ROOT = Path(__file__).resolve().parents[1]
MANUFACTURING = ROOT / "examples" / "precision-manufacturing.yaml"


def test_the_shipped_copy_is_complete_and_names_only_catalog_products():
    catalog, _ = load_catalog(ROOT / "catalog" / "products.yaml")
    copy = load_copy([ROOT / "templates"])
    assert set(copy.spin) == set(CATEGORIES) and all(set(q) == set(SPIN_LABELS) for q in copy.spin.values())
    assert copy.playbooks and set(copy.playbooks) <= set(catalog.by_id)
    assert check_copy([ROOT / "templates"], catalog) == []


def test_catalog_validate_reports_a_playbook_of_an_unknown_product(cli, workspace):
    path = workspace / "templates" / "brief" / "playbooks.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  vpmn:\n", "\n  vpmn_old:\n"), encoding="utf-8")
    line = path.read_text(encoding="utf-8").split("\n").index("  vpmn_old:") + 1
    result = cli("catalog", "validate")
    assert result.exit_code == 1
    assert f"templates/brief/playbooks.yaml:{line}:" in result.output
    assert "产品 vpmn_old 在产品目录中不存在" in result.output


def test_catalog_validate_reports_a_broken_question_with_its_line(cli, workspace):
    path = workspace / "templates" / "interview" / "spin.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("  problem:"))
    lines[at] = "  problem: 3"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = cli("catalog", "validate")
    assert result.exit_code == 1
    assert re.search(rf"templates/interview/spin.yaml:{at + 1}:\d+: error: \w+\.problem", result.output)


def test_the_brief_says_what_the_workspace_copy_says(workspace):
    path = workspace / "templates" / "brief" / "playbooks.yaml"
    text = path.read_text(encoding="utf-8")
    old = re.search(r'\n  vpmn:\n    qualify: "[^"]*"\n    client_asks: "([^"]*)"', text).group(1)
    path.write_text(text.replace(old, "集团短号要不要另外收月租？"), encoding="utf-8")
    made = make_brief(Workspace.open(workspace), MANUFACTURING)
    out = workspace / "b.docx"
    out.write_bytes(made.data)
    shown = docx_text(out)
    assert "集团短号要不要另外收月租？" in shown and old not in shown


def test_a_missing_strategy_is_reported_with_its_file(cli, workspace):
    path = workspace / "templates" / "brief" / "people.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("    opposed:"))
    del lines[at]
    path.write_text("\n".join(lines), encoding="utf-8")
    result = cli("catalog", "validate")
    assert result.exit_code == 1
    assert re.search(r"templates/brief/people.yaml:\d+:\d+: error: strategies\.decision_maker: .*opposed", result.output), result.output


def test_the_brief_says_the_workspace_stage_text(workspace):
    path = workspace / "templates" / "brief" / "stages.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name: "夹子（松散型）"', 'name: "夹子（新客户）"').replace(
        'name: "拉链（熟悉型）"', 'name: "拉链（老客户）"'), encoding="utf-8")
    made = make_brief(Workspace.open(workspace), MANUFACTURING)
    out = workspace / "b.docx"
    out.write_bytes(made.data)
    shown = docx_text(out)
    assert "（新客户）" in shown or "（老客户）" in shown or "尼龙搭扣" in shown
    assert made.brief.stage.name in ("夹子（新客户）", "拉链（老客户）", "尼龙搭扣（紧密型）")
