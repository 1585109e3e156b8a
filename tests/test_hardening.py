"""Bad data and bad luck: generated profiles, failures inside the renderers and the writer, a batch
killed with SIGKILL, two batches into one folder, alias bombs and huge files.

The tool must either succeed or refuse with a clear Chinese message — never a traceback, never a
half-written proposal, never another proposal overwritten.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings, strategies as st

from conftest import ROOT, Cli, copy_workspace
from docreader import docx_text, pptx_slides

sys.path.insert(0, str(ROOT / "bench"))
import synth_content  # noqa: E402

from pitchcraft import pipeline, write  # noqa: E402
from pitchcraft.errors import RenderError, UsageError  # noqa: E402
from pitchcraft.render import docx as render_docx, pptx as render_pptx  # noqa: E402
from pitchcraft.workspace import Workspace  # noqa: E402
from pitchcraft.yamlsrc import PROFILE_LIMITS, count_values  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
SHIPPED = Cli(ROOT)  # read-only commands only (recommend); generate writes into temporary folders

# --- property-based: generated profiles, valid and broken -------------------------------------

HANZI = list("客户员工门店仓库厂区车间话费电话太贵审批签字视频监控短信通知宽带断网排队来电没人接预约")
WORDS = HANZI + ["{{ 7*7 }}", "{% if x %}", "<w:p>", "../", "\\", "\n", "\x07", "\u200b", "𠀀", "ＡＢＣ", "100%", "最", " "]
say = st.lists(st.sampled_from(WORDS), min_size=0, max_size=25).map("".join)
said = st.builds(str.__add__, st.sampled_from(HANZI), say)  # never blank
named = st.builds(str.__add__, st.sampled_from(HANZI),
                  st.lists(st.sampled_from([w for w in WORDS if w.isprintable()]), max_size=12).map("".join))
anything = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), st.dates(), say),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


def mostly(good):
    """Usually a valid value, sometimes anything at all."""
    return st.one_of(good, good, good, anything)


INDUSTRIES = ["manufacturing", "制造业", "零售", "healthcare", "医疗", "教育", "government", "物流", "农业", "航天"]
CATEGORIES = ["basic_comms", "mobile_office", "production_control", "marketing", "基础通信", "服务营销", "其他"]

client = st.fixed_dictionaries(
    {"name": mostly(said)},
    optional={"industry": mostly(st.sampled_from(INDUSTRIES)),
              "employees": mostly(st.integers(min_value=-5, max_value=10**7)),
              "sites": mostly(st.integers(min_value=0, max_value=500)),
              "tier": mostly(st.sampled_from(["A", "B", "C", "D", "a"])),
              "region": mostly(say), "competitor": mostly(say)})
category = st.one_of(st.sampled_from(CATEGORIES), st.sampled_from(CATEGORIES), st.text(max_size=8), st.integers(), st.none())
needs = st.dictionaries(category, mostly(st.lists(mostly(say), max_size=4)), max_size=4)
# a profile that is valid apart from what its texts say: it reaches matching, composing and rendering
valid_client = st.fixed_dictionaries(
    {"name": named, "industry": st.sampled_from(INDUSTRIES[:-1])},
    optional={"employees": st.integers(1, 10**6), "sites": st.integers(1, 300), "tier": st.sampled_from("ABC"),
              "region": said, "competitor": said})
valid_needs = st.dictionaries(st.sampled_from(CATEGORIES[:-1]), st.lists(said, min_size=1, max_size=3),
                              min_size=1, max_size=4)
valid_profiles = st.fixed_dictionaries({"client": valid_client, "needs": valid_needs},
                                       optional={"current_services": st.lists(st.sampled_from(["集团V网", "企业宽带"]),
                                                                              max_size=2)})
profiles = st.one_of(valid_profiles, st.fixed_dictionaries(
    {"client": mostly(client), "needs": mostly(needs)},
    optional={"contacts": mostly(st.lists(st.fixed_dictionaries(
                  {"name": mostly(say)}, optional={"title": mostly(say), "role": mostly(st.sampled_from(
                      ["decision_maker", "influencer", "user", "gatekeeper", "boss"]))}), max_size=3)),
              "current_services": mostly(st.lists(mostly(st.sampled_from(["集团V网", "企业宽带", "不存在的业务"])),
                                                  max_size=3)),
              "budget": mostly(st.fixed_dictionaries({"monthly_cny": mostly(st.integers(-10, 10**6))})),
              "visit": mostly(st.fixed_dictionaries({}, optional={"date": mostly(st.dates()), "manager": mostly(say)})),
              "备注": anything}))


@st.composite
def profile_bytes(draw) -> bytes:
    """A profile as the bytes of a file: dumped YAML, then perhaps cut, spliced or re-encoded."""
    text = yaml.safe_dump(draw(profiles), allow_unicode=True, sort_keys=False)
    how = draw(st.sampled_from(["as is", "as is", "as is", "cut", "splice", "gbk", "bytes"]))
    if how == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif how == "splice":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from([":", "- ", "&a ", "*a", "!!python/object:os.system ", "\t", "[", "'"])) + text[at:]
    elif how == "bytes":
        return draw(st.binary(max_size=200))
    try:
        return text.encode("gbk") if how == "gbk" else text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def refused_clearly(result) -> None:
    assert result.exit_code == 1, result.output
    assert "错误：" in result.stderr and CJK.search(result.stderr)
    assert "Traceback" not in result.stderr


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=profile_bytes())
def test_any_profile_is_recommended_or_refused_with_a_clear_message(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "客户.yaml"
        path.write_bytes(data)
        result = SHIPPED("recommend", path, "--json")  # an unexpected exception is raised here
        event("recommended" if result.exit_code == 0 else "refused")
        if result.exit_code == 0:
            rec = json.loads(result.stdout)
            assert rec["client"]["name"].strip()
        else:
            refused_clearly(result)
            assert result.stdout == ""


@settings(max_examples=6, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=valid_profiles)
def test_any_profile_is_generated_whole_or_refused_with_nothing_written(profile):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "客户.yaml"
        path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
        out = Path(tmp) / "out"
        result = SHIPPED("generate", path, "--out", out)
        event("generated" if result.exit_code == 0 else "refused")
        if result.exit_code == 0:
            folder, = out.iterdir()
            name = profile["client"]["name"]
            text = docx_text(folder / "proposal.docx")
            assert "".join(c for c in name if c.isprintable()).strip()[:10] in text
            assert pptx_slides(folder / "pitch.pptx")
        else:
            refused_clearly(result)
            assert not out.exists() or not any(out.iterdir())


# --- failures injected inside the renderers and the writer -------------------------------------


def _fail_on_call(monkeypatch, owner, attr: str, n: int, exc: BaseException) -> None:
    """Make ``owner.attr`` raise ``exc`` on its n-th call (the first n-1 do their real work)."""
    real = getattr(owner, attr)
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, attr, wrapper)


INJECTIONS = {
    "docx renderer, 40th block": (render_docx.BodyWriter, "block", 40, RuntimeError("injected")),
    "pptx renderer, 5th slide": (render_pptx._Deck, "add", 5, RuntimeError("injected")),
    "writer, 2nd file: disk full": (write, "durable_write", 2, OSError(errno.ENOSPC, "No space left on device")),
    "writer, 2nd file: Ctrl-C": (write, "durable_write", 2, KeyboardInterrupt()),
    "writer, manifest": (write, "durable_write", 4, RuntimeError("injected")),
}


@pytest.mark.parametrize("where", list(INJECTIONS))
def test_a_failure_midway_leaves_no_folder(where, monkeypatch, workspace, tmp_path):
    owner, attr, n, exc = INJECTIONS[where]
    _fail_on_call(monkeypatch, owner, attr, n, exc)
    out = tmp_path / "out"
    expected = UsageError if isinstance(exc, OSError) else type(exc)
    with pytest.raises(expected) as raised:
        pipeline.generate(Workspace.open(workspace), ROOT / "examples" / "county-hospital.yaml", out)
    if expected is UsageError:
        assert "磁盘空间不足" in str(raised.value)
    assert not out.exists()  # no folder, no hidden staging folder, not the output folder itself


def test_a_render_error_is_a_message_and_nothing_is_written(monkeypatch, cli, tmp_path):
    _fail_on_call(monkeypatch, render_pptx._Deck, "add", 3, RenderError("参考演示文稿的版式损坏"))
    out = tmp_path / "out"
    result = cli("generate", ROOT / "examples" / "county-hospital.yaml", "--out", out)
    refused_clearly(result)
    assert "参考演示文稿的版式损坏" in result.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_a_failed_replacement_keeps_the_previous_proposal(monkeypatch, workspace, tmp_path):
    ws, example, out = Workspace.open(workspace), ROOT / "examples" / "county-hospital.yaml", tmp_path / "out"
    first = pipeline.generate(ws, example, out).folder
    before = (first / "proposal.docx").read_bytes()
    _fail_on_call(monkeypatch, write, "durable_write", 3, RuntimeError("injected"))
    with pytest.raises(RuntimeError):
        pipeline.generate(ws, example, out, force=True)
    assert [p.name for p in out.iterdir()] == [first.name]
    assert (first / "proposal.docx").read_bytes() == before


# --- a batch killed with SIGKILL, then rerun ---------------------------------------------------


def _batch_cmd(ws: Path, profiles: Path, out: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "pitchcraft", "--workspace", str(ws), "batch", str(profiles),
            "--out", str(out), "--workers", str(workers)]


def _workspace(root: Path) -> Path:
    copy_workspace(root)
    return root


def _client(profile: Path) -> str:
    return yaml.safe_load(profile.read_text(encoding="utf-8"))["client"]["name"]


def _assert_every_proposal_whole(profiles: list[Path], out: Path) -> None:
    made = {f: (f / "profile.yaml").read_bytes() for f in out.iterdir() if not f.name.startswith(".")}
    assert len(made) == len(profiles)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    for profile in profiles:
        folder, = [f for f, raw in made.items() if raw == profile.read_bytes()]
        name = _client(profile)
        assert name in docx_text(folder / "proposal.docx")
        assert name in pptx_slides(folder / "pitch.pptx")[0]["text"]
        assert write.intact(folder, write.read_manifest(folder))


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_a_batch_killed_mid_run_and_rerun_ends_complete(tmp_path):
    ws = _workspace(tmp_path / "ws")
    profiles = synth_content.write_profiles(tmp_path / "profiles", 20)
    out = tmp_path / "out"
    run = subprocess.Popen(_batch_cmd(ws, tmp_path / "profiles", out, 2), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300  # a guard against a hang, not a speed requirement
        while time.monotonic() < deadline and run.poll() is None:
            if out.is_dir() and any(not p.name.startswith(".") for p in out.iterdir()):
                break
            time.sleep(0.05)
        assert run.poll() is None, "the batch finished before it could be killed"
        os.killpg(run.pid, signal.SIGKILL)  # the parent and its workers, mid-write or not
    finally:
        run.wait()
    written = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert 0 < len(written) < len(profiles)
    rerun = subprocess.run(_batch_cmd(ws, tmp_path / "profiles", out, 2), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    _assert_every_proposal_whole(profiles, out)


# --- two batches into the same folder at once --------------------------------------------------


def test_two_batches_at_once_lose_nothing_and_clobber_nothing(tmp_path):
    ws = _workspace(tmp_path / "ws")
    profiles = synth_content.write_profiles(tmp_path / "profiles", 6)
    out = tmp_path / "out"
    runs = [subprocess.Popen(_batch_cmd(ws, tmp_path / "profiles", out, 1), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [r.communicate(timeout=600) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    generated = sum(int(re.search(r"^已生成\s+(\d+)", o, re.M).group(1)) for o, _ in results)
    skipped = sum(int(re.search(r"^已是最新（跳过）\s+(\d+)", o, re.M).group(1)) for o, _ in results)
    assert (generated, skipped) == (6, 6)  # each proposal written once, by one of the two
    _assert_every_proposal_whole(profiles, out)


def test_two_batches_with_one_client_each_keep_exactly_one_folder(tmp_path):
    ws = _workspace(tmp_path / "ws")
    (name, text), = synth_content.profile_variants(1)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.yaml").write_text(text, encoding="utf-8")
    other = yaml.safe_load(text)
    other["needs"] = {"marketing": ["客户打电话进来没人接，生意都跑到隔壁去了"]}
    (second / "b.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    runs = [subprocess.Popen(_batch_cmd(ws, d, out, 1), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for d in (first, second)]
    results = [r.communicate(timeout=600) for r in runs]
    assert sorted(r.returncode for r in runs) == [0, 1], results
    loser = results[[r.returncode for r in runs].index(1)][0]
    assert "已由另一份档案" in loser and "未覆盖" in loser
    folder, = [p for p in out.iterdir() if not p.name.startswith(".")]
    winner = first / "a.yaml" if runs[0].returncode == 0 else second / "b.yaml"
    assert (folder / "profile.yaml").read_bytes() == winner.read_bytes()
    assert write.intact(folder, write.read_manifest(folder))


# --- alias bombs and huge inputs, within bounded memory ----------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))  # 10^9 values


_HWM = ("import atexit, runpy, sys\n"
        "def hwm():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM'):\n"
        "            sys.stderr.write('\\nPEAK_KB ' + line.split()[1] + '\\n')\n"
        "atexit.register(hwm)\n"
        "sys.argv = [sys.argv[1], *sys.argv[2:]]\n"
        "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n")


def _peak_mb(cmd: list[str], cwd: Path | None = None) -> tuple[int, str, float]:
    """Run a command; its exit status, stderr and peak resident memory (MB) — of that process alone.

    ``python -m MODULE …`` runs under a wrapper that reports the process's own high-water mark
    (VmHWM, reset by exec); getrusage's ru_maxrss would also count the memory of the pytest process
    it was forked from, whatever the child itself uses.
    """
    if len(cmd) > 2 and cmd[1] == "-m" and Path("/proc/self/status").exists():
        cmd = [cmd[0], "-c", _HWM, *cmd[2:]]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    err = proc.stderr.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    marks = [line for line in err.splitlines() if line.startswith("PEAK_KB ")]
    if marks:
        err = "\n".join(line for line in err.splitlines() if not line.startswith("PEAK_KB "))
        return proc.returncode, err, int(marks[-1].split()[1]) / 1024
    return proc.returncode, err, usage.ru_maxrss / 1024


def _cli(ws: Path, *args) -> list[str]:
    return [sys.executable, "-m", "pitchcraft", "--workspace", str(ws), *map(str, args)]


MEMORY_CAP_MB = 250  # a run on a normal profile peaks near 90 MB; an expanded bomb would need gigabytes

pytestmark_memory = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 (POSIX)")


@pytestmark_memory
def test_a_profile_alias_bomb_is_refused_in_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("client:\n  name: 炸弹公司\n  industry: 制造业\nneeds:\n  basic_comms: [话费太贵]\n" + BOMB,
                    encoding="utf-8")
    code, err, peak = _peak_mb(_cli(ROOT, "recommend", bomb))
    assert code == 1 and "别名炸弹" in err and "Traceback" not in err
    assert peak < MEMORY_CAP_MB


@pytestmark_memory
@pytest.mark.parametrize("kind", ["5 MB file", "dense file under the byte limit", "endless device"])
def test_a_huge_profile_is_refused_in_bounded_memory(kind, tmp_path):
    if kind == "5 MB file":
        path = tmp_path / "big.yaml"
        path.write_text("client:\n  name: 大公司\nneeds:\n  marketing:\n" + "    - 客户打电话没人接\n" * 200_000,
                        encoding="utf-8")
        words = f"需求档案过大（{path.stat().st_size / 1024 / 1024:.1f} MB），上限 1.0 MB"
    elif kind == "dense file under the byte limit":
        path = tmp_path / "dense.yaml"
        path.write_text("client: {name: 密公司}\nneeds: {marketing: [" + "1," * 300_000 + "1]}\n", encoding="utf-8")
        assert path.stat().st_size < PROFILE_LIMITS.max_bytes
        words = f"展开后超过 {PROFILE_LIMITS.max_nodes} 个值"
    else:
        path = Path("/dev/zero")
        if not path.exists():
            pytest.skip("no /dev/zero")
        words = "这是一个设备或特殊文件，不是普通文件"  # refused before a byte is read
    code, err, peak = _peak_mb(_cli(ROOT, "recommend", path))
    assert code == 1 and words in err and "Traceback" not in err, err
    assert peak < MEMORY_CAP_MB


@pytestmark_memory
@pytest.mark.parametrize("where", ["catalog", "case"])
def test_an_alias_bomb_in_the_catalog_or_a_case_is_refused_in_bounded_memory(where, tmp_path):
    ws = _workspace(tmp_path / "ws")
    if where == "catalog":
        path = ws / "catalog" / "products.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n" + BOMB.replace("a:", "zz_a:", 1), encoding="utf-8")
    else:
        path = sorted((ws / "cases").glob("*.md"))[0]
        front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        path.write_text(front + "\n" + BOMB.replace("a:", "zz_a:", 1) + "---\n" + body, encoding="utf-8")
    code, err, peak = _peak_mb(_cli(ws, "recommend", ROOT / "examples" / "county-hospital.yaml"))
    assert code == 1 and "别名炸弹" in err and path.name in err and "Traceback" not in err, err
    assert peak < MEMORY_CAP_MB


def test_value_count_expands_aliases_without_building_them():
    count, mark = count_values(BOMB, 10_000)
    assert mark is not None and count > 10_000  # stopped early, at the first line that goes past
    assert count_values("a: &x [1, 2, 3]\nb: [*x, *x]\n", 100) == (1 + 1 + 4 + 1 + 1 + 4 + 4, None)
