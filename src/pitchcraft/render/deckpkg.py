"""A reference .pptx as the package of parts it is, for writing a deck on it.

The deck's slides are written as PresentationML (:mod:`.pptx` draws them); everything else comes from
the brand's reference deck: master, layouts, theme, properties. So the package is read part by part,
slides, notes pages and charts are added as parts related as python-pptx relates them (the same part
names, relationship ids, placeholders and shape names), and only the parts a deck changes are
serialised again (the presentation, the core properties, a master or layout whose footer names the
issuer); every other part is copied as it is. Importing python-pptx and going through its object
model was about a fifth of a one-proposal run; tests/test_deck_package.py compares the decks of
both ways part by part.

As python-pptx does, only the parts reachable from the package's relationships are written, and a
reference without a notes master gets python-pptx's default one (its template files, read from the
installed python-pptx without importing it).
"""

from __future__ import annotations

import importlib.util
import os
import posixpath
from copy import deepcopy
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..errors import RenderError
from ..reading import ReadError, check_package
from .opc import (A_NS, CONTENT_TYPES, CP_NS, CT_NS, DC_NS, PKG_REL_NS, R_NS, read_parts, rels_name, xml_bytes,
                  zip_parts)

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CT_PML = "application/vnd.openxmlformats-officedocument.presentationml."
CT_SLIDE, CT_NOTES, CT_NOTES_MASTER = CT_PML + "slide+xml", CT_PML + "notesSlide+xml", CT_PML + "notesMaster+xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
# the extensions python-pptx writes as a Default content type when a part's type is the usual one
_DEFAULTS = {"rels": CT_RELS, "xml": "application/xml", "xlsx": CT_XLSX, "png": "image/png", "jpeg": "image/jpeg",
             "jpg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp", "tif": "image/tiff",
             "tiff": "image/tiff", "emf": "image/x-emf", "wmf": "image/x-wmf", "wdp": "image/vnd.ms-photo",
             "bin": "application/vnd.openxmlformats-officedocument.oleObject"}
# p:ph/@type -> python-pptx's PP_PLACEHOLDER name (the renderer asks for placeholders by these)
PH_KINDS = {"title": "TITLE", "ctrTitle": "CENTER_TITLE", "subTitle": "SUBTITLE", "body": "BODY", "obj": "OBJECT",
            "chart": "CHART", "tbl": "TABLE", "clipArt": "BITMAP", "dgm": "ORG_CHART", "media": "MEDIA_CLIP",
            "pic": "PICTURE", "sldImg": "SLIDE_IMAGE", "dt": "DATE", "ftr": "FOOTER", "sldNum": "SLIDE_NUMBER",
            "hdr": "HEADER"}
# the names python-pptx gives a cloned placeholder, by type (a notes page names its body differently)
_PH_NAMES = {"clipArt": "ClipArt Placeholder", "body": "Text Placeholder", "ctrTitle": "Title",
             "chart": "Chart Placeholder", "dt": "Date Placeholder", "ftr": "Footer Placeholder",
             "hdr": "Header Placeholder", "media": "Media Placeholder", "obj": "Content Placeholder",
             "dgm": "SmartArt Placeholder", "pic": "Picture Placeholder", "sldNum": "Slide Number Placeholder",
             "subTitle": "Subtitle", "tbl": "Table Placeholder", "title": "Title",
             "sldImg": "Slide Image Placeholder"}
_NOTES_NAMES = {**_PH_NAMES, "body": "Notes Placeholder"}
_WITH_TEXT = {"title", "ctrTitle", "subTitle", "body", "obj"}  # placeholders python-pptx gives a txBody
_LATENT = {"dt", "ftr", "sldNum"}  # not cloned onto a slide
_NOTES_CLONED = {"sldImg", "body", "sldNum"}  # cloned onto a notes page
# a layout placeholder without its own position takes its master's of this type (python-pptx)
_BASE_TYPE = {"ctrTitle": "title", "title": "title", "dt": "dt", "ftr": "ftr", "sldNum": "sldNum"}
_SHAPES = {f"{{{P_NS}}}{t}" for t in ("sp", "grpSp", "graphicFrame", "cxnSp", "pic", "contentPart")}
_NSDECLS = f'xmlns:a="{A_NS}" xmlns:p="{P_NS}" xmlns:r="{R_NS}"'
_SLIDE_XML = (f'<p:sld {_NSDECLS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/>'
              '<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/>'
              '</p:clrMapOvr></p:sld>')


