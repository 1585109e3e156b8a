"""A case of the case library: the type, each field declared with its spec in the front matter
(from which the front matter's validation and JSON Schema are derived), its body sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .spec import Boolean, Choice, Field, Integer, Layout, ListOf, Section, Text, build, declared, spec_of
from .vocab import (CASE_ID, CASE_STATUS_NAMES, INDUSTRY_CHOICE, PRODUCT_ID, SUB_INDUSTRY_CHOICE, WAIVERS_SPEC,
                    WORKFLOW_STEPS, size_of)

# --- cases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str = declared(Text(max_len=80, pattern=CASE_ID.pattern, pattern_hint=CASE_ID.pattern_hint, rule="case-id",
                            description=CASE_ID.description), required=True)
    title: str = declared(Text(max_len=80, description="案例标题"), required=True)
    display_name: str = declared(Text(max_len=60, description="脱敏后的客户名称，如 华南某精密制造企业；没有授权时只显示它"),
                                 required=True, at="client.display_name")
    real_name: str | None = declared(
        Text(max_len=100, description="客户真实名称；只有 consent: true（已取得客户书面授权）时才能填写"),
        at="client.real_name")
    consent: bool = declared(Boolean(description="是否已取得客户授权公开真实名称"), at="client.consent", absent=False)
    industry: str = declared(INDUSTRY_CHOICE, required=True)
    # the finer kind of client (vocab.SUB_INDUSTRIES): a case is cited first for clients of the same one
    sub_industry: str | None = declared(SUB_INDUSTRY_CHOICE)
    employees: int | None = declared(Integer(minimum=1, description="员工人数"))
    sites: int | None = declared(Integer(minimum=1, description="办公点、厂区或门店数"))
    region: str | None = declared(Text(max_len=30, description="地区"))
    year: int | None = declared(Integer(minimum=2000, maximum=2100, description="成效数据的测量年份"))
    products: tuple[str, ...] = declared(ListOf(PRODUCT_ID, min_items=1, description="用到的产品 id，主产品写在第一个"),
                                         required=True)
    needs: tuple[str, ...] = declared(ListOf(Text(max_len=200), description="解决的需求，客户的原话"), absent=list)
    workflow_step: str = declared(Choice({s: s for s in WORKFLOW_STEPS}, "工作流程环节",
                                         "对应的工作流程环节：" + "、".join(WORKFLOW_STEPS)), required=True)
    results: tuple[str, ...] = declared(
        ListOf(Text(max_len=200), description="客户的可量化成效，每条带数字（与 ## 实施成效 一致）"), absent=list)
    sections: dict[str, str]  # body heading -> text
    file: str = field(default="", compare=False)
    status: str = declared(Choice(CASE_STATUS_NAMES, "案例状态",
                                  "状态：active 在用（会被方案引用）、draft 草稿、archived 归档；只有 active 会被引用"),
                           default="active")
    # the client's words; shown only with quote_consent
    quote: str | None = declared(Text(max_len=300, description="客户的原话（客户评价）；只有 quote_consent: true 时才会出现在方案中"),
                                 default=None)
    quote_consent: bool = declared(Boolean(description="客户是否同意在方案中引用这句原话"), default=False)
    # who said it (a role, not a name)
    quote_by: str | None = declared(Text(max_len=40, description="说这句话的人的职务，如 信息中心主任；不写姓名"), default=None)
    # an invented example: marked （示例） wherever a client reads it
    sample: bool = declared(Boolean(description="编写的示例案例，不是真实客户：用于客户前必须换成真实案例；"
                                                "方案和演示稿中案例标题后标注（示例）"), default=False)

    layout: ClassVar[Layout] = Layout(
        description="案例头信息（cases/<id>.md 开头 --- 之间的部分）", order=("id", "title", "status"),
        sections={"client": Section("客户（脱敏）", required=True)}, extra={"waivers": Field(WAIVERS_SPEC, default=list)})

    @property
    def client_quote(self) -> str | None:
        """The client's words a document may print: only with the client's consent to quote them."""
        return self.quote if self.quote_consent and self.quote else None

    @property
    def internal_review(self) -> str:
        """How the deal was won (## 内部复盘): for the visit brief only, never a client document."""
        return self.sections.get(CASE_SECTION_INTERNAL, "")

    def lines(self, section: str) -> list[str]:
        """A body section as a reader sees it: a line per paragraph, list items marked "· ", no
        Markdown emphasis (client text is shown as text, never as markup)."""
        out = []
        for line in self.sections.get(section, "").split("\n"):
            line = line.strip().replace("**", "")
            if line[:2] in ("- ", "* "):
                line = "· " + line[2:].strip()
            if line:
                out.append(line)
        return out

    @property
    def client_label(self) -> str:
        """The name shown to readers: the real name only with recorded consent (脱敏)."""
        return self.real_name if self.consent and self.real_name else self.display_name

    @property
    def size(self) -> str | None:
        return size_of(self.employees)

    @property
    def active(self) -> bool:
        return self.status == "active"


# The front matter's spec (validation, JSON Schema), derived from the declarations above.
CASE_SPEC = spec_of(Case)

# After an invented case's title wherever a client reads it (cases with ``sample: true``).
SAMPLE_MARK = "（示例）"
# The body: what a client reads, in this order, then the internal part only the visit brief reads.
CASE_SECTIONS_CLIENT = ("客户背景", "面临的挑战", "解决方案", "实施成效")
CASE_SECTION_OUTCOME = "实施成效"
CASE_SECTION_INTERNAL = "内部复盘"
CASE_SECTIONS = CASE_SECTIONS_CLIENT + (CASE_SECTION_INTERNAL,)
# Headings of the former format and where their content goes now (for the error message).
CASE_SECTIONS_FORMER = {"客户挑战": "“## 面临的挑战”", "实施过程": "“## 解决方案”（实施步骤写在方案之后）",
                        "客户评价": "头信息的 quote、quote_consent、quote_by"}


def build_case(data: dict, sections: dict[str, str], file: str) -> Case:
    """A case from front matter :data:`CASE_SPEC` validated and its body sections."""
    return build(Case, data, sections=sections, file=file)
