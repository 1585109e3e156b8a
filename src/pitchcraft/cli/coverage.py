"""``pitchcraft coverage``: what many client profiles say about the catalog and the case library.

For product managers: the needs no product answers (a demand signal, grouped by similar wording),
the products no case shows, the industries without a case or without a product of their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import click

from .app import main, workspace_of
from ..errors import InputError, UsageError
from .catalog import shown_path

# Jaccard similarity of the matcher's features (characters and character bigrams, filler words
# left out) at which two need statements count as the same wording. On clients' paraphrases
# (想招几个熟练的电焊工 / 厂里招工太难，想招一批熟练电焊工: 0.32; 铺面租金太贵 / 店面租金越涨越凶: 0.29)
# against unrelated needs (at most 0.17), 0.25 separates them; bigrams alone score paraphrases 0.1–0.2.
SIMILARITY = 0.25


@dataclass
class NeedGroup:
    """Unmatched statements worded alike; the first one stands for the group."""

    wording: str
    features: list[frozenset[str]]
    statements: list[tuple[str, str]] = field(default_factory=list)  # (statement, client name)

    @property
    def clients(self) -> list[str]:
        return list(dict.fromkeys(client for _, client in self.statements))


@dataclass
class Coverage:
    profiles: int
    statements: int
    unmatched: list[NeedGroup]
    products_without_case: list  # active products no active case uses
    never_recommended: list      # active products no profile got
    industries_without_case: list[str]
    industries_without_product: list[str]
    industries_generic_only: list[str]  # only products for every industry, none of their own
    invalid: list[tuple[Path, str]]      # profiles with errors: (file, first problem)
    not_profiles: list[Path]             # other YAML files in the folders (e.g. evaluation labels)

    @property
    def unmatched_count(self) -> int:
        return sum(len(g.statements) for g in self.unmatched)


def features(text: str) -> frozenset[str]:
    """What a statement is compared by: the matcher's characters, bigrams and Latin words."""
    # deferred: the matcher (keeps `pitchcraft --help` fast)
    from ..match.text import grams

    return frozenset(grams(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def group_statements(statements: list[tuple[str, str]], threshold: float = SIMILARITY) -> list[NeedGroup]:
    """Greedy clustering: each statement joins the group holding the statement most like it (Jaccard
    of :func:`features` at least ``threshold``), or starts a new group. Largest groups first."""
    groups: list[NeedGroup] = []
    for statement, client in statements:
        f = features(statement)
        best, best_score = None, 0.0
        for group in groups:
            score = max(jaccard(f, other) for other in group.features)
            if score >= threshold and score > best_score:
                best, best_score = group, score
        if best is None:
            best = NeedGroup(statement, [])
            groups.append(best)
        if f not in best.features:
            best.features.append(f)
        best.statements.append((statement, client))
    return sorted(groups, key=lambda grp: (-len(grp.statements), -len(grp.clients), grp.wording))


def profile_files(paths: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
        elif path.is_file():
            out.append(path)
        else:
            raise UsageError(f"找不到 {path}")
    return list(dict.fromkeys(out))


def analyse(files: list[Path], catalog, cases, threshold: float = SIMILARITY) -> Coverage:
    """Match every profile in ``files`` and summarise what stays open."""
    # deferred: pyyaml, the matcher (keeps `pitchcraft --help` fast)
    from ..load import is_profile, load_profile
    from ..match.recommend import Matcher, recommend
    from ..model.vocab import INDUSTRIES
    from ..yamlsrc import read_yaml

    matcher = Matcher(catalog)
    unmatched: list[tuple[str, str]] = []
    recommended: set[str] = set()
    invalid: list[tuple[Path, str]] = []
    not_profiles: list[Path] = []
    n_profiles = n_statements = 0
    for path in files:
        try:
            profile, _warnings = load_profile(path)
        except InputError as exc:
            src, _ = read_yaml(path)
            if src is not None and not is_profile(src.data):
                not_profiles.append(path)
            else:
                first = exc.problems[0]
                invalid.append((path, f"{first.location()}: {first.field + '：' if first.field else ''}{first.message}"))
            continue
        rec = recommend(profile, catalog, cases, matcher)
        n_profiles += 1
        n_statements += len(rec.statements)
        unmatched += [(s, profile.name) for s in rec.unmatched]
        recommended |= {m.product.id for m in rec.all_products}

    active = [p for p in catalog.products if p.active]
    active_cases = [c for c in cases if c.active]
    used = {pid for c in active_cases for pid in c.products}
    with_case_industries = {c.industry for c in active_cases}
    return Coverage(
        profiles=n_profiles,
        statements=n_statements,
        unmatched=group_statements(unmatched, threshold),
        products_without_case=[p for p in active if p.id not in used],
        never_recommended=[p for p in active if p.id not in recommended] if n_profiles else [],
        industries_without_case=[i for i in INDUSTRIES if i not in with_case_industries],
        industries_without_product=[i for i in INDUSTRIES if not any(p.fits_industry(i) for p in active)],
        industries_generic_only=[i for i in INDUSTRIES if not any(i in p.industries for p in active)],
        invalid=invalid,
        not_profiles=not_profiles,
    )


@main.command("coverage")
@click.argument("profiles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--similarity", type=click.FloatRange(0.05, 1.0), default=SIMILARITY, show_default=True,
              help="说法相近的程度（字和相邻两字的 Jaccard 相似度），达到它的未匹配需求归为一组。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式。")
@click.pass_context
def coverage(ctx: click.Context, profiles: tuple[Path, ...], similarity: float, fmt: str) -> None:
    """汇总多个需求档案（文件夹或文件）：哪些需求没有产品对应，哪些产品、行业没有案例。

    未匹配的需求按相近的说法归组，多的在前，供产品经理发现新需求。
    """
    # deferred: pyyaml and the matcher, via the pipeline (keeps `pitchcraft --help` fast)
    from ..pipeline import load_content

    content = load_content(workspace_of(ctx))
    files = profile_files(profiles)
    if not files:
        raise UsageError(f"在 {'、'.join(map(str, profiles))} 中没有找到 .yaml 需求档案")
    report = analyse(files, content.catalog, content.cases, similarity)
    click.echo(to_json(report) if fmt == "json" else to_text(report))


def _product(p) -> str:
    return f"{p.name}（{p.id}）"


def to_text(r: Coverage) -> str:
    # deferred: pyyaml (keeps `pitchcraft --help` fast)
    from ..model.vocab import INDUSTRY_LABELS

    matched = r.statements - r.unmatched_count
    share = f"（{matched * 100 // r.statements}%）" if r.statements else ""
    out = [f"需求覆盖情况：{r.profiles} 个档案，共 {r.statements} 条需求，已有产品对应 {matched} 条{share}，"
           f"暂无产品对应 {r.unmatched_count} 条。", ""]
    out.append(f"暂无产品对应的需求（按相近说法归为 {len(r.unmatched)} 组，多的在前）：")
    for g in r.unmatched:
        out.append(f"  {len(g.statements):>3} 条  {g.wording}（{len(g.clients)} 个客户）")
        others = list(dict.fromkeys(s for s, _ in g.statements if s != g.wording))
        out += [f"          · {s}" for s in others[:3]]
        if len(others) > 3:
            out.append(f"          · 另有 {len(others) - 3} 种说法")
    if not r.unmatched:
        out.append("  （无）")

    def names(items, fmt) -> str:
        return "、".join(fmt(i) for i in items) if items else "无"

    out += ["",
            f"没有案例的在售产品（{len(r.products_without_case)} 个）：{names(r.products_without_case, _product)}",
            f"在这些档案中从未被推荐的在售产品（{len(r.never_recommended)} 个）：{names(r.never_recommended, _product)}",
            f"没有案例的行业（{len(r.industries_without_case)} 个）："
            f"{names(r.industries_without_case, INDUSTRY_LABELS.get)}",
            f"没有适用产品的行业（{len(r.industries_without_product)} 个）："
            f"{names(r.industries_without_product, INDUSTRY_LABELS.get)}",
            f"只有全行业通用产品、没有行业专属产品的行业（{len(r.industries_generic_only)} 个）："
            f"{names(r.industries_generic_only, INDUSTRY_LABELS.get)}"]
    if r.invalid:
        out += ["", f"有错误、未统计的档案（{len(r.invalid)} 个）："]
        out += [f"  {shown_path(where)}" for _path, where in r.invalid]
    if r.not_profiles:
        out += ["", f"另有 {len(r.not_profiles)} 个 YAML 文件不是需求档案（没有 client 和 needs），未统计，"
                    f"如 {shown_path(r.not_profiles[0])}。"]
    return "\n".join(out)


def to_json(r: Coverage) -> str:
    return json.dumps({
        "profiles": r.profiles,
        "statements": r.statements,
        "unmatched": [{"wording": g.wording, "count": len(g.statements), "clients": g.clients,
                       "statements": [s for s, _ in g.statements]} for g in r.unmatched],
        "products_without_case": [p.id for p in r.products_without_case],
        "never_recommended": [p.id for p in r.never_recommended],
        "industries_without_case": r.industries_without_case,
        "industries_without_product": r.industries_without_product,
        "industries_generic_only": r.industries_generic_only,
        "invalid": [{"file": str(p), "problem": why} for p, why in r.invalid],
        "not_profiles": [str(p) for p in r.not_profiles],
    }, ensure_ascii=False, indent=2)
