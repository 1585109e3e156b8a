"""The Word proposal's blocks: cover, contents, chapters from the outline, structured components."""

from __future__ import annotations

import datetime as dt

from ..errors import RenderError
from ..match import Recommendation
from ..model.case import CASE_SECTION_OUTCOME, CASE_SECTIONS_CLIENT, SAMPLE_MARK
from ..model.catalog import SERVICE_LEVEL_FIELDS
from ..model.vocab import CATEGORIES, INDUSTRY_LABELS, INFORMATIZATION, ROLES, SIZES, VAT_CLASSES
from .textblocks import Bullets, Component, Heading, Para, parse_blocks, render_text, shared_env
from ..workspace import Workspace, packaged_templates
from .context import _TROUBLE, category_rows, cn_date, context, plan_start, tariff_rows
from .plan import Plan, build_plan, load_plan
from .model import TOC, Card, Cover, Diagram, Numbering, PageBreak, Proposal, Table
from .outline import CONDITIONS, check_templates
from .slides import NOT_ASKED, compose_slides, next_steps, quoted, tariff_for
from .structure import Layout, architecture, load_compliance, load_layout
from . import headline, needs
from .options import option_texts
from ..model.vocab import industry_group
from .view import client_view, in_client_words
from ..content.vocabulary import Words, load_vocabulary
from ..model.money import cny
from ..quote import Quote, Source, client_basis_label, for_recommendation
from ..load import issuer_for, load_company
from ..model.company import Issuer

# A quote of up to this many lines (two text lines each) is kept on one page; a longer one runs
# on with its header repeated.
MONEY_ROWS_ON_A_PAGE = 14
# How many of the client's statements the one-page executive summary quotes; the rest are in 需求分析.
SUMMARY_CONCERNS = 6
# The client's words as 待进一步沟通 lists them (whole: None), as the plan's first milestone and the
# solution table name them: whole up to this many characters, else shortened at their own clause
# ends with "……" (slides.quoted), never joined with a "：" the client did not say
OPEN_NEED_QUOTE, MILESTONE_QUOTE, CELL_QUOTE = None, 40, 30


def compose(rec: Recommendation, ws: Workspace, today: dt.date, offer: Quote | None = None,
            issuer: Issuer | None = None, discovery: dict | None = None) -> Proposal:
    """The proposal and its deck as blocks; ``offer`` is the quote stage's result (priced here if absent),
    ``issuer`` who issues them (found from the workspace's company.yaml when not given: the pipeline
    passes it, having told the manager how it was chosen), ``discovery`` the interview's notes
    (:func:`.brief.read_discovery`), if any."""
    if issuer is None:
        issuer = issuer_for(load_company(ws.company_file)[0], rec.profile)[0]
    env = shared_env((str(ws.root / "templates"), str(packaged_templates())))
    words = load_vocabulary([ws.root / "templates", packaged_templates()]).words_for(rec.profile.industry,
                                                                                      rec.profile.name)
    rec = in_client_words(client_view(rec), words)  # only 明确 links, in the client's words
    offer = offer or for_recommendation(rec, rec.pricing, today)
    ctx = context(rec, today, offer, issuer, words)
    for n in ctx["open_needs"]:  # listed as the client's words: whole, or cut only at their clause ends
        n["title"] = quoted(n["statement"], OPEN_NEED_QUOTE)
    layout = load_layout(ws.template("proposal/architecture.yaml"))
    plan = plan_for(rec, load_plan(ws.template("proposal/plan.yaml")), today, offer, words, discovery or {})
    ctx.update(structure_ctx(rec, today, discovery or {}, load_compliance(ws.template("proposal/compliance.yaml")),
                             plan, words, needs.load_cues(ws.template("proposal/needs.yaml")), offer))
    p = rec.profile
    title = f"{p.name}信息化解决方案建议书"
    blocks: list = [
        Cover(p.name, "信息化解决方案建议书", " · ".join(label for label, _names in category_rows(rec)),
              tuple((k, v) for k, v in (
                  ("呈送", p.name),
                  ("编制", f"{issuer.full_name} {issuer.company.department}"),
                  *_contact_lines(issuer),
                  ("日期", ctx["date"]),
              ) if v), sites=p.sites),
        PageBreak(),
        TOC(),
        PageBreak(),
    ]
    numbering = Numbering()
    components = _components(rec, offer, layout, words, plan, issuer, ctx["analysis"], env)
    sections = check_templates(ws.template("proposal/outline.yaml"), ws.template_optional, set(ctx),
                               set(components))
    for section in sections:
        if section.when and not CONDITIONS[section.when](rec, ctx):
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
    slides = compose_slides(rec, env, ctx, title, offer, architecture(rec, layout, words, caption=""), plan)
    return Proposal(p.name, title, today, issuer.full_name, issuer.company.department, blocks, slides, offer)


