"""The Word proposal's pictures: the client's architecture, the cover, need areas → products.

Word has no native diagram that python-docx can write and that WPS and LibreOffice render alike, so
the diagram is a PNG drawn for this client with Pillow, in the brand's colours, with a CJK font found
on the machine (Noto Sans CJK, Source Han, SimHei, Microsoft YaHei …). Without such a font it
returns None and the proposal keeps its table, which says the same.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import struct
import zlib
from functools import lru_cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

from ..cache import code_digest, kept

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{w}.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-{w}.ttc",
    "/usr/share/fonts/opentype/source-han-sans/SourceHanSans-{w}.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc",
)


@lru_cache(maxsize=2)
def cjk_font(bold: bool) -> str | None:
    weight = "Bold" if bold else "Regular"
    for pattern in CANDIDATES:
        path = Path(pattern.format(w=weight))
        if path.is_file():
            return str(path)
    if shutil.which("fc-match"):
        import subprocess  # deferred: only where no known font path exists (a start-up cost otherwise)

        run = subprocess.run(["fc-match", "-f", "%{file}", f":lang=zh-cn{':bold' if bold else ''}"],
                             capture_output=True, text=True, timeout=10)
        if run.returncode == 0 and run.stdout and Path(run.stdout).is_file():
            return run.stdout
    return None


@lru_cache(maxsize=8)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """Loaded once per process: a CJK collection is tens of megabytes."""
    return ImageFont.truetype(path, size)


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i:i + 2], 16) for i in (0, 2, 4))


def solution_diagram(rows: list[tuple[str, list[str]]], primary: str = "0066B3", accent: str = "00A3E0",
                     light: str = "EAF2FA") -> bytes | None:
    """A PNG of the need areas and their products, or None when no CJK font is available."""
    bold_path, regular_path = cjk_font(True), cjk_font(False)
    if not rows or not bold_path or not regular_path:
        return None
    scale = 2  # drawn at twice the size, for a crisp print
    width, pad, row_h, gap = 1600 * scale // 2, 24, 96, 22
    label_w, arrow_w = 250, 70
    chips_left = pad + label_w + arrow_w + 20
    chips_w = width - chips_left - pad
    per_row = 3
    heights = [max(1, -(-len(products) // per_row)) * row_h for _label, products in rows]
    header_h = 56
    height = pad + header_h + sum(heights) + gap * (len(rows) - 1) + pad
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    bold = _font(bold_path, 30)
    regular = _font(regular_path, 26)
    head = _font(bold_path, 26)
    draw.text((pad + label_w / 2, pad + 18), "贵单位的需求", font=head, fill=_rgb(primary), anchor="mm")
    draw.text((chips_left + chips_w / 2, pad + 18), "我们的解决方案", font=head, fill=_rgb(primary), anchor="mm")
    y = pad + header_h
    for (label, products), h in zip(rows, heights):
        draw.rounded_rectangle((pad, y, pad + label_w, y + h - 8), radius=16, fill=_rgb(primary))
        draw.text((pad + label_w / 2, y + (h - 8) / 2), label, font=bold, fill="white", anchor="mm")
        mid = y + (h - 8) / 2
        ax = pad + label_w + 10
        draw.polygon([(ax, mid - 12), (ax + arrow_w - 28, mid - 12), (ax + arrow_w - 28, mid - 26),
                      (ax + arrow_w, mid), (ax + arrow_w - 28, mid + 26), (ax + arrow_w - 28, mid + 12),
                      (ax, mid + 12)], fill=_rgb(accent))
        cell_w = chips_w / per_row
        for j, name in enumerate(products):
            cx = chips_left + (j % per_row) * cell_w
            cy = y + (j // per_row) * row_h
            box = (cx + 8, cy + 6, cx + cell_w - 8, cy + row_h - 14)
            draw.rounded_rectangle(box, radius=14, fill=_rgb(light), outline=_rgb(primary), width=3)
            text = name if draw.textlength(name, font=regular) < cell_w - 30 else name[:9] + "…"
            draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), text, font=regular,
                      fill=_rgb(primary), anchor="mm")
        y += h + gap
    return png_bytes(img)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: float, max_lines: int = 3) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (CJK breaks anywhere), at most
    ``max_lines``; what does not fit ends the last line with an ellipsis."""
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width and line:
            lines.append(line)
            line = ch.lstrip()
        else:
            line += ch
    if line:
        lines.append(line)
    if len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-2]) > 2:  # no lone character on a line
        lines[-2], lines[-1] = lines[-2][:-1], lines[-2][-1] + lines[-1]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last + "…"]
    return lines


