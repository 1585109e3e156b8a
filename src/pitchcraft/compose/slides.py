"""The pitch deck's slides, with the speaker notes the manager reads before the visit.

One message per slide, each slide a kind the reference deck has a designed layout for (title, big
numbers, the client's words against our answer, the client's network, a case's figures, the
investment, next steps). The notes of a product slide bring the client's own words, the key persons
who care about it and how to address them (role and attitude guidance from ``pitch/notes.yaml``),
the product's likely questions with their answers (catalog ``faq``) and what to ask next.
"""

from __future__ import annotations

from dataclasses import replace
import re

import yaml

from ..errors import RenderError
from ..match import Recommendation
from ..model.case import SAMPLE_MARK
from ..model.money import cny
from ..model.spec import _type_name
from ..model.vocab import ATTITUDES, CATEGORIES, ROLES
from . import headline
from .options import option_texts
from .textblocks import render_text
from .context import _TROUBLE, _product_ctx, cn_date
from .model import Answer, Architecture, Chart, Figure, Slide
from ..model.vocab import industry_group
from ..yamlsrc import safe_load

# A product the manager added, with no words of the client's: said as what it is, in both documents.
NOT_ASKED = "这一项不是贵单位在沟通中提出的，是我们结合贵单位情况补充的建议，供您参考。"
MAX_QUOTES = 3          # client statements on one product slide
MAX_CARD_NEEDS = 12     # statements on one needs slide


def _notes(env, name: str, ctx: dict) -> str:
    return render_text(env, f"pitch/{name}", ctx).strip()


def compose_slides(rec: Recommendation, env, ctx: dict, title: str, offer=None,
                   arch: Architecture | None = None, plan=None) -> list[Slide]:
    """``plan`` is the proposal's :class:`~.plan.Plan`: the next-steps slide shows its first steps."""
    p = rec.profile
    guide = _guidance(env)
    issuer = f"{ctx['issuer']['full_name']} {ctx['issuer']['department']}"
    areas = [g["label"] for g in ctx["needs"] if g["key"] in CATEGORIES]
    subtitle = (f"{'、'.join(areas)}解决方案" if 0 < len(areas) <= 2 else "通信与信息化解决方案")
    deciders = [f"{c.name} {c.title}" if c.title else c.name for c in p.contacts if c.role == "decision_maker"]
    to = f"呈送：{'、'.join(deciders)}\n" if deciders else ""
    slides = [Slide("title", p.name, f"{subtitle}\n{to}{issuer}\n{ctx['date']}",
                    notes=_notes(env, "title.j2", dict(ctx, persons=_people(p.contacts, guide, None, 0))))]
    slides.append(_figures_slide(rec, env, ctx))
    slides += _needs_slides(rec, env, ctx)
    if rec.all_products:  # no network of "0 个产品" to draw
        slides.append(_architecture_slide(rec, env, ctx, arch))
    quoted_on: dict[str, int] = {}  # a statement -> the number of the first product slide quoting it
    for i, m in enumerate(rec.all_products):
        slide = _answer_slide(m, i, rec, env, ctx, guide, offer)
        a = slide.answer
        if a.words_label == "您的原话":
            earlier = {quoted_on.get(q) for q in a.quotes}
            if None not in earlier and len(earlier) == 1:
                slide = replace(slide, answer=replace(a, also_on=earlier.pop()))
            for q in a.quotes:
                quoted_on.setdefault(q, len(slides) + 1)
        slides.append(slide)
    for c in rec.cases:
        slides.append(_case_slide(c, env, ctx))
    if offer is not None and offer.lines:
        slides.append(_investment_slide(offer, p.contacts, env, ctx, guide))
    contact = _notes(env, "contact.j2", ctx)
    if plan is not None:
        slides.append(_next_steps_slide(plan, env, ctx, contact))
    slides.append(Slide("closing", "谢谢！", contact, notes=_notes(env, "closing.j2", ctx)))
    return slides


def next_steps(plan) -> list:
    """The plan's first steps as the deck shows them: confirmation, agreement, then the first
    milestone (the next phase when there is none), each by the end date the proposal's table gives."""
    phases = list(plan.phases[:2])
    third = plan.milestone or next((ph for ph in plan.phases[2:]), None)
    if third is not None:
        phases.append(third)
    return phases