def _contact_lines(issuer) -> list[tuple[str, str]]:
    """Who the client calls, as the cover lists it: the manager with a phone, else the service hotline."""
    m = issuer.manager
    if m is not None and m.phone:
        return [("客户经理", f"{m.name} {m.phone}")]
    lines = [("客户经理", m.name)] if m is not None else []
    return lines + [("服务热线", issuer.hotline)]


def _components(rec: Recommendation, offer, layout: Layout, words: Words, plan: Plan, issuer: Issuer,
                analysis: list[dict], env) -> dict:
    """Structured parts the section texts place with ``[[name]]``."""
    return {
        "needs_table": lambda: [_needs_table(analysis)],
        "solution_table": lambda: [_solution_table(rec)],
        "solution_diagram": lambda: _architecture(rec, layout, words),
        "needs_diagram": lambda: [Diagram(tuple((c, tuple(ps)) for c, ps in category_rows(rec)),
                                          "图：需求与解决方案总览")],
        "summary_table": lambda: [_summary_table(rec)],
        "service_levels": lambda: _service_levels(rec),
        "organisation_table": lambda: [_organisation_table(rec, issuer)],
        "product_appendix": lambda: _product_appendix(rec),
        "quote_tables": lambda: _quote_tables(offer, rec.profile),
        "quote_alternatives": lambda: [_alternatives_table(offer)] if offer.alternatives else [],
        "product_details": lambda: _product_details(rec, env, offer),
        "case_cards": lambda: [_case_card(c) for c in rec.cases],
        "plan_table": lambda: [_plan_table(plan)],
        "contacts_table": lambda: [_contacts_table(rec)] if rec.profile.contacts else [],
    }


def _needs_table(groups: list[dict]) -> Table:
    """The analysis at a glance, by need area: how many things the client raised, the products that
    answer them, how many nothing answers yet and how many figures are still to be supplied. Counts,
    not the client's words again: those are quoted once, above."""
    rows = []
    for g in groups:
        names = "、".join(a["name"] + ("（扩容）" if a["existing"] else "") for a in g["answers"]) or "—"
        rows.append((g["label"], f"{len(g['quotes'])} 条", names,
                     f"{len(g['unanswered'])} 条" if g["unanswered"] else "—",
                     f"{len(g['lines']['open'])} 项" if g["lines"]["open"] else "—"))
    return Table(("需求方面", "提出的事项", "本方案对应的产品", "暂无对应", "待确认的情况"), tuple(rows),
                 (1.2, 1.0, 2.8, 1.0, 1.2), "表：需求与方案对应（按需求方面）", keep=True)


# --- executive summary, needs analysis, service, compliance, organisation ---------------------


def structure_ctx(rec: Recommendation, today: dt.date, discovery: dict, compliance: dict, plan: Plan,
                  words: Words, cues: tuple[dict, ...] = (), offer: Quote | None = None) -> dict:
    """What the structural chapters' texts see besides :func:`.context.context`."""
    p = rec.profile
    plan_said = plan_ctx(plan, rec, words, today)
    notes_of_industry = compliance.get(p.industry)
    lines = {"group_private_line", "ip_private_line", "wireless_dnn"}
    return {
        "analysis": needs.analysis(rec, words, cues, discovery, offer),
        "summary": {
            "shown": min(len(rec.statements), SUMMARY_CONCERNS),
            "more": max(0, len(rec.statements) - SUMMARY_CONCERNS),
            "next_step": plan_said["first"],
        },
        "plan": plan_said,
        "compliance": dict(notes_of_industry, has_lines=any(m.product.id in lines for m in rec.all_products))
        if notes_of_industry else None,
        "has_service_levels": any(m.product.service_level for m in rec.all_products),
    }


def _summary_table(rec: Recommendation) -> Table:
    """The client's main concerns in their words, and what we propose for each (first few)."""
    rows = []
    for sm in rec.statements[:SUMMARY_CONCERNS]:
        answer = "、".join(e.product.name for e in sm.products) if sm.matched else "待进一步沟通（见需求分析）"
        rows.append((sm.statement, answer))
    return Table(("贵单位提出的问题（原话）", "我们的建议"), tuple(rows), (6.2, 1.4), "表：主要关切与建议", keep=True)


