"""A brand's colour reaches the proposal's pictures: the cover art and the architecture figure are
drawn in the colour of the reference's Heading 1 and shades of it, never in the shipped blue."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor
from PIL import Image

from conftest import EXAMPLES


def _blue_share(png: bytes) -> float:
    """The share of clearly blue pixels (blue well above red) in a picture."""
    im = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 100))
    pixels = list(im.getdata())
    return sum(1 for r, _g, b in pixels if b > r + 60) / len(pixels)


def _pictures(path) -> list[bytes]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n) for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]


def test_red_headings_make_red_pictures(cli, workspace, tmp_path):
    ref = workspace / "templates" / "reference.docx"
    doc = Document(str(ref))
    doc.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    doc.save(str(ref))
    result = cli("generate", EXAMPLES[0], "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    folder = next((tmp_path / "out").iterdir())
    pictures = _pictures(folder / "proposal.docx")
    assert len(pictures) == 2  # the cover art and the architecture figure
    for png in pictures:
        assert _blue_share(png) < 0.002, _blue_share(png)
    header = Document(str(folder / "proposal.docx")).tables[0].rows[0].cells[0]._tc
    assert header.find(qn("w:tcPr")).find(qn("w:shd")).get(qn("w:fill")) == "C00000"


def test_the_shipped_brand_keeps_its_blue(cli, tmp_path):
    result = cli("generate", EXAMPLES[0], "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    folder = next((tmp_path / "out").iterdir())
    assert all(_blue_share(png) > 0.01 for png in _pictures(folder / "proposal.docx"))
