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


class _Planted:
    """What a hostile pickle does when loaded: run code (here, make a file)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_an_entry_is_json_and_reading_one_runs_no_code(tmp_path, monkeypatch):
    import json
    import pickle

    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path))
    indexcache.cached_index(DOCS)
    [entry] = list((tmp_path / "index").iterdir())
    assert json.loads(entry.read_bytes())["format"] == indexcache.FORMAT
    assert entry.stat().st_mode & 0o777 == 0o600
    marker = tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    assert _same(indexcache.cached_index(DOCS), Index(DOCS))
    assert not marker.exists()


def test_a_cache_folder_others_may_write_is_not_used(tmp_path, monkeypatch):
    from pitchcraft.cache import cache_folder

    root = tmp_path / "shared"
    root.mkdir(mode=0o700)
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(root))
    assert cache_folder("index") == root / "index"
    (root / "index").chmod(0o777)
    assert cache_folder("index") is None
    assert _same(indexcache.cached_index(DOCS), Index(DOCS))
    assert list((root / "index").iterdir()) == []
    (root / "index").chmod(0o700)
    root.chmod(0o775)
    assert cache_folder("index") is None
    root.chmod(0o700)
    (root / "jinja").symlink_to(tmp_path)
    assert cache_folder("jinja") is None
