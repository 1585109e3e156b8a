"""``pitchcraft users`` and ``pitchcraft serve`` as real processes on loopback: the URL printed,
/healthz, a clean exit on SIGTERM with no process left, and two servers sharing one database and
one files folder (SQLite, and PostgreSQL when .ci/run started one)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from test_web_support import PASSWORD, ROOT, database_url, profile_json, web_workspace  # noqa: F401

PITCHCRAFT = str(Path(sys.executable).with_name("pitchcraft"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(ws: Path, *args: str, stdin: str = "", env=None) -> subprocess.CompletedProcess:
    return subprocess.run([PITCHCRAFT, "--workspace", str(ws), *args], input=stdin, capture_output=True,
                          text=True, timeout=120, env=env)


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


class Server:
    def __init__(self, ws: Path, url: str, files: Path, workers: int = 1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [PITCHCRAFT, "--workspace", str(ws), "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--database", url, "--files", str(files), "--workers", str(workers)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited {self.proc.returncode}: {self.proc.stderr.read()}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise AssertionError("serve did not answer /healthz within 90 s")

    def request(self, method: str, path: str, body=None, token: str | None = None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def get(self, path, token=None):
        return self.request("GET", path, token=token)

    def login(self, name: str) -> str:
        status, body = self.request("POST", "/api/login", {"username": name, "password": PASSWORD})
        assert status == 200, body
        return json.loads(body)["token"]

    def stop(self) -> tuple[int, str, list[int]]:
        kids = children(self.proc.pid)
        self.proc.send_signal(signal.SIGTERM)
        try:
            out, _err = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _err = self.proc.communicate()
        return self.proc.returncode, out, kids


def test_users_add_list_disable(web_workspace, tmp_path):
    url = f"sqlite:///{tmp_path / 'web.db'}"
    r = run(web_workspace, "users", "--database", url, "add", "liming", "--role", "manager", "--display-name", "李明",
            "--phone", "13800000000", "--branch", "东莞", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert "liming" in r.stdout
    again = run(web_workspace, "users", "--database", url, "add", "liming", "--role", "manager", stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "已存在" in again.stderr and "Traceback" not in again.stderr
    short = run(web_workspace, "users", "--database", url, "add", "wang", "--role", "admin", stdin="short\n")
    assert short.returncode == 1 and "至少 8 个字符" in short.stderr
    listed = run(web_workspace, "users", "--database", url, "list")
    assert "liming\tmanager\t启用\t李明\t东莞" in listed.stdout
    assert run(web_workspace, "users", "--database", url, "disable", "liming").returncode == 0
    assert "liming\tmanager\t已停用" in run(web_workspace, "users", "--database", url, "list").stdout
    # the database also comes from the environment, as the contract says
    env = {**os.environ, "PITCHCRAFT_DATABASE_URL": url}
    assert "已停用" in run(web_workspace, "users", "list", env=env).stdout
    stored = (tmp_path / "web.db").read_bytes()
    assert PASSWORD.encode() not in stored and b"$argon2id$" in stored


def test_a_bad_database_url_is_a_message_not_a_traceback(web_workspace):
    r = run(web_workspace, "users", "--database", "postgresql://nobody@127.0.0.1:1/none", "list")
    assert r.returncode == 1 and "无法打开数据库" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_prints_its_url_answers_and_exits_cleanly_on_sigterm(web_workspace, tmp_path, workers):
    server = Server(web_workspace, f"sqlite:///{tmp_path / 'web.db'}", tmp_path / "files", workers)
    status, body = server.get("/healthz")
    assert status == 200
    code, out, kids = server.stop()
    assert code == 0
    assert f"http://127.0.0.1:{server.port}/" in out
    deadline = time.monotonic() + 10
    while any(alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [k for k in kids if alive(k)], "a worker process was left behind"


def test_two_servers_share_the_database_and_the_files(web_workspace, database_url, tmp_path):
    files = tmp_path / "shared-files"
    r = run(web_workspace, "users", "--database", database_url, "add", "liming", "--role", "manager",
            stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    a = Server(web_workspace, database_url, files)
    b = Server(web_workspace, database_url, files)
    try:
        token = a.login("liming")  # a token from one server is good on the other (one signing key)
        status, body = b.request("POST", "/api/proposals", {"profile": profile_json()}, token)
        assert status == 201, body
        made = json.loads(body)
        status, docx = a.get(made["files"][0]["url"], token)
        assert status == 200 and docx[:2] == b"PK"
        listed_a = json.loads(a.get("/api/proposals", token)[1])
        listed_b = json.loads(b.get("/api/proposals", token)[1])
        assert [p["id"] for p in listed_a] == [p["id"] for p in listed_b] == [made["id"]]
        # login throttling is shared too
        for server in (a, b, a, b, a):
            assert server.request("POST", "/api/login", {"username": "liming", "password": "wrong-wrong"})[0] == 401
        assert b.request("POST", "/api/login", {"username": "liming", "password": PASSWORD})[0] == 429
    finally:
        assert a.stop()[0] == 0
        assert b.stop()[0] == 0


def test_a_build_process_that_dies_is_replaced(web_workspace, tmp_path):
    url = f"sqlite:///{tmp_path / 'web.db'}"
    assert run(web_workspace, "users", "--database", url, "add", "liming", "--role", "manager",
               stdin=PASSWORD + "\n").returncode == 0
    server = Server(web_workspace, url, tmp_path / "files", workers=2)
    try:
        token = server.login("liming")
        builders = [k for k in children(server.proc.pid)
                    if "spawn_main" in Path(f"/proc/{k}/cmdline").read_text(errors="replace")]
        assert len(builders) == 2, builders
        os.kill(builders[0], signal.SIGKILL)
        time.sleep(0.5)
        for _ in range(3):
            status, body = server.request("POST", "/api/recommend", profile_json(), token)
            assert status == 200, body
    finally:
        code, _out, kids = server.stop()
    assert code == 0
    assert not [k for k in kids if alive(k)]


def test_build_processes_end_when_the_server_is_killed(web_workspace, tmp_path):
    """kill -9 of the server (no chance to stop its pool): every process it started ends by itself."""
    server = Server(web_workspace, f"sqlite:///{tmp_path / 'web.db'}", tmp_path / "files", workers=2)
    kids = children(server.proc.pid)
    builders = [k for k in kids if "spawn_main" in Path(f"/proc/{k}/cmdline").read_text(errors="replace")]
    assert len(builders) == 2, kids
    server.proc.kill()
    server.proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [k for k in kids if alive(k)]
    for k in left:  # do not leave them to the rest of the suite
        os.kill(k, signal.SIGKILL)
    assert not left, "processes of a killed server were left running"


def test_an_upload_over_the_limit_gets_the_chinese_answer_not_a_reset(web_workspace, tmp_path):
    """The server used to answer 413 and close while a browser was still sending: the manager saw
    "connection reset" (a 20 MB body always shows it). Now a body up to 32 MB is read to its end first."""
    import http.client

    server = Server(web_workspace, f"sqlite:///{tmp_path / 'web.db'}", tmp_path / "files")
    try:
        for _ in range(3):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            conn.request("POST", "/api/recommend", body=b"{" + b" " * (20 * 1024 * 1024) + b"}",
                         headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            assert response.status == 413
            assert "请求过大" in response.read().decode("utf-8")
            conn.close()
    finally:
        server.stop()