def _service_levels(rec: Recommendation) -> list:
    """One row per group of the bundle's products that share a service level, columns only for the
    levels some product states: nothing is promised that the catalog does not say."""
    groups: dict = {}
    for m in rec.all_products:
        if m.product.service_level is not None:
            groups.setdefault(m.product.service_level, []).append(m.product.name)
    if not groups:
        return []
    keys = [k for k in SERVICE_LEVEL_FIELDS if any(getattr(level, k) for level in groups)]
    rows = tuple(("、".join(names), *(getattr(level, k) or "—" for k in keys)) for level, names in groups.items())
    share = {"provision": 2.2, "response": 1.8, "restore": 1.3, "availability": 1.1}
    return [Table(("产品", *(SERVICE_LEVEL_FIELDS[k] for k in keys)), rows, (2.6, *(share[k] for k in keys)),
                  "表：服务等级", keep=True)]


ORGANISATION_DUTIES = {
    "decision_maker": "确认方案范围、投资和实施节奏",
    "gatekeeper": "审核费用、数量和业务协议",
    "influencer": "确认需求细节，参与方案评审",
    "user": "参与试点和培训，反馈使用问题",
}


def _organisation_table(rec: Recommendation, issuer: Issuer) -> Table:
    """Who does what: our account manager and solution team, then the client's people by role."""
    p = rec.profile
    m = issuer.manager
    unit = "分公司" if issuer.branch else "公司"
    manager = m.name + (f"\n{m.phone}" if m.phone else "") if m else f"由{unit}指定（服务热线 {issuer.hotline}）"
    rows = [
        ("我方", "客户经理", manager, "统一受理贵单位的需求和问题，协调开通进度"),
        ("我方", "解决方案经理", f"由{unit}{issuer.company.department}指定", "方案细化、现场勘察、系统对接和割接方案"),
        ("我方", "开通与维护人员", f"{unit}网络与支撑部门", "业务开通、终端配置、故障处理"),
    ]
    for c in p.contacts:
        role = ROLES.get(c.role or "", "")
        duty = ORGANISATION_DUTIES.get(c.role or "", "参与方案沟通与确认")
        rows.append(("贵单位", c.title or role or "联系人", c.name, duty))
    if not p.contacts:
        rows.append(("贵单位", "项目对接人", "请贵单位指定", "协调内部资料、人员和场地"))
    return Table(("单位", "角色", "人员", "职责"), tuple(rows), (0.8, 1.5, 2.3, 3.0), "表：项目组织与分工")


def _architecture(rec: Recommendation, layout: Layout, words: Words) -> list:
    """The client's architecture as a figure and, after it, the same in a table (readable text)."""
    p = rec.profile
    figure = architecture(rec, layout, words)
    hq, site, other = figure.hq, figure.site_label, figure.other_sites
    sites = f"{hq}及 {other} 个{site}" if other else "贵单位"
    drawn = "、".join(label for label, _rest in figure.site_boxes())  # the figure's own labels
    count = (f"共 {p.sites} 个站点，图中依次为：{drawn}" if other else f"共 {p.sites} 个站点") if p.sites \
        else "站点数待贵单位确认，图中按一处画出"
    rows = [("站点", sites, count)]
    for label, names in ((f"面向{figure.served}", figure.outreach), ("平台与应用", figure.platforms),
                         ("网络与线路", figure.links), ("终端与设备", figure.devices + figure.carried)):
        rows += [(label, name, figure.note(name)) for name in names]
    table = Table(("层次", "内容", "说明"), tuple(rows), (1.3, 2.0, 3.9), "表：方案结构说明")
    return [figure, table]


def _solution_table(rec: Recommendation) -> Table:
    """Each product with the client's needs it answers. Not its one-liner: that is told once, where
    the product is presented (推荐产品详解), so a reader never reads the same sentence twice."""
    rows = []
    for m in rec.all_products:
        p = m.product
        needs = "；".join(_short(sm.statement) for sm in m.statements) or p.benefits[0]
        rows.append((CATEGORIES[p.category], p.name + ("（现有业务扩容）" if m.existing else ""), needs))
    return Table(("类别", "产品", "解决贵单位的问题"), tuple(rows), (1.2, 1.8, 4.2), "表：方案产品组合")


