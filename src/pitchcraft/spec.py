"""A small declarative schema: one description per field, used to validate and to export JSON Schema.

Each spec checks a plain value (from :mod:`pitchcraft.yamlsrc`) at a path, reports problems with the
file position of that path, and returns the normalised value (or ``INVALID``). All problems of a
file are collected; validation never stops at the first one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from .errors import Problem
from .yamlsrc import Located


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")


def clean_text(value: str, multiline: bool = False) -> str:
    """Drop control characters (python-docx refuses them) and fold white space.

    Single-line text also loses its line breaks, so client text can never start a line of its own
    in the templates' block markup.
    """
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = _CONTROL.sub("", value)
    if multiline:
        lines = [re.sub(r"[ \u3000]+", " ", ln).strip() for ln in value.split("\n")]
        out = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", out).strip()
    return re.sub(r"\s+", " ", value).strip()


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
    description: str = ""

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

    def check(self, value, path, ctx):
        if self.accept_numbers and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            ctx.error(path, f"应为文字，实际是{_type_name(value)}")
            return INVALID
        value = clean_text(value, self.multiline)
        if len(value) < self.min_len:
            ctx.error(path, "不能为空" if self.min_len == 1 else f"至少 {self.min_len} 个字")
            return INVALID
        if len(value) > self.max_len:
            ctx.error(path, f"过长（{len(value)} 字），上限 {self.max_len} 字")
            return INVALID
        if self.pattern and not re.fullmatch(self.pattern, value):
            ctx.error(path, f"格式不对：{value!r}，应为 {self.pattern_hint or self.pattern}")
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

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.error(path, f"应为整数，实际是{_type_name(value)} {value!r}")
            return INVALID
        if self.minimum is not None and value < self.minimum:
            ctx.error(path, f"应不小于 {self.minimum}，实际是 {value}")
            return INVALID
        if self.maximum is not None and value > self.maximum:
            ctx.error(path, f"应不大于 {self.maximum}，实际是 {value}")
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

    def check(self, value, path, ctx):
        if not isinstance(value, bool):
            ctx.error(path, f"应为 true 或 false，实际是 {value!r}")
            return INVALID
        return value

    def json_schema(self):
        return _doc({"type": "boolean"}, self.description)


@dataclass
class Money(Spec):
    """An amount of CNY, as a string with at most two decimals; never a float inside."""

    allow_negative: bool = False
    description: str = ""

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            ctx.error(path, f"应为金额（如 \"5.00\"），实际是{_type_name(value)}")
            return INVALID
        text = str(value).strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            ctx.error(path, f"不是金额：{text!r}，应写成 \"5.00\" 这样的数字")
            return INVALID
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            ctx.error(path, f"金额最多两位小数：{text!r}")
            return INVALID
        if amount < 0 and not self.allow_negative:
            ctx.error(path, f"金额不能为负数：{text}", rule="tariff-negative")
            return INVALID
        return amount.quantize(Decimal("0.01"))

    def json_schema(self):
        return _doc({"type": ["string", "number"], "pattern": r"^-?\d+(\.\d{1,2})?$"}, self.description)


@dataclass
class Date(Spec):
    description: str = ""

    def check(self, value, path, ctx):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        ctx.error(path, f"应为日期（如 2026-12-01），实际是 {value!r}")
        return INVALID

    def json_schema(self):
        return _doc({"type": "string", "format": "date"}, self.description)


@dataclass
class Choice(Spec):
    """One of a set of keys; synonyms (e.g. Chinese names) map to their key."""

    choices: dict[str, str]  # accepted spelling -> canonical key
    what: str = "取值"
    description: str = ""

    def check(self, value, path, ctx):
        key = self.choices.get(value.strip()) if isinstance(value, str) else None
        if key is None:
            keys = list(dict.fromkeys(self.choices.values()))
            ctx.error(path, f"未知的{self.what} {value!r}，可选：{'、'.join(keys)}")
            return INVALID
        return key

    def json_schema(self):
        return _doc({"type": "string", "enum": list(self.choices)}, self.description)


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    single_ok: bool = False  # a lone value is read as a one-item list
    description: str = ""

    def check(self, value, path, ctx):
        if value is None:
            value = []
        if self.single_ok and not isinstance(value, list):
            value = [value]
        if not isinstance(value, list):
            ctx.error(path, f"应为列表，实际是{_type_name(value)}")
            return INVALID
        out = []
        for i, item in enumerate(value):
            checked = self.item.check(item, path + (i,), ctx)
            if checked is not INVALID:
                out.append(checked)
        if len(value) < self.min_items:
            ctx.error(path, f"至少需要 {self.min_items} 项")
            return INVALID
        return out

    def json_schema(self):
        out = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        return _doc(out, self.description)


@dataclass
class Field:
    spec: Spec
    required: bool = False
    default: Any = None


@dataclass
class Record(Spec):
    """A mapping with known fields. Unknown keys are kept out and reported as warnings."""

    fields: dict[str, Field]
    unknown: str = "warn"  # warn | ignore
    check_all: Callable[[dict, tuple, Ctx], None] | None = None
    description: str = ""

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.error(path, f"应为键值对（key: value），实际是{_type_name(value)}")
            return INVALID
        out: dict[str, Any] = {}
        ok = True
        for name, fld in self.fields.items():
            if name not in value or value[name] is None:
                if fld.required:
                    ctx.error(path + (name,) if name in value else path, f"缺少必填字段 {name}")
                    ok = False
                out[name] = fld.default() if callable(fld.default) else fld.default
                continue
            checked = fld.spec.check(value[name], path + (name,), ctx)
            if checked is INVALID:
                ok = False
                out[name] = fld.default() if callable(fld.default) else fld.default
            else:
                out[name] = checked
        if self.unknown == "warn":
            for key in value:
                if key not in self.fields:
                    ctx.warn(path + (key,), f"未知字段 {key}，已忽略", rule="unknown-field")
        if ok and self.check_all:
            self.check_all(out, path, ctx)
        return out if ok else INVALID

    def json_schema(self):
        return _doc({
            "type": "object",
            "properties": {k: f.spec.json_schema() for k, f in self.fields.items()},
            "required": [k for k, f in self.fields.items() if f.required],
        }, self.description)


def _doc(schema: dict, description: str) -> dict:
    if description:
        schema["description"] = description
    return schema
