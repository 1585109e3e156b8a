"""The product map: Excel and Word files reopened, cells read as a product manager reads them."""

from __future__ import annotations

import datetime as dt
import os
import re
import resource
import signal
import subprocess
import sys

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from conftest import ROOT
from pitchcraft.load import load_cases, load_catalog
from pitchcraft.render.productmap import FIT, build, write_docx, write_xlsx
from pitchcraft.model.vocab import INDUSTRY_LABELS, WORKFLOW_STEPS

INDUSTRY_ORDER = ["党政机关", "制造业", "金融", "物流", "零售", "教育", "医疗", "农业", "能源", "建筑", "酒店", "媒体",
                  "互联网", "公共事业"]


@pytest.fixture(scope="module")
def content():
    catalog, _ = load_catalog(ROOT / "catalog" / "products.yaml")
    cases, _ = load_cases(ROOT / "cases", catalog)
    return catalog, cases


@pytest.fixture(scope="module")
def files(content, tmp_path_factory):
    pmap = build(*content, today=dt.date(2026, 11, 23))
    out = tmp_path_factory.mktemp("map")
    write_xlsx(pmap, out / "map.xlsx")
    write_docx(pmap, out / "map.docx")
    return out / "map.xlsx", out / "map.docx"


def test_industry_columns_are_the_fourteen_of_the_contract():
    assert list(INDUSTRY_LABELS.values()) == INDUSTRY_ORDER


def test_workbook_matrix(files, content):
    catalog, cases = content
    wb = openpyxl.load_workbook(files[0])
    assert wb.sheetnames == ["产品图谱", "案例地图", "说明"]
    ws = wb["产品图谱"]
    header = [c.value for c in ws[1]]
    assert header == ["需求类别", "产品", *INDUSTRY_ORDER, "规模", "价值等级", "信息化程度", "资费", "案例数"]
    rows = {r[1]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    on_sale = [p for p in catalog.products if p.active]
    assert set(rows) == {p.name for p in on_sale}  # retired products are not on the map
    assert "blackberry" not in rows
    finance = rows["财信通"]
    assert [i for i in INDUSTRY_ORDER if finance[i] == FIT] == ["金融"]
    assert finance["需求类别"] == "服务营销" and finance["规模"] == "中型、大型" and finance["价值等级"] == "A、B"
    assert [i for i in INDUSTRY_ORDER if rows["农信通"][i] == FIT] == ["党政机关", "农业"]
    assert all(rows["集团V网"][i] == FIT for i in INDUSTRY_ORDER)  # a product for every industry
    assert rows["集团V网"]["资费"] == catalog.by_id["vpmn"].tariff_summary
    assert rows["集团V网"]["案例数"] == sum(1 for c in cases if "vpmn" in c.products)
    categories = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    order = ["基础通信", "移动办公", "生产控制", "服务营销"]
    assert [order.index(c) for c in categories] == sorted(order.index(c) for c in categories)


def test_workbook_is_readable_in_a_meeting(files):
    ws = openpyxl.load_workbook(files[0])["产品图谱"]
    assert ws.freeze_panes == "C2"
    assert ws.column_dimensions["B"].width == 18 and ws.column_dimensions["C"].width == 6
    tariff_col = 2 + 14 + 4
    assert ws.cell(row=2, column=tariff_col).alignment.wrap_text
    assert ws.cell(row=1, column=3).font.bold
    assert ws.cell(row=2, column=3).alignment.horizontal == "center"
    assert ws.auto_filter.ref == ws.dimensions
    assert ws.page_setup.orientation == "landscape"


def test_case_map_sheet_follows_the_work_flow(files, content):
    _catalog, cases = content
    ws = openpyxl.load_workbook(files[0])["案例地图"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    steps = [r[0] for r in rows]
    assert list(dict.fromkeys(steps)) == list(WORKFLOW_STEPS)
    titles = {r[1] for r in rows}
    assert {c.title for c in cases} <= titles
    mould = next(r for r in rows if r[1] == next(c.title for c in cases if c.id == "mfg-mould-maker-service"))
    assert mould[0] == "售后服务" and mould[3] == "东莞某塑料模具企业"  # anonymised: no consent recorded
    vnet = next(r for r in rows if r[1].startswith("三厂区内部通话费下降近四成"))
    assert vnet[3] == "东莞某精密五金企业"


def test_word_table_landscape_a4(files, content):
    catalog, _ = content
    doc = docx.Document(files[1])
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    assert section.orientation == 1  # landscape
    assert doc.paragraphs[0].text == "产品图谱"
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["产品", *INDUSTRY_ORDER, "规模", "等级", "信息化", "资费"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    texts = [[c.text for c in row.cells] for row in table.rows[1:]]
    groups = [r[0] for r in texts if len(set(r)) == 1]
    assert [g.split("（")[0] for g in groups] == ["基础通信", "移动办公", "生产控制", "服务营销"]
    agri = next(r for r in texts if r[0] == "农信通")
    assert [INDUSTRY_ORDER[k] for k, v in enumerate(agri[1:15]) if v == FIT] == ["党政机关", "农业"]
    assert agri[15:18] == ["小、中", "B/C", "基础"]
    assert agri[18] == catalog.by_id["agri_info"].tariff_summary
    assert len([r for r in texts if len(set(r)) > 1]) == len([p for p in catalog.products if p.active])
    assert round(table.columns[0].width.cm, 1) == round(Cm(2.8).cm, 1)


def test_word_runs_carry_an_east_asian_font(files):
    doc = docx.Document(files[1])
    runs = [r for row in doc.tables[0].rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" for r in runs)
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:eastAsiaTheme")) is None


def test_map_command_writes_both_files(shipped_cli, tmp_path):
    result = shipped_cli("catalog", "map", "--out", tmp_path / "图谱.xlsx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "图谱.xlsx").is_file() and (tmp_path / "图谱.docx").is_file()
    assert str(tmp_path / "图谱.docx") in result.stdout
    assert (tmp_path / "图谱.xlsx").stat().st_mode & 0o044  # an ordinary file others may read
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_map_command_reports_an_unwritable_place(shipped_cli, tmp_path):
    result = shipped_cli("catalog", "map", "--out", tmp_path / "no-such-folder" / "图谱.xlsx")
    assert result.exit_code == 1
    assert "无法写入" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("out", ["/dev/full", "/dev/null", "/dev/full.xlsx"])
def test_map_command_refuses_a_device_as_out_and_writes_nothing_beside_it(shipped_cli, out):
    before = set(os.listdir("/dev"))
    result = shipped_cli("catalog", "map", "--out", out)
    assert result.exit_code == 1, result.output
    assert "无法写入" in result.stderr and "Traceback" not in result.output
    assert re.search(r"[\u4e00-\u9fff]", result.stderr)
    assert set(os.listdir("/dev")) - before == set()


def test_map_on_a_full_disk_is_one_message_without_a_traceback(tmp_path):
    """A save that fails midway (here: past the file-size limit, as a full disk fails) leaves no open
    zip whose finaliser prints a traceback at exit, and neither file behind."""
    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of the signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    proc = subprocess.run([sys.executable, "-m", "pitchcraft", "catalog", "map", "--out", str(tmp_path / "图谱.xlsx")],
                          cwd=ROOT, capture_output=True, text=True, preexec_fn=small_files, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("错误：无法写入") and "Traceback" not in proc.stderr, proc.stderr
    assert "Exception ignored" not in proc.stderr and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert list(tmp_path.iterdir()) == []
