"""A recommendation becomes a Proposal: the Word document's blocks and the deck's slides.

This is where the words are chosen (from the Jinja2 section texts of the templates) and where the
structured parts (tables, product details, case cards) are laid out as data. The renderers only
turn these blocks into python-docx / python-pptx calls; nothing here knows about either library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import RenderError
from .match import Recommendation
from .match.recommend import ProductMatch
from .schema import (ATTITUDES, BILLING, CATEGORIES, INDUSTRY_LABELS, INFORMATIZATION, ROLES, SIZES,
                     UNITS, Product, TariffItem)
from .textblocks import Bullets, Component, Heading, Para, make_env, parse_blocks, render_text
from .workspace import Workspace, packaged_templates

COMPANY = "中国移动通信集团广东有限公司"
DEPARTMENT = "政企客户部"


# --- the view-model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    caption: str = ""


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
    series: tuple[tuple[str, tuple[int, ...]], ...]
    title: str = ""


@dataclass
class Slide:
    layout: str                      # title | content | table | chart | diagram | closing
    title: str
    subtitle: str = ""
    bullets: list[tuple[int, str]] = field(default_factory=list)   # (level, text)
    table: Table | None = None
    chart: Chart | None = None
    diagram: list[tuple[str, list[str]]] = field(default_factory=list)  # need area -> products
    notes: str = ""


@dataclass
class Proposal:
    client: str
    title: str
    date: dt.date
    company: str
    department: str
    blocks: list
    slides: list[Slide]


# --- numbering: 一、 （一） 1. （1） -----------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (enough for section counts)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


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


# --- template context ---------------------------------------------------------------------------


def money(amount) -> str:
    return f"¥{amount:,.2f}"


def tariff_rows(items: tuple[TariffItem, ...]) -> list[tuple[str, ...]]:
    return [(i.name, money(i.price), UNITS[i.unit], BILLING[i.billing]) for i in items]


def _product_ctx(m: ProductMatch) -> dict:
    p = m.product
    return {
        "id": p.id, "name": p.name, "category": CATEGORIES[p.category], "summary": p.summary,
        "how_it_works": p.how_it_works, "benefits": list(p.benefits), "tariff": p.tariff_summary,
        "needs": [sm.statement for sm in m.statements], "existing": m.existing,
        "informatization": INFORMATIZATION[p.informatization],
    }


def context(rec: Recommendation, today: dt.date) -> dict:
    p = rec.profile
    by_cat: dict[str, list[str]] = {}
    for cat, s in p.statements():
        by_cat.setdefault(cat, []).append(s)
    visit = p.visit_date or today
    return {
        "company": COMPANY,
        "department": DEPARTMENT,
        "date": f"{today.year}年{today.month}月{today.day}日",
        "visit_date": f"{visit.year}年{visit.month}月{visit.day}日",
        "client": {
            "name": p.name, "industry": INDUSTRY_LABELS[p.industry], "employees": p.employees,
            "sites": p.sites, "tier": p.tier, "region": p.region, "size": SIZES[p.size] if p.size else None,
            "current": [x.name for x in rec.current_products] + rec.unknown_current,
            "competitor": p.competitor,
        },
        "manager": p.manager, "manager_phone": p.manager_phone,
        "needs": [{"key": k, "label": CATEGORIES.get(k, "其他需求"), "statements": v} for k, v in by_cat.items()],
        "products": [_product_ctx(m) for m in rec.products],
        "extensions": [_product_ctx(m) for m in rec.extensions],
        "categories": _categories_ctx(rec),
        "cases": [{"title": c.case.title, "client": c.case.client_label, "results": list(c.case.results)}
                  for c in rec.cases],
        "unmatched": rec.unmatched,
        "contacts": [{"name": c.name, "title": c.title or "", "role": ROLES.get(c.role or "", ""),
                      "attitude": ATTITUDES.get(c.attitude or "", "")} for c in p.contacts],
        "statement_count": len(p.statements()),
        "matched_count": len(p.statements()) - len(rec.unmatched),
    }


def _category_rows(rec: Recommendation) -> list[tuple[str, list[str]]]:
    """Need area -> the bundle's products in it, in the fixed order of the four areas."""
    rows = []
    for key, label in CATEGORIES.items():
        names = [m.product.name for m in rec.all_products if m.product.category == key]
        if names:
            rows.append((label, names))
    return rows


