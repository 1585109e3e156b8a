"""The presales' commands: browse, search and start case studies (cases/*.md)."""

from __future__ import annotations

import datetime as dt
import json
import re

import click

from ..cli import main, workspace_of
from ..errors import UsageError
from .catalog import (_choice, _industry, browse_catalog, browse_cases, case_status_label, clip, find_product,
                      size_label, table, text_width)


@main.group()
def cases() -> None:
    """案例库（cases/）：列出、搜索、查看案例，新建案例文件。"""


@cases.command("list")
@click.option("--industry", "-i", help="只列出这个行业的案例：manufacturing / 制造业 等。")
@click.option("--step", "-s", help="只列出这个工作流程环节的案例，如 制定方案。")
@click.option("--all", "show_all", is_flag=True, help="也列出草稿和已归档的案例。")
@click.pass_context
def cases_list(ctx: click.Context, industry: str | None, step: str | None, show_all: bool) -> None:
    """列出案例：id、标题、行业、规模、年份、工作流程环节。"""
    from ..schema import INDUSTRY_LABELS

    ind = _industry(industry) if industry else None
    step = _step(step) if step else None
    found = [c for c in browse_cases(workspace_of(ctx), include_inactive=show_all)
             if (not ind or c.industry == ind) and (not step or c.workflow_step == step)]
    if not found:
        click.echo("没有符合条件的案例。")
        return
    rows = [(c.id, c.title, INDUSTRY_LABELS[c.industry], size_label(c.size), c.year or "—", c.workflow_step)
            + ((_status(c.status),) if show_all else ()) for c in found]
    header = ("id", "标题", "行业", "规模", "年份", "环节") + (("状态",) if show_all else ())
    click.echo(table(header, rows, {1: 40}))
    click.echo(f"\n共 {len(found)} 个案例。pitchcraft cases show ID 查看全文。")


