"""A case of the case library: the type, the spec of its front matter, its body sections."""

from __future__ import annotations

from dataclasses import dataclass, field

from .spec import Boolean, Choice, Field, Integer, ListOf, Record, Text
from .vocab import (CASE_ID, CASE_STATUS_NAMES, INDUSTRY_CHOICE, PRODUCT_ID, WAIVERS_SPEC, WORKFLOW_STEPS,
                    size_of)

# --- cases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    display_name: str
    real_name: str | None
    consent: bool
    industry: str
    employees: int | None
    sites: int | None
    region: str | None
    year: int | None
    products: tuple[str, ...]
    needs: tuple[str, ...]
    workflow_step: str
    results: tuple[str, ...]
    sections: dict[str, str]  # body heading -> text
    file: str = field(default="", compare=False)
    status: str = "active"

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


CASE_SPEC = Record({
    "id": Field(Text(max_len=80, pattern=CASE_ID.pattern, pattern_hint=CASE_ID.pattern_hint, rule="case-id",
                     description=CASE_ID.description), required=True),
    "title": Field(Text(max_len=80, description="案例标题"), required=True),
    "status": Field(Choice(CASE_STATUS_NAMES, "案例状态",
                           "状态：active 在用（会被方案引用）、draft 草稿、archived 归档；只有 active 会被引用"),
                    default="active"),
    "client": Field(Record({
        "display_name": Field(Text(max_len=60, description="脱敏后的客户名称，如 华南某精密制造企业；没有授权时只显示它"),
                              required=True),
        "real_name": Field(Text(max_len=100, description="客户真实名称；只有 consent: true（已取得客户书面授权）时才能填写")),
        "consent": Field(Boolean(description="是否已取得客户授权公开真实名称"), default=False),
    }, description="客户（脱敏）"), required=True),
    "industry": Field(INDUSTRY_CHOICE, required=True),
    "employees": Field(Integer(minimum=1, description="员工人数")),
    "sites": Field(Integer(minimum=1, description="办公点、厂区或门店数")),
    "region": Field(Text(max_len=30, description="地区")),
    "year": Field(Integer(minimum=2000, maximum=2100, description="成效数据的测量年份")),
    "products": Field(ListOf(PRODUCT_ID, min_items=1, description="用到的产品 id"), required=True),
    "needs": Field(ListOf(Text(max_len=200), description="解决的需求，客户的原话"), default=list),
    "workflow_step": Field(Choice({s: s for s in WORKFLOW_STEPS}, "工作流程环节",
                                  "对应的工作流程环节：" + "、".join(WORKFLOW_STEPS)), required=True),
    "results": Field(ListOf(Text(max_len=200), min_items=1, description="可量化的成效，每条带数字"), required=True),
    "waivers": Field(WAIVERS_SPEC, default=list),
}, description="案例头信息（cases/<id>.md 开头 --- 之间的部分）")

CASE_SECTIONS_REQUIRED = ("客户挑战", "解决方案")
CASE_SECTIONS_OPTIONAL = ("实施过程", "客户评价")


def build_case(data: dict, sections: dict[str, str], file: str) -> Case:
    client = data["client"]
    return Case(
        id=data["id"], title=data["title"], display_name=client["display_name"],
        real_name=client["real_name"], consent=client["consent"], industry=data["industry"],
        employees=data["employees"], sites=data["sites"], region=data["region"], year=data["year"],
        products=tuple(data["products"]), needs=tuple(data["needs"]),
        workflow_step=data["workflow_step"], results=tuple(data["results"]), sections=sections,
        file=file, status=data["status"],
    )
