"""The one writer (pitchcraft.fsutil) and the profile read once, from bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pitchcraft import fsutil
from pitchcraft.errors import InputError
from pitchcraft.pipeline import profile_from_bytes, read_profile

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "county-hospital.yaml"


def test_write_file_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.txt"
    fsutil.write_text(target, "一")
    fsutil.write_text(target, "二")
    assert target.read_text(encoding="utf-8") == "二"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert target.stat().st_mode & 0o777 == fsutil.default_mode()


def test_write_file_never_replaces_without_leave_and_check_refuses(tmp_path):
    target = tmp_path / "a.txt"
    fsutil.write_text(target, "一")
    with pytest.raises(FileExistsError):
        fsutil.write_text(target, "二", replace=False)

    def refuse(path: Path) -> None:
        assert path.read_text(encoding="utf-8") == "三" and path != target
        raise ValueError("no")

    with pytest.raises(ValueError):
        fsutil.write_text(target, "三", check=refuse)
    assert target.read_text(encoding="utf-8") == "一"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_write_file_with_a_saving_function_and_a_private_mode(tmp_path):
    target = tmp_path / "b.bin"
    fsutil.write_file(target, lambda tmp: tmp.write_bytes(b"xyz"), mode=0o600)
    assert target.read_bytes() == b"xyz" and target.stat().st_mode & 0o777 == 0o600


def test_no_module_writes_by_hand():
    """Every write-and-rename goes through fsutil: no other module calls os.replace or mkstemp."""
    hand = []
    for path in (ROOT / "src" / "pitchcraft").rglob("*.py"):
        if path.name == "fsutil.py":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("mkstemp(", "os.replace(tmp, path)", "os.fdopen("):
            if needle in text:
                hand.append(f"{path.relative_to(ROOT)}: {needle}")
    assert hand == []


def test_profile_from_bytes_is_read_profile_without_the_file(tmp_path):
    raw = EXAMPLE.read_bytes()
    profile, again, warnings = profile_from_bytes(raw, "上传的档案.yaml")
    assert again == raw
    assert (profile, warnings) == read_profile(EXAMPLE)[::2]


def test_profile_from_bytes_names_its_source_in_messages():
    with pytest.raises(InputError) as exc:
        profile_from_bytes("client: {name: 某单位}\nneeds: 3\n".encode(), "上传的档案.yaml")
    assert all(str(p.file) == "上传的档案.yaml" for p in exc.value.problems)
    with pytest.raises(InputError) as exc:
        profile_from_bytes("需求".encode("gbk"), "上传的档案.yaml")
    assert "UTF-8" in str(exc.value.problems[0])
    with pytest.raises(InputError) as exc:
        profile_from_bytes(b"a: &a [1,1,1,1,1,1,1,1,1,1]\n" + b"".join(
            f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}, "
            f"*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n".encode() for i in range(8)),
            "炸弹.yaml")
    assert "超过" in str(exc.value.problems[0])
    with pytest.raises(InputError):
        profile_from_bytes(b" " * (1024 * 1024 + 1), "大.yaml")


def test_read_profile_reads_the_file_once(monkeypatch):
    opened = []
    real = os.open

    def counting(path, *args, **kwargs):
        if str(path) == str(EXAMPLE):
            opened.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting)
    import builtins
    real_open = builtins.open

    def counting_open(path, *args, **kwargs):
        if str(path) == str(EXAMPLE):
            opened.append(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    read_profile(EXAMPLE)
    assert len(opened) == 1
