"""The benchmark script runs from start to end (with tiny sizes); nothing here is about speed."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


TIME = r"(?:\d+ ms|[\d.]+ s)"  # bench/run.py writes seconds from 3 s on (a loaded machine)


def test_bench_script_runs_every_part_and_prints_its_tables(tmp_path):
    readme = (ROOT / "README.md").read_bytes()
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick"], capture_output=True,
                         text=True, cwd=tmp_path, timeout=900)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    for heading in ("One proposal as a whole process", "One proposal, stage by stage", "Matching against 40 products",
                    "Batch of 2 profiles", "Projection: a province-wide run of 100,000 clients"):
        assert f"#### {heading}" in out, heading
    assert re.search(rf"\| `pitchcraft generate examples/\S+` \| {TIME} \| \*\*[\d.]+×\*\* \| {TIME} \| [\d.]+× \|$",
                     out, re.M)  # wall time and CPU time, each against the floor
    for stage in ("load profile", "match", "compose", "render docx", "render pptx", "write folder"):
        assert re.search(rf"^\| {stage} \| {TIME} \| \d+% \|$", out, re.M), stage
    assert re.search(r"^\| 2 \| 2 \| [\d.]+ s \| \*\*[\d.]+\*\* \| \d+ MB \|$", out, re.M)  # 2 workers, 2 proposals
    assert re.match(r"Measured on \d{4}-\d{2}-\d{2}: .+, \d+ cores \(`nproc`\), Python 3\.", out)
    assert (ROOT / "README.md").read_bytes() == readme  # only --readme writes there


def test_a_partial_run_rewrites_only_its_own_tables(tmp_path, monkeypatch):
    """``--only process --readme`` replaces that section of the README's block and keeps the others."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n" + bench.MARK_START + "\nMeasured on 2026-11-23.\n\n#### One proposal as a whole "
                      "process\n\nold process table\n\n#### Batch of 500 profiles\n\nold batch table\n"
                      + bench.MARK_END + "\n\nafter\n", encoding="utf-8")
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    section = bench.noted("#### One proposal as a whole process\n\nnew process table", "*measured today*")
    assert section == "#### One proposal as a whole process\n\n*measured today*\n\nnew process table"
    bench.write_readme_parts([section])
    text = readme.read_text(encoding="utf-8")
    assert "new process table" in text and "old process table" not in text
    assert "Measured on 2026-11-23." in text and "#### Batch of 500 profiles\n\nold batch table\n" in text
    assert text.endswith(bench.MARK_END + "\n\nafter\n")
