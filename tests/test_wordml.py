"""The WordprocessingML text the docx renderer parses: escaping and python-docx-compatible runs."""

from docx.oxml.parser import parse_xml

from pitchcraft.render import wordml


def _texts(xml: str) -> list[str]:
    body = parse_xml(wordml.fragment([xml]))
    return ["".join(t.text or "" for t in p.iter(f"{{{wordml.W_NS}}}t")) for p in body]


def test_markup_and_control_characters_stay_text():
    xml = wordml.paragraph("a <b>&amp; {{ x }}\x07\x1b c", "BodyText")
    assert _texts(xml) == ["a <b>&amp; {{ x }} c"]


def test_tabs_line_breaks_and_edge_spaces_are_kept_as_word_does():
    xml = wordml.run(" 第一行\t甲\n第二行 ")
    assert "<w:tab/>" in xml and "<w:br/>" in xml
    assert xml.count('xml:space="preserve"') == 2  # the first and last pieces carry edge spaces
    assert _texts(wordml.paragraph(runs=xml)) == [" 第一行甲第二行 "]


def test_a_spanning_cell_takes_the_width_of_its_columns():
    cells = [[wordml.Cell(wordml.paragraph("标题"), "EAF2FA", span=2)],
             [wordml.Cell(wordml.paragraph("甲")), wordml.Cell(wordml.paragraph("乙"))]]
    xml = wordml.table(cells, [1000, 3000], "TableGrid", header_rows=1)
    (tbl,) = parse_xml(wordml.fragment([xml]))
    first = tbl.tr_lst[0]
    assert first.tc_lst[0].tcPr.tcW.w == 4000  # twips
    assert first.trPr is not None and first.xpath("./w:trPr/w:tblHeader")
    assert not tbl.tr_lst[1].xpath("./w:trPr/w:tblHeader")


def test_alignment_follows_the_style_unless_asked():
    right = parse_xml(wordml.fragment([wordml.paragraph("¥1,234.00", "TableText", align="r", keep_next=True)]))[0]
    ppr = right.find(f"{{{wordml.W_NS}}}pPr")
    assert [child.tag.split("}")[1] for child in ppr] == ["pStyle", "keepNext", "jc"]  # schema order
    assert ppr.find(f"{{{wordml.W_NS}}}jc").get(f"{{{wordml.W_NS}}}val") == "right"
    assert "<w:jc" not in wordml.paragraph("甲", "TableText", align="l")
