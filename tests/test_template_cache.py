"""Compiled section texts are cached between runs, never at the cost of a stale or failed render."""

import errno

from pitchcraft.compose.textblocks import _bytecode_cache, make_env, render_text


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


# --- template checks --------------------------------------------------------------------------


def _check(path, monkeypatch, cache_dir):
    from pitchcraft.compose import outline

    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(cache_dir))
    outline._check_source.cache_clear()  # a new run: only the folder remembers
    return outline._check_one(path, {"name"}, {"需求表"})


def test_a_clean_check_is_remembered_and_an_edit_is_checked_again(tmp_path, monkeypatch):
    text = tmp_path / "t.j2"
    text.write_text("致{{ name }}\n[[需求表]]\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert _check(text, monkeypatch, cache) == ()
    assert len(list((cache / "checked-templates").iterdir())) == 1
    text.write_text("致{{ name }}{{ budget }}\n[[报价表]]\n", encoding="utf-8")
    found = _check(text, monkeypatch, cache)
    assert [(p.line, p.message.split("；")[0]) for p in found] == [
        (1, "模板使用了不存在的变量 budget"), (2, "组件 [[报价表]] 不存在")]
    assert _check(text, monkeypatch, cache) == found  # a finding is never remembered as clean
    assert len(list((cache / "checked-templates").iterdir())) == 1


def test_a_template_check_needs_no_writable_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    text = tmp_path / "t.j2"
    text.write_text("{% if %}", encoding="utf-8")
    assert [p.message for p in _check(text, monkeypatch, blocker / "sub")][0].startswith("模板语法错误")
    text.write_text("致{{ name }}", encoding="utf-8")
    assert _check(text, monkeypatch, blocker / "sub") == ()
