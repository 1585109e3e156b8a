"""The account manager's commands: recommend and generate."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli import main, warn, workspace_of


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取），stdout 只有这一个对象。")
@click.pass_context
def recommend(ctx: click.Context, profile: Path, as_json: bool) -> None:
    """根据需求档案 PROFILE 推荐产品和案例，并给出每项推荐的理由。"""
    from ..pipeline import recommend_for
    from ..report import to_json, to_text

    _profile, rec, warnings = recommend_for(workspace_of(ctx), profile)
    warn(warnings)
    if as_json:
        click.echo(json.dumps(to_json(rec), ensure_ascii=False, indent=2))
    else:
        click.echo(to_text(rec))


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录，默认为工作目录下的 proposals/。")
@click.option("--force", is_flag=True, help="同名建议书文件夹已存在时覆盖它。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成两份 PDF（需要已安装 LibreOffice）。")
@click.pass_context
def generate(ctx: click.Context, profile: Path, out_dir: Path | None, force: bool, pdf: bool) -> None:
    """为需求档案 PROFILE 生成建议书（proposal.docx）和汇报 PPT（pitch.pptx）。"""
    from ..pipeline import generate as run

    result = run(workspace_of(ctx), profile, out_dir, force=force, pdf=pdf)
    warn(result.warnings)
    rec = result.recommendation
    click.echo(f"已为 {rec.profile.name} 生成方案（推荐 {len(rec.products)} 个产品，"
               f"引用 {len(rec.cases)} 个案例，{len(rec.unmatched)} 条需求暂无对应产品）：")
    for f in result.files:
        click.echo(f"  {f}")