def p(name: str) -> str:
    return f"{{{P_NS}}}{name}"


def a(name: str) -> str:
    return f"{{{A_NS}}}{name}"


_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def _parse(blob: bytes) -> etree._Element:
    return etree.fromstring(blob, _PARSER)


@lru_cache(maxsize=2)
def _python_pptx_template(name: str) -> bytes:
    """One of python-pptx's own template files (its default notes master, notes page, theme)."""
    spec = importlib.util.find_spec("pptx")  # finds the package without running it
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "templates" / f"{name}.xml").read_bytes()


class Rels:
    """One part's relationships, in their order: rId -> (type, target part name or external URL, mode)."""

    def __init__(self, source: str, blob: bytes | None):
        self.source = source
        self.items: dict[str, tuple[str, str, str | None]] = {}
        self.blob = blob  # the part's own bytes while nothing was added
        if blob is None:
            return
        base = posixpath.dirname(source)
        for rel in _parse(blob).iter(f"{{{PKG_REL_NS}}}Relationship"):
            mode = rel.get("TargetMode")
            target = rel.get("Target")
            if mode != "External":
                target = posixpath.normpath(posixpath.join("/" + base, target)).lstrip("/") \
                    if not target.startswith("/") else target.lstrip("/")
            self.items[rel.get("Id")] = (rel.get("Type"), target, mode)

    def by_type(self, rel_type: str) -> list[str]:
        return [t for kind, t, mode in self.items.values() if kind == rel_type and mode != "External"]

    def add(self, rel_type: str, target: str) -> str:
        """A new relationship to a part, under the first free ``rIdN`` (as python-pptx numbers them)."""
        n = 1
        while f"rId{n}" in self.items:
            n += 1
        rid = f"rId{n}"
        self.items[rid] = (rel_type, target, None)
        self.blob = None
        return rid

    def xml(self) -> bytes:
        if self.blob is not None:
            return self.blob
        base = "/" + posixpath.dirname(self.source)
        root = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
        for rid, (kind, target, mode) in self.items.items():
            ref = target if mode == "External" else posixpath.relpath("/" + target, base)
            rel = etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=kind, Target=ref)
            if mode:
                rel.set("TargetMode", mode)
        return xml_bytes(root)


class Slide:
    """A slide being written: its part name, element, shape tree and relationships."""

    def __init__(self, name: str, element: etree._Element, rels: Rels):
        self.name, self.element, self.rels = name, element, rels
        self.tree = element.find(f"{p('cSld')}/{p('spTree')}")


