"""Proposal blocks -> a Word document built on the brand's reference .docx.

Styles come from the reference document by name; this module sets no fonts or colours of its own
except the shading of table header rows, so a company restyles the proposal in Word, not in code.
"""

from __future__ import annotations


import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu

from ..compose import Card, Cover, Diagram, PageBreak, Proposal, TOC, Table
from .diagram import solution_diagram
from ..errors import RenderError
from ..textblocks import Bullets, Heading, Para

STYLE = {
    "body": "Body Text Indent CN",
    "lead": "Body Text Indent CN",
    "quote": "Client Quote",
    "note": "Small Note",
    "bullet": "List Bullet",
    "caption": "Caption",
    "table_text": "Table Text",
    "table_header": "Table Header",
    "card_title": "Card Title",
    "cover_title": "Cover Title",
    "cover_subtitle": "Cover Subtitle",
    "cover_meta": "Cover Meta",
    "toc_heading": "TOC Heading",
}
DEFAULT_PRIMARY = "0066B3"
CARD_FILL = "EAF2FA"


def brand_colour(doc) -> str:
    """The brand's primary colour as the reference document states it: the colour of Heading 1,
    else the theme's accent1. Table headers and the diagram follow it, so a restyled reference
    restyles them too."""
    colour = doc.styles["Heading 1"].font.color
    if colour is not None and colour.type is not None and colour.rgb is not None:
        return str(colour.rgb)
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/theme"):
            root = etree.fromstring(rel.target_part.blob)
            el = root.find(".//{*}clrScheme/{*}accent1/{*}srgbClr")
            if el is not None:
                return el.get("val")
    return DEFAULT_PRIMARY


def toc_headings(proposal: Proposal) -> list[str]:
    """The headings the table of contents lists (chapters and their sections)."""
    return [b.text for b in proposal.blocks if isinstance(b, Heading) and b.level <= 2]


