"""Compiled section texts are cached between runs, never at the cost of a stale or failed render."""

import errno

from pitchcraft.textblocks import _bytecode_cache, make_env, render_text


def _render(folder, monkeypatch, cache_dir):
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(cache_dir))
    return render_text(make_env([folder], _bytecode_cache()), "t.j2", {"name": "华南精密"})


def test_an_edited_text_is_compiled_again(tmp_path, monkeypatch):
    (tmp_path / "t.j2").write_text("致{{ name }}", encoding="utf-8")
    cache = tmp_path / "cache"
    assert _render(tmp_path, monkeypatch, cache) == "致华南精密"
    assert list(cache.rglob("__jinja2_*.cache"))  # stored for the next run
    (tmp_path / "t.j2").write_text("尊敬的{{ name }}", encoding="utf-8")
    assert _render(tmp_path, monkeypatch, cache) == "尊敬的华南精密"


def test_a_full_disk_only_costs_a_compile(tmp_path, monkeypatch):
    import jinja2.bccache

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", disk_full)
    (tmp_path / "t.j2").write_text("致{{ name }}", encoding="utf-8")
    assert _render(tmp_path, monkeypatch, tmp_path / "cache") == "致华南精密"
    assert not list((tmp_path / "cache").rglob("__jinja2_*"))


def test_a_cache_folder_that_cannot_be_made_is_no_cache(tmp_path, monkeypatch):
    (tmp_path / "t.j2").write_text("致{{ name }}", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert _render(tmp_path, monkeypatch, blocker / "sub") == "致华南精密"
