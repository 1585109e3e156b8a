"""A small declarative schema: one description per field, used to validate and to export JSON Schema.

Each spec checks a plain value (from :mod:`pitchcraft.yamlsrc`) at a path, reports problems with the
file position of that path, and returns the normalised value (or ``INVALID``). All problems of a
file are collected; validation never stops at the first one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException, InvalidOperation
from typing import Any, Callable

from ..errors import Problem
from ..yamlerrors import odd_space_hint, odd_space_indent
from ..yamlsrc import Located, read_yaml


MONEY_DIGITS = 12  # an amount is below 10^12 CNY: sums and products of amounts stay exact in Decimal
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff\ufffe\uffff\ud800-\udfff]")


def clean_text(value: str, multiline: bool = False) -> str:
    """Drop control characters (python-docx refuses them) and fold white space.

    Single-line text also loses its line breaks, so client text can never start a line of its own
    in the templates' block markup.
    """
    if not multiline and _is_clean_line(value):
        return value  # the common case, checked in C: nothing to normalise, drop or fold
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = _CONTROL.sub("", value)
    if multiline:
        lines = [ln if _is_clean_line(ln) else re.sub(r"[ \u3000]+", " ", ln).strip()
                 for ln in value.split("\n")]
        out = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", out).strip()
    return " ".join(value.split())


def _is_clean_line(value: str) -> bool:
    """True when :func:`clean_text` would return ``value`` unchanged.

    ``str.isprintable`` is false for every control, format (U+200B, U+FEFF) and separator
    character except the ASCII space, so a printable, NFC, single-spaced, stripped line needs
    no work.
    """
    return (value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " "
            and unicodedata.is_normalized("NFC", value))


@dataclass
class Ctx:
    """Where problems go while one file is validated."""

    src: Located
    problems: list[Problem] = field(default_factory=list)

    def error(self, path: tuple, message: str, rule: str = "schema") -> None:
        self.problems.append(self.src.problem(path, message, rule=rule))

    def warn(self, path: tuple, message: str, rule: str = "schema") -> None:
        self.problems.append(self.src.problem(path, message, severity="warning", rule=rule))


def _type_name(value: Any) -> str:
    return {
        str: "文字", int: "整数", float: "小数", bool: "是/否", list: "列表", dict: "键值对",
        type(None): "空值", dt.date: "日期", dt.datetime: "日期时间",
    }.get(type(value), type(value).__name__)


class Spec:
    """One kind of value. ``rule`` is the rule id its problems are reported under (see
    docs/content-format.md); a missing required field is reported under its spec's rule too."""

    description: str = ""
    rule: str = "schema"

    def check(self, value: Any, path: tuple, ctx: Ctx) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


@dataclass
class Text(Spec):
    min_len: int = 1
    max_len: int = 2000
    pattern: str | None = None
    pattern_hint: str = ""
    multiline: bool = False
    accept_numbers: bool = False  # phone numbers written without quotes
    description: str = ""
    rule: str = "schema"

    def __post_init__(self) -> None:
        self._compiled = re.compile(self.pattern) if self.pattern else None

    def as_is(self, value: Any) -> bool:
        """Whether ``value`` is valid exactly as written (the common case, checked quickly).

        A clean line is its own :func:`clean_text`, multi-line or not: it has no line break to split.
        """
        return (type(value) is str and self.min_len <= len(value) <= self.max_len
                and _is_clean_line(value) and (self._compiled is None or self._compiled.fullmatch(value) is not None))

    def check(self, value, path, ctx):
        if self.as_is(value):
            return value
        if self.accept_numbers and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            hint = ""
            if isinstance(value, dict) and len(value) == 1:  # "- 话费: 太贵" is read as a key and a value
                hint = "（文字中的英文冒号加空格“: ”会被当作“键: 值”；请改用中文冒号“：”，或给整句加上英文引号）"
            ctx.error(path, f"应为文字，实际是{_type_name(value)}{hint}", self.rule)
            return INVALID
        value = clean_text(value, self.multiline)
        if len(value) < self.min_len:
            ctx.error(path, "不能为空" if self.min_len == 1 else f"至少 {self.min_len} 个字", self.rule)
            return INVALID
        if len(value) > self.max_len:
            ctx.error(path, f"过长（{len(value)} 字），上限 {self.max_len} 字", self.rule)
            return INVALID
        if self._compiled and not self._compiled.fullmatch(value):
            ctx.error(path, f"格式不对：{value!r}，应为 {self.pattern_hint or self.pattern}", self.rule)
            return INVALID
        return value

    def json_schema(self):
        out: dict = {"type": "string", "minLength": self.min_len, "maxLength": self.max_len}
        if self.accept_numbers:
            out = {"type": ["string", "integer"]}
        if self.pattern:
            out["pattern"] = f"^{self.pattern}$"
        return _doc(out, self.description)


