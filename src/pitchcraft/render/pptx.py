"""Proposal slides -> a PowerPoint deck built on the brand's reference .pptx and its layouts.

Each kind of slide has a designed layout in the reference deck, looked up by name; the slide's
content is laid into the layout's named panels ("Panel ...") as native preset shapes, lines and
text filled with the theme's colours (a:schemeClr) and written in its fonts (+mn-ea), and charts
in its accent colours: a company restyles the pitch by editing the reference's theme, not code.
Text is measured (render/fit.py) and set at the largest size that fits its box; nothing is cut.
"""

from __future__ import annotations

import math
import unicodedata
from copy import deepcopy
from pathlib import Path

from lxml import etree

from ..compose import Chart, Proposal, Slide
from ..compose.slides import quoted
from ..errors import RenderError
from . import fit
from .chartxml import ChartParts
from .deckpkg import P_NS as _P_NS, DeckPackage
from .opc import A_NS
from .xmltext import escape

_NS = {"a": A_NS, "p": _P_NS}


def qn(tag: str) -> str:
    """"a:p" -> "{drawingml namespace}p"."""
    prefix, _, name = tag.partition(":")
    return f"{{{_NS[prefix]}}}{name}"


# slide kind -> the reference deck's layout; a designed layout a brand's older reference lacks is
# replaced by "Title Only", with the panels drawn on the slide instead (same geometry, theme colours)
LAYOUTS = {
    "title": "Title Slide",
    "figures": "Big Number",
    "needs": "Need Cards",
    "answer": "Pain and Answer",
    "architecture": "Architecture",
    "case": "Case Figures",
    "investment": "Investment",
    "next_steps": "Next Steps",
    "closing": "Section Header",
}
REQUIRED = ("Title Slide", "Title Only", "Section Header")
FALLBACK = "Title Only"
EMU_PT = 12700
# the needs slide: the largest size of the client's words on a card, and the card's foot (its status)
NEEDS_SIZE, NEEDS_FOOT = 22, 457200
# The needs slide's quotes: whole while they fit at NEEDS_READABLE pt or more, else each shortened at
# the client's clause ends to the first of these lengths at which every card holds them
NEEDS_READABLE = 14
NEEDS_LIMITS = (None, 56, 44, 34, 26, 18)
_TOP, _BOTTOM, _MARGIN = 1463040, 6126480, 609600  # the designed layouts' content frame (16:9)
# panel name -> (x, y, cx, cy, fill) on a 12192000 x 6858000 slide, as tools/build_reference_templates.py
# draws them; used only when the reference lacks the designed layout
DEFAULT_PANELS = {
    "Big Number": {"Panel Figures": (0, _TOP + 182880, 12192000, 2743200, "lt2")},
    "Need Cards": {},
    "Pain and Answer": {"Panel Words": (_MARGIN, _TOP, 4754880, _BOTTOM - _TOP, "lt2"),
                        "Panel Answer": (_MARGIN + 5074920, _TOP, 12192000 - 2 * _MARGIN - 5074920,
                                         _BOTTOM - _TOP, None)},
    "Architecture": {"Panel Canvas": (_MARGIN, _TOP, 12192000 - 2 * _MARGIN, _BOTTOM - _TOP, "lt2")},
    "Case Figures": {"Panel Client": (_MARGIN, _TOP, 3474720, _BOTTOM - _TOP, "accent1"),
                     "Panel Figures": (_MARGIN + 3794760, _TOP, 12192000 - 2 * _MARGIN - 3794760, _BOTTOM - _TOP, None)},
    "Investment": {"Panel Totals": (_MARGIN, _TOP, 3749040, _BOTTOM - _TOP, "dk2"),
                   "Panel Chart": (_MARGIN + 4069080, _TOP, 12192000 - 2 * _MARGIN - 4069080, _BOTTOM - _TOP, None)},
    "Next Steps": {"Panel Steps": (_MARGIN, _TOP, 12192000 - 2 * _MARGIN, 2926080, None),
                   "Panel Contact": (0, _TOP + 3200400, 12192000, _BOTTOM - _TOP - 3200400 + 91440, "accent1")},
}


# (reference file, its mtime and size) -> the title boxes and panels of its layouts: reading them is
# a walk over every layout's shapes, the same for every deck of a batch
_GEOMETRY: dict[tuple, tuple[dict, dict]] = {}