def _short(statement: str, limit: int = CELL_QUOTE) -> str:
    """A client's statement as a table cell names it: whole, or shortened at its own clause ends."""
    return quoted(statement, limit)


def _product_details(rec: Recommendation, env, offer=None) -> list:
    out: list = []
    for m in rec.all_products:
        p = m.product
        out.append(Heading(2, headline.heading(m)))  # a message, not only a name
        out.append(Para(p.summary, "lead"))
        if m.statements:
            out.append(Heading(3, "为贵单位解决的问题"))
            out += [Para(f"“{sm.statement}”", "quote") for sm in m.statements]
        else:  # added by the manager: no problem of the client's to name, and none invented
            out.append(Heading(3, "能为贵单位带来什么"))
            out.append(Para(NOT_ASKED.replace("供您参考", "供贵单位参考")))
        out.append(Bullets(p.benefits))
        out.append(Heading(3, "实现方式"))
        out += [Para(par) for par in p.how_it_works.split("\n") if par.strip()]
        out.append(Heading(3, "资费"))
        out.append(Para(tariff_for(p, offer) + "（资费明细见附录）"))
        options = option_texts(env, m)
        if options:  # another way to the same need: named, not priced
            out.append(Heading(3, "可选方案"))
            out += [Para(text) for text in options]
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
            ("适用行业", industries),
            ("适用规模", "、".join(SIZES[x].split("（")[0] for x in p.sizes)),
            ("信息化程度", INFORMATIZATION[p.informatization]),
        )
        out.append(Table(("项目", "内容"), spec, (1.4, 5.8), f"表：{p.name}产品规格", keep=True,
                         with_next=bool(p.tariff_items)))
        if p.tariff_items:
            out.append(Table(("资费项目", "标准价格", "计费单位", "计费方式"), tuple(tariff_rows(p.tariff_items)),
                             (2.6, 1.6, 1.4, 1.4), f"表：{p.name}资费", align=("l", "r", "l", "l"), keep=True))
    return out


def _case_card(c) -> Card:
    """What a client reads of a case: the four client-facing sections and a consented quote; never
    the internal review. An invented case says so in its title, another industry's in its facts."""
    case = c.case
    industry = industry_group(case.industry) + ("（其他行业的参考案例）" if c.other_industry else "")
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


def _plan_table(plan: Plan) -> Table:
    rows = []
    for ph in plan.phases:
        when = cn_date(ph.start) if ph.start == ph.end else f"{cn_date(ph.start)}至\n{cn_date(ph.end)}"
        rows.append((ph.name, when, ph.what, ph.client))  # both dates with their year, a line each
    # the time column just holds "2026年12月10日至" on a line; the work, the longest text, takes the most
    return Table(("阶段", "时间（预计）", "工作内容", "贵单位配合"), tuple(rows), (1.0, 2.2, 3.2, 1.6), "表：实施计划")


def plan_for(rec: Recommendation, data: dict, today: dt.date, offer: Quote, words: Words, discovery: dict) -> Plan:
    """This client's plan (:mod:`.plan`): from the visit (or the document's date), the quote's second
    step planned after the first, a pilot the interview notes mention planned too."""
    notes = [*discovery.get("situations", {}).values()]
    for note in discovery.get("notes", {}).values():
        notes += [v for v in note.values() if isinstance(v, str)]
    later = tuple(offer.phasing.later) if offer is not None and offer.phasing is not None else ()
    return build_plan(rec, data, plan_start(rec.profile.visit_date, today), words, _TROUBLE, later, tuple(notes))


def plan_ctx(plan: Plan, rec: Recommendation, words: Words, today: dt.date) -> dict:
    """The plan as the texts say it: its start, end, holidays left out, pilot and first milestone."""
    first = plan.phases[0]
    milestone = None
    if plan.milestone is not None:
        ms = plan.milestone
        wanted = {e.product.id for sm in rec.statements if sm.statement == plan.urgent for e in sm.products}
        names = "、".join(m.product.name for m in rec.all_products if m.product.id in wanted and m.product.id in ms.live)
        what = f"在试点{words.site}开通{names}" if ms.pilot else f"{names}开通使用"
        milestone = {"date": cn_date(ms.end), "phase": ms.name, "what": what, "title": quoted(plan.urgent, MILESTONE_QUOTE)}
    visit = rec.profile.visit_date
    return {
        "start": cn_date(plan.start), "end": cn_date(plan.end),
        "from_visit": visit is not None and visit >= today,
        "holidays": list(plan.holidays), "pilot": plan.pilot, "milestone": milestone,
        # its work's first sentence: what it is for (the list of what to check is in the table)
        "first": {"name": first.name, "from": cn_date(first.start), "to": cn_date(first.end),
                  "what": first.what.split("。")[0]},
        "confirm_items": plan.confirm_items,
        "cutover": plan.per_site, "delivers": len(plan.phases) > 1,
        "steps": [{"name": ph.name, "by": cn_date(ph.end)} for ph in next_steps(plan)],
    }


