"""pitchcraft batch: a campaign folder of profiles into proposals, reruns that skip what is up to date,
collisions reported rather than overwritten, a crashing worker costing only its own profile."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from pptx import Presentation

from conftest import FIXTURES, ROOT, Cli, copy_workspace
from docreader import docx_text, pptx_slides

sys.path.insert(0, str(ROOT / "bench"))
import synth_content  # noqa: E402

from pitchcraft.prep import batch
from pitchcraft import write  # noqa: E402
from pitchcraft.pipeline import Inputs, Session  # noqa: E402
from pitchcraft.workspace import Workspace  # noqa: E402

BROKEN = FIXTURES / "invalid" / "profiles" / "tier-d.yaml"


def make_workspace(root: Path) -> Path:
    copy_workspace(root)
    return root


def client_name(profile: Path) -> str:
    return yaml.safe_load(profile.read_text(encoding="utf-8"))["client"]["name"]


def folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith("."))


def hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def folder_of(out: Path, profile: Path) -> Path:
    """The one output folder whose profile.yaml is this profile's bytes."""
    found = [f for f in folders(out) if (f / "profile.yaml").read_bytes() == profile.read_bytes()]
    assert len(found) == 1, (profile.name, [f.name for f in folders(out)])
    return found[0]


def assert_complete(folder: Path, name: str) -> None:
    """Both documents open and name the client; every file matches the manifest."""
    assert name in docx_text(folder / "proposal.docx")
    slides = pptx_slides(folder / "pitch.pptx")
    assert name in slides[0]["text"]
    meta = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for fname, digest in meta["files"].items():
        assert hashlib.sha256((folder / fname).read_bytes()).hexdigest() == digest, fname
    assert meta["profile_sha256"] == hashlib.sha256((folder / "profile.yaml").read_bytes()).hexdigest()


def counts(stdout: str) -> dict[str, int]:
    """The closing table: label -> number."""
    out = {}
    for label in ("已生成", "已是最新（跳过）", "失败（原因）"):
        line = next(ln for ln in stdout.splitlines() if ln.startswith(label))
        out[label] = int(line.split()[-1])
    return out


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    """One batch run over four profiles and a broken one, into a fresh output folder."""
    base = tmp_path_factory.mktemp("campaign")
    ws = make_workspace(base / "ws")
    profiles = base / "profiles"
    synth_content.write_profiles(profiles, 4)
    shutil.copy(BROKEN, profiles / "zz-broken.yaml")
    (profiles / "notes.txt").write_text("not a profile", encoding="utf-8")
    out = base / "out"
    result = Cli(ws)("batch", profiles, "--out", out, "--workers", "2")
    return base, ws, profiles, out, result


@pytest.fixture
def rerunnable(campaign, tmp_path):
    """A private copy of the campaign's workspace, profiles and output, to change and rerun."""
    base = campaign[0]
    for name in ("ws", "profiles", "out"):
        shutil.copytree(base / name, tmp_path / name)
    return tmp_path / "ws", tmp_path / "profiles", tmp_path / "out", Cli(tmp_path / "ws")


def test_every_valid_profile_becomes_a_complete_proposal(campaign):
    _base, _ws, profiles, out, _result = campaign
    valid = sorted(profiles.glob("0*.yaml"))
    assert len(valid) == 4
    assert len(folders(out)) == 4
    for profile in valid:
        folder = folder_of(out, profile)
        assert folder.name == f"{dt.date.today().isoformat()}-{write.slug(client_name(profile))}"
        assert_complete(folder, client_name(profile))
    assert hidden(out) == []


def test_closing_table_names_each_failure_and_exit_status_is_1(campaign):
    *_rest, result = campaign
    assert result.exit_code == 1
    assert counts(result.stdout) == {"已生成": 4, "已是最新（跳过）": 0, "失败（原因）": 1}
    failure = result.stdout.split("失败（原因）：", 1)[1]
    assert "zz-broken.yaml" in failure and "未知的客户价值等级 'D'" in failure
    assert "notes.txt" not in result.stdout
    assert "生成建议书" in result.stderr  # the progress bar's label
    assert "有 1 份档案失败" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_rerun_skips_what_is_up_to_date_and_touches_nothing(rerunnable):
    ws, profiles, out, cli = rerunnable
    (profiles / "zz-broken.yaml").unlink()
    before = {f.name: (f / "proposal.docx").read_bytes() for f in folders(out)}
    result = cli("batch", profiles, "--out", out)
    assert result.exit_code == 0, result.output
    assert counts(result.stdout) == {"已生成": 0, "已是最新（跳过）": 4, "失败（原因）": 0}
    assert "无需启动工作进程" in result.stdout  # settled from the manifests, nothing rendered
    assert {f.name: (f / "proposal.docx").read_bytes() for f in folders(out)} == before


