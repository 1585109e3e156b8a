"""The account manager's commands: recommend, quote and generate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from .app import OUT_NOT_EMPTY, collector_off, main, warn, workspace_of


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取），stdout 只有这一个对象。")
@click.pass_context
def recommend(ctx: click.Context, profile: Path, as_json: bool) -> None:
    """根据需求档案 PROFILE 推荐产品和案例，并给出每项推荐的理由。"""
    # deferred: pyyaml and the matcher, via the pipeline (keeps `pitchcraft --help` fast)
    from ..pipeline import recommend_for
    from ..report import to_json, to_text

    _profile, rec, warnings = recommend_for(workspace_of(ctx), profile)
    warn(warnings)
    if as_json:
        ws = workspace_of(ctx)
        click.echo(json.dumps(to_json(rec, _offer(rec, ws), _documents_offer(rec, ws)), ensure_ascii=False,
                              indent=2))
    else:
        click.echo(to_text(rec))


def _offer(rec, ws):
    """Every recommended product priced, 待确认 ones included (the contract's ``quote``)."""
    from ..pipeline import quote  # deferred: pyyaml and the matcher, via the pipeline

    return quote(rec, dt.date.today(), ws)


def _documents_offer(rec, ws):
    """The offer the proposal and deck show (only the products they pitch), as ``generate`` prices it."""
    from ..pipeline import documents_quote  # deferred: pyyaml and the matcher, via the pipeline

    return documents_quote(rec, dt.date.today(), ws)


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出报价 JSON（与 recommend --json 中的 quote 相同）。")
@click.pass_context
def quote(ctx: click.Context, profile: Path, as_json: bool) -> None:
    """为需求档案 PROFILE 报价：建议书和 PPT 中的报价（明细、优惠、月度与首年合计、预算对比、需审批的折让），
    以及确认待确认的产品后会增加多少。"""
    # deferred: pyyaml and the matcher, via the pipeline (keeps `pitchcraft --help` fast)
    from ..pipeline import recommend_for
    from ..quote import to_json as quote_json
    from ..report import offers_text

    _profile, rec, warnings = recommend_for(workspace_of(ctx), profile)
    warn(warnings)
    ws = workspace_of(ctx)
    offer, documents = _offer(rec, ws), _documents_offer(rec, ws)
    if as_json:  # the contract's quote (every product), and the documents' own beside it
        click.echo(json.dumps({**quote_json(offer), "documents_quote": quote_json(documents)},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(f"{rec.profile.name} 报价（{documents.date.isoformat()}，含税）：")
        click.echo(offers_text(rec, documents, offer))


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, callback=OUT_NOT_EMPTY,
              help="输出目录，默认为工作目录下的 proposals/。")
@click.option("--force", is_flag=True, help="同名建议书文件夹已存在时覆盖它。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成两份 PDF（需要已安装 LibreOffice）。")
@click.option("--brief", "with_brief", is_flag=True,
              help="同时生成客户经理的拜访简报 brief.docx（内部资料，请勿发给客户）。")
@click.pass_context
def generate(ctx: click.Context, profile: Path, out_dir: Path | None, force: bool, pdf: bool,
             with_brief: bool) -> None:
    """为需求档案 PROFILE 生成建议书（proposal.docx）和汇报 PPT（pitch.pptx）。"""
    # One proposal, then the process ends: the cyclic collector would only rescan the modules, the
    # catalog, the matcher's index and the documents as they are built, finding next to nothing to
    # free (5-15 % of the run); what one proposal leaves behind is freed at exit all the same. Switched
    # back on after the run when the process goes on (a test runner calling the command): it must not grow.
    # deferred: pyyaml and the matcher, via the pipeline (keeps `pitchcraft --help` fast)
    from ..pipeline import generate as run

    with collector_off():
        result = run(workspace_of(ctx), profile, out_dir, force=force, pdf=pdf, brief=with_brief)
    warn(result.warnings)
    rec = result.recommendation
    from ..report import documents_summary

    click.echo(f"已为 {rec.profile.name} 生成方案：{made_summary(rec, workspace_of(ctx).template_optional('proposal/needs.yaml'))}。文件：")
    for f in result.files:
        click.echo(f"  {f}")
    for line in documents_summary(rec):
        click.echo(line)


def made_summary(rec, needs_table: Path | None = None) -> str:
    """What the generated documents hold, counted as they show it: the products they pitch (the 待确认
    ones and the options they only name counted apart; one that only rides on another's statement is
    in neither), the cases they cite, the needs no product answers (a coverage complaint, which the
    proposal routes to network maintenance by ``needs_table``, the packaged proposal/needs.yaml when not
    given, said as such: it is no product missing)."""
    from ..match.pitched import client_view, in_documents, rides, set_aside  # deferred: the matcher's package

    shown = client_view(rec)
    held = [m for m in (*rec.products, *rec.extensions)  # a service the client has, to extend: 待确认 too
            if not in_documents(m) and not set_aside(m) and not rides(m)]
    aside = [m for m in rec.products if set_aside(m)]
    apart = "、".join(x for x in (f"另有 {len(held)} 个待确认" if held else "",
                                  (f"{len(aside)} 个可选方案" if held else f"另有 {len(aside)} 个可选方案") if aside
                                  else "") if x)
    extended = f"，现有业务扩容 {len(shown.extensions)} 项" if shown.extensions else ""
    return (f"推荐 {len(shown.products)} 个产品" + (f"（{apart}）" if apart else "") + extended
            + f"，引用 {len(shown.cases)} 个案例，" + open_needs_summary(shown, rec, needs_table))


def open_needs_summary(shown, rec, needs_table: Path | None = None) -> str:
    """The needs the proposal's 待进一步沟通 chapter lists (no product answers them clearly), as many as
    it lists, and among them those routed to network maintenance and those no product answers at all."""
    from ..compose.brief import network_routed  # deferred: the composer's package
    from ..compose.needs import load_cues
    from ..workspace import packaged_templates

    listed = len(shown.open_needs)
    if not listed:
        return "每条需求都有产品回应"
    network = len(network_routed(rec, load_cues(needs_table or packaged_templates() / "proposal" / "needs.yaml")))
    none = len(rec.unmatched) - network
    parts = "，".join(x for x in (f"{network} 条转网络维护" if network else "",
                                  f"{none} 条暂无对应产品" if none else "") if x)
    return f"{listed} 条需求写入“待进一步沟通”" + (f"（其中 {parts}）" if parts else "")
