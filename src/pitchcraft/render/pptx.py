"""Proposal slides -> a PowerPoint deck built on the brand's reference .pptx and its layouts.

Only the reference deck's own layouts are used (looked up by name); fonts and colours come from its
theme and master, so a company restyles the pitch in PowerPoint, not in code. Text is measured
against its placeholder (render/fit.py): what does not fit goes onto a continuation slide.
"""

from __future__ import annotations

import io
from copy import deepcopy
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart
from pptx.util import Emu, Pt

from ..compose import Chart, Proposal, Slide, Table
from ..errors import RenderError
from ..reading import ReadError, check_package
from . import fit
from .chartxml import ChartParts
from .opc import A_NS
from .xmltext import escape

_P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"

LAYOUTS = {
    "title": "Title Slide",
    "content": "Title and Content",
    "table": "Title Only",
    "chart": "Title Only",
    "diagram": "Title Only",
    "closing": "Section Header",
}
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def render(proposal: Proposal, reference: Path) -> bytes:
    try:
        check_package(reference, "参考演示文稿")  # python-pptx reads parts whole: bound them first
        prs = Presentation(str(reference))
    except ReadError as exc:
        raise RenderError(f"参考演示文稿 {reference} 无法打开：{exc.message}") from None
    except Exception as exc:  # python-pptx raises several types for a broken package
        raise RenderError(f"参考演示文稿 {reference} 无法打开：{exc}") from None
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    missing = sorted(set(LAYOUTS.values()) - set(layouts))
    if missing:
        raise RenderError(f"参考演示文稿 {reference} 缺少版式：{'、'.join(missing)}")
    deck = _Deck(prs, layouts)
    for slide in proposal.slides:
        deck.add(slide)
    deck.write_notes()
    prs.core_properties.title = proposal.title
    prs.core_properties.author = f"{proposal.company} {proposal.department}"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


