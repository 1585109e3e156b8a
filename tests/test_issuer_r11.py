"""Round 11: the issuer is true to the client's region, and sample identity data never reaches a client.

- A client whose region the province table (templates/regions.yaml) puts in another province gets no
  documents unless the profile names the branch (visit.branch): a clear message at file:line
  client.region, exit 1, nothing written. Matching (recommend, /api/recommend) keeps working.
- company.yaml data flagged ``example: true`` (branch address and phone, manager phone and e-mail)
  is left out of the proposal and the deck; the manager is told which fields and where to fill them.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Cli, profile_with
from docreader import docx_paragraphs, pptx_slides
from test_web_support import profile_json, sqlite_url, web_sqlite, web_workspace  # noqa: F401 (fixtures)

from pitchcraft.load import load_regions
from pitchcraft.pipeline import load_content
from pitchcraft.workspace import Workspace

EVAL = ROOT / "tests" / "eval" / "profiles"
REVIEWED = {  # the three profiles the round-11 review found signed by the Guangdong company
    "bank": (EVAL / "33-city-commercial-bank.yaml", "泉州", "福建省"),
    "orange": (EVAL / "38-navel-orange-coop.yaml", "赣州", "江西省"),
    "hotel": (EVAL / "41-seaside-resort-hotel.yaml", "三亚", "海南省"),
}
DONGGUAN = EVAL / "32-mould-workshop.yaml"  # region 东莞, no manager
SAMPLES = ("0769-2200 0000", "gd.example.com", "鸿福路", "13800000031", "2200 0000")


@pytest.fixture(scope="module")
def company():
    return load_content(Workspace.open(ROOT)).company


def _line(path: Path, key: str) -> int:
    return next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if t.strip().startswith(key))


def _reader_text(folder: Path) -> dict:
    """Everything a client reads: the proposal's paragraphs and page header, every slide and its notes."""
    paragraphs = docx_paragraphs(folder / "proposal.docx")
    with zipfile.ZipFile(folder / "proposal.docx") as z:
        header = " ".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8"))
                          for n in z.namelist() if re.fullmatch(r"word/header\d*\.xml", n))
    start = next(i for i, (s, t) in enumerate(paragraphs) if s == "Heading 1" and t.endswith("联系方式"))
    end = next((i for i in range(start + 1, len(paragraphs)) if paragraphs[i][0] == "Heading 1"), len(paragraphs))
    slides = pptx_slides(folder / "pitch.pptx")
    return {"proposal": "\n".join(t for _s, t in paragraphs) + "\n" + header,
            "cover": [t for s, t in paragraphs if s == "Cover Meta" and t],
            "contacts": [t for _s, t in paragraphs[start + 1:end] if t],
            "deck": "\n".join(s["text"] + "\n" + s["notes"] for s in slides),
            "closing": slides[-1]["text"]}


# --- which province a region lies in -------------------------------------------------------------


@pytest.mark.parametrize("region, province", [
    ("泉州", "福建省"), ("泉州市丰泽区", "福建省"), ("福建漳州", "福建省"), ("晋江", "福建省"),
    ("赣州", "江西省"), ("信丰县", "江西省"), ("三亚", "海南省"), ("海南省海口市", "海南省"),
    ("海口市龙华区", "海南省"), ("长沙", "湖南省"), ("广西南宁", "广西壮族自治区"), ("吉林市", "吉林省"),
    ("成都", "四川省"), ("上海浦东", "上海市"),
    # this province's places, served by a branch or not: never "another province"
    ("东莞", None), ("龙华", None), ("长安", None), ("五华县", None), ("广东省", None), ("广东韶关", None),
    ("南岭村", None), ("", None),
])
def test_the_province_table_tells_a_region_of_another_province(company, region, province):
    found = company.foreign_province(region) if region else None
    assert (found.full_name if found else None) == province


