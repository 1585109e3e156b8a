"""The Word proposal's blocks: cover, contents, chapters from the outline, structured components."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import RenderError
from ..match import Recommendation
from ..model.case import CASE_SECTION_OUTCOME, CASE_SECTIONS_CLIENT, SAMPLE_MARK
from ..model.vocab import CATEGORIES, INDUSTRY_LABELS, INFORMATIZATION, SIZES, VAT_CLASSES
from .textblocks import Bullets, Component, Heading, Para, parse_blocks, render_text, shared_env
from ..workspace import Workspace, packaged_templates
from .context import PLAN_PHASES, category_rows, cn_date, context, plan_start, tariff_rows
from .model import TOC, Card, Cover, Diagram, Numbering, PageBreak, Proposal, Table
from .outline import CONDITIONS, check_templates
from .slides import compose_slides
from ..model.money import cny
from ..quote import Quote, for_recommendation
from ..load import issuer_for, load_company
from ..model.company import Issuer


def compose(rec: Recommendation, ws: Workspace, today: dt.date, offer: Quote | None = None,
            issuer: Issuer | None = None) -> Proposal:
    """The proposal and its deck as blocks; ``offer`` is the quote stage's result (priced here if absent),
    ``issuer`` who issues them (found from the workspace's company.yaml when not given: the pipeline
    passes it, having told the manager how it was chosen)."""
    if issuer is None:
        issuer = issuer_for(load_company(ws.company_file)[0], rec.profile)[0]
    env = shared_env((str(ws.root / "templates"), str(packaged_templates())))
    offer = offer or for_recommendation(rec, rec.pricing, today)
    ctx = context(rec, today, offer, issuer)
    p = rec.profile
    title = f"{p.name}信息化解决方案建议书"
    blocks: list = [
        Cover(p.name, "信息化解决方案建议书", "基础通信 · 移动办公 · 生产控制 · 服务营销",
              tuple((k, v) for k, v in (
                  ("呈送", p.name),
                  ("编制", f"{issuer.full_name} {issuer.company.department}"),
                  *_contact_lines(issuer),
                  ("日期", ctx["date"]),
              ) if v)),
        PageBreak(),
        TOC(),
        PageBreak(),
    ]
    numbering = Numbering()
    components = _components(rec, offer, today)
    sections = check_templates(ws.template("proposal/outline.yaml"), ws.template_optional, set(ctx),
                               set(components))
    for section in sections:
        if section.when and not CONDITIONS[section.when](rec):
            continue
        blocks.append(Heading(1, (numbering.next(1) if section.numbered else "") + section.title))
        for block in parse_blocks(render_text(env, f"proposal/{section.template}", ctx, marked=True)):
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
    slides = compose_slides(rec, env, ctx, title, offer)
    return Proposal(p.name, title, today, issuer.full_name, issuer.company.department, blocks, slides, offer)


def _contact_lines(issuer) -> list[tuple[str, str]]:
    """Who the client calls, as the cover lists it: the manager with a phone, else the service hotline."""
    m = issuer.manager
    if m is not None and m.phone:
        return [("客户经理", f"{m.name} {m.phone}")]
    lines = [("客户经理", m.name)] if m is not None else []
    return lines + [("服务热线", issuer.hotline)]


def _components(rec: Recommendation, offer, today: dt.date) -> dict:
    """Structured parts the section texts place with ``[[name]]``."""
    return {
        "needs_table": lambda: [_needs_table(rec)],
        "solution_table": lambda: [_solution_table(rec)],
        "solution_diagram": lambda: [Diagram(tuple((c, tuple(ps)) for c, ps in category_rows(rec)),
                                             "图：需求与解决方案总览")],
        "product_appendix": lambda: _product_appendix(rec),
        "quote_tables": lambda: _quote_tables(offer),
        "quote_alternatives": lambda: [_alternatives_table(offer)] if offer.alternatives else [],
        "product_details": lambda: _product_details(rec),
        "case_cards": lambda: [_case_card(c) for c in rec.cases],
        "plan_table": lambda: [_plan_table(rec, today)],
        "contacts_table": lambda: [_contacts_table(rec)] if rec.profile.contacts else [],
    }


def _needs_table(rec: Recommendation) -> Table:
    rows = []
    for sm in rec.statements:
        answer = "、".join(e.product.name for e in sm.products) if sm.matched else "另行沟通"
        rows.append((CATEGORIES.get(sm.category, "其他"), sm.statement, answer))
    return Table(("需求类别", "客户原话", "对应方案"), tuple(rows), (1.2, 4.2, 1.8), "表：需求与方案对应")


def _solution_table(rec: Recommendation) -> Table:
    """Each product with the client's needs it answers. Not its one-liner: that is told once, where
    the product is presented (推荐产品详解), so a reader never reads the same sentence twice."""
    rows = []
    for m in rec.all_products:
        p = m.product
        needs = "；".join(_short(sm.statement) for sm in m.statements) or p.benefits[0]
        rows.append((CATEGORIES[p.category], p.name + ("（现有业务扩容）" if m.existing else ""), needs))
    return Table(("类别", "产品", "解决贵单位的问题"), tuple(rows), (1.2, 1.8, 4.2), "表：方案产品组合")


def _short(statement: str, limit: int = 24) -> str:
    """A client's statement as a table cell names it: its first clause, or its beginning."""
    clause = re.split(r"[，,。；;！？!?]", statement, maxsplit=1)[0].strip()
    if 4 <= len(clause) <= limit:
        return clause
    return statement[:limit].rstrip() + ("……" if len(statement) > limit else "")


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
    """What a client reads of a case: the four client-facing sections and a consented quote; never
    the internal review. An invented case says so in its title, another industry's in its facts."""
    case = c.case
    industry = INDUSTRY_LABELS[case.industry] + ("（其他行业的参考案例）" if c.other_industry else "")
    facts = [("行业", industry)]
    if case.employees:
        facts.append(("规模", f"{case.employees} 人" + (f"，{case.sites} 个站点" if case.sites else "")))
    if case.region:
        facts.append(("地区", case.region))
    for name in CASE_SECTIONS_CLIENT:
        if name != CASE_SECTION_OUTCOME and case.sections.get(name):
            facts.append((name, "\n".join(case.lines(name))))
    if case.client_quote:
        facts.append(("客户评价", f"“{case.client_quote}”" + (f"——{case.quote_by}" if case.quote_by else "")))
    # the outcome's list items carry each figure's source; the card leaves out the closing prose
    outcome = tuple(line[2:] for line in case.lines(CASE_SECTION_OUTCOME) if line.startswith("· ")) or case.results
    return Card(case.title + (SAMPLE_MARK if case.sample else ""), case.client_label, tuple(facts), outcome)


