"""The web app under load, on loopback only: ``python bench/bench_web.py``.

Starts ``pitchcraft serve`` (``--workers`` processes, default 2 for the 2 cores of this machine) on a
free loopback port with a fresh SQLite database and files folder in a temporary directory, then
lets ``--users`` (default 4) simulated account managers, each with their own login, post profiles
back to back — no pause between requests, so 4 requests are always in flight:

1. ``POST /api/proposals`` (Word, PPT and the visit brief, archived), each profile a different client;
2. ``POST /api/recommend``.

Both loops are bounded by a request count and a time limit, and the server is stopped (SIGTERM)
at the end whatever happens. The floor is measured in this same run, in this process: one proposal
made by the pipeline as a library call (``pitchcraft.pipeline.generate`` with the same files:
proposal, deck and brief; imports warm), median of several. Prints a Markdown table of ratios to it.

Targets: proposals ≥ 10/s and their p95 ≤ 1.5× the floor; recommend p95 ≤ 0.2× the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

PASSWORD = "bench-password-1"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TARGET_RATE, TARGET_P95, TARGET_REC = 10.0, 1.5, 0.2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def profiles() -> list[dict]:
    out = []
    for path in EXAMPLES:
        data = yaml.safe_load(path.read_text("utf-8"))
        out.append(json.loads(json.dumps(data, default=str)))
    return out


def floor_ms(ws: Path, runs: int) -> tuple[list[float], list[float]]:
    """(one proposal by ``pipeline.generate``, one ``Session.build`` on a loaded session), ms each."""
    from pitchcraft.pipeline import Session, generate, read_profile
    from pitchcraft.workspace import Workspace

    workspace = Workspace.open(ws)
    out = Path(tempfile.mkdtemp(prefix="pitchcraft-floor-"))
    try:
        times, builds = [], []
        generate(workspace, EXAMPLES[0], out, force=True, brief=True)  # warm: imports, caches
        for i in range(runs):
            t = time.perf_counter()
            generate(workspace, EXAMPLES[i % len(EXAMPLES)], out, force=True, brief=True)
            times.append((time.perf_counter() - t) * 1000)
        session = Session.open(workspace)
        now = dt.datetime.now().astimezone()
        for i in range(runs):
            path = EXAMPLES[i % len(EXAMPLES)]
            t = time.perf_counter()
            session.build(path, now=now, profile=read_profile(path), brief=True)
            builds.append((time.perf_counter() - t) * 1000)
        return times, builds
    finally:
        shutil.rmtree(out, ignore_errors=True)


class Client:
    """One simulated manager: a kept-alive connection and a token."""

    def __init__(self, port: int, name: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        status, body = self.post("/api/login", {"username": name, "password": PASSWORD}, token=None)
        assert status == 200, body
        self.token = json.loads(body)["token"]

    def post(self, path: str, body: dict, token: str | None = "self"):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {self.token if token == 'self' else token}"
        self.conn.request("POST", path, json.dumps(body, ensure_ascii=False).encode("utf-8"), headers)
        r = self.conn.getresponse()
        self.build_ms = _server_timing(r.getheader("Server-Timing", ""))
        return r.status, r.read()


def _server_timing(header: str) -> float | None:
    for part in header.split(","):
        name, _, rest = part.strip().partition(";")
        if name == "build" and rest.startswith("dur="):
            return float(rest[4:])
    return None


def load(port: int, users: list[str], path: str, make_body, per_user: int, limit_s: float, expect: int):
    """Every user posts back to back until ``per_user`` requests each or ``limit_s`` seconds."""
    clients = [Client(port, u) for u in users]
    latencies: list[float] = []
    builds: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + limit_s
    start = threading.Barrier(len(clients) + 1)

    def run(i: int, c: Client):
        start.wait()
        for n in range(per_user):
            if time.monotonic() > stop_at:
                return
            t = time.perf_counter()
            status, body = c.post(path, make_body(i, n))
            ms = (time.perf_counter() - t) * 1000
            with lock:
                if status == expect:
                    latencies.append(ms)
                    if c.build_ms is not None:
                        builds.append(c.build_ms)
                else:
                    errors.append(f"{status} {body[:200]!r}")

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return latencies, errors, wall, builds


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="pitchcraft web app under load (loopback only)")
    ap.add_argument("--users", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--proposals", type=int, default=40, help="requests per user, POST /api/proposals")
    ap.add_argument("--recommends", type=int, default=100, help="requests per user, POST /api/recommend")
    ap.add_argument("--seconds", type=float, default=60, help="time limit of each loop")
    ap.add_argument("--floor-runs", type=int, default=7)
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="pitchcraft-bench-web-"))
    ws = tmp / "ws"
    for name in ("catalog", "cases", "templates"):
        shutil.copytree(ROOT / name, ws / name)
    url = f"sqlite:///{tmp / 'web.db'}"
    exe = str(Path(sys.executable).with_name("pitchcraft"))
    users = [f"manager{i + 1}" for i in range(args.users)]
    for u in users:
        subprocess.run([exe, "--workspace", str(ws), "users", "--database", url, "add", u, "--role", "manager",
                        "--display-name", f"客户经理{u[-1]}"], input=PASSWORD + "\n", text=True, check=True,
                       capture_output=True)
    port = free_port()
    server = subprocess.Popen([exe, "--workspace", str(ws), "serve", "--port", str(port), "--database", url,
                               "--files", str(tmp / "files"), "--workers", str(args.workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start: " + server.stderr.read().decode()[-500:])
            time.sleep(0.3)

        base = profiles()

        def proposal_body(i: int, n: int) -> dict:
            p = json.loads(json.dumps(base[(i + n) % len(base)]))
            p["client"]["name"] = f"{p['client']['name']}（第{i + 1}-{n + 1}号）"  # a different client each time
            return {"profile": p}

        def recommend_body(i: int, n: int) -> dict:
            p = json.loads(json.dumps(base[(i + n) % len(base)]))
            p["client"]["name"] = f"{p['client']['name']}（第{i + 1}-{n + 1}号）"
            return p

        # warm every worker: the first requests of a process load its session
        load(port, users, "/api/recommend", recommend_body, 3, 30, 200)
        load(port, users, "/api/proposals", proposal_body, 1, 60, 201)

        # The floor is measured while the server idles, before and after the load, so that a change in
        # the shared machine's speed during the run weighs on both sides.
        load_avg = os.getloadavg()[0]
        floors, builds = floor_ms(ws, args.floor_runs)
        prop_lat, prop_err, prop_wall, prop_work = load(port, users, "/api/proposals", proposal_body, args.proposals,
                                             args.seconds, 201)
        rec_lat, rec_err, rec_wall, rec_work = load(port, users, "/api/recommend", recommend_body, args.recommends,
                                          args.seconds, 200)
        more_floors, more_builds = floor_ms(ws, args.floor_runs)
        floor, build = statistics.median(floors + more_floors), statistics.median(builds + more_builds)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    if prop_err or rec_err:
        print("errors:", (prop_err + rec_err)[:5], file=sys.stderr)
        return 1
    rate = len(prop_lat) / prop_wall
    pp95, rp95 = p95(prop_lat), p95(rec_lat)
    met = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    print(f"Measured on {dt.date.today().isoformat()}: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; `pitchcraft serve --workers {args.workers}` "
          f"on loopback, SQLite, {args.users} users posting back to back; load average {load_avg:.1f} at the start "
          f"(other work on the machine). Command: `python bench/bench_web.py`.\n")
    print("| measure | value | × floor | target |")
    print("| --- | --- | --- | --- |")
    print(f"| floor: one proposal by `pipeline.generate` in-process (Word, PPT, brief), median of {2 * args.floor_runs} "
          f"| {floor:.0f} ms | 1.0× | |")
    print(f"| the same without loading the workspace (`Session.build`, loaded session) | {build:.0f} ms "
          f"| {build / floor:.2f}× | |")
    print(f"| `POST /api/proposals`: {len(prop_lat)} in {prop_wall:.1f} s | **{rate:.1f}/s** | | ≥ {TARGET_RATE:.0f}/s: "
          f"{met(rate >= TARGET_RATE)} |")
    print(f"| `POST /api/proposals` median | {statistics.median(prop_lat):.0f} ms | "
          f"{statistics.median(prop_lat) / floor:.2f}× | |")
    print(f"| of which the work in a build process (`Server-Timing`), median | {statistics.median(prop_work):.0f} ms | "
          f"{statistics.median(prop_work) / floor:.2f}× | |")
    print(f"| `POST /api/proposals` p95 | {pp95:.0f} ms | **{pp95 / floor:.2f}×** | ≤ {TARGET_P95}×: "
          f"{met(pp95 <= TARGET_P95 * floor)} |")
    print(f"| `POST /api/recommend`: {len(rec_lat)} in {rec_wall:.1f} s | {len(rec_lat) / rec_wall:.0f}/s | | |")
    print(f"| `POST /api/recommend` median | {statistics.median(rec_lat):.0f} ms | "
          f"{statistics.median(rec_lat) / floor:.2f}× | |")
    print(f"| of which the work in a build process, median | {statistics.median(rec_work):.0f} ms | "
          f"{statistics.median(rec_work) / floor:.2f}× | |")
    print(f"| `POST /api/recommend` p95 | {rp95:.0f} ms | **{rp95 / floor:.2f}×** | ≤ {TARGET_REC}×: "
          f"{met(rp95 <= TARGET_REC * floor)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
