"""``pitchcraft users …`` and ``pitchcraft serve``: accounts and the web server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import UsageError
from .app import main, workspace_of

DATABASE_HELP = "数据库：sqlite:///文件路径 或 postgresql://用户:密码@主机/库名；默认为工作目录中的 .pitchcraft/web.db（也可用环境变量 PITCHCRAFT_DATABASE_URL）。"


def _settings(ctx: click.Context, database: str | None, files: Path | None = None, **extra):
    from ..web.state import Settings  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    ws = workspace_of(ctx)
    url = database or os.environ.get("PITCHCRAFT_DATABASE_URL") or ""
    return Settings(workspace=ws.root, database_url=url, files_dir=files, **extra)


def _database(settings):
    from sqlalchemy.exc import SQLAlchemyError  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    from ..web.db import Database  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    try:
        db = Database(settings.database_url, settings.files_dir)
        db.migrate()
    except SQLAlchemyError as exc:
        raise UsageError(f"无法打开数据库（{_safe_url(settings.database_url)}）：{exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0]}")
    return db


def _safe_url(url: str) -> str:
    """A database URL as it may be shown: without its password."""
    from sqlalchemy.engine import make_url  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown by its scheme only
        return url.split(":", 1)[0] + ":…"


@main.group()
@click.option("--database", default=None, metavar="数据库地址", help=DATABASE_HELP)
@click.pass_context
def users(ctx: click.Context, database: str | None) -> None:
    """管理网页版的账号：添加、列出、停用。"""
    ctx.obj["database"] = database


def _users_db(ctx: click.Context, database: str | None = None):
    return _database(_settings(ctx, database or ctx.obj.get("database")))


def _on_accounts(ctx: click.Context, database: str | None, change):
    """``change(db)`` on the accounts' database, closed afterwards; a refused change (an existing
    name, a weak password, an unknown user) is the command's Chinese message."""
    from ..web.auth import AccountError  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    db = _users_db(ctx, database)
    try:
        return change(db)
    except AccountError as exc:
        raise UsageError(str(exc))
    finally:
        db.dispose()


def _database_option(f):
    """``--database`` after the subcommand too: ``pitchcraft users add NAME --database URL``."""
    return click.option("--database", "database", default=None, metavar="数据库地址", help=DATABASE_HELP)(f)


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["manager", "admin"]), required=True, help="manager（客户经理）或 admin（管理员）")
@click.option("--display-name", default="", help="显示的姓名，如 李明（也用作建议书上的客户经理）")
@click.option("--phone", default="", help="联系电话")
@click.option("--branch", default="", help="所属分公司或营业部，如 东莞")
@_database_option
@click.pass_context
def users_add(ctx: click.Context, name: str, role: str, display_name: str, phone: str, branch: str, database: str | None) -> None:
    """添加账号 NAME；密码从标准输入读取（终端上输入两次，管道中读一行）。"""
    from ..web.auth import add_user  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    if branch.strip():
        _check_branch(ctx, branch)
    if sys.stdin.isatty():
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    user = _on_accounts(ctx, database, lambda db: add_user(db, name, password, role, display_name, phone, branch))
    click.echo(f"已添加{'管理员' if user.role == 'admin' else '客户经理'}账号：{user.username}")


def _check_branch(ctx: click.Context, branch: str) -> None:
    """A manager's branch must be one of company.yaml's: documents are issued in its name."""
    from ..load import load_company  # deferred: pyyaml (keeps `pitchcraft --help` fast)

    ws = workspace_of(ctx)
    if not ws.company_file.exists():
        return  # no issuer yet: nothing to check against (documents are refused until there is one)
    company, _warnings = load_company(ws.company_file)
    if company.branch(branch) is None:
        names = "、".join(f"{b.name}（{b.id}）" for b in company.branches[:6])
        raise UsageError(f"--branch：{ws.company_file} 中没有分公司“{branch}”；请写分公司的编号、简称或所在地市，"
                         f"如 {names}{' 等' if len(company.branches) > 6 else ''}")


