"""Files to validated domain objects: profiles, the catalog, the case library.

Every function gathers all problems of its files and raises one :class:`InputError` with all of
them; warnings are returned to the caller, who decides whether to show them. The catalog and the
cases are read and checked by :mod:`pitchcraft.content.lint`, the one place of their rules (below
this module), so what ``catalog validate`` rejects never reaches a proposal.

The catalog, the case files, company.yaml and the province table, found without errors, are kept
in the user's cache folder ("kept between runs" below), so the next run reads back what this one
checked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import marshal
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from . import cache
from .content.lint import CaseFile, case_files, cross_check, read_case, read_catalog, read_company
from .errors import InputError, Problem
from .fsutil import write_file
from .model.case import Case
from .model.catalog import (Authority, Bundle, Catalog, IndustryCopy, PriceTier, Pricing, Product, ServiceLevel,
                            TariffItem)
from .model.company import (REGIONS_SPEC, Branch, Company, Issuer, Manager, Province, Regions, UnknownBranch,
                            build_regions, resolve_issuer)
from .model.profile import PROFILE_SPEC, Profile, build_profile
from .model.spec import INVALID, Ctx, read_checked, validate
from .reading import ReadError, read_regular
from .yamlsrc import Located, decode, parse, read_yaml


def _fail_if_errors(problems: list[Problem]) -> list[Problem]:
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return [p for p in problems if p.severity == "warning"]


def _top_level_mapping(src: Located | None, problems: list[Problem], what: str) -> bool:
    if src is None:
        return False
    if not isinstance(src.data, dict):
        kind = "列表" if isinstance(src.data, list) else "单个值"
        line, col = src.where(())
        problems.append(Problem(src.file, line, col, "", f"{what}的最外层应为键值对（如 client: …），实际是{kind}"))
        return False
    return True


def load_profile(path: Path) -> tuple[Profile, list[Problem]]:
    """Read and validate one client needs profile."""
    return profile_from(*read_yaml(path))


def profile_from(src: Located | None, problems: list[Problem]) -> tuple[Profile, list[Problem]]:
    """Validate a parsed profile (with the problems of reading it so far)."""
    if not _top_level_mapping(src, problems, "需求档案") or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    ctx = Ctx(src)
    data = validate(PROFILE_SPEC, ctx)
    problems += ctx.problems
    warnings = _fail_if_errors(problems)
    assert data is not INVALID
    return build_profile(data, str(src.file), src.where), warnings


def is_profile(data: Any) -> bool:
    """Whether parsed YAML looks like a needs profile at all (rather than some other YAML file)."""
    return isinstance(data, dict) and "client" in data and "needs" in data


def load_catalog(path: Path) -> tuple[Catalog, list[Problem]]:
    """The catalog, checked by every catalog rule; raises :class:`InputError` on any error."""
    catalog, problems = _checked_catalog(path)
    warnings = _fail_if_errors(problems)
    assert catalog is not None
    return catalog, warnings


def load_company(path: Path) -> tuple[Company, list[Problem]]:
    """The issuer (catalog/company.yaml), checked by every company rule; raises :class:`InputError`
    on any error, and when the file is missing: no document is issued by nobody."""
    if not Path(path).is_file():
        raise InputError([Problem(path, None, None, "", "找不到出具方信息文件（省公司、分公司、客户经理）；"
                                  "封面、页眉和联系方式都从这里取，请按 pitchcraft 自带的 catalog/company.yaml 格式建立",
                                  rule="io")])
    company, problems = _checked_company(path)
    warnings = _fail_if_errors(problems)
    assert company is not None
    return company, warnings


def load_regions(path: Path) -> Regions:
    """The province table (templates/regions.yaml) that tells a client of another province; raises
    :class:`InputError` when it breaks its format."""
    regions, problems = _checked_regions(path)
    _fail_if_errors(problems)
    if regions is None:
        raise InputError(problems or [Problem(path, None, None, "", "地区表无法读取", rule="io")])
    return regions


def with_regions(company: Company, regions_path: Path | None) -> Company:
    """The issuer that knows which province a region lies in (nothing known without the table)."""
    if regions_path is None:
        return company
    return dataclasses.replace(company, regions=load_regions(regions_path))


def load_case(path: Path) -> tuple[Case, list[Problem]]:
    """One case file: YAML front matter between ``---`` lines, then ``## 小节`` Markdown sections."""
    result = read_case(path)
    warnings = _fail_if_errors(result.problems)
    assert result.case is not None
    return result.case, warnings


