"""What every Office Open XML package shares (ECMA-376 part 2): namespaces, and writing the parts
as a zip whose bytes depend only on the parts (the same document, the same file)."""

from __future__ import annotations

import io
import zipfile

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CONTENT_TYPES = "[Content_Types].xml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def zip_parts(parts: dict[str, bytes]) -> bytes:
    """The package as .zip bytes, ``[Content_Types].xml`` first, then the parts in their order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in [CONTENT_TYPES, *(n for n in parts if n != CONTENT_TYPES)]:
            z.writestr(zipfile.ZipInfo(name, _FIXED_TIME), parts[name], zipfile.ZIP_DEFLATED)
    return out.getvalue()
