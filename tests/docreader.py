"""Read generated documents back the way a reader sees them: text, styles, fonts, notes."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph, body and table cells, in order."""
    doc = Document(str(path))
    out = []
    body = doc.element.body
    for el in body.iter(qn("w:p")):
        from docx.text.paragraph import Paragraph

        p = Paragraph(el, doc.part)
        out.append((p.style.name if p.style is not None else "", p.text))
    return out


def docx_text(path: Path) -> str:
    return "\n".join(text for _style, text in docx_paragraphs(path))


def pptx_slides(path: Path) -> list[dict]:
    prs = Presentation(str(path))
    slides = []
    for slide in prs.slides:
        texts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                for row in shape.table.rows:
                    texts.extend(cell.text for cell in row.cells)
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append({"layout": slide.slide_layout.name, "text": "\n".join(texts), "notes": notes,
                       "shapes": list(slide.shapes)})
    return slides


def quote_rows(folder: Path) -> list[dict]:
    """The proposal's 报价明细 as a reader sees it: one dict per row."""
    doc = Document(str(folder / "proposal.docx"))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["产品", "资费项目与数量依据"])
    rows = []
    for row in table.rows[1:]:
        product, item, quantity, price, monthly, one_off = (c.text for c in row.cells)
        name, _, basis = item.partition("\n依据：")
        rows.append({"product": product, "item": name, "basis": basis, "quantity": quantity, "price": price,
                     "monthly": monthly, "one_off": one_off})
    return rows