def load_cases(folder: Path, catalog: Catalog | None, *, include_inactive: bool = False
               ) -> tuple[list[Case], list[Problem]]:
    """The case library a proposal may cite: every ``*.md`` in the folder, all files' problems together.

    Draft and archived cases are never cited, so they are left out, and so are their problems
    (``catalog validate`` still reports them); ``include_inactive`` keeps them, for browsing.
    """
    files = _checked_cases(case_files(folder))
    cited = files if include_inactive else [cf for cf in files if cf.status == "active"]
    problems = [p for cf in cited for p in cf.problems]
    concerned = {cf.path for cf in cited} | ({catalog.file} if catalog else set())
    problems += [p for p in cross_check(catalog, {}, files) if p.file in concerned]
    warnings = _fail_if_errors(problems)
    # that a case is invented is said when a proposal cites it (match.cases.sample_warnings)
    warnings = [p for p in warnings if p.rule != "case-sample"]
    return [cf.case for cf in cited if cf.case is not None], warnings


def issuer_for(company: Company, profile: Profile, profile_path: Path | None = None,
               raw: bytes | None = None, *, documents: bool = True) -> tuple[Issuer, list[Problem]]:
    """Who issues this client's documents, with what the manager is told about it as warnings on
    the profile (sample data of company.yaml: on that file); a branch the profile names that
    company.yaml does not have is bad input. With ``documents`` (the documents are to be made) a
    client of another province without a branch named is bad input too (client.region); without,
    as when only matching, it is a warning that says documents would be refused."""
    where = Path(profile_path) if profile_path else "需求档案"
    try:
        issuer, notes = resolve_issuer(company, region=profile.region, branch=profile.branch,
                                       manager=profile.manager, phone=profile.manager_phone)
    except UnknownBranch as exc:
        line, col = _position(raw, where, ("visit", "branch"))
        raise InputError([Problem(where, line, col, "visit.branch", str(exc), rule="schema")]) from None
    rules = {"client.region": "issuer-region", "visit.manager": "issuer-manager"}
    refused = [Problem(where, *_position(raw, where, tuple(n.field.split("."))), n.field, n.message,
                       rule="issuer-province") for n in notes if n.refuses]
    if documents and refused:
        raise InputError(refused)
    out = []
    positions = _company_positions(company.file, [n.where for n in notes if n.where is not None])
    for n in notes:
        if n.where is not None:
            out.append(Problem(company.file or "company.yaml", *positions[n.where], n.field,
                               n.message, "warning", "issuer-example"))
        else:
            out.append(Problem(where, *_position(raw, where, tuple(n.field.split("."))), n.field, n.message,
                               "warning", "issuer-province" if n.refuses else rules.get(n.field, "issuer")))
    return issuer, out


def _company_positions(file: Path | None, paths: list[tuple]) -> dict[tuple, tuple[int | None, int | None]]:
    """Where keys stand in company.yaml (line and column), for the notes about sample data: the
    file is read once for all of them, and not at all when there is none."""
    src = read_yaml(Path(file))[0] if paths and file is not None and Path(file).is_file() else None
    found = {}
    for path in paths:
        try:
            found[path] = src.where(path) if src is not None else (None, None)
        except (KeyError, IndexError, TypeError):
            found[path] = (None, None)
    return found


def _position(raw: bytes | None, file, path: tuple) -> tuple[int | None, int | None]:
    """Where a field stands in the profile's bytes (its line and column), for a message."""
    if raw is None:
        return None, None
    text, _ = decode(raw, Path(str(file)))
    src = parse(text, Path(str(file)))[0] if text is not None else None
    if src is None:
        return None, None
    data = src.data
    for part in path:  # a field the profile does not have has no line of its own
        if not isinstance(data, dict) or data.get(part) is None:
            return None, None
        data = data[part]
    return src.where(path)


# --- kept between runs ------------------------------------------------------------------------
#
# What the checks found depends on a file's bytes and name, on today's date (expired tariffs, stale
# cases) and on the checking code; an entry is keyed by all of them and by the Python whose marshal
# format it is in (:mod:`pitchcraft.cache`). Only what has no error is kept: a file with an error
# is checked afresh every time, so its messages are the checks' own. Reading back the shipped
# catalog, cases and company.yaml takes about 5 ms instead of about 30; the province table
# (templates/regions.yaml), read for every proposal, about 0.5 ms instead of about 2.5.

STORE_BELOW = 1_000       # case files, and a catalog under as many KiB: larger content is read once per batch worker
KEEP = 16                 # entries kept: the catalog, company.yaml, the province table, case libraries as edited
CODE = ("content", "model", "cache.py", "errors.py", "load.py", "reading.py", "yamlerrors.py", "yamlsrc.py")  # what checks
_KEPT = {cls.__name__: cls for cls in (Catalog, Product, TariffItem, PriceTier, ServiceLevel, IndustryCopy, Pricing,
                                        Bundle, Authority, Case, CaseFile, Company, Branch, Manager, Regions, Province,
                                        Problem, Located)}
