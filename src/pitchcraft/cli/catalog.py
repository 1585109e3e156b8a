"""The product manager's and presales' commands: the catalog, the product map, editor schemas.

Browsing (``list``, ``show``) is lenient: a catalog with mistakes is still shown, minus its broken
products, with a note pointing to ``catalog validate``. Checking (``validate``) reports everything.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import replace
from pathlib import Path

import click

from .app import main, workspace_of
from ..model.display import clip, display_width
from ..workspace import packaged_templates
from ..errors import Problem, UsageError
from ..reading import not_regular, os_reason


# --- terminal output: aligned for Chinese, whose characters take two columns --------------------


def table(header: tuple[str, ...], rows: list[tuple[str, ...]], widths: dict[int, int] | None = None) -> str:
    """Rows as aligned columns; ``widths`` caps some columns (longer text is clipped)."""
    widths = widths or {}
    rows = [tuple(clip(str(c), widths[i]) if i in widths else str(c) for i, c in enumerate(r)) for r in rows]
    cols = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, cols)).rstrip()

    return "\n".join([line(header), line(tuple("─" * w for w in cols)), *map(line, rows)])


def shown_path(path: Path | str) -> str:
    """A file as the person at the terminal typed it: relative to the current folder when inside it."""
    path = Path(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _shown(problem: Problem) -> Problem:
    return replace(problem, file=shown_path(problem.file))


# --- content for browsing ---------------------------------------------------------------------


def browse_catalog(ws):
    """The catalog's valid products, with a note on stderr when some are left out."""
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..content.lint import read_catalog

    result = read_catalog(ws.catalog_file)
    if result.catalog is None:
        first = _shown(next(p for p in result.problems if p.severity == "error"))
        raise UsageError(f"产品目录无法读取：{first}；请先修正（pitchcraft catalog validate 列出全部问题）")
    errors = [p for p in result.problems if p.severity == "error"]
    if errors:
        click.echo(f"注意：产品目录有 {len(errors)} 个错误，出错的产品不在下面列出；"
                   "运行 pitchcraft catalog validate 查看详情。", err=True)
    return result.catalog


def browse_cases(ws, *, include_inactive: bool = True):
    """Every readable case (draft and archived too, unless asked otherwise), with a note on broken files."""
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..content.lint import case_files, read_case

    files = [read_case(p) for p in case_files(ws.cases_dir)]
    broken = [cf for cf in files if cf.case is None]
    if broken:
        names = "、".join(cf.path.name for cf in broken[:5]) + (" 等" if len(broken) > 5 else "")
        click.echo(f"注意：{len(broken)} 个案例文件有错误，未列出（{names}）；运行 pitchcraft catalog validate 查看详情。",
                   err=True)
    return [cf.case for cf in files if cf.case and (include_inactive or cf.case.active)]


def find_product(catalog, name: str):
    product = catalog.resolve(name)
    if product is None:
        candidates = [p.id for p in catalog.products] + [n for p in catalog.products for n in p.names]
        close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
        hint = f"；相近的有：{'、'.join(close)}" if close else "；pitchcraft catalog list 列出全部产品"
        raise UsageError(f"产品目录中没有“{name}”（可用 id、名称或别名）{hint}")
    return product


# --- commands ---------------------------------------------------------------------------------


@main.group()
def catalog() -> None:
    """产品目录（catalog/products.yaml）和案例库（cases/）：检查、浏览、产品图谱。"""


