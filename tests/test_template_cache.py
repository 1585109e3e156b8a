"""The compiled section texts kept between runs stay bounded: every workspace adds its own entries (Jinja
keys them by the template's absolute path), so the folder is pruned to the newest when one is stored."""

from __future__ import annotations

import os

import jinja2

from pitchcraft.compose import textblocks


def test_storing_a_compiled_text_prunes_the_folder_to_its_newest(tmp_path, monkeypatch):
    folder = tmp_path / "jinja"
    folder.mkdir()
    for n in range(30):  # entries of earlier workspaces, oldest first
        old = folder / f"__jinja2_{n:02d}.cache"
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    monkeypatch.setattr(textblocks._QuietBytecodeCache, "KEEP_COMPILED", 10)
    monkeypatch.setattr(textblocks._QuietBytecodeCache, "_pruned", False)
    env = jinja2.Environment(loader=jinja2.DictLoader({"a.j2": "{{ 1 + 1 }}"}),
                             bytecode_cache=textblocks._QuietBytecodeCache(str(folder)))
    assert env.get_template("a.j2").render() == "2"
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 10
    assert "__jinja2_29.cache" in kept and "__jinja2_00.cache" not in kept  # the newest kept, the oldest gone
    assert len(set(kept) - {f"__jinja2_{n:02d}.cache" for n in range(30)}) == 1  # the one just stored


def test_a_second_store_in_the_same_process_does_not_walk_the_folder_again(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(textblocks, "prune", lambda folder, keep: calls.append(folder))
    monkeypatch.setattr(textblocks._QuietBytecodeCache, "_pruned", False)
    env = jinja2.Environment(loader=jinja2.DictLoader({"a.j2": "a", "b.j2": "b"}),
                             bytecode_cache=textblocks._QuietBytecodeCache(str(tmp_path)))
    env.get_template("a.j2"), env.get_template("b.j2")
    assert len(calls) == 1