def render(proposal: Proposal, reference: Path, toc_pages: dict[str, int] | None = None) -> bytes:
    """The proposal as .docx bytes; ``toc_pages`` (heading -> page) numbers the TOC entries."""
    try:
        doc = Document(str(reference))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise RenderError(f"参考文档 {reference} 无法打开：{exc}") from None
    # style name -> id, looked up once: python-docx resolves a style name by scanning every style
    # of the document on each assignment, which was most of the rendering time
    style_ids = {s.name: s.style_id for s in doc.styles}
    missing = [name for name in set(STYLE.values()) | {"Heading 1", "Heading 2", "Heading 3", "Table Grid"}
               if name not in style_ids]
    if missing:
        raise RenderError(f"参考文档 {reference} 缺少样式：{'、'.join(sorted(missing))}")
    doc._body.clear_content()
    section = doc.sections[0]
    section.different_first_page_header_footer = True  # no brand header on the cover
    width = section.page_width - section.left_margin - section.right_margin
    writer = _Writer(doc, width, toc_pages or {}, brand_colour(doc), style_ids)
    for block in proposal.blocks:
        writer.block(block)
    doc.core_properties.title = proposal.title
    doc.core_properties.subject = "信息化解决方案建议书"
    doc.core_properties.author = f"{proposal.company} {proposal.department}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class _Writer:
    def __init__(self, doc, text_width: Emu, toc_pages: dict[str, int], primary: str, style_ids: dict[str, str]):
        self.doc = doc
        self.style_ids = style_ids
        self.primary = primary
        self.width = text_width
        self.toc_pages = toc_pages
        self.headings: list[tuple[int, str]] = []
        self._toc_paragraph = None

    def para(self, text: str = "", style: str | None = None, container=None):
        """A new paragraph at the end of ``container`` (the body by default) in a style named as in
        the reference document."""
        p = (self.doc if container is None else container).add_paragraph(text)
        if style is not None:
            self.set_style(p, style)
        return p

    def set_style(self, paragraph, style: str) -> None:
        paragraph._p.style = self.style_ids[style]

    def block(self, block) -> None:
        if isinstance(block, Heading):
            self.para(block.text, f"Heading {min(block.level, 3)}")
            self.headings.append((block.level, block.text))
            if self._toc_paragraph is not None:
                self._toc_entries(block)
        elif isinstance(block, Para):
            p = self.para(style=STYLE[block.style])
            run = p.add_run(block.text)
            if block.style == "lead":
                run.bold = True
        elif isinstance(block, Bullets):
            for item in block.items:
                self.para(item, STYLE["bullet"])
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Card):
            self.card(block)
        elif isinstance(block, Diagram):
            self.diagram(block)
        elif isinstance(block, Cover):
            self.cover(block)
        elif isinstance(block, TOC):
            self.toc(block)
        elif isinstance(block, PageBreak):
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:  # pragma: no cover - a new block kind without a renderer is a programming error
            raise TypeError(f"unknown block {block!r}")

    # --- cover and contents -------------------------------------------------------------------

    def cover(self, cover: Cover) -> None:
        self.para(cover.client, STYLE["cover_title"])
        second = self.para(cover.title, STYLE["cover_title"])
        second.paragraph_format.space_before = 0  # one block with the client's name above it
        self.para(cover.tagline, STYLE["cover_subtitle"])
        for _ in range(5):
            self.para(style=STYLE["cover_meta"])
        for label, value in cover.meta:
            self.para(f"{label}：{value}", STYLE["cover_meta"])

    def toc(self, toc: TOC) -> None:
        """A real TOC field (Word refreshes it on open, w:updateFields) whose cached result already
        lists the chapters, so LibreOffice and a PDF show a filled table of contents."""
        self.para(toc.title, STYLE["toc_heading"])
        p = self.doc.add_paragraph()
        self._field_begin(p, r'TOC \o "1-2" \h \z \u')
        self._toc_paragraph = p
        self._toc_anchor = p
        self._toc_count = 0
        end = self.doc.add_paragraph()
        self._field_end(end)
        self._toc_end = end

    def _toc_entries(self, heading: Heading) -> None:
        if heading.level > 2:
            return
        style = f"TOC {heading.level}"
        entry = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        pstyle = OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), self.style_ids.get(style, "TOC1"))
        ppr.append(pstyle)
        entry.append(ppr)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = heading.text
        text.set(qn("xml:space"), "preserve")
        run.append(text)
        entry.append(run)
        page = self.toc_pages.get(heading.text)
        if page is not None:
            tab_run = OxmlElement("w:r")
            tab_run.append(OxmlElement("w:tab"))
            entry.append(tab_run)
            num_run = OxmlElement("w:r")
            num = OxmlElement("w:t")
            num.text = str(page)
            num_run.append(num)
            entry.append(num_run)
        self._toc_end._p.addprevious(entry)

    @staticmethod
    def _field_begin(paragraph, instruction: str) -> None:
        for kind, value in (("begin", None), ("instr", instruction), ("separate", None)):
            run = OxmlElement("w:r")
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = f" {value} "
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
                if kind == "begin":
                    el.set(qn("w:dirty"), "true")
            run.append(el)
            paragraph._p.append(run)

    @staticmethod
    def _field_end(paragraph) -> None:
        run = OxmlElement("w:r")
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), "end")
        run.append(el)
        paragraph._p.append(run)

    def diagram(self, d: Diagram) -> None:
        png = solution_diagram([(label, list(products)) for label, products in d.rows], primary=self.primary)
        if png is None:  # no CJK font on this machine: the table after it says the same
            return
        caption = self.para(d.caption, STYLE["caption"])
        caption.paragraph_format.keep_with_next = True
        p = self.para(style=STYLE["caption"])
        p.add_run().add_picture(io.BytesIO(png), width=Emu(int(self.width)))

    # --- tables -------------------------------------------------------------------------------

    def _new_table(self, rows: int, widths: tuple[float, ...]):
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table._tbl.tblPr.style = self.style_ids["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        total = sum(widths)
        emus = [Emu(int(self.width * w / total)) for w in widths]
        for row in table.rows:
            for cell, w in zip(row.cells, emus):
                cell.width = w
        for col, w in zip(table.columns, emus):
            col.width = w
        return table

    def table(self, t: Table) -> None:
        if t.caption:
            caption = self.para(t.caption, STYLE["caption"])
            caption.paragraph_format.keep_with_next = True
        table = self._new_table(len(t.rows) + 1, t.widths)
        rows = list(table.rows)
        _repeat_header(rows[0])
        for cell, text in zip(rows[0].cells, t.header):
            self._cell(cell, text, STYLE["table_header"], self.primary)
        for row, values in zip(rows[1:], t.rows):
            for cell, text in zip(row.cells, values):
                self._cell(cell, text, STYLE["table_text"])
        self.para(style=STYLE["note"])

    def card(self, card: Card) -> None:
        table = self._new_table(len(card.fields) + 2, (1.2, 6.0))
        rows = list(table.rows)
        title = rows[0].cells[0].merge(rows[0].cells[1])
        self._cell(title, card.title, STYLE["card_title"], CARD_FILL)
        self.para(card.subtitle, STYLE["table_text"], title)
        for row, (label, value) in zip(rows[1:], card.fields):
            self._cell(row.cells[0], label, STYLE["table_text"], CARD_FILL)
            self._cell(row.cells[1], value, STYLE["table_text"])
        last = rows[-1]
        self._cell(last.cells[0], "实施成效", STYLE["table_text"], CARD_FILL)
        cell = last.cells[1]
        cell.paragraphs[0].text = ""
        for i, result in enumerate(card.bullets):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            self.set_style(p, STYLE["table_text"])
            p.add_run("✔ " + result)
        # a card is read as one piece: rows never break, and each row keeps with the next
        for row in rows:
            _keep_together(row)
            if row is not last:
                for cell in row.cells:
                    for par in cell.paragraphs:
                        par.paragraph_format.keep_with_next = True
        self.para(style=STYLE["note"])

    def _cell(self, cell, text: str, style: str, fill: str | None = None) -> None:
        parts = text.split("\n") or [""]
        cell.paragraphs[0].text = parts[0]
        self.set_style(cell.paragraphs[0], style)
        for extra in parts[1:]:
            self.para(extra, style, cell)
        if fill:
            tcpr = cell._tc.get_or_add_tcPr()
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), fill)
            tcpr.append(shd)


def _repeat_header(row) -> None:
    """Mark a row as the table's header, repeated at the top of every page the table spans."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    _keep_together(row)


def _keep_together(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


__all__ = ["render"]