def _plan_table(rec: Recommendation, today: dt.date) -> Table:
    start = plan_start(rec.profile.visit_date, today)
    rows = []
    for name, a, b, what in PLAN_PHASES:
        d1, d2 = start + dt.timedelta(days=a), start + dt.timedelta(days=b)
        rows.append((name, f"{cn_date(d1)}至\n{cn_date(d2)}", what))  # both with their year, a line each
    return Table(("阶段", "时间（预计）", "工作内容"), tuple(rows), (1.1, 2.2, 3.9), "表：实施计划")


def _contacts_table(rec: Recommendation) -> Table:
    rows = tuple((c.name, c.title or "—") for c in rec.profile.contacts)
    return Table(("姓名", "职务"), rows, (2.0, 4.0), "表：贵单位项目联系人")




def _quote_tables(q) -> list:
    """The offer: a line per price item (and tier band), then the totals with the tax inside."""

    if not q.lines:
        return []
    rows = []
    for ln in q.lines:
        rows.append((ln.name, ln.item, f"{ln.quantity}（{ln.basis}）", cny(ln.unit_price),
                     cny(ln.monthly) if ln.billing == "monthly" else "—",
                     cny(ln.one_off) if ln.billing == "one_off" else "—"))
    detail = Table(("产品", "资费项目", "数量（依据）", "单价", "月费", "一次性费用"), tuple(rows),
                   (1.1, 2.0, 1.5, 1.0, 1.2, 1.2), "表：报价明细（标准资费，含税）")
    totals = [("月费合计（标准价）", cny(q.gross_monthly))]
    totals += [(f"{d.label}（{d.rate:.0%}）" + ("，受最低价限制" if d.capped else ""), cny(d.monthly)) for d in q.discounts]
    totals += [("每月应付", cny(q.monthly_total)), ("一次性费用", cny(q.one_off_total)),
               ("首年合计（12 个月月费 + 一次性费用）", cny(q.first_year_total))]
    totals += [(f"其中{VAT_CLASSES[k]}增值税", cny(v)) for k, v in q.tax.items() if v]
    if q.budget is not None:
        totals.append(("贵单位月度预算", cny(q.budget) + ("（在预算内）" if q.within_budget else
                                                    f"（超出 {cny(q.monthly_total - q.budget)}）")))
    if q.current_spend is not None:
        totals.append(("目前每月通信支出", cny(q.current_spend)))
    summary = Table(("项目", "金额"), tuple(totals), (4.5, 2.7), "表：费用汇总")
    blocks: list = [detail, summary]
    blocks += [Para(note, "note") for note in q.notes]
    return blocks


def _alternatives_table(q) -> Table:
    rows = tuple((a.label, "、".join(a.product_names), f"{a.covered} 条", cny(a.monthly_total),
                  cny(a.first_year_total)) for a in q.alternatives)
    return Table(("方案", "包含产品", "解决需求", "每月", "首年"), rows, (1.3, 2.6, 0.8, 1.25, 1.35),
                 "表：可选方案对比")
