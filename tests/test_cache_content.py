"""The checked catalog, cases, company.yaml and province table (templates/regions.yaml) kept between runs: read
back only while every file, the date and the checking code are the same; never a damaged entry; the same
results, warnings and messages as a run without the cache."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import marshal
import pickle
from pathlib import Path
from types import SimpleNamespace

import pytest

from pitchcraft import cache, load
from pitchcraft.errors import InputError
from pitchcraft.pipeline import load_content
from pitchcraft.workspace import Workspace


@pytest.fixture
def kept(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(folder))
    return folder / "content"


def _no_cache(monkeypatch, tmp_path):
    (tmp_path / "blocker").write_text("a file where the cache folder would be")
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path / "blocker" / "cache"))


def _plain(content) -> object:
    """Everything a run gets from the content, fields that equality leaves out (lines, files) too."""
    catalog = dataclasses.replace(content.catalog, src=None)
    return cache.to_plain([catalog, content.cases, content.warnings, content.company], load._KEPT, load._DERIVED)


def _messages(ws: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_content(Workspace.open(ws))
    return [f"{p.location()} {p.field} {p.message}" for p in caught.value.problems]


def _never_checked(monkeypatch):
    def fail(*_args, **_kwargs):
        raise AssertionError("checked again")
    monkeypatch.setattr(load, "read_catalog", fail)
    monkeypatch.setattr(load, "read_case", fail)
    monkeypatch.setattr(load, "read_company", fail)
    monkeypatch.setattr(load, "read_checked", fail)  # the province table


def test_a_later_run_reads_back_what_the_first_checked(workspace, kept, monkeypatch, tmp_path):
    first = load_content(Workspace.open(workspace))
    assert len(list(kept.iterdir())) == 4  # the catalog, the case library, company.yaml, the province table
    with monkeypatch.context() as m:
        _never_checked(m)
        again = load_content(Workspace.open(workspace))
    assert _plain(again) == _plain(first)
    assert again.company.branch("东莞") == first.company.branch("东莞") is not None
    assert again.company.foreign_province("泉州").full_name == "福建省"  # the province table read back
    assert [w.message for w in again.warnings] == [w.message for w in first.warnings]
    assert [p.line for p in again.catalog.products] == [p.line for p in first.catalog.products]
    _no_cache(monkeypatch, tmp_path)
    assert _plain(load_content(Workspace.open(workspace))) == _plain(first)


def test_an_edited_added_or_removed_file_is_checked_afresh(workspace, kept, monkeypatch):
    load_content(Workspace.open(workspace))
    catalog = workspace / "catalog" / "products.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("集团V网", "集团V网络", 1), encoding="utf-8")
    case = workspace / "cases" / "mfg-three-plants-vnet.md"
    case.write_text(case.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
    company = workspace / "catalog" / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8").replace("  department: ", "  department: 新", 1), encoding="utf-8")
    content = load_content(Workspace.open(workspace))
    assert content.company.department.startswith("新")
    assert any(p.name == "集团V网络" for p in content.catalog.products)
    assert any(c.title.startswith("新") for c in content.cases)
    (workspace / "cases" / "copy-of-vnet.md").write_text(
        case.read_text(encoding="utf-8").replace("id: mfg-three-plants-vnet", "id: copy-of-vnet"), encoding="utf-8")
    assert len(load_content(Workspace.open(workspace)).cases) == len(content.cases) + 1
    (workspace / "cases" / "copy-of-vnet.md").unlink()
    with monkeypatch.context() as m:
        _never_checked(m)  # as it was before the copy: read back
        assert _plain(load_content(Workspace.open(workspace))) == _plain(content)


def test_the_key_names_the_date_the_python_and_the_checking_code(workspace, kept, monkeypatch):
    load_content(Workspace.open(workspace))
    entries = set(kept.iterdir())
    monkeypatch.setattr(cache, "MARSHAL", "cpython-399 marshal 9")
    load_content(Workspace.open(workspace))
    assert len(set(kept.iterdir()) - entries) == 4
    monkeypatch.setattr(load, "_checking_code", lambda: "another version of the checks")
    load_content(Workspace.open(workspace))
    assert len(set(kept.iterdir()) - entries) == 8
    tomorrow = SimpleNamespace(date=SimpleNamespace(today=lambda: datetime.date.today() + datetime.timedelta(days=1)))
    monkeypatch.setattr(load, "dt", tomorrow)  # what the checks find depends on the day (expired tariffs)
    load_content(Workspace.open(workspace))
    assert len(set(kept.iterdir()) - entries) == 12


def test_a_damaged_cut_or_planted_entry_is_not_read_and_is_written_again(workspace, kept, tmp_path):
    first = _plain(load_content(Workspace.open(workspace)))
    stored = {p: p.read_bytes() for p in kept.iterdir()}
    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    def planted_code(entry: bytes) -> bytes:  # a sound checksum over a function's code
        body = marshal.dumps(compile(f"open({str(marker)!r}, 'w')", "planted", "exec"))
        return hashlib.sha256(body).digest() + body

    def unknown_class(entry: bytes) -> bytes:  # a sound checksum over a class the cache does not build
        body = marshal.dumps(["object", "Popen", {"args": "touch ran"}])
        return hashlib.sha256(body).digest() + body

    def flipped(entry: bytes) -> bytes:
        damaged = bytearray(entry)
        damaged[len(damaged) // 2] ^= 0x01
        return bytes(damaged)

    for damage in (flipped, lambda e: e[: len(e) // 2], lambda e: e[:20], lambda e: b"",
                   lambda e: pickle.dumps(Planted()), planted_code, unknown_class):
        for path, data in stored.items():
            path.write_bytes(damage(data))
        assert _plain(load_content(Workspace.open(workspace))) == first
        assert {p: p.read_bytes() for p in kept.iterdir()} == stored  # written again, as it was
        assert not marker.exists()


def test_a_broken_file_is_never_kept_and_says_the_same_as_without_the_cache(workspace, kept, monkeypatch, tmp_path):
    load_content(Workspace.open(workspace))  # the catalog kept, with the cases it names
    (workspace / "cases" / "mfg-mould-maker-service.md").unlink()  # a product still names it
    cached = _messages(workspace)
    lines = (workspace / "catalog" / "products.yaml").read_text(encoding="utf-8").splitlines()
    vpmn = next(i for i, line in enumerate(lines) if line.strip() == "- id: vpmn")
    at = next(i for i in range(vpmn, len(lines)) if lines[i].strip().startswith("related_cases:")) + 1
    assert any(f"catalog/products.yaml:{at}:" in m and "mfg-mould-maker-service" in m for m in cached)  # 集团V网's related_cases
    catalog = workspace / "catalog" / "products.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("  - id: vpmn", "  - id: VPMN", 1), encoding="utf-8")
    entries = set(kept.iterdir())
    broken = _messages(workspace)
    assert set(kept.iterdir()) == entries and _messages(workspace) == broken  # nothing kept for it
    _no_cache(monkeypatch, tmp_path)
    assert _messages(workspace) == broken
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("  - id: VPMN", "  - id: vpmn", 1), encoding="utf-8")
    assert _messages(workspace) == cached  # the related case's line and column, as the kept catalog had them


def test_an_edited_province_table_is_read_afresh_and_a_broken_one_is_never_kept(workspace, kept, monkeypatch,
                                                                                 tmp_path):
    regions = workspace / "templates" / "regions.yaml"
    assert load_content(Workspace.open(workspace)).company.foreign_province("泉州").full_name == "福建省"
    shipped = regions.read_text(encoding="utf-8")
    regions.write_text(shipped.replace("泉州, ", "", 1), encoding="utf-8")  # 泉州 no longer known
    assert load_content(Workspace.open(workspace)).company.foreign_province("泉州") is None
    regions.write_text(shipped, encoding="utf-8")
    with monkeypatch.context() as m:
        _never_checked(m)  # as it was: read back
        assert load_content(Workspace.open(workspace)).company.foreign_province("泉州").full_name == "福建省"
    regions.write_text("provinces:\n  - name: 福建\n    full_name: 福建省\n    cities: 泉州\n", encoding="utf-8")
    entries = set(kept.iterdir())
    broken = _messages(workspace)
    assert any("regions.yaml:4:" in m and "cities" in m for m in broken)
    assert set(kept.iterdir()) == entries and _messages(workspace) == broken  # nothing kept for it
    _no_cache(monkeypatch, tmp_path)
    assert _messages(workspace) == broken


def test_plain_data_round_trip():
    from decimal import Decimal

    from pitchcraft.errors import Problem

    value = [Problem(Path("a.yaml"), 3, None, "x", "消息"), (1, 2.5, ("t", None)), {"k": [Decimal("1.10")]},
             {("products", 0): (4, 5)}, datetime.date(2026, 12, 3), True, ""]
    data = cache.to_plain(value, {"Problem": Problem})
    assert marshal.loads(marshal.dumps(data)) == data
    back = cache.from_plain(data, {"Problem": Problem})
    assert back == value and type(back[0].file) is type(Path("a.yaml")) and str(back[2]["k"][0]) == "1.10"
    with pytest.raises(TypeError):
        cache.to_plain({1, 2}, {})
    with pytest.raises(TypeError):
        cache.to_plain(Problem("a", 1, 1, "", ""), {})  # a class not named
