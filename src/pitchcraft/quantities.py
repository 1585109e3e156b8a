"""Numbers in a client's own words, and what each one counts.

Clients do not say "62 vehicles"; they say 六十多辆集卡, 上百个探头, 两千多人, 前台就3个人, 每月话费一万二.
This module reads those forms: Chinese and Arabic numerals (一万二 = 12000, 1.2万, 两千三百), rough forms
(六十多, 二十来, 十几, 上百, 近百, 三四十, 几十), and ties each number to what it counts through the
table in ``templates/quantities.yaml`` (measure words, nouns, named groups of people), so the quote
can say "按客户所说“六十多辆集卡”计 60 台".

The figure to quote (``value``) is the round number the client said: 六十多 -> 60, 三四十 -> 30,
上百 -> 100. ``low``/``high`` keep the range the words allow; ``vague`` marks numbers that give an
order only (几十, 好几, 数百), which are never quoted.

Pure: the standard library and PyYAML (to read the table, :func:`load_table`), no other module of
pitchcraft; nothing here raises on any text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

# --- numbers --------------------------------------------------------------------------------

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
MAX_VALUE = 10 ** 12  # larger than anything a client counts: read as no number at all


@dataclass(frozen=True)
class Number:
    """A number as said: the round figure, the range the words allow, and how rough it is."""

    value: Decimal
    low: Decimal
    high: Decimal | None  # None: open (上百 = a hundred or more)
    approximate: bool
    vague: bool = False   # an order only (几十, 好几个): never quoted


_NUM_CHARS = "0-9.零〇一二两俩三仨四五六七八九十百千万亿几"
NUMERAL = re.compile(
    r"(?P<prefix>将近|接近|差不多|大概|大约|近|上|约|数|好几|好)?"
    rf"(?P<num>[{_NUM_CHARS}](?:[{_NUM_CHARS}]|[多余来](?=[十百千万亿]))*)"
    rf"(?:(?P<dash>[-~～到至])(?P<num2>[{_NUM_CHARS}]+))?"
    r"(?P<suffix>多|余|来|出头|把)?"
)


def _tokens(s: str) -> list[tuple[str, object]] | None:
    """('d', digit value) · ('u', 10/100/1000) · ('b', 10^4/10^8) · ('j', None) for 几 · ('m', None) for 多."""
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(s):
        c = s[i]
        if c.isdigit() or c == ".":
            j = i
            while j < len(s) and (s[j].isdigit() or s[j] == "."):
                j += 1
            try:
                out.append(("n", Decimal(s[i:j])))
            except InvalidOperation:
                return None
            i = j
            continue
        if c in DIGITS:
            out.append(("d", DIGITS[c]))
        elif c in UNITS:
            out.append(("u", UNITS[c]))
        elif c in BIG:
            out.append(("b", BIG[c]))
        elif c == "几":
            out.append(("j", None))
        elif c in "多余来":
            out.append(("m", None))
        else:
            return None
        i += 1
    return out


def _section(tokens: list, lo: bool) -> tuple[Decimal, int, bool] | None:
    """A part below 万: its value (几 as its low or high digit), its smallest place, and whether
    it ended on 多 (more than said)."""
    total = Decimal(0)
    digit: Decimal | None = None
    last_unit = 0      # the unit just passed, for 一千五 = 1500
    zero = False       # 一千零五: the digit after 零 is ones
    more = False
    smallest = 1
    for kind, v in tokens:
        if kind in ("d", "n", "j"):
            if digit is not None:
                return None  # two digits in a row: not a number we read (ranges are handled before)
            if kind == "j":
                digit = Decimal(2 if (lo and not last_unit) else (1 if lo else 9))
            else:
                digit = Decimal(v)
            if kind == "d" and v == 0:
                zero, digit = True, None
        elif kind == "u":
            if last_unit and v >= last_unit:
                return None  # 十百: not a number
            total += (digit if digit is not None else Decimal(1)) * v
            last_unit, digit, smallest = v, None, v
        elif kind == "m":
            more = True
    if digit is not None:
        place = 1 if (zero or not last_unit) else last_unit // 10
        total += digit * place
        smallest = place
    return total, smallest, more


def _evaluate(tokens: list, lo: bool) -> tuple[Decimal, Decimal, bool] | None:
    """The value (几 read low or high), the size of its smallest place, and whether 多 was said inside."""
    total = Decimal(0)
    part: list = []
    smallest = Decimal(1)
    more_place = None
    for kind, v in tokens:
        if kind == "b":
            sec = _section(part, lo) if part else (Decimal(1), 1, False)
            if sec is None:
                return None
            value, small, more = sec
            total = (total + value) * v if total and v > 10_000 else total + value * v
            smallest = Decimal(small) * v
            if more:
                more_place = smallest
            part = []
        else:
            part.append((kind, v))
    if part:
        sec = _section(part, lo)
        if sec is None:
            return None
        value, small, more = sec
        # 一万二 = 12000: a lone digit after 万 counts thousands
        if total and len(part) == 1 and part[0][0] == "d" and smallest >= 10_000:
            value, small = value * (smallest // 10), smallest // 10
        total += value
        smallest = Decimal(small)
        if more:
            more_place = smallest
    if more_place is not None:
        smallest = more_place
    return total, smallest, more_place is not None


def _range(tokens: list) -> tuple[list, list] | None:
    """三四十, 五六个, 十五六, 一两: two neighbouring digits as a low and a high number."""
    for k in range(len(tokens) - 1):
        (k1, a), (k2, b) = tokens[k], tokens[k + 1]
        if k1 == k2 == "d" and (b == a + 1 or (a, b) == (1, 2)) and a != 0:
            return tokens[:k + 1] + tokens[k + 2:], tokens[:k] + tokens[k + 1:]
    return None


def parse_number(text: str, prefix: str | None = None, suffix: str | None = None) -> Number | None:
    """The number a numeral says, with its prefix (上, 近, 好几 …) and suffix (多, 来, 出头 …)."""
    text = unicodedata.normalize("NFKC", text or "").replace(",", "")
    tokens = _tokens(text) if text else None
    if not tokens:
        return None
    if tokens[-1][0] == "m":
        suffix, tokens = suffix or "多", tokens[:-1]
        if not tokens:
            return None
    has_digit = any(k in ("d", "n", "j") for k, _ in tokens)
    if not has_digit and not (prefix in ("上", "近", "将近", "接近", "数", "好几") or suffix in ("来", "把")
                              or tokens[0] == ("u", 10)):
        return None  # a bare 万 or 百 (万家, 百货) is a word, not a number
    # 几 after a digit or a place (十几, 八万几 = 八万多) is a rough tail; alone (几十, 几个) an order only
    vague = any(k == "j" and (i == 0 or tokens[i - 1][0] not in ("d", "u", "n", "b")) for i, (k, _) in enumerate(tokens)) \
        or prefix in ("数", "好几", "好")
    if prefix in ("数", "好几") and not has_digit:
        tokens = [("j", None), *tokens]
    approx = vague or suffix is not None or prefix is not None or any(k in ("j", "m") for k, _ in tokens)
    span = _range(tokens)
    if span is not None:
        low_t, high_t = span
        lo, hi = _evaluate(low_t, True), _evaluate(high_t, False)
        if lo is None or hi is None:
            return None
        low, high, value, approx = lo[0], hi[0], lo[0], True
    else:
        lo, hi = _evaluate(tokens, True), _evaluate(tokens, False)
        if lo is None or hi is None:
            return None
        low, high = lo[0], hi[0]
        value = lo[0] if not any(k == "j" for k, _ in tokens) else _evaluate([t for t in tokens if t[0] != "j"] or
                                                                          [("d", 0)], True)[0]
        if vague:
            value = low
        if suffix in ("多", "余", "出头") or lo[2]:
            high = value + lo[1] - (1 if lo[1] >= 1 else 0)
        elif suffix in ("来", "把"):
            low, high = max(low - lo[1] / 2, Decimal(0)), low + lo[1] / 2
    if prefix == "上":
        high = None
    elif prefix in ("近", "将近", "接近"):
        low = value * Decimal("0.8")
    elif prefix in ("约", "大概", "大约", "差不多"):
        low, high = min(low, value * Decimal("0.9")), max(high or value, value * Decimal("1.1"))
    if value <= 0 or value > MAX_VALUE:
        return None
    return Number(_plain(value), _plain(low), None if high is None else _plain(high), approx, vague)


def _plain(d: Decimal) -> Decimal:
    """12000.0 -> 12000 (a whole number shown whole); fractions kept to the fen."""
    return Decimal(int(d)) if d == d.to_integral_value() else d.quantize(Decimal("0.01"))


def number_at(text: str, start: int = 0) -> tuple[Number, int, int] | None:
    """The first number in ``text`` from ``start`` on: the number and its span."""
    for m in NUMERAL.finditer(text, start):
        num = _from_match(m)
        if num is not None:
            return num, m.start(), m.end()
    return None


def _from_match(m: re.Match) -> Number | None:
    num = m.group("num")
    if m.group("suffix") in ("多", "余", "来") and not m.group("prefix") and (
            num[-1] in DIGITS or (num.isdigit() and len(num) < 2)):
        return None  # 一多, 五来: not a rough number (一来一回, 一多人就卡); 六十多, 20来 are
    if m.group("num2"):
        lo = parse_number(num)
        hi = parse_number(m.group("num2"))
        if lo is None or hi is None or hi.value < lo.value:
            return None
        return Number(lo.value, lo.low, hi.high, True, lo.vague or hi.vague)
    return parse_number(num, m.group("prefix"), m.group("suffix"))


# --- the table ------------------------------------------------------------------------------


COUNTED_KEPT = 4096  # statements whose counts a table keeps (a few hundred bytes each)


@dataclass(frozen=True)
class Table:
    """templates/quantities.yaml, read once: what the words around a number say it counts."""

    labels: dict[str, str]                   # kind -> Chinese label
    nouns: dict[str, tuple[str, ...]]        # noun -> the kinds it may name, first preferred
    measures: tuple[str, ...]                # every measure word, longest first
    measure_kind: dict[str, str]             # a measure word that alone says the kind
    with_measures: dict[str, tuple[str, ...]]  # kind -> the measure words it goes with
    groups: frozenset[str]
    staff_nouns: frozenset[str]
    fillers: tuple[str, ...]
    not_before: tuple[str, ...]
    not_after: tuple[str, ...]               # after the measure word: a time, not a count (一个月)
    not_named: frozenset[str]                # group words that mostly name a task or office (采购的审批)
    one_place: tuple[str, ...]               # words saying the need is at one place (这栋楼)
    currencies: tuple[str, ...]
    money_subjects: dict[str, str]           # word -> subject key (bill, sms, loss …)
    money_periods: dict[str, str]            # word -> period key (month, year …)
    duration_units: dict[str, Decimal]       # unit -> hours
    duration_words: dict[str, Decimal]       # 半天 -> hours
    duration_periods: dict[str, str]
    share_words: dict[str, Decimal]
    counted_by: dict[str, tuple[str, ...]]   # price item unit (or unit/per) -> kinds, preferred first
    counted_by_product: dict[str, tuple[str, ...]]  # product id -> kinds, over its units' rule
    counted_by_per: dict[str, tuple[str, ...]]  # quantity basis (people, vehicles …) -> kinds
    to_confirm: dict[str, str]               # quantity basis -> what is to be confirmed (人数, 车辆数)
    split_by: tuple[str, ...]                # bases whose items answer only the statements naming them
    max_noun: int
    # text -> its counts: a quote reads each statement once per price item (and the web prices the
    # documents' offer beside the whole one), always with the same result for the same table
    _counted: dict = field(default_factory=dict, compare=False, repr=False)
    # per-member products every number of the unit takes whatever group a statement names (集团彩铃:
    # every caller of every number hears it); others go to the group the client named, or to confirm
    whole_unit: frozenset[str] = frozenset()
    on_the_move: tuple[str, ...] = ()        # words saying the need is in moving vehicles (司机开车): not per site
    per_end: frozenset[str] = frozenset()    # products priced per 端: each place the line joins is one end
    hubs: tuple[str, ...] = ()               # a place named besides the ones counted (总部): one end more
    possessive: str = "的"                    # between a count and a noun: the count is of what comes before (两个棚嘅工人)
    every_before: tuple[str, ...] = ()       # before a place: the need is at every one (每个网点, 各门店)
    every_after: tuple[str, ...] = ()        # after a place: the same (项目部都在山沟里)
    one_each: tuple[str, ...] = ()           # a device for each of the people counted (每个人, 人手一台)

    @classmethod
    def from_dict(cls, data: dict) -> "Table":
        kinds = data.get("kinds") or {}
        labels = {k: str((v or {}).get("label", k)) for k, v in kinds.items()}
        labels.setdefault("people", "人员")
        labels.setdefault("staff", "员工")
        nouns: dict[str, list[str]] = {}
        measure_kind: dict[str, str] = {}
        with_measures: dict[str, tuple[str, ...]] = {}
        for kind, spec in kinds.items():
            spec = spec or {}
            for noun in spec.get("nouns") or ():
                nouns.setdefault(str(noun), []).append(kind)
            for word in spec.get("measures") or ():
                measure_kind.setdefault(str(word), kind)
            with_measures[kind] = tuple(str(w) for w in (spec.get("with") or ()))
        groups = frozenset(str(g) for g in data.get("groups") or ())
        staff = frozenset(str(s) for s in data.get("staff_nouns") or ())
        for g in groups:
            nouns.setdefault(g, []).append("people")
        for s in staff:
            nouns.setdefault(s, []).append("staff")
        for w in ("人", "名", "位"):
            measure_kind.setdefault(w, "staff")
        money = data.get("money") or {}
        dur = data.get("durations") or {}
        shares = data.get("shares") or {}

        def by_word(table: dict) -> dict[str, str]:
            return {str(w): key for key, words in (table or {}).items() for w in words or ()}

        all_nouns = {**{n: tuple(ks) for n, ks in nouns.items()}}
        return cls(
            labels=labels, nouns=all_nouns,
            measures=tuple(sorted({str(m) for m in data.get("measures") or ()} | set(measure_kind), key=len,
                                  reverse=True)),
            measure_kind=measure_kind, with_measures=with_measures, groups=groups, staff_nouns=staff,
            fillers=tuple(sorted((str(f) for f in data.get("fillers") or ()), key=len, reverse=True)),
            not_before=tuple(str(w) for w in data.get("not_before") or ()),
            not_after=tuple(str(w) for w in data.get("not_after") or ()),
            not_named=frozenset(str(w) for w in data.get("not_named") or ()),
            one_place=tuple(sorted((str(w) for w in data.get("one_place") or ()), key=len, reverse=True)),
            currencies=tuple(sorted((str(c) for c in money.get("currencies") or ()), key=len, reverse=True)),
            money_subjects=by_word(money.get("subjects")), money_periods=by_word(money.get("periods")),
            duration_units={str(k): Decimal(str(v)) for k, v in (dur.get("units") or {}).items()},
            duration_words={str(k): Decimal(str(v)) for k, v in (dur.get("words") or {}).items()},
            duration_periods=by_word(dur.get("periods")),
            share_words={str(k): Decimal(str(v)) for k, v in (shares.get("words") or {}).items()},
            counted_by={str(k): tuple(v or ()) for k, v in (data.get("counted_by") or {}).items()
                        if k not in ("products", "per")},
            counted_by_product={str(k): tuple(v or ()) for k, v in
                                ((data.get("counted_by") or {}).get("products") or {}).items()},
            counted_by_per={str(k): tuple(v or ()) for k, v in ((data.get("counted_by") or {}).get("per") or {}).items()},
            to_confirm={str(k): str(v) for k, v in (data.get("to_confirm") or {}).items()},
            split_by=tuple(str(k) for k in data.get("items_by_statement") or ()),
            max_noun=max((len(n) for n in all_nouns), default=1),
            whole_unit=frozenset(str(p) for p in data.get("whole_unit") or ()),
            on_the_move=tuple(str(w) for w in data.get("on_the_move") or ()),
            per_end=frozenset(str(p) for p in (data.get("per_end") or {}).get("products") or ()),
            hubs=tuple(str(w) for w in (data.get("per_end") or {}).get("hubs") or ()),
            possessive="".join(str(w) for w in data.get("possessive") or ("的",)),
            every_before=tuple(sorted((str(w) for w in (data.get("every_place") or {}).get("before") or ()),
                                      key=len, reverse=True)),
            every_after=tuple(sorted((str(w) for w in (data.get("every_place") or {}).get("after") or ()),
                                     key=len, reverse=True)),
            one_each=tuple(str(w) for w in data.get("one_each") or ()),
        )

    def label(self, kind: str) -> str:
        return self.labels.get(kind, kind)

    def noun_at(self, text: str, i: int) -> str | None:
        """The longest noun of the table starting at ``text[i]``."""
        for size in range(min(self.max_noun, len(text) - i), 0, -1):
            if text[i:i + size] in self.nouns:
                return text[i:i + size]
        return None

    def nouns_in(self, text: str):
        """Each noun of the table in the text, left to right, the longest at each place (车间 is no 车),
        with where it starts; a noun's characters are not read again."""
        i = 0
        while i < len(text):
            noun = self.noun_at(text, i)
            if noun is None:
                i += 1
                continue
            yield i, noun
            i += len(noun)

    def noun_ending(self, text: str, end: int) -> str | None:
        """The longest noun of the table ending just before ``text[end]``."""
        for size in range(min(self.max_noun, end), 0, -1):
            if text[end - size:end] in self.nouns:
                return text[end - size:end]
        return None

    def confirm_label(self, basis: str, unit: str | None = None, product: str | None = None) -> str:
        """What the client is to confirm of a line without a count (人数, 摄像头数): the product's own
        word first, then the unit's under this basis (需配终端的人数), then the basis's."""
        return (self.to_confirm.get(product or "") or self.to_confirm.get(f"{unit}/{basis}")
                or self.to_confirm.get(basis) or "数量")

    PLACES = ("sites", "stores")

    def every_place(self, text: str) -> str | None:
        """The place the text says the need is at, every one of them (每个网点, 各门店, 项目部都…): the
        noun, or None when the text speaks of no place, of one, or of places in general."""
        for i, noun in self.nouns_in(text):
            if any(k in self.PLACES for k in self.nouns[noun]):
                if any(text.endswith(w, 0, i) for w in self.every_before) or text.startswith(self.every_after,
                                                                                              i + len(noun)):
                    return noun
        return None

    def each_before(self, text: str, start: int) -> int | None:
        """Where a count said per place begins (每家店装四个摄像头, 每间都拉一条宽带): the position of
        its 每/各 in the count's own clause, or None when the count is a total."""
        left = max((text.rfind(c, 0, start) for c in "，。；;,!！?？\n"), default=-1) + 1
        for k in range(left, start):
            word = next((w for w in self.every_before if text.startswith(w, k)), None)
            if word is None:
                continue
            rest = k + len(word)
            noun = self.noun_at(text, rest)
            if noun and any(kind in self.PLACES for kind in self.nouns[noun]):
                return k
            # 每间都拉一条: a measure word for places the statement counts (五十几间门店; 每家都装了三个摄像头，
            # 一共五家店), not for what it does not (每间房)
            measure = word[-1] if len(word) > 1 else text[rest:rest + 1]
            if measure in PLACE_MEASURES and any(q.kind in self.PLACES for q in counts(text, self)):
                return k
        return None

    def kinds_for(self, unit: str, per: str | None = None, product: str | None = None) -> tuple[str, ...]:
        """The kinds of count a price item of this unit (and quantity basis) may take from a
        statement; a product's own rule first (a handheld terminal counts no water meters)."""
        if product in self.counted_by_product and not per:
            return self.counted_by_product[product]
        if not per:
            return self.counted_by.get(unit, ())
        return self.counted_by.get(f"{unit}/{per}") or self.counted_by_per.get(per, ())

    def names(self, text: str, kinds: tuple[str, ...] | set[str], groups_only: bool = False) -> list[str]:
        """The nouns of these kinds the text uses, longest first at each place (车间 is no 车);
        ``groups_only``: for people, only the named groups (司机, 集团领导), not 人 or 员工."""
        return [noun for _i, noun in self.nouns_in(text)
                if any(k in kinds for k in self.nouns[noun]) and not (groups_only and noun not in self.groups)]


