"""Who issues the documents (catalog/company.yaml) and the dates they carry, read back from the
generated .docx and .pptx as a client reads them: cover, page header, contacts section, title,
next-steps and closing slides."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Cli
from docreader import docx_paragraphs, pptx_slides
from pitchcraft.model.company import place_key
from pitchcraft.content.lint import read_company
from pitchcraft.pipeline import generate
from pitchcraft.workspace import Workspace

EVAL = ROOT / "tests" / "eval" / "profiles"
DONGGUAN = EVAL / "32-mould-workshop.yaml"      # region 东莞, no manager
SANYA = EVAL / "41-seaside-resort-hotel.yaml"   # region 三亚 (海南), manager 陈冬梅 with a phone, visit 2026-10-20
PROVINCE = "中国移动通信集团广东有限公司"
DG_BRANCH = "中国移动通信集团广东有限公司东莞分公司"
DG_HOTLINE = "0769-2200 0000"
NOW = dt.datetime(2026, 12, 1, 10, 0)


def _company():
    return read_company(ROOT / "catalog" / "company.yaml").company


def _profile(tmp_path: Path, source: Path, name: str, **changes) -> Path:
    """A copy of a labelled profile with ``client``/``visit`` fields changed (None deletes one)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        part = data.setdefault(section, {})
        if value is None:
            part.pop(key, None)
        else:
            part[key] = value
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def real_ws(workspace: Path) -> Path:
    """The shipped workspace as an operator has it once company.yaml holds real data: no example flags."""
    path = workspace / "catalog" / "company.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.splitlines() if line.strip() != "example: true") + "\n",
                    encoding="utf-8")
    return workspace


def _branched(tmp_path: Path, source: Path = SANYA, name: str = "sanya-branch", **changes) -> Path:
    """The 三亚 hotel with a branch named by its manager (a client of another province otherwise gets
    no documents): the profiles the date tests read."""
    return _profile(tmp_path, source, name, visit__branch="shenzhen", **changes)


def _documents(tmp_path: Path, profile: Path, now: dt.datetime = NOW, ws: Path = ROOT) -> dict:
    """What a reader sees where the issuer stands: cover lines, page header, contacts section, slides."""
    folder = generate(Workspace.open(ws), profile, tmp_path / "out", now=now, force=True).folder
    paragraphs = docx_paragraphs(folder / "proposal.docx")
    cover = [t for style, t in paragraphs if style == "Cover Meta" and t]
    texts = [t for _s, t in paragraphs]
    start = next(i for i, (s, t) in enumerate(paragraphs) if s == "Heading 1" and t.endswith("联系方式"))
    end = next((i for i in range(start + 1, len(paragraphs)) if paragraphs[i][0] == "Heading 1"), len(paragraphs))
    with zipfile.ZipFile(folder / "proposal.docx") as z:
        header = " ".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8"))
                          for n in z.namelist() if re.fullmatch(r"word/header\d*\.xml", n)).strip()
    slides = pptx_slides(folder / "pitch.pptx")
    return {"cover": cover, "header": header, "contacts": "\n".join(t for _s, t in paragraphs[start:end]),
            "text": "\n".join(texts), "title": slides[0]["text"], "next": slides[-2]["text"],
            "closing": slides[-1]["text"], "slides": slides, "plan": _plan_rows(paragraphs)}


def _plan_rows(paragraphs) -> list[str]:
    start = next(i for i, (s, t) in enumerate(paragraphs) if s == "Heading 1" and t.endswith("实施计划"))
    return [t for _s, t in paragraphs[start:start + 60] if re.fullmatch(r"\d+年\d+月\d+日(至)?", t)]


# --- the region picks the branch ----------------------------------------------------------------


@pytest.mark.parametrize("region, branch", [
    ("东莞", "东莞分公司"), ("东莞市", "东莞分公司"), ("虎门镇", "东莞分公司"), ("长安", "东莞分公司"),
    ("佛山顺德", "佛山分公司"), ("顺德区", "佛山分公司"), ("深圳市南山区", "深圳分公司"), ("大鹏新区", "深圳分公司"),
    ("广东省东莞市", "东莞分公司"), ("五华县", "梅州分公司"), ("韶关仁化", "韶关分公司"), ("清远连州", "清远分公司"),
    ("乳源瑶族自治县", "韶关分公司"),
    ("三亚", None), ("赣州", None), ("湖南郴州", None), ("海口市龙华区", None), ("海南海口", None), ("广东", None),
    ("深圳番禺", None),  # a city and a place of two different branches: nothing is guessed
])
def test_region_picks_the_branch_serving_it(region, branch):
    found = _company().branch_for(region)
    assert (found.name if found else None) == branch


