"""Proposal slides -> a PowerPoint deck built on the brand's reference .pptx and its layouts.

Only the reference deck's own layouts are used (looked up by name); fonts and colours come from its
theme and master, so a company restyles the pitch in PowerPoint, not in code.
"""

from __future__ import annotations

import io
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt

from ..compose import Proposal, Slide, Table
from ..errors import RenderError

LAYOUTS = {
    "title": "Title Slide",
    "content": "Title and Content",
    "table": "Title Only",
    "closing": "Section Header",
}
HEADER_FILL = RGBColor(0x00, 0x66, 0xB3)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def render(proposal: Proposal, reference: Path) -> bytes:
    try:
        prs = Presentation(str(reference))
    except Exception as exc:  # python-pptx raises several types for a broken package
        raise RenderError(f"参考演示文稿 {reference} 无法打开：{exc}") from None
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    missing = sorted(set(LAYOUTS.values()) - set(layouts))
    if missing:
        raise RenderError(f"参考演示文稿 {reference} 缺少版式：{'、'.join(missing)}")
    for slide in proposal.slides:
        _add(prs, layouts[LAYOUTS[slide.layout]], slide)
    prs.core_properties.title = proposal.title
    prs.core_properties.author = f"{proposal.company} {proposal.department}"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _placeholder(slide, *types: str):
    for ph in slide.placeholders:
        if ph.placeholder_format.type is not None and ph.placeholder_format.type.name in types:
            return ph
    return None


def _add(prs, layout, spec: Slide) -> None:
    slide = prs.slides.add_slide(layout)
    title = slide.shapes.title
    if title is not None:
        title.text_frame.text = spec.title
    sub = _placeholder(slide, "SUBTITLE", "BODY")
    if spec.layout in ("title", "closing") and sub is not None:
        sub.text_frame.text = spec.subtitle
    elif spec.bullets:
        body = _placeholder(slide, "BODY", "OBJECT")
        if body is None:
            raise RenderError(f"版式“{layout.name}”没有正文占位符")
        tf = body.text_frame
        tf.word_wrap = True
        for i, (level, text) in enumerate(spec.bullets):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = text
            p.level = level
    if spec.table is not None:
        _table(prs, slide, spec.table)
    # placeholders the slide does not use would show "click to add text" in PowerPoint
    for ph in list(slide.placeholders):
        if ph.has_text_frame and not ph.text_frame.text.strip():
            ph._element.getparent().remove(ph._element)
    if spec.notes:
        slide.notes_slide.notes_text_frame.text = spec.notes


def _table(prs, slide, t: Table) -> None:
    left = Emu(int(prs.slide_width * 0.06))
    top = Emu(int(prs.slide_height * 0.22))
    width = Emu(int(prs.slide_width * 0.88))
    row_h = Emu(int(prs.slide_height * 0.085))
    shape = slide.shapes.add_table(len(t.rows) + 1, len(t.header), left, top, width, row_h * (len(t.rows) + 1))
    table = shape.table
    total = sum(t.widths)
    for col, w in zip(table.columns, t.widths):
        col.width = Emu(int(width * w / total))
    for c, text in enumerate(t.header):
        _cell(table.cell(0, c), text, bold=True, fill=HEADER_FILL, color=WHITE)
    for r, values in enumerate(t.rows, 1):
        for c, text in enumerate(values):
            _cell(table.cell(r, c), text)


def _cell(cell, text: str, *, bold: bool = False, fill: RGBColor | None = None,
          color: RGBColor | None = None) -> None:
    cell.text = text
    for p in cell.text_frame.paragraphs:
        for run in p.runs:
            run.font.size = Pt(14)
            run.font.bold = bold
            if color is not None:
                run.font.color.rgb = color
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