_DERIVED = {Catalog: ("by_id", "by_name"), Company: ("_served",)}  # made again by their __post_init__


def _checked_catalog(path: Path) -> tuple[Catalog | None, list[Problem]]:
    """What :func:`read_catalog` finds, read back from the cache when it was kept."""
    def check():
        result = read_catalog(path)
        return result.catalog, result.problems

    return _kept("catalog", [path], check, limit=STORE_BELOW * 1024, stored=lambda found: (_positioned(found[0]), found[1]),
                 fits=lambda found: isinstance(found[0], Catalog) and type(found[1]) is list)


def _positioned(catalog: Catalog) -> Catalog:
    """The catalog as kept: with where each related case is written instead of the parsed file, for
    the messages about a related case the library no longer has (:func:`cross_check`)."""
    marks = {}
    for p in catalog.products:
        for j in range(len(p.related_cases)):
            path = ("products", catalog.index_of[p.id], "related_cases", j)
            marks[path] = catalog.src.where(path)
    return replace(catalog, src=Located(catalog.file, None, marks))


def _checked_cases(paths: list[Path]) -> list[CaseFile]:
    """What :func:`read_case` finds in each file, read back from the cache when it was kept."""
    if len(paths) >= STORE_BELOW:
        return [read_case(path) for path in paths]
    return _kept("cases", paths, lambda: [read_case(path) for path in paths],
                 problems=lambda files: [p for cf in files for p in cf.problems],
                 fits=lambda files: len(files) == len(paths) and all(type(cf) is CaseFile for cf in files))


def _checked_company(path: Path) -> tuple[Company | None, list[Problem]]:
    """What :func:`read_company` finds, read back from the cache when it was kept."""
    def check():
        result = read_company(path)
        return result.company, result.problems

    return _kept("company", [path], check, limit=STORE_BELOW * 1024,
                 fits=lambda found: isinstance(found[0], Company) and type(found[1]) is list)


def _checked_regions(path: Path) -> tuple[Regions | None, list[Problem]]:
    """The province table and the problems of reading it, read back from the cache when it was kept."""
    def check():
        src, data, problems = read_checked(path, REGIONS_SPEC)
        if src is None or data is INVALID or any(p.severity == "error" for p in problems):
            return None, problems
        return build_regions(data, Path(path)), problems

    return _kept("regions", [path], check, limit=STORE_BELOW * 1024,
                 fits=lambda found: isinstance(found[0], Regions) and type(found[1]) is list)


def _kept(kind: str, paths: list[Path], check: Callable[[], Any], *, fits: Callable[[Any], bool],
          problems: Callable[[Any], list[Problem]] = lambda found: found[1],
          stored: Callable[[Any], Any] = lambda found: found, limit: int | None = None) -> Any:
    """``check()`` of ``paths``, read back when an earlier run kept it for these very files (and
    what is read ``fits``); else checked and, without an error among its ``problems``, kept as
    ``stored`` makes it. Files that cannot be read, or are over ``limit`` bytes, are just checked."""
    raw = _contents(paths, limit)
    folder = cache.cache_folder("content") if raw is not None else None
    if folder is None:
        return check()
    entry = folder / _key(kind, paths, raw)
    try:
        found = cache.from_plain(marshal.loads(cache.unsealed(entry.read_bytes())), _KEPT)
        if fits(found):
            return found
    except Exception:  # noqa: BLE001 - a missing, damaged or foreign entry: the files are checked
        pass
    found = check()
    if not any(p.severity == "error" for p in problems(found)) and _contents(paths, limit) == raw:  # not edited meanwhile
        try:
            write_file(entry, cache.sealed(marshal.dumps(cache.to_plain(stored(found), _KEPT, _DERIVED))), mode=0o600)
        except (OSError, TypeError, ValueError):
            return found
        cache.prune(folder, KEEP)
    return found


def _contents(paths: list[Path], limit: int | None) -> list[bytes] | None:
    """The files' bytes; None when one cannot be read (the check says why) or is over ``limit``."""
    try:
        return [read_regular(path, limit) if limit else read_regular(path) for path in paths]
    except ReadError:
        return None


def _key(kind: str, paths: list[Path], contents: list[bytes]) -> str:
    h = hashlib.sha256(f"{kind}\0{cache.MARSHAL}\0{dt.date.today()}\0{_checking_code()}\n".encode())
    for path, raw in zip(paths, contents):
        h.update(f"{path}\0{hashlib.sha256(raw).hexdigest()}\n".encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def _checking_code() -> str:
    here = Path(__file__).parent
    files = [f for name in CODE for f in (sorted((here / name).rglob("*")) if (here / name).is_dir() else [here / name])
             if f.suffix in (".py", ".yaml")]
    return cache.code_digest(*files)