@catalog.command("validate")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式；json 供 CI 等程序读取。")
@click.option("--max-case-age", type=click.IntRange(min=0), default=3, show_default=True,
              help="案例数据超过多少年算过时（case-stale 提示）。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="读取案例的进程数，默认为 CPU 核数。")
@click.pass_context
def catalog_validate(ctx: click.Context, fmt: str, max_case_age: int, jobs: int | None) -> None:
    """检查产品目录和案例库。

    每个问题一行：文件:行:列: error|warning: 字段: 说明 [规则]。有错误（error）时退出码为 1，
    只有提示（warning）时为 0。规则说明见 pitchcraft catalog rules。
    """
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..content.copy import check_copy
    from ..content.vocabulary import check_vocabulary
    from ..content.lint import lint, read_catalog

    ws = workspace_of(ctx)
    report = lint(ws.catalog_file, ws.cases_dir, max_case_age=max_case_age, jobs=jobs,
                  company_file=ws.company_file)
    # the sales copy (templates/brief, templates/interview): its files, and the products it names
    report.problems += check_copy([ws.root / "templates", packaged_templates()], read_catalog(ws.catalog_file).catalog)
    # the industry vocabulary (templates/vocabulary.yaml) and the catalog's placeholders for it
    report.problems += check_vocabulary([ws.root / "templates", packaged_templates()],
                                        read_catalog(ws.catalog_file).catalog, ws.catalog_file)
    problems = [_shown(p) for p in report.problems]
    n_err, n_warn, n_waived = len(report.errors), len(report.warnings), len(report.waived)
    if fmt == "json":
        click.echo(json.dumps({
            "ok": report.ok,
            "summary": {"products": report.products, "cases": report.cases, "errors": n_err,
                        "warnings": n_warn, "waived": n_waived},
            "problems": [_problem_json(p) for p in problems],
            "waived": [_problem_json(_shown(p)) for p in report.waived],
        }, ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(str(p))
        waived = f"，{n_waived} 条已说明理由的提示" if n_waived else ""
        counts = f"{report.products} 个产品，{report.cases} 个案例"
        if report.ok:
            click.echo(f"产品目录和案例库检查通过：{counts}；{n_warn} 条提示{waived}。")
        else:
            click.echo(f"发现 {n_err} 个错误、{n_warn} 条提示{waived}（{counts}）。错误修正之前，"
                       "生成建议书时也会拒绝这些内容。")
    if not report.ok:
        ctx.exit(1)


def _problem_json(p: Problem) -> dict:
    return {"file": str(p.file), "line": p.line, "col": p.col, "severity": p.severity, "rule": p.rule,
            "field": p.field, "message": p.message}


@catalog.command("rules")
def catalog_rules() -> None:
    """列出 catalog validate 的全部规则。"""
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..content.lint import RULES
    from ..model.vocab import WAIVABLE_RULES

    rows = [(rule, "错误" if severity == "error" else "提示", "可以" if rule in WAIVABLE_RULES else "", text)
            for rule, (severity, text) in RULES.items()]
    click.echo(table(("规则", "级别", "可说明理由", "检查什么"), rows))


@catalog.command("list")
@click.option("--category", "-c", help="只列出这个类别：basic_comms / 基础通信 等。")
@click.option("--industry", "-i", help="只列出适用于这个行业的产品：manufacturing / 制造业 等。")
@click.pass_context
def catalog_list(ctx: click.Context, category: str | None, industry: str | None) -> None:
    """按类别列出产品：id、名称、适用行业、规模和状态。"""
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import CATEGORIES, CATEGORY_NAMES, INDUSTRY_LABELS, PRODUCT_STATUSES

    cat = browse_catalog(workspace_of(ctx))
    key = _choice(category, CATEGORY_NAMES, "类别", CATEGORIES) if category else None
    ind = _industry(industry) if industry else None
    rows = []
    for p in sorted(cat.products, key=lambda p: (list(CATEGORIES).index(p.category), not p.active)):
        if (key and p.category != key) or (ind and not p.fits_industry(ind)):
            continue
        rows.append((p.id, p.name, CATEGORIES[p.category], _industries(p, INDUSTRY_LABELS), _sizes(p.sizes),
                     "、".join(p.tiers), PRODUCT_STATUSES[p.status]))
    if not rows:
        click.echo("没有符合条件的产品。")
        return
    click.echo(table(("id", "名称", "类别", "适用行业", "规模", "等级", "状态"), rows, {3: 30}))
    click.echo(f"\n共 {len(rows)} 个产品。pitchcraft catalog show ID 查看产品卡片。")


@catalog.command("show")
@click.argument("product")
@click.pass_context
def catalog_show(ctx: click.Context, product: str) -> None:
    """显示一个产品的卡片（PRODUCT 可以是 id、名称或别名）。"""
    ws = workspace_of(ctx)
    cat = browse_catalog(ws)
    p = find_product(cat, product)
    cases = browse_cases(ws)
    click.echo(product_card(p, cat, cases))


def product_card(p, cat, cases) -> str:
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import BILLING, CATEGORIES, INDUSTRY_LABELS, INFORMATIZATION, PRODUCT_STATUSES, SIZES, UNITS

    status = PRODUCT_STATUSES[p.status] + (f"，由 {_name(cat, p.replaced_by)} 替代" if p.replaced_by else "")
    out = [f"{p.name}（{p.id}）〔{CATEGORIES[p.category]}〕 {status}"]
    if p.aliases:
        out.append(f"别名：{'、'.join(p.aliases)}")
    out += ["", f"一句话：{p.summary}", "", "实现原理："]
    out += [f"  {ln}" for ln in p.how_it_works.splitlines()]
    out += ["", "带来的价值："] + [f"  · {b}" for b in p.benefits]
    for c in p.industry_copy:  # what clients of those industries read instead
        who = "、".join(INDUSTRY_LABELS[i] for i in c.industries) + (f"（名称含 {'、'.join(c.match)}）" if c.match else "")
        out += ["", f"按行业改写：{who}"]
        out += [f"  一句话：{c.summary}"] if c.summary else []
        out += [f"  实现原理：{ln}" if i == 0 else f"            {ln}"
                for i, ln in enumerate((c.how_it_works or "").splitlines())]
        out += [f"  · {b}" for b in c.benefits]
        out += [f"  问：{q} 答：{a}" for q, a in c.faq]
    out += ["", f"适用行业：{_industries(p, INDUSTRY_LABELS)}",
            f"客户属性：规模 {'、'.join(SIZES[s] for s in p.sizes)}；价值等级 {'、'.join(p.tiers)}",
            f"信息化程度：{INFORMATIZATION[p.informatization]}", "", "推广策略："]
    out += [f"  {ln}" for ln in p.promotion.splitlines()]
    out += ["", f"资费：{p.tariff_summary}"]
    if p.tariff_items:
        rows = [(i.name, f"{i.price} 元", UNITS[i.unit], BILLING[i.billing], _validity(i)) for i in p.tariff_items]
        out += ["  " + ln for ln in table(("资费项目", "标准价格", "计费单位", "计费方式", "有效期"), rows).splitlines()]
    if p.requires:
        out.append(f"需同时开通：{'、'.join(_name(cat, r) for r in p.requires)}")
    if p.excludes:
        out.append(f"不能同时开通：{'、'.join(_name(cat, r) for r in p.excludes)}")
    related = [c for c in cases if p.id in c.products or c.id in p.related_cases]
    out += ["", f"相关案例（{len(related)} 个）："]
    out += [f"  - {c.id}：{c.title}（{INDUSTRY_LABELS[c.industry]}，{c.workflow_step}"
            + ("" if c.active else "，" + case_status_label(c.status)) + "）" for c in related] or ["  （暂无）"]
    return "\n".join(out)


@catalog.command("map")
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="输出文件（.xlsx 或 .docx，另一种格式写在同名文件中），默认为当前目录下的 产品图谱.xlsx / .docx。")
@click.pass_context
def catalog_map(ctx: click.Context, out: Path | None) -> None:
    """把产品图谱（需求类别 × 行业，含规模、等级、信息化程度、资费）写成 Excel 和 Word 表格。"""
    # deferred: python-docx/python-pptx/jinja2 (keeps `pitchcraft --help` fast)
    from ..render.productmap import build, write_docx, write_xlsx

    ws = workspace_of(ctx)
    pmap = build(browse_catalog(ws), browse_cases(ws, include_inactive=False))
    stem = (out.with_suffix("") if out and out.suffix.lower() in (".xlsx", ".docx") else out) or Path("产品图谱")
    files = [stem.with_name(stem.name + ".xlsx"), stem.with_name(stem.name + ".docx")]
    for path in ([out] if out else []) + files:  # /dev/full would become /dev/full.xlsx beside the devices
        problem = not_regular(path, "输出文件")
        if problem:
            raise UsageError(f"无法写入 {path}：{problem}")
    folder = files[0].parent
    if not folder.exists():
        raise UsageError(f"无法写入 {files[0]}：文件夹 {folder} 不存在")
    if not folder.is_dir() or folder.resolve() in (Path("/dev"), Path("/proc"), Path("/sys")):
        raise UsageError(f"无法写入 {files[0]}：{folder} 不是可以保存文件的文件夹；请给出普通文件夹中的 .xlsx 文件名")
    write_xlsx(pmap, files[0])
    try:
        write_docx(pmap, files[1])
    except UsageError:
        files[0].unlink(missing_ok=True)  # both or neither
        raise
    click.echo(f"产品图谱（{len(pmap.rows)} 个在售产品 × {len(pmap.industries)} 个行业）已写入：")
    for f in files:
        click.echo(f"  {f}")


@main.command("schema")
@click.argument("kind", type=click.Choice(["products", "cases", "profile"]))
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写入文件，而不是打印。")
def schema_command(kind: str, out: Path | None) -> None:
    """打印编辑器用的 JSON Schema（products：产品目录；cases：案例头信息；profile：需求档案）。

    仓库中 schemas/ 下的文件就是它的输出，VS Code 的 YAML 插件据此补全和标出错误。
    """
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..content.schemas import dumps

    text = dumps(kind)
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"无法写入 {out}：{os_reason(exc)}") from None
    click.echo(f"已写入 {out}")


# --- small formatting helpers -----------------------------------------------------------------


def _choice(value: str, names: dict[str, str], what: str, labels: dict[str, str]) -> str:
    key = names.get(value.strip())
    if key is None:
        options = "、".join(f"{k}（{v}）" if v else k for k, v in labels.items())
        raise UsageError(f"未知的{what}“{value}”，可选：{options}")
    return key


def _industry(value: str) -> str:
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import INDUSTRY_LABELS, INDUSTRY_NAMES

    return _choice(value, INDUSTRY_NAMES, "行业", INDUSTRY_LABELS)


def _industries(p, labels: dict[str, str]) -> str:
    return "全行业" if "all" in p.industries else "、".join(labels[i] for i in p.industries)


def _sizes(sizes) -> str:
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import SIZE_SHORT

    return "、".join(SIZE_SHORT[s] for s in sizes)


def _name(cat, pid: str) -> str:
    p = cat.by_id.get(pid)
    return f"{p.name}（{pid}）" if p else pid


def _validity(item) -> str:
    if item.effective and item.expires:
        return f"{item.effective} 至 {item.expires}"
    if item.expires:
        return f"至 {item.expires}"
    if item.effective:
        return f"{item.effective} 起"
    return "长期"


def case_status_label(status: str) -> str:
    from ..model.vocab import CASE_STATUSES  # deferred: pyyaml (keeps `pitchcraft --help` fast)

    return CASE_STATUSES[status]


def size_label(size: str | None) -> str:
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import SIZE_SHORT

    return SIZE_SHORT.get(size, "—") if size else "—"