def test_place_names_lose_one_ending_and_keep_two_characters():
    assert [place_key(x) for x in ("番禺区", "大鹏新区", "虎门镇", "东区", "佛山市", "南城街道")] == \
        ["番禺", "大鹏", "虎门", "东区", "佛山", "南城"]


def test_shipped_company_has_21_branches_and_every_manager_a_branch():
    company = _company()
    assert len(company.branches) == 21 and len({b.city for b in company.branches}) == 21
    assert all(company.branch(m.branch) for m in company.managers)


# --- what the client reads ----------------------------------------------------------------------


def test_dongguan_client_gets_the_dongguan_branch_and_its_manager(tmp_path, real_ws):
    profile = _profile(tmp_path, DONGGUAN, "dg", visit__manager="陈家豪")  # phone and e-mail from company.yaml
    docs = _documents(tmp_path, profile, ws=real_ws)
    assert f"编制：{DG_BRANCH} 政企客户部" in docs["cover"]
    assert "客户经理：陈家豪 13800000031" in docs["cover"]
    assert docs["header"] == f"{DG_BRANCH} · 政企客户部"
    assert f"出具单位：{DG_BRANCH}政企客户部" in docs["contacts"]
    assert "客户经理：陈家豪，电话 13800000031，邮箱 chenjiahao@gd.example.com" in docs["contacts"]
    assert "东莞市南城街道鸿福路 100 号" in docs["contacts"] and DG_HOTLINE in docs["contacts"]
    assert DG_BRANCH in docs["title"]
    for slide in ("next", "closing"):
        assert DG_BRANCH in docs[slide] and "陈家豪　13800000031" in docs[slide]


def test_profile_phone_wins_over_company_yaml(tmp_path, real_ws):
    profile = _profile(tmp_path, DONGGUAN, "dg-phone", visit__manager="陈家豪", visit__phone="13912345678")
    docs = _documents(tmp_path, profile, ws=real_ws)
    assert "客户经理：陈家豪 13912345678" in docs["cover"] and "陈家豪　13912345678" in docs["closing"]
    assert "13800000031" not in docs["text"]


def test_no_manager_gives_the_branch_hotline_never_a_placeholder(tmp_path, real_ws):
    result = Cli(real_ws)("generate", DONGGUAN, "--out", tmp_path / "cli")
    assert result.exit_code == 0, result.stderr
    assert "visit.manager" in result.stderr and DG_HOTLINE in result.stderr
    docs = _documents(tmp_path, DONGGUAN, ws=real_ws)
    assert f"服务热线：{DG_HOTLINE}" in docs["cover"]
    assert f"政企客户服务电话：{DG_HOTLINE}" in docs["contacts"] and "客户经理" not in docs["contacts"]
    for slide in ("next", "closing"):
        assert DG_BRANCH in docs[slide] and DG_HOTLINE in docs[slide]
    for text in (docs["text"], *(s["text"] for s in docs["slides"])):
        assert "待指定" not in text


def test_unserved_region_of_this_province_warns_and_names_the_provincial_company_only(tmp_path):
    """A place no branch serves and the province table does not put elsewhere (广东省 itself, a village):
    the provincial company issues, and the manager is told."""
    profile = _profile(tmp_path, SANYA, "unserved", client__region="广东省")
    result = Cli(ROOT)("generate", profile, "--out", tmp_path / "cli")
    assert result.exit_code == 0, result.stderr
    warning = next(line for line in result.stderr.splitlines() if "client.region" in line)
    line = next(i for i, t in enumerate(profile.read_text(encoding="utf-8").splitlines(), 1) if "region:" in t)
    assert "广东省" in warning and f"unserved.yaml:{line}:" in warning and "visit.branch" in warning
    docs = _documents(tmp_path, profile)
    assert f"编制：{PROVINCE} 政企客户部" in docs["cover"]
    assert docs["header"] == f"{PROVINCE} · 政企客户部"
    assert f"出具单位：{PROVINCE}政企客户部" in docs["contacts"] and "客户服务热线：10086" in docs["contacts"]
    for where in ("contacts", "title", "next", "closing"):
        assert PROVINCE in docs[where] and "分公司" not in docs[where], where
    assert not any("分公司" in line for line in docs["cover"]) and "分公司" not in docs["header"]
    assert "陈冬梅　13800000041" in docs["closing"]


