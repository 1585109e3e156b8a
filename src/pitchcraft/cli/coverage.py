"""``pitchcraft coverage``: what many client profiles say about the catalog and the case library.

For product managers: the needs no product answers (a demand signal, grouped by similar wording),
the products no case shows, the industries without a case or without a product of their own.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .app import main, workspace_of
from ..errors import UsageError
from ..prep import COVERAGE_SIMILARITY as SIMILARITY
from .catalog import shown_path

if TYPE_CHECKING:
    from ..prep.coverage import Coverage


def _a_number(_ctx, _param, value: float) -> float:
    """click's FloatRange lets ``nan`` through (no comparison with nan is false)."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("nan 不是数字，请写 0.05 到 1.0 之间的数，如 0.3")
    return value


@main.command("coverage")
@click.argument("profiles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--similarity", type=click.FloatRange(0.05, 1.0), default=SIMILARITY, show_default=True,
              callback=_a_number, help="说法相近的程度（字和相邻两字的 Jaccard 相似度），达到它的未匹配需求归为一组。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式。")
@click.pass_context
def coverage(ctx: click.Context, profiles: tuple[Path, ...], similarity: float, fmt: str) -> None:
    """汇总多个需求档案（文件夹或文件）：哪些需求没有产品对应，哪些产品、行业没有案例。

    未匹配的需求按相近的说法归组，多的在前，供产品经理发现新需求。
    """
    # deferred: pyyaml and the matcher, via the pipeline (keeps `pitchcraft --help` fast)
    from ..pipeline import load_content
    from ..prep.coverage import analyse, profile_files

    content = load_content(workspace_of(ctx))
    files = profile_files(profiles)
    if not files:
        raise UsageError(f"在 {'、'.join(map(str, profiles))} 中没有找到 .yaml 需求档案")
    report = analyse(files, content.catalog, content.cases, similarity)
    click.echo(to_json(report) if fmt == "json" else to_text(report))


def _product(p) -> str:
    return f"{p.name}（{p.id}）"


def to_text(r: Coverage) -> str:
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import INDUSTRY_LABELS

    matched = r.statements - r.unmatched_count
    share = f"（{matched * 100 // r.statements}%）" if r.statements else ""
    out = [f"需求覆盖情况：{r.profiles} 个档案，共 {r.statements} 条需求，已有产品对应 {matched} 条{share}，"
           f"暂无产品对应 {r.unmatched_count} 条。", ""]
    out.append(f"暂无产品对应的需求（按相近说法归为 {len(r.unmatched)} 组，多的在前）：")
    for g in r.unmatched:
        out.append(f"  {len(g.statements):>3} 条  {g.wording}（{len(g.clients)} 个客户）")
        others = list(dict.fromkeys(s for s, _ in g.statements if s != g.wording))
        out += [f"          · {s}" for s in others[:3]]
        if len(others) > 3:
            out.append(f"          · 另有 {len(others) - 3} 种说法")
    if not r.unmatched:
        out.append("  （无）")

    def names(items, fmt) -> str:
        return "、".join(fmt(i) for i in items) if items else "无"

    out += ["",
            f"没有案例的在售产品（{len(r.products_without_case)} 个）：{names(r.products_without_case, _product)}",
            f"在这些档案中从未被推荐的在售产品（{len(r.never_recommended)} 个）：{names(r.never_recommended, _product)}",
            f"没有案例的行业（{len(r.industries_without_case)} 个）："
            f"{names(r.industries_without_case, INDUSTRY_LABELS.get)}",
            f"没有适用产品的行业（{len(r.industries_without_product)} 个）："
            f"{names(r.industries_without_product, INDUSTRY_LABELS.get)}",
            f"只有全行业通用产品、没有行业专属产品的行业（{len(r.industries_generic_only)} 个）："
            f"{names(r.industries_generic_only, INDUSTRY_LABELS.get)}"]
    if r.invalid:
        out += ["", f"有错误、未统计的档案（{len(r.invalid)} 个）："]
        out += [f"  {shown_path(where)}" for _path, where in r.invalid]
    if r.not_profiles:
        out += ["", f"另有 {len(r.not_profiles)} 个 YAML 文件不是需求档案（没有 client 和 needs），未统计，"
                    f"如 {shown_path(r.not_profiles[0])}。"]
    return "\n".join(out)


def to_json(r: Coverage) -> str:
    return json.dumps({
        "profiles": r.profiles,
        "statements": r.statements,
        "unmatched": [{"wording": g.wording, "count": len(g.statements), "clients": g.clients,
                       "statements": [s for s, _ in g.statements]} for g in r.unmatched],
        "products_without_case": [p.id for p in r.products_without_case],
        "never_recommended": [p.id for p in r.never_recommended],
        "industries_without_case": r.industries_without_case,
        "industries_without_product": r.industries_without_product,
        "industries_generic_only": r.industries_generic_only,
        "invalid": [{"file": str(p), "problem": why} for p, why in r.invalid],
        "not_profiles": [str(p) for p in r.not_profiles],
    }, ensure_ascii=False, indent=2)
