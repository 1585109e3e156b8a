"""All of pitchcraft's benchmarks, in one command: ``python bench/run.py``.

Prints Markdown tables (and, with ``--readme``, writes them into README.md between the
``bench:run.py`` markers, leaving the rest of the "Benchmarks" section alone):

1. one ``pitchcraft generate`` as a whole process, against the floor of this stack — a Python
   process that imports python-docx and python-pptx and saves a blank document and a blank deck;
2. the stages of one proposal in a warm process: load, match, compose, render (docx, pptx), write;
3. matching against a generated catalog (5,000 products) and case library (20,000 cases), with
   loading and the index build timed apart from the per-profile matching;
4. ``pitchcraft batch`` over 500 generated profiles with 1 and with 2 workers: proposals per second
   and peak memory per worker;
5. a projection of a province-wide run (100,000 clients) from those figures.

Everything is generated into a temporary folder; nothing is written into the repository except the
README with ``--readme``. ``--quick`` runs tiny sizes (for the smoke test), whose figures mean
nothing. Other ``bench/bench_*.py`` scripts are run after these and their output is appended.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "src")]  # this checkout's pitchcraft, whatever is installed
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}

import synth_content  # noqa: E402

EXAMPLE = ROOT / "examples" / "precision-manufacturing.yaml"
FLOOR = """\
import sys
from pathlib import Path
import docx, pptx
out = Path(sys.argv[1])
docx.Document().save(str(out / "blank.docx"))
pptx.Presentation().save(str(out / "blank.pptx"))
"""
MARK_START, MARK_END = "<!-- bench:run.py start -->", "<!-- bench:run.py end -->"

TARGET_PROCESS_RATIO = 2.0
TARGET_MATCH_MS = 50.0
TARGET_RATE = 12.0
PROVINCE = 100_000


# --- helpers ----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    from importlib.metadata import version

    return {
        "date": dt.date.today().isoformat(),
        "cpu": model,
        "cores": str(cores),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "libs": f"python-docx {version('python-docx')}, python-pptx {version('python-pptx')}, lxml {version('lxml')}",
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 3 else f"{seconds:.1f} s"


def table(header: tuple[str, ...], rows: list[tuple]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


# --- 1. one generate as a whole process --------------------------------------------------------


def timed(cmd: list[str], before=None, env: dict[str, str] = ENV) -> tuple[float, float]:
    """One run of a command (which must succeed): its wall-clock and CPU seconds (user + system,
    of the process and its children)."""
    if before:
        before()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{done.stderr}")
    return elapsed, (now.ru_utime - used.ru_utime) + (now.ru_stime - used.ru_stime)


def bench_process(tmp: Path, runs: int, warm: int = 1, against: Path | None = None) -> tuple[str, dict]:
    py = sys.executable
    # pip byte-compiles an installed package, and the floor's python-docx and python-pptx are
    # compiled; this checkout's sources are compiled the same way, or a PYTHONDONTWRITEBYTECODE
    # environment would recompile every module of pitchcraft on every run.
    for checkout in (ROOT, against) if against else (ROOT,):
        subprocess.run([py, "-m", "compileall", "-q", str(checkout / "src")], check=True, capture_output=True)
    floor_dir = tmp / "floor"
    floor_dir.mkdir()
    out = tmp / "generate"

    def fresh():
        shutil.rmtree(out, ignore_errors=True)

    def generate(checkout: Path) -> list[str]:
        return [py, "-m", "pitchcraft", "--workspace", str(checkout), "generate", str(checkout / EXAMPLE.relative_to(ROOT)),
                "--out", str(out)]

    commands = {
        "floor": ([py, "-c", FLOOR, str(floor_dir)], None, ENV),
        "startup": ([py, "-m", "pitchcraft", "--version"], None, ENV),
        "generate": (generate(ROOT), fresh, ENV),
    }
    if against:  # another checkout's generate in the same rounds, run from its own sources and content
        commands["against"] = (generate(against), fresh, {**ENV, "PYTHONPATH": str(against / "src")})
    # Interleaved, floor / start-up / generate in turn, so a change in the shared machine's load
    # falls on all three alike; the first round warms the OS file cache and caches and is not counted.
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for i in range(warm + runs):
        for name, (cmd, before, env) in commands.items():
            run = timed(cmd, before, env)
            if i >= warm:
                times[name].append(run)
    wall, cpu = ({name: statistics.median(t[k] for t in times[name]) for name in commands} for k in (0, 1))
    (f, s, g), (fc, sc, gc) = ([figures[name] for name in ("floor", "startup", "generate")] for figures in (wall, cpu))
    ratio = g / f
    rows = [
        ("floor: import python-docx + python-pptx, save a blank document and deck", ms(f), "1.0×", ms(fc), "1.0×"),
        ("`pitchcraft --version` (start-up only)", ms(s), f"{s / f:.1f}×", ms(sc), f"{sc / fc:.1f}×"),
        (f"`pitchcraft generate {EXAMPLE.relative_to(ROOT)}`", ms(g), f"**{ratio:.1f}×**", ms(gc),
         f"{gc / fc:.1f}×"),
    ]
    if against:
        a, ac = wall["against"], cpu["against"]
        rows.append((f"the same, by {_described(against)}", ms(a), f"{a / f:.1f}×", ms(ac), f"{ac / fc:.1f}×"))
    text = (f"Median of {runs} runs each, interleaved, after {warm} warm-up round; pitchcraft byte-compiled as "
            "`pip install` leaves it; CPU is user + system time, less sensitive than wall time to other work "
            "on the machine. "
            f"Target: at most {TARGET_PROCESS_RATIO:.0f}× the floor's wall time — "
            f"{met(ratio <= TARGET_PROCESS_RATIO)}.\n\n"
            + table(("process", "wall time", "× floor", "CPU time", "× floor"), rows))
    return text, {"floor": f, "generate": g, "ratio": ratio, "cpu_ratio": gc / fc}


def _described(checkout: Path) -> str:
    """``the checkout at 2b4ce8e`` for a git checkout, else its folder."""
    done = subprocess.run(["git", "-C", str(checkout), "log", "-1", "--format=%h"], capture_output=True, text=True)
    return f"the checkout at {done.stdout.strip()}" if done.returncode == 0 and done.stdout.strip() else f"`{checkout}`"


# --- 2. the stages of one proposal, warm ------------------------------------------------------


def bench_stages(tmp: Path, repeats: int, n_examples: int | None = None) -> tuple[str, dict]:
    from pitchcraft import compose, write
    from pitchcraft.match.recommend import Matcher, recommend
    from pitchcraft.pipeline import load_content, read_profile
    from pitchcraft.render import docx as render_docx, pptx as render_pptx
    from pitchcraft.workspace import Workspace

    ws = Workspace.open(ROOT)
    now = dt.datetime.now().astimezone()
    examples = sorted((ROOT / "examples").glob("*.yaml"))[:n_examples]
    stages: dict[str, list[float]] = {k: [] for k in
                                      ("load profile", "load catalog + cases", "build matcher", "match",
                                       "compose", "render docx", "render pptx", "write folder")}
    out = tmp / "stages"
    for rep in range(repeats + 1):  # the first round warms imports and caches and is not counted
        for example in examples:
            t0 = time.perf_counter()
            profile, raw, _ = read_profile(example)
            t1 = time.perf_counter()
            content = load_content(ws)
            t2 = time.perf_counter()
            matcher = Matcher(content.catalog)
            t3 = time.perf_counter()
            rec = recommend(profile, content.catalog, content.cases, matcher)
            t4 = time.perf_counter()
            proposal = compose.compose(rec, ws, today=now.date())
            t5 = time.perf_counter()
            docx_bytes = render_docx.render(proposal, ws.template("reference.docx"))
            t6 = time.perf_counter()
            pptx_bytes = render_pptx.render(proposal, ws.template("reference.pptx"))
            t7 = time.perf_counter()
            files = {"proposal.docx": docx_bytes, "pitch.pptx": pptx_bytes, "profile.yaml": raw}
            write.write_folder(out, f"{rep}-{example.stem}", files, write.manifest(example, content.catalog, files, now),
                               force=False)
            t8 = time.perf_counter()
            if rep:
                for key, (a, b) in zip(stages, [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6),
                                                (t6, t7), (t7, t8)]):
                    stages[key].append(b - a)
    med = {k: statistics.median(v) for k, v in stages.items()}
    total = sum(med.values())
    rows = [(k, ms(v), f"{100 * v / total:.0f}%") for k, v in med.items()]
    rows.append(("**one proposal, all stages**", f"**{ms(total)}**", "100%"))
    text = (f"Median over {repeats} rounds of {len(examples)} examples, in one warm process "
            "(imports done), shipped catalog and cases.\n\n" + table(("stage", "time", "share"), rows))
    return text, {"stages": med, "total": total}


# --- 3. matching at scale ---------------------------------------------------------------------


def bench_match(tmp: Path, n_products: int, n_cases: int) -> tuple[str, dict]:
    from pitchcraft.load import load_catalog, load_cases
    from pitchcraft.match.recommend import Matcher, recommend
    from pitchcraft.pipeline import read_profile

    t = time.perf_counter()
    root = synth_content.make_workspace(tmp / "big", n_products, n_cases)
    t_gen = time.perf_counter() - t
    t = time.perf_counter()
    catalog, _ = load_catalog(root / "catalog" / "products.yaml")
    t_catalog = time.perf_counter() - t
    t = time.perf_counter()
    cases, _ = load_cases(root / "cases", catalog)
    t_cases = time.perf_counter() - t
    t = time.perf_counter()
    matcher = Matcher(catalog)
    t_index = time.perf_counter() - t
    profiles = [read_profile(p)[0] for p in synth_content.PROFILE_SOURCES]
    recommend(profiles[0], catalog, cases, matcher)  # warm-up
    per = []
    for profile in profiles:
        t = time.perf_counter()
        recommend(profile, catalog, cases, matcher)
        per.append(time.perf_counter() - t)
    med, worst = statistics.median(per), max(per)
    size = (root / "catalog" / "products.yaml").stat().st_size / 1024 / 1024
    rows = [
        (f"generate the content (not pitchcraft; {size:.0f} MB catalog)", ms(t_gen)),
        (f"load + validate the catalog ({len(catalog.products):,} products)", ms(t_catalog)),
        (f"load + validate the cases ({len(cases):,} cases)", ms(t_cases)),
        (f"build the matcher's index ({len(matcher.index.docs):,} phrasings)", ms(t_index)),
        (f"**match one profile** (median of {len(per)}; slowest)", f"**{ms(med)}**; {ms(worst)}"),
    ]
    text = (f"Target: under {TARGET_MATCH_MS:.0f} ms per profile once loaded — {met(med * 1000 < TARGET_MATCH_MS)}.\n\n"
            + table(("step", "time"), rows))
    return text, {"match_median": med, "match_max": worst, "load_catalog": t_catalog, "load_cases": t_cases,
                  "index": t_index}


# --- 4. batch ---------------------------------------------------------------------------------


def bench_batch(tmp: Path, n_profiles: int, worker_counts: list[int]) -> tuple[str, dict]:
    from pitchcraft.prep import batch
    from pitchcraft.workspace import Workspace

    ws = Workspace.open(ROOT)
    profiles = tmp / "campaign"
    synth_content.write_profiles(profiles, n_profiles)
    rows, rates = [], {}
    for workers in worker_counts:
        out = tmp / f"batch-{workers}"
        report = batch.run(ws, profiles, out, workers=workers)
        made = len(report.with_status("generated"))
        if made != n_profiles:
            failed = report.with_status("failed")
            raise SystemExit(f"batch generated {made} of {n_profiles}: {failed[:1]}")
        rate = made / report.seconds
        rates[workers] = rate
        peak = max(report.peak_rss.values()) / 1024 / 1024 if report.peak_rss else float("nan")
        rows.append((f"{workers}", f"{made}", f"{report.seconds:.1f} s", f"**{rate:.2f}**", f"{peak:.0f} MB"))
    sizes = [sum(f.stat().st_size for f in folder.iterdir()) for folder in (tmp / f"batch-{worker_counts[-1]}").iterdir()]
    t = time.perf_counter()
    rerun = batch.run(ws, profiles, tmp / f"batch-{worker_counts[-1]}", workers=worker_counts[-1])
    t_rerun = time.perf_counter() - t
    assert len(rerun.with_status("skipped")) == n_profiles
    best = rates[max(worker_counts)]
    scaling = rates[max(worker_counts)] / rates[min(worker_counts)] if len(rates) > 1 else 1.0
    text = (f"{n_profiles} generated profiles (examples and evaluation profiles for other clients), shipped "
            f"catalog and cases, `pitchcraft batch` as a library call; time from start to the last folder, "
            f"worker start-up included. Target: at least {TARGET_RATE:.0f} proposals (Word + PPT) per second on "
            f"2 workers — {met(best >= TARGET_RATE)}.\n\n"
            + table(("workers", "proposals", "wall time", "proposals / s", "peak memory per worker"), rows)
            + f"\n\n{max(worker_counts)} workers over 1: ×{scaling:.2f}. A rerun with nothing to do "
              f"(all {n_profiles} up to date) takes {ms(t_rerun)}.")
    return text, {"rates": rates, "rerun": t_rerun, "folder_bytes": statistics.mean(sizes)}


# --- 5. projection ----------------------------------------------------------------------------


def projection(rates: dict[int, float], cores: int, folder_bytes: float) -> str:
    one = rates[min(rates)]
    two = rates[max(rates)]
    per_core = two / max(rates)
    hours_here = PROVINCE / two / 3600
    rows = []
    for c in (cores, 8, 16, 32):
        rate = per_core * c  # the batch is CPU-bound and shares nothing between workers
        rows.append((f"{c} cores", f"{rate:.1f}", f"{PROVINCE / rate / 3600:.1f} h",
                     f"{math.ceil(PROVINCE / rate / (8 * 3600))}"))
    return (f"From the measured rate per core ({per_core:.2f} proposals/s with {max(rates)} workers; "
            f"{one:.2f}/s with 1), assuming the batch keeps scaling with cores as it does here "
            f"(each worker is independent and CPU-bound; the output is {folder_bytes / 1e6:.1f} MB per client, "
            f"{folder_bytes * PROVINCE / 1e9:.0f} GB for the province):\n\n"
            + table(("machine", "proposals / s", f"{PROVINCE:,} clients take", "machines for one 8-hour night"), rows)
            + f"\n\nOn this machine alone: {hours_here:.1f} h.")


# --- main -------------------------------------------------------------------------------------


def others(quick: bool) -> str:
    """The output of the other benchmark scripts in bench/ (not run with --quick)."""
    scripts = sorted(p for p in HERE.glob("bench_*.py"))
    if quick or not scripts:
        return ""
    parts = []
    for script in scripts:
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, env=ENV)
        body = done.stdout.strip() if done.returncode == 0 else f"(failed: {done.stderr.strip()[-300:]})"
        parts.append(f"#### {script.name}\n\n{body}")
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="pitchcraft's benchmarks")
    ap.add_argument("--quick", action="store_true", help="tiny sizes, to check the script works")
    ap.add_argument("--products", type=int, default=5000)
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--profiles", type=int, default=500, help="batch size")
    ap.add_argument("--runs", type=int, default=5, help="runs of each whole process")
    ap.add_argument("--repeats", type=int, default=3, help="rounds of the in-process stages")
    ap.add_argument("--only", nargs="+", choices=["process", "stages", "match", "batch"],
                    help="run only these parts (the projection needs batch), not the other bench_*.py scripts")
    ap.add_argument("--readme", action="store_true", help="write the result into README.md")
    ap.add_argument("--against", type=Path, metavar="CHECKOUT",
                    help="also time another checkout's generate in the same rounds (e.g. `git worktree add /tmp/base main`)")
    args = ap.parse_args(argv)
    # the batch's workers are started afresh (forkserver): without this checkout's sources on their
    # PYTHONPATH they import whatever pitchcraft is installed (an editable install of another
    # checkout, say), and the batch table would measure that code
    os.environ["PYTHONPATH"] = ENV["PYTHONPATH"]
    warm, n_examples = 1, None
    if args.quick:
        args.products, args.cases, args.profiles, args.runs, args.repeats = 40, 60, 2, 1, 1
        warm, n_examples = 0, 1
    parts = set(args.only or ["process", "stages", "match", "batch"])
    info = machine()
    sections = [f"Measured on {info['date']}: {info['cpu']}, {info['cores']} cores (`nproc`), Python "
                f"{info['python']}, {info['os']}; {info['libs']}. Command: `python bench/run.py`"
                + (" --quick (sizes too small to mean anything)" if args.quick else "") + "."]
    print(sections[0] + "\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="pitchcraft-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if "process" in parts:
            text, _ = bench_process(tmp, args.runs, warm, args.against.resolve() if args.against else None)
            sections.append("#### One proposal as a whole process\n\n" + text)
            print(sections[-1] + "\n", flush=True)
        if "stages" in parts:
            text, _ = bench_stages(tmp, args.repeats, n_examples)
            sections.append("#### One proposal, stage by stage\n\n" + text)
            print(sections[-1] + "\n", flush=True)
        if "match" in parts:
            text, _ = bench_match(tmp, args.products, args.cases)
            sections.append(f"#### Matching against {args.products:,} products and {args.cases:,} cases\n\n" + text)
            print(sections[-1] + "\n", flush=True)
        if "batch" in parts:
            text, figures = bench_batch(tmp, args.profiles, [1, 2])
            sections.append(f"#### Batch of {args.profiles} profiles\n\n" + text)
            print(sections[-1] + "\n", flush=True)
            sections.append(f"#### Projection: a province-wide run of {PROVINCE:,} clients\n\n"
                            + projection(figures["rates"], int(info["cores"]), figures["folder_bytes"]))
            print(sections[-1] + "\n", flush=True)
    extra = others(args.quick) if not args.only else ""  # --only: just the parts asked for
    if extra:
        print(extra)
    if args.readme:
        if args.only:  # only these parts' tables are replaced, each saying when it was measured
            note = (f"*This part measured on {info['date']} with `python bench/run.py --only "
                    f"{' '.join(sorted(parts))}{' --against CHECKOUT' if args.against else ''}`; {info['cpu']}, {info['cores']} cores, Python {info['python']}.*")
            write_readme_parts([noted(section, note) for section in sections[1:]])
        else:
            write_readme("\n\n".join(sections))
        print(f"README.md updated between {MARK_START} and {MARK_END}.")
    return 0


def write_readme(body: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = f"{MARK_START}\n{body}\n{MARK_END}"
    if MARK_START in text and MARK_END in text:
        text = re.sub(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def noted(section: str, note: str) -> str:
    """A section with ``note`` as its first paragraph, under its heading."""
    heading, _, rest = section.partition("\n\n")
    return f"{heading}\n\n{note}\n\n{rest}"


def write_readme_parts(sections: list[str]) -> None:
    """Replace, inside the README's block, the sections of the same headings (``#### ...``) as
    ``sections``, leaving the others as they were."""
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if MARK_START not in text or MARK_END not in text:
        raise SystemExit("README.md has no benchmark block: run without --only first")
    start, end = text.index(MARK_START) + len(MARK_START), text.index(MARK_END)
    body = text[start:end]
    for section in sections:
        heading = section.split("\n", 1)[0]
        pattern = re.escape(heading) + r"\n.*?(?=\n#### |\Z)"  # up to the next section or the block's end
        if not re.search(pattern, body, flags=re.S):
            raise SystemExit(f"README.md's benchmark block has no section {heading!r}: run without --only")
        body = re.sub(pattern, lambda _m, new=section: new.rstrip("\n") + "\n", body, count=1, flags=re.S)
    readme.write_text(text[:start] + body + text[end:], encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
