"""A reference .docx as the package of parts it is, for writing a document on it.

The body of a proposal is written as WordprocessingML text (:mod:`.wordml`); everything else comes
from the brand's reference document: styles, numbering, theme, headers and footers, page setup.
So the package is read part by part, the reference's body is replaced by ours as text, and only
what a document needs besides (a picture, a header's text, the document properties) is changed;
every other part is copied as it is. python-docx would load and re-serialise every part through its
object model, and importing it alone took longer than writing the whole document this way.
"""

from __future__ import annotations

import os
import posixpath
import struct
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..errors import RenderError
from ..reading import ReadError, check_package
from . import wordml
from .opc import CONTENT_TYPES, CP_NS, CT_NS, DC_NS, PKG_REL_NS, R_NS, read_parts, rels_name, xml_bytes, zip_parts
from .wordml import W_NS
from .xmltext import escape

DCTERMS_NS = "http://purl.org/dc/terms/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT = REL_TYPE + "officeDocument"
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
HEADER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
EMU_PER_TWIP = 635

# python-docx shows these built-in styles under their UI names; templates and code use those.
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header",
             **{f"heading {n}": f"Heading {n}" for n in range(1, 10)}}
# Children of w:sectPr that come after w:titlePg (ECMA-376 part 1, 17.6.17).
_AFTER_TITLE_PG = {f"{{{W_NS}}}{name}" for name in
                   ("textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")}
_CORE = {"title": (DC_NS, "title"), "subject": (DC_NS, "subject"), "author": (DC_NS, "creator"),
         "keywords": (CP_NS, "keywords"), "category": (CP_NS, "category"), "comments": (DC_NS, "description")}
_BODY_MARK = "pitchcraft-body"


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


@lru_cache(maxsize=4)
def _style_table(styles_xml: bytes) -> tuple[etree._Element, dict[str, str]]:
    """The styles part parsed (a reference's is some 350 KB) and its style ids by the names Word
    shows, as python-docx names them. Read only, never changed."""
    root = etree.fromstring(styles_xml)
    ids: dict[str, str] = {}
    for style in root.iter(_w("style")):
        label = style.find(_w("name"))
        if label is not None and label.get(_w("val")) is not None:
            shown = label.get(_w("val"))
            ids[_UI_NAMES.get(shown, shown)] = style.get(_w("styleId"))
    return root, ids


def _part_problem(part: str, exc: Exception) -> str:
    """What is wrong with one part of a reference, in Chinese (lxml's and zipfile's texts are English)."""
    fix = "请用 Word 打开参考文档后另存为 .docx"
    if isinstance(exc, KeyError):
        return f"缺少其中的 {part}，文件不完整；{fix}"
    line = getattr(exc, "lineno", None)
    where = f"第 {line} 行" if line else ""
    return f"其中的 {part} {where}不是有效的 XML（已损坏，或被其他软件改坏）；{fix}"


