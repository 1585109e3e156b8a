"""Each domain type declared once: from a dataclass whose fields are ``declared`` come the file's
validation (Chinese messages at file:line), its JSON Schema and the builder, so a new field is one edit."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest

from pitchcraft.content.schemas import schema_for
from pitchcraft.load import profile_from
from pitchcraft.model.profile import PROFILE_SPEC, Profile
from pitchcraft.model.spec import (Choice, Ctx, Integer, INVALID, Layout, ListOf, Money, Section, Text, build,
                                   declared, spec_of)
from pitchcraft.yamlsrc import parse

ROOT = Path(__file__).resolve().parents[1]


def _check(cls, text: str):
    src, problems = parse(text, Path("visit.yaml"))
    assert src is not None and not problems
    ctx = Ctx(src)
    return spec_of(cls).check(src.data, (), ctx), ctx.problems


# A throw-away pair of types, declared here and nowhere else.
@dataclass(frozen=True)
class Attendee:
    name: str = declared(Text(max_len=10, description="姓名"), required=True)
    seats: int = declared(Integer(minimum=1, maximum=9, description="座位数"), default=1)


@dataclass(frozen=True)
class Meeting:
    client: str = declared(Text(max_len=20, description="客户名称"), required=True, at="client.name")
    room: str | None = declared(Choice({"大会议室": "big", "big": "big", "小会议室": "small", "small": "small"}, "会议室",
                                       "会议室"), at="client.room")
    attendees: tuple[Attendee, ...] = declared(ListOf(spec_of(Attendee), description="参会人"), absent=list)
    fee: Decimal | None = declared(Money(description="场地费（元）"), default=None)
    file: str = ""  # not in the file: given to build()

    layout: ClassVar[Layout] = Layout(description="会议", sections={"client": Section("客户", required=True)})


GOOD = """\
client:
  name: 华南精密制造
  room: 小会议室
attendees:
  - name: 李明
    seats: 2
  - name: 王芳
fee: "300"
"""

BAD = """\
client:
  name: 华南精密制造
  room: 天台
attendees:
  - name: 李明
    seats: 20
  - seats: 1
fee: -5
"""


def test_one_declaration_gives_the_builder():
    data, problems = _check(Meeting, GOOD)
    assert problems == []
    meeting = build(Meeting, data, file="visit.yaml")
    assert meeting == Meeting("华南精密制造", "small", (Attendee("李明", 2), Attendee("王芳", 1)), Decimal("300.00"),
                              "visit.yaml")


def test_one_declaration_gives_chinese_messages_at_their_line():
    data, problems = _check(Meeting, BAD)
    assert data is INVALID
    found = {(p.line, p.field): p.message for p in problems}
    assert found == {
        (3, "client.room"): "未知的会议室 '天台'，可选：大会议室、小会议室",
        (6, "attendees[0].seats"): "应不大于 9，实际是 20",
        (7, "attendees[1]"): "缺少必填字段 name",
        (8, "fee"): "金额不能为负数：-5",
    }


def test_one_declaration_gives_the_json_schema():
    schema = spec_of(Meeting).json_schema()
    assert schema["description"] == "会议"
    assert schema["required"] == ["client"]
    assert list(schema["properties"]) == ["client", "attendees", "fee"]  # `file` is not in the file
    client = schema["properties"]["client"]
    assert client["description"] == "客户" and client["required"] == ["name"]
    assert client["properties"]["name"] == {"type": "string", "minLength": 1, "maxLength": 20, "description": "客户名称"}
    seats = schema["properties"]["attendees"]["items"]["properties"]["seats"]
    assert seats == {"type": ["integer", "null"], "minimum": 1, "maximum": 9, "description": "座位数", "default": 1}


# The README's example: a field added to Profile in one edit (here in a subclass, to leave Profile as it is).
@dataclass(frozen=True)
class ProfileWithCreditCode(Profile):
    credit_code: str | None = declared(Text(max_len=18, pattern=r"[0-9A-Z]{18}", pattern_hint="18 位统一社会信用代码",
                                            description="统一社会信用代码"), at="client.credit_code", default=None)


def _profile_text(code: str) -> str:
    text = (ROOT / "examples" / "precision-manufacturing.yaml").read_text(encoding="utf-8")
    assert "\nclient:\n" in text
    return text.replace("\nclient:\n", f"\nclient:\n  credit_code: {code}\n", 1), text


def test_a_field_added_to_profile_is_validated_built_and_in_the_schema():
    text, original = _profile_text("91440300MA5EXAMPLE")
    data, problems = _check(ProfileWithCreditCode, text)
    assert [p for p in problems if p.severity == "error"] == []
    profile = build(ProfileWithCreditCode, data)
    assert profile.credit_code == "91440300MA5EXAMPLE"
    # everything else is read as before
    plain, _ = profile_from(*parse(original, Path("p.yaml")))
    assert {f.name: getattr(profile, f.name) for f in dataclasses.fields(Profile)} == \
           {f.name: getattr(plain, f.name) for f in dataclasses.fields(Profile)}

    line = 1 + text.split("\n").index("  credit_code: 91440300MA5EXAMPLE")
    bad, _ = _profile_text("ABC-123")
    data, problems = _check(ProfileWithCreditCode, bad)
    assert data is INVALID
    [problem] = [p for p in problems if p.severity == "error"]
    assert (problem.line, problem.field) == (line, "client.credit_code")
    assert problem.message == "格式不对：'ABC-123'，应为 18 位统一社会信用代码"

    client = spec_of(ProfileWithCreditCode).json_schema()["properties"]["client"]["properties"]
    assert client["credit_code"]["description"] == "统一社会信用代码"
    assert list(client)[-1] == "credit_code"
    assert "credit_code" not in PROFILE_SPEC.fields["client"].spec.fields  # Profile itself is untouched


def test_the_shipped_schemas_are_the_declared_types():
    for kind, name in (("profile", "profile.schema.json"), ("products", "products.schema.json"),
                       ("cases", "case.schema.json")):
        shipped = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert json.loads(shipped) == schema_for(kind), kind


def test_a_layout_naming_an_undeclared_key_is_refused():
    @dataclass(frozen=True)
    class Broken:
        name: str = declared(Text(), required=True)
        layout: ClassVar[Layout] = Layout(order=("nmae", "name"))

    with pytest.raises(TypeError, match="nmae"):
        spec_of(Broken)
