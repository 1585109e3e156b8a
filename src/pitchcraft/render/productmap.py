"""The product map (产品图谱) and the case map (案例地图) as documents for product managers' meetings.

The product map arranges the products on sale by need category (rows) and industry (columns),
with customer fit (size, value tier), informatization level and tariff, as seed 002 describes it;
the case map lists, for each step of the account manager's work flow, the cases that show it.
:func:`build` makes the view; :func:`write_xlsx` (openpyxl) and :func:`write_docx` (python-docx,
A4 landscape) write it. Files are written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..cells import xlsx_text
from ..errors import UsageError
from ..fsutil import write_file
from ..model.catalog import Catalog
from ..model.case import Case
from ..model.catalog import Product
from ..model.vocab import CATEGORIES, INDUSTRIES, INDUSTRY_LABELS, INFORMATIZATION, SIZE_SHORT, WORKFLOW_STEPS
from ..reading import os_reason

FIT = "●"
SHEET_MAP = "产品图谱"
SHEET_CASES = "案例地图"
SHEET_NOTES = "说明"
FONT = "微软雅黑"      # Excel
DOC_FONT = "宋体"      # Word, East Asian
DOC_LATIN = "Times New Roman"


@dataclass(frozen=True)
class MapRow:
    product: Product
    fits: tuple[bool, ...]      # one per industry, in INDUSTRIES order
    sizes: str
    tiers: str
    informatization: str
    tariff: str
    cases: int                  # active cases using the product

    @property
    def category(self) -> str:
        return CATEGORIES[self.product.category]


@dataclass(frozen=True)
class ProductMap:
    industries: tuple[str, ...]                      # industry keys, column order
    rows: tuple[MapRow, ...]                         # grouped by category, catalog order within
    steps: tuple[tuple[str, tuple[Case, ...]], ...]  # workflow step -> its active cases
    date: dt.date

    @property
    def header(self) -> tuple[str, ...]:
        return ("需求类别", "产品", *(INDUSTRY_LABELS[i] for i in self.industries),
                "规模", "价值等级", "信息化程度", "资费", "案例数")

    def by_category(self) -> list[tuple[str, list[MapRow]]]:
        return [(label, [r for r in self.rows if r.product.category == key]) for key, label in CATEGORIES.items()]


def build(catalog: Catalog, cases: list[Case], today: dt.date | None = None) -> ProductMap:
    """The map of the products on sale (retired products are left out) and of the active cases."""
    industries = tuple(INDUSTRIES)
    active_cases = [c for c in cases if c.active]
    rows = []
    for key in CATEGORIES:
        for p in catalog.products:
            if p.category != key or not p.active:
                continue
            rows.append(MapRow(
                p, tuple(p.fits_industry(i) for i in industries), "、".join(SIZE_SHORT[s] for s in p.sizes),
                "、".join(p.tiers), INFORMATIZATION[p.informatization], p.tariff_summary,
                sum(1 for c in active_cases if p.id in c.products),
            ))
    steps = tuple((step, tuple(c for c in active_cases if c.workflow_step == step)) for step in WORKFLOW_STEPS)
    return ProductMap(industries, tuple(rows), steps, today or dt.date.today())


# --- Excel ------------------------------------------------------------------------------------


def write_xlsx(pmap: ProductMap, path: Path) -> None:
    thin = Side(style="thin", color="B7B7B7")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(name=FONT, bold=True, color="FFFFFF", size=10)
    head_fill = PatternFill("solid", fgColor="1F4E79")
    body_font = Font(name=FONT, size=10)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_MAP
    ws.append(list(pmap.header))
    n_ind = len(pmap.industries)
    first_ind, last_ind = 3, 2 + n_ind
    for _label, rows in pmap.by_category():
        for r in rows:
            ws.append([r.category, r.product.name, *(FIT if f else "" for f in r.fits),
                       r.sizes, r.tiers, r.informatization, r.tariff, r.cases])
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            xlsx_text(cell)
            cell.border = border
            if cell.row == 1:
                cell.font, cell.fill, cell.alignment = head_font, head_fill, center
            else:
                cell.font = body_font
                cell.alignment = center if first_ind <= cell.column <= last_ind or cell.column == last_ind + 5 \
                    else wrap
    widths = [10, 18, *([6] * n_ind), 16, 9, 10, 42, 7]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"

    cs = wb.create_sheet(SHEET_CASES)
    cs.append(["工作流程环节", "案例", "行业", "客户", "产品", "年份"])
    for step, cases in pmap.steps:
        if not cases:
            cs.append([step, "（暂无案例）", "", "", "", ""])
        for c in cases:
            cs.append([step, c.title, INDUSTRY_LABELS[c.industry], c.client_label, "、".join(c.products),
                       c.year or ""])
    for row in cs.iter_rows(min_row=1, max_row=cs.max_row):
        for cell in row:
            xlsx_text(cell)
            cell.border = border
            if cell.row == 1:
                cell.font, cell.fill, cell.alignment = head_font, head_fill, center
            else:
                cell.font, cell.alignment = body_font, wrap
    for i, width in enumerate([14, 44, 10, 24, 36, 8], 1):
        cs.column_dimensions[get_column_letter(i)].width = width
    cs.freeze_panes = "B2"

    ns = wb.create_sheet(SHEET_NOTES)
    for line in _notes(pmap):
        ns.append([line])
    ns.column_dimensions["A"].width = 90
    for row in ns.iter_rows():
        for cell in row:
            xlsx_text(cell)
            cell.font = body_font
    _write_atomic(path, wb.save)


def _notes(pmap: ProductMap) -> list[str]:
    return [
        "产品图谱说明",
        f"生成日期：{pmap.date.isoformat()}；在售产品 {len(pmap.rows)} 个（不含已下线产品）。",
        f"“{FIT}”表示产品适用于该行业；“全行业”产品在每个行业下都标有 {FIT}。",
        "规模：小型（100 人以下）、中型（100–999 人）、大型（1000 人及以上）；价值等级：A、B、C 类客户。",
        "案例数：案例库中用到该产品的在用案例个数；“案例地图”工作表按工作流程环节列出案例。",
        "数据来源：catalog/products.yaml 与 cases/，由 pitchcraft catalog map 生成，请勿手工修改本文件。",
    ]


# --- Word -------------------------------------------------------------------------------------


def write_docx(pmap: ProductMap, path: Path) -> None:
    doc = docx.Document()
    _document_fonts(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin = section.bottom_margin = Cm(1.5)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "产品图谱", 16, True)
    note = doc.add_paragraph()
    _run(note, f"按需求类别和行业排列的在售产品（{len(pmap.rows)} 个），{FIT} 表示适用；"
               f"生成日期 {pmap.date.isoformat()}。", 9, False)

    header = ("产品", *(INDUSTRY_LABELS[i] for i in pmap.industries), "规模", "等级", "信息化", "资费")
    n_ind = len(pmap.industries)
    widths = [Cm(2.8), *([Cm(0.95)] * n_ind), Cm(1.9), Cm(1.3), Cm(1.2), Cm(5.4)]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid: what LibreOffice and WPS lay out by
    head = table.rows[0]
    _repeat_header(head)
    for cell, text, width in zip(head.cells, header, widths):
        cell.width = width
        _shade(cell, "1F4E79")
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(para, text, 7.5, True, color="FFFFFF")
    for label, rows in pmap.by_category():
        if not rows:
            continue
        group = table.add_row()
        merged = group.cells[0].merge(group.cells[-1])
        _shade(merged, "DDEBF7")
        _run(merged.paragraphs[0], f"{label}（{len(rows)} 个）", 8, True)
        for r in rows:
            row = table.add_row()
            _keep_together(row)
            sizes = "、".join(SIZE_SHORT[s][0] for s in r.product.sizes)  # 小、中、大: the column is narrow
            values = (r.product.name, *(FIT if f else "" for f in r.fits), sizes, "/".join(r.product.tiers),
                      r.informatization, r.tariff)
            for k, (cell, text, width) in enumerate(zip(row.cells, values, widths)):
                cell.width = width
                para = cell.paragraphs[0]
                if 1 <= k <= n_ind:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(para, text, 7.5, k == 0)
    _write_atomic(path, doc.save)


def _document_fonts(doc) -> None:
    """Document defaults with an explicit East Asian font: theme fonts would win over a font name."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), DOC_LATIN)
    fonts.set(qn("w:hAnsi"), DOC_LATIN)
    fonts.set(qn("w:eastAsia"), DOC_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _run(paragraph, text: str, size: float, bold: bool, color: str | None = None):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = DOC_LATIN
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOC_FONT)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _keep_together(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


# --- files ------------------------------------------------------------------------------------


def _write_atomic(path: Path, save) -> None:
    """Save into memory, then write the bytes atomically: a library saving into a file leaves its
    zip open when the disk fills, and closing it later prints a traceback."""
    buffer = io.BytesIO()
    try:
        save(buffer)  # openpyxl still writes each sheet through a temporary file first
    except (OSError, etree.LxmlError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else "临时文件写不下"
        raise UsageError(f"无法写入 {path}：生成时写临时文件失败（{reason}）；请检查磁盘空间和临时文件夹") from None
    try:
        write_file(Path(path), buffer.getvalue())
    except OSError as exc:
        raise UsageError(f"无法写入 {path}：{os_reason(exc)}") from None
