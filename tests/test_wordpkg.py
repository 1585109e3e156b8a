"""The Word package writer on references other than the shipped one: what a brand's own reference
may lack or hold, the document must still show correctly (reopened with python-docx)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from conftest import ROOT
from pitchcraft.errors import RenderError
from pitchcraft.render.wordpkg import WordPackage

REFERENCE = ROOT / "templates" / "reference.docx"


def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of ``source`` with each part passed through ``change(name, data)`` (None drops it)."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in z.namelist():
            data = change(name, z.read(name))
            if data is not None:
                out.writestr(name, data)
    return target


def _body(text: str) -> list[str]:
    return [f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"]


def test_the_same_document_gives_the_same_bytes():
    first = WordPackage(REFERENCE).save(_body("甲"), title="建议书")
    assert WordPackage(REFERENCE).save(_body("甲"), title="建议书") == first


def test_body_styles_properties_and_other_parts_are_kept(tmp_path):
    package = WordPackage(REFERENCE)
    package.title_page(True)
    path = tmp_path / "out.docx"
    path.write_bytes(package.save(_body("华南精密"), title="标题", subject="主题", author="政企客户部"))
    doc = Document(str(path))
    assert [p.text for p in doc.paragraphs] == ["华南精密"]
    assert doc.sections[0].different_first_page_header_footer
    assert (doc.core_properties.title, doc.core_properties.subject, doc.core_properties.author) == (
        "标题", "主题", "政企客户部")
    with zipfile.ZipFile(REFERENCE) as ref, zipfile.ZipFile(path) as out:
        for name in ("word/styles.xml", "word/numbering.xml", "word/footer1.xml", "customXml/item1.xml"):
            assert out.read(name) == ref.read(name)


def test_a_reference_without_a_header_gets_one_for_the_mark(tmp_path):
    def no_header(name, data):
        if name == "word/header1.xml":
            return None
        if name == "word/document.xml":
            return re.sub(rb'<w:headerReference [^>]*/>', b"", data)
        if name == "word/_rels/document.xml.rels":
            return re.sub(rb'<Relationship [^>]*Target="header1.xml"/>', b"", data)
        if name == "[Content_Types].xml":
            return re.sub(rb'<Override PartName="/word/header1.xml"[^>]*/>', b"", data)
        return data

    reference = _rewrite(REFERENCE, tmp_path / "ref.docx", no_header)
    package = WordPackage(reference)
    package.header_text("内部资料 请勿外传")
    path = tmp_path / "out.docx"
    path.write_bytes(package.save(_body("正文")))
    section = Document(str(path)).sections[0]
    assert section.header.paragraphs[0].text == "内部资料 请勿外传"
    assert not section.header.is_linked_to_previous


def test_a_reference_without_document_properties_gets_them(tmp_path):
    def no_core(name, data):
        if name == "_rels/.rels":
            return re.sub(rb'<Relationship [^>]*Target="docProps/core.xml"/>', b"", data)
        if name == "[Content_Types].xml":
            return re.sub(rb'<Override PartName="/docProps/core.xml"[^>]*/>', b"", data)
        return None if name == "docProps/core.xml" else data

    reference = _rewrite(REFERENCE, tmp_path / "ref.docx", no_core)
    path = tmp_path / "out.docx"
    path.write_bytes(WordPackage(reference).save(_body("正文"), title="建议书"))
    assert Document(str(path)).core_properties.title == "建议书"


@pytest.mark.parametrize("content", [b"not a zip", b""])
def test_a_broken_reference_is_named(tmp_path, content):
    reference = tmp_path / "ref.docx"
    reference.write_bytes(content)
    with pytest.raises(RenderError, match="ref.docx 无法打开"):
        WordPackage(reference)


@pytest.mark.parametrize("part", ["word/styles.xml", "word/document.xml", "_rels/.rels"])
def test_a_reference_with_a_broken_part_is_named(tmp_path, part):
    reference = _rewrite(REFERENCE, tmp_path / "ref.docx", lambda name, data: b"<w:oops" if name == part else data)
    with pytest.raises(RenderError, match="ref.docx 无法打开"):
        WordPackage(reference)


def test_a_reference_changed_during_a_run_is_read_again(tmp_path):
    reference = tmp_path / "ref.docx"
    reference.write_bytes(REFERENCE.read_bytes())
    assert "Heading 1" in WordPackage(reference).style_ids
    _rewrite(REFERENCE, reference, lambda name, data: data.replace(b'w:val="heading 1"', b'w:val="Chapter"')
             if name == "word/styles.xml" else data)
    package = WordPackage(reference)
    assert "Heading 1" not in package.style_ids and "Chapter" in package.style_ids
    with pytest.raises(RenderError, match="缺少样式：Heading 1"):
        package.require_styles({"Heading 1"})
