#!/usr/bin/env python
"""Build the brand reference documents in ``templates/``.

    python tools/build_reference_templates.py

writes ``templates/reference.docx`` and ``templates/reference.pptx``. The renderers open
these files and use their style names (Word) and slide layouts (PowerPoint); nothing else
in them is read. The output is deterministic: same script, same library versions, same
bytes (zip timestamps and core-property dates are fixed).

Both files start from the defaults that ship with python-docx / python-pptx and are changed
in place, so every built-in style and layout name the renderers know stays where it is.

Word (reference.docx)
    A4, margins 2.54 / 2.8 cm, empty body. Fonts are set by name on the document defaults and
    on every style we use (w:rFonts ascii/hAnsi + eastAsia); the theme font attributes
    (w:asciiTheme, ...) are removed from every style, since they override explicit names.
    Custom styles: "Body Text Indent CN", "Client Quote", "Cover Title", "Cover Subtitle",
    "Cover Meta", "Table Text", "Table Header", "Card Title", "Small Note" (paragraph) and
    "Brand Table" (table: header row shaded brand blue, white bold text, light banding).
    Header: company line, right aligned, with a rule under it. Footer: "第 X 页 / 共 Y 页"
    from PAGE / NUMPAGES fields. settings: w:updateFields so Word refreshes the TOC on open.

PowerPoint (reference.pptx)
    16:9 (12192000 x 6858000 EMU), no slides. Theme fonts Microsoft YaHei / 微软雅黑, brand
    colour scheme. Master: thin brand bar at the top, a "Brand Footer" text bottom left (the issuer; the
    renderer writes the one from catalog/company.yaml),
    title 28pt bold brand blue, body 18/16/14pt dark grey. The built-in layout names are
    python-pptx's defaults, every placeholder moved into the 16:9 frame; "Title Slide" puts the
    client's name large on white beside a brand panel with a drawn network, "Section Header" (the
    closing slide) a brand panel on the left. Added layouts, one per kind of slide the deck has:
    "Big Number", "Need Cards", "Pain and Answer", "Architecture", "Case Figures", "Investment",
    "Next Steps"; each is "Title Only" plus named panels ("Panel ...") into which the renderer lays
    its content. Decoration is filled with theme colours (a:schemeClr), so a brand that edits the
    theme restyles the layouts too. Shapes and fills only.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from lxml import etree

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

import pptx
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# ---------------------------------------------------------------------------------------------
# Brand palette (RRGGBB)
# ---------------------------------------------------------------------------------------------
PRIMARY = "0066B3"  # operator blue
ACCENT = "00A3E0"  # light blue
DARK = "1F1F1F"  # body text
BODY_GREY = "333333"  # slide body text
GREY = "666666"  # notes, header text
MUTED = "7F7F7F"  # slide footer text
LIGHT_BG = "F2F6FA"  # quote / banding background
NAVY = "003A70"  # dark variant of the primary (theme dk2)
RULE = "BFCAD6"  # table rules
THEME_COLOURS = {"accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "dk1", "dk2", "lt1", "lt2",
                 "tx1", "tx2", "bg1", "bg2"}

# The issuer as catalog/company.yaml names it: what the reference files show when opened on their
# own. A generated document writes its own issuer (the branch, from company.yaml) over both.
_ISSUER = yaml.safe_load((ROOT / "catalog" / "company.yaml").read_text(encoding="utf-8"))["company"]
COMPANY = _ISSUER["name"]
DEPARTMENT = _ISSUER["department"]
AUTHOR = DEPARTMENT
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)  # core-property dates: fixed for determinism
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Word fonts: (Latin, East Asian)
SONG = ("Times New Roman", "宋体")
HEI = ("Arial", "黑体")
KAI = ("Times New Roman", "楷体")

# ---------------------------------------------------------------------------------------------
# Word page geometry (twips). A4 = 11906 x 16838 twips.
# ---------------------------------------------------------------------------------------------
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TB = 1440  # 2.54 cm
MARGIN_LR = 1588  # 2.8 cm
TEXT_W = PAGE_W - 2 * MARGIN_LR  # 8730 twips = 15.4 cm

THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# =============================================================================================
# Word helpers (raw OOXML where python-docx has no API)
# =============================================================================================


def _el(tag: str, **attrs: str) -> etree._Element:
    e = docx.oxml.OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(k), v)
    return e


def _strip_theme_fonts(rfonts: etree._Element) -> None:
    for a in THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(a), None)


def _set_fonts(rpr, fonts: tuple[str, str]) -> None:
    latin, ea = fonts
    rf = rpr.get_or_add_rFonts()
    _strip_theme_fonts(rf)
    rf.set(qn("w:ascii"), latin)
    rf.set(qn("w:hAnsi"), latin)
    rf.set(qn("w:eastAsia"), ea)
    rf.set(qn("w:cs"), latin)


def _set_color(rpr, rgb: str | None) -> None:
    old = rpr.find(qn("w:color"))
    if old is not None:
        rpr.remove(old)
    if rgb is not None:
        rpr.get_or_add_color().set(qn("w:val"), rgb)


def _set_size(style, pt: float) -> None:
    style.font.size = Pt(pt)
    rpr = style.element.get_or_add_rPr()
    szcs = rpr.find(qn("w:szCs"))
    if szcs is None:
        szcs = _el("w:szCs")
        rpr.find(qn("w:sz")).addnext(szcs)
    szcs.set(qn("w:val"), str(int(round(pt * 2))))


def _set_bold(style, bold: bool | None) -> None:
    style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    _remove_children(rpr, "w:bCs")
    if bold is not None:
        rpr.find(qn("w:b")).addnext(_el("w:bCs", **({} if bold else {"w:val": "0"})))


def _remove_children(parent, *tags: str) -> None:
    if parent is None:
        return
    for tag in tags:
        for e in parent.findall(qn(tag)):
            parent.remove(e)


def _ind(style, *, first_line_chars: int | None = None, left_chars: int | None = None,
         size_pt: float = 12) -> None:
    """Indent in characters (Word: w:*Chars, 1/100 char) with the twip value as a fallback
    for readers that ignore the Chars attributes (LibreOffice 7.x)."""
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = ppr._add_ind()
    one_char = int(round(size_pt * 20))
    if first_line_chars is not None:
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
        ind.set(qn("w:firstLine"), str(first_line_chars * one_char))
    if left_chars is not None:
        ind.set(qn("w:leftChars"), str(left_chars * 100))
        ind.set(qn("w:left"), str(left_chars * one_char))


def _insert_ppr_child(ppr, child) -> None:
    """Insert ``child`` into w:pPr in schema order (python-docx knows the sequence)."""
    tag = child.tag.split("}")[1]
    order = [
        "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
        "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
        "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
        "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
        "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
        "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    ]
    _remove_children(ppr, "w:" + tag)
    pos = order.index(tag)
    for i, existing in enumerate(ppr):
        etag = existing.tag.split("}")[1]
        if etag in order and order.index(etag) > pos:
            existing.addprevious(child)
            return
    ppr.append(child)


def _border(side: str, color: str, sz: int, space: int) -> etree._Element:
    return _el(f"w:{side}", **{"w:val": "single", "w:sz": str(sz), "w:space": str(space),
                               "w:color": color})


def _tabs(*stops: tuple[str, int, str | None]) -> etree._Element:
    tabs = _el("w:tabs")
    for val, pos, leader in stops:
        attrs = {"w:val": val, "w:pos": str(pos)}
        if leader:
            attrs["w:leader"] = leader
        tabs.append(_el("w:tab", **attrs))
    return tabs


def configure(style, *, fonts, size=None, bold=None, italic=None, color=None, align=None,
              before=None, after=None, line=None, keep_next=None, page_break_before=None,
              outline=None, based_on=None, next_style=None) -> None:
    """Set the formatting of one paragraph style; ``None`` leaves a property alone."""
    if based_on is not None:
        style.base_style = based_on
    if next_style is not None:
        style.next_paragraph_style = next_style
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, fonts)
    if size is not None:
        _set_size(style, size)
    if bold is not None:
        _set_bold(style, bold)
    if italic is not None:
        style.font.italic = italic or None
        _remove_children(rpr, "w:iCs")
    _set_color(rpr, color)
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line  # float: multiple of single line
    if keep_next is not None:
        pf.keep_with_next = keep_next
    if page_break_before is not None:
        pf.page_break_before = page_break_before
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        _insert_ppr_child(ppr, _el("w:outlineLvl", **{"w:val": str(outline)}))


def mirror_linked_char_style(doc, para_style) -> None:
    """Give a paragraph style's linked character style ("Heading 1 Char", ...) the same run
    properties, so text formatted through the character style looks the same."""
    link = para_style.element.find(qn("w:link"))
    if link is None:
        return
    char_id = link.get(qn("w:val"))
    for s in doc.styles:
        if s.style_id == char_id and s.type == WD_STYLE_TYPE.CHARACTER:
            old = s.element.find(qn("w:rPr"))
            if old is not None:
                s.element.remove(old)
            new = para_style.element.find(qn("w:rPr"))
            if new is not None:
                s.element.append(copy.deepcopy(new))
            return


def add_paragraph_style(doc, name: str, *, based_on="Normal", next_style=None, priority=None):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[based_on]
    style.next_paragraph_style = doc.styles[next_style] if next_style else style
    style.quick_style = True
    if priority is not None:
        style.priority = priority
    return style


def add_toc_style(doc, name: str, style_id: str):
    """A built-in TOC level style ("TOC 1"...). Not in python-docx's default template, so
    written by hand with Word's styleId and the name python-docx looks up."""
    el = doc.styles.element
    st = _el("w:style", **{"w:type": "paragraph", "w:styleId": style_id})
    st.append(_el("w:name", **{"w:val": name}))
    st.append(_el("w:basedOn", **{"w:val": "Normal"}))
    st.append(_el("w:next", **{"w:val": "Normal"}))
    st.append(_el("w:uiPriority", **{"w:val": "39"}))
    st.append(_el("w:unhideWhenUsed"))
    el.append(st)
    return doc.styles[name]


