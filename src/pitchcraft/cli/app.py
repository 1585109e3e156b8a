"""The root command group :data:`main` that every command module of :mod:`pitchcraft.cli` adds to.

The project's errors are caught once, here, and shown without a traceback.
"""

from __future__ import annotations

import atexit
import gc
from pathlib import Path

import click

from .. import __version__
from ..errors import InputError, PitchcraftError, Problem
from ..workspace import Workspace


def warn(problems: list[Problem]) -> None:
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


def workspace_of(ctx: click.Context):
    return Workspace.open(ctx.find_root().obj["workspace"])


def run() -> None:
    """The ``pitchcraft`` process: :data:`main`, without the collector's work that a short process
    does not need. At exit Python collects every object of the run before freeing it (a quarter
    of a one-proposal run); frozen objects are freed all the same, without being traversed. And a
    run allocates hundreds of thousands of long-lived objects (modules, documents), which the
    collector would otherwise traverse again and again while they are built."""
    gc.set_threshold(20_000, 20, 20)
    atexit.register(gc.freeze)  # runs before the interpreter's teardown
    main()