def _contacts_table(rec: Recommendation) -> Table:
    rows = tuple((c.name, c.title or "—") for c in rec.profile.contacts)
    return Table(("姓名", "职务"), rows, (2.0, 4.0), "表：贵单位项目联系人")




def _quote_tables(q, profile) -> list:
    """The offer: a line per price item (and tier band), then the totals with the tax inside."""

    if not q.lines:
        return []
    rows = []
    for ln in q.lines:
        # the quantity's basis under the item, so the quantity column stays narrow and numeric;
        # a quantity the client is to confirm is priced per unit and left out of the amounts
        amount = (lambda billing, value: "未计入" if ln.to_confirm and ln.billing == billing
                  else cny(value) if ln.billing == billing else "—")
        basis = client_basis_label(ln.source or Source(ln.rule), profile.employees, profile.sites)
        rows.append((ln.name, f"{ln.item}\n依据：{basis}", "待确认" if ln.to_confirm else str(ln.quantity),
                     cny(ln.unit_price), amount("monthly", ln.monthly), amount("one_off", ln.one_off)))
    detail = Table(("产品", "资费项目与数量依据", "数量", "单价", "月费", "一次性费用"), tuple(rows),
                   (1.2, 3.0, 0.6, 1.0, 1.1, 1.1), "表：报价明细（标准资费，含税）", align=("l", "l", "r", "r", "r", "r"),
                   keep=len(rows) <= MONEY_ROWS_ON_A_PAGE)
    totals = [("月费合计（标准价）", cny(q.gross_monthly))]
    totals += [(f"{d.label}（{d.rate:.0%}）" + ("，受最低价限制" if d.capped else ""), cny(d.monthly)) for d in q.discounts]
    totals += [("每月应付", cny(q.monthly_total)), ("一次性费用", cny(q.one_off_total)),
               ("首年合计（12 个月月费 + 一次性费用）", cny(q.first_year_total))]
    totals += [(f"其中{VAT_CLASSES[k]}增值税", cny(v)) for k, v in q.tax.items() if v]
    pending = list(dict.fromkeys(ln.name for ln in q.to_confirm))
    if pending:  # said in the totals too: they are not the whole price; the count is of the products named
        totals.append(("数量待确认的产品（按单价列出，未计入以上合计）", f"{len(pending)} 项：{'、'.join(pending)}"))
    if q.budget is not None:
        # the monthly fee is what the monthly budget is held against; the first year against a year of it;
        # with quantities to confirm, only the part counted is (the rest is held against it once confirmed)
        within = "（已计入部分的月费在预算内，待确认项目另计）" if pending else "（月费在预算内）"
        over = f"（已计入部分的月费已超出 {cny(q.monthly_total - q.budget)}）" if pending \
            else f"（月费超出 {cny(q.monthly_total - q.budget)}）"
        totals.append(("贵单位每月预算", cny(q.budget) + (within if q.within_budget else over)))
        if q.one_off_total and q.within_budget and not q.first_year_within_budget:
            totals.append(("按每月预算折算的一年（首年合计高于此数）", cny(q.year_budget)))
    if q.current_spend is not None:
        totals.append(("目前每月通信支出", cny(q.current_spend)))
    summary = Table(("项目", "金额"), tuple(totals), (4.5, 2.7), "表：费用汇总", align=("l", "r"), keep=True)
    blocks: list = [detail, summary]
    blocks += [Para(note, "note") for note in q.notes]
    return blocks


def _alternatives_table(q) -> Table:
    rows = tuple((a.label, "、".join(a.product_names), f"{a.covered} 条", cny(a.monthly_total),
                  cny(a.first_year_total)) for a in q.alternatives)
    return Table(("方案", "包含产品", "解决需求", "每月", "首年"), rows, (1.3, 2.6, 0.8, 1.25, 1.35),
                 "表：可选方案对比", align=("l", "l", "r", "r", "r"), keep=True)
