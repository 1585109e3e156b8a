"""Where recommendations and proposals are computed: in worker processes fed from one queue.

Matching and rendering are CPU-bound Python. A server with N processes that each accept their own
connections balances badly: a browser (or a load balancer) keeps its connection open, and all of
them may land on one process while the others idle (measured: 4 kept-alive clients, 4 on one of two
uvicorn workers). So ``pitchcraft serve --workers N`` runs one HTTP process, which only parses,
authenticates and reads the archive, and N build processes that take the next job from a shared
queue as soon as they are free. Each build process loads the workspace's session once and reloads
it when the content changes on disk (:class:`pitchcraft.web.service.Pipeline`).

``workers=0`` computes in the HTTP process itself, one job at a time (the tests' test client).
Errors cross the process boundary as data: an :class:`InputError`'s problems, rebuilt on this side.
"""

from __future__ import annotations

import gc
import os
import time

import asyncio
import multiprocessing
import multiprocessing.connection
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from pitchcraft.errors import InputError, PitchcraftError, Problem

from pitchcraft.workspace import Workspace

from . import service
from .db import Database
from .state import Settings

_WORKER: dict = {}  # in a build process: its database and pipeline


def _init(env: dict) -> None:
    _exit_with_parent()
    os.environ.update(env)
    settings = Settings.from_env()
    _WORKER["settings"] = settings
    _WORKER["db"] = Database(settings.database_url, settings.files_dir)
    _WORKER["pipeline"] = service.Pipeline(Workspace.open(settings.workspace))
    gc.set_threshold(20_000, 20, 20)  # as the CLI: documents allocate many long-lived objects


def _exit_with_parent() -> None:
    """End this build process as soon as the server that started it is gone, however it went
    (kill -9 included): the pool's queue would otherwise keep it waiting for jobs forever, since
    each build process holds the queue's both ends."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch():
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _guard(fn, *args):

    start = time.perf_counter()
    try:
        value = fn(*args)
        return "ok", (value, (time.perf_counter() - start) * 1000)
    except InputError as exc:
        return "problems", [(str(p.file), p.line, p.col, p.field, p.message, p.severity, p.rule) for p in exc.problems]
    except PitchcraftError as exc:
        return "error", str(exc)


def _warm() -> str:
    """The session loaded; what is alive then (modules, catalog, index) is frozen out of the
    collector's way, so its full collections do not walk it again and again."""

    _WORKER["pipeline"].session()
    if not _WORKER.get("frozen"):
        gc.collect()
        gc.freeze()
        _WORKER["frozen"] = True
    return str(os.getpid())


def _recommend(raw: bytes, source: str) -> dict:
    return service.recommendation(_WORKER["pipeline"], raw, source, zone=_WORKER["settings"].zone)


def _make(user_id: int, raw: bytes, pdf: bool, brief: bool, regenerated_from, source: str) -> dict:
    made = service.make_proposal(_WORKER["db"], _WORKER["pipeline"], user_id, raw, pdf=pdf, brief=brief,
                                 regenerated_from=regenerated_from, source=source, zone=_WORKER["settings"].zone)
    return service.summary(made.proposal)


def _w_recommend(raw, source):
    return _guard(_recommend, raw, source)


def _w_make(user_id, raw, pdf, brief, regenerated_from, source):
    return _guard(_make, user_id, raw, pdf, brief, regenerated_from, source)


def _w_warm():
    return _guard(_warm)


def _unwrap(result):
    """The job's value and how long it took in the build process (ms)."""
    kind, value = result
    if kind == "ok":
        return value
    if kind == "problems":
        raise InputError([Problem(*p) for p in value])
    raise PitchcraftError(value)


class Builds:
    """The jobs of one server: ``recommend`` and ``make``, awaited from request handlers."""

    def __init__(self, state, workers: int):
        self.state = state
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()  # workers=0: one job at a time in this process

    def start(self) -> None:
        if self.workers > 0:
            env = self.state.settings.to_env()
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_init, initargs=(env,))

    async def warm(self) -> None:
        """Every build process started and its session loaded, before the server says it is ready."""
        if self.pool is None:
            await asyncio.to_thread(self.state.pipeline.session)
            return
        loop = asyncio.get_running_loop()
        await asyncio.gather(asyncio.to_thread(self.state.pipeline.session),  # the pages read the catalog here
                             *(loop.run_in_executor(self.pool, _w_warm) for _ in range(self.workers * 2)))

    async def _run(self, local, remote, *args):
        if self.pool is None:
            def work():
                with self._lock:
                    return _guard(local, *args)
            return _unwrap(await asyncio.to_thread(work))
        loop = asyncio.get_running_loop()
        pool = self.pool
        try:
            return _unwrap(await loop.run_in_executor(pool, remote, *args))
        except BrokenProcessPool:
            # A build process died (killed, out of memory): the pool is unusable from then on, so it
            # is replaced — once per broken pool, whichever request notices first — and the job retried.
            with self._lock:
                if self.pool is pool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    self.start()
            return _unwrap(await loop.run_in_executor(self.pool, remote, *args))

    def _local_recommend(self, raw, source):
        return service.recommendation(self.state.pipeline, raw, source, zone=self.state.settings.zone)

    def _local_make(self, user_id, raw, pdf, brief, regenerated_from, source):
        return service.summary(service.make_proposal(self.state.db, self.state.pipeline, user_id, raw, pdf=pdf,
                                                     brief=brief, regenerated_from=regenerated_from,
                                                     source=source, zone=self.state.settings.zone).proposal)

    async def recommend(self, raw: bytes, source: str = "需求档案") -> tuple[dict, float]:
        """The recommendation's JSON, and the milliseconds it took."""
        return await self._run(self._local_recommend, _w_recommend, raw, source)

    async def make(self, user_id: int, raw: bytes, *, pdf: bool = False, brief: bool = True,
                   regenerated_from: str | None = None, source: str = "需求档案") -> tuple[dict, float]:
        """A new proposal's :func:`service.summary` (its id, client, files …), and the milliseconds it took."""
        return await self._run(self._local_make, _w_make, user_id, raw, pdf, brief, regenerated_from, source)

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