def load_table(path: Path | str) -> Table:
    with open(path, encoding="utf-8") as fh:
        return Table.from_dict(yaml.safe_load(fh) or {})


def default_table_path() -> Path:
    """The shipped table: inside the installed package or the checkout's templates/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates" / "quantities.yaml", here.parents[1] / "templates" / "quantities.yaml"):
        if candidate.is_file():
            return candidate
    return here.parents[1] / "templates" / "quantities.yaml"


_DEFAULT: Table | None = None


def default_table() -> Table:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_table(default_table_path())
    return _DEFAULT


# --- counts ---------------------------------------------------------------------------------

PLACE_MEASURES = ("家", "间", "座", "所", "处")  # 每间都拉一条宽带: each of the places said before
ROUGHLY = ("左右", "上下", "出头", "来个")  # said after the count: 六十辆左右
STOP = set("，。；;,.!！?？、（）()【】[]“”\"'：:\n\t 和与及或跟")
WINDOW = 4  # modifier characters allowed between a measure word and its noun (三个生产厂区)


@dataclass(frozen=True)
class Quantity:
    """A count the client gave: 六十多辆集卡 -> 60 vehicles (approximate)."""

    value: int
    approximate: bool
    phrase: str            # the words it came from, as written
    kind: str              # vehicles | sites | stores | staff | people | lines | calls | devices …
    noun: str | None       # what the client called it (集卡, 厂区, 前台)
    group: str | None      # for people: the group named (前台, 销售团队, 司机)
    low: Decimal
    high: Decimal | None
    vague: bool
    start: int
    end: int

    @property
    def quotable(self) -> bool:
        """Precise enough to quote: not an order of magnitude only (几十), and at least one."""
        return not self.vague and self.value >= 1


def _clip(text: str, start: int, end: int) -> str:
    return text[max(0, start):end]


def _measure_at(text: str, i: int, table: Table) -> str | None:
    for m in table.measures:
        if text.startswith(m, i):
            return m
    return None


def _noun_after(text: str, i: int, table: Table) -> tuple[str, int] | None:
    """The first noun within a few characters after ``i`` (earliest, then longest), and where it starts."""
    for k in range(i, min(len(text), i + WINDOW + 1)):
        if text[k] in STOP or text[k].isdigit() or text[k] in DIGITS or text[k] in table.possessive or text[k] == "在":
            if k > i or text[k] in STOP:
                noun = table.noun_at(text, k) if text[k] not in STOP else None
                return (noun, k) if noun else None
        noun = table.noun_at(text, k)
        if noun:
            return noun, k
    return None


def _noun_before(text: str, start: int, table: Table) -> tuple[str, int] | None:
    """A noun just before the number, past filler words (门店有三十多家, 前台就3个人)."""
    end = start
    for _ in range(3):
        noun = table.noun_ending(text, end)
        if noun:
            return noun, end - len(noun)
        filler = next((f for f in table.fillers if text.endswith(f, 0, end)), None)
        if not filler:
            return None
        end -= len(filler)
    return None


def _pick_kind(noun: str, measure: str | None, table: Table) -> str:
    kinds = table.nouns[noun]
    if measure:
        for kind in kinds:
            if measure in table.with_measures.get(kind, ()) or table.measure_kind.get(measure) == kind:
                return kind
        fitting = [k for k in kinds if not table.with_measures.get(k)]
        if fitting:
            return fitting[0]
    return kinds[0]


def counts(text: str, table: Table | None = None) -> list[Quantity]:
    """Every count in a statement, tied to what it counts; numbers that count nothing known
    (dates, distances, money, durations) are left out."""
    table = table or default_table()
    raw = text if isinstance(text, str) else ""
    known = table._counted.get(raw)
    if known is not None:
        return list(known)
    text = unicodedata.normalize("NFKC", raw)
    same = len(text) == len(raw)  # full-width digits fold one to one: phrases keep the client's own characters
    out: list[Quantity] = []
    pos = 0
    while True:
        found = number_at(text, pos)
        if found is None:
            break
        num, start, end = found
        pos = end
        q = _count_at(text, num, start, end, table)
        if q is not None:
            out.append(replace(q, phrase=raw[q.start:q.end]) if same else q)
            pos = max(pos, q.end)
    if len(table._counted) < COUNTED_KEPT:
        table._counted[raw] = tuple(out)
    return out


def _count_at(text: str, num: Number, start: int, end: int, table: Table) -> Quantity | None:
    if any(text.endswith(w, 0, start) for w in table.not_before):
        return None
    numeral = text[start:end]
    if numeral.isdigit() and len(numeral) >= 7:
        return None  # a phone number, an account or id: not a count
    measure = _measure_at(text, end, table)
    after = end + (len(measure) if measure else 0)
    if measure and text.startswith(table.not_after, after):
        return None  # 抄表员一个月要跑好几万户: a month, not one meter reader
    # 一个个、一家家、一个村一个村: reduplication, not a count
    if measure and (text.startswith(measure, after) or (numeral.endswith("一") and
                                                         text.startswith(numeral[-1:] + measure, after + 1)
                                                         or _repeats(text, start, after))):
        return None
    noun_after = _noun_after(text, after, table) if (measure or _free_noun(numeral)) else None
    noun_before = _noun_before(text, start, table)
    kind = noun = group = None
    phrase_start, phrase_end = start, after
    if noun_after:
        noun, k = noun_after
        kind = _pick_kind(noun, measure, table)
        phrase_end = k + len(noun)
        if kind == "staff" and noun_before and "people" in table.nouns[noun_before[0]]:
            if numeral == "一" and measure == "个" and noun_before[1] + len(noun_before[0]) == start:
                return None  # 巡检员一个人上山: alone, not a headcount (前台就一个人 is one)
            kind, group = "people", noun_before[0]
            phrase_start = noun_before[1]
        elif kind == "people":
            group = noun
    elif noun_before and (measure is not None or _free_noun(numeral)):
        noun, phrase_start = noun_before
        kind = _pick_kind(noun, measure, table)
        own = table.measure_kind.get(measure or "")
        if own and own != kind and not (kind == "people" and own == "staff"):
            kind, noun, phrase_start = own, None, start  # 厂区两千多人: the measure says what is counted
        if kind == "people":
            group = noun
    elif measure and measure in table.measure_kind:
        kind = table.measure_kind[measure]
    if kind is None:
        return None
    if kind == "people" and group in table.staff_nouns:
        kind, group = "staff", None
    if measure is None and noun_after is None and noun_before is None:
        return None
    value = int(num.value.to_integral_value())
    if value < 1:  # things are counted in wholes: ".1来辆" is no count (nor a range below zero)
        return None
    approximate = num.approximate or text.startswith(ROUGHLY, phrase_end)
    return Quantity(value, approximate, text[phrase_start:phrase_end], kind, noun, group,
                    num.low, num.high, num.vague, phrase_start, phrase_end)


def _free_noun(numeral: str) -> bool:
    """A noun may follow a numeral with no measure word when the numeral is Arabic or at least ten
    (1.2万用户, 两百用户); after a lone Chinese digit it is part of a word (一线, 三线城市)."""
    return any(c.isdigit() for c in numeral) or len(numeral) > 1 or numeral in UNITS


def _repeats(text: str, start: int, after: int) -> bool:
    """一个村一个村: the same one-count said twice in a row."""
    if text[start:start + 1] != "一":
        return False
    for size in range(1, WINDOW + 1):
        chunk = text[start:after + size]
        if text.startswith(chunk, after + size) or text.endswith(chunk, 0, start):
            return True
    return False


# --- money, time, shares --------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """A sum of money the client named: 每月话费一万二 -> 12000 a month, a phone bill."""

    value: Decimal
    approximate: bool
    phrase: str
    subject: str | None     # bill | sms | network | loss | cost (templates/quantities.yaml money.subjects)
    about: str | None       # the client's word for it (话费, 短信费, 赔了)
    period: str | None      # month | year | day | quarter
    low: Decimal
    high: Decimal | None
    vague: bool

    def monthly(self) -> Decimal | None:
        """The amount per month, when its period says so."""
        factor = {"month": Decimal(1), "year": Decimal(1) / 12, "quarter": Decimal(1) / 3,
                  "day": Decimal(22)}.get(self.period or "")
        return None if factor is None else self.value * factor


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((text.rfind(c, 0, start) for c in "，。；;,!！?？\n"), default=-1) + 1
    rights = [i for i in (text.find(c, end) for c in "，。；;,!！?？\n") if i >= 0]
    return left, min(rights) if rights else len(text)


def _last_word(text: str, words: dict[str, str], lo: int, hi: int) -> tuple[str, int] | None:
    """The word of ``words`` ending last in text[lo:hi] (longest on ties)."""
    best = None
    for w in words:
        k = text.rfind(w, lo, hi)
        if k >= 0:
            key = (k + len(w), len(w))
            if best is None or key > best[0]:
                best = (key, w, k)
    return None if best is None else (best[1], best[2])


def amounts(text: str, table: Table | None = None) -> list[Amount]:
    """Sums of money: a number with 元/块/万元 after it, or after a word for what it pays (话费 …)."""
    table = table or default_table()
    text = unicodedata.normalize("NFKC", text if isinstance(text, str) else "")
    out: list[Amount] = []
    pos = 0
    while True:
        found = number_at(text, pos)
        if found is None:
            break
        num, start, end = found
        pos = end
        currency = next((c for c in table.currencies if text.startswith(c, end)), None)
        lo, hi = _clause_bounds(text, start, end)
        subject = _last_word(text, table.money_subjects, lo, start)
        if currency is None and subject is None:
            continue
        if currency is None and _measure_at(text, end, table) and not text.startswith("块", end):
            continue  # 话费报销的三个人: a count, not money
        if any(text.endswith(w, 0, start) for w in table.not_before):
            continue
        value = num.value
        low, high = num.low, num.high
        if currency in ("万元",):
            value, low, high = value * 10_000, low * 10_000, None if high is None else high * 10_000
        elif currency == "千元":
            value, low, high = value * 1000, low * 1000, None if high is None else high * 1000
        period = _last_word(text, table.money_periods, lo, start)
        if period is None:
            period = _last_word(text, table.money_periods, lo, hi)
        phrase_start = subject[1] if subject else start
        phrase_start = min(phrase_start, period[1]) if period and period[1] < start else phrase_start
        phrase_end = end + (len(currency) if currency else 0)
        out.append(Amount(value, num.approximate or text.startswith(ROUGHLY, phrase_end), text[phrase_start:phrase_end],
                          table.money_subjects[subject[0]] if subject else None, subject[0] if subject else None,
                          table.money_periods[period[0]] if period else None, low, high, num.vague))
        pos = phrase_end
    return out


SPEND_BEFORE = ("要", "花", "花了", "用", "用了", "得", "耽误", "浪费", "折腾", "就是", "整整")


@dataclass(frozen=True)
class Duration:
    """Time the client says a task takes: 来回两个小时, 一圈打下来半天."""

    hours: Decimal
    approximate: bool
    phrase: str
    period: str | None      # day | week | month: how often, when said ("每天")
    vague: bool


def durations(text: str, table: Table | None = None) -> list[Duration]:
    table = table or default_table()
    text = unicodedata.normalize("NFKC", text if isinstance(text, str) else "")
    out: list[Duration] = []
    units = sorted(table.duration_units, key=len, reverse=True)
    taken: list[tuple[int, int]] = []
    pos = 0
    while True:
        found = number_at(text, pos)
        if found is None:
            break
        num, start, end = found
        pos = end
        unit = next((u for u in units if text.startswith(u, end)), None)
        if unit is None or any(text.endswith(w, 0, start) for w in ("第", "每", "前", "后")):
            continue
        if unit in ("天", "周") and text.startswith(("天天", "周周", "天到晚"), end):
            continue
        if unit == "天" and num.value == 1 and not text.endswith(SPEND_BEFORE, 0, start):
            continue  # 一天要打几百个电话: how often, not how long
        lo, _hi = _clause_bounds(text, start, end)
        period = _last_word(text, table.duration_periods, lo, start)
        if period and period[1] + len(period[0]) > start:
            period = None
        taken.append((start, end + len(unit)))
        begin = period[1] if period and text[period[1] + len(period[0]):start].strip() in ("", "要", "要花", "花", "都要",
                                                                                         "得", "得花", "就要") else start
        out.append(Duration(num.value * table.duration_units[unit], num.approximate, text[begin:end + len(unit)],
                            table.duration_periods[period[0]] if period else None, num.vague))
    for word in sorted(table.duration_words, key=len, reverse=True):
        k = text.find(word)
        while k >= 0:
            if not any(a <= k < b or a < k + len(word) <= b for a, b in taken):
                lo, _hi = _clause_bounds(text, k, k + len(word))
                period = _last_word(text, table.duration_periods, lo, k)
                if word in table.duration_periods or (period and period[1] + len(period[0]) > k):
                    period = None
                taken.append((k, k + len(word)))
                out.append(Duration(table.duration_words[word], True, word,
                                    table.duration_periods[period[0]] if period else None, False))
            k = text.find(word, k + len(word))
    return out


@dataclass(frozen=True)
class Share:
    """A part of something: 八成员工 -> 0.8 of the staff; 一半是问停气的 -> 0.5."""

    fraction: Decimal
    phrase: str
    noun: str | None        # what it is a part of, when named right after (员工, 电话)


SHARE = re.compile(rf"(?:百分之(?P<pct_cn>[{_NUM_CHARS}]+)|(?P<pct>[0-9.]+)\s*%|(?P<tenths>[一二两三四五六七八九])成"
                   rf"|(?P<num>[一二两三四五六七八九十]+)分之(?P<den_num>[一二两三四五六七八九十]+))")


def shares(text: str, table: Table | None = None) -> list[Share]:
    table = table or default_table()
    text = unicodedata.normalize("NFKC", text if isinstance(text, str) else "")
    out: list[Share] = []
    for m in SHARE.finditer(text):
        frac: Decimal | None = None
        if m.group("pct_cn"):
            n = parse_number(m.group("pct_cn"))
            frac = None if n is None else n.value / 100
        elif m.group("pct"):
            try:
                frac = Decimal(m.group("pct")) / 100
            except InvalidOperation:
                frac = None
        elif m.group("tenths"):
            frac = Decimal(DIGITS[m.group("tenths")]) / 10
        else:
            den, nom = parse_number(m.group("num")), parse_number(m.group("den_num"))
            if den is not None and nom is not None and den.value:
                frac = nom.value / den.value
        if frac is None or not 0 < frac <= 1:
            continue
        noun, stop = _share_noun(text, m.end(), table)
        out.append(Share(frac, text[m.start():stop], noun))
    for word, frac in table.share_words.items():
        k = text.find(word)
        if k >= 0:
            noun, stop = _share_noun(text, k + len(word), table)
            out.append(Share(frac, text[k:stop], noun))
    return out


def _share_noun(text: str, i: int, table: Table) -> tuple[str | None, int]:
    """What a share is of, when named right after it (八成员工, 八成的员工)."""
    k = i + 1 if text.startswith("的", i) else i
    noun = table.noun_at(text, k) if k < len(text) else None
    return (noun, k + len(noun)) if noun else (None, i)