def _categories_ctx(rec: Recommendation) -> list[dict]:
    return [{"label": label, "products": names} for label, names in _category_rows(rec)]


# --- outline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    when: str | None
    numbered: bool = True


CONDITIONS = {
    "has_cases": lambda rec: bool(rec.cases),
    "has_unmatched": lambda rec: bool(rec.unmatched),
    "has_contacts": lambda rec: bool(rec.profile.contacts),
    "has_extensions": lambda rec: bool(rec.extensions),
    "has_production_control": lambda rec: bool(rec.profile.needs.get("production_control")),
}


def load_outline(path: Path) -> list[Section]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sections = [Section(s["title"], s["template"], s.get("when"), s.get("numbered", True))
                    for s in data["sections"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise RenderError(f"大纲文件 {path} 无法读取：{exc}") from None
    for s in sections:
        if s.when and s.when not in CONDITIONS:
            raise RenderError(f"大纲文件 {path}: 章节“{s.title}”的条件 {s.when} 不存在，"
                              f"可选：{'、'.join(CONDITIONS)}")
    return sections


# --- composing --------------------------------------------------------------------------------


def compose(rec: Recommendation, ws: Workspace, today: dt.date) -> Proposal:
    env = make_env([ws.root / "templates", packaged_templates()])
    ctx = context(rec, today)
    p = rec.profile
    title = f"{p.name}信息化解决方案建议书"
    blocks: list = [
        Cover(p.name, "信息化解决方案建议书", "基础通信 · 移动办公 · 生产控制 · 服务营销",
              tuple((k, v) for k, v in (
                  ("呈送", p.name),
                  ("编制", f"{COMPANY} {DEPARTMENT}"),
                  ("客户经理", " ".join(x for x in (p.manager, p.manager_phone) if x)),
                  ("日期", ctx["date"]),
              ) if v)),
        PageBreak(),
        TOC(),
        PageBreak(),
    ]
    numbering = Numbering()
    components = _components(rec)
    for section in load_outline(ws.template("proposal/outline.yaml")):
        if section.when and not CONDITIONS[section.when](rec):
            continue
        blocks.append(Heading(1, (numbering.next(1) if section.numbered else "") + section.title))
        for block in parse_blocks(render_text(env, f"proposal/{section.template}", ctx)):
            if isinstance(block, Heading):  # "##" in a section text is the level below the chapter
                level = max(block.level, 2)
                blocks.append(Heading(level, numbering.next(level) + block.text))
            elif isinstance(block, Component):
                if block.name not in components:
                    raise RenderError(f"模板 proposal/{section.template} 引用了不存在的组件 [[{block.name}]]，"
                                      f"可选：{'、'.join(components)}")
                for sub in components[block.name]():
                    if isinstance(sub, Heading):
                        sub = Heading(sub.level, numbering.next(sub.level) + sub.text)
                    blocks.append(sub)
            else:
                blocks.append(block)
    slides = compose_slides(rec, env, ctx, title)
    return Proposal(p.name, title, today, COMPANY, DEPARTMENT, blocks, slides)


def _components(rec: Recommendation) -> dict:
    """Structured parts the section texts place with ``[[name]]``."""
    return {
        "needs_table": lambda: [_needs_table(rec)],
        "solution_table": lambda: [_solution_table(rec)],
        "solution_diagram": lambda: [Diagram(tuple((c, tuple(ps)) for c, ps in _category_rows(rec)),
                                             "图：需求与解决方案总览")],
        "product_appendix": lambda: _product_appendix(rec),
        "product_details": lambda: _product_details(rec),
        "case_cards": lambda: [_case_card(c) for c in rec.cases],
        "plan_table": lambda: [_plan_table(rec)],
        "contacts_table": lambda: [_contacts_table(rec)] if rec.profile.contacts else [],
    }


def _needs_table(rec: Recommendation) -> Table:
    rows = []
    for sm in rec.statements:
        answer = "、".join(e.product.name for e in sm.products) if sm.matched else "另行沟通"
        rows.append((CATEGORIES.get(sm.category, "其他"), sm.statement, answer))
    return Table(("需求类别", "客户原话", "对应方案"), tuple(rows), (1.2, 4.2, 1.8), "表：需求与方案对应")


def _solution_table(rec: Recommendation) -> Table:
    rows = []
    for m in rec.all_products:
        p = m.product
        rows.append((CATEGORIES[p.category], p.name + ("（现有业务扩容）" if m.existing else ""), p.summary))
    return Table(("类别", "产品", "作用"), tuple(rows), (1.2, 1.8, 4.2), "表：方案产品组合")


def _product_details(rec: Recommendation) -> list:
    out: list = []
    for m in rec.all_products:
        p = m.product
        out.append(Heading(2, p.name + ("（现有业务扩容）" if m.existing else "")))
        out.append(Para(p.summary, "lead"))
        out.append(Heading(3, "为贵单位解决的问题"))
        out += [Para(f"“{sm.statement}”", "quote") for sm in m.statements]
        out.append(Bullets(p.benefits))
        out.append(Heading(3, "实现方式"))
        out += [Para(par) for par in p.how_it_works.split("\n") if par.strip()]
        out.append(Heading(3, "资费"))
        out.append(Para(p.tariff_summary + "（资费明细见附录）"))
    return out


def _product_appendix(rec: Recommendation) -> list:
    """Per product: a specification table and its tariff items, for the client's technical staff."""
    out: list = []
    for m in rec.all_products:
        p = m.product
        out.append(Heading(3, p.name))  # below the TOC's depth: the appendix lists, it is not read
        industries = "各行业" if "all" in p.industries else "、".join(INDUSTRY_LABELS[i] for i in p.industries)
        spec = (
            ("产品名称", p.name + (f"（又称：{'、'.join(p.aliases)}）" if p.aliases else "")),
            ("产品类别", CATEGORIES[p.category]),
            ("产品说明", p.summary),
            ("实现原理", p.how_it_works.replace("\n", "")),
            ("适用行业", industries),
            ("适用规模", "、".join(SIZES[x].split("（")[0] for x in p.sizes)),
            ("信息化程度", INFORMATIZATION[p.informatization]),
        )
        out.append(Table(("项目", "内容"), spec, (1.4, 5.8), f"表：{p.name}产品规格"))
        if p.tariff_items:
            out.append(Table(("资费项目", "标准价格", "计费单位", "计费方式"), tuple(tariff_rows(p.tariff_items)),
                             (2.6, 1.6, 1.4, 1.4), f"表：{p.name}资费"))
    return out


def _case_card(c) -> Card:
    case = c.case
    facts = [("行业", INDUSTRY_LABELS[case.industry])]
    if case.employees:
        facts.append(("规模", f"{case.employees} 人" + (f"，{case.sites} 个站点" if case.sites else "")))
    if case.region:
        facts.append(("地区", case.region))
    facts.append(("客户挑战", case.sections.get("客户挑战", "")))
    facts.append(("解决方案", case.sections.get("解决方案", "")))
    return Card(case.title, case.client_label, tuple(facts), case.results)


PLAN_PHASES = (
    ("方案确认", 0, 7, "与贵单位确认需求清单、产品组合和资费方案"),
    ("合同签订", 7, 14, "签订业务协议，明确服务等级和对接人"),
    ("开通实施", 14, 30, "号码与业务开通、系统对接、终端配置"),
    ("培训上线", 30, 37, "管理员与员工使用培训，业务正式启用"),
    ("回访优化", 60, 67, "上线一个月后回访，根据使用情况调整方案"),
)


def _plan_table(rec: Recommendation) -> Table:
    start = rec.profile.visit_date or dt.date.today()
    rows = []
    for name, a, b, what in PLAN_PHASES:
        d1, d2 = start + dt.timedelta(days=a), start + dt.timedelta(days=b)
        rows.append((name, f"{d1.month}月{d1.day}日 – {d2.month}月{d2.day}日", what))
    return Table(("阶段", "时间（预计）", "工作内容"), tuple(rows), (1.3, 2.0, 3.9), "表：实施计划")


def _contacts_table(rec: Recommendation) -> Table:
    rows = tuple((c.name, c.title or "—") for c in rec.profile.contacts)
    return Table(("姓名", "职务"), rows, (2.0, 4.0), "表：贵单位项目联系人")


# --- slides -----------------------------------------------------------------------------------


def _notes(env, name: str, ctx: dict) -> str:
    return render_text(env, f"pitch/{name}", ctx).strip()


def compose_slides(rec: Recommendation, env, ctx: dict, title: str) -> list[Slide]:
    p = rec.profile
    slides = [Slide("title", f"{p.name}\n信息化解决方案", f"{COMPANY} {DEPARTMENT} · {ctx['date']}",
                    notes=_notes(env, "title.j2", ctx))]
    agenda = ["客户现状与需求", "解决方案总览", "推荐产品", "成功案例", "下一步计划"]
    if not rec.cases:
        agenda.remove("成功案例")
    slides.append(Slide("content", "汇报提纲", bullets=[(0, a) for a in agenda], notes=_notes(env, "agenda.j2", ctx)))
    facts = [f"行业：{INDUSTRY_LABELS[p.industry]}"]
    if p.employees:
        facts.append(f"规模：{p.employees} 人" + (f"，{p.sites} 个办公点/厂区/门店" if p.sites else ""))
    if p.region:
        facts.append(f"地区：{p.region}")
    if ctx["client"]["current"]:
        facts.append("已在使用：" + "、".join(ctx["client"]["current"]))
    facts.append(f"本次梳理出 {len(p.statements())} 条需求，覆盖 {len(ctx['needs'])} 个方面")
    slides.append(Slide("content", "贵单位现状", bullets=[(0, f) for f in facts], notes=_notes(env, "situation.j2", ctx)))
    need_bullets: list[tuple[int, str]] = []
    for group in ctx["needs"]:
        need_bullets += [(0, group["label"])] + [(1, s) for s in group["statements"]]
    slides.append(Slide("content", "我们听到的需求", bullets=need_bullets, notes=_notes(env, "needs.j2", ctx)))
    covered = {key: 0 for key in CATEGORIES}
    asked = {key: 0 for key in CATEGORIES}
    for sm in rec.statements:
        if sm.category in asked:
            asked[sm.category] += 1
            covered[sm.category] += sm.matched
    keys = [k for k in CATEGORIES if asked[k]]
    slides.append(Slide("chart", "需求覆盖情况", chart=Chart(
        tuple(CATEGORIES[k] for k in keys),
        (("提出的需求", tuple(asked[k] for k in keys)), ("本方案覆盖", tuple(covered[k] for k in keys))),
        "各方面需求条数"), notes=_notes(env, "coverage.j2", ctx)))
    slides.append(Slide("diagram", "整体方案：需求到产品",
                        diagram=[(c["label"], c["products"]) for c in ctx["categories"]],
                        notes=_notes(env, "solution_map.j2", ctx)))
    map_rows = [(_short(sm.statement, 56), "、".join(e.product.name for e in sm.products))
                for sm in rec.statements if sm.matched]
    for i, rows in enumerate(_chunks(map_rows, 6)):
        slides.append(Slide("table", "需求与方案对应" + ("（续）" if i else ""),
                            table=Table(("客户需求", "对应产品"), tuple(rows), (4.6, 1.9)),
                            notes=_notes(env, "solution_table.j2", ctx)))
    for m in rec.all_products:
        pctx = dict(ctx, product=_product_ctx(m))
        bullets = [(0, "为您解决")] + [(1, _short(s, 36)) for s in [sm.statement for sm in m.statements][:2]]
        bullets += [(0, "带来的价值")] + [(1, _short(b, 36)) for b in m.product.benefits[:2]]
        bullets += [(0, "资费"), (1, _short(m.product.tariff_summary, 40))]
        heading = m.product.name + ("（现有业务扩容）" if m.existing else "")
        slides.append(Slide("content", heading, bullets=bullets, notes=_notes(env, "product.j2", pctx)))
    for c in rec.cases:
        cctx = dict(ctx, case={"title": c.case.title, "client": c.case.client_label,
                               "results": list(c.case.results), "reasons": c.reasons})
        bullets = [(0, c.case.client_label)] + [(0, "成效")] + [(1, _short(r, 36)) for r in c.case.results[:3]]
        slides.append(Slide("content", "案例：" + _short(c.case.title, 22), bullets=bullets,
                            notes=_notes(env, "case.j2", cctx)))
    steps = [f"{name}：{what}" for name, _a, _b, what in PLAN_PHASES[:4]]
    slides.append(Slide("content", "下一步计划", bullets=[(0, _short(s, 36)) for s in steps],
                        notes=_notes(env, "next_steps.j2", ctx)))
    contact = "客户经理：" + " ".join(x for x in (p.manager, p.manager_phone) if x) if p.manager else DEPARTMENT
    slides.append(Slide("closing", "谢谢！", contact, notes=_notes(env, "closing.j2", ctx)))
    return slides


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]
