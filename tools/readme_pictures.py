#!/usr/bin/env python
"""Render the README's pictures of the documents (docs/images/proposal-*, pitch-*, *brand-variant).

    .venv/bin/python tools/readme_pictures.py [PROFILE]

generates the proposal and the deck for PROFILE (default: examples/chain-supermarket.yaml) with the
shipped templates, and again with a second brand made only by editing the two reference files
(headings and the cover title red and 楷体 in reference.docx; theme accents red and amber and a serif East Asian font
in reference.pptx), converts them with LibreOffice and writes the pictures. Needs soffice and
pdftoppm; the web app's pictures are made by tests/test_web_browser.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor
from lxml import etree
from PIL import Image
from pptx import Presentation

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _workspace(tmp: Path, brand: bool) -> Path:
    ws = tmp / ("brand" if brand else "shipped")
    for name in ("catalog", "cases", "templates"):
        shutil.copytree(ROOT / name, ws / name)
    if brand:
        ref = ws / "templates" / "reference.docx"
        doc = Document(str(ref))
        for name in ("Heading 1", "Heading 2", "Cover Title"):
            style = doc.styles[name]
            style.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
            style.element.find(qn("w:rPr")).find(qn("w:rFonts")).set(qn("w:eastAsia"), "楷体")
        doc.save(str(ref))
        ref = ws / "templates" / "reference.pptx"
        prs = Presentation(str(ref))
        part = next(r.target_part for r in prs.slide_master.part.rels.values() if r.reltype.endswith("/theme"))
        root = etree.fromstring(part.blob)
        scheme = root.find(f".//{A}clrScheme")
        scheme.find(f"{A}accent1/{A}srgbClr").set("val", "B71C1C")
        scheme.find(f"{A}accent2/{A}srgbClr").set("val", "F5A623")
        scheme.find(f"{A}dk2/{A}srgbClr").set("val", "5D1010")
        scheme.find(f"{A}lt2/{A}srgbClr").set("val", "FBF3F0")
        for font in ("majorFont", "minorFont"):
            root.find(f".//{A}fontScheme/{A}{font}/{A}ea").set("typeface", "宋体")
        part._blob = etree.tostring(root)
        prs.save(str(ref))
    return ws


def _pages(ws: Path, profile: Path, out: Path) -> tuple[list[Path], list[Path]]:
    """The proposal's pages and the deck's slides as PNG files."""
    exe = ROOT / ".venv" / "bin" / "pitchcraft"
    subprocess.run([str(exe), "generate", str(profile), "--out", str(out), "--force", "--pdf"],
                   cwd=ws, check=True, capture_output=True)
    folder = next(p for p in out.iterdir() if p.is_dir())
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(folder / "proposal.pdf"), str(out / "p")], check=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(folder / "pitch.pdf"), str(out / "s")], check=True)

    def number(p: Path) -> int:
        return int(p.stem.rsplit("-", 1)[1])

    return sorted(out.glob("p-*.png"), key=number), sorted(out.glob("s-*.png"), key=number)


def _page_with(pages: list[Path], pdf_text: list[str], words: str) -> Path:
    return next(p for p, text in zip(pages, pdf_text) if words in text)


def _texts(folder: Path, name: str) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(folder / name), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")


def _save(path: Path, out: Path, width: int) -> None:
    im = Image.open(path).convert("RGB")
    im.resize((width, round(im.height * width / im.width)), Image.LANCZOS).save(out, optimize=True)


def _tile(paths: list[Path], out: Path, height: int, gap: int = 12) -> None:
    ims = [Image.open(p).convert("RGB") for p in paths]
    ims = [im.resize((round(im.width * height / im.height), height), Image.LANCZOS) for im in ims]
    sheet = Image.new("RGB", (sum(im.width for im in ims) + gap * (len(ims) + 1), height + 2 * gap), "#DDDDDD")
    x = gap
    for im in ims:
        sheet.paste(im, (x, gap))
        x += im.width + gap
    sheet.save(out, optimize=True)


def _grid(paths: list[Path], out: Path, width: int, cols: int = 2, gap: int = 12) -> None:
    ims = [Image.open(p).convert("RGB") for p in paths]
    w = (width - gap * (cols + 1)) // cols
    ims = [im.resize((w, round(im.height * w / im.width)), Image.LANCZOS) for im in ims]
    rows = (len(ims) + cols - 1) // cols
    h = max(im.height for im in ims)
    sheet = Image.new("RGB", (width, rows * (h + gap) + gap), "#DDDDDD")
    for i, im in enumerate(ims):
        sheet.paste(im, (gap + (i % cols) * (w + gap), gap + (i // cols) * (h + gap)))
    sheet.save(out, optimize=True)


def main(profile: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shots = {}
        for brand in (False, True):
            ws = _workspace(tmp, brand)
            out = tmp / ("out-brand" if brand else "out")
            out.mkdir()
            pages, slides = _pages(ws, profile.resolve(), out)
            folder = next(p for p in out.iterdir() if p.is_dir())
            texts = _texts(folder, "proposal.pdf")
            layouts = [s.slide_layout.name for s in Presentation(str(folder / "pitch.pptx")).slides]
            shots[brand] = dict(
                cover=pages[0], solution=_page_with(pages, texts, "图：总体方案结构"),
                **{kind: slides[layouts.index(layout)] for kind, layout in (
                    ("title", "Title Slide"), ("figures", "Big Number"), ("architecture", "Architecture"),
                    ("answer", "Pain and Answer"), ("case", "Case Figures"), ("investment", "Investment"))})
            if not brand:
                _save(shots[brand]["cover"], IMAGES / "proposal-cover.png", 579)
                _save(shots[brand]["solution"], IMAGES / "proposal-solution.png", 579)
                for kind, name in (("title", "pitch-title"), ("architecture", "pitch-architecture"),
                                   ("answer", "pitch-answer"), ("investment", "pitch-investment"),
                                   ("figures", "pitch-big-number"), ("case", "pitch-case")):
                    _save(shots[brand][kind], IMAGES / f"{name}.png", 801)
            else:
                _tile([shots[brand]["cover"], shots[brand]["solution"], shots[brand]["architecture"]],
                      IMAGES / "brand-variant.png", 573)
                _grid([shots[brand][k] for k in ("title", "architecture", "answer", "investment")],
                      IMAGES / "pitch-brand-variant.png", 1610)
    print(f"wrote the pictures in {IMAGES.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples" / "chain-supermarket.yaml")
