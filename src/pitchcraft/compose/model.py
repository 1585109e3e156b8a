"""The view-model a proposal is composed into: document blocks and slides, as plain data.

The renderers turn these into python-docx / python-pptx calls; nothing here knows either library.
Paragraph-level blocks (Heading, Para, Bullets) live in :mod:`pitchcraft.textblocks`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    caption: str = ""
    align: tuple[str, ...] = ()  # per column: "l" (default) or "r" (amounts)
    keep: bool = False           # read as one piece (money tables): never split across pages
    with_next: bool = False      # on the same page as the table after it (a product's spec and tariff)


@dataclass(frozen=True)
class Card:
    """A case-study card: a titled box of labelled facts."""

    title: str
    subtitle: str
    fields: tuple[tuple[str, str], ...]
    bullets: tuple[str, ...]


@dataclass(frozen=True)
class Cover:
    client: str
    title: str
    tagline: str
    meta: tuple[tuple[str, str], ...]
    sites: int | None = None  # the client's sites, drawn in the cover picture


@dataclass(frozen=True)
class Diagram:
    """Need areas and the products answering them; the renderer draws it as a picture."""

    rows: tuple[tuple[str, tuple[str, ...]], ...]
    caption: str


@dataclass(frozen=True)
class TOC:
    title: str = "目  录"


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Chart:
    """A native column chart: one value per category for each series."""

    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    title: str = ""
    money: bool = False  # values are yuan (labels with thousands separators), not counts
    stacked: bool = False  # series stacked in one bar per category, bars drawn horizontally


@dataclass(frozen=True)
class Figure:
    """A big number on a slide: the figure, what it counts, and where it comes from."""

    value: str
    label: str
    icon: str = ""  # person | building | need | check | product: a drawn icon above the figure


@dataclass(frozen=True)
class Answer:
    """A product slide: the client's words on the left, what we propose on the right."""

    quotes: tuple[str, ...]
    product: str
    summary: str
    points: tuple[str, ...]
    price: str
    area: str = ""  # the need area the product belongs to
    # The left panel's label; a product the manager added answers no statement of the client's,
    # so its panel says so instead of showing an empty quotation.
    words_label: str = "您的原话"
    # The slide number of an earlier product slide that already quotes all these words ("同第 5 页":
    # two products answering one need; 122's slides 5 and 8 showed one sentence twice unmarked).
    also_on: int = 0
    # Another product that does the same, not priced: a note line under the points (no ✓: not a benefit).
    option: str = ""


SITE_BOXES = 4  # the most site boxes a figure or slide draws side by side


@dataclass(frozen=True)
class Architecture:
    """The client's network as the recommendation builds it: sites and the links between them,
    the devices at the sites, the platforms above and who uses them, what reaches the client's
    own customers. Built once (:func:`pitchcraft.compose.structure.architecture`, layers from
    ``templates/proposal/architecture.yaml``) for the proposal's figure and the deck's slide."""

    sites: int | None
    employees: int | None
    links: tuple[str, ...]       # what connects the sites and people
    devices: tuple[str, ...]     # terminals and devices at the sites
    platforms: tuple[str, ...]   # used by the staff
    outreach: tuple[str, ...]    # reaches the client's own customers
    hq: str = "总部"              # what the headquarters is called (机关本部, 主校区 …)
    site_label: str = "分支站点"   # what the other sites are called (门店, 厂区 …)
    notes: tuple[tuple[str, str], ...] = ()  # name -> what it does there / who uses it
    caption: str = ""
    staff: str = "员工"           # the client's words (templates/vocabulary.yaml): its people
    served: str = "服务对象"      #   and those it serves
    carried: tuple[str, ...] = ()  # terminals carried by people or in vehicles, not at the sites

    @property
    def other_sites(self) -> int:
        return max(0, (self.sites or 1) - 1)

    def site_boxes(self, room: int = SITE_BOXES) -> tuple[tuple[str, bool], ...]:
        """The sites as the proposal's figure and the deck's slide both draw them, in at most
        ``room`` boxes: the headquarters, then the other sites numbered from 1; when they do not
        all fit, the last box counts the rest ("其余 27 个门店", marked True). The one source of the
        site labels, so that the two documents name the same sites the same way."""
        other = self.other_sites
        if not other:
            return (("贵单位", False),)
        if other == 1:
            return ((self.hq, False), (self.site_label, False))
        shown = other if other < room else room - 2
        boxes = [(self.hq, False)] + [(f"{self.site_label} {n}", False) for n in range(1, shown + 1)]
        if shown < other:
            boxes.append((f"其余 {other - shown} 个{self.site_label}", True))
        return tuple(boxes)

    def note(self, name: str) -> str:
        return dict(self.notes).get(name, "")


@dataclass
class Slide:
    layout: str  # title | figures | needs | architecture | answer | case | investment | next_steps | closing
    title: str
    subtitle: str = ""
    chart: Chart | None = None
    notes: str = ""
    figures: list[Figure] = field(default_factory=list)
    cards: list[tuple[str, list[tuple[str, bool | None]]]] = field(default_factory=list)  # area -> (need, answered; None: 待进一步沟通)
    answer: Answer | None = None
    architecture: Architecture | None = None
    steps: list[tuple[str, str]] = field(default_factory=list)  # (when, what)
    caption: str = ""  # one short line under the slide's visual: where its figures come from
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # investment of one product: (item, quantity × unit price, amount)


@dataclass
class Proposal:
    client: str
    title: str
    date: dt.date
    company: str
    department: str
    blocks: list
    slides: list[Slide]
    quote: object = None  # pitchcraft.quote.Quote: the offer the documents show


# --- numbering: 一、 （一） 1. （1） -----------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 101 -> 一百零一, 1010 -> 一千零一十; from 10,000 Arabic digits.

    A profile may hold any number of statements, so every count a heading can reach has a number.
    """
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    if n >= 10_000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero else "") + _CN_DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


class Numbering:
    """Formal Chinese heading numbers: 一、 then （一） then 1. then （1）."""

    def __init__(self) -> None:
        self.counters = [0, 0, 0, 0]

    def next(self, level: int) -> str:
        i = level - 1
        self.counters[i] += 1
        for j in range(i + 1, 4):
            self.counters[j] = 0
        n = self.counters[i]
        return [f"{cn_number(n)}、", f"（{cn_number(n)}）", f"{n}. ", f"（{n}）"][i]


