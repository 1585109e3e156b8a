"""Proposal blocks -> a Word document built on the brand's reference .docx.

Styles come from the reference document by name; this module sets no fonts or colours of its own
except the shading of table header rows, so a company restyles the proposal in Word, not in code.
The body is written as WordprocessingML text (:mod:`.wordml`) and parsed once; python-docx opens the
reference, embeds the diagram picture and saves the package.
"""

from __future__ import annotations


import io
from pathlib import Path

from docx import Document
from docx.oxml.parser import parse_xml
from docx.shared import Emu
from lxml import etree

from ..compose import Card, Cover, Diagram, PageBreak, Proposal, TOC, Table
from . import wordml
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


REQUIRED_STYLES = set(STYLE.values()) | {"Heading 1", "Heading 2", "Heading 3", "Table Grid"}


def open_reference(reference: Path, required: set[str]) -> tuple[object, dict[str, str]]:
    """The reference document with its body emptied, and its style ids by style name.

    Style names are resolved to ids once here: python-docx resolves a name by scanning every style
    of the document on each assignment, which was most of the rendering time."""
    try:
        doc = Document(str(reference))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise RenderError(f"参考文档 {reference} 无法打开：{exc}") from None
    style_ids = {s.name: s.style_id for s in doc.styles}
    missing = sorted(name for name in required if name not in style_ids)
    if missing:
        raise RenderError(f"参考文档 {reference} 缺少样式：{'、'.join(missing)}")
    doc._body.clear_content()
    return doc, style_ids


def text_width(doc) -> Emu:
    section = doc.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def saved(doc, parts: list[str]) -> bytes:
    """The document with ``parts`` (body XML, see :class:`BodyWriter`) as its body, as .docx bytes."""
    body = doc.element.body
    for element in parse_xml(wordml.fragment(parts)):
        if body.sectPr is not None:
            body.sectPr.addprevious(element)
        else:
            body.append(element)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(proposal: Proposal, reference: Path, toc_pages: dict[str, int] | None = None) -> bytes:
    """The proposal as .docx bytes; ``toc_pages`` (heading -> page) numbers the TOC entries."""
    doc, style_ids = open_reference(reference, REQUIRED_STYLES)
    doc.sections[0].different_first_page_header_footer = True  # no brand header on the cover
    writer = BodyWriter(doc, text_width(doc), toc_pages or {}, brand_colour(doc), style_ids)
    for block in proposal.blocks:
        writer.block(block)
    doc.core_properties.title = proposal.title
    doc.core_properties.subject = "信息化解决方案建议书"
    doc.core_properties.author = f"{proposal.company} {proposal.department}"
    return saved(doc, writer.finish())


