"""Brand templates owned by the user: copy the defaults out to edit them in Word and PowerPoint."""

from __future__ import annotations

import shutil

import click

from .app import main, workspace_of
from ..workspace import packaged_templates


@main.group()
def templates() -> None:
    """模板（品牌参考文档、章节大纲、章节文字）相关命令。"""


@templates.command("init")
@click.option("--force", is_flag=True, help="覆盖工作目录中已有的同名模板文件。")
@click.pass_context
def templates_init(ctx: click.Context, force: bool) -> None:
    """把内置的默认模板复制到工作目录的 templates/ 中，供修改。

    \b
    之后用 Word 修改 templates/reference.docx（样式、字体、颜色、页眉页脚），
    用 PowerPoint 修改 templates/reference.pptx（母版、版式、主题颜色），
    用文本编辑器修改 templates/proposal/ 和 templates/pitch/ 中的章节文字。
    工作目录中的模板按文件逐个优先于内置模板。
    """

    ws = workspace_of(ctx)
    source = packaged_templates()
    target = ws.root / "templates"
    if source.resolve() == target.resolve():
        click.echo(f"工作目录的模板就是内置模板（{target}），无需复制。")
        return
    copied, kept = [], []
    for path in sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        rel = path.relative_to(source)
        dest = target / rel
        if dest.exists() and not force:
            kept.append(rel)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        copied.append(rel)
    for rel in copied:
        click.echo(f"  已复制 templates/{rel.as_posix()}")
    if kept:
        click.echo(f"{len(kept)} 个文件已存在，未覆盖（如需覆盖请加 --force）。")
    click.echo(f"完成：{len(copied)} 个模板文件在 {target} 中，可直接修改。")