def render(proposal: Proposal, reference: Path) -> bytes:
    pkg = DeckPackage(reference)  # a broken reference: one Chinese message naming it
    missing = [name for name in REQUIRED if name not in pkg.layouts]
    if missing:
        raise RenderError(f"参考演示文稿 {reference} 缺少版式：{'、'.join(missing)}")
    try:
        stat = reference.stat()
        version = (str(reference), stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (str(reference), 0, 0)
    issuer_footer(pkg, f"{proposal.company} · {proposal.department}")
    deck = _Deck(pkg, _GEOMETRY.setdefault(version, ({}, {})))
    for slide in proposal.slides:
        deck.add(slide)
    deck.write_notes()
    return pkg.save(title=proposal.title, author=f"{proposal.company} {proposal.department}")


FOOTER_SHAPE = "Brand Footer"


def issuer_footer(pkg, text: str) -> None:
    """The issuer's line (catalog/company.yaml) in every shape named "Brand Footer" of the master
    and the layouts: the brand file styles the footer, the issuer data says what it reads. Its first
    run's look is kept; a long company name is set smaller (to 8 pt) to stay on one line, and a
    longer one wraps inside the box."""
    for sp, width, height in pkg.footers(FOOTER_SHAPE):
        body = sp.find(qn("p:txBody"))
        paragraphs = body.findall(qn("a:p"))
        first_run = next((r for p in paragraphs for r in p.findall(qn("a:r"))), None)
        rpr = first_run.find(qn("a:rPr")) if first_run is not None else None
        rpr = deepcopy(rpr) if rpr is not None else etree.SubElement(etree.Element(qn("a:r")), qn("a:rPr"))
        size = int(rpr.get("sz", "1000")) / 100
        fitted = size
        if width and height:
            fitted = _one_line(text, width, size, 8.0)
            if fit.text_em(text) * fitted > width / EMU_PT - 2 * fit.INSET_LR_PT:
                fitted = _fitted([text], width, height, fitted, floor=6)
        rpr.set("sz", str(int(fitted * 100)))
        ppr = paragraphs[0].find(qn("a:pPr")) if paragraphs else None
        for p in paragraphs:
            body.remove(p)
        p = etree.SubElement(body, qn("a:p"))
        if ppr is not None:
            p.append(deepcopy(ppr))
        r = etree.SubElement(p, qn("a:r"))
        r.append(rpr)
        etree.SubElement(r, qn("a:t")).text = text


class _Deck:
    def __init__(self, pkg, geometry: tuple[dict, dict]):
        self.pkg = pkg  # the reference deck as parts (render/deckpkg.py)
        colours = pkg.theme_colors
        self.accent1 = colours.get("accent1", "0066B3")
        self.accent2 = colours.get("accent2", "00A3E0")
        self.width = pkg.slide_width
        self.scale = pkg.slide_width / 12192000, pkg.slide_height / 6858000
        self.notes: list[tuple[object, str]] = []  # (slide, talk track), written at the end
        # layout name -> title box and size; layout -> its panels: read once per reference file
        self._titles, self._panels = geometry

    def add(self, spec: Slide) -> None:
        layout = LAYOUTS[spec.layout] if LAYOUTS[spec.layout] in self.pkg.layouts else FALLBACK
        self._slide(layout, spec)

    def _title_box(self, layout: str) -> tuple[int, int, float]:
        """Width, height and font size (pt) of a layout's title, as the slide inherits them."""
        if layout not in self._titles:
            ph = self.pkg.title_placeholder(layout)
            width, height, size = 10972800, 914400, 28.0
            if ph is not None:
                sp, ph_width, ph_height = ph
                width, height = ph_width or width, ph_height or height
                size = _level1_size(sp) or _master_title_size(self.pkg.master) or size
            self._titles[layout] = (width, height, size)
        return self._titles[layout]

    def panels(self, layout: str, wanted: str) -> dict[str, tuple[int, int, int, int]]:
        """The content panels of a designed layout, found by name on the layout; the defaults
        (to be drawn on the slide) when the reference lacks that layout."""
        key = layout if layout == wanted else f"{wanted}/fallback"
        if key not in self._panels:
            found = {}
            if layout == wanted:
                for name, (x, y, cx, cy) in self.pkg.panels(layout, "Panel ").items():
                    found[name] = (x, y, cx, cy, None)
            for name, (x, y, cx, cy, fill) in DEFAULT_PANELS.get(wanted, {}).items():
                if name not in found:
                    sx, sy = self.scale
                    found[name] = (int(x * sx), int(y * sy), int(cx * sx), int(cy * sy),
                                   fill if layout != wanted else None)
            self._panels[key] = found
        return self._panels[key]

    def _slide(self, layout: str, spec: Slide) -> None:
        slide, placeholders = self.pkg.add_slide(layout)

        def placeholder(*types: str):
            return next((sp for sp, kind in placeholders if kind in types), None)

        heading = placeholder("TITLE", "CENTER_TITLE")
        if heading is not None:
            width, height, size = self._title_box(layout)
            fitted = _fitted(spec.title.split("\n"), width, height, size)
            fitted = min(_no_widow(line, width, fitted, max(round(fitted * 0.7), 12)) for line in spec.title.split("\n"))
            _set_text(heading, _lines(spec.title), size=fitted)
        sub = placeholder("SUBTITLE", "BODY")
        if spec.layout == "title" and sub is not None:
            first, *rest = [line for line in spec.subtitle.split("\n") if line.strip()] or [""]
            _set_text(sub, [(None, first)] + [(1, line) for line in rest])  # the rest at the layout's level 2
        canvas = _Canvas(slide.tree)
        draw = getattr(self, f"_draw_{spec.layout}", None)
        if draw is not None:
            draw(slide, canvas, spec, self.panels(layout, LAYOUTS[spec.layout]))
        canvas.flush()
        # placeholders the slide does not use would show "click to add text" in PowerPoint
        for sp, _kind in placeholders:
            body = sp.find(qn("p:txBody"))
            if sp.tag == qn("p:sp") and not "".join(body.itertext() if body is not None else ()).strip():
                sp.getparent().remove(sp)
        if spec.notes:
            self.notes.append((slide, spec.notes))

    def write_notes(self) -> None:
        """Each slide's talk track on its notes page, made after the slides (as python-pptx numbers
        them when the notes are asked for at the end)."""
        for slide, text in self.notes:
            body = self.pkg.add_notes(slide)
            if body is not None:
                _set_text(body, _lines(text))

    def _chart(self, slide, chart: Chart, box) -> None:
        parts = ChartParts(chart, [self.accent1, self.accent2])
        self.pkg.add_chart(slide, parts.xml_bytes(None), parts.xlsx_blob, box[:4])

    # --- the designed slides: content laid into the layout's panels, in theme colours -------

    def _draw_figures(self, slide, cv: "_Canvas", spec: Slide, panels) -> None:
        x, y, w, h, fill = panels["Panel Figures"]
        if fill:
            cv.rect((x, y, w, h), fill)
        figures = spec.figures
        n = max(len(figures), 1)
        inner_x, inner_w = x + _MARGIN, w - 2 * _MARGIN if w > 4 * _MARGIN else w
        cell = inner_w // n
        for i, f in enumerate(figures):
            cx = inner_x + i * cell
            if i:
                cv.line(cx, y + h // 5, cx, y + h * 4 // 5, "accent1/30", 12700)
            icon = min(int(h * 0.22), cell // 3)
            _icon(cv, f.icon, (cx + (cell - icon) // 2, y + int(h * 0.1), icon, icon), "accent1")
            value_box = (cx, y + int(h * 0.36), cell, int(h * 0.32))
            size = _one_line(f.value, cell, 60, 24)
            cv.text(value_box, [_para(f.value, size, "accent1", bold=True, align="ctr")], anchor="ctr")
            cv.text((cx + cell // 12, y + int(h * 0.68), cell - cell // 6, int(h * 0.26)),
                    [_para(f.label, _fitted([f.label], cell - cell // 6, int(h * 0.26), 18, floor=12), "dk1",
                           align="ctr")], anchor="t")
        below = y + h + 182880
        if spec.caption:
            cv.text((x + _MARGIN, below, w - 2 * _MARGIN, 548640),
                    [_para(spec.caption, 16, "dk2", align="ctr")], anchor="ctr")
            below += 548640 + 91440
        self._area_tiles(cv, spec.cards, below)

    def _area_tiles(self, cv: "_Canvas", cards, top: int) -> None:
        """Under the big numbers, a tile per need area: its name, how many of the client's
        statements it holds and how many have an answer (the band alone left the lower third of
        the slide white)."""
        room = _BOTTOM - top
        if not cards or room < 640080:
            return
        n = len(cards)
        gap = 182880
        x, w = _MARGIN, self.width - 2 * _MARGIN
        tw = (w - gap * (n - 1)) // n
        th = min(room, 1097280)
        for i, (label, items) in enumerate(cards):
            tx = x + i * (tw + gap)
            answered = sum(1 for _s, ok in items if ok is True)  # a str: handed on, not answered
            line = f"{len(items)} 条，" + ("均有对应方案" if answered == len(items) else
                                          f"{answered} 条有对应方案" if answered else "待进一步沟通")
            lsize = _fitted([label], tw, th // 2, 20, floor=11)
            ssize = min(_fitted([line], tw, th // 2, 16, floor=9), lsize - 2)
            cv.shape("roundRect", (tx, top, tw, th), "lt1", line="accent1/40",
                     text=[_para(label, lsize, "dk2", bold=True, align="ctr"),
                           _para(line, ssize, "accent1" if answered else "dk1/60", align="ctr", before=4)],
                     inset=91440)
            cv.rect((tx + tw // 4, top, tw // 2, 45720), "accent1")

    def _draw_needs(self, slide, cv: "_Canvas", spec: Slide, _panels) -> None:
        """One card per need area, the full height of the content frame (cards as tall as their
        text left the lower half of the slide white): the client's words at the largest size that
        fits every card, and at the card's foot what became of them."""
        x, y, w, h = _MARGIN, _TOP, self.width - 2 * _MARGIN, _BOTTOM - _TOP
        cards = spec.cards
        gap = 182880
        n = max(len(cards), 1)
        cw = (w - gap * (n - 1)) // n
        head = 548640
        foot = NEEDS_FOOT
        inset = 118872
        body_h = h - head
        text_h = body_h - foot - 2 * inset
        # the client's words whole at the largest size down to NEEDS_READABLE; when not every card
        # holds them so, shortened at their own clause ends (quoted()), the least that fits
        for limit in NEEDS_LIMITS:
            said = [[(quoted(s, limit), ok) for s, ok in items] for _label, items in cards]
            texts = [[f"√\u3000“{s}”" + ("" if ok is True else f"（{_pending(ok)}）") for s, ok in items]
                     for items in said]
            size = min((_fitted(t, cw - 2 * inset, text_h, NEEDS_SIZE, floor=11, gap_em=0.5) for t in texts),
                       default=NEEDS_SIZE)
            if size >= NEEDS_READABLE and all(fit.largest_size(t, cw - 2 * inset, text_h, (size,), gap_em=0.5)
                                              for t in texts):
                break
        cards = [(label, items) for (label, _items), items in zip(cards, said)]
        for i, (label, items) in enumerate(cards):
            cx = x + i * (cw + gap)
            cv.rect((cx, y, cw, head), "accent1", text=[_para(label, 18, "lt1", bold=True, align="ctr")])
            paras = []
            for s, ok in items:
                # an ideographic space after the mark: after an ASCII one LibreOffice takes the opening
                # quote for Latin text (weak characters at a paragraph's start) and sets a gap after it;
                # a small one: the full-width quote brings its own half em
                runs = [("√" if ok is True else "—", size, "accent3" if ok is True else "dk1/50", True),
                        ("\u3000", round(size * 0.4, 1), "dk1", False),
                        (f"“{s}”", size, "dk1" if ok is True else "dk1/50", False)]
                if ok is not True:
                    runs.append((f"（{_pending(ok)}）", max(size - 3, 10), "dk1/50", False))
                paras.append(_runs(runs, before=size * 0.5 if paras else 0))
            cv.rect((cx, y + head, cw, body_h), "lt2", text=paras, anchor="t", inset=inset)
            # one handed on is still open, as the proposal's 待进一步沟通 and slide 2's title count it
            answered = sum(1 for _s, ok in items if ok is True)
            status = (f"{answered} 条有对应方案" if answered == len(items) else
                      f"{answered} 条有对应方案 · {len(items) - answered} 条待沟通" if answered else
                      f"{len(items)} 条待进一步沟通")
            fy = y + h - foot
            cv.line(cx + inset, fy, cx + cw - inset, fy, "accent1/30", 12700)
            ssize = _fitted([status], cw - 2 * inset, foot, 14, floor=9)
            cv.text((cx + inset, fy, cw - 2 * inset, foot),
                    [_para(status, ssize, "accent1" if answered else "dk1/60", bold=True)], anchor="ctr")

    def _draw_answer(self, slide, cv: "_Canvas", spec: Slide, panels) -> None:
        a = spec.answer
        wx, wy, ww, wh, wfill = panels["Panel Words"]
        if wfill:
            cv.rect((wx, wy, ww, wh), wfill)
        pad = 228600
        label = [(a.words_label, 12, "dk1/60", False)]
        if a.also_on:  # the same words as an earlier product slide's: said, not shown as new
            label.append((f"（与第 {a.also_on} 页同一件事）", 12, "accent1", True))
        cv.text((wx + pad, wy + 137160, ww - 2 * pad, 320040), [_runs(label)], anchor="t")
        if a.words_label == "您的原话":  # the big quotation mark only over the client's own words
            cv.text((wx + pad - 45720, wy + 320040, 914400, 777240), [_para("“", 72, "accent2", bold=True)],
                    anchor="t")
        quotes = [f"{q}" for q in a.quotes]
        tag_h = 365760 if a.area else 0
        qbox = (wx + pad, wy + 1051560, ww - 2 * pad, wh - 1051560 - pad - tag_h)
        size = _fitted(quotes, qbox[2], qbox[3], 26 if len(quotes) == 1 else 22, floor=12, gap_em=0.8)
        if a.area:
            tag_w = int((fit.text_em(a.area) * 12 + 30) * EMU_PT)
            cv.shape("roundRect", (wx + pad, wy + wh - pad - tag_h + 45720, tag_w, tag_h - 45720), "accent1/15",
                     text=[_para(a.area, 12, "accent1", bold=True, align="ctr")], inset=45720)
        cv.text(qbox, [_para(q, size, "dk1", before=size * 0.8 if i else 0) for i, q in enumerate(quotes)],
                anchor="t")
        ax, ay, aw, ah, afill = panels["Panel Answer"]
        if afill:
            cv.rect((ax, ay, aw, ah), afill)
        left = ax + 274320
        width = aw - 274320
        # the title says what the product does for the client; this line names it
        room = width / EMU_PT - 2 * fit.INSET_LR_PT
        label = next((s for s in (16, 14, 12) if fit.text_em(f"我们的做法　{a.product}") * s <= room), 10)
        cv.text((left, ay + 91440, width, 365760), [_runs([("我们的做法　", min(label, 12), "accent1", True),
                                                           (a.product, label, "dk2", True)])], anchor="t")
        sbox = (left, ay + 457200, width, 1097280)
        size = _fitted([a.summary], width, sbox[3], 22, floor=14)
        cv.text(sbox, [_para(a.summary, size, "dk2", bold=True)], anchor="t")
        price_h = 640080
        top = ay + 457200 + 1097280 + 91440
        room = ah - (top - ay) - price_h - 182880
        rows = max(len(a.points) + bool(a.option), 1)
        row_h = min(room // rows, 868680)
        psize = min((_fitted([p], width - 548640, row_h - 45720, 18, floor=11) for p in a.points), default=16)
        for i, point in enumerate(a.points):
            ry = top + i * row_h
            dot = 320040
            cv.shape("ellipse", (left, ry + (row_h - dot) // 2 - 22860, dot, dot), "accent1",
                     text=[_para("√", 14, "lt1", bold=True, align="ctr")], inset=0)
            cv.text((left + 457200, ry, width - 457200, row_h), [_para(point, psize, "dk1")], anchor="ctr")
        if a.option:  # another way to the same need, not priced: a muted note in the last row, no ✓
            ry = top + len(a.points) * row_h
            nsize = min(_fitted([a.option], width, row_h - 45720, 14, floor=10), psize)
            cv.text((left, ry, width, row_h), [_para(a.option, nsize, "dk1/60")], anchor="ctr")
        tag = (left, ay + ah - price_h, width, price_h)
        size = _fitted([a.price], width - 365760, price_h, 16, floor=10)
        cv.shape("roundRect", tag, "accent1/15", text=[_runs([("资费　", size, "accent1", True),
                                                              (a.price, size, "dk1", False)])], inset=91440)

    def _draw_architecture(self, slide, cv: "_Canvas", spec: Slide, panels) -> None:
        arch = spec.architecture
        x, y, w, h, fill = panels["Panel Canvas"]
        if fill:
            cv.rect((x, y, w, h), fill)
        label_w = 1188720
        pad = 137160
        left = x + label_w + pad
        right = x + w - pad
        inner = right - left
        rows = [("使用者", 0.17), ("平台与应用", 0.25), ("网络连接", 0.16), ("地点与终端", 0.30)]
        if not (arch.platforms or arch.outreach):
            rows[1] = ("平台与应用", 0.0)
        total = sum(r[1] for r in rows)
        gap = int(h * 0.035)
        usable = h - gap * (len([r for r in rows if r[1]]) + 1)
        boxes = {}
        cy = y + gap
        for label, share in rows:
            if not share:
                continue
            rh = int(usable * share / total)
            boxes[label] = (cy, rh)
            cv.text((x + pad, cy, label_w - pad, rh), [_para(label, 12, "dk1/60", bold=True)], anchor="ctr")
            cy += rh + gap
        # sites at the bottom: headquarters and up to three more, the rest counted
        sy, sh = boxes["地点与终端"]
        names = [label for label, _rest in arch.site_boxes()]  # as the proposal's figure names them
        drawn = len(names)
        sgap = 182880
        sw = (inner - sgap * (drawn - 1)) // drawn
        # one site is a box of its own size under the network, not a dark block across the slide
        x0 = left if drawn > 1 else left + (inner - min(sw, inner * 2 // 5)) // 2
        sw = sw if drawn > 1 else min(sw, inner * 2 // 5)
        devices = "、".join(arch.devices)
        ny, nh = boxes["网络连接"]
        line_y = ny + nh // 2
        icon = 320040
        name_x = 91440 + icon + 45720  # the site's name right of its icon, on one line: centred over
        # the whole box, "其余 11 个村（社区）" wrapped and ran over the icon
        # without devices to list the icon and the name sit in the middle of the box (at its top, they
        # left the lower two thirds of every box empty)
        top = sy + 91440 if devices else sy + (sh - icon) // 2
        for i, name in enumerate(names):
            bx = x0 + i * (sw + sgap)
            cv.line(bx + sw // 2, line_y, bx + sw // 2, sy, "accent1", 28575)
            cv.shape("roundRect", (bx, sy, sw, sh), "dk2" if i == 0 else "lt1", line=None if i == 0 else "accent1")
            _icon(cv, "building", (bx + 91440, top, icon, icon), "lt1" if i == 0 else "accent1/60",
                  "dk2" if i == 0 else "lt1")
            nw = sw - name_x - 45720
            cv.text((bx + name_x, top - 45720, nw, icon + 91440),
                    [_para(name, _one_line(name, nw, 16, 10), "lt1" if i == 0 else "dk2", bold=True, align="ctr")],
                    anchor="ctr")
            if devices:
                dy = sy + icon + 182880
                dsize = _fitted([devices], sw - 91440, sy + sh - dy - 45720, 13, floor=9)
                cv.text((bx + 45720, dy, sw - 91440, sy + sh - dy - 45720),
                        [_para(devices, dsize, "lt1" if i == 0 else "accent1", align="ctr")], anchor="t")
        # the network: one line, the connecting products on it
        cv.line(left, line_y, right, line_y, "accent1", 57150)
        links = list(arch.links) or ["运营商网络"]
        pill_w = min(inner // max(len(links), 1) - 91440, 2286000)
        pill_h = int(nh * 0.78)
        span = inner // len(links)
        for i, name in enumerate(links):
            px = left + i * span + (span - pill_w) // 2
            size = _fitted([name], pill_w, pill_h, 16, floor=9)
            cv.shape("roundRect", (px, line_y - pill_h // 2, pill_w, pill_h), "lt1", line="accent1",
                     text=[_para(name, size, "accent1", bold=True, align="ctr")], inset=27432)
        # platforms, and who uses them
        uy, uh = boxes["使用者"]
        users = [("管理层", "person"), (f"{arch.staff} {arch.employees:,} 人" if arch.employees else arch.staff, "person")]
        if arch.outreach:
            users.append((arch.served, "person"))
        # terminals carried by people or in vehicles stand with their users, not in the site boxes
        users += [(name, "phone") for name in arch.carried]
        if "平台与应用" in boxes:
            py, ph = boxes["平台与应用"]
            items = [(n, "accent1") for n in arch.platforms] + [(n, "accent2") for n in arch.outreach]
            cv.shape("roundRect", (left, py, inner, ph), "lt1", line="accent1/40")
            per = min(len(items), 5)
            lines = (len(items) + per - 1) // per
            iw = (inner - 182880) // per
            ih = (ph - 91440) // lines
            for j, (name, colour) in enumerate(items):
                col, ln = j % per, j // per
                bx = left + 91440 + col * iw + iw // 20
                by = py + 45720 + ln * ih + ih // 10
                size = _fitted([name], iw - iw // 10, ih - ih // 5, 16, floor=9)
                cv.shape("roundRect", (bx, by, iw - iw // 10, ih - ih // 5), colour,
                         text=[_para(name, size, "lt1", bold=True, align="ctr")], inset=27432)
            cv.line(left + inner // 2, py + ph, left + inner // 2, line_y, "accent1/60", 19050, dash=True)
            target = py
        else:
            target = line_y
        uw = inner // len(users)
        for i, (name, icon) in enumerate(users):
            ux = left + i * uw
            isz = min(uh - 91440, 457200)
            ix = ux + uw // 4
            _icon(cv, icon, (ix, uy + (uh - isz) // 2, isz, isz), "accent1")
            tx = ix + isz + 91440
            size = _fitted([name], ux + uw - tx, uh, 16, floor=11)
            cv.text((tx, uy, ux + uw - tx, uh), [_para(name, size, "dk2", bold=True)], anchor="ctr")
            cv.line(ix + isz // 2, uy + uh, ix + isz // 2, target, "accent1/60", 19050, dash=True)

    def _draw_case(self, slide, cv: "_Canvas", spec: Slide, panels) -> None:
        x, y, w, h, fill = panels["Panel Client"]
        if fill:
            cv.rect((x, y, w, h), fill)
        client, _, facts = spec.subtitle.partition("\n")
        pad = 228600
        cv.text((x + pad, y + 182880, w - 2 * pad, 320040), [_para("案例客户", 12, "lt1/70")], anchor="t")
        size = _no_widow(client, w - 2 * pad, _fitted([client], w - 2 * pad, 1463040, 24, floor=14), 14)
        cv.text((x + pad, y + 548640, w - 2 * pad, 1463040), [_para(client, size, "lt1", bold=True)], anchor="t")
        if facts:
            cv.text((x + pad, y + 2103120, w - 2 * pad, 914400), [_para(facts, 14, "lt1")], anchor="t")
        _icon(cv, "building", (x + pad, y + h - 1097280, 731520, 731520), "lt1/50", "accent1")
        fx, fy, fw, fh, ffill = panels["Panel Figures"]
        n = max(len(spec.figures), 1)
        row = fh // n
        for i, f in enumerate(spec.figures):
            ry = fy + i * row
            if i:
                cv.line(fx, ry, fx + fw, ry, "accent1/30", 12700)
            vw = int(fw * 0.46)
            size = _one_line(f.value, vw, 40, 18)
            cv.text((fx, ry, vw, row), [_para(f.value, size, "accent1", bold=True)], anchor="ctr")
            lsize = _fitted([f.label], fw - vw - 91440, row - 91440, 18, floor=11)
            cv.text((fx + vw + 91440, ry, fw - vw - 91440, row), [_para(f.label, lsize, "dk1")], anchor="ctr")

    def _draw_investment(self, slide, cv: "_Canvas", spec: Slide, panels) -> None:
        x, y, w, h, fill = panels["Panel Totals"]
        if fill:
            cv.rect((x, y, w, h), fill)
        pad = 274320
        n = max(len(spec.figures), 1)
        row = (h - 2 * pad) // n
        for i, f in enumerate(spec.figures):
            ry = y + pad + i * row
            cv.text((x + pad, ry, w - 2 * pad, row // 3), [_para(f.label, 14, "lt1/75")], anchor="b")
            size = _one_line(f.value, w - 2 * pad, 36 if i == 0 else 30, 16)
            cv.text((x + pad, ry + row // 3, w - 2 * pad, row * 2 // 3),
                    [_para(f.value, size, "lt1", bold=True)], anchor="t")
        cx, cy, cw, ch, cfill = panels["Panel Chart"]
        # the caption as tall as its lines (three or four at 12 pt, the budget and the lines to
        # confirm: in a box of one and a half it ran under the chart's legend and past the panel)
        caption_h = 457200
        if spec.caption:
            need = int(fit.text_height([spec.caption], 12, cw / EMU_PT) * EMU_PT) + 45720
            caption_h = min(max(caption_h, need), ch // 4)
        if spec.chart is not None:
            cv.flush()  # python-pptx numbers the chart's shape after the shapes already in the tree
            self._chart(slide, spec.chart, (cx, cy, cw, ch - caption_h))
            cv.renumber()
        elif spec.lines:  # one product: what its price is made of, item by item
            self._price_lines(cv, spec.lines, (cx, cy, cw, ch - caption_h - 91440))
        else:
            cv.shape("roundRect", (cx, cy, cw, ch - caption_h - 91440), "lt2",
                     text=[_para("本方案只含一项产品的费用，月费与一次性费用见左侧", 18, "dk2", align="ctr")])
        if spec.caption:
            size = _fitted([spec.caption], cw, caption_h, 12, floor=9)
            cv.text((cx, cy + ch - caption_h, cw, caption_h), [_para(spec.caption, size, "dk1/60")], anchor="ctr")

    def _price_lines(self, cv: "_Canvas", lines, box) -> None:
        """The items of a one-product quote on a light panel, a row each: the item and how it is
        counted on the left, what it adds on the right (the panel once held one sentence)."""
        x, y, w, h = box
        cv.shape("roundRect", (x, y, w, h), "lt2")
        pad = 228600
        head = 548640
        cv.text((x + pad, y + 91440, w - 2 * pad, head), [_para("费用构成", 16, "dk2", bold=True)], anchor="ctr")
        shown = lines[:6]
        row = min((h - head - 2 * pad) // max(len(shown), 1), 868680)
        amount_w = int(w * 0.34)
        for i, (item, count, amount) in enumerate(shown):
            ry = y + head + 91440 + i * row
            if i:
                cv.line(x + pad, ry, x + w - pad, ry, "accent1/30", 9525)
            iw = w - 2 * pad - amount_w
            isize = _fitted([item], iw, row * 3 // 5, 16, floor=10)
            cv.text((x + pad, ry, iw, row * 3 // 5), [_para(item, isize, "dk1", bold=True)], anchor="b")
            cv.text((x + pad, ry + row * 3 // 5, iw, row * 2 // 5), [_para(count, min(isize - 2, 12), "dk1/60")],
                    anchor="t")
            asize = _one_line(amount, amount_w, 18, 10)
            cv.text((x + w - pad - amount_w, ry, amount_w, row),
                    [_para(amount, asize, "accent1" if amount != "未计入" else "dk1/60", bold=True, align="r")],
                    anchor="ctr")

    def _draw_closing(self, slide, cv: "_Canvas", spec: Slide, _panels) -> None:
        """The thanks on the layout's brand panel; on the right, who to call, on a card as wide as
        the right side and set large (the contact in 16 pt under the thanks left the slide 70% white)."""
        lines = [t for t in spec.subtitle.split("\n") if t.strip()]
        x = int(5257800 * self.scale[0])
        w = self.width - x - _MARGIN
        top = int(1600200 * self.scale[1])
        cv.text((x, top, w, 640080), [_para("期待与贵单位进一步沟通", 28, "dk2", bold=True)], anchor="b")
        cv.rect((x, top + 731520, int(w * 0.18), 45720), "accent1")
        if not lines:
            return
        card = (x, top + 1005840, w, int(2651760 * self.scale[1]))
        cv.shape("roundRect", card, "lt2", line="accent1/30")
        icon = 731520
        _icon(cv, "phone", (x + 274320, card[1] + (card[3] - icon) // 2, icon, icon), "accent1", "lt1")
        tx = x + 274320 + icon + 274320
        tw = x + w - tx - 182880
        first = _fitted([lines[0]], tw, 640080, 24, floor=14)
        paras = [_para(lines[0], first, "dk2", bold=True)]
        paras += [_para(t, min(_fitted([t], tw, 548640, 20, floor=12), first), "dk1", before=10) for t in lines[1:]]
        cv.text((tx, card[1], tw, card[3]), paras, anchor="ctr")

    def _draw_next_steps(self, slide, cv: "_Canvas", spec: Slide, panels) -> None:
        x, y, w, h, _fill = panels["Panel Steps"]
        n = max(len(spec.steps), 1)
        arrow = 365760
        sw = (w - arrow * (n - 1)) // n
        for i, (when, what) in enumerate(spec.steps):
            sx = x + i * (sw + arrow)
            cv.shape("roundRect", (sx, y + 182880, sw, h - 182880), "lt2", line="accent1/40")
            dot = 640080
            cv.shape("ellipse", (sx + 182880, y + 365760, dot, dot), "accent1",
                     text=[_para(str(i + 1), 24, "lt1", bold=True, align="ctr")], inset=0)
            cv.text((sx + 182880 + dot + 137160, y + 365760, sw - dot - 457200, dot),
                    [_para(when, _no_widow(when, sw - dot - 457200, 18, 12), "accent1", bold=True)], anchor="ctr")
            size = _fitted([what], sw - 365760, h - 1371600, 18, floor=11)
            cv.text((sx + 182880, y + 1188720, sw - 365760, h - 1371600), [_para(what, size, "dk1")], anchor="t")
            if i < n - 1:
                cv.shape("rightArrow", (sx + sw + 64008, y + h // 2 - 91440, arrow - 128016, 365760), "accent2")
        bx, by, bw, bh, fill = panels["Panel Contact"]
        if fill:
            cv.rect((bx, by, bw, bh), fill)
        lines = [t for t in spec.subtitle.split("\n") if t.strip()]
        icon = min(bh // 2, 640080)
        _icon(cv, "phone", (_MARGIN, by + (bh - icon) // 2, icon, icon), "lt1", "accent1")
        paras = [_para(t, 24 if i == 0 else 16, "lt1", bold=i == 0) for i, t in enumerate(lines)]
        cv.text((_MARGIN + icon + 274320, by, bw - 2 * _MARGIN - icon, bh), paras, anchor="ctr")



# --- drawing: native preset shapes and text, written as DrawingML text ---------------------------

def _colour(spec: str) -> str:
    """A theme colour: "accent1", "accent1/30" (a tint, 30 % of the colour on white; for dk1, lt1:
    that share of opacity)."""
    name, _, pct = spec.partition("/")
    if not pct:
        return f'<a:schemeClr val="{name}"/>'
    share = int(pct) * 1000
    if name in ("dk1", "lt1", "tx1", "bg1"):
        return f'<a:schemeClr val="{name}"><a:alpha val="{share}"/></a:schemeClr>'
    return f'<a:schemeClr val="{name}"><a:lumMod val="{share}"/><a:lumOff val="{100000 - share}"/></a:schemeClr>'


def _runs(runs: list[tuple[str, float, str, bool]], *, align: str = "l", before: float = 0) -> str:
    """A paragraph of runs (text, size pt, theme colour, bold), in the theme's minor font."""
    spacing = f'<a:spcBef><a:spcPts val="{int(before * 100)}"/></a:spcBef>' if before else ""
    xml = [f'<a:p><a:pPr algn="{align}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>{spacing}<a:buNone/></a:pPr>']
    for text, size, colour, bold in runs:
        xml.append(f'<a:r><a:rPr lang="zh-CN" sz="{int(size * 100)}" b="{1 if bold else 0}" dirty="0">'
                   f'<a:solidFill>{_colour(colour)}</a:solidFill><a:latin typeface="+mn-lt"/>'
                   f'<a:ea typeface="+mn-ea"/></a:rPr><a:t>{escape(text)}</a:t></a:r>')
    return "".join(xml) + "</a:p>"


def _para(text: str, size: float, colour: str, *, bold: bool = False, align: str = "l", before: float = 0) -> str:
    return _runs([(text, size, colour, bold)], align=align, before=before)


def _fitted(paragraphs: list[str], width: int, height: int, size: float, *, floor: float = 12,
            gap_em: float = 0.0) -> float:
    """The largest size from ``size`` down to ``floor`` (2 pt steps, then 1) at which the text
    fits its box; the floor when nothing does."""
    sizes = []
    s = float(size)
    while s > floor:
        sizes.append(s)
        s -= 2 if s > 20 else 1
    sizes.append(float(floor))
    return fit.largest_size(paragraphs, width, height, tuple(sizes), gap_em=gap_em) or float(floor)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _pending(state) -> str:
    """What a needs card says of a statement with no answer: the words of the department it is
    handed to (a str), else 待进一步沟通."""
    return state if isinstance(state, str) else "待进一步沟通"


def _no_widow(text: str, width: int, size: float, floor: float) -> float:
    """``size`` or smaller (whole points, not below ``floor``) so that a wrapped text does not leave
    one or two characters alone on its last line ("惠州某县级融媒体中 / 心"). Lines are counted as
    LibreOffice and PowerPoint may set them: as measured or 5 % narrower."""
    # LibreOffice and WPS set a quarter em between CJK and Latin ("2026 年 12 月"): counted too
    total = fit.text_em(text) + 0.25 * sum(_is_wide(a) != _is_wide(b) for a, b in zip(text, text[1:])
                                           if not (a.isspace() or b.isspace()))

    def widow(s: float) -> bool:
        room = (width / EMU_PT - 2 * fit.INSET_LR_PT) / s
        for per_line in {math.floor(room * 0.95), math.floor(room)}:
            if per_line > 0 and total > per_line and 0 < total - per_line * math.floor(total / per_line) < 2.5:
                return True
        return False

    s = float(size)
    while widow(s) and s - 1 >= floor:
        s -= 1
    return s if not widow(s) else float(size)


def _one_line(text: str, width: int, size: float, floor: float) -> float:
    """The size (whole points, at most ``size``) at which a big bold figure stays on one line of its
    box; never below ``floor`` (the box then wraps it)."""
    usable = width / EMU_PT - 2 * fit.INSET_LR_PT
    # bold display figures: Latin digits and signs wider than body text, "→" set full width
    em = sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.68 for ch in text)
    return float(max(min(size, int(usable / max(em, 1) * 0.95)), floor))


class _Canvas:
    """Shapes for one slide, collected as XML and added to its shape tree in one parse."""

    def __init__(self, tree):
        self.tree = tree
        self.xml: list[str] = []
        self.renumber()

    def renumber(self) -> None:
        """Continue after the highest shape id now in the tree (a shape was added by python-pptx)."""
        self.next_id = max((int(i) for i in self.tree.xpath("//@id") if i.isdigit()), default=1) + 1

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def shape(self, geometry: str, box, fill: str | None, *, line: str | None = None, line_w: int = 12700,
              text: list[str] | None = None, anchor: str = "ctr", inset: int = 91440, dash: bool = False) -> None:
        x, y, cx, cy = (max(int(v), 0) for v in box)
        fill_xml = f"<a:solidFill>{_colour(fill)}</a:solidFill>" if fill else "<a:noFill/>"
        dash_xml = '<a:prstDash val="dash"/>' if dash else ""
        line_xml = (f'<a:ln w="{line_w}"><a:solidFill>{_colour(line)}</a:solidFill>{dash_xml}</a:ln>' if line
                    else "<a:ln><a:noFill/></a:ln>")
        paras = "".join(text) if text else "<a:p><a:endParaRPr lang=\"zh-CN\"/></a:p>"
        sid = self._id()
        self.xml.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{geometry} {sid}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
            f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>{fill_xml}{line_xml}</p:spPr>'
            f'<p:txBody><a:bodyPr wrap="square" lIns="{inset}" tIns="{inset // 2}" rIns="{inset}" '
            f'bIns="{inset // 2}" anchor="{anchor}" rtlCol="0"><a:noAutofit/></a:bodyPr><a:lstStyle/>{paras}'
            "</p:txBody></p:sp>")

    def rect(self, box, fill: str, **kw) -> None:
        self.shape("rect", box, fill, **kw)

    def text(self, box, paras: list[str], *, anchor: str = "t") -> None:
        self.shape("rect", box, None, text=paras, anchor=anchor, inset=91440)

    def line(self, ax: int, ay: int, bx: int, by: int, colour: str, width: int, *, dash: bool = False) -> None:
        flip = (' flipH="1"' if bx < ax else "") + (' flipV="1"' if by < ay else "")
        dash_xml = '<a:prstDash val="dash"/>' if dash else ""
        sid = self._id()
        self.xml.append(
            f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{sid}" name="Connector {sid}"/><p:cNvCxnSpPr/><p:nvPr/>'
            f'</p:nvCxnSpPr><p:spPr><a:xfrm{flip}><a:off x="{min(ax, bx)}" y="{min(ay, by)}"/>'
            f'<a:ext cx="{abs(bx - ax)}" cy="{abs(by - ay)}"/></a:xfrm><a:prstGeom prst="line"><a:avLst/>'
            f'</a:prstGeom><a:ln w="{width}"><a:solidFill>{_colour(colour)}</a:solidFill>{dash_xml}</a:ln>'
            "</p:spPr></p:cxnSp>")

    def flush(self) -> None:
        if self.xml:
            self.tree.extend(etree.fromstring(f'<p:spTree xmlns:p="{_P_NS}" xmlns:a="{A_NS}">{"".join(self.xml)}</p:spTree>'))
            self.xml = []


def _icon(cv: _Canvas, kind: str, box, colour: str, inner: str = "lt1") -> None:
    """A small pictogram from preset shapes: a person, a building, a speech bubble, a check, a
    phone, a grid of products; ``inner`` colours its windows, dots and screen."""
    x, y, s, _ = (int(v) for v in box)
    if kind == "person":
        cv.shape("ellipse", (x + s * 0.3, y, s * 0.4, s * 0.4), colour)
        cv.shape("round2SameRect", (x + s * 0.12, y + s * 0.46, s * 0.76, s * 0.54), colour)
    elif kind == "building":
        cv.shape("rect", (x + s * 0.15, y + s * 0.1, s * 0.7, s * 0.9), colour)
        for r in range(3):
            for c in range(2):
                cv.shape("rect", (x + s * (0.27 + c * 0.28), y + s * (0.22 + r * 0.22), s * 0.18, s * 0.12), inner)
    elif kind == "need":
        cv.shape("wedgeRoundRectCallout", (x, y + s * 0.1, s, s * 0.7), colour)
        for i in range(3):
            cv.shape("ellipse", (x + s * (0.2 + i * 0.22), y + s * 0.36, s * 0.14, s * 0.14), inner)
    elif kind == "check":
        cv.shape("ellipse", (x, y, s, s), colour, text=[_para("√", s / EMU_PT * 0.5, "lt1", bold=True, align="ctr")],
                 inset=0)
    elif kind == "phone":
        cv.shape("roundRect", (x + s * 0.25, y, s * 0.5, s), colour)
        cv.shape("rect", (x + s * 0.31, y + s * 0.12, s * 0.38, s * 0.66), inner)
    elif kind == "product":
        for r in range(2):
            for c in range(2):
                cv.shape("roundRect", (x + c * s * 0.52, y + r * s * 0.52, s * 0.46, s * 0.46), colour)


def _lines(text: str) -> list[tuple[None, str]]:
    """A text's lines as paragraphs, as python-pptx's ``text_frame.text`` splits them."""
    return [(None, line) for line in text.split("\n")]


def _set_text(sp, paragraphs: list[tuple[int | None, str]], size: float | None = None) -> None:
    """Replace a shape's paragraphs with ``(level, text)`` ones (level None: no paragraph properties).

    The same XML python-pptx writes for ``p.text``/``p.level``, written as text and parsed once per
    shape; python-pptx's element-by-element writing was most of a deck's rendering time.
    """
    body = sp.find(qn("p:txBody"))
    if body is None:  # as python-pptx adds one, before the shape's extensions
        body = etree.fromstring(f'<p:txBody xmlns:p="{_P_NS}" xmlns:a="{A_NS}"><a:bodyPr/><a:lstStyle/><a:p/></p:txBody>')
        ext = sp.find(qn("p:extLst"))
        ext.addprevious(body) if ext is not None else sp.append(body)
    for p in body.findall(qn("a:p")):
        body.remove(p)
    xml = []
    for level, text in paragraphs:
        props = "" if level is None else ("<a:pPr/>" if level == 0 else f'<a:pPr lvl="{int(level)}"/>')
        rpr = f'<a:rPr lang="zh-CN" sz="{int(size * 100)}" dirty="0"/>' if size else ""
        run = f"<a:r>{rpr}<a:t>{escape(text)}</a:t></a:r>" if text else ""
        xml.append(f"<a:p>{props}{run}</a:p>")
    body.extend(etree.fromstring(f'<a:txBody xmlns:a="{A_NS}">{"".join(xml)}</a:txBody>'))


def _level1_size(sp) -> float | None:
    """The first-level font size (pt) a placeholder's own list style sets, if any."""
    el = sp.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    return int(el.get("sz")) / 100 if el is not None and el.get("sz") else None


def _master_title_size(master) -> float | None:
    el = master.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    return int(el.get("sz")) / 100 if el is not None and el.get("sz") else None
