"""PDF through LibreOffice headless, and the page numbers of the Word table of contents.

LibreOffice does not refresh a TOC field when it converts, so the proposal's TOC carries its entries
as the field's cached result (see render/docx.py). With a PDF requested we convert once, read on
which page each chapter landed (pdftotext), write those page numbers into the entries and convert
again: the .docx and the PDF then show a complete table of contents in LibreOffice and WPS too, and
Word refreshes the field itself on open.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import UsageError

INSTALL_HINT = ("请先安装 LibreOffice 和中文字体，例如 Debian/Ubuntu："
                "apt-get install libreoffice-writer libreoffice-impress fonts-noto-cjk")
TIMEOUT = 180


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
                 "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.exists(path):
            return path
    return None


def require_soffice() -> str:
    found = find_soffice()
    if not found:
        raise UsageError("生成 PDF 需要 LibreOffice，但本机没有找到 soffice。" + INSTALL_HINT)
    return found


def convert(files: dict[str, bytes], fonts_conf: Path | None = None) -> dict[str, bytes]:
    """Office files (name -> bytes) to PDFs (name.pdf -> bytes), in a private LibreOffice profile so
    that parallel runs never share one."""
    soffice = require_soffice()
    with tempfile.TemporaryDirectory(prefix="pitchcraft-pdf-") as tmp:
        work = Path(tmp)
        for name, data in files.items():
            (work / name).write_bytes(data)
        env = dict(os.environ)
        if fonts_conf and fonts_conf.is_file():
            env["FONTCONFIG_FILE"] = str(fonts_conf)
        cmd = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work / "pdf"), *[str(work / n) for n in files]]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env)
        except subprocess.TimeoutExpired:
            raise UsageError(f"LibreOffice 转换 PDF 超时（{TIMEOUT} 秒）") from None
        out = {}
        for name in files:
            pdf = work / "pdf" / (Path(name).stem + ".pdf")
            if not pdf.is_file():
                detail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["无输出"]
                raise UsageError(f"LibreOffice 未能把 {name} 转成 PDF：{detail[0]}")
            out[pdf.name] = pdf.read_bytes()
        return out


def page_texts(pdf: bytes) -> list[str] | None:
    """The text of each page, or None when poppler's pdftotext is not installed."""
    tool = shutil.which("pdftotext")
    if not tool:
        return None
    with tempfile.TemporaryDirectory(prefix="pitchcraft-txt-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        run = subprocess.run([tool, "-layout", str(src), "-"], capture_output=True, timeout=60)
        if run.returncode != 0:
            return None
        return run.stdout.decode("utf-8", "replace").split("\f")


def heading_pages(pages: list[str], headings: list[str]) -> dict[str, int]:
    """The page (1-based) of each heading in the body, in order.

    The TOC lists every heading first; the body starts on the page after the one that lists the last
    heading (the TOC ends with a page break), however many pages the TOC takes.
    """
    found: dict[str, int] = {}
    squashed = [re.sub(r"\s+", "", p) for p in pages]
    if not headings:
        return found
    last = re.sub(r"\s+", "", headings[-1])
    toc_end = next((i for i, text in enumerate(squashed) if last in text), None)
    if toc_end is None:
        return found
    page = toc_end + 2
    for heading in headings:
        key = re.sub(r"\s+", "", heading)
        for i in range(page - 1, len(squashed)):
            if key in squashed[i]:
                found[heading] = i + 1
                page = i + 1
                break
    return found