def test_the_shipped_table_holds_every_province_once_and_every_city_of_ours():
    regions = load_regions(ROOT / "templates" / "regions.yaml")
    names = [p.name for p in regions.provinces]
    assert len(names) == 34 == len(set(names))
    guangdong = next(p for p in regions.provinces if p.name == "广东")
    company = load_content(Workspace.open(ROOT)).company
    assert sorted(guangdong.cities) == sorted(b.city for b in company.branches)
    places = [n for p in regions.provinces for n in (*p.cities, *p.counties)]
    assert len(places) == len(set(places)) and len(places) > 400


def test_a_broken_region_table_is_bad_input_with_its_line(tmp_path, workspace):
    path = workspace / "templates" / "regions.yaml"
    path.write_text("provinces:\n  - name: 福建\n    full_name: 福建省\n    cities: 泉州\n", encoding="utf-8")
    result = Cli(workspace)("generate", DONGGUAN, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "regions.yaml:4:" in result.stderr and "cities" in result.stderr
    assert not (tmp_path / "out").exists()


# --- a client of another province ----------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(REVIEWED))
def test_generate_refuses_a_client_of_another_province_naming_file_line_field(tmp_path, key):
    profile, region, province = REVIEWED[key]
    out = tmp_path / "out"
    result = Cli(ROOT)("generate", profile, "--out", out, "--brief")
    assert result.exit_code == 1 and "Traceback" not in result.output
    error = next(line for line in result.stderr.splitlines() if "client.region" in line)
    assert f"{profile.name}:{_line(profile, 'region:')}:" in error and "error" in error
    assert region in error and province in error and "visit.branch" in error and "中国移动通信集团广东有限公司" in error
    assert "未生成任何文件" in result.stderr
    assert not out.exists() or not any(out.rglob("*"))


@pytest.mark.parametrize("key", sorted(REVIEWED))
def test_recommend_keeps_working_for_a_client_of_another_province(key):
    profile, _region, province = REVIEWED[key]
    result = Cli(ROOT)("recommend", profile, "--json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["products"] and all(p["reasons"] for p in body["products"])
    warning = next(line for line in result.stderr.splitlines() if "client.region" in line)
    assert province in warning and "warning" in warning and "不生成文档" in warning


def test_a_named_branch_issues_for_a_client_of_another_province(tmp_path):
    profile = profile_with(tmp_path, REVIEWED["orange"][0], "orange-branch", visit__branch="meizhou")
    result = Cli(ROOT)("generate", profile, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert "江西省" in result.stderr and "梅州分公司" in result.stderr
    folder = next((tmp_path / "out").iterdir())
    text = _reader_text(folder)
    assert "中国移动通信集团广东有限公司梅州分公司" in text["proposal"] and "梅州分公司" in text["closing"]


def test_batch_fails_only_the_client_of_another_province(tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    for source in (DONGGUAN, REVIEWED["hotel"][0]):
        (folder / source.name).write_bytes(source.read_bytes())
    result = Cli(ROOT)("batch", folder, "--out", tmp_path / "out")
    assert "Traceback" not in result.output
    assert "41-seaside-resort-hotel" in result.output and "海南省" in result.output
    made = [p.parent.name for p in (tmp_path / "out").rglob("proposal.docx")]
    assert len(made) == 1 and "恒精模具" in made[0]


# --- sample data of company.yaml never reaches a client ------------------------------------------


def test_example_identity_data_stays_out_of_the_client_documents(tmp_path):
    profile = profile_with(tmp_path, DONGGUAN, "dg-sample", visit__manager="陈家豪")  # 陈家豪 and 东莞分公司: example: true
    result = Cli(ROOT)("generate", profile, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    text = _reader_text(next((tmp_path / "out").iterdir()))
    for sample in SAMPLES:
        assert sample not in text["proposal"] and sample not in text["deck"], sample
    assert text["contacts"][:4] == ["如对本方案有任何疑问，欢迎随时与我们联系。",
                                    "出具单位：中国移动通信集团广东有限公司东莞分公司政企客户部",
                                    "客户经理：陈家豪", "客户服务热线：10086（按提示转政企客户服务）"]
    assert "客户经理：陈家豪" in text["cover"] and "服务热线：10086" in text["cover"]
    assert text["closing"].splitlines()[-2:] == ["中国移动通信集团广东有限公司东莞分公司", "客户经理　陈家豪　客户服务热线　10086"]
    for text_ in (text["proposal"], text["deck"]):
        assert "待补充" not in text_ and "待指定" not in text_ and "政企客户服务电话" not in text_
    # the manager is told which fields are samples, at their lines of company.yaml
    company_yaml = ROOT / "catalog" / "company.yaml"
    lines = company_yaml.read_text(encoding="utf-8").splitlines()
    told = [line for line in result.stderr.splitlines() if "[issuer-example]" in line]
    branch, person = (next(t for t in told if what in t) for what in ("东莞分公司", "陈家豪"))
    at = int(re.search(r"company\.yaml:(\d+):", branch).group(1))
    assert lines[at - 1].strip() == "example: true" and "service_hotline" in lines[at - 2] and "address" in branch
    at = int(re.search(r"company\.yaml:(\d+):", person).group(1))
    assert lines[at - 1].strip() == "example: true" and "chenjiahao@" in lines[at - 2] and "visit.phone" in person


def test_the_profile_phone_is_the_managers_word_even_beside_sample_data(tmp_path):
    profile = profile_with(tmp_path, DONGGUAN, "dg-own-phone", visit__manager="陈家豪", visit__phone="13912345678")
    result = Cli(ROOT)("generate", profile, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    text = _reader_text(next((tmp_path / "out").iterdir()))
    assert "客户经理：陈家豪，电话 13912345678" in text["contacts"] and "gd.example.com" not in text["proposal"]
    assert "客户经理　陈家豪　13912345678" in text["closing"]
    person = next(line for line in result.stderr.splitlines() if "[issuer-example]" in line and "陈家豪" in line)
    assert "邮箱" in person and "电话" not in person.split("的")[1][:3]


def test_real_identity_data_is_written_as_before(tmp_path, workspace):
    path = workspace / "catalog" / "company.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    example: true\n", ""), encoding="utf-8")
    profile = profile_with(tmp_path, DONGGUAN, "dg-real", visit__manager="陈家豪")
    result = Cli(workspace)("generate", profile, "--out", tmp_path / "out")
    assert result.exit_code == 0 and "[issuer-example]" not in result.stderr
    text = _reader_text(next((tmp_path / "out").iterdir()))
    assert "客户经理：陈家豪，电话 13800000031，邮箱 chenjiahao@gd.example.com" in text["contacts"]
    assert "地址：东莞市南城街道鸿福路 100 号" in text["contacts"] and "政企客户服务电话：0769-2200 0000" in text["contacts"]


# --- the web app ------------------------------------------------------------------------------------


def test_web_matches_a_client_of_another_province_but_makes_no_documents(web_sqlite):
    web = web_sqlite
    web.add_user("liming", display_name="李明", phone="13912345678", branch="东莞")  # the manager's own branch
    h = web.token("liming")
    profile = profile_json(region="泉州")
    rec = web.client.post("/api/recommend", json=profile, headers=h)
    assert rec.status_code == 200 and rec.json()["products"]
    assert any("福建省" in note for note in rec.json()["issuer"]["notes"])
    made = web.client.post("/api/proposals", json={"profile": profile}, headers=h)
    assert made.status_code == 422, made.text
    problem, = [p for p in made.json()["problems"] if p["field"] == "client.region"]
    assert "福建省" in problem["message"] and "visit.branch" in problem["message"]
    assert web.client.get("/api/proposals", headers=h).json() == []
    # the manager's word: a branch named in the profile
    profile["visit"] = {**profile.get("visit", {}), "branch": "东莞"}
    made = web.client.post("/api/proposals", json={"profile": profile}, headers=h)
    assert made.status_code == 201, made.text
