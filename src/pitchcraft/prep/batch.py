"""Campaigns: every needs profile of a folder turned into a proposal and a pitch, in parallel.

The parent process checks the workspace once (a broken catalog is one clear error, not five hundred),
reads what the output folder already holds, and plans each profile:

- **skipped** when a folder made from the same profile bytes and the same catalog, cases, templates
  and tool version exists anywhere in the output folder and every file in it still has the checksum
  its manifest records — whatever the date in the folder's name, so a rerun on a later day still
  recognises yesterday's work;
- **failed** when the profile cannot be read (its problems are the reason), or when its folder name
  (``<date>-<client>``) is already another profile's: two profiles of one client on one day never
  overwrite each other, the second is reported with the reason;
- otherwise **to do**: a worker process renders it and writes the folder atomically
  (:mod:`pitchcraft.write`), replacing an earlier folder of the same profile file that is out of date,
  broken or half-written.

Workers load the catalog, the cases and the matcher's index once, then take profiles one after the
other. One bad profile never stops the others: its error is its outcome. A worker that dies outright
(out of memory, a crash in a C library) takes only its own profile with it: the profiles it was
working on are retried one by one in a fresh process, and the one that kills that process too is
reported as failed.

A run killed at any moment leaves only complete folders and hidden staging folders; the next run
removes the staging folders and redoes what is missing, so rerunning the same command is always safe.
Two runs into the same output folder at once decide and rename under one lock, so neither loses or
clobbers the other's work; at worst both render a profile and the second keeps the first's folder.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import write
from ..errors import InputError, PitchcraftError, UsageError
from ..match.choices import choice_problems
from ..pipeline import Inputs, Session, read_profile, sha256
from ..reading import os_message
from ..workspace import Workspace
from ..yamlsrc import PROFILE_LIMITS, read_bytes

GENERATED, SKIPPED, FAILED = "generated", "skipped", "failed"
PROFILE_SUFFIXES = (".yaml", ".yml")
RECYCLE_AFTER = 200  # profiles per worker before its process is replaced: lxml's and malloc's memory
                     # creeps up over hundreds of documents (75 MB -> 130 MB in 500); a new process
                     # costs about a second. (max_tasks_per_child is not used: it deadlocks, gh-115634.)


@dataclass
class Outcome:
    profile: Path
    status: str               # generated | skipped | failed
    folder: Path | None = None
    reason: str = ""          # why it failed (or, for a skip, why it needed no work)
    warnings: int = 0


@dataclass
class Report:
    outcomes: list[Outcome]
    out_dir: Path
    workers: int                                   # worker processes started
    seconds: float
    peak_rss: dict[int, int] = field(default_factory=dict)  # worker pid -> peak resident memory, bytes

    def with_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def ok(self) -> bool:
        return not self.with_status(FAILED)


def profile_files(folder: Path) -> list[Path]:
    """The profiles of a campaign folder: its ``*.yaml`` / ``*.yml`` entries, in name order. Every
    such entry counts, whatever it is: one that is no regular file (a pipe, a link to a device, a
    folder named ``x.yaml``, a broken link) fails with its reason in the report, never unseen."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"档案文件夹不存在：{folder}")
    files = sorted(p for p in folder.iterdir()
                   if p.suffix.lower() in PROFILE_SUFFIXES and not p.name.startswith("."))
    if not files:
        raise UsageError(f"{folder} 中没有需求档案（.yaml 文件）")
    return files


