"""The matcher's index kept between runs: the same index as a fresh build, never a stale or broken one."""

from __future__ import annotations

from pitchcraft.match import indexcache
from pitchcraft.match.index import Doc, Index

DOCS = [Doc("p1", "每个月光话费报销就好几万", 1.0), Doc("p1", "集团内部互打免费", 0.8),
        Doc("p2", "车间设备停机没人知道", 1.0), Doc("", "帮我修电脑", 1.0)]


def _same(a: Index, b: Index) -> bool:
    return vars(a) == vars(b)


def test_a_stored_index_is_the_index_built(tmp_path, monkeypatch):
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path))
    first = indexcache.cached_index(DOCS)
    [entry] = list((tmp_path / "index").iterdir())
    again = indexcache.cached_index(DOCS)
    assert again is not first and _same(again, first) and _same(again, Index(DOCS))
    changed = [*DOCS[:-1], Doc("", "帮我修打印机", 1.0)]
    assert _same(indexcache.cached_index(changed), Index(changed))  # another catalog, another entry
    assert len(list((tmp_path / "index").iterdir())) == 2 and entry.exists()


def test_a_broken_entry_is_rebuilt_and_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path))
    indexcache.cached_index(DOCS)
    [entry] = list((tmp_path / "index").iterdir())
    entry.write_bytes(b"\x80\x05not a pickle")
    assert _same(indexcache.cached_index(DOCS), Index(DOCS))
    assert _same(indexcache.cached_index(DOCS), Index(DOCS))  # and the entry was written again


def test_only_the_newest_entries_are_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path))
    for n in range(indexcache.KEEP + 3):
        indexcache.cached_index([*DOCS, Doc("p3", f"第{n}版目录的说法", 1.0)])
    assert len(list((tmp_path / "index").iterdir())) == indexcache.KEEP


def test_no_cache_folder_and_large_catalogs_just_build(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(blocker / "sub"))
    assert _same(indexcache.cached_index(DOCS), Index(DOCS))
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(indexcache, "STORE_BELOW", 2)
    assert _same(indexcache.cached_index(DOCS), Index(DOCS))
    assert not (tmp_path / "cache" / "index").exists()