class _Deck:
    def __init__(self, prs, layouts):
        self.prs = prs
        self.layouts = layouts
        self.levels = fit.body_levels(prs.slide_master)
        theme_colors = _theme_colors(prs)
        self.accent1 = theme_colors.get("accent1", RGBColor(0x00, 0x66, 0xB3))
        self.accent2 = theme_colors.get("accent2", RGBColor(0x00, 0xA3, 0xE0))
        self.light = theme_colors.get("lt2", RGBColor(0xF2, 0xF6, 0xFA))
        self.notes: list[tuple[object, str]] = []  # (slide, talk track), written at the end
        self._boxes: dict[str, tuple[int, int] | None] = {}
        self._placeholders: dict[str, list] = {}  # layout name -> its placeholder shapes, empty

    def add(self, spec: Slide) -> None:
        layout = self.layouts[LAYOUTS[spec.layout]]
        if spec.layout == "content" and spec.bullets:
            box = self._body_box(layout)
            pages = fit.split_to_fit(spec.bullets, self.levels, *box) if box else [spec.bullets]
            for i, page in enumerate(pages):
                title = spec.title + ("（续）" if i else "")
                self._slide(layout, spec, title, page)
            return
        self._slide(layout, spec, spec.title, [])

    def _body_box(self, layout) -> tuple[int, int] | None:
        """Width and height of a layout's body placeholder, looked up once per layout."""
        if layout.name not in self._boxes:
            body = _placeholder_on_layout(layout, "BODY", "OBJECT")
            self._boxes[layout.name] = (body.width, body.height) if body is not None else None
        return self._boxes[layout.name]

    def _new_slide(self, layout):
        """``prs.slides.add_slide(layout)``, with the layout's placeholders built once per layout
        and copied afterwards (python-pptx rebuilds them query by query for every slide). Returns
        the slide and its placeholders as (element, type name) pairs: python-pptx answers every
        question about a placeholder with an XPath query, so their types are read once per layout."""
        slides = self.prs.slides
        rId, slide = slides.part.add_slide(layout)
        tree = slide.shapes._spTree
        if layout.name not in self._placeholders:
            slide.shapes.clone_layout_placeholders(layout)
            placed = [(sp, sp.ph_type.name if sp.ph_type is not None else None) for sp in tree.iter_ph_elms()]
            self._placeholders[layout.name] = [(deepcopy(sp), kind) for sp, kind in placed]
        else:
            placed = [(deepcopy(sp), kind) for sp, kind in self._placeholders[layout.name]]
            tree.extend(sp for sp, _kind in placed)
        slides._sldIdLst.add_sldId(rId)
        return slide, placed

    def _slide(self, layout, spec: Slide, title: str, bullets: list[tuple[int, str]]) -> None:
        slide, placeholders = self._new_slide(layout)

        def placeholder(*types: str):
            return next((sp for sp, kind in placeholders if kind in types), None)

        heading = placeholder("TITLE", "CENTER_TITLE")
        if heading is not None:
            _set_text(heading, _lines(title))
        sub = placeholder("SUBTITLE", "BODY")
        if spec.layout in ("title", "closing") and sub is not None:
            _set_text(sub, _lines(spec.subtitle))
        elif bullets:
            body = placeholder("BODY", "OBJECT")
            if body is None:
                raise RenderError(f"版式“{layout.name}”没有正文占位符")
            body.get_or_add_txBody().bodyPr.set("wrap", "square")  # text_frame.word_wrap = True
            _set_text(body, bullets)
        if spec.table is not None:
            self._table(slide, spec.table)
        if spec.chart is not None:
            self._chart(slide, spec.chart)
        if spec.diagram:
            self._diagram(slide, spec.diagram)
        # placeholders the slide does not use would show "click to add text" in PowerPoint
        for sp, _kind in placeholders:
            if sp.tag == qn("p:sp") and not "".join(sp.txBody.itertext() if sp.txBody is not None else ()).strip():
                sp.getparent().remove(sp)
        if spec.notes:
            self.notes.append((slide, spec.notes))

    def write_notes(self) -> None:
        """Each slide's talk track on its notes page.

        python-pptx builds every notes page from the notes master (cloning its placeholders, and
        scanning every part of the package for a free part name): that was half the time of a deck.
        The first notes page is made that way; the others are copies of its empty shape, each
        related to the notes master and to its slide exactly as python-pptx relates them.
        """
        if not self.notes:
            return
        first_slide, first_text = self.notes[0]
        first = first_slide.notes_slide
        blank = deepcopy(first.part._element)
        _set_text(first.notes_placeholder._element, _lines(first_text))
        master = first.part.part_related_by(RT.NOTES_MASTER)
        package = first.part.package
        taken = {str(p.partname) for p in package.iter_parts()}
        number = 1
        for slide, text in self.notes[1:]:
            while f"/ppt/notesSlides/notesSlide{number}.xml" in taken:
                number += 1
            partname = PackURI(f"/ppt/notesSlides/notesSlide{number}.xml")
            taken.add(str(partname))
            part = NotesSlidePart(partname, CT.PML_NOTES_SLIDE, package, deepcopy(blank))
            part.relate_to(master, RT.NOTES_MASTER)
            part.relate_to(slide.part, RT.SLIDE)
            slide.part.relate_to(part, RT.NOTES_SLIDE)
            _set_text(part.notes_slide.notes_placeholder._element, _lines(text))

    # --- content area below the title -------------------------------------------------------

    def _area(self) -> tuple[int, int, int, int]:
        w, h = self.prs.slide_width, self.prs.slide_height
        return int(w * 0.05), int(h * 0.21), int(w * 0.90), int(h * 0.68)

    def _table(self, slide, t: Table) -> None:
        left, top, width, height = self._area()
        row_h = Emu(int(height / 7.5))
        shape = slide.shapes.add_table(len(t.rows) + 1, len(t.header), Emu(left), Emu(top), Emu(width),
                                       Emu(row_h * (len(t.rows) + 1)))
        table = shape.table
        total = sum(t.widths)
        for col, w in zip(table.columns, t.widths):
            col.width = Emu(int(width * w / total))
        for c, text in enumerate(t.header):
            _cell(table.cell(0, c), text, bold=True, fill=self.accent1, color=WHITE)
        for r, values in enumerate(t.rows, 1):
            for c, text in enumerate(values):
                _cell(table.cell(r, c), text)

    def _chart(self, slide, chart: Chart) -> None:
        left, top, width, height = self._area()
        slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Emu(left), Emu(top), Emu(width), Emu(height),
                               ChartParts(chart, [str(self.accent1), str(self.accent2)]))

    def _diagram(self, slide, rows: list[tuple[str, list[str]]]) -> None:
        """Need areas on the left, an arrow, the products answering them on the right: native
        shapes, written as DrawingML text (python-pptx's add_shape and its fill and font objects
        took longer than the rest of the slide)."""
        left, top, width, height = self._area()
        rows = rows[:4]
        gap = int(height * 0.04)
        row_h = int((height - gap * (len(rows) - 1)) / max(len(rows), 1))
        row_h = min(row_h, int(height * 0.24))
        label_w, arrow_w = int(width * 0.2), int(width * 0.06)
        products_left = left + label_w + arrow_w + int(width * 0.02)
        products_w = left + width - products_left
        primary, accent, light = str(self.accent1), str(self.accent2), str(self.light)
        tree = slide.shapes._spTree
        next_id = max((int(i) for i in tree.xpath("//@id") if i.isdigit()), default=0) + 1
        shapes = []
        for i, (label, products) in enumerate(rows):
            y = top + i * (row_h + gap)
            shapes.append(_shape_xml(next_id, "roundRect", (left, y, label_w, row_h), primary,
                                     text=label, size=18, color="FFFFFF"))
            shapes.append(_shape_xml(next_id + 1, "rightArrow", (left + label_w + int(width * 0.01), y + row_h // 4,
                                                                 arrow_w, row_h // 2), accent))
            next_id += 2
            n = max(len(products), 1)
            per_row = min(n, 4)
            lines = (n + per_row - 1) // per_row
            cell_w = int(products_w / per_row)
            cell_h = int(row_h / lines)
            for j, name in enumerate(products):
                col, line = j % per_row, j // per_row
                box = (products_left + col * cell_w + int(cell_w * 0.04), y + line * cell_h + int(cell_h * 0.08),
                       int(cell_w * 0.92), int(cell_h * 0.84))
                shapes.append(_shape_xml(next_id, "roundRect", box, light, line=primary, text=name,
                                         size=16 if lines == 1 else 14, color=primary))
                next_id += 1
        tree.extend(parse_xml(f'<p:spTree xmlns:p="{_P_NS}" xmlns:a="{A_NS}">{"".join(shapes)}</p:spTree>'))


_SHAPE_NAMES = {"roundRect": "Rounded Rectangle", "rightArrow": "Right Arrow"}
_SHAPE_STYLE = (  # the theme references python-pptx gives an autoshape
    '<p:style><a:lnRef idx="1"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="3"><a:schemeClr val="accent1"/>'
    '</a:fillRef><a:effectRef idx="2"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef idx="minor">'
    '<a:schemeClr val="lt1"/></a:fontRef></p:style>')


def _shape_xml(shape_id: int, geometry: str, box: tuple[int, int, int, int], fill: str, *, line: str | None = None,
               text: str | None = None, size: int = 18, color: str = "FFFFFF") -> str:
    """A preset shape filled with ``fill`` (RRGGBB), outlined with ``line`` or not at all, no shadow,
    with ``text`` centred in bold, as python-pptx writes an autoshape so styled."""
    x, y, cx, cy = (int(v) for v in box)
    outline = (f'<a:ln><a:solidFill><a:srgbClr val="{line}"/></a:solidFill></a:ln>' if line
               else "<a:ln><a:noFill/></a:ln>")
    if text is None:
        body = '<a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p>'
    else:
        body = ('<a:bodyPr rtlCol="0" anchor="ctr" wrap="square"/><a:lstStyle/><a:p><a:pPr algn="ctr"/>'
                f'<a:r><a:rPr sz="{size * 100}" b="1"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></a:rPr>'
                f"<a:t>{escape(text)}</a:t></a:r></a:p>")
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{_SHAPE_NAMES[geometry]} {shape_id - 1}"/><p:cNvSpPr/>'
            f'<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>'
            f"{outline}<a:effectLst/></p:spPr>{_SHAPE_STYLE}<p:txBody>{body}</p:txBody></p:sp>")


def _lines(text: str) -> list[tuple[None, str]]:
    """A text's lines as paragraphs, as python-pptx's ``text_frame.text`` splits them."""
    return [(None, line) for line in text.split("\n")]


def _set_text(sp, paragraphs: list[tuple[int | None, str]]) -> None:
    """Replace a shape's paragraphs with ``(level, text)`` ones (level None: no paragraph properties).

    The same XML python-pptx writes for ``p.text``/``p.level``, written as text and parsed once per
    shape; python-pptx's element-by-element writing was most of a deck's rendering time.
    """
    body = sp.get_or_add_txBody()
    for p in body.findall(qn("a:p")):
        body.remove(p)
    xml = []
    for level, text in paragraphs:
        props = "" if level is None else ("<a:pPr/>" if level == 0 else f'<a:pPr lvl="{int(level)}"/>')
        run = f"<a:r><a:t>{escape(text)}</a:t></a:r>" if text else ""
        xml.append(f"<a:p>{props}{run}</a:p>")
    body.extend(parse_xml(f'<a:txBody xmlns:a="{A_NS}">{"".join(xml)}</a:txBody>'))


def _placeholder_on_layout(layout, *types: str):
    for ph in layout.placeholders:
        if ph.placeholder_format.type is not None and ph.placeholder_format.type.name in types:
            return ph
    return None


def _theme_colors(prs) -> dict[str, RGBColor]:
    """The theme's colour scheme (accent1, accent2, lt2 …) from the master's theme part."""
    from lxml import etree

    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    out: dict[str, RGBColor] = {}
    for rel in prs.slide_master.part.rels.values():
        if rel.reltype.endswith("/theme"):
            root = etree.fromstring(rel.target_part.blob)
            scheme = root.find(".//a:clrScheme", ns)
            for el in scheme if scheme is not None else []:
                srgb = el.find("a:srgbClr", ns)
                if srgb is not None:
                    out[etree.QName(el).localname] = RGBColor.from_string(srgb.get("val"))
    return out


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