@dataclass
class Integer(Spec):
    minimum: int | None = None
    maximum: int | None = None
    description: str = ""
    rule: str = "schema"

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.error(path, f"应为整数，实际是{_type_name(value)} {value!r}", self.rule)
            return INVALID
        if self.minimum is not None and value < self.minimum:
            shown = value if value > -10 ** 20 else "一个很大的负数"
            ctx.error(path, f"应不小于 {self.minimum}，实际是 {shown}", self.rule)
            return INVALID
        if self.maximum is not None and value > self.maximum:
            shown = value if value < 10 ** 20 else f"一个 {len(str(value)) if value < 10 ** 4000 else '几千'} 位的数"
            ctx.error(path, f"应不大于 {self.maximum}，实际是 {shown}", self.rule)
            return INVALID
        return value

    def json_schema(self):
        out: dict = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return _doc(out, self.description)


@dataclass
class Boolean(Spec):
    description: str = ""
    rule: str = "schema"

    def check(self, value, path, ctx):
        if not isinstance(value, bool):
            ctx.error(path, f"应为 true 或 false，实际是 {value!r}", self.rule)
            return INVALID
        return value

    def json_schema(self):
        return _doc({"type": "boolean"}, self.description)


@dataclass
class Money(Spec):
    """An amount of CNY, as a string with at most two decimals; never a float inside."""

    allow_negative: bool = False
    description: str = ""
    rule: str = "schema"
    negative_rule: str = "schema"  # tariff prices report a negative amount as tariff-negative

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            ctx.error(path, f"应为金额（如 \"5.00\"），实际是{_type_name(value)}", self.rule)
            return INVALID
        text = str(value).strip() if not isinstance(value, int) or abs(value) < 10 ** 30 else "1e30"
        try:
            amount = Decimal(text)
        except (InvalidOperation, ValueError):
            ctx.error(path, f"不是金额：{text[:40]!r}，应写成 \"5.00\" 这样的数字", self.rule)
            return INVALID
        if not amount.is_finite():
            ctx.error(path, f"不是金额：{text[:40]!r}，应写成 \"5.00\" 这样的数字", self.rule)
            return INVALID
        if amount and amount.adjusted() >= MONEY_DIGITS:
            ctx.error(path, f"金额过大：{text[:40]}，须小于 {10 ** MONEY_DIGITS:,} 元；请检查单位（元）和位数", self.rule)
            return INVALID
        if amount.as_tuple().exponent < -2:
            ctx.error(path, f"金额最多两位小数：{text[:40]!r}", self.rule)
            return INVALID
        if amount < 0 and not self.allow_negative:
            ctx.error(path, f"金额不能为负数：{text}", self.negative_rule)
            return INVALID
        return amount.quantize(Decimal("0.01"))

    def json_schema(self):
        sign = "-?" if self.allow_negative else ""
        out: dict = {"type": ["string", "number"], "pattern": rf"^{sign}\d+(\.\d{{1,2}})?$"}
        if not self.allow_negative:
            out["minimum"] = 0
        return _doc(out, self.description)