class WordPackage:
    """The reference document, opened; :meth:`save` writes a document with a new body on it."""

    def __init__(self, reference: Path):
        self.reference = reference
        try:
            check_package(reference, "参考文档")  # parts are read whole: bounded first
            stat = os.stat(reference)
            self.parts = dict(read_parts(str(reference), stat.st_mtime_ns, stat.st_size))  # ours to change
            self.main = self._main_part_name()
        except ReadError as exc:
            raise RenderError(f"参考文档 {reference} 无法打开：{exc.message}") from None
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
            raise RenderError(f"参考文档 {reference} 无法打开：不是有效的 Word 文档（.docx），或已损坏；"
                              "请用 Word 打开后另存为 .docx") from None
        self.document = self._parse(self.main)
        self.rels = self._rels(self.main)
        self.body = self.document.find(_w("body"))
        if self.body is None or self.document.nsmap.get("w") != W_NS:
            raise RenderError(f"参考文档 {reference} 的正文不是标准的 Word 格式（w:body）")
        self.sect_pr = self.body.find(_w("sectPr"))
        styles = self._related("styles")
        self.styles, self.style_ids = None, {}  # both read-only: shared by every document on this reference
        if styles in self.parts:
            try:
                self.styles, self.style_ids = _style_table(self.parts[styles])
            except etree.XMLSyntaxError as exc:
                raise RenderError(f"参考文档 {reference} 无法打开：{_part_problem(styles, exc)}") from None
        self._pictures = 0  # numbers the pictures' drawing ids

    # --- reading ------------------------------------------------------------------------------

    def _parse(self, part: str) -> etree._Element:
        try:
            return etree.fromstring(self.parts[part])
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise RenderError(f"参考文档 {self.reference} 无法打开：{_part_problem(part, exc)}") from None

    def _main_part_name(self) -> str:
        root = etree.fromstring(self.parts["_rels/.rels"])
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("Type") == OFFICE_DOCUMENT:
                return rel.get("Target").lstrip("/")
        raise KeyError("officeDocument")

    def _rels(self, part: str) -> etree._Element:
        name = rels_name(part)
        if name in self.parts:
            return self._parse(name)
        return etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})

    def _target(self, rel_id: str) -> str | None:
        """The part a relationship of the main document points to."""
        for rel in self.rels:
            if rel.get("Id") == rel_id and rel.get("TargetMode") != "External":
                return posixpath.normpath(posixpath.join(posixpath.dirname(self.main), rel.get("Target")))
        return None

    def _related(self, kind: str) -> str | None:
        for rel in self.rels:
            if rel.get("Type") == REL_TYPE + kind:
                return self._target(rel.get("Id"))
        return None

    def require_styles(self, names: set[str]) -> None:
        missing = sorted(name for name in names if name not in self.style_ids)
        if missing:
            raise RenderError(f"参考文档 {self.reference} 缺少样式：{'、'.join(missing)}")

    def text_width(self) -> int:
        """The width between the page margins, in EMU."""
        try:
            size, margins = self.sect_pr.find(_w("pgSz")), self.sect_pr.find(_w("pgMar"))
            twips = int(size.get(_w("w"))) - int(margins.get(_w("left"))) - int(margins.get(_w("right")))
        except (AttributeError, TypeError, ValueError):
            raise RenderError(f"参考文档 {self.reference} 没有设置页面大小和页边距") from None
        return twips * EMU_PER_TWIP

    def brand_colour(self, default: str) -> str:
        """The colour of Heading 1 as the reference states it, else the theme's accent1."""
        heading = self.style_ids.get("Heading 1")
        if self.styles is not None and heading:
            for style in self.styles.iter(_w("style")):
                if style.get(_w("styleId")) == heading:
                    colour = style.find(f"{_w('rPr')}/{_w('color')}")
                    value = colour.get(_w("val")) if colour is not None else None
                    if value and value.lower() != "auto":
                        return value.upper()
                    break
        return self.theme_colour("accent1") or default

    def theme_colour(self, name: str) -> str | None:
        """A colour of the reference's theme (accent1, accent2 …) as RRGGBB, if it states one."""
        theme = self._related("theme")
        if theme in self.parts:
            el = self._parse(theme).find(f".//{{*}}clrScheme/{{*}}{name}/{{*}}srgbClr")
            if el is not None and el.get("val"):
                return el.get("val").upper()
        return None

    # --- changing -----------------------------------------------------------------------------

    def title_page(self, different: bool) -> None:
        """Whether the first page has its own header and footer (none, on a cover)."""
        if self.sect_pr is None:
            return
        for old in self.sect_pr.findall(_w("titlePg")):
            self.sect_pr.remove(old)
        if different:
            element = etree.Element(_w("titlePg"))
            after = next((child for child in self.sect_pr if child.tag in _AFTER_TITLE_PG), None)
            if after is not None:
                after.addprevious(element)
            else:
                self.sect_pr.append(element)

    def picture(self, png: bytes, width: int) -> str:
        """A run showing ``png`` at ``width`` EMU (its height keeps the aspect), the image added."""
        if png[:8] != b"\x89PNG\r\n\x1a\n":
            raise RenderError("图片不是 PNG 格式")
        px_w, px_h = struct.unpack(">II", png[16:24])
        height = width * px_h // max(px_w, 1)
        self._pictures += 1
        folder, n = posixpath.dirname(self.main), 1
        while posixpath.join(folder, f"media/image{n}.png") in self.parts:
            n += 1
        target = f"media/image{n}.png"
        self.parts[posixpath.join(folder, target)] = png
        self._default_content_type("png", "image/png")
        rel_id = self._relate(REL_TYPE + "image", target)
        name, shape_id = f"image{n}.png", 1000 + self._pictures
        return (
            "<w:r><w:drawing>"
            "<wp:inline "
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
            f'xmlns:r="{R_NS}">'
            f'<wp:extent cx="{width}" cy="{height}"/>'
            f'<wp:docPr id="{shape_id}" name="Picture {self._pictures}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            '<a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )

    def header_text(self, text: str, style: str = "Header") -> None:
        """Every page's header says ``text``, in the header's own first paragraph (its style kept)."""
        if self.sect_pr is None:
            return
        ref = next((r for r in self.sect_pr.findall(_w("headerReference")) if r.get(_w("type")) == "default"), None)
        part = self._target(ref.get(f"{{{R_NS}}}id")) if ref is not None else None
        if part is None or part not in self.parts:
            part = self._new_header(style)
        root = self._parse(part)
        paragraphs = root.findall(_w("p")) or [etree.SubElement(root, _w("p"))]
        for i, p in enumerate(paragraphs):
            for child in list(p):
                if child.tag != _w("pPr"):
                    p.remove(child)
            if i == 0:
                p.extend(etree.fromstring(wordml.fragment([wordml.run(text)])))
        self.parts[part] = xml_bytes(root)

    def _new_header(self, style: str) -> str:
        n = 1
        while posixpath.join(posixpath.dirname(self.main), f"pitchcraft-header{n}.xml") in self.parts:
            n += 1
        target = f"pitchcraft-header{n}.xml"
        part = posixpath.join(posixpath.dirname(self.main), target)
        style_id = self.style_ids.get(style)
        props = f'<w:pPr><w:pStyle w:val="{escape(style_id)}"/></w:pPr>' if style_id else ""
        self.parts[part] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                            f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p>{props}</w:p></w:hdr>').encode()
        self._override_content_type("/" + part, HEADER_CT)
        rel_id = self._relate(REL_TYPE + "header", target)
        for old in self.sect_pr.findall(_w("headerReference")):
            if old.get(_w("type")) == "default":
                self.sect_pr.remove(old)
        ref = etree.Element(_w("headerReference"))
        ref.set(_w("type"), "default")
        ref.set(f"{{{R_NS}}}id", rel_id)
        self.sect_pr.insert(0, ref)
        return part

    def _relate(self, rel_type: str, target: str) -> str:
        taken = {rel.get("Id") for rel in self.rels}
        n = 1
        while f"rId{n}" in taken:
            n += 1
        rel = etree.SubElement(self.rels, f"{{{PKG_REL_NS}}}Relationship")
        rel.set("Id", f"rId{n}")
        rel.set("Type", rel_type)
        rel.set("Target", target)
        return f"rId{n}"

    def _content_types(self) -> etree._Element:
        return self._parse(CONTENT_TYPES)

    def _default_content_type(self, extension: str, content_type: str) -> None:
        root = self._content_types()
        if any(d.get("Extension", "").lower() == extension for d in root.iter(f"{{{CT_NS}}}Default")):
            return
        default = etree.Element(f"{{{CT_NS}}}Default", Extension=extension, ContentType=content_type)
        root.insert(0, default)
        self.parts[CONTENT_TYPES] = xml_bytes(root)

    def _override_content_type(self, part_name: str, content_type: str) -> None:
        root = self._content_types()
        etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=part_name, ContentType=content_type)
        self.parts[CONTENT_TYPES] = xml_bytes(root)

    def _core_properties(self, values: dict[str, str]) -> None:
        package_rels = self._parse("_rels/.rels")
        rel = next((r for r in package_rels if r.get("Type") == CORE_PROPERTIES), None)
        name = rel.get("Target").lstrip("/") if rel is not None else "docProps/core.xml"
        if name in self.parts:
            root = self._parse(name)
        else:  # a reference without document properties
            root = etree.Element(f"{{{CP_NS}}}coreProperties",
                                 nsmap={"cp": CP_NS, "dc": DC_NS, "dcterms": DCTERMS_NS, "xsi": XSI_NS})
            overrides = {o.get("PartName") for o in self._content_types().iter(f"{{{CT_NS}}}Override")}
            if "/" + name not in overrides:
                self._override_content_type("/" + name, "application/vnd.openxmlformats-package.core-properties+xml")
            if rel is None:
                etree.SubElement(package_rels, f"{{{PKG_REL_NS}}}Relationship", Id="rIdPitchcraftCore",
                                 Type=CORE_PROPERTIES, Target=name)
                self.parts["_rels/.rels"] = xml_bytes(package_rels)
        for key, value in values.items():
            ns, local = _CORE[key]
            el = root.find(f"{{{ns}}}{local}")
            if el is None:
                el = etree.SubElement(root, f"{{{ns}}}{local}")
            el.text = value
        self.parts[name] = xml_bytes(root)

    # --- writing ------------------------------------------------------------------------------

    def save(self, body: list[str], **properties: str) -> bytes:
        """The document with ``body`` (body-level WordprocessingML, ``w:`` prefixed) in place of the
        reference's content, and the given document properties (see ``_CORE``), as .docx bytes."""
        for child in list(self.body):
            if child is not self.sect_pr:
                self.body.remove(child)
        self.body.insert(0, etree.Comment(_BODY_MARK))
        document = xml_bytes(self.document)
        self.parts[self.main] = document.replace(f"<!--{_BODY_MARK}-->".encode(), "".join(body).encode("utf-8"), 1)
        self.parts[rels_name(self.main)] = xml_bytes(self.rels)
        if properties:
            self._core_properties(properties)
        return zip_parts(self.parts)

__all__ = ["WordPackage"]
