"""Proposal blocks -> a Word document built on the brand's reference .docx.

Styles come from the reference document by name; this module sets no fonts or colours of its own
except the shading of table header rows, so a company restyles the proposal in Word, not in code.
The body is written as WordprocessingML text (:mod:`.wordml`) into the reference's package
(:mod:`.wordpkg`), which also embeds the diagram picture.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from dataclasses import replace
from pathlib import Path

from ..compose import Architecture, Card, Cover, Diagram, PageBreak, Proposal, TOC, Table
from . import wordml
from .diagram import architecture_diagram, cover_art, solution_diagram
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

# The table of contents lists chapters and their sections while they fit on one page, else the
# chapters only: a TOC that spills two lines onto a page of its own is worse than a shorter one.
# Heights in points of the reference's TOC 1 / TOC 2 lines (12 pt, 1.25 lines of a CJK font whose
# line is 1.33 em, 6 pt before a chapter) and of the room under the TOC heading on an A4 page with
# the reference's margins, measured in LibreOffice: 11 chapters and 16 sections fill the page.
TOC_LINE = {1: 26.0, 2: 20.0}
TOC_ROOM = 590.0
# A table of up to this many rows (header included: six rows of content) is read as one piece and
# kept on one page; a longer one keeps its header with the first two rows and its last three rows
# together, so no page holds a fragment, and may break between them rather than leave a page a third
# empty. Money tables (Table.keep) are whole up to MONEY_WHOLE_LINES. (Five rows split 2 + 3 across
# pages: precision-manufacturing's implementation plan.)
KEEP_WHOLE_ROWS = 7
# A page of A4 with the reference's margins holds about this many lines of Table Text. A row taller
# than TALL_ROW_LINES may break across pages (kept whole, it moved to the next page and left its
# caption and the text above it alone on a page nearly empty: the brief's 异议与应答), and a table
# taller than KEEP_WHOLE_LINES is not kept on one page whatever its row count.
PAGE_LINES = 46
TALL_ROW_LINES = PAGE_LINES // 3
# What keepNext binds together (a heading, the paragraph introducing a table, its caption, the table
# kept whole) moves to the next page as one block when it does not fit: the page before it is left as
# blank as the block is tall. No such chain is let grow past this many lines (55% of a page, with the
# estimates' error under 60%): a paragraph that introduces a table, card or figure lets go of it
# first (the end of 126's 集团V网, then 成功案例's heading, its introduction and a card kept whole,
# left a page 74% blank), then a table kept whole keeps only its head and its tail.
CHAIN_LINES = PAGE_LINES * 55 // 100
KEEP_WHOLE_LINES = CHAIN_LINES
# A money table (Table.keep) is kept on one page up to this many lines; a taller one keeps its head and
# its tail like any long table (precision-manufacturing's quote of 13 rows, 34 lines, kept whole, moved
# to the next page and left the one before it 31% filled).
MONEY_WHOLE_LINES = CHAIN_LINES
# A long table's head is its header and first two rows; a first row taller than this many lines is
# no fragment at a page foot and is bound alone (precision-manufacturing's plan: its first phase, 7
# lines, bound with the second, moved with the text introducing it and left a page 40% blank).
HEAD_ROW_LINES = 3
# A case card keeps its title row with this many rows after it (industry, size, region).
CARD_HEAD_ROWS = 3
# A case card up to this many lines (about half a page: a card estimated at 24 lines took 53% of
# the page in LibreOffice) is kept on one page; split, it showed its title twice over a few rows.
# A taller one may break, never right under its title: kept whole, it left the page before it
# half empty, and pushed the pages after it (a money table kept whole) on to leave another so.
# Round 12: kept whole up to half a page, a card that did not fit under the chapter's introduction
# moved and left that page about half blank, and the next card left the page after it so too
# (chain-supermarket pp. 12-13, the orange co-op's pp. 9-10): a card is now kept whole only up to
# WHOLE_BLOCK_LINES, so that the most a moved block can leave blank is about a third of a page.
WHOLE_BLOCK_LINES = PAGE_LINES * 36 // 100
CARD_WHOLE_LINES = WHOLE_BLOCK_LINES
# Heights in lines of Table Text (15.2 pt in LibreOffice) of the reference's other paragraphs, measured
# in its PDF: a line of body text (12 pt, 1.5 lines), the space after a paragraph, the headings with
# their spacing, a caption, a table's spacer (Small Note).
BODY_LINE, PARA_SPACE = 1.72, 0.4
HEADING_LINES = {1: 3.7, 2: 2.4, 3: 1.9}
CAPTION_LINES, SPACER_LINES, QUOTE_SPACE = 1.6, 1.1, 1.2
LINE_EMU = int(15.2 * 12700)
# Table Text is 10.5 pt: a CJK character is 210 twips wide; Latin letters and digits up to 0.64
# of that, capitals 0.76, punctuation 0.32 (the widest fallback, DejaVu, where Times New Roman is
# missing); Table Grid's cell margins are 108 twips each side. A cell text up to SHORT_CELL wide is a label or an amount and should not wrap:
# its column is widened for it, the widest such columns giving up first when not all fit.
CJK_TWIPS, LATIN_TWIPS, CAPITAL_TWIPS, NARROW_TWIPS, CELL_PADDING, SHORT_CELL = 210, 134, 160, 67, 236, 9 * 210
# Between a CJK character and a Latin letter or digit the renderers add a small space (w:autoSpaceDE,
# autoSpaceDN, on by default): "2026年12月10日至" needs 2,111 twips of cell in LibreOffice, not 1,912
# (measured: it wrapped in a cell of 2,027).
AUTOSPACE_TWIPS = 32
# A cell's last wrapped line this narrow (two characters) reads as a character left alone on a line.
ORPHAN_TWIPS = 2 * CJK_TWIPS

_STRAIGHT_QUOTED = re.compile(r'"([^"\n]*)"')


def is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def cn_quotes(text: str) -> str:
    """Straight double quotes around or next to Chinese text become “ ”, as Chinese print has them."""
    if '"' not in text:
        return text

    def swap(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if any(is_cjk(c) for c in m.group(1) + before + after):
            return f"“{m.group(1)}”"
        return m.group(0)

    return _STRAIGHT_QUOTED.sub(swap, text)


BODY_SCALE, BODY_INDENT = 12 / 10.5, 480  # Body Text Indent CN to Table Text; its first-line indent
CARD_TITLE_SCALE = 12 / 10.5
COVER_SCALE = 28 / 10.5  # the cover title's size to Table Text's, whose widths text_twips() gives
COVER_LINE_EMU = 28 * 12700 * 5 // 4  # one line of the cover title, with its spacing

def text_twips(text: str) -> int:
    """How wide a line of ``text`` is in Table Text, in twips (CJK full width, the rest half), with
    the space Word and LibreOffice set between a CJK character and a letter or digit next to it."""
    width = sum(CJK_TWIPS if is_cjk(c) else CAPITAL_TWIPS if c.isupper() else NARROW_TWIPS if c in ",.:;'!| "
                else LATIN_TWIPS for c in text)
    return width + AUTOSPACE_TWIPS * sum(1 for a, b in zip(text, text[1:])
                                         if (is_cjk(a) and b.isascii() and b.isalnum())
                                         or (is_cjk(b) and a.isascii() and a.isalnum()))


def fit_widths(relative: tuple[float, ...], total: int, minimum: list[int], keep: set[int] = frozenset()) -> list[int]:
    """Column widths in twips summing to ``total``, proportional to ``relative`` but none below its
    ``minimum`` while the minimums fit; when they do not, the column wanting most (the longest
    texts, which wrap with least harm) is let wrap down to three characters or half its share,
    then the next; the columns in ``keep`` (amounts) last."""
    share = sum(relative)
    widths = [total * w / share for w in relative]
    floors = [min(m, max(3 * CJK_TWIPS + CELL_PADDING, 0.5 * w)) for m, w in zip(minimum, widths)]
    minimum = [max(m, f) for m, f in zip(minimum, floors)]
    while sum(minimum) > total:
        over = [i for i in range(len(minimum)) if minimum[i] > floors[i]]
        if not over:
            minimum = [m * total / sum(minimum) for m in minimum]
            break
        i = max(over, key=lambda i: (i not in keep, minimum[i]))
        minimum[i] = floors[i]
    for _ in range(len(widths)):
        short = [i for i, w in enumerate(widths) if w < minimum[i] - 0.5]
        if not short:
            break
        need = sum(minimum[i] - widths[i] for i in short)
        free = [i for i in range(len(widths)) if i not in short and widths[i] > minimum[i]]
        room = sum(widths[i] - minimum[i] for i in free)
        if room <= 0:
            break
        for i in short:
            widths[i] = minimum[i]
        take = min(need, room)
        for i in free:
            widths[i] -= take * (widths[i] - minimum[i]) / room
    out = [int(w) for w in widths]
    out[max(range(len(out)), key=lambda i: out[i])] += total - sum(out)
    return out


def give_room(widths: list[int], minimum: list[int], short: list[bool]) -> list[int]:
    """Columns holding only short texts (labels, amounts) keep one character more than they need;
    the rest of their share goes to the columns whose texts wrap ("邮箱功能费（第 1-199 / 个）" wrapped
    beside a product column twice as wide as 企业邮箱)."""
    long = [i for i, s in enumerate(short) if not s]
    if not long:
        return widths
    out = list(widths)
    spare = 0
    for i, s in enumerate(short):
        if s and out[i] > minimum[i] + CJK_TWIPS:
            spare += out[i] - (minimum[i] + CJK_TWIPS)
            out[i] = minimum[i] + CJK_TWIPS
    share = sum(out[i] for i in long)
    for i in long:
        out[i] += int(spare * out[i] / share)
    out[long[0]] += sum(widths) - sum(out)
    return out


def _tint(rgb: str, share: float) -> str:
    """``rgb`` mixed with white, ``share`` of the way (0: itself, 1: white)."""
    return "".join(f"{round(c + (255 - c) * share):02X}" for c in bytes.fromhex(rgb))


def brand_accents(primary: str, accent1: str | None, accent2: str | None) -> tuple[str, str]:
    """The pictures' second colour and light fill, next to the brand colour (Heading 1's): the
    theme's accent2 while the theme agrees with the headings, else a lighter shade of the brand
    colour, so that a brand that made its headings red does not get blue lines on its cover."""
    accent = accent2 if accent2 and accent1 and accent1.upper() == primary.upper() else _tint(primary, 0.4)
    return accent, _tint(primary, 0.92)


def toc_headings(proposal: Proposal) -> list[str]:
    """The headings the table of contents lists (chapters and their sections)."""
    return [b.text for b in proposal.blocks if isinstance(b, Heading) and b.level <= 2]


def _introduces(para: Para, after) -> bool:
    """Whether a paragraph is never to be left alone at the foot of a page: a section's summary
    (its heading keeps with it, and it with what it sums up), a paragraph before the table, card or
    figure it introduces (whose caption keeps with its first rows or its picture: a heading and its
    introduction at a page foot above a figure moved to the next page read as a dangling chapter),
    one ending "：" before its list, and one before such a paragraph."""
    if after is None or isinstance(after, PageBreak):
        return False
    if para.style == "lead":  # a product's summary keeps with what follows it, its sub-heading too:
        # let go when two lines long, it stayed at the page foot under its heading with nothing of
        # the product's text after it (119's "（三）集团专线" at the foot of page 8)
        return True
    return isinstance(after, (Table, Card, Diagram, Architecture)) or (
        para.text.rstrip().endswith(("：", ":")) and isinstance(after, Bullets)) or (
        # before the paragraph that introduces a list: the three go together
        isinstance(after, Para) and after.text.rstrip().endswith(("：", ":")))


def _may_let_go(after) -> bool:
    """Whether a paragraph keeping with ``after`` may let go of it when the chain grows too tall: not
    of a figure (the chapter's heading and introduction are read with its picture; the figure, its
    caption and a two-line introduction fit in 60% of a page)."""
    return not isinstance(after, (Diagram, Architecture))


REQUIRED_STYLES = set(STYLE.values()) | {"Heading 1", "Heading 2", "Heading 3", "Table Grid"}


def render(proposal: Proposal, reference: Path, toc_pages: dict[str, int] | None = None) -> bytes:
    """The proposal as .docx bytes; ``toc_pages`` (heading -> page) numbers the TOC entries."""
    package = WordPackage(reference)
    package.require_styles(REQUIRED_STYLES)
    package.title_page(True)  # no brand header on the cover
    package.header_text(f"{proposal.company} · {proposal.department}")  # the issuer, on every page after it
    writer = BodyWriter(package, toc_pages or {})
    for block, after in zip(proposal.blocks, [*proposal.blocks[1:], None]):
        writer.block(block, after)
    return package.save(writer.finish(), title=proposal.title, subject="信息化解决方案建议书",
                        author=f"{proposal.company} {proposal.department}")


class BodyWriter:
    """Collects the body's XML, block by block; the TOC's entries are filled in at the end, once
    every heading is known."""

    def __init__(self, package: WordPackage, toc_pages: dict[str, int]):
        self.package = package
        self.primary = package.brand_colour(DEFAULT_PRIMARY)  # table headers and the diagram follow it
        self.accent, self.light = brand_accents(self.primary, package.theme_colour("accent1"),
                                                package.theme_colour("accent2"))
        self.width = package.text_width()  # EMU
        self.toc_pages = toc_pages
        self.style_ids = package.style_ids
        self.parts: list[str] = []
        self.toc_at: int | None = None  # where the TOC field goes in ``parts``
        self.toc_headings: list[Heading] = []
        # the keepNext chain written last: its estimated height in lines of Table Text, and the last
        # paragraph in it that may let go (its index in ``parts``, the chain's height up to it)
        self.chain = 0.0
        self.soft: tuple[int, float] | None = None

    def finish(self) -> list[str]:
        if self.toc_at is not None:
            self.parts[self.toc_at] = self._toc_field()
        spacers = {self.paragraph("", STYLE["note"]), self.paragraph("", STYLE["note"], keep_next=True)}
        while self.parts and self.parts[-1] in spacers:  # a table's spacer must not open a blank last page
            self.parts.pop()
        return self.parts

    def para(self, text: str = "", style: str | None = None, *, soft: bool = False, **kw) -> None:
        """A paragraph; ``soft``: its keepNext may be let go when the chain it starts grows too tall."""
        self.parts.append(self.paragraph(text, style, **kw))
        keeps = kw.get("keep_next", False) or (style or "").startswith("Heading") or style in (
            STYLE["caption"], STYLE["card_title"], STYLE["cover_title"])
        self.bind(self.para_lines(text, style), keeps and not kw.get("free"), soft and kw.get("keep_next", False))

    def bind(self, height: float, keeps: bool, soft: bool = False) -> None:
        """Follow the keepNext chain past an element ``height`` lines tall that ``keeps`` with the next."""
        if not keeps:
            self.chain, self.soft = 0.0, None
            return
        self.chain += height
        if soft:
            self.soft = (len(self.parts) - 1, self.chain)

    def make_room(self, lines: float) -> None:
        """Before ``lines`` more are bound to the chain: when it would grow past CHAIN_LINES, its
        last soft paragraph lets go of what follows it (an introduction of its table)."""
        if self.chain + lines > CHAIN_LINES and self.soft is not None:
            at, upto = self.soft
            self.parts[at] = self.parts[at].replace("<w:keepNext/>", "", 1)
            self.chain -= upto
            self.soft = None

    def para_lines(self, text: str, style: str | None) -> float:
        """A paragraph's estimated height in lines of Table Text, its spacing included."""
        if style and style.startswith("Heading"):
            return HEADING_LINES.get(int(style[-1]), HEADING_LINES[3])
        if style == STYLE["caption"]:
            return CAPTION_LINES
        if style == STYLE["note"]:
            return SPACER_LINES
        return BODY_LINE * self.body_lines(text) + (QUOTE_SPACE if style == STYLE["quote"] else PARA_SPACE)

    def paragraph(self, text: str = "", style: str | None = None, **kw) -> str:
        return wordml.paragraph(cn_quotes(text), self.style_ids[style] if style else None, **kw)

    def block(self, block, after=None) -> None:
        """Write ``block``; ``after`` is the block that follows it (a paragraph introducing it keeps
        with it on one page)."""
        if isinstance(block, Heading):
            self.para(block.text, f"Heading {min(block.level, 3)}")
            if self.toc_at is not None and block.level <= 2:
                self.toc_headings.append(block)
        elif isinstance(block, Para) and block.style == "field":
            label, _, rest = block.text.partition("：")
            self.para(block.text, style=STYLE["body"], runs=wordml.run(cn_quotes(label + "："), bold=True)
                      + wordml.run(cn_quotes(rest)), keep_next=_introduces(block, after), soft=_may_let_go(after))
        elif isinstance(block, Para):
            self.para(block.text, STYLE[block.style], bold=block.style == "lead", soft=_may_let_go(after),
                      keep_next=_introduces(block, after))
        elif isinstance(block, Bullets):
            for item in block.items:
                self.para(item, STYLE["bullet"])
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Card):
            self.card(block)
        elif isinstance(block, Diagram):
            self.diagram(block)
        elif isinstance(block, Architecture):
            self.architecture(block)
        elif isinstance(block, Cover):
            self.cover(block)
        elif isinstance(block, TOC):
            self.toc(block)
        elif isinstance(block, PageBreak):
            self.bind(0, False)
            if self.parts and self.parts[-1].endswith("</w:p>"):  # the break ends the last paragraph: a
                # paragraph of its own would land on the next page when the last one fills this page
                # (a long client name), and break again, leaving a blank page
                self.parts[-1] = self.parts[-1][:-len("</w:p>")] + wordml.BREAK_RUN + "</w:p>"
            else:
                self.parts.append(wordml.PAGE_BREAK)
        else:  # pragma: no cover - a new block kind without a renderer is a programming error
            raise TypeError(f"unknown block {block!r}")

    def body_lines(self, text: str) -> int:
        """Lines a paragraph of Body Text Indent CN takes: 12 pt (8/7 of Table Text), its first
        line indented two characters."""
        width = text_twips(text) * BODY_SCALE + BODY_INDENT
        return max(1, -(-int(width) // max(self.width // EMU_PER_TWIP, 1)))

    def lines(self, text: str, width: int, scale: float = 1.0) -> int:
        """Lines ``text`` takes in a cell ``width`` twips wide, each of its lines wrapped."""
        room = max(width - CELL_PADDING, CJK_TWIPS)
        return sum(max(1, -(-int(text_twips(line) * scale) // room)) for line in text.split("\n"))

    # --- cover and contents -------------------------------------------------------------------

    def cover(self, cover: Cover) -> None:
        self.para(cover.client, STYLE["cover_title"])
        self.para(cover.title, STYLE["cover_title"], space_before=0)  # one block with the client's name
        self.para(cover.tagline, STYLE["cover_subtitle"])
        # a client's name over two or three lines takes the picture's room (it spilled the cover onto
        # a blank second page); over three lines the picture goes
        extra = self._cover_title_lines(cover.client) - 1
        art = cover_art(self.primary, self.accent, sites=cover.sites) if extra < 3 else None
        if art is not None:
            width = self.width - extra * COVER_LINE_EMU * 5 // 3  # the picture is 3:5, so 5/3 of a line's height
            self.parts.append(self.paragraph("", STYLE["cover_meta"], runs=self.package.picture(art, width)))
        elif extra < 3:
            for _ in range(5):
                self.para("", STYLE["cover_meta"])
        for label, value in cover.meta:
            self.para(f"{label}：{value}", STYLE["cover_meta"])

    def _cover_title_lines(self, text: str) -> int:
        """Lines the client's name takes in Cover Title: 28 pt, 8/3 of Table Text's 10.5 pt."""
        width = text_twips(text) * COVER_SCALE
        return max(1, -(-int(width) // max(self.width // EMU_PER_TWIP, 1)))

    def toc(self, toc: TOC) -> None:
        """A real TOC field (Word refreshes it on open, w:updateFields) whose cached result already
        lists the chapters, so LibreOffice and a PDF show a filled table of contents."""
        self.para(toc.title, STYLE["toc_heading"])
        self.toc_at = len(self.parts)
        self.parts.append("")

    def toc_depth(self) -> int:
        """2 when chapters and sections fit on the TOC's one page, else 1."""
        height = sum(TOC_LINE[h.level] for h in self.toc_headings)
        return 2 if height <= TOC_ROOM else 1

    def _toc_field(self) -> str:
        depth = self.toc_depth()
        instruction = wordml.escape(rf' TOC \o "1-{depth}" \h \z \u ')
        entries = [self._toc_entry(h) for h in self.toc_headings if h.level <= depth]
        begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                 f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if not entries:
            return f"<w:p>{begin}{end}</w:p>"
        # the field opens in the first entry's paragraph and closes in the last one's: no empty
        # paragraphs around the list, which would push a full TOC onto a second page
        entries[0] = entries[0].replace("<w:r>", begin + "<w:r>", 1) if "<w:r>" in entries[0] else entries[0]
        entries[-1] = entries[-1][:-len("</w:p>")] + end + "</w:p>"
        return "".join(entries)

    def _toc_entry(self, heading: Heading) -> str:
        runs = wordml.run(heading.text)
        page = self.toc_pages.get(heading.text)
        if page is not None:
            runs += "<w:r><w:tab/></w:r>" + wordml.run(str(page))
        style = self.style_ids.get(f"TOC {heading.level}", "TOC1")
        return wordml.paragraph(style_id=style, runs=runs)

    def diagram(self, d: Diagram) -> None:
        png = solution_diagram([(label, list(products)) for label, products in d.rows], primary=self.primary,
                               accent=self.accent)
        if png is None:  # no CJK font on this machine: the table after it says the same
            return
        self.figure(d.caption, png)

    def architecture(self, a: Architecture) -> None:
        png = architecture_diagram(a, primary=self.primary, accent=self.accent, light=self.light)
        if png is None:  # no CJK font on this machine: the table after it says the same
            return
        self.figure(a.caption, png)

    def figure(self, caption: str, png: bytes) -> None:
        """The caption kept with the picture under it; the picture, in the Caption style too, lets go
        of what follows (kept with the table after it, the figure moved with it and left 114's page 6
        62% blank)."""
        px_w, px_h = struct.unpack(">II", png[16:24])
        self.make_room(CAPTION_LINES + self.width * px_h / max(px_w, 1) / LINE_EMU)
        self.para(caption, STYLE["caption"], keep_next=True)
        self.para(style=STYLE["caption"], runs=self.package.picture(png, self.width), free=True)

    # --- tables -------------------------------------------------------------------------------

    def _widths(self, relative: tuple[float, ...]) -> list[int]:
        total = sum(relative)
        return [round(int(self.width * w / total) / EMU_PER_TWIP) for w in relative]

    def _cell(self, text: str, style: str, fill: str | None = None, *, keep_next: bool = False,
              span: int = 1, align: str | None = None) -> wordml.Cell:
        """A cell of one paragraph per line of ``text``."""
        lines = text.split("\n")
        return wordml.Cell("".join(self.paragraph(line, style, keep_next=keep_next, align=align) for line in lines),
                           fill, span)

    def table_widths(self, t: Table) -> list[int]:
        """The columns' widths in twips: the table's proportions, widened where a short label or an
        amount would otherwise wrap ("集团信息/机")."""
        minimum = []
        for col in range(len(t.widths)):
            texts = [t.header[col]] + [row[col] for row in t.rows if col < len(row)]
            lines = [line for text in texts for line in text.split("\n")]
            short = [text_twips(line) for line in lines if text_twips(line) <= SHORT_CELL]
            minimum.append(max(short, default=0) + CELL_PADDING)
        amounts = {i for i, a in enumerate(t.align) if a == "r"}
        widths = fit_widths(t.widths, round(self.width / EMU_PER_TWIP), minimum, amounts)
        widths = give_room(widths, minimum, [all(text_twips(line) <= SHORT_CELL for text in
                                                 [t.header[col]] + [row[col] for row in t.rows if col < len(row)]
                                                 for line in text.split("\n")) for col in range(len(widths))])
        # a label kept on one line is worth a line, not a page: when the table's own proportions
        # make it shorter, they win (the plan's phase names, kept whole, squeezed its work
        # column to a quarter of the page: 48 lines instead of 36, and a page half blank before it);
        # an amount is never let wrap ("¥2,495.0/0")
        plain = self._widths(t.widths)
        if not any(plain[i] < minimum[i] for i in amounts):
            fitted, proportional = sum(self.row_lines(t, widths)), sum(self.row_lines(t, plain))
            widths = plain if proportional < fitted else widths
        # only in tables read as one piece (the quote's, the specs'): in a long text table the estimate's
        # error over many rows outweighed the lone character (221's 异议与应答 grew a page)
        return self.unorphaned(t, widths, amounts) if t.keep else widths

    def orphans(self, t: Table, widths: list[int]) -> list[tuple[int, int]]:
        """(column, twips its cell lacks) of each cell line whose last wrapped line would hold
        only a character or two (a lone "）" or "入" under a full line), a third of a character of
        margin included: the estimate is close, and Word sets CJK text a little wider than it."""
        found = []
        for row in (t.header, *t.rows):
            for c, text in enumerate(row[:len(widths)]):
                room = max(widths[c] - CELL_PADDING, CJK_TWIPS)
                for line in text.split("\n"):
                    if not any(is_cjk(ch) for ch in line):
                        continue  # an amount or a code: its column's minimum keeps it whole
                    width = text_twips(line) + CJK_TWIPS // 3
                    k = -(-width // room)
                    last = width - (k - 1) * room
                    if k > 1 and last <= ORPHAN_TWIPS:
                        found.append((c, -(-last // (k - 1))))
        return found

    def unorphaned(self, t: Table, widths: list[int], amounts: set[int]) -> list[int]:
        """The widths, a column widened by what a line of its lacks (taken from the column with the
        most room to spare) wherever that pulls a lone character back up without making the table
        taller or any cell of the column giving the width a line longer."""
        widths = list(widths)
        for _ in range(len(widths) * 2):
            found = self.orphans(t, widths)
            lines = sum(self.row_lines(t, widths))
            best = None
            for c, need in sorted(found, key=lambda f: f[1]):
                for d in range(len(widths)):
                    if d == c or widths[d] - need < 2 * CJK_TWIPS + CELL_PADDING:
                        continue
                    trial = list(widths)
                    trial[c] += need
                    trial[d] -= need
                    if any(self.lines(row[d], trial[d]) > self.lines(row[d], widths[d])
                           for row in (t.header, *t.rows) if d < len(row)):
                        continue  # a cell of the giving column would take a line more ("谭惜价（决策者）")
                    if sum(self.row_lines(t, trial)) > lines or len(self.orphans(t, trial)) >= len(found):
                        continue
                    spare = widths[d] - max(text_twips(x) for row in (t.header, *t.rows) if d < len(row)
                                            for x in row[d].split("\n"))
                    if best is None or spare > best[0]:
                        best = (spare, trial)
                if best is not None:
                    break
            if best is None:
                break
            widths = best[1]
        return widths

    def row_lines(self, t: Table, widths: list[int]) -> list[int]:
        """Each row's height in lines of Table Text (header first): its tallest cell, each of its
        lines wrapped at the column's width."""
        return [max((self.lines(text, widths[c]) for c, text in enumerate(row) if c < len(widths)), default=1)
                for row in (t.header, *t.rows)]

    def table(self, t: Table) -> None:
        n = len(t.rows) + 1
        widths = self.table_widths(t)
        heights = self.row_lines(t, widths)
        tall = frozenset(r for r, h in enumerate(heights) if r and h > TALL_ROW_LINES)
        whole = (t.keep and sum(heights) <= MONEY_WHOLE_LINES) or (n <= KEEP_WHOLE_ROWS and sum(heights) <= KEEP_WHOLE_LINES)
        # keepNext on every paragraph of a row binds it to the next row: the whole table, or its
        # head (header and first two rows; outside a money table the first alone when it is taller
        # than HEAD_ROW_LINES) and its tail (last three rows); a tall row binds to nothing after it,
        # and the header to the first row only when that is tall
        kept = set(range(n - 1)) if whole else ({0} | ({1} if t.keep or all(h <= HEAD_ROW_LINES for h in heights[1:2]) else set())
                                                 | {n - 3, n - 2}) - tall
        head = next((r for r in range(n) if r not in kept), n - 1) + 1  # the rows bound to the caption
        # a tall row may break across pages: only its first lines are bound
        self.make_room((CAPTION_LINES if t.caption else 0)
                       + sum(min(h, 2) if r in tall and not t.keep else h for r, h in enumerate(heights[:head])))
        if t.caption:
            self.para(t.caption, STYLE["caption"], keep_next=True)
        if t.with_next:  # the last row binds to the spacer, the spacer to the next table's caption
            kept.add(n - 1)
        align = [t.align[i] if i < len(t.align) else None for i in range(len(t.header))]
        rows = [[self._cell(text, STYLE["table_header"], self.primary, keep_next=0 in kept) for text in t.header]]
        rows += [[self._cell(text, STYLE["table_text"], keep_next=r in kept, align=align[c])
                  for c, text in enumerate(values)] for r, values in enumerate(t.rows, 1)]
        self.parts.append(wordml.table(rows, widths, self.style_ids["Table Grid"], header_rows=1,
                                       splittable=frozenset() if t.keep else tall))
        tail = max((r for r in range(n) if r not in kept), default=-1) + 1  # the rows bound to the spacer
        if tail:
            self.bind(0, False)
        self.bind(sum(heights[tail:]), t.with_next)
        # the spacer binds the table to the next one's caption (a product's spec and its tariff) and
        # lets go of it when the two would be too tall a chain
        self.para("", STYLE["note"], keep_next=t.with_next, soft=True)

    def card(self, card: Card) -> None:
        """A case card: rows never break and the title row keeps with the client's facts. A card
        up to half a page tall is kept on one page (split, it left its repeated title and a few
        rows on the next page and a gap on this one); a taller one keeps its head (title and
        three rows) and its tail (the client's words and the results) together and may continue
        between them on the next page under its repeated title, as a long table does: kept whole
        it moved as one block of two thirds of a page and left the page before it half empty."""
        title = (self.paragraph(card.title, STYLE["card_title"], keep_next=True)
                 + self.paragraph(card.subtitle, STYLE["table_text"], keep_next=True))
        widths = self._widths((1.2, 6.0))
        n = len(card.fields) + 2  # the title row, the fields, the results
        height = self.card_lines(card, widths)
        if height <= CARD_WHOLE_LINES:
            kept = set(range(n - 1))
            self.make_room(height)
        else:
            kept = set(range(min(CARD_HEAD_ROWS, n - 1))) | {n - 2}
            self.make_room(self.card_lines(replace(card, fields=card.fields[:CARD_HEAD_ROWS], bullets=()), widths))
        rows = [[wordml.Cell(title, CARD_FILL, span=2)]]
        for r, (label, value) in enumerate(card.fields, 1):
            rows.append([self._cell(label, STYLE["table_text"], CARD_FILL, keep_next=r in kept),
                         self._cell(value, STYLE["table_text"], keep_next=r in kept)])
        results = "".join(self.paragraph("✔ " + result, STYLE["table_text"]) for result in card.bullets)
        rows.append([self._cell("实施成效", STYLE["table_text"], CARD_FILL), wordml.Cell(results)])
        self.parts.append(wordml.table(rows, widths, self.style_ids["Table Grid"], header_rows=1))
        self.bind(0, False)
        self.para("", STYLE["note"])

    def card_lines(self, card: Card, widths: list[int]) -> int:
        """The card's height in lines of Table Text: the title (12 pt, a line and a half with its
        spacing) and subtitle, each field's taller cell, the results."""
        total = sum(widths)
        height = self.lines(card.title, total, CARD_TITLE_SCALE) * 3 // 2 + 1 + self.lines(card.subtitle, total)
        height += sum(max(self.lines(label, widths[0]), self.lines(value, widths[1])) for label, value in card.fields)
        return height + sum(self.lines("✔ " + result, widths[1]) for result in card.bullets)


__all__ = ["render"]
