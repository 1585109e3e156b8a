"""The product manager's and presales' commands: the catalog and the case library."""

from __future__ import annotations

import click

from ..cli import main, warn, workspace_of


@main.group()
def catalog() -> None:
    """产品目录（catalog/products.yaml）和案例库（cases/）相关命令。"""


@catalog.command("validate")
@click.pass_context
def catalog_validate(ctx: click.Context) -> None:
    """检查产品目录和案例库：有错误时逐条列出文件、行号和字段，退出码为 1。"""
    from ..pipeline import load_content

    content = load_content(workspace_of(ctx))
    warn(content.warnings)
    click.echo(f"产品目录和案例库检查通过：{len(content.catalog.products)} 个产品，{len(content.cases)} 个案例，"
               f"{len(content.warnings)} 条提示。")
