"""The campaign command: every profile of a folder into proposals, in parallel (see pitchcraft.batch)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import OUT_NOT_EMPTY, main, warn, workspace_of
from .catalog import shown_path, table

LABELS = {"generated": "已生成", "skipped": "已是最新（跳过）", "failed": "失败（原因）"}


@main.command()
@click.argument("profile_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="并行的工作进程数，默认为 CPU 核数。")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, callback=OUT_NOT_EMPTY,
              help="输出目录，默认为工作目录下的 proposals/。")
@click.option("--force", is_flag=True, help="已是最新的也重新生成（仍不会覆盖其他档案的建议书）。")
@click.pass_context
def batch(ctx: click.Context, profile_dir: Path, workers: int | None, out_dir: Path | None, force: bool) -> None:
    """为文件夹 PROFILE_DIR 中的每一份需求档案（.yaml）生成建议书和汇报 PPT。

    \b
    多个进程并行；一份档案出错不影响其他档案。重新运行同一命令时，档案、产品目录、
    案例库和模板都没有变化的建议书会跳过，其余的（包括上次中断的）重新生成。
    有档案失败时退出码为 1。
    """
    # deferred: pyyaml and the matcher, via the pipeline (keeps `pitchcraft --help` fast)
    from ..prep import batch as campaign
    from ..pipeline import Session

    ws = workspace_of(ctx)
    files = campaign.profile_files(profile_dir)
    session = Session.open(ws)  # a broken catalog is one error here, not one per profile
    warn(session.content.warnings)
    with click.progressbar(length=len(files), label="生成建议书", file=sys.stderr, show_pos=True,
                           item_show_func=lambda o: o.profile.name if o else None) as bar:
        try:
            report = campaign.run(ws, profile_dir, out_dir, workers=workers, force=force, session=session,
                                  progress=lambda outcome: bar.update(1, outcome))
        except KeyboardInterrupt:
            click.echo("\n已中断。已写完的建议书都是完整的；重新运行同一命令会跳过它们，继续其余的。", err=True)
            ctx.exit(130)
    if not _isatty(sys.stderr):  # not a terminal: the bar printed its label once, without a line end
        click.echo(err=True)
    click.echo(summary(report))
    if not report.ok:
        click.echo(f"有 {len(report.with_status('failed'))} 份档案失败；修正后重新运行同一命令即可，"
                   "已生成的会跳过。", err=True)
        ctx.exit(1)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def summary(report) -> str:
    mem = ""
    if report.peak_rss:
        mem = f"，每个进程内存峰值最多 {max(report.peak_rss.values()) / 1024 / 1024:.0f} MB"
    procs = f"{report.workers} 个工作进程{mem}" if report.workers else "无需启动工作进程"
    lines = [f"批量生成完成：共 {len(report.outcomes)} 份档案，用时 {report.seconds:.1f} 秒，{procs}。", ""]
    rows = [(LABELS[s], str(len(report.with_status(s)))) for s in ("generated", "skipped", "failed")]
    lines.append(table(("结果", "份数"), rows))
    failed = report.with_status("failed")
    if failed:
        lines += ["", "失败（原因）："]
        for o in failed:
            lines.append(f"  {shown_path(o.profile)}")
            lines += [f"    {line}" for line in o.reason.splitlines()]
    warned = sum(1 for o in report.outcomes if o.warnings and o.status == "generated")
    if warned:
        lines += ["", f"{warned} 份档案有提示（不影响生成），用 pitchcraft recommend 档案 查看。"]
    lines += ["", f"建议书在 {shown_path(report.out_dir)} 中。"]
    return "\n".join(lines)
