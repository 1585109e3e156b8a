"""Every document speaks the client's words: no catalog placeholder (〔场所〕 …) reaches the visit
brief, the proposal or the deck, and a cited case's industry is named so it is true of both clients
(a city bus company is not a logistics firm: both are 交通物流)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from conftest import issued
from docreader import docx_text, pptx_slides
from pitchcraft.pipeline import Session
from pitchcraft.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
TRIAL = Path(__file__).resolve().parent / "fixtures" / "cold-chain-trial.yaml"  # a new user's own profile
NOW = dt.datetime(2026, 12, 2, 9, 0)


def _profiles() -> list[Path]:
    out = sorted((ROOT / "examples").glob("*.yaml"))
    for folder in ("profiles", "tuning"):
        out += sorted(p for p in (ROOT / "tests" / "eval" / folder).glob("*.yaml")
                      if not p.name.endswith(".gold.yaml") and p.name not in ("needs.yaml", "traps.yaml"))
    return out + [TRIAL]


@pytest.fixture(scope="module")
def session() -> Session:
    return Session.open(Workspace.open(ROOT))


def _all_text(data: bytes) -> str:
    """Every text of a .docx/.pptx package (body, tables, headers, notes), markup removed."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8"))
                         for n in z.namelist() if n.endswith(".xml"))


def test_no_placeholder_in_any_document(session):
    profiles = _profiles()
    assert len(profiles) > 50
    left = []
    for path in profiles:
        built = session.build(issued(path), now=NOW, brief=True)  # another province: a branch named
        for name in ("brief.docx", "proposal.docx", "pitch.pptx"):
            for hit in re.finditer(r".{0,12}[〔〕].{0,12}", _all_text(built.files[name])):
                left.append(f"{path.name} {name}: {hit.group(0)}")
    assert not left, "\n".join(left[:20])


def _write(session, tmp_path: Path) -> dict[str, Path]:
    built = session.build(TRIAL, now=NOW, brief=True)
    out = {}
    for name in ("brief.docx", "proposal.docx", "pitch.pptx"):
        out[name] = tmp_path / name
        out[name].write_bytes(built.files[name])
    return out


def test_trial_brief_reads_in_the_clients_words(session, tmp_path):
    files = _write(session, tmp_path)
    brief = docx_text(files["brief.docx"])
    assert "客户来电有人接，不再因为电话没人接而耽误业务" in brief   # 移动总机's value, filled
    assert "站点越多" in brief                                      # 集团V网's value, filled
    assert "〔" not in brief and "〕" not in brief


FREIGHT = ROOT / "tests" / "eval" / "profiles" / "34-freight-logistics.yaml"  # cites a cold-chain carrier's case


def test_case_industry_is_true_of_a_bus_company_and_a_cold_chain_carrier(session, tmp_path):
    """The cold-chain trial cited a city bus company's case; since round 12 (cases by sub-industry) it
    cites none and says so. The freight firm cites the cold-chain carrier's case: its industry is named
    交通物流, true of both, never 物流 nor 同属物流行业."""
    files = _write(session, tmp_path)
    trial = docx_text(files["brief.docx"]), docx_text(files["proposal.docx"])
    assert "本方案没有引用案例" in trial[0] and "城市公交企业" not in trial[0]
    assert "成功案例" not in trial[1] and "以下案例中的客户" not in trial[1]
    built = session.build(issued(FREIGHT), now=NOW, brief=True)
    for name in ("brief.docx", "proposal.docx", "pitch.pptx"):
        (tmp_path / f"freight-{name}").write_bytes(built.files[name])
    brief = docx_text(tmp_path / "freight-brief.docx")
    proposal = docx_text(tmp_path / "freight-proposal.docx")
    deck = "\n".join(t for s in pptx_slides(tmp_path / "freight-pitch.pptx") for t in (s["text"], s["notes"]))
    assert "冷链物流企业" in brief  # the cold-chain carrier's case is cited
    for text in (brief, proposal, deck):
        assert "同属物流行业" not in text
        assert "（物流）" not in text
    assert "以下案例中的客户与贵单位同为交通物流企业" in proposal
    assert "客户：广州某冷链物流企业（交通物流）" in brief
    assert "广州某冷链物流企业\n行业\n交通物流\n" in proposal  # the case card's facts
    assert "行业\n物流\n" not in proposal


def test_the_brief_marks_the_products_left_out_of_the_documents(session, tmp_path):
    brief = docx_text(_write(session, tmp_path)["brief.docx"])
    assert "另有 5 项待确认，没有写入建议书和 PPT" in brief
    for name in ("行业终端", "移动OA", "集团专线", "移动总机", "企信通"):
        assert f"\n{name}\n（待确认，未写入建议书）\n" in brief
    for name in ("千里眼", "GPRS企业接入", "云视讯"):
        assert f"\n{name}\n（待确认" not in brief
