"""Round 11: a figure in a product's copy must not contradict its structured fields (rule copy-figure):
the availability and repair times of service_level, the tier prices of the tariff. The client reads
both in one proposal: the product text and the service table or the quote."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT
from docreader import docx_paragraphs

from pitchcraft.pipeline import generate
from pitchcraft.workspace import Workspace

PRECISION = ROOT / "examples" / "precision-manufacturing.yaml"


def _edit(workspace: Path, old: str, new: str) -> tuple[Path, int]:
    """Change the first ``old`` of the workspace's products.yaml; the 1-based line it stands on."""
    path = workspace / "catalog" / "products.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return path, text.count("\n", 0, at) + 1


def test_the_shipped_catalog_states_no_figure_against_its_fields(shipped_cli):
    result = shipped_cli("catalog", "validate")
    assert result.exit_code == 0, result.output
    assert "[copy-figure]" not in result.output


def test_an_availability_other_than_the_service_level_is_an_error_at_its_line(cli, workspace):
    _path, line = _edit(workspace, 'availability: "99.9%"', 'availability: "99.95%"')
    result = cli("catalog", "validate")
    assert result.exit_code != 0
    found = [x for x in result.output.splitlines() if "[copy-figure]" in x]
    summary = next(x for x in found if "group_private_line.summary" in x)
    text = (workspace / "catalog" / "products.yaml").read_text(encoding="utf-8").splitlines()
    at = int(re.search(r"products\.yaml:(\d+):", summary).group(1))
    assert "可用率 99.9%" in text[at - 1] and "summary:" in text[at - 1] and at < line
    assert "99.95%" in summary and "service_level.availability" in summary
    fields = {re.search(r"error: ([\w.\[\]]+):", x).group(1) for x in found}
    assert {"group_private_line.how_it_works", "group_private_line.faq[1].a", "group_private_line.promotion",
            "group_private_line.industry_copy[0].summary"} <= fields


def test_a_flat_price_for_a_tiered_item_is_an_error_unless_the_text_gives_the_tiers(cli, workspace):
    _path, line = _edit(workspace, "每成员 5 元/月（第 500 个成员起 4 元/月），专业录音", "每成员 5 元/月，专业录音")
    result = cli("catalog", "validate")
    assert result.exit_code != 0
    error = next(x for x in result.output.splitlines() if "[copy-figure]" in x)
    assert f"products.yaml:{line}:" in error and "group_ringtone.tariff.summary" in error
    assert "5 元/月" in error and "第 500 个起 4.00 元" in error


def test_a_repair_time_other_than_the_service_level_is_an_error(cli, workspace):
    _path, line = _edit(workspace, "城区故障 4 小时内修复，按季度", "城区故障 8 小时内修复，按季度")
    result = cli("catalog", "validate")
    error = next(x for x in result.output.splitlines() if "[copy-figure]" in x)
    assert f"products.yaml:{line}:" in error and "8 小时内修复" in error and "service_level.restore" in error


def test_the_precision_proposal_tells_one_availability_and_the_ringtone_tiers(tmp_path):
    folder = generate(Workspace.open(ROOT), PRECISION, tmp_path, force=True).folder
    text = "\n".join(t for _s, t in docx_paragraphs(folder / "proposal.docx"))
    figures = set(re.findall(r"可用率\s*(\d+(?:\.\d+)?)\s*%", text))
    rows = [t for _s, t in docx_paragraphs(folder / "proposal.docx") if re.fullmatch(r"\d+(\.\d+)?%", t)]
    assert figures == {"99.9"} and set(rows) <= {"99.9%"}, (figures, rows)
    flat = [m.start() for m in re.finditer(r"(?<![\d.])5 元/月", text)]  # 集团彩铃 (and 集团V网 if pitched)
    assert flat and all("第 500 个成员起 4" in text[at:at + 20] for at in flat), [text[at:at + 40] for at in flat]