def architecture_diagram(a, primary: str = "0066B3", accent: str = "00A3E0", light: str = "EAF2FA",
                         grey: str = "F2F4F7") -> bytes | None:
    """A PNG of the client's architecture (:class:`pitchcraft.compose.Architecture`), top to bottom:
    the client's public and what reaches them, the platforms and who uses them, the lines, the
    headquarters and sites with their devices. None when no CJK font is available."""
    bold_path, regular_path = cjk_font(True), cjk_font(False)
    if not bold_path or not regular_path:
        return None
    width, pad, gap = 1200, 20, 16  # drawn for 16 cm: the smallest text prints at about 8 pt
    title_f, name_f, text_f, small_f = (_font(bold_path, 30), _font(bold_path, 28), _font(regular_path, 24),
                                        _font(regular_path, 22))
    P, A, L, G = _rgb(primary), _rgb(accent), _rgb(light), _rgb(grey)
    dark = (51, 51, 51)
    probe = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    inner = width - 2 * pad

    def card_block(items, label_of):
        """A grid of cards, two or three a row: the cards (name, text lines), per row, width, height."""
        per_row = min(3, max(2, len(items)))
        cw = (inner - 2 * gap - (per_row - 1) * gap) / per_row
        cards = [(name, _wrap(probe, label_of(what), small_f, cw - 28, 2)) for name, what in items]
        lines = max((len(ls) for _n, ls in cards), default=1)
        return cards, per_row, cw, 20 + 36 + lines * 30 + 16

    plan = []  # (kind, height), top to bottom
    if a.outreach:
        pub_cards, pub_n, pub_w, pub_h = card_block([(n, a.note(n)) for n in a.outreach], lambda what: what)
        plan.append(("public", 56 + -(-len(a.outreach) // pub_n) * (pub_h + gap) + 6))
        plan.append(("arrow", 44))
    if a.platforms:
        plat_cards, plat_n, plat_w, plat_h = card_block([(n, a.note(n)) for n in a.platforms],
                                                        lambda who: "使用：" + who)
        plan.append(("platforms", 56 + -(-len(a.platforms) // plat_n) * (plat_h + gap) + 6))
        plan.append(("arrow", 44))
    links = [(n, a.note(n)) for n in a.links] or [("移动网络", "员工手机、移动数据接入")]
    # terminals carried by people or in vehicles reach the network on the move: drawn on it, not in
    # every site's box
    links += [(n, a.note(n)) for n in getattr(a, "carried", ())]
    plan.append(("links", len(links) * 62 + 4))
    boxes = a.site_boxes()  # the sites as the deck's slide names them too
    box_w = (inner - (len(boxes) - 1) * gap) / len(boxes)
    dev_text = _wrap(probe, "终端：" + "、".join(["员工手机", *a.devices]), small_f, box_w - 28, 3)
    box_h = 64 + len(dev_text) * 30 + 20
    plan.append(("connect", 40))
    plan.append(("sites", box_h))
    height = pad + sum(h for _k, h in plan) + pad
    img = Image.new("RGB", (width, int(height)), "white")
    d = ImageDraw.Draw(img)
    y = pad

    def cards(items_cards, cw, ch, n_per_row, top, outline, name_colour):
        for i, (name, lines) in enumerate(items_cards):
            cx = pad + gap + (i % n_per_row) * (cw + gap)
            cy = top + (i // n_per_row) * (ch + gap)
            d.rounded_rectangle((cx, cy, cx + cw, cy + ch), radius=12, fill="white", outline=outline, width=3)
            d.text((cx + 16, cy + 14), _wrap(d, name, name_f, cw - 32, 1)[0], font=name_f, fill=name_colour)
            for j, line in enumerate(lines):
                d.text((cx + 16, cy + 56 + j * 30), line, font=small_f, fill=dark)

    for kind, h in plan:
        if kind == "public":
            d.rounded_rectangle((pad, y, width - pad, y + h), radius=16, fill=G)
            d.text((pad + 20, y + 14), f"贵单位服务的{a.served}", font=title_f, fill=dark)
            cards(pub_cards, pub_w, pub_h, pub_n, y + 56, A, A)
        elif kind == "platforms":
            d.rounded_rectangle((pad, y, width - pad, y + h), radius=16, fill=L, outline=P, width=3)
            d.rounded_rectangle((pad, y, width - pad, y + 50), radius=16, fill=P)
            d.rectangle((pad, y + 30, width - pad, y + 50), fill=P)
            d.text((pad + 20, y + 8), "云平台与网络服务（按月订购，无需自建机房）", font=title_f, fill="white")
            cards(plat_cards, plat_w, plat_h, plat_n, y + 62, P, P)
        elif kind == "arrow":
            for x in (width * 0.3, width * 0.5, width * 0.7):
                d.line((x, y + 6, x, y + h - 6), fill=A, width=5)
                d.polygon([(x - 12, y + 16), (x + 12, y + 16), (x, y + 2)], fill=A)
                d.polygon([(x - 12, y + h - 16), (x + 12, y + h - 16), (x, y + h - 2)], fill=A)
        elif kind == "links":
            for i, (name, what) in enumerate(links):
                top = y + i * 62
                d.rounded_rectangle((pad, top, width - pad, top + 52), radius=26, fill=A if i % 2 == 0 else P)
                label = _wrap(d, f"{name}：{what}", text_f, inner - 60, 1)[0]
                d.text((width / 2, top + 26), label, font=text_f, fill="white", anchor="mm")
        elif kind == "connect":
            for i in range(len(boxes)):
                x = pad + i * (box_w + gap) + box_w / 2
                d.line((x, y, x, y + h), fill=P, width=4)
        elif kind == "sites":
            for i, (label, dashed) in enumerate(boxes):
                x0 = pad + i * (box_w + gap)
                d.rounded_rectangle((x0, y, x0 + box_w, y + h), radius=14, fill="white", outline=P, width=3)
                d.rounded_rectangle((x0, y, x0 + box_w, y + 56), radius=14, fill=P if not dashed else A)
                d.rectangle((x0, y + 36, x0 + box_w, y + 56), fill=P if not dashed else A)
                d.text((x0 + box_w / 2, y + 28), _wrap(d, label, name_f, box_w - 20, 1)[0], font=name_f,
                       fill="white", anchor="mm")
                for j, line in enumerate(dev_text):
                    d.text((x0 + 14, y + 72 + j * 30), line, font=small_f, fill=dark)
        y += h
    return png_bytes(img)


def cover_art(primary: str = "0066B3", accent: str = "00A3E0", sites: int | None = None) -> bytes | None:
    """The cover's picture: the client's sites (up to twelve) on a ring around one hub, each
    joined to it and to its neighbours, in the brand's colours on a light panel. No text, so it
    needs no font."""
    return _cover_art(primary, accent, max(3, min(sites or 6, 12)))


@lru_cache(maxsize=32)
def _cover_art(primary: str, accent: str, n: int) -> bytes:
    """Drawn once per brand and ring size: the same picture for every client with as many sites (it
    was a sixth of a proposal's rendering), kept in the user's cache folder between runs, keyed by
    the drawing code and the versions of Pillow and zlib that drew it."""
    key = hashlib.sha256("\0".join((code_digest(Path(__file__)), PIL.__version__, zlib.ZLIB_RUNTIME_VERSION,
                                     primary, accent, str(n))).encode()).hexdigest()
    return kept("pictures", f"cover-{key}.png", lambda: _draw_cover_art(primary, accent, n),
                valid=lambda data: data.startswith(PNG_SIGNATURE))


def _draw_cover_art(primary: str, accent: str, n: int) -> bytes:
    width, height = 1600, 960
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    P, A = _rgb(primary), _rgb(accent)

    def tint(rgb, k):
        return tuple(int(c + (255 - c) * k) for c in rgb)

    for i in range(height):  # a soft vertical fade, lighter at the edges
        k = 0.80 + 0.17 * abs(i - height / 2) / (height / 2)
        d.line((0, i, width, i), fill=tint(P, k))
    cx, cy, rx, ry = width / 2, height / 2, 600, 330
    points = [(cx + rx * math.cos(2 * math.pi * i / n - math.pi / 2), cy + ry * math.sin(2 * math.pi * i / n - math.pi / 2))
              for i in range(n)]
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        d.line((x1, y1, x2, y2), fill=tint(P, 0.55), width=5)
    for x, y in points:
        d.line((cx, cy, x, y), fill=A, width=7)
    for x, y in points:  # each site with its devices
        for k in range(3):
            ang = 2 * math.pi * k / 3 + math.atan2(y - cy, x - cx)
            dx, dy = x + 70 * math.cos(ang), y + 70 * math.sin(ang)
            d.line((x, y, dx, dy), fill=tint(A, 0.35), width=3)
            d.ellipse((dx - 9, dy - 9, dx + 9, dy + 9), fill=tint(A, 0.2))
        d.ellipse((x - 34, y - 34, x + 34, y + 34), fill="white", outline=P, width=9)
        d.ellipse((x - 13, y - 13, x + 13, y + 13), fill=A)
    for r, fill in ((120, tint(P, 0.75)), (88, P), (40, "white")):
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
    return png_bytes(img)


def png_bytes(img: Image.Image) -> bytes:
    """An RGB image as PNG: rows unfiltered, zlib at its fastest (speed over a few kilobytes).

    Pillow's own writer first imports its five standard format plugins, which with its adaptive
    row filters took longer than drawing the diagram; a PNG needs only zlib."""
    if img.mode != "RGB":
        img = img.convert("RGB")
    width, height = img.size
    raw, stride = img.tobytes(), width * 3
    rows = b"".join(b"\0" + raw[i:i + stride] for i in range(0, len(raw), stride))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (PNG_SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))
