"""What every Office Open XML package shares (ECMA-376 part 2): namespaces, and writing the parts
as a zip whose bytes depend only on the parts (the same document, the same file)."""

from __future__ import annotations

import io
import posixpath
import zipfile
from functools import lru_cache

from lxml import etree

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_TYPES = "[Content_Types].xml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def zip_parts(parts: dict[str, bytes]) -> bytes:
    """The package as .zip bytes, ``[Content_Types].xml`` first, then the parts in their order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in [CONTENT_TYPES, *(n for n in parts if n != CONTENT_TYPES)]:
            z.writestr(zipfile.ZipInfo(name, _FIXED_TIME), parts[name], zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xml_bytes(root: etree._Element) -> bytes:
    """A part's XML as Office writes it: declared, UTF-8, standalone."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rels_name(part: str) -> str:
    """The relationships part of ``part`` ("ppt/slides/slide1.xml" -> "ppt/slides/_rels/slide1.xml.rels")."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


@lru_cache(maxsize=8)
def read_parts(path: str, mtime_ns: int, size: int) -> dict[str, bytes]:
    """A reference package's parts, read once per process and version of the file (a batch writes
    hundreds of documents on one reference). Never changed: each document copies the dict. Bound the
    package first (``reading.check_package``): parts are read whole."""
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist() if not info.is_dir()}
