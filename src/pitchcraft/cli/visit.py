"""Before the visit: the needs interview, the client-list import and the manager's visit brief."""

from __future__ import annotations

from pathlib import Path

import click

from .app import OUT_NOT_EMPTY, main, warn, workspace_of
from ..errors import UsageError


@main.command()
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--answers", "answers_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="答案文件（YAML）：按提问顺序排列的回答列表，或按问题编号写的键值对；用完后转为在终端提问。")
@click.option("--force", is_flag=True, help="档案文件已存在时覆盖它。")
@click.option("--resume/--restart", default=None,
              help="有未完成的访谈时：--resume 直接继续，--restart 放弃进度重新开始；不写则询问。")
@click.pass_context
def interview(ctx: click.Context, output: Path, answers_file: Path | None, force: bool,
              resume: bool | None) -> None:
    """一问一答地填写客户需求档案，写入 OUTPUT（.yaml）。

    \b
    依次问：客户基本信息（行业从列表中选）、关键人及其角色和态度、
    四个方面的需求（现状 → 问题 → 影响 → 价值），每个方面附有客户常见说法作参考。
    每个回答当场检查，填错会说明原因并重问；按 Ctrl-C 中断后，再次运行同一命令可从中断处继续。
    """
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..prep.interview import load_script, run_interview
    from ..load import load_catalog
    from ..workspace import packaged_templates

    ws = workspace_of(ctx)
    script = load_script(answers_file) if answers_file else None
    catalog, _warnings = load_catalog(ws.catalog_file)  # catalog warnings are for product managers
    path = run_interview(output, catalog, script=script, force=force, resume=resume,
                         templates=[ws.root / "templates", packaged_templates()])
    click.echo("")
    click.echo(f"已写入需求档案：{path}")
    click.echo(f"下一步：pitchcraft recommend {path}   查看推荐")
    click.echo(f"        pitchcraft brief {path}       生成拜访简报（内部资料）")


@main.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="列映射文件（YAML：表头: 字段），覆盖内置的中文表头对照。")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, callback=OUT_NOT_EMPTY,
              help="档案输出目录，默认为工作目录下的 profiles/。")
@click.option("--sheet", default=None, help="Excel 工作表名称，默认为第一个工作表。")
@click.option("--force", is_flag=True, help="同名档案文件已存在时覆盖它。")
@click.pass_context
def import_clients(ctx: click.Context, source: Path, mapping_file: Path | None, out_dir: Path | None,
                   sheet: str | None, force: bool) -> None:
    """把 CRM 导出的客户清单（.xlsx 或 .csv）转成需求档案，每行一个客户。

    每一行的结果（导入或跳过及原因）打印在屏幕上，并保存为输出目录中的 import-report.csv。
    """
    # deferred: openpyxl, pyyaml (keeps `pitchcraft --help` fast)
    from ..prep.importer import import_clients as run, report_lines
    from ..load import load_catalog

    ws = workspace_of(ctx)
    catalog, _warnings = load_catalog(ws.catalog_file)
    result = run(source, out_dir or ws.root / "profiles", catalog, mapping=mapping_file, sheet=sheet,
                 force=force)
    for line in report_lines(result):
        click.echo(line)
    if not result.written:
        raise UsageError(f"没有导入任何客户档案，每一行的原因见上表和 {result.report}")


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, callback=OUT_NOT_EMPTY,
              help="输出目录，默认为工作目录下的 briefs/。")
@click.option("--force", is_flag=True, help="同名简报已存在时覆盖它。")
@click.pass_context
def brief(ctx: click.Context, profile: Path, out_dir: Path | None, force: bool) -> None:
    """为需求档案 PROFILE 生成客户经理的拜访简报（内部资料，Word）。

    简报只给客户经理自己看：客户速览、关键人地图、关系阶段、推荐组合、提问清单、
    异议应答、待带回的需求和后续步骤。它与给客户的建议书分开，不会并入建议书。
    """
    # deferred: pyyaml and the matcher, via the pipeline (keeps `pitchcraft --help` fast)
    from ..pipeline import make_brief, write_brief_bytes

    ws = workspace_of(ctx)
    made = make_brief(ws, profile)
    warn(made.warnings)
    path = write_brief_bytes(made, out_dir or ws.root / "briefs", force=force)
    b = made.brief
    click.echo(f"已生成 {b.client} 的拜访简报（内部资料，请勿外传）：{path}")
    from .core import made_summary  # the same count as generate's: what the documents pitch

    click.echo(f"  关键人 {len(b.people)} 位，{made_summary(made.recommendation)}，"
               f"异议应答 {len(b.objections)} 条")