def _next_steps_slide(plan, env, ctx: dict, contact: str) -> Slide:
    steps = [(cn_date(ph.end) + "前", f"{ph.name}：{_gist(ph.what)}") for ph in next_steps(plan)]
    return Slide("next_steps", f"下一步：{steps[0][0]}{plan.phases[0].name}", contact, steps=steps,
                 notes=_notes(env, "next_steps.j2", ctx))


def _gist(text: str, limit: int = 30) -> str:
    """A phase's work as a slide's step says it: its first clause, cut after a whole item (、) if long."""
    first = re.split(r"[，；。（]", text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first.rfind("、", 0, limit)
    return first[:cut] + "等" if cut > 0 else first[:limit - 1] + "…"


# --- the slides ------------------------------------------------------------------------------

def _figures_slide(rec: Recommendation, env, ctx: dict) -> Slide:
    p = rec.profile
    words = ctx["words"]
    total, unmatched = len(p.statements()), len(rec.open_needs)
    answered = total - unmatched
    figures = []
    if p.employees:
        figures.append(Figure(f"{p.employees:,}", f"名{words['staff']}", "person"))
    if p.sites and p.sites > 1:  # "1 个院区" tells the client nothing
        # 站点, as the figure and its table count them (the headquarters is one: 总部和 11 个门店)
        figures.append(Figure(str(p.sites), "个站点", "building"))
    # short enough for one line under the figure ("条需求，涉及 4 个方面" left 面 alone on a second)
    figures.append(Figure(str(total), f"条需求，{len(ctx['needs'])} 个方面", "need"))
    if answered:  # "0 条有对应的通信产品" on a big panel tells the client nothing
        figures.append(Figure(str(answered), "条有对应的通信产品", "check"))
    if len(figures) < 4 and rec.all_products:
        figures.append(Figure(str(len(rec.all_products)), "个产品组成本方案", "product"))
    if not answered:
        title = f"您提出的 {total} 件事：逐条记下，待进一步沟通"
    else:
        title = f"您提出的 {total} 件事：{answered} 件有对应方案"
        if unmatched:
            title += f"，{unmatched} 件待进一步沟通"
    caption = ("已在使用：" + "、".join(ctx["client"]["current"])) if ctx["client"]["current"] else ""
    # under the figures, the need areas they count, each with its count and what became of it
    return Slide("figures", title, figures=figures[:4], caption=caption, cards=_need_cards(rec, ctx, _routes(env)),
                 notes=_notes(env, "situation.j2", ctx))


def _need_cards(rec: Recommendation, ctx: dict, routes: dict[str, str] | None = None) -> list[tuple[str, list]]:
    """(need area, [(statement's heading, answered)]) in the proposal's order: answered True; not a
    telecom matter False; to talk over further (no 明确 link yet) None; handed to another of our
    departments, the short words saying so (``pitch/routes.yaml`` by the statement's cue: a
    coverage complaint "转网络维护测试", as the proposal's 待进一步沟通 says, not a need with no
    product)."""
    open_needs, outside = set(rec.open_needs), set(rec.unmatched)
    routed = {q["statement"]: (routes or {}).get(q["route"]["key"]) for g in ctx.get("analysis", ())
              for q in g["quotes"] if q.get("route")}

    def state(s: str):
        if s not in open_needs:
            return True
        return routed.get(s) or (False if s in outside else None)
    # each by its heading, as in the proposal's analysis: a slide is read from across the table
    return [(g["label"], [(quoted(s), state(s)) for s in g["statements"]]) for g in ctx["needs"]]


def _routes(env) -> dict[str, str]:
    """``pitch/routes.yaml``: a cue's key -> the words a needs card says of a statement handed on."""
    try:
        source, filename, _uptodate = env.loader.get_source(env, "pitch/routes.yaml")
    except Exception:
        return {}
    try:
        data = safe_load(source)
    except yaml.YAMLError as exc:
        raise RenderError(f"{filename}: 无法解析：{getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                             for k, v in data.items()):
        raise RenderError(f"{filename}: 应为“需求类别: 括注”的键值对，括注为非空文字")
    return {k: v.strip() for k, v in data.items()}


def _needs_slides(rec: Recommendation, env, ctx: dict) -> list[Slide]:
    """The client's statements by need area, each marked answered or not; split over two slides
    when there are more than a slide holds."""
    cards = _need_cards(rec, ctx, _routes(env))
    pages: list[list] = [[]]
    count = 0
    for label, items in cards:
        for start in range(0, len(items), MAX_CARD_NEEDS):
            chunk = items[start:start + MAX_CARD_NEEDS]
            if pages[-1] and (count + len(chunk) > MAX_CARD_NEEDS or len(pages[-1]) == 4):
                pages.append([])
                count = 0
            pages[-1].append((label, chunk))
            count += len(chunk)
    notes = _notes(env, "needs.j2", ctx)
    return [Slide("needs", "我们听到的需求：您的原话" + ("（续）" if i else ""), cards=page,
                  notes=notes if not i else "接上页，继续逐条确认客户的原话。")
            for i, page in enumerate(pages)]


def _architecture_slide(rec: Recommendation, env, ctx: dict, arch: Architecture | None = None) -> Slide:
    """``arch``: the proposal's own (its layers from architecture.yaml); by need area without one."""
    p = rec.profile
    words = ctx["words"]
    if arch is None:
        by_cat: dict[str, list[str]] = {}
        for m in rec.all_products:
            by_cat.setdefault(m.product.category, []).append(m.product.name)
        arch = Architecture(p.sites, p.employees, tuple(by_cat.get("basic_comms", ())),
                            tuple(by_cat.get("production_control", ())), tuple(by_cat.get("mobile_office", ())),
                            tuple(by_cat.get("marketing", ())), hq=words["hq"], site_label=words["site"])
    arch = replace(arch, staff=words["staff"], served=words["served"])
    if p.sites and p.sites > 1:
        # as the figure draws them: the headquarters is one of the sites (总部、门店 1 … 其余 9 个门店)
        title = f"{arch.hq}和 {p.sites - 1} 个{arch.site_label}：{len(rec.all_products)} 个产品连成一张网"
    elif len(rec.all_products) == 1:  # "1 个产品，一张网" on one site promised a network it does not draw
        title = f"整体方案：{rec.all_products[0].product.name}"
    else:
        title = f"整体方案：{len(rec.all_products)} 个产品，一张网"
    return Slide("architecture", title, architecture=arch, notes=_notes(env, "solution_map.j2", ctx))


def tariff_for(product, offer=None) -> str:
    """The product's tariff sentence as a page shows it next to this quote: of a sentence in parts
    ("手持数据终端 …；车载定位终端 …") only the parts naming an item the quote prices (handhelds
    for meter readers were shown with the vehicle terminal's rows); the whole sentence when the
    quote names none of them, or has no line of the product."""
    parts = [x for x in product.tariff_summary.split("；") if x.strip()]
    items = {ln.item.split("（")[0].strip() for ln in getattr(offer, "lines", ()) if ln.product_id == product.id}
    if len(parts) < 2 or not items:
        return product.tariff_summary
    kept = [x for x in parts if any(item and item in x for item in items)]
    return "；".join(kept) if kept else product.tariff_summary


def _answer_slide(m, index: int, rec: Recommendation, env, ctx: dict, guide: dict, offer=None) -> Slide:
    product = m.product
    name = product.name + ("（现有业务扩容）" if m.existing else "")
    heading = headline.message(m) or name  # the title says what it does here; the panel names it
    quotes = tuple(sm.statement for sm in m.statements)[:MAX_QUOTES]
    label = "您的原话"
    if not quotes:  # added by the manager: no words of the client's to show, and none invented
        label, quotes = "补充建议", (NOT_ASKED,)
    options = option_texts(env, m, short=True)  # another way to the same need, not priced: a note, not a benefit
    points = tuple(product.benefits[:3 - min(len(options), 1)])  # the note takes the third point's room
    answer = Answer(quotes, name, product.summary, points, tariff_for(product, offer),
                    CATEGORIES.get(product.category, ""), words_label=label, option=options[0] if options else "")
    pctx = _product_ctx(m)
    pctx["faq"] = [{"q": q, "a": a} for q, a in product.faq[:3]]
    pctx["ask"] = guide["ask"].get(product.category, guide["ask"]["default"])
    pctx["persons"] = _people(rec.profile.contacts, guide, product.category, index)
    return Slide("answer", heading, answer=answer, notes=_notes(env, "product.j2", dict(ctx, product=pctx)))


def _case_slide(c, env, ctx: dict) -> Slide:
    case = c.case
    figures = [Figure(_headline(r), r) for r in case.results[:3]]
    facts = [x for x in (case.region, f"{case.employees} 人" if case.employees else None,
                         f"{case.sites} 个地点" if case.sites else None, f"{case.year} 年" if case.year else None) if x]
    cctx = dict(ctx, case={"title": case.title, "client": case.client_label, "results": list(case.results),
                           "reasons": c.reasons})
    who = case.client_label
    if c.other_industry:  # introduced as another industry's case, never passed off as the client's own
        who = f"其他行业的参考案例：{industry_group(case.industry)} · {who}"
    mark = SAMPLE_MARK if case.sample else ""  # an invented case says so
    return Slide("case", "案例：" + _case_title(case.title, 30 - len(mark)) + mark, f"{who}\n{' · '.join(facts)}",
                 figures=figures, notes=_notes(env, "case.j2", cctx))


def _investment_slide(offer, contacts, env, ctx: dict, guide: dict) -> Slide:
    """Monthly, one-off and first-year totals as big numbers; a chart of where the first year's
    money goes, only when there is more than one product to compare, without zero bars."""

    pending = list(dict.fromkeys(ln.name for ln in offer.to_confirm))
    part = "（已计价部分）" if pending else ""  # a figure without the lines to confirm says so under it
    figures = [Figure(cny(offer.monthly_total), "每月" + part),
               Figure(cny(offer.one_off_total) if offer.one_off_total else "无", "一次性"),
               Figure(cny(offer.first_year_total), "首年合计" + part)]
    notes_line = "含税目录价"
    if offer.budget:  # the monthly fee against the monthly budget; one-off costs said apart, as in the proposal
        share = offer.monthly_total / offer.budget * 100
        fee = "已计入部分的月费" if pending else "月费"  # lines to confirm are in no figure here
        notes_line += (f"；{fee}约占贵单位每月预算 {cny(offer.budget)} 的 {share:.1f}%" if offer.within_budget
                       else f"；{fee}超出贵单位每月预算 {cny(offer.budget)} {cny(offer.monthly_total - offer.budget)}")
        if offer.one_off_total:
            notes_line += f"；一次性费用 {cny(offer.one_off_total)} 另计，不在月费之内"
            if offer.within_budget and not offer.first_year_within_budget:
                notes_line += f"，首年合计高于按每月预算折算的一年 {cny(offer.year_budget)}"
    if offer.current_spend is not None:
        notes_line += f"；目前每月通信支出 {cny(offer.current_spend)}"
    if pending:  # priced per unit in the proposal, in no figure here
        notes_line += (f"；不含数量待确认的{'、'.join(pending)}，按单价另计"
                       + ("，确认数量后再对照预算" if offer.budget else ""))
    per_product: dict[str, list] = {}
    for ln in offer.lines:
        # a product with a quantity to confirm is only partly in the chart: its bar says so
        name = f"{ln.name}（部分待确认）" if ln.name in pending else ln.name
        monthly, one_off = per_product.setdefault(name, [0, 0])
        if ln.billing == "monthly":
            per_product[name][0] = monthly + ln.monthly - ln.discount
        else:
            per_product[name][1] = one_off + ln.one_off - ln.discount
    rows = sorted(((name, float(a) * 12, float(b)) for name, (a, b) in per_product.items() if a or b),
                  key=lambda r: r[1] + r[2])
    chart = None
    if len(rows) > 1:
        series = [("月费 × 12 个月", tuple(r[1] for r in rows))]
        if any(r[2] for r in rows):
            series.append(("一次性费用", tuple(r[2] for r in rows)))
        chart = Chart(tuple(r[0] for r in rows), tuple(series), "首年费用构成（元）", money=True, stacked=True)
    lines = [] if chart is not None else [_price_line(ln) for ln in offer.lines]  # one product: its items
    title = _investment_title(offer, pending)
    persons = _people(contacts, guide, "pricing", 0)
    return Slide("investment", title, figures=figures, chart=chart, caption=notes_line, lines=lines,
                 notes=_notes(env, "pricing.j2", dict(ctx, persons=persons)))


def _investment_title(offer, pending: list[str]) -> str:
    """The investment slide's message: the totals when every line is priced; else what is priced
    and how many items are still to be quantified (gas: "每月 ¥350.00，首年合计 ¥5,792.00" with
    three of four products to confirm told a 总经理 the plan costs next to nothing)."""
    totals = f"每月 {cny(offer.monthly_total)}，首年合计 {cny(offer.first_year_total)}"
    if not pending:
        return totals
    items = len(offer.to_confirm)
    if not offer.monthly_total and not offer.one_off_total:
        return f"费用待确认：{items} 项数量确认后按单价核算"
    priced = list(dict.fromkeys(ln.name for ln in offer.lines if not ln.to_confirm))
    whole = [n for n in priced if n not in pending]
    who = "、".join(whole) if whole == priced and len(whole) <= 2 else "已计价部分"
    money = (f"每月 {cny(offer.monthly_total)}" if offer.monthly_total
             else f"一次性 {cny(offer.one_off_total)}")
    return f"{who}{money}；另有 {items} 项待确认数量，未计入"


def _price_line(ln) -> tuple[str, str, str]:
    """A quote line as the investment slide lists it: the item, how it is counted, what it adds."""
    if ln.to_confirm:
        return ln.item, f"数量待确认 × {cny(ln.unit_price)}", "未计入"
    count = f"{ln.quantity} × {cny(ln.unit_price)}"
    return ln.item, count, f"{cny(ln.monthly)}/月" if ln.billing == "monthly" else f"{cny(ln.one_off)} 一次性"


# --- speaker-note guidance -------------------------------------------------------------------

_GUIDE_CACHE: dict[str, dict] = {}


def _guidance(env) -> dict:
    """``pitch/notes.yaml`` (workspace first, like every template), parsed once per source."""
    try:
        source, filename, _uptodate = env.loader.get_source(env, "pitch/notes.yaml")
    except Exception:
        raise RenderError("找不到演讲备注指引文件 pitch/notes.yaml") from None
    if source not in _GUIDE_CACHE:
        try:
            data = safe_load(source)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            raise RenderError(f"{filename}{where}: 无法解析：{getattr(exc, 'problem', exc)}") from None
        if not isinstance(data, dict):
            raise RenderError(f"{filename}: 演讲备注指引应为键值对（roles、attitudes、ask 三部分），"
                              f"实际是{_type_name(data)}")
        problems = [key for key in ("roles", "attitudes", "ask") if not isinstance(data.get(key), dict)]
        if problems:
            raise RenderError(f"{filename}: 缺少或格式不对的部分：{'、'.join(problems)}")
        missing = [k for k in (*ROLES, "other") if k not in data["roles"]] + \
                  [k for k in ATTITUDES if k not in data["attitudes"]] + (["default"] if "default" not in data["ask"] else [])
        if missing:
            raise RenderError(f"{filename}: 缺少条目：{'、'.join(missing)}")
        _GUIDE_CACHE[source] = data
    return _GUIDE_CACHE[source]


def _people(contacts, guide: dict, topic: str | None, index: int, limit: int = 2) -> list[dict]:
    """The key persons who care about ``topic`` (a need area, "pricing", or None: everyone), each
    with what they weigh and how to address them; the opposed first, then the deciders, at most
    ``limit`` on a slide (the others take turns). ``index`` (the slide's number among its kind)
    rotates the attitude advice, so that neither two slides nor two persons repeat it word for word."""
    chosen = []
    for c in contacts:
        role = c.role if c.role in ROLES else "other"
        spec = guide["roles"].get(role) or guide["roles"]["other"]
        cares = spec.get("cares", [])
        if topic is not None and cares != "all" and topic not in cares:
            continue
        attitude = c.attitude if c.attitude in ATTITUDES else None
        rank = 0 if attitude == "opposed" else 1 if role == "decision_maker" else 2
        tags = "，".join(x for x in (c.title, ROLES.get(role, ""), ATTITUDES.get(attitude or "", "")) if x)
        chosen.append((rank, attitude, {
            "label": f"{c.name}（{tags}）" if tags else c.name, "name": c.name, "title": c.title or "",
            "role": ROLES.get(role, ""), "attitude": ATTITUDES.get(attitude or "", ""),
            "weighs": spec.get(topic or "default") or spec.get("default", ""),
        }))
    chosen.sort(key=lambda x: x[0])
    if topic is not None and len(chosen) > limit:
        rest = chosen[1:]
        chosen = [chosen[0]] + [rest[(index + k) % len(rest)] for k in range(limit - 1)]
    people = []
    for k, (_rank, attitude, person) in enumerate(chosen):
        tips = guide["attitudes"].get(attitude, []) if attitude else []
        people.append(dict(person, how=tips[(index + k) % len(tips)] if tips else ""))
    return people


# --- helpers ---------------------------------------------------------------------------------

_UNITS = r"(?:%|万元|万户|万人|万条|万次|万|元|小时|分钟|天|人次|个|户|家|起|次|倍|秒|条|台|名|人|场|年)"
_NUMBER = re.compile(r"(?:(?<![续签合节])约\s*)?\d[\d,.]*\s*(?:多\s*)?" + _UNITS + "?")
_FROM_TO = re.compile(r"由[^\d，,到至]{0,6}?(\d[^到，,]*?)\s*(?:提高|提升|缩短|降低|下降|减少|增加|降|升)?(?:到|(?<=[降升高短少加])至)"
                      r"[^\d，,]{0,2}?(\d[\d,.]*\s*\S*|当天|当日|当场|实时)")
_WITHIN = re.compile(r"\d[\d,.]*\s*(?:分钟|小时|天|秒)内")


def _headline(result: str) -> str:
    """A case result's figure for a big number: "41% → 58%" for "由 41% 提升到 58%", else its
    last percentage, else a time it was done within ("30 分钟内"), else its last figure."""
    m = _FROM_TO.search(result)
    if m:
        ends = []
        for g in m.groups():
            g = g.strip()
            if "至" in g and len(g) <= 8:  # a range: "1 至 2 天"
                ends.append(g)
                continue
            n = _NUMBER.match(g) or re.match(r"当天|当日|当场|实时", g)
            ends.append(n.group(0).strip() if n else None)
        if all(ends):
            approx = "约 " if re.search(r"由[^\d，,]{0,6}约", result) and not ends[0].startswith("约") else ""
            return f"{approx}{ends[0]} → {ends[1]}"
    found = [m.group(0).strip() for m in _NUMBER.finditer(result)]
    percent = [f for f in found if f.endswith("%")]
    within = _WITHIN.search(result)
    if not percent and within:
        return within.group(0)
    return (percent or found or ["√"])[-1]


def _case_title(title: str, limit: int) -> str:
    """A case's title as a slide title fits it: whole, else its hook (a case title reads
    "hook：who and what", and the slide's first line names the client), cut only if even that is
    too long."""
    hook = title.split("：", 1)[0]
    return title if len(title) <= limit else _short(hook, limit)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_MARKS = "，,。；;！？!?、"
STUB = 12  # a quote's kept beginning shorter than this is a stub, not the client's point
_PIECES = re.compile(r"[^，,。；;！？!?]+[，,。；;！？!?]*")


def quoted(statement: str, limit: int | None = None) -> str:
    """A client's statement as a document quotes it as their words: whole when it is ``limit``
    characters or shorter (or no limit is given), else shortened only where the client's own
    punctuation ends a clause, with "……" wherever words are left out. The leading clauses that fit
    are kept; when they only set the scene ("行长出差的时候") and a later clause says what goes
    wrong, the first clause and that one are kept ("行长出差的时候，……合规那边一直有意见"). Nothing is
    ever cut inside a clause, nor clauses joined by a mark the client did not say ("：")."""
    text = statement.strip()
    if limit is None or len(text) <= limit:
        return text  # whole, as said (its full stop too)
    text = text.rstrip("。.")
    pieces = _PIECES.findall(text)
    kept, used = [], 0
    for piece in pieces:
        # a scene alone ("行长出差的时候") is a stub: a short first part takes the next clause anyway
        if kept and used + len(piece.rstrip(_MARKS)) > limit and used >= STUB:
            break
        kept.append(piece)
        used += len(piece)
    head = "".join(kept).rstrip(_MARKS)
    if not _TROUBLE.search(head):
        trouble = next((k for k in range(len(kept), len(pieces)) if _TROUBLE.search(pieces[k])), None)
        if trouble is not None:
            first = pieces[0].rstrip(_MARKS)
            said = pieces[trouble].rstrip(_MARKS)
            if len(first) + 2 + len(said) <= max(limit, len(head)) + 6:
                gap = "……" if trouble > 1 else pieces[0][len(first):] or "，"
                return f"{first}{gap}{said}" + ("……" if trouble < len(pieces) - 1 else "")
    return head + ("……" if len(kept) < len(pieces) else "")