class DeckPackage:
    """The reference deck, opened; slides are added to it and :meth:`save` writes the deck.

    Every way a reference can be broken becomes one Chinese message naming the file."""

    def __init__(self, reference: Path):
        self.reference = reference
        fix = "请用 PowerPoint 打开后另存为 .pptx"

        def broken(what: str) -> RenderError:
            return RenderError(f"参考演示文稿 {reference} 无法打开：{what}；{fix}")

        try:
            check_package(reference, "参考演示文稿")  # parts are read whole: bounded first
            stat = os.stat(reference)
            self.blobs = dict(read_parts(str(reference), stat.st_mtime_ns, stat.st_size))  # ours to change
            self._types()
            self.rels: dict[str, Rels] = {}
            root = self._rels("")
            self.main = next(t for t in root.by_type(RT + "officeDocument"))
            self.parts = self._reachable()
            self.presentation = self._element(self.main)
            if self.presentation.tag != p("presentation"):
                raise ValueError("not a presentation")
        except ReadError as exc:
            raise RenderError(f"参考演示文稿 {reference} 无法打开：{exc.message}") from None
        except Exception:  # a broken zip, a missing part, XML that does not parse …
            raise broken("不是有效的 PowerPoint 演示文稿（.pptx），或已损坏") from None
        try:
            self.master_name = self._rels(self.main).by_type(RT + "slideMaster")[0]
            self.master = self._element(self.master_name)
        except Exception:
            raise broken("缺少幻灯片母版（ppt/slideMasters/），文件不完整") from None
        try:
            self.layouts = self._layouts()
        except Exception:
            raise broken("母版引用的版式缺失（ppt/slideLayouts/），文件不完整") from None
        try:
            self.theme_colors = self._theme_colors()
        except Exception:
            raise broken("母版的主题（ppt/theme/）已损坏") from None
        size = self.presentation.find(p("sldSz"))
        self.slide_width = int(size.get("cx")) if size is not None else 9144000
        self.slide_height = int(size.get("cy")) if size is not None else 6858000
        self._placeholders: dict[str, list[etree._Element]] = {}  # layout part -> its clones, empty
        self._notes: tuple[str, etree._Element] | None = None  # the notes master and an empty notes page

    # --- reading ---------------------------------------------------------------------------------

    def _types(self) -> None:
        root = _parse(self.blobs[CONTENT_TYPES])
        self.defaults = {el.get("Extension").lower(): el.get("ContentType") for el in root.iter(f"{{{CT_NS}}}Default")}
        self.overrides = {el.get("PartName").lstrip("/"): el.get("ContentType")
                          for el in root.iter(f"{{{CT_NS}}}Override")}

    def content_type(self, part: str) -> str:
        return self.overrides.get(part) or self.defaults[part.rpartition(".")[2].lower()]

    def _rels(self, part: str) -> Rels:
        if part not in self.rels:
            name = rels_name(part) if part else "_rels/.rels"
            self.rels[part] = Rels(part, self.blobs.get(name))
        return self.rels[part]

    def _reachable(self) -> list[str]:
        """The parts reachable from the package's relationships, in the order met (python-pptx
        loads and writes only these)."""
        seen: list[str] = []
        todo = [""]
        while todo:
            source = todo.pop(0)
            for _kind, target, mode in self._rels(source).items.values():
                if mode == "External" or target in seen or target not in self.blobs:
                    continue  # a missing part is reported when it is needed (a master, a layout)
                seen.append(target)
                todo.append(target)
        return seen

    def _element(self, part: str) -> etree._Element:
        """A part's XML, parsed; the part is then written from it (it may be changed)."""
        value = self.blobs[part]
        if isinstance(value, bytes):
            value = self.blobs[part] = _parse(value)
        return value

    def _layouts(self) -> dict[str, str]:
        """The first master's layouts by name (the last of a repeated name), as part names."""
        rels = self._rels(self.master_name)
        found = {}
        for entry in self.master.iterfind(f"{p('sldLayoutIdLst')}/{p('sldLayoutId')}"):
            part = rels.items[entry.get(f"{{{R_NS}}}id")][1]
            name = self._element(part).find(p("cSld")).get("name", "")
            found[name] = part
        return found

    def _theme_colors(self) -> dict[str, str]:
        """The theme's colour scheme (accent1, accent2, lt2 …) as hex RGB, from the master's theme."""
        out: dict[str, str] = {}
        for theme in self._rels(self.master_name).by_type(RT + "theme"):
            root = _parse(self.blobs[theme])  # read only: copied as it is
            scheme = root.find(f".//{a('clrScheme')}")
            for el in scheme if scheme is not None else []:
                srgb = el.find(a("srgbClr"))
                if srgb is not None:
                    out[etree.QName(el).localname] = srgb.get("val").upper()
        return out

    def layout_tree(self, layout: str) -> etree._Element:
        return self._element(layout).find(f"{p('cSld')}/{p('spTree')}")

    def shapes(self, owner: str) -> list[etree._Element]:
        """The shapes of a master's or layout's tree (not inside groups), in order."""
        return [el for el in self.layout_tree(owner) if el.tag in _SHAPES]

    @staticmethod
    def ph(sp) -> etree._Element | None:
        nv = next((child for child in sp if child.tag.startswith(f"{{{P_NS}}}nv")), None)
        return nv.find(f"{p('nvPr')}/{p('ph')}") if nv is not None else None

    @staticmethod
    def name(sp) -> str:
        nv = next((child for child in sp if child.tag.startswith(f"{{{P_NS}}}nv")), None)
        c = nv.find(p("cNvPr")) if nv is not None else None
        return c.get("name", "") if c is not None else ""

    @staticmethod
    def own_box(sp) -> tuple[int | None, ...]:
        """A shape's own position and size (EMU; None where it sets none)."""
        pr = sp.find(p("spPr")) if sp.tag != p("graphicFrame") else None
        xfrm = pr.find(a("xfrm")) if pr is not None else sp.find(p("xfrm"))
        if sp.tag == p("grpSp"):
            xfrm = sp.find(f"{p('grpSpPr')}/{a('xfrm')}")
        off = xfrm.find(a("off")) if xfrm is not None else None
        ext = xfrm.find(a("ext")) if xfrm is not None else None
        return (int(off.get("x")) if off is not None else None, int(off.get("y")) if off is not None else None,
                int(ext.get("cx")) if ext is not None else None, int(ext.get("cy")) if ext is not None else None)

    def box(self, owner: str, sp) -> tuple[int | None, ...]:
        """Position and size as python-pptx reads them: a layout's placeholder without its own takes
        the master's placeholder of its type's."""
        own = self.own_box(sp)
        ph = self.ph(sp)
        if owner == self.master_name or ph is None or None not in own:
            return own
        base_type = _BASE_TYPE.get(ph.get("type", "obj"), "body")
        base = next((s for s in self.shapes(self.master_name)
                     if self.ph(s) is not None and self.ph(s).get("type", "obj") == base_type), None)
        inherited = self.own_box(base) if base is not None else (None,) * 4
        return tuple(mine if mine is not None else theirs for mine, theirs in zip(own, inherited))

    def owners(self) -> list[str]:
        """The master and its layouts, in the master's order."""
        rels = self._rels(self.master_name)
        return [self.master_name, *(rels.items[e.get(f"{{{R_NS}}}id")][1]
                                    for e in self.master.iterfind(f"{p('sldLayoutIdLst')}/{p('sldLayoutId')}"))]

    # --- what the renderer asks of a reference (tests/test_deck_package.py asks python-pptx the same) --

    def footers(self, shape_name: str) -> list[tuple[etree._Element, int | None, int | None]]:
        """The shapes of that name holding text on the master and its layouts, with their width and
        height (EMU; None unset)."""
        found = []
        for owner in self.owners():
            for sp in self.layout_tree(owner).iterchildren(p("sp")):
                if self.name(sp) == shape_name and sp.find(p("txBody")) is not None:
                    found.append((sp, *self.box(owner, sp)[2:]))
        return found

    def title_placeholder(self, layout: str) -> tuple[etree._Element, int | None, int | None] | None:
        """A layout's first title placeholder, with its width and height as a slide inherits them."""
        part = self.layouts[layout]
        for sp in self.shapes(part):
            ph = self.ph(sp)
            if ph is not None and ph.get("type", "obj") in ("title", "ctrTitle"):
                return (sp, *self.box(part, sp)[2:])
        return None

    def panels(self, layout: str, prefix: str) -> dict[str, tuple[int | None, ...]]:
        """The shapes of a layout whose names start with ``prefix``: position and size (EMU)."""
        part = self.layouts[layout]
        return {self.name(sp): self.box(part, sp) for sp in self.shapes(part) if self.name(sp).startswith(prefix)}

    # --- writing ---------------------------------------------------------------------------------

    def _next_name(self, template: str) -> str:
        """python-pptx's next free part name for a template ("ppt/slides/slide%d.xml")."""
        prefix = template[: (template % 42).find("42")]
        taken = {name for name in self.parts if name.startswith(prefix)}
        for n in range(len(taken) + 1, 0, -1):
            if template % n not in taken:
                return template % n
        raise AssertionError("no part name left")  # pragma: no cover

    def _add_part(self, name: str, value, content_type: str) -> None:
        self.blobs[name] = value
        self.parts.append(name)
        self.overrides[name] = content_type
        self.rels[name] = Rels(name, None)

    @staticmethod
    def _next_id(tree) -> int:
        return max((int(i) for i in tree.xpath("//@id") if i.isdigit()), default=0) + 1

    def _clone_placeholders(self, tree, source: list[etree._Element], kinds: set[str], names: dict[str, str],
                            latent: bool) -> None:
        """python-pptx's placeholder clones of ``source``'s placeholders on a new slide or notes page."""
        for sp in source:
            ph = self.ph(sp)
            if ph is None:
                continue
            kind = ph.get("type", "obj")
            if (kind in _LATENT) if latent else (kind not in kinds):
                continue
            sid = self._next_id(tree)
            base = names[kind] if ph.get("orient", "horz") != "vert" else f"Vertical {names[kind]}"
            taken = set(tree.xpath("//p:cNvPr/@name", namespaces={"p": P_NS}))
            number = sid - 1
            while f"{base} {number}" in taken:
                number += 1
            attrs = "".join(f' {k}="{v}"' for k, v, default in
                            (("type", kind, "obj"), ("idx", ph.get("idx", "0"), "0"),
                             ("orient", ph.get("orient", "horz"), "horz"), ("sz", ph.get("sz", "full"), "full"))
                            if v != default)
            body = "<p:txBody><a:bodyPr/><a:lstStyle/><a:p/></p:txBody>" if kind in _WITH_TEXT else ""
            tree.append(_parse(
                f'<p:sp {_NSDECLS}><p:nvSpPr><p:cNvPr id="{sid}" name="{base} {number}"/><p:cNvSpPr>'
                f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph{attrs}/></p:nvPr></p:nvSpPr><p:spPr/>{body}</p:sp>'))

    def add_slide(self, name: str) -> tuple[Slide, list[tuple[etree._Element, str | None]]]:
        """A new slide on the layout of that name, after the others, with the layout's placeholders (as python-pptx's
        ``add_slide``); returns it and its placeholders as (element, PP_PLACEHOLDER name) pairs."""
        id_list = self.presentation.find(p("sldIdLst"))
        if id_list is None:
            id_list = etree.Element(p("sldIdLst"))
            after = [self.presentation.find(p(t)) for t in ("sldMasterIdLst", "notesMasterIdLst", "handoutMasterIdLst")]
            anchor = [el for el in after if el is not None]
            if anchor:
                anchor[-1].addnext(id_list)
            else:
                self.presentation.insert(0, id_list)
        layout = self.layouts[name]
        name = f"ppt/slides/slide{len(id_list) + 1}.xml"
        element = _parse(_SLIDE_XML)
        self._add_part(name, element, CT_SLIDE)
        slide = Slide(name, element, self.rels[name])
        slide.rels.add(RT + "slideLayout", layout)
        if layout not in self._placeholders:
            self._clone_placeholders(slide.tree, self.shapes(layout), set(), _PH_NAMES, latent=True)
            self._placeholders[layout] = [deepcopy(sp) for sp in slide.tree if sp.tag == p("sp")]
        else:
            slide.tree.extend(deepcopy(sp) for sp in self._placeholders[layout])
        rid = self._rels(self.main).add(RT + "slide", name)
        ids = [int(i) for i in id_list.xpath("./p:sldId/@id", namespaces={"p": P_NS}) if i.isdigit()]
        etree.SubElement(id_list, p("sldId"), {"id": str(max(ids) + 1 if ids else 256), f"{{{R_NS}}}id": rid})
        placed = [(sp, PH_KINDS.get(self.ph(sp).get("type", "obj"))) for sp in slide.tree
                  if sp.tag in _SHAPES and self.ph(sp) is not None]
        return slide, placed

    def add_chart(self, slide: Slide, chart_xml: bytes, workbook: bytes, box) -> None:
        """A chart part and its workbook, related and framed on the slide as python-pptx's ``add_chart``."""
        x, y, cx, cy = (int(v) for v in box)
        chart = self._next_name("ppt/charts/chart%d.xml")
        self._add_part(chart, None, CT_CHART)
        book = self._next_name("ppt/embeddings/Microsoft_Excel_Sheet%d.xlsx")
        self._add_part(book, workbook, CT_XLSX)
        book_rid = self.rels[chart].add(RT + "package", book)
        root = _parse(chart_xml)
        data = etree.Element(f"{{{C_NS}}}externalData", {f"{{{R_NS}}}id": book_rid})
        etree.SubElement(data, f"{{{C_NS}}}autoUpdate", val="0")
        later = [el for el in root if el.tag in {f"{{{C_NS}}}{t}" for t in ("printSettings", "userShapes", "extLst")}]
        later[0].addprevious(data) if later else root.append(data)  # its place in c:chartSpace (21.2.2.29)
        self.blobs[chart] = root
        rid = slide.rels.add(RT + "chart", chart)
        sid = self._next_id(slide.tree)
        slide.tree.append(_parse(
            f'<p:graphicFrame {_NSDECLS}><p:nvGraphicFramePr><p:cNvPr id="{sid}" name="Chart {sid - 1}"/>'
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
            f'</p:nvGraphicFramePr><p:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></p:xfrm>'
            f'<a:graphic><a:graphicData uri="{C_NS}"><c:chart xmlns:c="{C_NS}" r:id="{rid}"/></a:graphicData>'
            "</a:graphic></p:graphicFrame>"))

    def _notes_master(self) -> tuple[str, etree._Element]:
        """The notes master and an empty notes page cloned from it, made once; the presentation's own
        notes master, else python-pptx's default one with its theme."""
        if self._notes is None:
            found = self._rels(self.main).by_type(RT + "notesMaster")
            if found:
                master = found[0]
            else:
                master = "ppt/notesMasters/notesMaster1.xml"
                self._add_part(master, _parse(_python_pptx_template("notesMaster")), CT_NOTES_MASTER)
                theme = self._next_name("ppt/theme/theme%d.xml")
                self._add_part(theme, _parse(_python_pptx_template("theme")), CT_THEME)
                self.rels[master].add(RT + "theme", theme)
                self._rels(self.main).add(RT + "notesMaster", master)
            page = _parse(_python_pptx_template("notes"))
            tree = page.find(f"{p('cSld')}/{p('spTree')}")
            source = [el for el in self._element(master).find(f"{p('cSld')}/{p('spTree')}") if el.tag in _SHAPES]
            self._clone_placeholders(tree, source, _NOTES_CLONED, _NOTES_NAMES, latent=False)
            self._notes = (master, page)
        return self._notes

    def add_notes(self, slide: Slide) -> etree._Element | None:
        """A notes page for the slide (as python-pptx's ``slide.notes_slide``); returns its body
        placeholder, the shape that holds the notes."""
        master, page = self._notes_master()
        name = self._next_name("ppt/notesSlides/notesSlide%d.xml")
        element = deepcopy(page)
        self._add_part(name, element, CT_NOTES)
        self.rels[name].add(RT + "notesMaster", master)
        self.rels[name].add(RT + "slide", slide.name)
        slide.rels.add(RT + "notesSlide", name)
        tree = element.find(f"{p('cSld')}/{p('spTree')}")
        return next((sp for sp in tree if self.ph(sp) is not None and self.ph(sp).get("type") == "body"), None)

    def save(self, **properties: str) -> bytes:
        """The deck: the changed parts serialised, the others as read; ``properties`` (title, author)
        set in the core properties."""
        self._core_properties(properties)
        out: dict[str, bytes] = {}
        types = {"rels": CT_RELS, "xml": "application/xml"}
        overrides: dict[str, str] = {}
        for name in ["", *self.parts]:
            if name:
                value = self.blobs[name]
                out[name] = value if isinstance(value, bytes) else xml_bytes(value)
                kind = self.content_type(name)
                ext = name.rpartition(".")[2].lower()
                if _DEFAULTS.get(ext) == kind:
                    types[ext] = kind
                else:
                    overrides[name] = kind
            rels = self._rels(name)
            if rels.items:
                out[rels_name(name) if name else "_rels/.rels"] = rels.xml()
        root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
        for ext, kind in sorted(types.items()):
            etree.SubElement(root, f"{{{CT_NS}}}Default", Extension=ext, ContentType=kind)
        for name, kind in sorted(overrides.items()):
            etree.SubElement(root, f"{{{CT_NS}}}Override", PartName="/" + name, ContentType=kind)
        out[CONTENT_TYPES] = xml_bytes(root)
        return zip_parts({CONTENT_TYPES: out.pop(CONTENT_TYPES), **out})

    def _core_properties(self, values: dict[str, str]) -> None:
        found = self._rels("").by_type(RT_CORE)
        if not found:
            name = "docProps/core.xml"
            root = etree.Element(f"{{{CP_NS}}}coreProperties", nsmap={"cp": CP_NS, "dc": DC_NS})
            self._add_part(name, root, "application/vnd.openxmlformats-package.core-properties+xml")
            self.parts.remove(name)
            self.parts.insert(0, name)
            self._rels("").add(RT_CORE, name)
        else:
            root = self._element(found[0])
        for key, text in values.items():
            tag = {"title": f"{{{DC_NS}}}title", "author": f"{{{DC_NS}}}creator"}[key]
            el = root.find(tag)
            if el is None:
                el = etree.SubElement(root, tag)
            el.text = text
