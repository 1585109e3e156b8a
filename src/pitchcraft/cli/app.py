"""The root command group :data:`main` that every command module of :mod:`pitchcraft.cli` adds to.

The project's errors are caught once, here, and shown without a traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import gc
import os
import sys
import traceback
from pathlib import Path
from typing import Iterator

import click

from .. import __version__
from ..errors import InputError, PitchcraftError, Problem
from ..model.display import display_width
from ..reading import os_message
from ..workspace import Workspace
from . import zh


def warn(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(f"提示：{p}", err=True)


BAD_INPUT = 1  # exit status for every refusal: bad files, bad arguments, a folder that exists
INTERNAL = 3   # exit status for a fault of pitchcraft itself (never bad input)


class _Formatter(click.HelpFormatter):
    """click's help layout with Chinese headings, aligned by display width (汉字 take two columns)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_width = min(max((display_width(first) for first, _ in rows), default=0), col_max)
        indent = self.current_indent + first_width + col_spacing
        text_width = max(self.width - indent, 20)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_width:
                self.write(" " * (first_width - display_width(first) + col_spacing))
            else:
                self.write("\n" + " " * indent)
            lines = click.formatting.wrap_text(second, text_width, preserve_paragraphs=True).splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{indent}}{line}\n")


class _Context(click.Context):
    formatter_class = _Formatter


# an option's value as help shows it, by click's type name (an explicit metavar wins)
_METAVARS = {"text": "文字", "integer": "整数", "integer range": "整数", "float": "数字", "float range": "数字",
             "boolean": "是/否"}


def _chinese_metavars(command: click.Command) -> None:
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
            param.metavar = _METAVARS.get(param.type.name)


class _Command(click.Command):
    context_class = _Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)
        _chinese_metavars(self)


class _Group(click.Group):
    """Turns pitchcraft's own errors, click's usage errors and the system's errors into a Chinese
    message and exit status 1, never a traceback."""

    context_class = _Context
    command_class = _Command
    group_class = type  # sub-groups (catalog, cases, templates) are _Group too

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)
        _chinese_metavars(self)  # a group's own options too (users --database)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            status = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:  # usage errors: click's own exit 2 would break the rule
            exc.show()
            sys.exit(BAD_INPUT)
        except click.Abort:
            click.echo("\n已中断，未完成的文件没有写入。", err=True)
            sys.exit(BAD_INPUT)
        sys.exit(status if isinstance(status, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for p in exc.problems:
                click.echo(f"错误：{p}", err=True)
            n = len(exc.problems)
            click.echo(f"共 {n} 个问题，未生成任何文件。" if n > 1 else "未生成任何文件。", err=True)
            ctx.exit(BAD_INPUT)
        except PitchcraftError as exc:
            click.echo(f"错误：{exc}", err=True)
            ctx.exit(BAD_INPUT)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt, EOFError):
            raise
        except OSError as exc:  # a read-only or full disk, a name too long: the person can act on it
            if exc.errno == errno.EPIPE:  # the reader of our output went away (| head)
                ctx.exit(BAD_INPUT)
            click.echo(f"错误：{os_message(exc)}。", err=True)
            ctx.exit(BAD_INPUT)
        except MemoryError:
            click.echo("错误：内存不足，请检查输入文件是否过大，或关闭其他程序后重试。", err=True)
            ctx.exit(BAD_INPUT)
        except Exception as exc:  # noqa: BLE001 - a bug: one line, not a traceback
            if os.environ.get("PITCHCRAFT_DEBUG"):
                raise
            where = traceback.extract_tb(exc.__traceback__)[-1]
            click.echo(f"内部错误：pitchcraft 自身出了问题（{type(exc).__name__}，{Path(where.filename).name}:"
                       f"{where.lineno}），不是您的输入有误。请把这条信息和所用的文件发给维护人员；"
                       "设置环境变量 PITCHCRAFT_DEBUG=1 可看到详细信息。", err=True)
            ctx.exit(INTERNAL)


zh.install()


def not_empty(hint: str):
    """An option's callback refusing an empty or blank folder name (``--out ""``): a mistake (an unset
    shell variable, a stray quote), never the current folder. ``hint`` says what to write instead.
    The option's type must leave the text as typed (no ``path_type``, which turns "" into ".")."""

    def check(_ctx, param, value: str | None) -> Path | None:
        if value is not None and not value.strip():
            raise click.BadParameter(f"不能为空；{hint}", param=param)
        return Path(value) if value is not None else None

    return check


_not_empty = not_empty("要用当前目录，请省略这个选项或写 .")
OUT_NOT_EMPTY = not_empty("要用默认位置，请省略这个选项；要用当前目录，请写 .")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--workspace", "-w", type=click.Path(file_okay=False), default=None, callback=_not_empty,
              help="工作目录（含 catalog/、cases/、templates/），默认为当前目录。")
@click.version_option(__version__, prog_name="pitchcraft", message="%(prog)s 版本 %(version)s",
                      help="显示版本号并退出。")
@click.pass_context
def main(ctx: click.Context, workspace: Path | None) -> None:
    """pitchcraft：根据客户需求档案，生成解决方案建议书（Word）和汇报材料（PPT）。

    \b
    常用：
      pitchcraft recommend 客户档案.yaml        查看推荐的产品和理由
      pitchcraft generate  客户档案.yaml        生成建议书和 PPT
      pitchcraft catalog validate              检查产品目录和案例库

    \b
    退出状态：0 成功；1 输入有误（档案、参数、文件），原因写在屏幕上，不会生成任何文件；
    3 程序内部错误。
    """
    ctx.obj = {"workspace": workspace}


def workspace_of(ctx: click.Context):
    return Workspace.open(ctx.find_root().obj["workspace"])


_ONE_COMMAND = False  # set by run(): this process ends when its command does


def run() -> None:
    """The ``pitchcraft`` process: :data:`main`, without the collector's work that a short process
    does not need. At exit Python collects every object of the run before freeing it (a quarter
    of a one-proposal run); frozen objects are freed all the same, without being traversed. And a
    run allocates hundreds of thousands of long-lived objects (modules, documents), which the
    collector would otherwise traverse again and again while they are built."""
    global _ONE_COMMAND
    _ONE_COMMAND = True
    gc.set_threshold(20_000, 20, 20)
    atexit.register(gc.freeze)  # runs before the interpreter's teardown
    main()


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    """The cyclic collector off for the block, and on again after it unless the process ends with
    its command (:func:`run`): switched on, it would first traverse every object the block made
    (about 25 ms after a proposal) to free next to nothing. A process that goes on (a test runner
    calling the command) gets it back, or it would grow without bound."""
    gc.disable()
    try:
        yield
    finally:
        if not _ONE_COMMAND:
            gc.enable()