def test_rerun_redoes_an_edited_profile_only(rerunnable):
    ws, profiles, out, cli = rerunnable
    (profiles / "zz-broken.yaml").unlink()
    edited = sorted(profiles.glob("0*.yaml"))[1]
    data = yaml.safe_load(edited.read_text(encoding="utf-8"))
    data["needs"]["basic_comms"] = ["仓库和门店之间每天电话打个不停，话费报销越来越多"]
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("batch", profiles, "--out", out)
    assert result.exit_code == 0, result.output
    assert counts(result.stdout) == {"已生成": 1, "已是最新（跳过）": 3, "失败（原因）": 0}
    assert len(folders(out)) == 4  # replaced in place, not a second folder
    folder = folder_of(out, edited)
    assert "仓库和门店之间每天电话打个不停" in docx_text(folder / "proposal.docx")
    assert_complete(folder, client_name(edited))


def test_rerun_redoes_everything_after_a_template_change(rerunnable):
    ws, profiles, out, cli = rerunnable
    (profiles / "zz-broken.yaml").unlink()
    section = ws / "templates" / "proposal" / "background.j2"
    section.write_text(section.read_text(encoding="utf-8") + "\n本段由新版模板生成，用于核对重新生成。\n",
                       encoding="utf-8")
    result = cli("batch", profiles, "--out", out, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert counts(result.stdout) == {"已生成": 4, "已是最新（跳过）": 0, "失败（原因）": 0}
    for profile in sorted(profiles.glob("0*.yaml")):
        assert "本段由新版模板生成" in docx_text(folder_of(out, profile) / "proposal.docx")


def test_rerun_on_a_later_day_still_recognises_the_output(rerunnable):
    ws, profiles, out, _cli = rerunnable
    (profiles / "zz-broken.yaml").unlink()
    names = [f.name for f in folders(out)]
    tomorrow = dt.datetime.now().astimezone() + dt.timedelta(days=1)
    report = batch.run(Workspace.open(ws), profiles, out, now=tomorrow, workers=1)
    assert [o.status for o in report.outcomes] == ["skipped"] * 4
    assert [f.name for f in folders(out)] == names


def test_damaged_or_half_written_output_is_redone(rerunnable):
    ws, profiles, out, cli = rerunnable
    (profiles / "zz-broken.yaml").unlink()
    first, second, *_ = sorted(profiles.glob("0*.yaml"))
    damaged = folder_of(out, first)
    (damaged / "proposal.docx").write_bytes((damaged / "proposal.docx").read_bytes()[:1000])
    unlisted = folder_of(out, second)
    (unlisted / "manifest.json").unlink()
    leftover = out / f".{unlisted.name}.k1ll3d.tmp"  # what a killed writer leaves: nobody holds its lock
    leftover.mkdir()
    (leftover / "proposal.docx").write_bytes(b"PK\x03\x04 half")
    result = cli("batch", profiles, "--out", out)
    assert result.exit_code == 0, result.output
    assert counts(result.stdout) == {"已生成": 2, "已是最新（跳过）": 2, "失败（原因）": 0}
    assert hidden(out) == []
    assert len(folders(out)) == 4
    for profile in (first, second):
        assert_complete(folder_of(out, profile), client_name(profile))


def test_inputs_fingerprint_follows_catalog_cases_templates_and_version(tmp_path):
    ws = Workspace.open(make_workspace(tmp_path / "ws"))
    inputs = Session.open(ws).inputs
    manifest = inputs.as_manifest()
    assert inputs.matches(manifest)
    assert not inputs.matches({**manifest, "version": "0.0.1"})

    with open(ws.catalog_file, "a", encoding="utf-8") as fh:
        fh.write("\n# 产品经理改了一行注释\n")
    after_catalog = Session.open(ws).inputs
    assert after_catalog.catalog_sha256 != inputs.catalog_sha256
    assert after_catalog.cases_sha256 == inputs.cases_sha256

    case = sorted(ws.cases_dir.glob("*.md"))[0]
    case.write_text(case.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after_cases = Session.open(ws).inputs
    assert after_cases.cases_sha256 != after_catalog.cases_sha256
    assert after_cases.templates_sha256 == inputs.templates_sha256

    shutil.rmtree(ws.root / "templates")  # back to the packaged defaults: same files, same digest
    assert Session.open(ws).inputs.templates_sha256 == inputs.templates_sha256
    own = ws.root / "templates" / "pitch"
    own.mkdir(parents=True)
    (own / "closing.j2").write_text("谢谢！", encoding="utf-8")  # one file overridden
    assert Session.open(ws).inputs.templates_sha256 != inputs.templates_sha256
    assert not Inputs(after_cases.catalog_sha256, after_cases.cases_sha256, "0" * 64).matches(manifest)


def test_two_profiles_of_one_client_on_one_day_never_overwrite(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    profiles = tmp_path / "profiles"
    (name_a, text_a), = synth_content.profile_variants(1)
    profiles.mkdir()
    a = profiles / "a.yaml"
    a.write_text(text_a, encoding="utf-8")
    data = yaml.safe_load(text_a)
    data["needs"] = {"marketing": ["客户打电话进来没人接，生意都跑到隔壁去了"]}
    (profiles / "b.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copy(a, profiles / "c.yaml")  # the same file twice: one proposal serves both
    out = tmp_path / "out"
    cli = Cli(ws)

    for _run in range(2):  # the second run says the same: idempotent
        result = cli("batch", profiles, "--out", out)
        assert result.exit_code == 1
        failure = result.stdout.split("失败（原因）：", 1)[1]
        assert "b.yaml" in failure and "a.yaml" in failure and "同一客户" in failure
        assert counts(result.stdout)["失败（原因）"] == 1
        assert counts(result.stdout)["已生成"] + counts(result.stdout)["已是最新（跳过）"] == 2
        only, = folders(out)
        assert (only / "profile.yaml").read_bytes() == a.read_bytes()

    # a folder made by another profile file in an earlier run is not overwritten either
    a.unlink()
    (profiles / "c.yaml").unlink()
    before = (only / "proposal.docx").read_bytes()
    result = cli("batch", profiles, "--out", out)
    assert result.exit_code == 1
    assert "已由另一份档案 a.yaml 生成" in result.stdout
    assert (only / "proposal.docx").read_bytes() == before


def crash_on_marker(job):
    """A worker that dies outright on one profile, as a segfault or the OOM killer would make it."""
    if "crash" in job.profile.name:
        os._exit(9)
    return batch.run_job(job)


def test_a_worker_that_dies_costs_only_its_own_profile(tmp_path):
    ws = Workspace.open(make_workspace(tmp_path / "ws"))
    profiles = tmp_path / "profiles"
    paths = synth_content.write_profiles(profiles, 4)
    paths[1].rename(profiles / "0001-crash.yaml")
    report = batch.run(ws, profiles, tmp_path / "out", workers=2, work=crash_on_marker)
    status = {o.profile.name: o for o in report.outcomes}
    assert status["0001-crash.yaml"].status == "failed"
    assert "工作进程意外退出" in status["0001-crash.yaml"].reason
    others = [o for name, o in status.items() if name != "0001-crash.yaml"]
    assert [o.status for o in others] == ["generated"] * 3
    for o in others:
        assert_complete(o.folder, client_name(o.profile))
    assert hidden(tmp_path / "out") == []


def test_a_missing_or_empty_folder_is_a_clear_error(cli, tmp_path):
    missing = cli("batch", tmp_path / "nope")
    assert missing.exit_code == 1 and "档案文件夹不存在" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = cli("batch", tmp_path / "empty")
    assert empty.exit_code == 1 and "没有需求档案" in empty.stderr


def test_a_broken_catalog_is_one_error_and_nothing_is_written(cli, workspace, tmp_path):
    synth_content.write_profiles(tmp_path / "profiles", 3)
    (workspace / "catalog" / "products.yaml").write_text("products: [\n", encoding="utf-8")
    result = cli("batch", tmp_path / "profiles", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.count("YAML 语法错误") == 1
    assert not (tmp_path / "out").exists()


def test_output_is_readable_by_the_office_libraries(campaign):
    """A last look as a client would: every deck opens and has a talk track on its content slides."""
    out = campaign[3]
    for folder in folders(out):
        prs = Presentation(str(folder / "pitch.pptx"))
        notes = [s.notes_slide.notes_text_frame.text for s in list(prs.slides)[1:] if s.has_notes_slide]
        assert notes and all(len(n) > 20 for n in notes)


def test_workers_are_replaced_after_their_share_of_profiles(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "RECYCLE_AFTER", 1)  # a new pool after every profile per worker
    ws = Workspace.open(make_workspace(tmp_path / "ws"))
    paths = synth_content.write_profiles(tmp_path / "profiles", 4)
    # one worker, so each pool's one profile goes to its own process (with two, a loaded machine may let
    # one worker take both profiles of a pool before the other starts: the count was 3 once)
    report = batch.run(ws, tmp_path / "profiles", tmp_path / "out", workers=1)
    assert [o.status for o in report.outcomes] == ["generated"] * 4
    assert len(report.peak_rss) == 4  # four worker processes, one profile each
    for path, outcome in zip(paths, report.outcomes):
        assert_complete(outcome.folder, client_name(path))