def reason_of(exc: BaseException) -> str:
    """An error as one outcome's reason, in the words the CLI would print."""
    if isinstance(exc, InputError):
        return "\n".join(str(p) for p in exc.problems)
    if isinstance(exc, PitchcraftError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "内存不足，无法处理这份档案"
    if isinstance(exc, OSError):
        return os_message(exc)
    return f"内部错误（请把这份档案发给维护人员）：{type(exc).__name__}: {exc}"


# --- what the output folder already holds ------------------------------------------------------


class _Index:
    """The proposal folders of an output folder, by profile checksum and by name (manifests read once)."""

    def __init__(self, out_dir: Path):
        self.by_sha: dict[str, list[tuple[Path, dict]]] = {}
        self.by_name: dict[str, dict | None] = {}
        for folder in write.proposal_folders(out_dir):
            meta = write.read_manifest(folder)
            self.by_name[folder.name] = meta
            if meta and isinstance(meta.get("profile_sha256"), str):
                self.by_sha.setdefault(meta["profile_sha256"], []).append((folder, meta))

    def current(self, sha: str, inputs: Inputs) -> Path | None:
        """A folder made from these profile bytes and these inputs, with every file intact."""
        for folder, meta in sorted(self.by_sha.get(sha, ()), key=lambda fm: fm[0].name, reverse=True):
            if inputs.matches(meta) and write.intact(folder, meta):
                return folder
        return None


def is_current(folder: Path, meta: dict | None, sha: str, inputs: Inputs) -> bool:
    return bool(meta) and meta.get("profile_sha256") == sha and inputs.matches(meta) and write.intact(folder, meta)


def owner_if_other(folder: Path, meta: dict | None, profile_name: str) -> str | None:
    """The profile file an intact folder was made from, when that is not ``profile_name``.

    A folder without a readable manifest, or whose files do not match it, belongs to nobody: it is
    the remains of a run that was killed or of a copy that went wrong, and it is redone.
    """
    if meta is None or not write.intact(folder, meta):
        return None
    owner = str(meta.get("profile") or "")
    return owner if owner != profile_name else None


def _taken(name: str, owner: str) -> str:
    return (f"建议书文件夹 {name} 已由另一份档案 {owner} 生成（同一客户、同一天），未覆盖。"
            f"如确为同一客户，请合并两份档案，或删除该文件夹后重新运行")


# --- the work of one profile, in a worker process ---------------------------------------------


@dataclass(frozen=True)
class Job:
    profile: Path
    sha: str
    name: str           # the folder to write: <date>-<client>
    out_dir: Path
    now: dt.datetime
    force: bool


_session: Session | None = None
_session_error: str | None = None


def exit_with_parent(parent: int, every: float = 1.0) -> None:
    """End this process when the batch's parent process ends, even by ``kill -9``: a worker holds
    75 MB, and nothing else would ever stop it.

    On Linux the kernel sends SIGKILL when the process that forked this one dies (prctl
    PR_SET_PDEATHSIG); that is the forkserver, so a thread also watches the batch's own process
    and leaves as soon as it is gone, on every platform.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes  # deferred: only on Linux, once per worker

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the thread below suffices
            pass

    def watch() -> None:
        while _alive(parent):
            time.sleep(every)
        os._exit(1)

    if not _alive(parent):
        os._exit(1)
    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - alive, under another user
        return True
    if sys.platform.startswith("linux"):  # a parent killed but not yet reaped is a zombie: gone
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
        except OSError:
            return False
    return True


def _init_worker(root: str, parent: int | None = None) -> None:
    """Load the workspace once per worker process."""
    global _session, _session_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: work in hand finishes
    if parent is not None:
        exit_with_parent(parent)
    try:
        _session = Session.open(Workspace.open(root))
        _session.matcher, _session.inputs  # built now, not inside the first profile's timing
    except Exception as exc:  # noqa: BLE001 - reported for every profile instead
        _session_error = reason_of(exc)


def run_job(job: Job) -> Outcome:
    """Render one profile and write its folder; every error becomes the outcome's reason."""
    if _session is None:
        return Outcome(job.profile, FAILED, reason=_session_error or "工作进程未能加载工作目录")
    try:
        built = _session.build(job.profile, now=job.now)
        if built.profile_sha256 != job.sha:
            return Outcome(job.profile, FAILED, reason="档案在批量生成过程中被修改了，请重新运行以生成新内容")
        inputs = _session.inputs

        def decide(target: Path) -> str:  # under the output folder's lock
            if not target.exists():
                return "create"
            meta = write.read_manifest(target)
            if not job.force and is_current(target, meta, job.sha, inputs):
                return "keep"  # another run wrote it meanwhile
            owner = owner_if_other(target, meta, job.profile.name)
            if owner:
                raise UsageError(_taken(target.name, owner))
            return "replace"

        action, folder = write.commit_folder(job.out_dir, built.folder_name, built.files, built.manifest, decide)
        if action == "keep":
            return Outcome(job.profile, SKIPPED, folder, "另一次运行刚刚生成了同样的建议书", len(built.warnings))
        return Outcome(job.profile, GENERATED, folder, "", len(built.warnings))
    except Exception as exc:  # noqa: BLE001 - one profile's failure is its outcome, never the batch's
        return Outcome(job.profile, FAILED, reason=reason_of(exc))


def _peak_rss() -> int:
    try:
        import resource  # deferred: a POSIX-only module, absent on Windows
    except ImportError:  # pragma: no cover - Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _task(job: Job, work: Callable[[Job], Outcome]) -> tuple[Outcome, int, int]:
    outcome = work(job)
    return outcome, os.getpid(), _peak_rss()


# --- the run ----------------------------------------------------------------------------------


def start_method() -> str:
    """forkserver where there is one (Linux, macOS): each worker is forked from a clean server that
    has already imported the renderers, so starting one costs little and no lock or lxml state of the
    parent is copied; spawn elsewhere."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


PRELOAD = ["pitchcraft.pipeline", "pitchcraft.compose", "pitchcraft.render.docx", "pitchcraft.render.pptx",
           "pitchcraft.match.recommend", "pitchcraft.content.lint"]


def run(ws: Workspace, profile_dir: Path, out_dir: Path | None = None, *, workers: int | None = None,
        force: bool = False, now: dt.datetime | None = None,
        progress: Callable[[Outcome], None] | None = None, session: Session | None = None,
        method: str | None = None, work: Callable[[Job], Outcome] = run_job) -> Report:
    """Every profile of ``profile_dir`` into ``out_dir`` (default: the workspace's proposals/).

    ``progress`` is called once per profile as its outcome is known. ``session`` is the parent's
    loaded workspace (opened here when not given). ``work`` is what a worker does with a job (tests
    replace it to simulate a crash).
    """
    started = time.perf_counter()
    files = profile_files(profile_dir)
    session = session or Session.open(ws)
    inputs = session.inputs
    out_dir = Path(out_dir) if out_dir else ws.proposals_dir
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"输出位置不是文件夹：{out_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    write.clean_stale(out_dir)
    now = now or dt.datetime.now().astimezone()
    progress = progress or (lambda _o: None)

    outcomes: dict[Path, Outcome] = {}

    def done(outcome: Outcome) -> None:
        outcomes[outcome.profile] = outcome
        progress(outcome)

    jobs = _plan(files, out_dir, inputs, now, force, done, session.content.catalog)
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    peak: dict[int, int] = {}
    if jobs:
        _dispatch(jobs, n_workers, str(ws.root), method or start_method(), work, done, peak)
    return Report([outcomes[p] for p in files], out_dir, n_workers if jobs else 0,
                  time.perf_counter() - started, peak)


def _plan(files: list[Path], out_dir: Path, inputs: Inputs, now: dt.datetime, force: bool,
          done: Callable[[Outcome], None], catalog) -> list[Job]:
    """Settle in the parent what needs no rendering (up to date, invalid, name taken); the rest
    are jobs. A profile is validated whole (its ``choices`` too) before it claims a folder name, so
    an invalid one never hides another's own error behind a name collision."""
    index = _Index(out_dir)
    claimed: dict[str, tuple[Path, str]] = {}  # folder name -> (profile, sha) planned in this run
    jobs: list[Job] = []
    for path in files:
        raw, problems = read_bytes(path, PROFILE_LIMITS.max_bytes, PROFILE_LIMITS.what)
        if raw is None:
            done(Outcome(path, FAILED, reason=reason_of(InputError(problems))))
            continue
        sha = sha256(raw)
        current = None if force else index.current(sha, inputs)
        if current is not None:
            done(Outcome(path, SKIPPED, current, "已是最新"))
            continue
        try:
            profile, _raw, _warnings = read_profile(path)
            problems = choice_problems(profile.choices, catalog)
            if problems:
                raise InputError(problems)
        except Exception as exc:  # noqa: BLE001 - one profile's failure is its outcome, never the batch's
            done(Outcome(path, FAILED, reason=reason_of(exc)))
            continue
        name = write.folder_name(profile, now.date())
        if name in claimed:
            first, first_sha = claimed[name]
            if first_sha == sha:
                done(Outcome(path, SKIPPED, out_dir / name, f"与 {first.name} 内容完全相同，共用一份建议书"))
            else:
                done(Outcome(path, FAILED, reason=f"与 {first.name} 是同一客户、同一天，建议书文件夹同名（{name}），"
                                                  "未生成。请合并两份档案，或改日、换输出目录生成"))
            continue
        target = out_dir / name
        if name in index.by_name:
            owner = owner_if_other(target, index.by_name[name], path.name)
            if owner:
                done(Outcome(path, FAILED, reason=_taken(name, owner)))
                continue
        claimed[name] = (path, sha)
        jobs.append(Job(path, sha, name, out_dir, now, force))
    return jobs


def _dispatch(jobs: list[Job], workers: int, root: str, method: str, work: Callable[[Job], Outcome],
              done: Callable[[Outcome], None], peak: dict[int, int]) -> None:
    """Run the jobs on ``workers`` processes. Profiles in hand when a worker dies are retried one by
    one, each in a process of its own; one that kills that process too is reported as failed."""
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    pending = deque(jobs)
    while pending:
        suspects = _pool(pending, workers, ctx, root, work, done, peak, budget=workers * RECYCLE_AFTER)
        if suspects and not _workers_start(ctx, root):
            raise UsageError("无法启动工作进程（内存不足，或本机不允许创建进程）；已生成的建议书完整保留，"
                             "可以减少 --workers 后重新运行")
        for job in suspects:  # alone, so a crash can only be its own
            again = _pool(deque([job]), 1, ctx, root, work, done, peak, budget=1)
            if again:
                done(Outcome(job.profile, FAILED, reason="处理这份档案时工作进程意外退出（可能内存不足或程序崩溃）"))


def _ready() -> bool:
    return _session is not None or _session_error is not None


def _workers_start(ctx, root: str) -> bool:
    """Whether a worker process can start at all (to tell a profile that crashes its worker from a
    machine that cannot start one)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_init_worker, initargs=(root, os.getpid())) as pool:
        try:
            return pool.submit(_ready).result()
        except BrokenProcessPool:
            return False


def _pool(pending: deque, workers: int, ctx, root: str, work: Callable[[Job], Outcome],
          done: Callable[[Outcome], None], peak: dict[int, int], budget: int) -> list[Job]:
    """Feed up to ``budget`` jobs of ``pending`` to one pool, a few ahead of the workers. Returns the
    jobs in hand when the pool broke (a worker died); jobs not handed out stay in ``pending``."""
    in_flight: dict[Future, Job] = {}
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(root, os.getpid()))
    try:
        while (pending and budget) or in_flight:
            while pending and budget and len(in_flight) < 2 * workers:
                job = pending.popleft()
                budget -= 1
                in_flight[pool.submit(_task, job, work)] = job
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken: list[Job] = []
            for future in finished:
                job = in_flight.pop(future)
                try:
                    outcome, pid, rss = future.result()
                except BrokenProcessPool:
                    broken.append(job)
                    continue
                except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
                    outcome, pid, rss = Outcome(job.profile, FAILED, reason=reason_of(exc)), 0, 0
                if pid:
                    peak[pid] = max(peak.get(pid, 0), rss)
                done(outcome)
            if broken:
                return broken + list(in_flight.values())
        return []
    finally:
        # also on Ctrl-C: the profiles in hand are finished, whole, and nothing new is started
        pool.shutdown(wait=True, cancel_futures=True)