# =============================================================================================
# reference.docx
# =============================================================================================


def _docx_theme(doc) -> None:
    """Brand colours and CJK fonts in the Word theme too (used by charts, the built-in
    'Accent 1' table styles and any style that still points at a theme colour)."""
    part = doc.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
    root = etree.fromstring(part.blob)
    _theme_colours(root)
    _theme_fonts(root, major=HEI, minor=SONG)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _doc_defaults(doc) -> None:
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, SONG)
    for tag, val in (("w:sz", "24"), ("w:szCs", "24")):
        e = rpr_default.find(qn(tag))
        e.set(qn("w:val"), val)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def _strip_all_theme_fonts(doc) -> None:
    for rf in doc.styles.element.iter(qn("w:rFonts")):
        _strip_theme_fonts(rf)
        if not any(k in rf.attrib for k in (qn("w:ascii"), qn("w:hAnsi"), qn("w:eastAsia"),
                                              qn("w:cs"))):
            rf.getparent().remove(rf)


def _brand_table_style(doc):
    style = doc.styles.add_style("Brand Table", WD_STYLE_TYPE.TABLE)
    st = style.element
    st.append(_el("w:basedOn", **{"w:val": "TableNormal"}))
    st.append(_el("w:uiPriority", **{"w:val": "59"}))
    st.append(_el("w:qFormat"))
    ppr = _el("w:pPr")
    ppr.append(_el("w:spacing", **{"w:after": "0", "w:line": "240", "w:lineRule": "auto"}))
    st.append(ppr)
    rpr = _el("w:rPr")
    rpr.append(_el("w:rFonts", **{"w:ascii": SONG[0], "w:hAnsi": SONG[0],
                                  "w:eastAsia": SONG[1], "w:cs": SONG[0]}))
    rpr.append(_el("w:sz", **{"w:val": "21"}))
    rpr.append(_el("w:szCs", **{"w:val": "21"}))
    st.append(rpr)
    tblpr = _el("w:tblPr")
    tblpr.append(_el("w:tblStyleRowBandSize", **{"w:val": "1"}))
    tblpr.append(_el("w:tblInd", **{"w:w": "0", "w:type": "dxa"}))
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_border(side, RULE, 4, 0))
    tblpr.append(borders)
    mar = _el("w:tblCellMar")
    for side, w in (("top", 57), ("left", 108), ("bottom", 57), ("right", 108)):
        mar.append(_el(f"w:{side}", **{"w:w": str(w), "w:type": "dxa"}))
    tblpr.append(mar)
    st.append(tblpr)
    tcpr = _el("w:tcPr")
    tcpr.append(_el("w:vAlign", **{"w:val": "center"}))
    st.append(tcpr)

    # Header row: brand blue, white bold 黑体, repeated on every page.
    first = _el("w:tblStylePr", **{"w:type": "firstRow"})
    fppr = _el("w:pPr")
    fppr.append(_el("w:jc", **{"w:val": "center"}))
    first.append(fppr)
    frpr = _el("w:rPr")
    frpr.append(_el("w:rFonts", **{"w:ascii": HEI[0], "w:hAnsi": HEI[0],
                                   "w:eastAsia": HEI[1], "w:cs": HEI[0]}))
    frpr.append(_el("w:b"))
    frpr.append(_el("w:bCs"))
    frpr.append(_el("w:color", **{"w:val": "FFFFFF"}))
    first.append(frpr)
    first.append(_el("w:tblPr"))
    ftrpr = _el("w:trPr")
    ftrpr.append(_el("w:tblHeader"))
    first.append(ftrpr)
    ftcpr = _el("w:tcPr")
    ftcpr.append(_el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": PRIMARY}))
    first.append(ftcpr)
    st.append(first)

    band = _el("w:tblStylePr", **{"w:type": "band1Horz"})
    band.append(_el("w:tblPr"))
    btcpr = _el("w:tcPr")
    btcpr.append(_el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": LIGHT_BG}))
    band.append(btcpr)
    st.append(band)
    return style


def _field(paragraph, instr: str, placeholder: str) -> None:
    """A complex field (begin / instrText / separate / cached result / end)."""
    def run():
        return paragraph.add_run()._r

    r = run()
    r.append(_el("w:fldChar", **{"w:fldCharType": "begin"}))
    r = run()
    it = _el("w:instrText")
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    it.text = f" {instr} "
    r.append(it)
    r = run()
    r.append(_el("w:fldChar", **{"w:fldCharType": "separate"}))
    paragraph.add_run(placeholder)
    r = run()
    r.append(_el("w:fldChar", **{"w:fldCharType": "end"}))


def _header_footer(doc) -> None:
    section = doc.sections[0]
    section.header_distance = Twips(851)  # 1.5 cm
    section.footer_distance = Twips(992)  # 1.75 cm

    hp = section.header.paragraphs[0]
    hp.style = doc.styles["Header"]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    pbdr = _el("w:pBdr")
    pbdr.append(_border("bottom", PRIMARY, 6, 1))
    _insert_ppr_child(hp._p.get_or_add_pPr(), pbdr)
    hp.add_run(f"{COMPANY} · {DEPARTMENT}")

    fp = section.footer.paragraphs[0]
    fp.style = doc.styles["Footer"]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("第 ")
    _field(fp, "PAGE", "1")
    fp.add_run(" 页 / 共 ")
    _field(fp, "NUMPAGES", "1")
    fp.add_run(" 页")


def _settings(doc) -> None:
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    _remove_children(settings, "w:updateFields")
    compat.addprevious(_el("w:updateFields", **{"w:val": "true"}))
    csc = settings.find(qn("w:characterSpacingControl"))
    if csc is not None:
        csc.set(qn("w:val"), "compressPunctuation")
    tfl = settings.find(qn("w:themeFontLang"))
    if tfl is not None:
        tfl.set(qn("w:eastAsia"), "zh-CN")


def _drop_rel(rels, reltype: str) -> None:
    for rId, rel in list(rels.items()):
        if rel.reltype == reltype:
            rels.pop(rId)


def build_docx() -> bytes:
    doc = docx.Document()
    S = doc.styles

    # -- page -------------------------------------------------------------------------------
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(PAGE_W), Twips(PAGE_H)
    sec.top_margin = sec.bottom_margin = Twips(MARGIN_TB)
    sec.left_margin = sec.right_margin = Twips(MARGIN_LR)
    sec.gutter = Twips(0)

    # -- defaults and theme -----------------------------------------------------------------
    _doc_defaults(doc)
    _strip_all_theme_fonts(doc)
    _docx_theme(doc)

    # -- built-in styles --------------------------------------------------------------------
    normal = S["Normal"]
    configure(normal, fonts=SONG, size=12, color=DARK, before=0, after=6, line=1.5)
    normal.paragraph_format.first_line_indent = None
    wc = _el("w:widowControl")
    _insert_ppr_child(normal.element.get_or_add_pPr(), wc)

    title = S["Title"]
    _remove_children(title.element.get_or_add_pPr(), "w:pBdr", "w:contextualSpacing")
    _remove_children(title.element.get_or_add_rPr(), "w:spacing")
    configure(title, fonts=HEI, size=26, bold=True, color=PRIMARY,
              align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=12, line=1.0)

    subtitle = S["Subtitle"]
    _remove_children(subtitle.element.get_or_add_pPr(), "w:numPr")
    _remove_children(subtitle.element.get_or_add_rPr(), "w:spacing")
    configure(subtitle, fonts=HEI, size=16, bold=False, italic=False, color=DARK,
              align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=12, line=1.0)

    h1, h2, h3 = S["Heading 1"], S["Heading 2"], S["Heading 3"]
    configure(h1, fonts=HEI, size=16, bold=True, color=PRIMARY, before=18, after=12, line=1.0,
              keep_next=True, page_break_before=False, outline=0)
    configure(h2, fonts=HEI, size=14, bold=True, color=DARK, before=12, after=6, line=1.0,
              keep_next=True, page_break_before=False, outline=1)
    configure(h3, fonts=HEI, size=12, bold=True, color=DARK, before=6, after=6, line=1.0,
              keep_next=True, page_break_before=False, outline=2)

    toc_heading = S["TOC Heading"]
    configure(toc_heading, fonts=HEI, size=16, bold=True, color=PRIMARY,
              align=WD_ALIGN_PARAGRAPH.CENTER, before=0, after=12, page_break_before=False)

    toc1 = add_toc_style(doc, "TOC 1", "TOC1")
    configure(toc1, fonts=HEI, size=12, bold=False, color=DARK, before=6, after=0, line=1.25)
    _insert_ppr_child(toc1.element.get_or_add_pPr(), _tabs(("right", TEXT_W, "dot")))
    toc2 = add_toc_style(doc, "TOC 2", "TOC2")
    configure(toc2, fonts=SONG, size=12, color=DARK, before=0, after=0, line=1.25)
    _insert_ppr_child(toc2.element.get_or_add_pPr(), _tabs(("right", TEXT_W, "dot")))
    _ind(toc2, left_chars=2)

    caption = S["Caption"]
    configure(caption, fonts=KAI, size=10.5, bold=False, color=DARK,
              align=WD_ALIGN_PARAGRAPH.CENTER, before=3, after=6, line=1.0, keep_next=True)

    list_bullet = S["List Bullet"]  # keeps numId 1 (bullet) from the default template
    configure(list_bullet, fonts=SONG)

    for name in ("Header", "Footer"):
        st = S[name]
        configure(st, fonts=SONG, size=9, color=GREY, before=0, after=0, line=1.0)
        _insert_ppr_child(st.element.get_or_add_pPr(),
                          _tabs(("center", TEXT_W // 2, None), ("right", TEXT_W, None)))

    for st in (caption, toc_heading):  # visible in Word's style gallery, not only when used
        _remove_children(st.element, "w:semiHidden")
    for st in (title, subtitle, h1, h2, h3, caption):
        mirror_linked_char_style(doc, st)
    for name in ("Header", "Footer"):
        mirror_linked_char_style(doc, S[name])

    # -- custom paragraph styles ------------------------------------------------------------
    body_indent = add_paragraph_style(doc, "Body Text Indent CN", priority=1)
    configure(body_indent, fonts=SONG)
    _ind(body_indent, first_line_chars=2)

    quote = add_paragraph_style(doc, "Client Quote", next_style="Body Text Indent CN",
                                priority=2)
    configure(quote, fonts=KAI, size=12, color=DARK, before=6, after=12, line=1.5)
    ppr = quote.element.get_or_add_pPr()
    pbdr = _el("w:pBdr")
    pbdr.append(_border("left", ACCENT, 24, 8))
    _insert_ppr_child(ppr, pbdr)
    _insert_ppr_child(ppr, _el("w:shd", **{"w:val": "clear", "w:color": "auto",
                                            "w:fill": LIGHT_BG}))
    _insert_ppr_child(ppr, _el("w:ind", **{"w:left": "480", "w:right": "240"}))

    cover_title = add_paragraph_style(doc, "Cover Title", priority=3)
    configure(cover_title, fonts=HEI, size=28, bold=True, color=PRIMARY,
              align=WD_ALIGN_PARAGRAPH.CENTER, before=120, after=24, line=1.0, keep_next=True)
    cover_sub = add_paragraph_style(doc, "Cover Subtitle", priority=3)
    configure(cover_sub, fonts=HEI, size=18, color=DARK, align=WD_ALIGN_PARAGRAPH.CENTER,
              before=0, after=12, line=1.0)
    cover_title.next_paragraph_style = cover_sub
    cover_meta = add_paragraph_style(doc, "Cover Meta", priority=3)
    configure(cover_meta, fonts=SONG, size=14, color=DARK, align=WD_ALIGN_PARAGRAPH.CENTER,
              before=0, after=6, line=1.0)

    table_text = add_paragraph_style(doc, "Table Text", priority=4)
    configure(table_text, fonts=SONG, size=10.5, color=DARK, before=0, after=0, line=1.0)
    table_header = add_paragraph_style(doc, "Table Header", based_on="Table Text", priority=4)
    configure(table_header, fonts=HEI, size=10.5, bold=True, color="FFFFFF",
              align=WD_ALIGN_PARAGRAPH.CENTER)
    card_title = add_paragraph_style(doc, "Card Title", priority=4)
    configure(card_title, fonts=HEI, size=12, bold=True, color=PRIMARY, before=6, after=3,
              line=1.0, keep_next=True)
    small_note = add_paragraph_style(doc, "Small Note", priority=5)
    configure(small_note, fonts=SONG, size=9, color=GREY, before=0, after=3, line=1.0)

    _brand_table_style(doc)

    # -- header / footer / settings / metadata ----------------------------------------------
    _header_footer(doc)
    _settings(doc)
    _drop_rel(doc.part.package.rels,
              "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail")
    _drop_rel(doc.part.rels,
              "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")
    cp = doc.core_properties
    cp.title = ""
    cp.subject = ""
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.comments = ""
    cp.keywords = ""
    cp.revision = 1
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# =============================================================================================
# Theme helpers (shared: DrawingML theme part of both files)
# =============================================================================================

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def _a(tag: str) -> str:
    return f"{{{A}}}{tag}"


def _p(tag: str) -> str:
    return f"{{{P}}}{tag}"


def _theme_colours(theme_root) -> None:
    scheme = theme_root.find(f".//{_a('clrScheme')}")
    scheme.set("name", "Pitchcraft")
    colours = {
        "dk1": DARK, "lt1": "FFFFFF", "dk2": NAVY, "lt2": LIGHT_BG,
        "accent1": PRIMARY, "accent2": ACCENT, "accent3": "8CC63F", "accent4": "F5A623",
        "accent5": "6D7B8A", "accent6": NAVY, "hlink": PRIMARY, "folHlink": "6D2C91",
    }
    for name, rgb in colours.items():
        slot = scheme.find(_a(name))
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, _a("srgbClr"), val=rgb)


def _theme_fonts(theme_root, *, major: tuple[str, str], minor: tuple[str, str]) -> None:
    scheme = theme_root.find(f".//{_a('fontScheme')}")
    scheme.set("name", "Pitchcraft")
    for tag, (latin, ea) in (("majorFont", major), ("minorFont", minor)):
        font = scheme.find(_a(tag))
        font.find(_a("latin")).set("typeface", latin)
        font.find(_a("ea")).set("typeface", ea)
        for f in font.findall(_a("font")):
            if f.get("script") == "Hans":
                f.set("typeface", ea)


# =============================================================================================
# reference.pptx
# =============================================================================================

SLIDE_W, SLIDE_H = 12192000, 6858000
OLD_W = 9144000
MARGIN_X = 609600  # 0.67 in
BAR_H = 91440  # 0.1 in
FOOTER_Y, FOOTER_H = 6309360, 365760
YAHEI = ("Microsoft YaHei", "微软雅黑")


def _xfrm(sp, x: int, y: int, cx: int, cy: int) -> None:
    sppr = sp.find(_p("spPr"))
    xfrm = sppr.find(_a("xfrm"))
    if xfrm is None:
        xfrm = etree.Element(_a("xfrm"))
        sppr.insert(0, xfrm)
    for child in list(xfrm):
        xfrm.remove(child)
    etree.SubElement(xfrm, _a("off"), x=str(x), y=str(y))
    etree.SubElement(xfrm, _a("ext"), cx=str(cx), cy=str(cy))


def _solid(parent, rgb: str):
    fill = etree.SubElement(parent, _a("solidFill"))
    etree.SubElement(fill, _a("srgbClr"), val=rgb)
    return fill


def _next_id(sptree) -> int:
    ids = [int(e.get("id")) for e in sptree.iter(_p("cNvPr"))]
    return max(ids) + 1


def _text(sptree, name: str, x: int, y: int, cx: int, cy: int, text: str, *, size: int,
          rgb: str, align: str = "l", bold: bool = False):
    sp = etree.Element(_p("sp"))
    nv = etree.SubElement(sp, _p("nvSpPr"))
    etree.SubElement(nv, _p("cNvPr"), id=str(_next_id(sptree)), name=name)
    etree.SubElement(nv, _p("cNvSpPr"), txBox="1")
    etree.SubElement(nv, _p("nvPr"), userDrawn="1")
    sppr = etree.SubElement(sp, _p("spPr"))
    xfrm = etree.SubElement(sppr, _a("xfrm"))
    etree.SubElement(xfrm, _a("off"), x=str(x), y=str(y))
    etree.SubElement(xfrm, _a("ext"), cx=str(cx), cy=str(cy))
    geom = etree.SubElement(sppr, _a("prstGeom"), prst="rect")
    etree.SubElement(geom, _a("avLst"))
    etree.SubElement(sppr, _a("noFill"))
    tx = etree.SubElement(sp, _p("txBody"))
    bp = etree.SubElement(tx, _a("bodyPr"), wrap="square", lIns="0", tIns="0", rIns="0",
                          bIns="0", rtlCol="0", anchor="ctr")
    etree.SubElement(bp, _a("noAutofit"))
    etree.SubElement(tx, _a("lstStyle"))
    para = etree.SubElement(tx, _a("p"))
    etree.SubElement(para, _a("pPr"), algn=align)
    run = etree.SubElement(para, _a("r"))
    rpr = etree.SubElement(run, _a("rPr"), lang="zh-CN", altLang="en-US", sz=str(size),
                           b="1" if bold else "0", dirty="0")
    _solid(rpr, rgb)
    etree.SubElement(rpr, _a("latin"), typeface="+mn-lt")
    etree.SubElement(rpr, _a("ea"), typeface="+mn-ea")
    etree.SubElement(run, _a("t")).text = text
    _append_behind(sptree, sp)
    return sp


def _append_behind(sptree, sp) -> None:
    """Insert after the existing non-placeholder shapes but before the first placeholder,
    so decoration stays behind the text."""
    first_ph = None
    for child in sptree:
        if child.tag == _p("sp") and child.find(f"{_p('nvSpPr')}/{_p('nvPr')}/{_p('ph')}") \
                is not None:
            first_ph = child
            break
    if first_ph is None:
        sptree.append(sp)
    else:
        first_ph.addprevious(sp)


def _ph_type(sp) -> tuple[str, int]:
    ph = sp.find(f"{_p('nvSpPr')}/{_p('nvPr')}/{_p('ph')}")
    return ph.get("type", "obj"), int(ph.get("idx", "0"))


def _placeholders(tree):
    for sp in tree.iter(_p("sp")):
        if sp.find(f"{_p('nvSpPr')}/{_p('nvPr')}/{_p('ph')}") is not None:
            yield sp


def _lvl_defrpr(lvl_ppr, *, size: int | None = None, rgb: str | None = None,
                bold: bool | None = None):
    """Set size / colour / bold on an a:lvlNpPr's a:defRPr (created if missing)."""
    defrpr = lvl_ppr.find(_a("defRPr"))
    if defrpr is None:
        defrpr = etree.SubElement(lvl_ppr, _a("defRPr"))
    if size is not None:
        defrpr.set("sz", str(size))
    if bold is not None:
        defrpr.set("b", "1" if bold else "0")
    if rgb is not None:  # RRGGBB, or a theme colour's name ("accent1"): the theme then restyles it
        for f in defrpr.findall(_a("solidFill")):
            defrpr.remove(f)
        fill = etree.Element(_a("solidFill"))
        etree.SubElement(fill, _a("schemeClr" if rgb in THEME_COLOURS else "srgbClr"), val=rgb)
        defrpr.insert(0, fill)  # a:ln would come first, none here
    return defrpr


def _lst_style(sp, levels: dict[int, dict]) -> None:
    """Replace a placeholder's a:lstStyle with the given levels:
    {1: dict(size=.., rgb=.., bold=.., algn=.., bullet=False, marL=0, indent=0)}."""
    tx = sp.find(_p("txBody"))
    old = tx.find(_a("lstStyle"))
    new = etree.Element(_a("lstStyle"))
    for n in sorted(levels):
        spec = levels[n]
        attrs = {}
        for key in ("marL", "indent", "algn"):
            if key in spec:
                attrs[key] = str(spec[key])
        lvl = etree.SubElement(new, _a(f"lvl{n}pPr"), **attrs)
        if spec.get("bullet") is False:
            etree.SubElement(lvl, _a("buNone"))
        _lvl_defrpr(lvl, size=spec.get("size"), rgb=spec.get("rgb"), bold=spec.get("bold"))
    old.addprevious(new)
    tx.remove(old)


def _body_pr(sp, **attrs: str) -> None:
    bp = sp.find(_p("txBody")).find(_a("bodyPr"))
    for k, v in attrs.items():
        bp.set(k, v)


def _pptx_theme(prs) -> None:
    part = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
    root = etree.fromstring(part.blob)
    root.set("name", "Pitchcraft")
    _theme_colours(root)
    _theme_fonts(root, major=YAHEI, minor=YAHEI)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _master(prs) -> None:
    master = prs.slide_master._element
    sptree = master.find(f"{_p('cSld')}/{_p('spTree')}")

    positions = {
        "title": (MARGIN_X, 320040, SLIDE_W - 2 * MARGIN_X, 914400),
        "body": (MARGIN_X, 1371600, SLIDE_W - 2 * MARGIN_X, 4663440),
        "ftr": (4343400, FOOTER_Y, 3505200, FOOTER_H),
        "dt": (7924800, FOOTER_Y, 2286000, FOOTER_H),
        "sldNum": (10287000, FOOTER_Y, SLIDE_W - MARGIN_X - 10287000, FOOTER_H),
    }
    for sp in _placeholders(sptree):
        kind, _ = _ph_type(sp)
        _xfrm(sp, *positions[kind])
        if kind in ("ftr", "dt", "sldNum"):
            for lvl in sp.find(_p("txBody")).find(_a("lstStyle")):
                _lvl_defrpr(lvl, size=1000, rgb=MUTED)
        if kind == "title":
            _body_pr(sp, anchor="ctr")

    _deco(sptree, "Brand Bar", "rect", 0, 0, SLIDE_W, BAR_H, fill="accent1")
    _text(sptree, "Brand Footer", MARGIN_X, FOOTER_Y, 3600000, FOOTER_H,
          f"{COMPANY} · {DEPARTMENT}", size=1000, rgb=MUTED)

    styles = master.find(_p("txStyles"))
    title_lvl = styles.find(f"{_p('titleStyle')}/{_a('lvl1pPr')}")
    title_lvl.set("algn", "l")
    _lvl_defrpr(title_lvl, size=2800, rgb="accent1", bold=True)  # slide titles follow the theme

    body = styles.find(_p("bodyStyle"))
    sizes = {1: 2200, 2: 1800, 3: 1600, 4: 1600, 5: 1600, 6: 1600, 7: 1600, 8: 1600, 9: 1600}
    for n, size in sizes.items():
        lvl = body.find(_a(f"lvl{n}pPr"))
        _lvl_defrpr(lvl, size=size, rgb=BODY_GREY)
        if n <= 2:
            # brand-coloured bullets on the first two levels; a:buClr precedes a:buFont
            bu_font = lvl.find(_a("buFont"))
            if bu_font is not None and lvl.find(_a("buClr")) is None:
                clr = etree.Element(_a("buClr"))
                etree.SubElement(clr, _a("schemeClr"), val="accent1")
                bu_font.addprevious(clr)
        # a little more leading for CJK text
        if lvl.find(_a("lnSpc")) is None:
            ln = etree.Element(_a("lnSpc"))
            etree.SubElement(ln, _a("spcPct"), val="110000")
            lvl.insert(0, ln)
    lvl1 = body.find(_a("lvl1pPr"))
    lvl1.set("marL", "285750")
    lvl1.set("indent", "-285750")


def _rescale_layout(layout_el) -> None:
    """Stretch every explicit placeholder position from 4:3 to 16:9 (x and width only)."""
    for sp in _placeholders(layout_el):
        xfrm = sp.find(f"{_p('spPr')}/{_a('xfrm')}")
        if xfrm is None:
            continue  # inherits from the master, already 16:9
        off, ext = xfrm.find(_a("off")), xfrm.find(_a("ext"))
        off.set("x", str(int(off.get("x")) * SLIDE_W // OLD_W))
        ext.set("cx", str(int(ext.get("cx")) * SLIDE_W // OLD_W))


def _section_header(layout_el) -> None:
    layout_el.set("showMasterSp", "0")
    sptree = layout_el.find(f"{_p('cSld')}/{_p('spTree')}")
    panel_w = 4572000
    _deco(sptree, "Section Panel", "rect", 0, 0, panel_w, SLIDE_H, fill="accent1")
    _deco(sptree, "Section Panel Accent", "rect", panel_w, 0, BAR_H, SLIDE_H, fill="accent2")
    _network_visual(sptree, 457200, 365760, panel_w - 914400, 1463040)
    _text(sptree, "Brand Footer", 457200, FOOTER_Y, panel_w - 914400, FOOTER_H,
          f"{COMPANY} · {DEPARTMENT}", size=1000, rgb="FFFFFF")
    for sp in _placeholders(sptree):
        kind, _ = _ph_type(sp)
        if kind == "title":
            _xfrm(sp, 457200, 2057400, panel_w - 914400, 2743200)
            _body_pr(sp, anchor="ctr")
            _lst_style(sp, {1: dict(algn="l", size=3200, rgb="FFFFFF", bold=True)})
        elif kind == "body":
            _xfrm(sp, panel_w + 685800, 2057400, SLIDE_W - panel_w - 685800 - MARGIN_X,
                  2743200)
            _body_pr(sp, anchor="ctr")
            _lst_style(sp, {
                1: dict(marL=0, indent=0, bullet=False, size=2000, rgb=BODY_GREY),
                2: dict(marL=0, indent=0, bullet=False, size=1600, rgb=GREY),
            })


def _strip_sizes(sp) -> None:
    """Drop the font sizes a layout placeholder sets for itself (python-pptx's default
    layouts use 24-32pt), so the master's 18/16/14pt body sizes apply."""
    lst = sp.find(f"{_p('txBody')}/{_a('lstStyle')}")
    if lst is None:
        return
    for defrpr in lst.iter(_a("defRPr")):
        defrpr.attrib.pop("sz", None)


# Content layouts re-placed on the master's 16:9 grid: idx -> (x, y, cx, cy).
_CONTENT_W = SLIDE_W - 2 * MARGIN_X  # 10972800
_GAP = 304800
_HALF_W = (_CONTENT_W - _GAP) // 2  # 5334000
_BODY_Y, _BODY_H = 1371600, 4663440  # master body frame: 1371600 .. 6035040
_HEAD_H = 548640
_CAPTION_W = 3840480
LAYOUT_FRAMES = {
    "Two Content": {
        1: (MARGIN_X, _BODY_Y, _HALF_W, _BODY_H),
        2: (MARGIN_X + _HALF_W + _GAP, _BODY_Y, _HALF_W, _BODY_H),
    },
    "Comparison": {
        1: (MARGIN_X, _BODY_Y, _HALF_W, _HEAD_H),
        2: (MARGIN_X, _BODY_Y + _HEAD_H + 45720, _HALF_W, _BODY_H - _HEAD_H - 45720),
        3: (MARGIN_X + _HALF_W + _GAP, _BODY_Y, _HALF_W, _HEAD_H),
        4: (MARGIN_X + _HALF_W + _GAP, _BODY_Y + _HEAD_H + 45720, _HALF_W,
            _BODY_H - _HEAD_H - 45720),
    },
    "Content with Caption": {
        0: (MARGIN_X, 457200, _CAPTION_W, 1005840),
        1: (MARGIN_X + _CAPTION_W + _GAP, 457200, _CONTENT_W - _CAPTION_W - _GAP,
            _BODY_Y + _BODY_H - 457200),
        2: (MARGIN_X, 1554480, _CAPTION_W, _BODY_Y + _BODY_H - 1554480),
    },
}


def _content_layout(layout_el, name: str) -> None:
    frames = LAYOUT_FRAMES.get(name, {})
    for sp in _placeholders(layout_el):
        kind, idx = _ph_type(sp)
        if idx in frames:
            _xfrm(sp, *frames[idx])
        if kind == "obj":  # content placeholders: master sizes
            _strip_sizes(sp)
        if name == "Comparison" and kind == "body":  # column headings
            _lst_style(sp, {1: dict(marL=0, indent=0, bullet=False, size=2000, bold=True,
                                    rgb="accent1")})


# =============================================================================================
# Designed layouts (the deck's slide kinds). Their panels are filled with theme colours
# (a:schemeClr), so a brand that changes the theme restyles them; the renderer lays its content
# into the panels it finds here by name ("Panel ...") and draws with the same theme colours.
# =============================================================================================

_TOP = 1463040            # below the title
_BOTTOM = 6126480         # above the footer line
_CONTENT_H = _BOTTOM - _TOP


def _scheme_fill(parent, scheme: str, alpha: int | None = None):
    fill = etree.SubElement(parent, _a("solidFill"))
    clr = etree.SubElement(fill, _a("schemeClr"), val=scheme)
    if alpha is not None:
        etree.SubElement(clr, _a("alpha"), val=str(alpha))
    return fill


def _deco(sptree, name: str, geom: str, x: int, y: int, cx: int, cy: int, *, fill: str | None,
          line: str | None = None, line_w: int = 12700, alpha: int | None = None):
    """A decoration shape filled (and/or outlined) with a theme colour, behind the placeholders."""
    sp = etree.Element(_p("sp"))
    nv = etree.SubElement(sp, _p("nvSpPr"))
    etree.SubElement(nv, _p("cNvPr"), id=str(_next_id(sptree)), name=name)
    etree.SubElement(nv, _p("cNvSpPr"))
    etree.SubElement(nv, _p("nvPr"), userDrawn="1")
    sppr = etree.SubElement(sp, _p("spPr"))
    xfrm = etree.SubElement(sppr, _a("xfrm"))
    etree.SubElement(xfrm, _a("off"), x=str(x), y=str(y))
    etree.SubElement(xfrm, _a("ext"), cx=str(cx), cy=str(cy))
    g = etree.SubElement(sppr, _a("prstGeom"), prst=geom)
    etree.SubElement(g, _a("avLst"))
    if fill is None:
        etree.SubElement(sppr, _a("noFill"))
    else:
        _scheme_fill(sppr, fill, alpha)
    ln = etree.SubElement(sppr, _a("ln"), w=str(line_w))
    if line is None:
        etree.SubElement(ln, _a("noFill"))
    else:
        _scheme_fill(ln, line)
    _append_behind(sptree, sp)
    return sp


def _network_visual(sptree, x0: int, y0: int, w: int, h: int) -> None:
    """The title slide's drawn picture: sites as nodes, the links between them, one hub."""
    nodes = [(0.50, 0.45, 0.16), (0.18, 0.20, 0.08), (0.82, 0.18, 0.07), (0.16, 0.74, 0.07),
             (0.80, 0.78, 0.09), (0.48, 0.90, 0.05), (0.92, 0.48, 0.05), (0.30, 0.47, 0.05)]
    hub = nodes[0]
    for i, (nx, ny, _r) in enumerate(nodes[1:], 1):
        ax, ay = x0 + int(hub[0] * w), y0 + int(hub[1] * h)
        bx, by = x0 + int(nx * w), y0 + int(ny * h)
        _line(sptree, f"Visual Link {i}", ax, ay, bx, by)
    for a, b in ((1, 7), (3, 7), (2, 6), (4, 6), (4, 5)):
        ax, ay = x0 + int(nodes[a][0] * w), y0 + int(nodes[a][1] * h)
        bx, by = x0 + int(nodes[b][0] * w), y0 + int(nodes[b][1] * h)
        _line(sptree, f"Visual Link {a}-{b}", ax, ay, bx, by)
    for i, (nx, ny, r) in enumerate(nodes):
        d = int(r * w)
        cx, cy = x0 + int(nx * w) - d // 2, y0 + int(ny * h) - d // 2
        _deco(sptree, f"Visual Node {i}", "ellipse", cx, cy, d, d,
              fill="lt1" if i == 0 else "accent2", line="lt1", line_w=28575)
    d = int(hub[2] * w * 0.45)
    _deco(sptree, "Visual Hub", "ellipse", x0 + int(hub[0] * w) - d // 2, y0 + int(hub[1] * h) - d // 2,
          d, d, fill="accent1")


def _line(sptree, name: str, ax: int, ay: int, bx: int, by: int) -> None:
    sp = etree.Element(_p("cxnSp"))
    nv = etree.SubElement(sp, _p("nvCxnSpPr"))
    etree.SubElement(nv, _p("cNvPr"), id=str(_next_id(sptree)), name=name)
    etree.SubElement(nv, _p("cNvCxnSpPr"))
    etree.SubElement(nv, _p("nvPr"), userDrawn="1")
    sppr = etree.SubElement(sp, _p("spPr"))
    attrs = {}
    if bx < ax:
        attrs["flipH"] = "1"
    if by < ay:
        attrs["flipV"] = "1"
    xfrm = etree.SubElement(sppr, _a("xfrm"), **attrs)
    etree.SubElement(xfrm, _a("off"), x=str(min(ax, bx)), y=str(min(ay, by)))
    etree.SubElement(xfrm, _a("ext"), cx=str(abs(bx - ax)), cy=str(abs(by - ay)))
    g = etree.SubElement(sppr, _a("prstGeom"), prst="line")
    etree.SubElement(g, _a("avLst"))
    ln = etree.SubElement(sppr, _a("ln"), w="22225")
    _scheme_fill(ln, "lt1", 70000)
    _append_behind(sptree, sp)


def _designed_title(layout_el) -> None:
    """Client name large on white, issuer and date under a short accent rule, the drawn network
    on a brand panel at the right."""
    layout_el.set("showMasterSp", "0")
    sptree = layout_el.find(f"{_p('cSld')}/{_p('spTree')}")
    panel_x = 7955280
    _deco(sptree, "Title Panel", "rect", panel_x, 0, SLIDE_W - panel_x, SLIDE_H, fill="accent1")
    _deco(sptree, "Title Panel Edge", "rect", panel_x - 91440, 0, 91440, SLIDE_H, fill="accent2")
    _network_visual(sptree, panel_x + 365760, 1005840, SLIDE_W - panel_x - 731520, 4846320)
    _deco(sptree, "Title Rule", "rect", MARGIN_X, 4160520, 1097280, 64008, fill="accent2")
    _deco(sptree, "Title Top Bar", "rect", 0, 0, panel_x - 91440, BAR_H, fill="accent1")
    for sp in _placeholders(sptree):
        kind, _ = _ph_type(sp)
        if kind == "ctrTitle":
            _xfrm(sp, MARGIN_X, 1188720, panel_x - MARGIN_X - 457200, 2834640)
            _body_pr(sp, anchor="b")
            _lst_style(sp, {1: dict(algn="l", size=4000, rgb=NAVY, bold=True)})
            _scheme_text_colour(sp, "dk2")
        elif kind == "subTitle":
            _xfrm(sp, MARGIN_X, 4389120, panel_x - MARGIN_X - 457200, 1554480)
            _body_pr(sp, anchor="t")
            _lst_style(sp, {
                1: dict(marL=0, indent=0, algn="l", bullet=False, size=2000, rgb=PRIMARY),
                2: dict(marL=0, indent=0, algn="l", bullet=False, size=1600, rgb=GREY),
            })
            _scheme_text_colour(sp, "accent1", level=1)


def _scheme_text_colour(sp, scheme: str, level: int = 1) -> None:
    """Point a placeholder level's text colour at the theme instead of a fixed RGB."""
    lvl = sp.find(f"{_p('txBody')}/{_a('lstStyle')}/{_a(f'lvl{level}pPr')}")
    defrpr = lvl.find(_a("defRPr"))
    for f in defrpr.findall(_a("solidFill")):
        defrpr.remove(f)
    fill = etree.Element(_a("solidFill"))
    etree.SubElement(fill, _a("schemeClr"), val=scheme)
    defrpr.insert(0, fill)


# name -> panels: (shape name, geometry, x, y, cx, cy, fill, line)
_HALF = (SLIDE_W - 2 * MARGIN_X - 365760) // 2
DESIGNED_LAYOUTS = {
    "Big Number": [
        ("Panel Figures", "rect", 0, _TOP + 182880, SLIDE_W, 2743200, "lt2", None),
    ],
    "Need Cards": [],
    "Pain and Answer": [
        ("Panel Words", "rect", MARGIN_X, _TOP, 4754880, _CONTENT_H, "lt2", None),
        ("Panel Answer", "rect", MARGIN_X + 4754880 + 320040, _TOP,
         SLIDE_W - 2 * MARGIN_X - 4754880 - 320040, _CONTENT_H, None, None),
        ("Answer Rule", "rect", MARGIN_X + 4754880 + 320040, _TOP, 54864, _CONTENT_H, "accent1", None),
    ],
    "Architecture": [
        ("Panel Canvas", "rect", MARGIN_X, _TOP, SLIDE_W - 2 * MARGIN_X, _CONTENT_H, "lt2", None),
    ],
    "Case Figures": [
        ("Panel Client", "rect", MARGIN_X, _TOP, 3474720, _CONTENT_H, "accent1", None),
        ("Panel Figures", "rect", MARGIN_X + 3474720 + 320040, _TOP,
         SLIDE_W - 2 * MARGIN_X - 3474720 - 320040, _CONTENT_H, None, None),
    ],
    "Investment": [
        ("Panel Totals", "rect", MARGIN_X, _TOP, 3749040, _CONTENT_H, "dk2", None),
        ("Panel Chart", "rect", MARGIN_X + 3749040 + 320040, _TOP,
         SLIDE_W - 2 * MARGIN_X - 3749040 - 320040, _CONTENT_H, None, None),
    ],
    "Next Steps": [
        ("Panel Steps", "rect", MARGIN_X, _TOP, SLIDE_W - 2 * MARGIN_X, 2926080, None, None),
        ("Panel Contact", "rect", 0, _TOP + 3200400, SLIDE_W, _BOTTOM - _TOP - 3200400 + 91440, "accent1", None),
    ],
}


def _add_designed_layouts(prs) -> None:
    """New layouts cloned from "Title Only" (title placeholder on the master's grid), each with
    its named panels; added to the master's layout list after the built-in ones."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.packuri import PackURI
    from pptx.parts.slide import SlideLayoutPart

    master_part = prs.slide_master.part
    base = next(layout for layout in prs.slide_layouts if layout.name == "Title Only")
    id_list = prs.slide_master._element.find(_p("sldLayoutIdLst"))
    next_id = max(int(e.get("id")) for e in id_list) + 1
    count = len(prs.slide_layouts)
    for name, panels in DESIGNED_LAYOUTS.items():
        count += 1
        el = copy.deepcopy(base._element)
        el.find(_p("cSld")).set("name", name)
        el.attrib.pop("type", None)
        el.set("userDrawn", "1")
        sptree = el.find(f"{_p('cSld')}/{_p('spTree')}")
        for shape_name, geom, x, y, cx, cy, fill, line in panels:
            _deco(sptree, shape_name, geom, x, y, cx, cy, fill=fill, line=line)
        part = SlideLayoutPart.load(PackURI(f"/ppt/slideLayouts/slideLayout{count}.xml"), base.part.content_type,
                                    master_part.package, etree.tostring(el))
        part.relate_to(master_part, RT.SLIDE_MASTER)
        rid = master_part.relate_to(part, RT.SLIDE_LAYOUT)
        entry = etree.SubElement(id_list, _p("sldLayoutId"), id=str(next_id))
        entry.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rid)
        next_id += 1


def build_pptx() -> bytes:
    prs = pptx.Presentation()
    pres = prs.part._element
    sldsz = pres.find(_p("sldSz"))
    sldsz.set("cx", str(SLIDE_W))
    sldsz.set("cy", str(SLIDE_H))
    sldsz.attrib.pop("type", None)

    _pptx_theme(prs)
    _master(prs)

    for layout in prs.slide_layouts:
        el = layout._element
        _rescale_layout(el)
        if layout.name == "Title Slide":
            _designed_title(el)
        elif layout.name == "Section Header":
            _section_header(el)
        else:
            _content_layout(el, layout.name)

    _add_designed_layouts(prs)

    # default text style: zh-CN so proofing tools and line breaking treat text as Chinese
    for defppr in pres.iter(_a("defPPr")):
        defppr.find(_a("defRPr")).set("lang", "zh-CN")

    # no slides in a reference deck (the default has none, but be explicit)
    assert len(prs.slides) == 0

    _drop_rel(prs.part.package._rels,
              "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail")
    _drop_rel(prs.part.rels,
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
              "printerSettings")

    cp = prs.core_properties
    cp.title = ""
    cp.subject = ""
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.comments = ""
    cp.keywords = ""
    cp.revision = 1
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME

    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# =============================================================================================
# output
# =============================================================================================


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and a stable member order (deterministic bytes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def main() -> int:
    docx_bytes = normalise_zip(build_docx())
    pptx_bytes = normalise_zip(build_pptx())
    write(TEMPLATES / "reference.docx", docx_bytes)
    write(TEMPLATES / "reference.pptx", pptx_bytes)
    for name in ("reference.docx", "reference.pptx"):
        print(f"wrote {(TEMPLATES / name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
