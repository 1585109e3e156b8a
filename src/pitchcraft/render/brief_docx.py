"""The visit brief -> a Word document on the brand's reference .docx, marked internal everywhere.

Styles come from the reference document by name, as for the proposal; the only additions are the
internal-use marks: the page header of every page, the banner under the title, the document
properties (title, subject, keywords, category) and a closing note.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu

from ..brief import Brief
from ..compose.context import COMPANY, DEPARTMENT
from ..compose.model import Table
from ..errors import RenderError
from ..textblocks import Bullets, Heading, Para
from .docx import STYLE, _repeat_header, brand_colour

PARA_STYLE = {"body": STYLE["body"], "lead": STYLE["body"], "quote": STYLE["quote"], "note": STYLE["note"]}
REQUIRED = {"Title", "Normal", "Heading 1", "Heading 2", "Table Grid", STYLE["body"], STYLE["quote"],
            STYLE["note"], STYLE["bullet"], STYLE["caption"], STYLE["table_text"], STYLE["table_header"]}


def render(brief: Brief, reference: Path) -> bytes:
    try:
        doc = Document(str(reference))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise RenderError(f"参考文档 {reference} 无法打开：{exc}") from None
    missing = sorted(REQUIRED - {s.name for s in doc.styles})
    if missing:
        raise RenderError(f"参考文档 {reference} 缺少样式：{'、'.join(missing)}")
    doc._body.clear_content()
    header_text = f"{brief.banner} · {COMPANY} {DEPARTMENT}"
    for section in doc.sections:
        section.different_first_page_header_footer = False  # the mark on every page, the first too
        _set_header(section.header, header_text)
    width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    fill = brand_colour(doc)  # table headers in the brand's colour, as in the proposal

    doc.add_paragraph(brief.title, style="Title")
    banner = doc.add_paragraph(style=STYLE["note"])
    banner.add_run(f"【{brief.banner}】").bold = True
    banner.add_run("仅供客户经理拜访准备使用，不得发给客户，不得并入建议书。")
    for label, value in brief.meta:
        doc.add_paragraph(f"{label}：{value}", style=STYLE["note"])

    for block in brief.blocks:
        if isinstance(block, Heading):
            doc.add_paragraph(block.text, style=f"Heading {min(block.level, 3)}")
        elif isinstance(block, Para):
            p = doc.add_paragraph(style=PARA_STYLE[block.style])
            run = p.add_run(block.text)
            run.bold = block.style == "lead"
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style=STYLE["bullet"])
        elif isinstance(block, Table):
            _table(doc, block, width, fill)
        else:  # pragma: no cover - a new block kind without a renderer is a programming error
            raise TypeError(f"unknown block {block!r}")
    closing = doc.add_paragraph(style=STYLE["note"])
    closing.add_run(f"{brief.banner}：").bold = True
    closing.add_run(brief.footer_note)

    props = doc.core_properties
    props.title = f"{brief.title}（{brief.banner}）"
    props.subject = "客户经理拜访简报（内部资料）"
    props.keywords = brief.banner
    props.category = "内部资料"
    props.comments = brief.footer_note
    props.author = f"{COMPANY} {DEPARTMENT}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_header(header, text: str) -> None:
    header.is_linked_to_previous = False
    paragraphs = header.paragraphs
    if paragraphs:
        paragraphs[0].text = text
        for extra in paragraphs[1:]:
            extra.text = ""
    else:
        header.add_paragraph(text)


def _table(doc, t: Table, width, fill: str) -> None:
    if t.caption:
        caption = doc.add_paragraph(t.caption, style=STYLE["caption"])
        caption.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=len(t.rows) + 1, cols=len(t.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(t.widths)
    emus = [Emu(int(width * w / total)) for w in t.widths]
    for row in table.rows:
        for cell, w in zip(row.cells, emus):
            cell.width = w
    for col, w in zip(table.columns, emus):
        col.width = w
    rows = list(table.rows)
    _repeat_header(rows[0])
    for cell, text in zip(rows[0].cells, t.header):
        _cell(doc, cell, text, STYLE["table_header"], fill)
    for row, values in zip(rows[1:], t.rows):
        for cell, text in zip(row.cells, values):
            _cell(doc, cell, text, STYLE["table_text"])
    doc.add_paragraph(style=STYLE["note"])


def _cell(doc, cell, text: str, style: str, fill: str | None = None) -> None:
    parts = str(text).split("\n")
    cell.paragraphs[0].text = parts[0]
    cell.paragraphs[0].style = doc.styles[style]
    for extra in parts[1:]:
        cell.add_paragraph(extra, style=style)
    if fill:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shd)


__all__ = ["render"]
