"""The deck's column charts as chart XML and the workbook behind them, written as text.

python-pptx builds a chart from its chart-data classes, whose module imports XlsxWriter to write the
workbook PowerPoint opens for "Edit Data", and then styles it object by object; together a tenth
of a one-proposal run. The deck needs one kind of chart (clustered columns, a value label on each,
the legend below, brand colours), so its XML is written here directly, styled, in the element
order of the chart schema (ECMA-376 part 1, 21.2), and the workbook is the smallest one Excel,
WPS and LibreOffice open: one sheet, categories in column A, one column per series.
:class:`ChartParts` hands both to python-pptx's ``add_chart``, which relates them to the slide.
"""

from __future__ import annotations

import math

from ..compose import Chart
from .opc import A_NS, CONTENT_TYPES, R_NS, zip_parts
from .xmltext import escape

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CAT_AX, VAL_AX = "-2068027336", "-2113994440"  # any two ids; these are python-pptx's
MONEY_FORMAT = "#,##0"
FONT_SIZE, TITLE_SIZE = 1400, 1600  # hundredths of a point
_END_PARAGRAPH = '<a:endParaRPr lang="en-US"/>'


class ChartParts:
    """What python-pptx's ``SlideShapes.add_chart`` asks of its chart data: the chart part's XML
    and the embedded workbook."""

    def __init__(self, chart: Chart, colours: list[str]):
        self.chart = chart
        self.colours = colours

    def xml_bytes(self, _chart_type) -> bytes:
        return chart_xml(self.chart, self.colours)

    @property
    def xlsx_blob(self) -> bytes:
        return workbook(self.chart)


def column(n: int) -> str:
    """Spreadsheet column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _str_cache(refs: str, texts: list[str]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(t)}</c:v></c:pt>' for i, t in enumerate(texts))
    return f'<c:strRef><c:f>{refs}</c:f><c:strCache><c:ptCount val="{len(texts)}"/>{points}</c:strCache></c:strRef>'


def _text_props(size: int, end: str = "") -> str:
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}"/></a:pPr>{end}</a:p>'
            "</c:txPr>")


def value_step(chart: Chart) -> float:
    """The value axis' step, a round one (1, 2, 2.5 or 5 times a power of ten; counts in whole
    steps without 2.5) giving at most five intervals, so that labels such as "10,000" never run
    into each other on a bar chart's axis (LibreOffice chose 5,000 steps up to 45,000 and they touched)."""
    totals = ([sum(values) for values in zip(*(v for _n, v in chart.series))] if chart.stacked
              else [v for _n, values in chart.series for v in values])
    top = max((float(t) for t in totals), default=0.0)
    raw = top / 5
    if raw <= (0 if chart.money else 1):
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    factors = (1, 2, 2.5, 5, 10) if chart.money or power >= 10 else (1, 2, 5, 10)
    return next(f * power for f in factors if f * power >= raw)


def chart_xml(chart: Chart, colours: list[str]) -> bytes:
    """A clustered column chart of ``chart`` (stacked horizontal bars when ``chart.stacked``): series
    coloured in turn by ``colours`` (RRGGBB)."""
    n = len(chart.categories)
    categories = _str_cache(f"Sheet1!$A$2:$A${n + 1}", list(chart.categories))
    money_format = f'<c:numFmt formatCode="{MONEY_FORMAT}" sourceLinked="0"/>' if chart.money else ""
    series = []
    for s, (name, values) in enumerate(chart.series):
        col = column(s + 1)
        fill = (f'<c:spPr><a:solidFill><a:srgbClr val="{colours[s]}"/></a:solidFill></c:spPr>'
                if s < len(colours) else "")
        points = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values)
                         if v or not chart.stacked)  # a stacked bar has no zero segment: left blank
        series.append(
            f'<c:ser><c:idx val="{s}"/><c:order val="{s}"/><c:tx>{_str_cache(f"Sheet1!${col}$1", [name])}</c:tx>'
            f"{fill}<c:cat>{categories}</c:cat>"
            f'<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${n + 1}</c:f><c:numCache><c:formatCode>General'
            f'</c:formatCode><c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef></c:val></c:ser>')
    title = ""
    if chart.title:
        title = (f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr sz="{TITLE_SIZE}"/>'
                 f"<a:t>{escape(chart.title)}</a:t></a:r></a:p></c:rich></c:tx><c:layout/>"
                 '<c:overlay val="0"/></c:title>')
    labels = "" if chart.stacked else (f"<c:dLbls>{money_format}{_text_props(FONT_SIZE)}"
              '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
              '<c:showPercent val="0"/><c:showBubbleSize val="0"/><c:showLeaderLines val="1"/></c:dLbls>')
    category_axis = (
        f'<c:catAx><c:axId val="{CAT_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{"l" if chart.stacked else "b"}"/><c:majorTickMark val="out"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="{VAL_AX}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')
    value_axis = (
        f'<c:valAx><c:axId val="{VAL_AX}"/><c:scaling/><c:delete val="0"/>'
        f'<c:axPos val="{"b" if chart.stacked else "l"}"/>{money_format}'
        '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:crossAx val="{CAT_AX}"/><c:crosses val="autoZero"/>'
        + f'<c:majorUnit val="{value_step(chart)}"/>'
        + "</c:valAx>")
    grouping = "stacked" if chart.stacked else "clustered"
    overlap = '<c:gapWidth val="60"/><c:overlap val="100"/>' if chart.stacked else ""
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}"><c:date1904 val="0"/>'
        f'<c:chart>{title}<c:autoTitleDeleted val="0"/><c:plotArea><c:barChart>'
        f'<c:barDir val="{"bar" if chart.stacked else "col"}"/><c:grouping val="{grouping}"/>{"".join(series)}{labels}'
        f'{overlap}<c:axId val="{CAT_AX}"/><c:axId val="{VAL_AX}"/>'
        f"</c:barChart>{category_axis}{value_axis}</c:plotArea>"
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:dispBlanksAs val="gap"/></c:chart>'
        f"{_text_props(FONT_SIZE, _END_PARAGRAPH)}</c:chartSpace>")  # python-pptx adds c:externalData
    return xml.encode("utf-8")


_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORKBOOK_PARTS = {
    CONTENT_TYPES: (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_SHEET_NS}" xmlns:r="{R_NS}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"),
}


def workbook(chart: Chart) -> bytes:
    """The chart's data as .xlsx bytes: the cells the chart's formulas (``Sheet1!$B$2:$B$5`` …) name."""

    def text(ref: str, value: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'

    rows = ['<row r="1">' + "".join(text(f"{column(s + 1)}1", name) for s, (name, _v) in enumerate(chart.series))
            + "</row>"]
    for i, category in enumerate(chart.categories):
        r = i + 2
        cells = [text(f"A{r}", category)]
        cells += [f'<c r="{column(s + 1)}{r}"><v>{values[i]}</v></c>'
                  for s, (_name, values) in enumerate(chart.series) if i < len(values)
                  and (values[i] or not chart.stacked)]
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = f'<worksheet xmlns="{_SHEET_NS}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    parts = {**_WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": sheet}
    return zip_parts({name: ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n" + xml).encode("utf-8")
                      for name, xml in parts.items()})

__all__ = ["ChartParts", "chart_xml", "workbook"]