@dataclass
class Fraction(Spec):
    """A share between 0 and 1 (a discount of 10 % is written 0.10 or "10%"), kept as Decimal."""

    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(1)
    description: str = ""
    rule: str = "schema"

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            ctx.error(path, f"应为比例（如 0.10 或 \"10%\"），实际是{_type_name(value)}", self.rule)
            return INVALID
        text = str(value).strip()[:40]
        try:
            amount = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
        except (DecimalException, ValueError):
            ctx.error(path, f"不是比例：{text!r}，应写成 0.10 或 \"10%\"", self.rule)
            return INVALID
        if not amount.is_finite() or not self.minimum <= amount <= self.maximum:
            ctx.error(path, f"比例应在 {self.minimum} 到 {self.maximum} 之间，实际是 {text}", self.rule)
            return INVALID
        return amount

    def json_schema(self):
        return _doc({"type": ["string", "number"], "pattern": r"^\d+(\.\d+)?%?$"}, self.description)


@dataclass
class MapOf(Spec):
    """A mapping with free keys (text) and values of one spec, e.g. product name -> quantity."""

    value: Spec
    description: str = ""
    rule: str = "schema"

    def check(self, value, path, ctx):
        if value is None:
            return {}
        if not isinstance(value, dict):
            ctx.error(path, f"应为键值对（名称: 值），实际是{_type_name(value)}", self.rule)
            return INVALID
        out, ok = {}, True
        for key, item in value.items():
            checked = self.value.check(item, path + (key,), ctx)
            if checked is INVALID:
                ok = False
            else:
                out[str(key).strip()] = checked
        return out if ok else INVALID

    def json_schema(self):
        return _doc({"type": "object", "additionalProperties": self.value.json_schema()}, self.description)


