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


def _entry(tmp_path):
    [entry] = list((tmp_path / "index").iterdir())
    return entry


def test_an_entry_is_checksummed_marshal_data_and_reading_a_planted_one_runs_no_code(tmp_path, monkeypatch):
    import hashlib
    import marshal
    import pickle

    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path))
    indexcache.cached_index(DOCS)
    entry = _entry(tmp_path)
    data = entry.read_bytes()
    head = len(indexcache.FORMAT) + 32
    assert data.startswith(indexcache.FORMAT) and hashlib.sha256(data[head:]).digest() == data[len(indexcache.FORMAT):head]
    assert marshal.loads(data[head:])["docs"] == [tuple(d) for d in DOCS]  # plain tuples, not Docs
    assert entry.stat().st_mode & 0o777 == 0o600
    marker = tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    assert _same(indexcache.cached_index(DOCS), Index(DOCS))
    assert not marker.exists()
    assert _entry(tmp_path).read_bytes() == data  # and the entry was written again

    # a checksum that holds over something else than an index: a function's code, a map of other names
    code = compile(f"open({str(marker)!r}, 'w')", "planted", "exec")
    for planted in (code, {"docs": code}, {**marshal.loads(data[head:]), "postings": code}):
        body = marshal.dumps(planted)
        entry.write_bytes(indexcache.FORMAT + hashlib.sha256(body).digest() + body)
        assert _same(indexcache.cached_index(DOCS), Index(DOCS))
        assert _entry(tmp_path).read_bytes() == data and not marker.exists()


def test_a_damaged_or_cut_entry_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path))
    indexcache.cached_index(DOCS)
    entry = _entry(tmp_path)
    data = entry.read_bytes()
    built = []
    real_init = Index.__init__
    monkeypatch.setattr(Index, "__init__", lambda self, docs: (built.append(len(docs)), real_init(self, docs))[1])
    flipped = bytearray(data)
    flipped[-10] ^= 0x01  # one bit of one float or number: marshal would read it as another index
    for damaged in (bytes(flipped), data[: len(data) // 2], data[:len(indexcache.FORMAT) + 10], b""):
        entry.write_bytes(damaged)
        built.clear()
        assert _same(indexcache.cached_index(DOCS), Index(DOCS))
        assert built.count(len(DOCS)) == 2  # built afresh (and once more here, to compare)
        assert entry.read_bytes() == data


def test_the_cache_is_used_and_the_key_names_the_python(tmp_path, monkeypatch):
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path))
    indexcache.cached_index(DOCS)
    built = []
    real_init = Index.__init__
    monkeypatch.setattr(Index, "__init__", lambda self, docs: (built.append(len(docs)), real_init(self, docs))[1])
    indexcache.cached_index(DOCS)
    assert len(DOCS) not in built  # read back, not built
    monkeypatch.setattr(indexcache, "PYTHON", "cpython-399 marshal 9")  # another Python's marshal format
    indexcache.cached_index(DOCS)
    assert len(DOCS) in built and len(list((tmp_path / "index").iterdir())) == 2


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


def test_recommendations_are_the_same_with_a_fresh_a_stored_and_no_stored_index(content, tmp_path, monkeypatch):
    from conftest import EXAMPLES

    from pitchcraft.load import load_profile
    from pitchcraft.match.recommend import Matcher, recommend

    profiles = [load_profile(path)[0] for path in EXAMPLES]
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path / "cache"))
    fresh = Matcher(content.catalog)   # built, and stored
    stored = Matcher(content.catalog)  # read back
    assert len(list((tmp_path / "cache" / "index").iterdir())) == 1
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(tmp_path / "file" / "sub"))
    (tmp_path / "file").write_text("no folder here")
    uncached = Matcher(content.catalog)
    assert _same(stored.index, uncached.index) and stored.index is not fresh.index
    for profile in profiles:
        want = recommend(profile, content.catalog, content.cases, uncached)
        assert recommend(profile, content.catalog, content.cases, fresh) == want
        assert recommend(profile, content.catalog, content.cases, stored) == want
