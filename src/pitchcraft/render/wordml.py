"""WordprocessingML body content written as text, parsed once.

python-docx builds a paragraph or a table cell element by element through Python objects, which
cost about a third of a millisecond per cell: most of a proposal's rendering time went there. The
body of a proposal only needs a handful of element shapes (styled paragraphs, runs, page breaks and
fixed-width tables), so they are written here as XML text — every piece of text escaped — and the
renderer parses them in one call. Element order inside ``pPr``/``tcPr`` follows the schema
(ECMA-376 part 1, 17.3.1.26 and 17.4.42), which Word checks and LibreOffice forgives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .xmltext import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RUN_BREAKS = re.compile(r"(\t|\n)")


def run(text: str, *, bold: bool = False) -> str:
    """One run; tabs and line breaks become ``w:tab``/``w:br`` as python-docx's ``run.text`` does."""
    parts = []
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece == "\n":
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece[0].isspace() or piece[-1].isspace() else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:r>{props}{''.join(parts)}</w:r>"


ALIGN = {"l": None, "r": "right", "c": "center"}


def paragraph(text: str = "", style_id: str | None = None, *, bold: bool = False, keep_next: bool = False,
              space_before: int | None = None, runs: str | None = None, align: str | None = None,
              free: bool = False) -> str:
    """A paragraph of one run of ``text`` (or of the given ``runs`` XML) in a paragraph style;
    ``align`` is "l", "r" or "c" (None keeps the style's); ``free`` turns off a keepNext its style has."""
    props = ""
    if style_id:
        props += f'<w:pStyle w:val="{escape(style_id)}"/>'
    if keep_next:
        props += "<w:keepNext/>"
    elif free:
        props += '<w:keepNext w:val="0"/>'
    if space_before is not None:
        props += f'<w:spacing w:before="{int(space_before)}"/>'
    if ALIGN.get(align or "l"):
        props += f'<w:jc w:val="{ALIGN[align]}"/>'
    body = runs if runs is not None else (run(text, bold=bold) if text else "")
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{body}</w:p>"


BREAK_RUN = '<w:r><w:br w:type="page"/></w:r>'
PAGE_BREAK = f"<w:p>{BREAK_RUN}</w:p>"


@dataclass(frozen=True)
class Cell:
    paragraphs: str          # the cell's paragraphs as XML (a cell holds at least one)
    fill: str | None = None  # background colour, RRGGBB
    span: int = 1            # columns it covers


def table(rows: list[list[Cell]], widths: list[int], style_id: str, *, header_rows: int = 0,
          splittable: frozenset[int] = frozenset()) -> str:
    """A centred fixed-layout table, column widths in twentieths of a point. Every row is kept on
    one page but those in ``splittable`` (too tall to move whole without leaving a page empty);
    the first ``header_rows`` repeat at the top of each page the table spans."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{escape(style_id)}"/><w:tblW w:type="auto" w:w="0"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
        f'w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    ]
    for r, cells in enumerate(rows):
        header = '<w:tblHeader w:val="true"/>' if r < header_rows else ""
        whole = "" if r in splittable else '<w:cantSplit w:val="true"/>'
        out.append(f'<w:tr><w:trPr>{header}{whole}</w:trPr>')
        col = 0
        for cell in cells:
            width = sum(widths[col:col + cell.span])
            col += cell.span
            props = f'<w:tcW w:type="dxa" w:w="{width}"/>'
            if cell.span > 1:
                props += f'<w:gridSpan w:val="{cell.span}"/>'
            if cell.fill:
                props += f'<w:shd w:val="clear" w:color="auto" w:fill="{escape(cell.fill)}"/>'
            out.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{cell.paragraphs or paragraph()}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def fragment(parts: list[str]) -> str:
    """Body-level elements wrapped so that one parse reads them all."""
    return f'<w:body xmlns:w="{W_NS}">{"".join(parts)}</w:body>'
