"""The cases a proposal cites, read back from the generated documents as the client and the manager
see them: client text without the seller's story, outcomes with figures, invented cases marked,
the internal review only in the brief, the client's industry first and another's introduced as such."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, Cli, copy_workspace, issued
from docreader import docx_paragraphs, docx_text, pptx_slides
from pitchcraft.content.salesstory import table as sales_story
from pitchcraft.pipeline import recommend_for
from pitchcraft.model.case import CASE_SECTION_INTERNAL, SAMPLE_MARK
from pitchcraft.workspace import Workspace

LABELLED = ROOT / "tests" / "eval" / "profiles"
# Profiles that cite cases (round 12: a case is cited only when it fits the client; see test_cases_r12.py
# for the profiles that cite none).
PROFILES = {
    "county-hospital": ROOT / "examples" / "county-hospital.yaml",
    "chain-supermarket": ROOT / "examples" / "chain-supermarket.yaml",
    "city-commercial-bank": LABELLED / "33-city-commercial-bank.yaml",
    "freight-logistics": LABELLED / "34-freight-logistics.yaml",
    "water-utility": LABELLED / "44-water-utility.yaml",
    "insurance-agency": LABELLED / "45-insurance-agency.yaml",
}
# A gas utility filed under 能源; the library's gas case filed under 公共事业 (and without the MAS this
# proposal leaves to confirm): the closest case is another industry's, of the same sub-industry.
GAS = ROOT / "tests" / "eval" / "tuning" / "116-zhongshan-qijiang-ranqi.yaml"


def _gas_case_as_utilities(ws: Path) -> None:
    path = ws / "cases" / "utilities-gas-pressure-monitor.md"
    text = path.read_text(encoding="utf-8").replace("industry: energy", "industry: utilities")
    text = text.replace("products: [gprs_access, industry_terminal, mas]", "products: [gprs_access, industry_terminal]")
    path.write_text(re.sub(r"- \*\*MAS\*\*：.*\n", "", text), encoding="utf-8")


FIGURE = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万半][成倍个家户人所条次天周月年]")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Each profile generated once (proposal, deck, brief), with the recommendation it came from."""
    ws = tmp_path_factory.mktemp("ws")
    copy_workspace(ws)
    _gas_case_as_utilities(ws)
    profiles = dict(PROFILES)
    profiles["gas-utility"] = GAS
    cli = Cli(ws)
    out = {}
    for key, path in profiles.items():
        dest = tmp_path_factory.mktemp(key)
        path = issued(path)  # a client of another province: its manager names the branch
        result = cli("generate", path, "--out", dest, "--brief")
        assert result.exit_code == 0, result.stderr
        folder = next(p for p in dest.iterdir() if not p.name.startswith("."))
        _profile, rec, _warnings = recommend_for(Workspace(ws), path)
        out[key] = (folder, rec, result.stderr)
    return out


def _case_chapter(folder: Path) -> list[tuple[str, str]]:
    """The proposal's case chapter: its paragraphs (incl. the cards' cells) up to the next chapter."""
    paras = docx_paragraphs(folder / "proposal.docx")
    start = next(i for i, (style, text) in enumerate(paras) if style == "Heading 1" and "成功案例" in text)
    end = next((i for i in range(start + 1, len(paras)) if paras[i][0] == "Heading 1"), len(paras))
    return paras[start:end]


def _case_slides(folder: Path) -> list[dict]:
    return [s for s in pptx_slides(folder / "pitch.pptx") if s["text"].startswith("案例：")]


def _value_after(paras: list[tuple[str, str]], label: str) -> list[str]:
    texts = [t for _s, t in paras]
    return [texts[i + 1] for i, t in enumerate(texts) if t == label and i + 1 < len(texts)]


@pytest.mark.parametrize("key", [*PROFILES, "gas-utility"])
def test_client_case_text_tells_no_sales_story(generated, key):
    folder, rec, _ = generated[key]
    assert rec.cases, key
    texts = [t for _s, t in _case_chapter(folder)]
    texts += [s["text"] for s in _case_slides(folder)] + [s["notes"] for s in _case_slides(folder)]
    found = [(t, [h.text for h in sales_story().find(t)]) for t in texts if sales_story().find(t)]
    assert found == [], key


@pytest.mark.parametrize("key", [*PROFILES, "gas-utility"])
def test_every_case_shown_has_outcome_figures_and_says_it_is_invented(generated, key):
    folder, rec, stderr = generated[key]
    chapter = _case_chapter(folder)
    texts = [t for _s, t in chapter]
    labels = [i for i, t in enumerate(texts) if t == "实施成效"]
    assert len(labels) == len(rec.cases)
    for at in labels:
        figures = []
        for t in texts[at + 1:]:
            if not t.startswith("✔"):
                break
            figures.append(t)
        assert figures and all(FIGURE.search(t) for t in figures), texts[at:at + 4]
    for c in rec.cases:  # every shipped case is invented: its heading says so, in both documents
        assert c.case.sample
        assert c.case.title + SAMPLE_MARK in texts
        assert f"本方案引用的案例“{c.case.title}”是示例案例" in stderr
    slides = _case_slides(folder)
    assert len(slides) == len(rec.cases)
    for c, slide in zip(rec.cases, slides):
        lines = slide["text"].split("\n")
        assert lines[0].endswith(SAMPLE_MARK), lines[0]
        shown = [r for r in c.case.results if r in lines]  # the case's outcomes, each under its big figure
        assert shown and all(FIGURE.search(r) and FIGURE.search(lines[lines.index(r) - 1]) for r in shown), lines
    assert "示例案例" in "".join(texts[:3])  # the chapter's introduction explains the mark