@dataclass
class Date(Spec):
    """A calendar date within :data:`FIRST_DATE` … :data:`LAST_DATE`: plans and validity periods
    are counted from it, and near the calendar's ends that arithmetic has no answer."""

    description: str = ""
    rule: str = "schema"

    def check(self, value, path, ctx):
        date = None
        if isinstance(value, dt.datetime):
            date = value.date()
        elif isinstance(value, dt.date):
            date = value
        elif isinstance(value, str):
            try:
                date = dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if date is None:
            shown = repr(value) if not isinstance(value, str) else repr(value[:40])
            ctx.error(path, f"应为日期（如 2026-12-01），实际是 {shown}", self.rule)
            return INVALID
        if not FIRST_DATE <= date <= LAST_DATE:
            ctx.error(path, f"日期 {date.isoformat()} 不在可用范围内（{FIRST_DATE.isoformat()} 至 "
                            f"{LAST_DATE.isoformat()}）；请检查年份", self.rule)
            return INVALID
        return date

    def json_schema(self):
        # Editors read an unquoted 2026-12-01 as a string (YAML 1.2), so a pattern, not a type.
        return _doc({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, self.description)


def fold_choice(text: str) -> str:
    """How a choice is compared when not written exactly: width, case and spaces ignored (b = B = Ｂ)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass
class Choice(Spec):
    """One of a set of keys; synonyms (e.g. Chinese names) map to their key.

    Written in another case or width (``b``, ``Ｂ``) it is still found; a refusal lists the
    Chinese names where there are some, and suggests the closest accepted spelling."""

    choices: dict[str, str]  # accepted spelling -> canonical key
    what: str = "取值"
    description: str = ""
    rule: str = "schema"
    _folded: dict[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    def check(self, value, path, ctx):
        key = self.choices.get(value.strip()) if isinstance(value, str) else None
        if key is None and isinstance(value, str):
            key = self.folded().get(fold_choice(value))
        if key is None:
            shown = repr(value[:40] if isinstance(value, str) else value)
            ctx.error(path, f"未知的{self.what} {shown}，可选：{'、'.join(self.shown())}{self.suggestion(value)}",
                      self.rule)
            return INVALID
        return key

    def folded(self) -> dict[str, str]:
        if self._folded is None:
            out: dict[str, str | None] = {}
            for spelling, key in self.choices.items():
                f = fold_choice(spelling)
                out[f] = key if out.get(f, key) == key else None  # two keys folding alike: neither
            self._folded = {f: k for f, k in out.items() if k is not None}
        return self._folded

    def shown(self) -> list[str]:
        """Each key once, by its first Chinese spelling if it has one (the names a manager uses)."""
        by_key: dict[str, str] = {}
        for spelling, key in self.choices.items():
            if key not in by_key or (by_key[key].isascii() and not spelling.isascii()):
                by_key[key] = spelling
        return list(by_key.values())

    def suggestion(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            return ""
        spellings = {fold_choice(s): s for s in self.choices}
        folded = fold_choice(value)
        cutoff = 0.75 if folded.isascii() else 0.5  # 物留 ~ 物流 is 0.5; minute ~ site is 0.6, not a typo
        close = difflib.get_close_matches(folded, list(spellings), n=1, cutoff=cutoff)
        return f"；您是不是要写“{spellings[close[0]]}”？" if close else ""

    def json_schema(self):
        return _doc({"type": "string", "enum": list(self.choices)}, self.description)


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    single_ok: bool = False  # a lone value is read as a one-item list
    description: str = ""
    rule: str = "schema"

    def check(self, value, path, ctx):
        items = self._items(value, path, ctx)
        if items is INVALID:
            return INVALID
        as_is = getattr(self.item, "as_is", None)
        if as_is is not None and all(map(as_is, items)):
            return self._enough(items, list(items), path, ctx)
        check = self.item.check
        out = []
        for i, item in enumerate(items):
            checked = check(item, path + (i,), ctx)
            if checked is not INVALID:
                out.append(checked)
        return self._enough(items, out, path, ctx)

    def check_items(self, value, path, ctx) -> Any:
        """The valid items with their index in the file, so their positions stay known."""
        items = self._items(value, path, ctx)
        if items is INVALID:
            return INVALID
        out = []
        for i, item in enumerate(items):
            checked = self.item.check(item, path + (i,), ctx)
            if checked is not INVALID:
                out.append((i, checked))
        return self._enough(items, out, path, ctx)

    def _items(self, value, path, ctx) -> Any:
        if value is None:
            return []
        if self.single_ok and not isinstance(value, list):
            return [value]
        if not isinstance(value, list):
            ctx.error(path, f"应为列表，实际是{_type_name(value)}", self.rule)
            return INVALID
        return value

    def _enough(self, items: list, out: list, path, ctx) -> Any:
        if len(items) < self.min_items:
            ctx.error(path, f"至少需要 {self.min_items} 项", self.rule)
            return INVALID
        return out

    def json_schema(self):
        out: dict = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        if self.single_ok:
            out = {"anyOf": [out, self.item.json_schema()]}
        return _doc(out, self.description)


@dataclass
class Field:
    spec: Spec
    required: bool = False
    default: Any = None


@dataclass
class Record(Spec):
    """A mapping with known fields. Unknown keys are kept out and reported as warnings.

    A field written as ``null`` counts as absent: its default applies (or, if it is required,
    it is reported missing).
    """

    fields: dict[str, Field]
    unknown: str = "warn"  # warn | ignore
    check_all: Callable[[dict, tuple, Ctx], None] | None = None
    description: str = ""
    rule: str = "schema"
    key_names: dict[str, str] | None = None  # how people write a key in Chinese (客户) -> the key (client)

    def __post_init__(self) -> None:
        # each field with its spec's quick check, if it has one: valid text is taken as it is
        self._plan = [(name, fld, getattr(fld.spec, "as_is", None)) for name, fld in self.fields.items()]
        if self.key_names:
            self.key_names = {fold_choice(k): v for k, v in self.key_names.items()}

    def _written_as(self, value: dict) -> dict[str, Any]:
        """Field -> the key it was written under in Chinese (``客户:`` for ``client``), if any."""
        out: dict[str, Any] = {}
        if self.key_names:
            for key in value:
                name = self.key_names.get(fold_choice(key)) if isinstance(key, str) else None
                if name in self.fields and name not in value:
                    out.setdefault(name, key)
        return out

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.error(path, f"应为键值对（key: value），实际是{_type_name(value)}", self.rule)
            return INVALID
        out: dict[str, Any] = {}
        ok = True
        chinese = self._written_as(value)
        for name, key in chinese.items():
            if not self.fields[name].required:
                odd = odd_space_indent(key) if isinstance(key, str) else None
                ctx.warn(path + (key,), f"{odd_space_hint(odd)}（“{key.strip()}”前面），现在这一项被忽略了" if odd
                         else f"键要用英文：“{key}”应写成 {name}，现在这一项被忽略了", rule="schema")
        for name, fld, as_is in self._plan:
            raw = value.get(name)
            if raw is None:
                if fld.required:
                    hint = f"（键要用英文：“{chinese[name]}”应写成 {name}）" if name in chinese else ""
                    where = path + (name,) if name in value else path + ((chinese[name],) if name in chinese else ())
                    ctx.error(where, f"缺少必填字段 {name}{hint}", fld.spec.rule)
                    ok = False
                out[name] = fld.default() if callable(fld.default) else fld.default
                continue
            if as_is is not None and as_is(raw):
                out[name] = raw
                continue
            checked = fld.spec.check(raw, path + (name,), ctx)
            if checked is INVALID:
                ok = False
                out[name] = fld.default() if callable(fld.default) else fld.default
            else:
                out[name] = checked
        if self.unknown == "warn" and value.keys() - self.fields.keys():
            for key in value:
                if key not in self.fields:
                    ctx.warn(path + (key,), f"未知字段 {key}，已忽略", rule="unknown-field")
        if ok and self.check_all:
            self.check_all(out, path, ctx)
        return out if ok else INVALID

    def json_schema(self):
        props = {}
        for name, fld in self.fields.items():
            schema = fld.spec.json_schema()
            if not fld.required:
                schema = _nullable(schema)  # `replaced_by: null` means "not set"
                if fld.default is not None and not callable(fld.default):
                    schema["default"] = fld.default
            props[name] = schema
        out: dict = {"type": "object", "properties": props,
                     "required": [k for k, f in self.fields.items() if f.required]}
        if self.unknown == "warn":
            out["additionalProperties"] = False
        return _doc(out, self.description)


def _nullable(schema: dict) -> dict:
    """The same schema, also accepting null."""
    schema = dict(schema)
    if "anyOf" in schema:
        schema["anyOf"] = [*schema["anyOf"], {"type": "null"}]
    elif isinstance(schema.get("type"), str):
        schema["type"] = [schema["type"], "null"]
    elif isinstance(schema.get("type"), list) and "null" not in schema["type"]:
        schema["type"] = [*schema["type"], "null"]
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _doc(schema: dict, description: str) -> dict:
    if description:
        schema["description"] = description
    return schema


def validate(spec: Spec, ctx: Ctx, path: tuple = ()):
    """The value at ``path`` of the file behind ``ctx``, checked by ``spec``."""
    return spec.check(ctx.src.data, path, ctx)


def read_checked(path, spec: Spec) -> tuple[Located | None, Any, list[Problem]]:
    """A YAML file read and checked by ``spec``: its source (for positions of later checks), the data
    (``INVALID`` when it does not pass; None with no source) and every finding so far."""
    src, problems = read_yaml(path)
    if src is None:
        return None, None, problems
    ctx = Ctx(src)
    data = validate(spec, ctx)
    return src, data, problems + ctx.problems


# --- types declared once ----------------------------------------------------------------------
#
# A domain type is a frozen dataclass whose fields say how the file writes them:
#
#     name: str = declared(Text(max_len=100, description="客户全称"), required=True, at="client.name")
#
# From that one declaration :func:`spec_of` derives the :class:`Record` that validates a file (its
# Chinese messages at file:line:col) and exports JSON Schema, and :func:`build` turns the validated
# data into an instance. A dataclass field without ``declared`` is not in the file (a position, the
# file's path): the caller of :func:`build` gives it.

_DECLARED = "pitchcraft.declared"
_UNSET: Any = dataclasses.MISSING


@dataclass(frozen=True)
class Declared:
    """How one dataclass field is written in the file (kept in the field's metadata)."""

    spec: Spec
    required: bool
    absent: Any       # what a key the file leaves out (or writes as null) reads as; a callable makes it
    at: tuple[str, ...] | None  # the key, or section and key ("client", "name"); None: the field's name
    build: Callable[[Any], Any] | None  # file value -> attribute value, where they differ (e.g. sorted)


def declared(spec: Spec, *, required: bool = False, at: str | None = None, absent: Any = _UNSET,
             build: Callable[[Any], Any] | None = None, default: Any = _UNSET, default_factory: Any = _UNSET,
             **field_options: Any) -> Any:
    """A dataclass field with its spec in the file.

    ``at`` is where the file holds it when not under the field's own name (``"client.name"``: key
    ``name`` of the section ``client``, declared by the class's :class:`Layout`). ``default`` and
    ``default_factory`` are the dataclass's, and also what an absent key reads as (an empty tuple
    as an empty list), unless ``absent`` says otherwise (the field then may have no default in
    code, e.g. to keep its place among the positional arguments).
    """
    if absent is _UNSET:
        absent = _absent_from(spec, default, default_factory)
    where = tuple(at.split(".")) if at else None
    if where is not None and not 1 <= len(where) <= 2:
        raise ValueError(f"at={at!r}: a key or a section and a key")
    meta = {**field_options.pop("metadata", {}), _DECLARED: Declared(spec, required, absent, where, build)}
    return dataclasses.field(default=default, default_factory=default_factory, metadata=meta, **field_options)


def _absent_from(spec: Spec, default: Any, default_factory: Any) -> Any:
    if isinstance(spec, TypedRecord):
        return None  # a nested type left out is its dataclass default, made by build()
    if default_factory is not _UNSET:
        return list if default_factory is tuple else default_factory
    if default is _UNSET:
        return None
    return list if default == () else default


@dataclass(frozen=True)
class Section:
    """A mapping of the file (``client:``) whose keys are flat fields of the type (``Profile.name``)."""

    description: str = ""
    required: bool = False
    unknown: str = "warn"
    key_names: dict[str, str] | None = None


@dataclass(frozen=True)
class Layout:
    """What a type's file mapping says beside its fields (a class attribute ``layout``).

    ``order`` lists the file's keys where their order (in error reports, in the editor) is not the
    dataclass's, whose order the positional arguments fix; keys it leaves out follow in field order.
    ``extra`` holds keys the file has but the type does not keep (``waivers``, read by the content
    rules from the validated data).
    """

    description: str = ""
    unknown: str = "warn"
    key_names: dict[str, str] | None = None
    sections: dict[str, Section] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    extra: dict[str, Field] = field(default_factory=dict)
    check_all: Callable[[dict, tuple, Ctx], None] | None = None


@dataclass
class TypedRecord(Record):
    """The :class:`Record` of a declared type, which :func:`build` turns into that type."""

    of: type | None = None


_SPECS: dict[type, TypedRecord] = {}


def spec_of(cls: type) -> TypedRecord:
    """The spec of a declared type's file mapping (made once per type)."""
    found = _SPECS.get(cls)
    if found is None:
        found = _SPECS[cls] = _derive(cls)
    return found


def _derive(cls: type) -> TypedRecord:
    layout: Layout = getattr(cls, "layout", None) or Layout()
    top: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        d = f.metadata.get(_DECLARED)
        if d is None:
            continue
        where = d.at or (f.name,)
        entry = Field(d.spec, d.required, d.absent)
        if len(where) == 1:
            top[where[0]] = entry
        else:
            top.setdefault(where[0], {})[where[1]] = entry
    top.update(layout.extra)
    unknown_order = [k for k in (*layout.order, *layout.sections) if k not in top]
    if unknown_order:
        raise TypeError(f"{cls.__name__}.layout names keys no field declares: {unknown_order}")
    fields: dict[str, Field] = {}
    for key in [*layout.order, *(k for k in top if k not in layout.order)]:
        entry = top[key]
        if isinstance(entry, dict):
            s = layout.sections.get(key, Section())
            entry = Field(Record(entry, unknown=s.unknown, description=s.description, key_names=s.key_names),
                          required=s.required)
        fields[key] = entry
    return TypedRecord(fields, unknown=layout.unknown, check_all=layout.check_all, description=layout.description,
                       key_names=layout.key_names, of=cls)


def build(cls: type, data: dict, **extra: Any) -> Any:
    """An instance of a declared type from data its spec validated; ``extra`` gives the fields the
    file does not hold. A field the file leaves empty takes its dataclass default, if it has one."""
    kwargs: dict[str, Any] = {}
    for name, where, convert, has_default in _plan(cls):
        value: Any = data
        for key in where:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            if not has_default:
                kwargs[name] = None
            continue
        kwargs[name] = convert(value) if convert is not None else value
    return cls(**kwargs, **extra)


_Plan = list[tuple[str, tuple[str, ...], Callable[[Any], Any] | None, bool]]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    """Each declared field of ``cls``: its name, its path in the file, how its validated value becomes
    the attribute (None: as it is), whether it has a default. Made once per type."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = []
        for f in dataclasses.fields(cls):
            d = f.metadata.get(_DECLARED)
            if d is not None:
                convert = _converter(d.spec)
                if d.build is not None:
                    convert = _then(convert, d.build)
                plan.append((f.name, d.at or (f.name,), convert,
                             f.default is not _UNSET or f.default_factory is not _UNSET))
        _PLANS[cls] = plan
    return plan


def _then(first: Callable[[Any], Any] | None, then: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return then if first is None else (lambda value: then(first(value)))


_SCALARS = (Text, Integer, Boolean, Money, Fraction, Date, Choice)


def _converter(spec: Spec) -> Callable[[Any], Any] | None:
    """How a validated value of ``spec`` becomes what the dataclasses hold: declared types built,
    lists as tuples; None where the value is kept as it is."""
    if isinstance(spec, _SCALARS):
        return None
    if isinstance(spec, TypedRecord) and spec.of is not None:
        cls = spec.of
        return lambda value: build(cls, value)
    if isinstance(spec, ListOf):
        item = _converter(spec.item)
        return tuple if item is None else (lambda value: tuple(item(v) if v is not None else None for v in value))
    if isinstance(spec, MapOf):
        item = _converter(spec.value)
        return dict if item is None else (lambda value: {k: item(v) if v is not None else None
                                                         for k, v in value.items()})
    if isinstance(spec, Record):
        inner = {k: _converter(f.spec) for k, f in spec.fields.items()}
        return lambda value: {k: inner[k](v) if inner.get(k) is not None and v is not None else v
                              for k, v in value.items()}
    return _frozen  # a spec of its own (such as the needs)


def _frozen(value: Any) -> Any:
    """A value as the dataclasses hold it: its lists as tuples."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value
