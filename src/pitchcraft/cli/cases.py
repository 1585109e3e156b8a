"""The presales' commands: browse, search and start case studies (cases/*.md)."""

from __future__ import annotations

import json
import re

import click

from .app import main, workspace_of
from ..errors import UsageError
from ..reading import is_device_name, os_reason
from .catalog import (_choice, _industry, browse_catalog, browse_cases, case_status_label, clip, find_product,
                      size_label, table)


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
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import INDUSTRY_LABELS

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
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import INDUSTRY_LABELS, SIZE_NAMES, SIZE_SHORT

    ws = workspace_of(ctx)
    ind = _industry(industry) if industry else None
    size_key = _choice(size, SIZE_NAMES, "规模", SIZE_SHORT) if size else None
    pids = [find_product(browse_catalog(ws), name).id for name in products] if products else []
    from ..prep.cases import search  # deferred: the matcher

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
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.case import CASE_SECTION_INTERNAL
    from ..model.vocab import INDUSTRY_LABELS

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
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import INDUSTRY_LABELS

    ws = workspace_of(ctx)
    case_id = case_id.removesuffix(".md")
    if not re.fullmatch(r"[a-z][a-z0-9-]*", case_id):
        raise UsageError(f"案例 id“{case_id}”格式不对：应以小写字母开头，只含小写字母、数字和连字符，"
                         "如 mfg-three-plants-vnet")
    if is_device_name(case_id):
        raise UsageError(f"案例 id“{case_id}”是 Windows 保留的设备名（CON、NUL、COM1 等），这样的文件在 Windows 上"
                         "无法打开；请换一个 id，如 {case_id}-case".replace("{case_id}", case_id))
    path = ws.cases_dir / f"{case_id}.md"
    if path.exists():
        raise UsageError(f"{path} 已存在；请换一个 id，或直接编辑这个文件")
    ind = _industry(industry) if industry else None
    catalog = browse_catalog(ws)
    pids = [find_product(catalog, name).id for name in products]
    first = next((p.id for p in catalog.products if p.active), "vpmn")
    from ..prep.cases import scaffold  # deferred: pyyaml (via the model)

    text = scaffold(case_id, title=title, industry=ind, products=pids, step=_step(step) if step else None,
                    default_product=first)
    try:
        ws.cases_dir.mkdir(exist_ok=True)
        with open(path, "x", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise UsageError(f"无法写入 {path}：{os_reason(exc)}") from None
    click.echo(f"已新建 {path}（行业：{INDUSTRY_LABELS[ind] if ind else '待填写'}）。")
    click.echo("请填写所有标有“【待填写】”的地方；写完后把 status 改为 active，再运行 pitchcraft catalog validate。")


def _step(value: str) -> str:
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import WORKFLOW_STEPS

    return _choice(value, {s: s for s in WORKFLOW_STEPS}, "工作流程环节", {s: "" for s in WORKFLOW_STEPS})


def _status(status: str) -> str:
    return case_status_label(status)

