"""What many client profiles say about the catalog and the case library (``pitchcraft coverage``).

For product managers: the needs no product answers (a demand signal, grouped by similar wording),
the products no case shows, the industries without a case or without a product of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, UsageError
from ..load import is_profile, load_profile
from ..match.recommend import Matcher, recommend
from ..match.text import grams
from ..model.vocab import INDUSTRIES
from ..yamlsrc import read_yaml
from . import COVERAGE_SIMILARITY as SIMILARITY



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
            # every *.yaml entry, a pipe or a device too: analyse lists it among the unreadable ones
            out += sorted(p for p in path.rglob("*") if p.suffix.lower() in (".yaml", ".yml")
                          and not p.is_dir() and not p.name.startswith("."))
        elif path.is_file():
            out.append(path)
        elif path.exists():
            raise UsageError(f"{path} 不是普通文件（是设备、管道或其他特殊文件）；请给出需求档案或它们所在的文件夹")
        else:
            raise UsageError(f"找不到 {path}")
    return list(dict.fromkeys(out))


def analyse(files: list[Path], catalog, cases, threshold: float = SIMILARITY) -> Coverage:
    """Match every profile in ``files`` and summarise what stays open."""

    matcher = Matcher(catalog)
    unmatched: list[tuple[str, str]] = []
    recommended: set[str] = set()
    invalid: list[tuple[Path, str]] = []
    not_profiles: list[Path] = []
    n_profiles = n_statements = 0
    for path in files:
        try:
            profile, _warnings = load_profile(path)
            rec = recommend(profile, catalog, cases, matcher)  # a ``choices`` error is found here
        except InputError as exc:
            src, _ = read_yaml(path)
            if src is not None and not is_profile(src.data):
                not_profiles.append(path)
            else:
                first = exc.problems[0]
                invalid.append((path, f"{first.location()}: {first.field + '：' if first.field else ''}{first.message}"))
            continue
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
