"""Benchmark: ``pitchcraft catalog validate`` on a generated catalog of 5,000 products and 20,000 cases.

    python bench/bench_validate.py [--products 5000] [--cases 20000] [--runs 5] [--keep DIR]

The content is the shipped catalog and case library cloned until it reaches the size asked for
(realistic text: every product keeps its 8–15 client phrasings and its tariff items, every case its
body), with fresh ids and names, dates kept valid relative to today, and each case naming products
that exist, so the run is a clean pass, as on a well-kept catalog. It then times

- the whole command as a user runs it, in a new process (start-up, imports, reading, checking,
  output): the figure quoted in the README, best of ``--runs``;
- the linter in-process, in parallel (default), and its phases in one process, to show where the time
  goes: the catalog, the cases and the rules across files, and in the first two the YAML parsing alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pitchcraft.content.lint import (case_files, cpu_count, cross_check, lint, read_case, read_catalog,  # noqa: E402
                             split_front_matter)
from pitchcraft.yamlsrc import parse  # noqa: E402


def _dump(data) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, width=1000)


def generate(target: Path, n_products: int, n_cases: int) -> None:
    today = dt.date.today()
    catalog = yaml.safe_load((ROOT / "catalog" / "products.yaml").read_text(encoding="utf-8"))
    base = catalog["products"]
    shipped_cases = []
    for path in sorted((ROOT / "cases").glob("*.md")):
        front, body, _line = split_front_matter(path.read_text(encoding="utf-8"))
        shipped_cases.append((yaml.safe_load(front), body))
    rounds = -(-n_products // len(base))
    cases_per_round = -(-n_cases // rounds)

    def case_id(k: int) -> str:
        front = shipped_cases[k % len(shipped_cases)][0]
        return f"{front['id']}-{k:05d}"

    products = []
    for i in range(n_products):
        p = dict(base[i % len(base)])
        r = i // len(base)
        suffix = f"_{r:03d}"
        p["id"] += suffix
        p["name"] += f"（{r:03d}）"
        p["aliases"] = [f"{a}（{r:03d}）" for a in p.get("aliases") or []]
        if p.get("replaced_by"):
            p["replaced_by"] += suffix
        p["related_cases"] = [case_id(k) for k in range(r * cases_per_round, min((r + 1) * cases_per_round, n_cases))
                              if k % 97 == i % len(base)][:3]
        p["tariff"] = dict(p["tariff"], items=[dict(item, effective=today.replace(month=1, day=1),
                                                    expires=today.replace(year=today.year + 2))
                                               for item in p["tariff"].get("items") or []])
        products.append(p)
    catalog["products"] = products
    for bundle in (catalog.get("pricing") or {}).get("bundles") or ():  # bundles name first-round products
        bundle["products"] = [f"{pid}_000" for pid in bundle["products"]]
    (target / "catalog").mkdir(parents=True)
    (target / "catalog" / "products.yaml").write_text(_dump(catalog), encoding="utf-8")
    shutil.copy(ROOT / "catalog" / "company.yaml", target / "catalog" / "company.yaml")  # the issuer: validate requires it

    retired = {p["id"] for p in products if p.get("status") == "retired"}
    (target / "cases").mkdir()
    for k in range(n_cases):
        front, body = shipped_cases[k % len(shipped_cases)]
        front = dict(front, id=case_id(k), year=today.year - k % 3)
        r = min(k // cases_per_round, rounds - 1)
        front["products"] = [pid for pid in (f"{pid}_{r:03d}" for pid in front["products"]) if pid not in retired]
        (target / "cases" / f"{front['id']}.md").write_text(f"---\n{_dump(front)}---\n{body}", encoding="utf-8")


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def phases(catalog_file: Path, cases_dir: Path) -> dict[str, float]:
    """Seconds of each phase of one check in one process (the collector off, as lint() has it)."""
    today = dt.date.today()
    files = case_files(cases_dir)
    fronts = [split_front_matter(path.read_text(encoding="utf-8"))[0] for path in files]
    catalog_text = catalog_file.read_text(encoding="utf-8")
    out = {}
    gc.disable()
    try:
        start = time.perf_counter()
        cat = read_catalog(catalog_file, today=today)
        out["catalog"] = time.perf_counter() - start
        start = time.perf_counter()
        cases = [read_case(path, today=today, keep_case=False) for path in files]
        out["cases"] = time.perf_counter() - start
        start = time.perf_counter()
        cross_check(cat.catalog, cat.raw_status, cases)
        out["across files"] = time.perf_counter() - start
        del cat, cases
        start = time.perf_counter()
        parse(catalog_text, catalog_file)
        out["catalog YAML"] = time.perf_counter() - start
        start = time.perf_counter()
        for path, front in zip(files, fronts):
            parse(front, path, line_offset=1)
        out["cases YAML"] = time.perf_counter() - start
    finally:
        gc.enable()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="pitchcraft-bench-"))
    ws = workdir / "ws"
    try:
        if not (ws / "catalog" / "products.yaml").is_file():
            start = time.perf_counter()
            generate(ws, args.products, args.cases)
            print(f"generated {args.products} products and {args.cases} cases in {time.perf_counter() - start:.1f} s")
        size = (ws / "catalog" / "products.yaml").stat().st_size
        case_bytes = sum(p.stat().st_size for p in (ws / "cases").glob("*.md"))
        print(f"catalog {size / 1e6:.1f} MB, cases {case_bytes / 1e6:.1f} MB; {cpu_count()} CPUs; Python {sys.version.split()[0]}")

        command = [sys.executable, "-m", "pitchcraft", "--workspace", str(ws), "catalog", "validate"]
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
        first = subprocess.run(command, capture_output=True, text=True, env=env)
        summary = first.stdout.strip().splitlines()[-1] if first.stdout.strip() else first.stderr.strip()
        print(f"exit {first.returncode}: {summary}")
        if first.returncode != 0:
            sys.exit("the generated content should pass; see the output above")

        whole = timed(lambda: subprocess.run(command, capture_output=True, env=env, check=True), args.runs)
        print(f"pitchcraft catalog validate (whole process): best {min(whole):.2f} s, "
              f"median {statistics.median(whole):.2f} s over {args.runs} runs")
        catalog_file, cases_dir = ws / "catalog" / "products.yaml", ws / "cases"
        parallel = timed(lambda: lint(catalog_file, cases_dir), max(1, args.runs // 2))
        print(f"lint() in-process, {cpu_count()} processes: best {min(parallel):.2f} s")
        t = phases(catalog_file, cases_dir)
        total = t["catalog"] + t["cases"] + t["across files"]
        yaml_share = (t["catalog YAML"] + t["cases YAML"]) / total
        print(f"one process: {total:.2f} s = catalog {t['catalog']:.2f} s (YAML {t['catalog YAML']:.2f} s) "
              f"+ cases {t['cases']:.2f} s (YAML {t['cases YAML']:.2f} s) + across files {t['across files']:.2f} s; "
              f"YAML parsing {yaml_share:.0%}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