@users.command("list")
@_database_option
@click.pass_context
def users_list(ctx: click.Context, database: str | None) -> None:
    """列出所有账号。"""
    from ..web.auth import list_users  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    db = _users_db(ctx, database)
    try:
        rows = list_users(db)
    finally:
        db.dispose()
    if not rows:
        click.echo("还没有账号；用 pitchcraft users add 名字 --role manager 添加。")
    for u in rows:
        state = "启用" if u.active else "已停用"
        click.echo(f"{u.username}\t{u.role}\t{state}\t{u.display_name}\t{u.branch}\t{u.phone}")


def _set_active(ctx: click.Context, name: str, database: str | None, active: bool) -> None:
    from ..web.auth import set_active  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    _on_accounts(ctx, database, lambda db: set_active(db, name, active))
    click.echo(f"已{'启用' if active else '停用'}账号：{name}")


@users.command("disable")
@click.argument("name")
@_database_option
@click.pass_context
def users_disable(ctx: click.Context, name: str, database: str | None) -> None:
    """停用账号 NAME：不能再登录，已发出的令牌和登录状态立即失效；方案仍保留在档案中。"""
    _set_active(ctx, name, database, False)


@users.command("enable")
@click.argument("name")
@_database_option
@click.pass_context
def users_enable(ctx: click.Context, name: str, database: str | None) -> None:
    """重新启用账号 NAME。"""
    _set_active(ctx, name, database, True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--database", default=None, metavar="数据库地址", help=DATABASE_HELP)
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="生成文档的工作进程数，默认为 CPU 核数（最多 8）。")
@click.option("--files", "files_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="生成文件存放目录：默认为 SQLite 数据库文件旁的 files/，用 PostgreSQL 时为工作目录的 .pitchcraft/files；多台服务器时为共享卷。")
@click.option("--trusted-user-header", default=None,
              help="单点登录：信任反向代理传来的已认证用户名请求头（如 X-Remote-User）；默认关闭，详见 README。")
@click.option("--secure-cookies", is_flag=True, help="经 HTTPS 提供服务时加上，Cookie 将只在 HTTPS 中发送。")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, database: str | None, workers: int | None, files_dir: Path | None,
          trusted_user_header: str | None, secure_cookies: bool) -> None:
    """启动网页版：客户经理在浏览器中填写档案、查看推荐、生成并下载建议书。"""
    import uvicorn  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    workers = workers or min(8, os.cpu_count() or 1)
    settings = _settings(ctx, database, files_dir, trusted_user_header=trusted_user_header,
                         secure_cookies=secure_cookies, workers=workers)
    _database(settings).dispose()  # created or migrated once, before any worker starts
    os.environ.update(settings.to_env())
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"pitchcraft 网页版：http://{shown}:{port}/  （{workers} 个工作进程；按 Ctrl+C 停止）", err=False)
    sys.stdout.flush()
    # One HTTP process; the documents are made by the build processes it starts (pitchcraft.web.workers).
    options = dict(factory=True, host=host, port=port, log_level="warning", timeout_graceful_shutdown=30,
                   server_header=False, proxy_headers=False)
    _Server(uvicorn.Config("pitchcraft.web.app:factory", **options)).run()


def _server_class():
    import uvicorn  # deferred: the web stack loads only for these commands (keeps `pitchcraft --help` fast)

    class Server(uvicorn.Server):
        """uvicorn's server, except that SIGTERM/SIGINT, once served out, end the process with
        status 0 (uvicorn raises the signal again after its graceful shutdown)."""

        def handle_exit(self, sig, frame):
            super().handle_exit(sig, frame)
            self._captured_signals.clear()

    return Server


def _Server(config):  # noqa: N802 - a class made on demand, so `pitchcraft --help` does not import uvicorn
    return _server_class()(config)