def test_a_profile_may_name_its_branch(tmp_path, real_ws):
    """The manager's word is final: a client of another province served by a branch they name."""
    profile = _profile(tmp_path, SANYA, "named", visit__branch="shenzhen")
    result = Cli(real_ws)("generate", profile, "--out", tmp_path / "cli")
    assert result.exit_code == 0, result.stderr
    warning = next(line for line in result.stderr.splitlines() if "client.region" in line)
    assert "海南省" in warning and "深圳分公司" in warning and "warning" in warning
    docs = _documents(tmp_path, profile, ws=real_ws)
    assert "中国移动通信集团广东有限公司深圳分公司" in docs["header"] and "0755-2200 0000" in docs["contacts"]


def test_an_unknown_branch_is_bad_input_with_its_line(tmp_path):
    profile = _profile(tmp_path, SANYA, "unknown", visit__branch="海口分公司")
    out = tmp_path / "cli"
    result = Cli(ROOT)("generate", profile, "--out", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = next(i for i, text in enumerate(profile.read_text(encoding="utf-8").splitlines(), 1) if "branch:" in text)
    assert f"unknown.yaml:{line}:" in result.stderr and "visit.branch" in result.stderr and "海口分公司" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_workspace_without_company_yaml_issues_nothing(tmp_path, workspace):
    (workspace / "catalog" / "company.yaml").unlink()
    out = tmp_path / "out"
    result = Cli(workspace)("generate", DONGGUAN, "--out", out)
    assert result.exit_code == 1 and "company.yaml" in result.stderr and "出具方信息" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_catalog_validate_tells_example_data_once(shipped_cli):
    result = shipped_cli("catalog", "validate")
    lines = [line for line in result.stdout.splitlines() if "[company-example]" in line]
    assert len(lines) == 1 and "21 个分公司" in lines[0] and "10 名客户经理" in lines[0]


def test_brief_names_the_same_issuer(tmp_path, real_ws):
    from docx import Document

    profile = _profile(tmp_path, DONGGUAN, "dg-brief", visit__manager="陈家豪")
    folder = generate(Workspace.open(real_ws), profile, tmp_path / "out", now=NOW, brief=True).folder
    doc = Document(str(folder / "brief.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"出具单位：{DG_BRANCH}（政企客户部）" in text and "客户经理：陈家豪 13800000031" in text
    assert DG_BRANCH in doc.sections[0].header.paragraphs[0].text


# --- dates --------------------------------------------------------------------------------------

_DAY = re.compile(r"(?<![年\d])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FULL = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _dates(text: str) -> list[dt.date]:
    return [dt.date(int(y), int(m), int(d)) for y, m, d in _FULL.findall(text)]


def test_a_past_visit_is_told_as_past_and_the_plan_starts_at_the_document_date(tmp_path):
    docs = _documents(tmp_path, _branched(tmp_path))  # visit 2026-10-20, document 2026-12-01
    assert "双方于2026年10月20日进行了沟通" in docs["text"]
    plan = _dates("\n".join(docs["plan"]))
    assert len(plan) >= 6 and min(plan) == NOW.date()  # at least confirmation, agreement, one delivery
    steps = _dates(docs["next"])
    assert steps and min(steps) > NOW.date()


def test_a_future_visit_is_planned_and_the_plan_starts_at_it(tmp_path):
    profile = _branched(tmp_path, name="future", visit__date="2026-12-20")
    docs = _documents(tmp_path, profile)
    assert "将于2026年12月20日与贵单位当面交流" in docs["text"] and "双方于" not in docs["text"]
    plan = _dates("\n".join(docs["plan"]))
    assert min(plan) == dt.date(2026, 12, 20)
    assert any(d.year == 2027 for d in plan)  # the plan crosses the new year, and says so


@pytest.mark.parametrize("profile", [DONGGUAN, SANYA], ids=["no-visit-date", "past-visit"])
def test_every_date_a_reader_sees_carries_its_year(tmp_path, profile):
    profile = _branched(tmp_path) if profile == SANYA else profile
    docs = _documents(tmp_path, profile, now=dt.datetime(2026, 12, 28, 9, 0))  # a plan across the new year
    texts = [docs["text"], *(s["text"] for s in docs["slides"]), *(s["notes"] for s in docs["slides"])]
    for text in texts:
        assert not _DAY.findall(text), _DAY.findall(text)
    assert any(d.year == 2027 for d in _dates(docs["text"]))


def test_a_changed_company_yaml_makes_batch_redo_the_proposals(workspace):
    from pitchcraft.pipeline import Session

    ws = Workspace.open(workspace)
    before = Session.open(ws).inputs
    path = workspace / "catalog" / "company.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("东莞市南城街道鸿福路 100 号", "东莞市南城街道鸿福路 200 号"),
                    encoding="utf-8")
    after = Session.open(ws).inputs
    assert after.company_sha256 != before.company_sha256
    assert not after.matches(before.as_manifest())
