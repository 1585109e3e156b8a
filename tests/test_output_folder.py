"""`generate --out`: an empty folder name is refused, and a failed write leaves nothing that was not
there before (not even the output folder the run created)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from pitchcraft import write

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "county-hospital.yaml"


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("command", ["generate", "batch", "brief", "import"])
@pytest.mark.parametrize("value", ["", "  ", "\t"])
def test_an_empty_out_folder_is_a_usage_error(command, value, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    result = cli(command, EXAMPLE, "--out", value)
    assert result.exit_code == 1, result.output
    assert "错误：'--out' 的值不对：不能为空" in result.stderr
    assert "请省略这个选项" in result.stderr
    assert "Traceback" not in result.output
    assert _tree(tmp_path) == before  # nothing written: not in the current folder, not in proposals/


def _disk_full_on_second_file(monkeypatch) -> None:
    real, calls = write.durable_write, {"n": 0}

    def durable_write(path, data):
        calls["n"] += 1
        if calls["n"] == 2:
            Path(path).write_bytes(data[:100])  # a partial file, as a full disk leaves it
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(write, "durable_write", durable_write)


def test_a_full_disk_removes_the_output_folder_it_created(cli, tmp_path, monkeypatch):
    _disk_full_on_second_file(monkeypatch)
    out = tmp_path / "new" / "deeper" / "out"
    result = cli("generate", EXAMPLE, "--out", out)
    assert result.exit_code == 1, result.output
    assert "磁盘空间不足" in result.stderr and "未生成任何文件" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "new").exists()  # every folder this run made is gone again


def test_a_full_disk_leaves_an_existing_output_folder_as_it_was(cli, tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / "old").mkdir(parents=True)
    (out / "old" / "notes.txt").write_text("客户经理自己的笔记", encoding="utf-8")
    (out / "readme.txt").write_text("已有文件", encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _disk_full_on_second_file(monkeypatch)
    result = cli("generate", EXAMPLE, "--out", out)
    assert result.exit_code == 1, result.output
    assert "磁盘空间不足" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == ["old", "readme.txt"]  # no staging, no partial file


def test_a_full_disk_in_an_existing_empty_folder_keeps_that_folder(cli, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    _disk_full_on_second_file(monkeypatch)
    result = cli("generate", EXAMPLE, "--out", out)
    assert result.exit_code == 1, result.output
    assert out.is_dir() and list(out.iterdir()) == []  # it was there before: it stays, empty