@pytest.mark.parametrize("key", [*PROFILES, "gas-utility"])
def test_internal_review_only_in_the_brief(generated, key):
    folder, rec, _ = generated[key]
    proposal = docx_text(folder / "proposal.docx")
    deck = "\n".join(s["text"] + "\n" + s["notes"] for s in pptx_slides(folder / "pitch.pptx"))
    brief = docx_text(folder / "brief.docx")
    assert CASE_SECTION_INTERNAL not in proposal and CASE_SECTION_INTERNAL not in deck
    for c in rec.cases:
        review = [line.removeprefix("· ") for line in c.case.lines(CASE_SECTION_INTERNAL)]
        assert review, c.case.id
        for line in review:
            assert line not in proposal and line[:20] not in proposal, (c.case.id, line)
            assert line[:20] not in deck, (c.case.id, line)
            assert line in brief, (c.case.id, line)
        assert c.case.title + SAMPLE_MARK in brief


def test_a_hospital_gets_healthcare_cases(generated):
    folder, rec, _ = generated["county-hospital"]
    assert rec.profile.industry == "healthcare"
    assert [c.case.industry for c in rec.cases] == ["healthcare"] * len(rec.cases)
    assert not any(c.other_industry for c in rec.cases)
    chapter = _case_chapter(folder)
    assert _value_after(chapter, "行业") == ["医疗"] * len(rec.cases)
    intro = chapter[1][1]
    assert "同为医疗卫生机构" in intro and "其他行业" not in intro and "同属" not in intro
    assert not any("其他行业" in s["text"] for s in _case_slides(folder))


def test_each_case_shares_a_product_the_proposal_answers_with(generated):
    for key, (_folder, rec, _) in generated.items():
        proposed = {m.product.id for m in rec.all_products if m.confidence == "明确"}
        for c in rec.cases:
            assert c.case.products[0] in proposed | {p.id for p in rec.current_products}, (key, c.case.id)
            same = [x for x in rec.cases if x.case.industry == rec.profile.industry]
            assert not same or c.case.industry == rec.profile.industry, (key, c.case.id)


def test_another_industrys_case_is_introduced_as_such(generated):
    folder, rec, _ = generated["gas-utility"]
    assert rec.profile.industry == "energy"
    assert rec.cases and all(c.other_industry and c.case.industry != "energy" for c in rec.cases)
    chapter = _case_chapter(folder)
    assert chapter[1][1].startswith("以下为其他行业的参考案例：")
    industries = _value_after(chapter, "行业")
    assert len(industries) == len(rec.cases) and all(v.endswith("（其他行业的参考案例）") for v in industries)
    for slide in _case_slides(folder):
        assert "其他行业的参考案例：" in slide["text"]
    brief = docx_text(folder / "brief.docx")
    assert "这是其他行业的案例" in brief and "同为城市燃气客户" in brief


def test_a_quote_reaches_the_client_only_with_consent(tmp_path):
    ws = tmp_path / "ws"
    copy_workspace(ws)
    hospital, bank = PROFILES["county-hospital"], issued(PROFILES["city-commercial-bank"])
    (withdrawn,) = [c.case for c in recommend_for(Workspace(ws), hospital)[1].cases if c.case.client_quote][:1]
    (kept,) = [c.case for c in recommend_for(Workspace(ws), bank)[1].cases if c.case.client_quote][:1]
    path = ws / "cases" / Path(withdrawn.file).name
    path.write_text(path.read_text(encoding="utf-8").replace("quote_consent: true", "quote_consent: false"),
                    encoding="utf-8")
    cli = Cli(ws)
    folders = {}
    for key, profile in (("hospital", hospital), ("bank", bank)):
        result = cli("generate", profile, "--out", tmp_path / key, "--brief")
        assert result.exit_code == 0, result.stderr
        folders[key] = next((tmp_path / key).iterdir())
    assert f"“{kept.quote}”——{kept.quote_by}" in docx_text(folders["bank"] / "proposal.docx")
    folder = folders["hospital"]
    proposal = docx_text(folder / "proposal.docx")
    deck = "\n".join(s["text"] + s["notes"] for s in pptx_slides(folder / "pitch.pptx"))
    assert withdrawn.title in proposal  # still cited, without the words
    assert withdrawn.quote not in proposal and withdrawn.quote not in deck
    assert f"客户原话（未获授权引用，不要写进建议书）：“{withdrawn.quote}”" in docx_text(folder / "brief.docx")
