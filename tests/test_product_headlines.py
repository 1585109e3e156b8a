"""A product's slide title and proposal heading say what it does for this client, in the catalog's
own words (a benefit, chosen by what the client said), on one line of the deck's title; the product's
name stays on the slide and leads the proposal's heading."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from pptx import Presentation

from conftest import EXAMPLES, ROOT, generate_examples
from docreader import docx_paragraphs
from pitchcraft.compose import headline
from pitchcraft.content.vocabulary import fill, load_vocabulary
from pitchcraft.model.vocab import INDUSTRIES
from pitchcraft.render import fit

EMU_PT = 12700
LABEL = "我们的做法　"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folders = generate_examples(tmp_path_factory.mktemp("headlines"))
    return {p.stem: (folders[p.stem], yaml.safe_load(p.read_text(encoding="utf-8"))) for p in EXAMPLES}


def _catalog() -> dict:
    data = yaml.safe_load((ROOT / "catalog" / "products.yaml").read_text(encoding="utf-8"))
    return {p["name"]: p for p in data["products"]}


def _lead_clauses(product: dict, profile: dict) -> set[str]:
    """The first clause of each of the product's catalog benefits, in this client's words: those of
    the first industry_copy entry for the client's industry (and name) that writes benefits, else the
    default ones."""
    client = profile["client"]
    industry = INDUSTRIES.lookup[client["industry"]]
    words = load_vocabulary([ROOT / "templates"]).words_for(industry, client["name"])
    benefits = product["benefits"]
    for entry in product.get("industry_copy") or ():
        if INDUSTRIES.lookup.get(industry) in {INDUSTRIES.lookup.get(i, i) for i in entry["industries"]} and (
                not entry.get("match") or any(m in client["name"] for m in entry["match"])):
            benefits = entry.get("benefits") or benefits
            break
    return {re.split(r"[，；。,;！!？?]", fill(b, words))[0].strip() for b in benefits}


def _em(text: str) -> float:
    """Width in em as LibreOffice sets it: fit's measure plus a quarter em where CJK meets Latin."""
    wide = [unicodedata.east_asian_width(c) in ("W", "F") for c in text]
    return fit.text_em(text) + 0.25 * sum(a != b for a, b in zip(wide, wide[1:]))


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_a_product_slide_title_says_what_the_product_does_on_one_line(made, name):
    folder, profile = made[name]
    catalog = _catalog()
    prs = Presentation(str(folder / "pitch.pptx"))
    slides = [s for s in prs.slides if s.slide_layout.name == "Pain and Answer"]
    assert len(slides) >= 2
    titles = []
    for slide in slides:
        title = slide.shapes.title
        text = title.text_frame.text
        label = next(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame
                     and sh.text_frame.text.startswith(LABEL))
        product_name = label.removeprefix(LABEL).replace("（现有业务扩容）", "")
        product = catalog[product_name]  # the product's name is on the slide
        assert text != product_name and product_name not in text
        assert text in _lead_clauses(product, profile), (product_name, text)  # the catalog's words, none made up
        sizes = {r.font.size.pt for p in title.text_frame.paragraphs for r in p.runs}
        layout_title = next(sh for sh in slide.slide_layout.placeholders if sh.placeholder_format.type.name == "TITLE")
        room = layout_title.width / EMU_PT - 2 * fit.INSET_LR_PT
        assert sizes == {28.0}  # the deck's title size, not shrunk
        assert _em(text) * 28.0 <= room * 0.95, text  # one line, even set 5 % wider
        titles.append(text)
    assert len(set(titles)) == len(titles)


def test_the_compose_limit_is_one_line_of_the_reference_deck_title():
    """headline.TITLE_EM (compose cannot measure the deck) is within what the reference deck's title
    box holds at its own size."""
    prs = Presentation(str(ROOT / "templates" / "reference.pptx"))
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Pain and Answer")
    title = next(sh for sh in layout.placeholders if sh.placeholder_format.type.name == "TITLE")
    room_em = (title.width / EMU_PT - 2 * fit.INSET_LR_PT) / 28.0
    assert headline.TITLE_EM <= room_em * 0.95 - 1  # a quarter em for each of a few CJK-Latin seams


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_a_proposal_product_heading_is_its_name_and_what_it_does(made, name):
    folder, profile = made[name]
    catalog = _catalog()
    paragraphs = docx_paragraphs(folder / "proposal.docx")
    chapter, headings = None, []
    for style, text in paragraphs:
        if style == "Heading 1":
            chapter = text
        elif style == "Heading 2" and chapter and chapter.endswith("分项方案"):
            headings.append(re.sub(r"^（[一二三四五六七八九十]+）", "", text))
    assert len(headings) >= 2
    for text in headings:
        product_name, sep, said = text.partition("：")
        assert sep, text
        product = catalog[product_name.replace("（现有业务扩容）", "")]
        assert said in _lead_clauses(product, profile), text


def test_the_benefit_nearest_to_what_the_client_said_is_chosen():
    from pitchcraft.match.recommend import ProductMatch, StatementMatch
    from pitchcraft.model.catalog import Product

    product = Product.__new__(Product)
    object.__setattr__(product, "benefits", ("内部通话费用明显下降，节省越明显", "全员通知几分钟内送达，不用一个个打电话",
                                             "省钱", "省钱，账单清晰"))
    said = StatementMatch.__new__(StatementMatch)
    object.__setattr__(said, "statement", "生产计划一改就要一个个打电话通知几十个班组长")
    m = ProductMatch.__new__(ProductMatch)
    object.__setattr__(m, "product", product)
    object.__setattr__(m, "statements", [said])
    assert headline.message(m) == "全员通知几分钟内送达"
    object.__setattr__(m, "statements", [])  # the manager added it: the catalog's first benefit
    assert headline.message(m) == "内部通话费用明显下降"
    assert headline.lead_clause("省钱，账单清晰") == "省钱，账单清晰"  # too short alone
    object.__setattr__(product, "benefits", ("把" * 40,))
    assert headline.message(m) == ""  # nothing short enough: the caller shows the name alone


def test_a_wish_to_see_picks_the_benefit_that_shows(made):
    """“想在总部实时看到” (the machines' state) is answered by 远程查看设备状态, not by the catalog's first
    benefit (现场不用布线), which shares as many of the client's words."""
    folder, _profile = made["precision-manufacturing"]
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(folder / "pitch.pptx")).slides
              if s.slide_layout.name == "Pain and Answer"]
    iot = [t for t in titles if "设备状态" in t or "布线" in t]
    assert iot == ["远程查看设备状态"], titles
    assert headline.failing("想在总部实时看到，不要等车间打电话来报") == ("看",)
