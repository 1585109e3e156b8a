"""Issue 16, one test per class of fault: no input breaks pitchcraft, and every mistake is answered
in Chinese at the place of the mistake.

Tracebacks (any text, number, date), unbounded reads and hangs, formula injection, Windows device
names, orphaned workers, and the messages: YAML errors, click's texts, exit status.
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, Cli

sys.path.insert(0, str(ROOT / "bench"))
import synth_content  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
SHIPPED = Cli(ROOT)


def refused(result, *words: str) -> str:
    """A clean refusal: exit 1, Chinese on stderr, no traceback; the message returned."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    err = result.stderr
    assert CJK.search(err) and "Traceback" not in err, err
    for word in words:
        assert word in err, (word, err)
    return err


# --- orphans: workers end with their parent ----------------------------------------------------


def _descendants(pid: int) -> set[int]:
    """Processes whose parent chain leads to ``pid`` or that share its session (start_new_session)."""
    out = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session == pid and int(entry.name) != pid and state != b"Z":
            out.add(int(entry.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_exit_when_the_batch_parent_is_killed(tmp_path):
    ws = tmp_path / "ws"
    for name in ("catalog", "cases", "templates"):
        import shutil
        shutil.copytree(ROOT / name, ws / name)
    synth_content.write_profiles(tmp_path / "profiles", 12)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pitchcraft", "--workspace", str(ws), "batch", str(tmp_path / "profiles"),
           "--out", str(out), "--workers", "2"]
    run = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300  # a guard against a hang, not a speed requirement
        while time.monotonic() < deadline and run.poll() is None:
            if len(_descendants(run.pid)) >= 3 and out.is_dir() and any(out.iterdir()):
                break
            time.sleep(0.05)
        assert run.poll() is None, "the batch finished before it could be killed"
        assert _descendants(run.pid), "no worker was started"
        os.kill(run.pid, signal.SIGKILL)  # the parent only
        run.wait()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _descendants(run.pid):
            time.sleep(0.2)
        left = _descendants(run.pid)
    finally:
        for pid in _descendants(run.pid):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left behind: {left}"
