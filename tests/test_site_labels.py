"""The proposal's network figure and the deck's network slide name the same sites the same way
(one source: Architecture.site_boxes): the headquarters, the other sites numbered from 1, the rest
counted as "其余 N 个…"."""

from __future__ import annotations

import re

import pytest
import yaml
from PIL import ImageDraw
from pptx import Presentation

from conftest import ROOT, Cli, copy_workspace
from docreader import docx_paragraphs
from pitchcraft.compose.model import Architecture
from pitchcraft.render import diagram

CHAIN = ROOT / "examples" / "chain-supermarket.yaml"  # 30 sites: 门店


@pytest.mark.parametrize("sites, labels", [
    (None, ["贵单位"]),
    (1, ["贵单位"]),
    (2, ["总部", "门店"]),
    (4, ["总部", "门店 1", "门店 2", "门店 3"]),
    (5, ["总部", "门店 1", "门店 2", "其余 2 个门店"]),
    (30, ["总部", "门店 1", "门店 2", "其余 27 个门店"]),
])
def test_the_sites_counted_add_up(sites, labels):
    boxes = Architecture(sites, None, (), (), (), (), hq="总部", site_label="门店").site_boxes()
    assert [label for label, _rest in boxes] == labels
    shown = sum(1 for label, rest in boxes if not rest) + sum(int(re.search(r"\d+", label).group())
                                                              for label, rest in boxes if rest)
    assert shown == (sites or 1)  # every site once, none twice


def test_the_figure_draws_the_same_labels(monkeypatch):
    if diagram.cjk_font(True) is None:
        pytest.skip("no CJK font: the proposal shows the table instead of the figure")
    drawn = []
    real = ImageDraw.ImageDraw.text

    def text(self, xy, label, *args, **kwargs):
        drawn.append(label)
        return real(self, xy, label, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
    a = Architecture(30, 1200, ("集团专线",), (), ("集团号簿",), (), hq="总部", site_label="门店")
    assert diagram.architecture_diagram(a)
    assert [t for t in drawn if t in ("总部", "门店 1", "门店 2", "其余 27 个门店", "门店 3")] == \
        ["总部", "门店 1", "门店 2", "其余 27 个门店"]


def _generate(tmp_path, profile):
    ws = copy_workspace(tmp_path / "ws")
    result = Cli(ws)("generate", profile, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    return next(p for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize("sites", [30, 3, 2])
def test_proposal_and_deck_name_the_same_sites(sites, tmp_path):
    data = yaml.safe_load(CHAIN.read_text(encoding="utf-8"))
    data["client"]["sites"] = sites
    profile = tmp_path / "p.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    folder = _generate(tmp_path, profile)
    said = next(t for _s, t in docx_paragraphs(folder / "proposal.docx") if "图中依次为：" in t)
    in_proposal = said.split("图中依次为：", 1)[1].split("、")
    slide = next(s for s in Presentation(str(folder / "pitch.pptx")).slides if s.slide_layout.name == "Architecture")
    texts = [sh.text_frame.paragraphs[0].text for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text]
    on_slide = [t for t in texts if t == "总部" or t.startswith("门店") or t.startswith("其余")]
    assert on_slide == in_proposal, (on_slide, in_proposal)
    assert in_proposal[0] == "总部" and len(in_proposal) == min(sites, 4)
    if sites > 4:
        assert in_proposal[-1] == f"其余 {sites - 3} 个门店"