@cases.command("search")
@click.argument("words", nargs=-1)
@click.option("--industry", "-i", help="行业：manufacturing / 制造业 等。")
@click.option("--product", "-p", "products", multiple=True, help="用到的产品（id、名称或别名），可重复。")
@click.option("--size", help="客户规模：small / 小型、medium / 中型、large / 大型。")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="最多显示几个。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
def cases_search(ctx: click.Context, words: tuple[str, ...], industry: str | None, products: tuple[str, ...],
                 size: str | None, limit: int, as_json: bool) -> None:
    """按行业、产品、规模和文字（中文即可，如“工地 视频”）查找在用案例，最相关的在前。"""
    from ..schema import INDUSTRY_LABELS, SIZE_NAMES, SIZE_SHORT

    ws = workspace_of(ctx)
    ind = _industry(industry) if industry else None
    size_key = _choice(size, SIZE_NAMES, "规模", SIZE_SHORT) if size else None
    pids = [find_product(browse_catalog(ws), name).id for name in products] if products else []
    hits = search(browse_cases(ws, include_inactive=False), " ".join(words), industry=ind, products=pids,
                  size=size_key)[:limit]
    if as_json:
        click.echo(json.dumps([{"id": c.id, "title": c.title, "score": round(score, 3), "matched": matched}
                               for c, score, matched in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("没有符合条件的案例。")
        return
    for n, (c, score, matched) in enumerate(hits, 1):
        facts = [INDUSTRY_LABELS[c.industry], size_label(c.size), str(c.year or "—"), c.workflow_step]
        head = f"{n}. {c.id}  {c.title}（{'，'.join(facts)}）"
        click.echo(head + (f"  相关度 {score:.2f}" if words else ""))
        if matched:
            click.echo(f"   命中：{clip(matched, 70)}")


@cases.command("show")
@click.argument("case_id")
@click.pass_context
def cases_show(ctx: click.Context, case_id: str) -> None:
    """显示一个案例的全部内容。"""
    from ..schema import CASE_SECTION_INTERNAL, INDUSTRY_LABELS

    ws = workspace_of(ctx)
    found = {c.id: c for c in browse_cases(ws)}
    c = found.get(case_id.removesuffix(".md"))
    if c is None:
        import difflib

        close = difflib.get_close_matches(case_id, list(found), n=3, cutoff=0.4)
        hint = f"；相近的有：{'、'.join(close)}" if close else "；pitchcraft cases list 列出全部案例"
        raise UsageError(f"案例库中没有“{case_id}”{hint}")
    try:
        names = {p.id: p.name for p in browse_catalog(ws).products}
    except UsageError:
        names = {}
    scale = f"{c.employees} 人" if c.employees else "规模未填写"
    if c.sites:
        scale += f"，{c.sites} 个站点"
    out = [c.title, "",
           f"客户：{c.client_label}" + ("（已取得授权，显示真实名称）" if c.consent and c.real_name else "（脱敏名称）"),
           f"行业：{INDUSTRY_LABELS[c.industry]}；{scale}" + (f"；{c.region}" if c.region else ""),
           f"数据年份：{c.year or '未填写'}；工作流程环节：{c.workflow_step}；状态：{_status(c.status)}",
           "产品：" + "、".join(f"{names.get(pid, pid)}（{pid}）" for pid in c.products)]
    if c.needs:
        out += ["", "客户的需求："] + [f"  · {n}" for n in c.needs]
    out += ["", "成效："] + [f"  · {r}" for r in c.results]
    if c.quote:
        by = f"——{c.quote_by}" if c.quote_by else ""
        out += ["", f"客户评价：“{c.quote}”{by}" + ("（客户已同意引用）" if c.quote_consent else "（未获授权引用，不会出现在方案中）")]
    if c.sample:
        out += ["", "示例案例（sample: true）：不是真实客户，用于客户前必须换成真实案例；方案中标题后标注“（示例）”。"]
    for title, text in c.sections.items():
        note = "（内部资料：只在拜访简报中出现）" if title == CASE_SECTION_INTERNAL else ""
        out += ["", f"【{title}】{note}", text]
    out += ["", f"文件：{c.file}"]
    click.echo("\n".join(out))


@cases.command("new")
@click.argument("case_id")
@click.option("--title", "-t", default=None, help="案例标题。")
@click.option("--industry", "-i", default=None, help="行业：manufacturing / 制造业 等。")
@click.option("--product", "-p", "products", multiple=True, help="用到的产品（id、名称或别名），可重复。")
@click.option("--step", "-s", default=None, help="工作流程环节，如 制定方案。")
@click.pass_context
def cases_new(ctx: click.Context, case_id: str, title: str | None, industry: str | None,
              products: tuple[str, ...], step: str | None) -> None:
    """新建案例文件 cases/CASE_ID.md：所有字段（含授权和脱敏字段）都已列出，状态为草稿。"""
    from ..schema import INDUSTRY_LABELS

    ws = workspace_of(ctx)
    case_id = case_id.removesuffix(".md")
    if not re.fullmatch(r"[a-z][a-z0-9-]*", case_id):
        raise UsageError(f"案例 id“{case_id}”格式不对：应以小写字母开头，只含小写字母、数字和连字符，"
                         "如 mfg-three-plants-vnet")
    path = ws.cases_dir / f"{case_id}.md"
    if path.exists():
        raise UsageError(f"{path} 已存在；请换一个 id，或直接编辑这个文件")
    ind = _industry(industry) if industry else None
    catalog = browse_catalog(ws)
    pids = [find_product(catalog, name).id for name in products]
    first = next((p.id for p in catalog.products if p.active), "vpmn")
    text = scaffold(case_id, title=title, industry=ind, products=pids, step=_step(step) if step else None,
                    default_product=first)
    try:
        ws.cases_dir.mkdir(exist_ok=True)
        with open(path, "x", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise UsageError(f"无法写入 {path}：{exc.strerror}") from None
    click.echo(f"已新建 {path}（行业：{INDUSTRY_LABELS[ind] if ind else '待填写'}）。")
    click.echo("请填写所有标有“【待填写】”的地方；写完后把 status 改为 active，再运行 pitchcraft catalog validate。")


# --- search -----------------------------------------------------------------------------------


def search(cases, text: str, *, industry: str | None = None, products: list[str] = (), size: str | None = None
           ) -> list[tuple[object, float, str]]:
    """Cases passing the filters, ranked by how much of ``text`` they share (character n-grams).

    Each case is indexed field by field (title, needs, results, body sections), with the matcher's
    IDF-weighted index; a case scores its best field plus a little for every other field that
    shares words, so a case that answers the query in several places comes first. Returns
    ``(case, score, best matching text)``; without text, every filtered case in id order.
    """
    from ..match.index import Doc, Index

    pool = [c for c in cases
            if (not industry or c.industry == industry) and all(p in c.products for p in products)
            and (not size or c.size == size)]
    if not text.strip():
        return [(c, 0.0, "") for c in sorted(pool, key=lambda c: c.id)]
    docs: list[Doc] = []
    for k, c in enumerate(pool):
        owner = str(k)
        docs.append(Doc(owner, c.title, 1.0))
        docs += [Doc(owner, n, 1.0) for n in c.needs]
        docs += [Doc(owner, r, 0.8) for r in c.results]
        docs += [Doc(owner, s, 0.7) for s in c.sections.values() if s]
        docs.append(Doc(owner, f"{c.client_label} {c.region or ''}", 0.5))
    index = Index(docs)
    best: dict[int, tuple[float, str]] = {}
    fields: dict[int, int] = {}
    for i, score in index.search(text).items():
        doc = index.docs[i]
        k = int(doc.owner)
        score *= doc.weight
        fields[k] = fields.get(k, 0) + 1
        if score > best.get(k, (0.0, ""))[0]:
            best[k] = (score, doc.text)
    ranked = [(pool[k], score + 0.02 * (fields[k] - 1), matched) for k, (score, matched) in best.items()
              if score >= 0.05]
    ranked.sort(key=lambda hit: (-hit[1], hit[0].id))
    return ranked


# --- the scaffold -----------------------------------------------------------------------------


def scaffold(case_id: str, *, title: str | None = None, industry: str | None = None, products: list[str] = (),
             step: str | None = None, default_product: str = "vpmn", year: int | None = None) -> str:
    """A new case file with every field, the consent fields and the body sections, as a draft.

    The file is valid as it stands (a draft is never cited, so ``catalog validate`` passes); every
    value still to be written is marked 【待填写】, and an active case that still contains the mark
    is refused.
    """
    from ..schema import CASE_SECTIONS, PLACEHOLDER, WORKFLOW_STEPS

    todo = PLACEHOLDER
    year = year or dt.date.today().year

    def pad(text: str) -> str:
        return text + " " * max(1, 38 - text_width(text))

    def field(key: str, value: str, note: str, given: bool = False) -> str:
        return pad(f"{key}: {value}") + f"# {'' if given else todo}{note}"

    # the first four are what a client reads; 内部复盘 only the visit brief reads
    sections = {
        "客户背景": f"{todo}客户是谁：行业、规模、地区、站点、已在用的业务。只写客户的情况。",
        "面临的挑战": f"{todo}客户原来的做法、遇到的问题和代价（尽量有数字），用客户自己认同的说法。",
        "解决方案": f"{todo}每个产品一条，写它为客户解决什么、怎么用：\n\n- **产品名称**：做法\n\n再写分几步实施。",
        "实施成效": f"{todo}客户取得的成效，每条带数字和数据来源，与头信息的 results 一致：\n\n"
                    "- 如：内部通话费用每月下降约 30%（上线前后各三个月的话费账单对比）",
        "内部复盘": f"{todo}只给客户经理看（拜访简报会引用，方案中不出现）：需求是怎么发现的、关键人、"
                    "怎么做成的、可复用的做法、待核实的地方。没有可写的就删除这一节。",
    }
    assert tuple(sections) == CASE_SECTIONS
    lines = [
        "---",
        field("id", case_id, "与文件名一致", given=True),
        field("title", _quoted(title or "新案例"), "一句话标题，如：三个厂区一张网：精密制造企业内部通话降本", bool(title)),
        field("status", "draft", "草稿不会被方案引用；写完后改为 active，不再使用时改为 archived", given=True),
        "client:",
        field("  display_name", _quoted("某企业"), "脱敏名称，如：华南某精密制造企业；没有授权时方案里只显示它"),
        field("  real_name", "null", "客户真实名称：只有取得客户书面授权后才能填写", given=True),
        field("  consent", "false", "取得授权后改为 true；否则标题、正文、需求、成效中都不能出现真实名称", given=True),
        field("industry", industry or "manufacturing", "行业键或中文名，如 制造业", bool(industry)),
        field("employees", "null", "员工人数", given=True),
        field("sites", "null", "办公点、厂区或门店数", given=True),
        field("region", "null", "地区，如 深圳", given=True),
        field("year", str(year), "成效数据的测量年份；超过 3 年会提示更新"),
        field("products", f"[{', '.join(products or [default_product])}]", "产品 id，见 pitchcraft catalog list",
              bool(products)),
        pad("needs:") + "# 客户说的原话",
        pad(f"  - {_quoted('客户的一句原话')}") + f"# {todo}",
        field("workflow_step", step or WORKFLOW_STEPS[2], "、".join(WORKFLOW_STEPS), bool(step)),
        pad("results:") + "# 可量化的成效，每条带数字",
        pad(f"  - {_quoted('如：内部通话费用每月下降约 30%')}") + f"# {todo}",
        field("quote", "null", "客户的一句原话（客户评价），不写人名", given=True),
        field("quote_consent", "false", "客户同意在方案中引用这句话后改为 true；否则只在内部可见", given=True),
        field("quote_by", "null", "说这句话的人的职务，如 信息中心主任", given=True),
        field("sample", "false", "编写的示例（不是真实客户）时改为 true：方案中会标注（示例）", given=True),
        field("waivers", "[]", "确需保留的提示及理由：- {rule: case-sales-story, term: 词, reason: 理由}", given=True),
        "---",
    ]
    for name, hint in sections.items():
        lines += [f"## {name}", "", hint, ""]
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _step(value: str) -> str:
    from ..schema import WORKFLOW_STEPS

    return _choice(value, {s: s for s in WORKFLOW_STEPS}, "工作流程环节", {s: "" for s in WORKFLOW_STEPS})


def _status(status: str) -> str:
    return case_status_label(status)