class BodyWriter:
    """Collects the body's XML, block by block; the TOC's entries are filled in at the end, once
    every heading is known."""

    def __init__(self, doc, text_width: Emu, toc_pages: dict[str, int], primary: str, style_ids: dict[str, str]):
        self.doc = doc
        self.primary = primary
        self.width = text_width
        self.toc_pages = toc_pages
        self.style_ids = style_ids
        self.parts: list[str] = []
        self.toc_at: int | None = None  # where the TOC entries go in ``parts``
        self.toc_entries: list[str] = []

    def finish(self) -> list[str]:
        if self.toc_at is not None:
            self.parts[self.toc_at] = "".join(self.toc_entries)
        return self.parts

    def para(self, text: str = "", style: str | None = None, **kw) -> None:
        self.parts.append(self.paragraph(text, style, **kw))

    def paragraph(self, text: str = "", style: str | None = None, **kw) -> str:
        return wordml.paragraph(text, self.style_ids[style] if style else None, **kw)

    def block(self, block) -> None:
        if isinstance(block, Heading):
            self.para(block.text, f"Heading {min(block.level, 3)}")
            if self.toc_at is not None and block.level <= 2:
                self._toc_entry(block)
        elif isinstance(block, Para):
            self.para(block.text, STYLE[block.style], bold=block.style == "lead")
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
            self.parts.append(wordml.PAGE_BREAK)
        else:  # pragma: no cover - a new block kind without a renderer is a programming error
            raise TypeError(f"unknown block {block!r}")

    # --- cover and contents -------------------------------------------------------------------

    def cover(self, cover: Cover) -> None:
        self.para(cover.client, STYLE["cover_title"])
        self.para(cover.title, STYLE["cover_title"], space_before=0)  # one block with the client's name
        self.para(cover.tagline, STYLE["cover_subtitle"])
        for _ in range(5):
            self.para("", STYLE["cover_meta"])
        for label, value in cover.meta:
            self.para(f"{label}：{value}", STYLE["cover_meta"])

    def toc(self, toc: TOC) -> None:
        """A real TOC field (Word refreshes it on open, w:updateFields) whose cached result already
        lists the chapters, so LibreOffice and a PDF show a filled table of contents."""
        self.para(toc.title, STYLE["toc_heading"])
        instruction = wordml.escape(r' TOC \o "1-2" \h \z \u ')
        self.parts.append(
            '<w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r></w:p>')
        self.toc_at = len(self.parts)
        self.parts.append("")
        self.parts.append('<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')

    def _toc_entry(self, heading: Heading) -> None:
        runs = wordml.run(heading.text)
        page = self.toc_pages.get(heading.text)
        if page is not None:
            runs += "<w:r><w:tab/></w:r>" + wordml.run(str(page))
        style = self.style_ids.get(f"TOC {heading.level}", "TOC1")
        self.toc_entries.append(wordml.paragraph(style_id=style, runs=runs))

    def diagram(self, d: Diagram) -> None:
        png = solution_diagram([(label, list(products)) for label, products in d.rows], primary=self.primary)
        if png is None:  # no CJK font on this machine: the table after it says the same
            return
        self.para(d.caption, STYLE["caption"], keep_next=True)
        inline = self.doc.part.new_pic_inline(io.BytesIO(png), Emu(int(self.width)), None)
        drawing = f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>"
        self.parts.append(self.paragraph("", STYLE["caption"], runs=drawing))

    # --- tables -------------------------------------------------------------------------------

    def _widths(self, relative: tuple[float, ...]) -> list[int]:
        total = sum(relative)
        return [Emu(int(self.width * w / total)).twips for w in relative]

    def _cell(self, text: str, style: str, fill: str | None = None, *, keep_next: bool = False,
              span: int = 1) -> wordml.Cell:
        """A cell of one paragraph per line of ``text``."""
        lines = text.split("\n")
        return wordml.Cell("".join(self.paragraph(line, style, keep_next=keep_next) for line in lines), fill, span)

    def table(self, t: Table) -> None:
        if t.caption:
            self.para(t.caption, STYLE["caption"], keep_next=True)
        rows = [[self._cell(text, STYLE["table_header"], self.primary) for text in t.header]]
        rows += [[self._cell(text, STYLE["table_text"]) for text in values] for values in t.rows]
        self.parts.append(wordml.table(rows, self._widths(t.widths), self.style_ids["Table Grid"], header_rows=1))
        self.para("", STYLE["note"])

    def card(self, card: Card) -> None:
        """A case card, read as one piece: rows never break, and each row keeps with the next."""
        title = (self.paragraph(card.title, STYLE["card_title"], keep_next=True)
                 + self.paragraph(card.subtitle, STYLE["table_text"], keep_next=True))
        rows = [[wordml.Cell(title, CARD_FILL, span=2)]]
        for label, value in card.fields:
            rows.append([self._cell(label, STYLE["table_text"], CARD_FILL, keep_next=True),
                         self._cell(value, STYLE["table_text"], keep_next=True)])
        results = "".join(self.paragraph("✔ " + result, STYLE["table_text"]) for result in card.bullets)
        rows.append([self._cell("实施成效", STYLE["table_text"], CARD_FILL), wordml.Cell(results)])
        self.parts.append(wordml.table(rows, self._widths((1.2, 6.0)), self.style_ids["Table Grid"]))
        self.para("", STYLE["note"])


__all__ = ["render"]
