"""Proposal blocks -> a Word document built on the brand's reference .docx.

Styles come from the reference document by name; this module sets no fonts or colours of its own
except the shading of table header rows, so a company restyles the proposal in Word, not in code.
The body is written as WordprocessingML text (:mod:`.wordml`) into the reference's package
(:mod:`.wordpkg`), which also embeds the diagram picture.
"""

from __future__ import annotations

from pathlib import Path

from ..compose import Card, Cover, Diagram, PageBreak, Proposal, TOC, Table
from . import wordml
from .diagram import solution_diagram
from .wordpkg import EMU_PER_TWIP, WordPackage
from ..compose.textblocks import Bullets, Heading, Para

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


def toc_headings(proposal: Proposal) -> list[str]:
    """The headings the table of contents lists (chapters and their sections)."""
    return [b.text for b in proposal.blocks if isinstance(b, Heading) and b.level <= 2]


REQUIRED_STYLES = set(STYLE.values()) | {"Heading 1", "Heading 2", "Heading 3", "Table Grid"}


def render(proposal: Proposal, reference: Path, toc_pages: dict[str, int] | None = None) -> bytes:
    """The proposal as .docx bytes; ``toc_pages`` (heading -> page) numbers the TOC entries."""
    package = WordPackage(reference)
    package.require_styles(REQUIRED_STYLES)
    package.title_page(True)  # no brand header on the cover
    package.header_text(f"{proposal.company} · {proposal.department}")  # the issuer, on every page after it
    writer = BodyWriter(package, toc_pages or {})
    for block in proposal.blocks:
        writer.block(block)
    return package.save(writer.finish(), title=proposal.title, subject="信息化解决方案建议书",
                        author=f"{proposal.company} {proposal.department}")


class BodyWriter:
    """Collects the body's XML, block by block; the TOC's entries are filled in at the end, once
    every heading is known."""

    def __init__(self, package: WordPackage, toc_pages: dict[str, int]):
        self.package = package
        self.primary = package.brand_colour(DEFAULT_PRIMARY)  # table headers and the diagram follow it
        self.width = package.text_width()  # EMU
        self.toc_pages = toc_pages
        self.style_ids = package.style_ids
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
        self.parts.append(self.paragraph("", STYLE["caption"], runs=self.package.picture(png, self.width)))

    # --- tables -------------------------------------------------------------------------------

    def _widths(self, relative: tuple[float, ...]) -> list[int]:
        total = sum(relative)
        return [round(int(self.width * w / total) / EMU_PER_TWIP) for w in relative]

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
