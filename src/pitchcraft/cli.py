"""The command line: parses arguments, calls :mod:`pitchcraft.pipeline`, prints results.

The project's errors are caught once, here, and shown without a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import InputError, PitchcraftError, Problem


def _warn(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(f"提示：{p}", err=True)


class _Group(click.Group):
    """Turns pitchcraft's own errors into a message and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for p in exc.problems:
                click.echo(f"错误：{p}", err=True)
            n = len(exc.problems)
            click.echo(f"共 {n} 个问题，未生成任何文件。" if n > 1 else "未生成任何文件。", err=True)
            ctx.exit(1)
        except PitchcraftError as exc:
            click.echo(f"错误：{exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="工作目录（含 catalog/、cases/、templates/），默认为当前目录。")
@click.version_option(__version__, prog_name="pitchcraft")
@click.pass_context
def main(ctx: click.Context, workspace: Path | None) -> None:
    """pitchcraft：根据客户需求档案，生成解决方案建议书（Word）和汇报材料（PPT）。

    \b
    常用：
      pitchcraft recommend 客户档案.yaml        查看推荐的产品和理由
      pitchcraft generate  客户档案.yaml        生成建议书和 PPT
      pitchcraft catalog validate              检查产品目录和案例库
    """
    ctx.obj = {"workspace": workspace}


def _ws(ctx: click.Context):
    from .workspace import Workspace

    return Workspace.open(ctx.obj["workspace"])


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取），stdout 只有这一个对象。")
@click.pass_context
def recommend(ctx: click.Context, profile: Path, as_json: bool) -> None:
    """根据需求档案 PROFILE 推荐产品和案例，并给出每项推荐的理由。"""
    from .pipeline import recommend_for
    from .report import to_json, to_text

    _profile, rec, warnings = recommend_for(_ws(ctx), profile)
    _warn(warnings)
    if as_json:
        click.echo(json.dumps(to_json(rec), ensure_ascii=False, indent=2))
    else:
        click.echo(to_text(rec))


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录，默认为工作目录下的 proposals/。")
@click.option("--force", is_flag=True, help="同名建议书文件夹已存在时覆盖它。")
@click.pass_context
def generate(ctx: click.Context, profile: Path, out_dir: Path | None, force: bool) -> None:
    """为需求档案 PROFILE 生成建议书（proposal.docx）和汇报 PPT（pitch.pptx）。"""
    from .pipeline import generate as run

    result = run(_ws(ctx), profile, out_dir, force=force)
    _warn(result.warnings)
    rec = result.recommendation
    click.echo(f"已为 {rec.profile.name} 生成方案（推荐 {len(rec.products)} 个产品，"
               f"引用 {len(rec.cases)} 个案例，{len(rec.unmatched)} 条需求暂无对应产品）：")
    for f in result.files:
        click.echo(f"  {f}")


@main.group()
def catalog() -> None:
    """产品目录（catalog/products.yaml）相关命令。"""


@catalog.command("validate")
@click.pass_context
def catalog_validate(ctx: click.Context) -> None:
    """检查产品目录和案例库：有错误时逐条列出文件、行号和字段，退出码为 1。"""
    from .pipeline import load_content

    content = load_content(_ws(ctx.find_root()))
    _warn(content.warnings)
    click.echo(f"产品目录和案例库检查通过：{len(content.catalog.products)} 个产品，{len(content.cases)} 个案例，"
               f"{len(content.warnings)} 条提示。")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
