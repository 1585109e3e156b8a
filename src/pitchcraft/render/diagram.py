"""The solution diagram for the Word proposal: need areas → products, drawn as a picture.

Word has no native diagram that python-docx can write and that WPS and LibreOffice render alike, so
the diagram is a PNG drawn for this client with Pillow, in the brand's colours, with a CJK font found
on the machine (Noto Sans CJK, Source Han, SimHei, Microsoft YaHei …). Without such a font it
returns None and the proposal keeps its table, which says the same.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

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

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))
