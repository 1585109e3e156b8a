#!/usr/bin/env python3
"""Hostile-input harness for pitchcraft (round 3 attack, issue 16).

    python3 tools/attack.py --repo /path/to/clone [--tmp /tmp/attack2/h] [--only PREFIX]
        [--jobs 2] [--no-web] [--results results.md] [--json results.json]

The clone must have its venv at REPO/.venv (python3 -m venv .venv && .venv/bin/pip install -e '.[test]').
Every try runs the clone's .venv/bin/pitchcraft with a timeout and an address-space limit, in its own
folders under --tmp. Prints the counts per outcome class at the end. Stdlib + PyYAML only.
As root it mounts two small tmpfs under --tmp/mnt (ro: read-only; full: 64 KB, filled to 8 KB free) for the
read-only / full-disk tries and unmounts them at the end; without root those tries test an ordinary folder.
Results: --json FILE (records), --md FILE (table; a causes.md beside it is included), --merge OLD.json.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import csv
import http.client
import io
import json
import os
import re
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.parse
import zipfile
import zlib

import yaml

CLASSES = ["refused", "literal", "accepted", "traceback", "hang", "harmful", "unhelpful"]
A = argparse.ArgumentParser()
A.add_argument("--repo", default="/tmp/attack2/repo")
A.add_argument("--tmp", default="/tmp/attack2/h")
A.add_argument("--only", default="")
A.add_argument("--jobs", type=int, default=2)
A.add_argument("--no-web", action="store_true")
A.add_argument("--json", default="")
A.add_argument("--timeout", type=int, default=60)
A.add_argument("--merge", default="", help="a results.json of an earlier run: its records are kept, this run's replace those with the same id")
A.add_argument("--md", default="", help="write a results table (markdown) here; a causes.md beside it is appended")
ARGS = A.parse_args()
REPO = os.path.abspath(ARGS.repo)
PC = os.path.join(REPO, ".venv/bin/pitchcraft")
VPY = os.path.join(REPO, ".venv/bin/python")
T = os.path.abspath(ARGS.tmp)
IN, OUT, WS = f"{T}/in", f"{T}/out", f"{T}/ws"
VICTIM = f"{T}/victim"
MEM = 4_000_000 * 1024
RESULTS: list[dict] = []
TRIES: list[dict] = []

# ------------------------------------------------------------------ helpers


def w(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str) and "b" not in mode:
        with open(path, mode, encoding="utf-8", newline="") as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _limits():
    os.setsid()
    resource.setrlimit(resource.RLIMIT_AS, (MEM, MEM))


def run(argv, stdin=None, timeout=None, cwd=None, env=None, raw=False):
    timeout = timeout or ARGS.timeout
    e = dict(os.environ)
    e.pop("PITCHCRAFT_DEBUG", None)
    e["PITCHCRAFT_CACHE_DIR"] = f"{T}/cache"
    e.update(env or {})
    cmd = argv if raw else [PC] + argv
    t0 = time.time()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd or f"{WS}/_base", env=e,
                         preexec_fn=_limits)
    try:
        out, err = p.communicate(stdin if isinstance(stdin, (bytes, type(None))) else stdin.encode(), timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        hung = True
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.time() - t0, hung


CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"(?<![\w./:-])[A-Za-z]{2,}(?:[ ,'’]+[A-Za-z]{2,}){2,}")


def first_line(text):
    for ln in text.splitlines():
        ln = ln.strip()
        if ln and not ln.startswith(("警告", "提示")) and ": warning:" not in ln:
            return ln[:300]
    for ln in text.splitlines():
        if ln.strip():
            return ln.strip()[:300]
    return ""


def english_in(text):
    # file paths and the fixed "error:/warning:" and [rule] parts are fine
    t = re.sub(r"\S*/\S*", " ", text)
    t = re.sub(r"pitchcraft(?: [a-z][a-z-]*)*", " ", t)
    t = re.sub(r"\{[^}]*\}|'[^']*'|“[^”]*”|\([A-Za-z]+\)", " ", t)
    t = re.sub(r"\[[a-z_-]+\]", " ", t)
    t = re.sub(r"\b(error|warning)\b", " ", t)
    m = ENGLISH.search(t)
    return m.group(0) if m else ""


def listing(d):
    out = []
    for root, dirs, files in os.walk(d):
        for f in files:
            out.append(os.path.relpath(os.path.join(root, f), d))
    return out


def xml_parts_ok(path):
    import xml.dom.minidom  # noqa
    from xml.etree import ElementTree as ET
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.endswith(".xml") or n.endswith(".rels"):
                ET.fromstring(z.read(n))


def docx_paras(path):
    with zipfile.ZipFile(path) as z:
        x = z.read("word/document.xml").decode("utf-8")
    paras = []
    for p in re.findall(r"<w:p[ >].*?</w:p>", x, flags=re.S):
        st = re.search(r'<w:pStyle w:val="([^"]+)"', p)
        txt = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
        paras.append((st.group(1) if st else "", unesc(txt), p))
    return x, paras


def unesc(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def pptx_text(path):
    parts = []
    with zipfile.ZipFile(path) as z:
        for n in sorted(z.namelist()):
            if re.match(r"ppt/(slides|notesSlides)/\w+\d+\.xml$", n):
                parts.append(z.read(n).decode("utf-8"))
    x = "\n".join(parts)
    return x, unesc("".join(re.findall(r"<a:t>([^<]*)</a:t>", x)))


def check_docs(folder, markers, heading_ok=False):
    """(class, note) for a proposal folder: literal when every marker is text, harmful otherwise."""
    docx = os.path.join(folder, "proposal.docx")
    pptx = os.path.join(folder, "pitch.pptx")
    notes = []
    for f in (docx, pptx, os.path.join(folder, "brief.docx")):
        if os.path.exists(f):
            try:
                xml_parts_ok(f)
            except Exception as exc:  # corrupt package
                return "harmful", f"{os.path.basename(f)} has an XML part that does not parse: {exc}"
    if not os.path.exists(docx) or not os.path.exists(pptx):
        return "harmful", "folder without proposal.docx/pitch.pptx"
    with zipfile.ZipFile(docx) as z:
        big = sum(i.file_size for i in z.infolist())
    if big > 100 * 1024 * 1024:
        return "unhelpful", f"exit 0, but proposal.docx unpacks to {big >> 20} MB (a section's output is not bounded)"
    x, paras = docx_paras(docx)
    px, ptext = pptx_text(pptx)
    alltext = "".join(t for _, t, _ in paras) + ptext
    found = 0
    for m in markers:
        if not m:
            continue
        if m in alltext:
            found += 1
        else:
            stripped = re.sub(r"^(#+ |- |> |\d+\. |=+$)", "", m)
            if stripped != m and stripped.strip() and stripped in alltext:
                return "harmful", f"markup prefix of {m!r} lost (interpreted as markup)"
        for st, txt, raw in paras:
            if m in txt and ("w:instrText" in raw or "w:fldSimple" in raw):
                return "harmful", f"marker {m!r} inside a field"
            if not heading_ok and m.startswith("# ") and m[2:] in txt and m not in txt and re.match(r"(Heading|TOC)", st):
                return "harmful", f"{m!r} became a heading ({st})"
        if "<" in m and m in x:
            return "harmful", f"markup {m!r} live in document.xml"
        if "<" in m and m in px:
            return "harmful", f"markup {m!r} live in a slide"
    if re.search(r"<w:instrText[^>]*>[^<]*(HYPERLINK|INCLUDE|DDE)", x):
        return "harmful", "a HYPERLINK/INCLUDE/DDE field in the proposal"
    if found == 0 and markers:
        return "accepted", "written; markers not found verbatim (dropped or normalised)"
    notes.append(f"{found}/{len(markers)} markers verbatim")
    return "literal", "; ".join(notes)


def proposal_folder(out):
    for root, dirs, files in os.walk(out):
        if "proposal.docx" in files and "/." not in root[len(out):]:
            return root
    return None


# ------------------------------------------------------------------ base inputs

BASE_TEXT = open(os.path.join(REPO, "examples/precision-manufacturing.yaml"), encoding="utf-8").read()
BASE = yaml.safe_load(BASE_TEXT)


def prof(mut=None, **kw):
    import copy
    d = copy.deepcopy(BASE)
    if mut:
        mut(d)
    return yaml.safe_dump(d, allow_unicode=True, sort_keys=False, width=10**9)


def setp(path, value):
    def m(d):
        keys = path.split(".")
        cur = d
        for k in keys[:-1]:
            k = int(k) if k.isdigit() and isinstance(cur, list) else k
            cur = cur[k]
        last = keys[-1]
        if last.isdigit() and isinstance(cur, list):
            cur[int(last)] = value
        else:
            cur[last] = value
    return m


def dq(s):
    """A YAML double-quoted scalar with escapes for everything outside printable ASCII/CJK."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or 0x7f <= o < 0xa0 or 0xd800 <= o <= 0xdfff or o in (0xfffe, 0xffff, 0x2028, 0x2029, 0x85, 0xfeff):
            out.append(f"\\u{o:04x}" if o > 0xff else f"\\x{o:02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def text_replace(old, new, count=1):
    assert old in BASE_TEXT, old
    return BASE_TEXT.replace(old, new, count)


def line_of(text, needle):
    for i, ln in enumerate(text.splitlines(), 1):
        if needle in ln:
            return i
    return None


_ws_made = set()
import threading
_ws_lock = threading.Lock()


def make_ws(name, edit=None):
    """A workspace copy of the repo's catalog/, cases/, templates/, then edit(path)."""
    with _ws_lock:
        return _make_ws(name, edit)


def _make_ws(name, edit):
    d = f"{WS}/{name}"
    if d in _ws_made:
        return d
    if os.path.lexists(d):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for sub in ("catalog", "cases", "templates"):
        shutil.copytree(os.path.join(REPO, sub), os.path.join(d, sub), symlinks=True)
    if edit:
        edit(d)
    _ws_made.add(d)
    return d


def ws_file(rel, content, mode="replace"):
    def e(d):
        p = os.path.join(d, rel)
        if mode == "append":
            with open(p, "a", encoding="utf-8") as f:
                f.write(content)
        elif mode == "symlink":
            if os.path.lexists(p):
                os.remove(p) if not os.path.isdir(p) or os.path.islink(p) else shutil.rmtree(p)
            os.symlink(content, p)
        elif mode == "dir":
            if os.path.lexists(p):
                os.remove(p)
            os.makedirs(p)
        elif mode == "fifo":
            if os.path.lexists(p):
                os.remove(p)
            os.mkfifo(p)
        elif mode == "remove":
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p)
            elif os.path.lexists(p):
                os.remove(p)
        elif mode == "sub":
            old, new = content
            s = open(p, encoding="utf-8").read()
            assert old in s, (rel, old)
            open(p, "w", encoding="utf-8").write(s.replace(old, new, 1))
        else:
            w(p, content)
    return e


# ------------------------------------------------------------------ try registry


def TRY(tid, kind, what, argv=None, *, cmdname=None, expect="either", infile=None, content=None, ws=None,
        stdin=None, out=None, markers=None, loc=None, line=None, check=None, pre=None, timeout=None,
        heading_ok=False, env=None, outside=None):
    """Register one try. content: written to IN/<infile> (str or bytes) before the run.
    expect: refuse (bad input: must exit 1 with a Chinese message, nothing written), accept (must work),
    either (hostile but legitimate text: exit 0 with literal text, or a clean refusal)."""
    TRIES.append(dict(id=tid, kind=kind, what=what, argv=argv, cmd=cmdname or (argv[0] if argv else ""),
                      expect=expect, infile=infile, content=content, ws=ws, stdin=stdin, out=out,
                      markers=markers or [], loc=loc, line=line, check=check, pre=pre, timeout=timeout,
                      heading_ok=heading_ok, env=env, outside=outside))


def classify(t, rc, out, err, hung, dt):
    msg = first_line(err) or first_line(out)
    both = out + err
    if hung:
        return "hang", f"no answer in {t['timeout'] or ARGS.timeout} s"
    if "Traceback (most recent call last)" in both:
        return "traceback", "Python traceback: " + [ln for ln in both.splitlines() if ln.strip()][-1][:200]
    if rc == 3 or "内部错误" in both:
        return "traceback", msg
    if rc is not None and rc < 0:
        return "traceback", f"killed by signal {-rc} (memory limit?) {msg}"
    if t.get("outside"):
        for p in t["outside"]:
            if os.path.lexists(p):
                return "harmful", f"wrote outside the output folder: {p}"
    if t["check"]:
        r = t["check"](t, rc, out, err)
        if r:
            return r
    outdir = t["out"]
    written = [f for f in listing(outdir)] if outdir and outdir.startswith(T) and os.path.isdir(outdir) else []
    if rc == 0:
        if t["expect"] == "refuse":
            return "unhelpful", "exit 0 on bad input: " + msg
        if outdir and t["cmd"] in ("generate",):
            folder = proposal_folder(outdir)
            if folder:
                return check_docs(folder, t["markers"], t["heading_ok"])
        if t["markers"] and t["cmd"] in ("recommend", "quote"):
            return "literal", "printed; " + msg
        return "accepted", msg
    # refused
    cls = "refused"
    why = []
    if t["expect"] == "accept":
        cls, why = "unhelpful", ["valid input refused"]
    eng = english_in(err or out)
    if not CJK.search(err or out):
        cls = "unhelpful"
        why.append("no Chinese in the message")
    elif eng:
        cls = "unhelpful"
        why.append(f"English: {eng!r}")
    if rc == 2:
        cls = "unhelpful"
        why.append("exit 2")
    if t["loc"] and t["loc"] not in both:
        cls = "unhelpful"
        why.append(f"{t['loc']} not named")
    if t["line"] and not re.search(rf"[:：]{t['line']}[:：]|第 ?{t['line']} ?行", both):
        cls = "unhelpful"
        why.append(f"line {t['line']} not named")
    vis = [f for f in written if not os.path.basename(f).startswith(".")]
    if vis and t["cmd"] in ("generate", "brief", "batch") and t["expect"] != "either":
        cls = "harmful"
        why.append(f"written although refused: {vis[:3]}")
    return cls, ("; ".join(why) + " | " if why else "") + msg


def do_try(t):
    try:
        if t["pre"]:
            t["pre"](t)
        if t["content"] is not None and t["infile"]:
            p = os.path.join(IN, t["infile"])
            if os.path.lexists(p):
                if os.path.isdir(p) and not os.path.islink(p):
                    shutil.rmtree(p)
                else:
                    os.remove(p)
            w(p, t["content"])
        if t["out"] and os.path.isdir(t["out"]) and not os.path.ismount(t["out"]):
            shutil.rmtree(t["out"], ignore_errors=True)
        argv = [a() if callable(a) else a for a in t["argv"]]
        if not t["ws"] and "--workspace" not in argv:
            t["ws"] = make_ws("_base")
        if t["ws"]:
            argv = ["--workspace", t["ws"]] + argv
        rc, out, err, dt, hung = run(argv, stdin=t["stdin"], timeout=t["timeout"], env=t["env"])
        cls, msg = classify(t, rc, out, err, hung, dt)
    except Exception as exc:  # harness problem
        import traceback
        rc, out, err, dt, hung = None, "", traceback.format_exc(), 0, False
        cls, msg = "harness-error", f"{type(exc).__name__}: {exc}"
    rec = dict(id=t["id"], cmd=t["cmd"], kind=t["kind"], what=t["what"], outcome=cls, rc=rc,
               secs=round(dt, 1), msg=msg.replace("\n", " ")[:300],
               argv=" ".join(str(a) for a in (["pitchcraft"] + (["-w", t["ws"]] if t["ws"] else []) +
                                               [a() if callable(a) else a for a in (t["argv"] or [])])),
               stderr_tail=(err or "")[-600:])
    return rec


# ------------------------------------------------------------------ profile tries

HOSTILE = {
    "fffe": "华南\ufffe精密\uffff制造",
    "nul": "华南\x00精密制造",
    "c1": "华南\x85\x9b精密",
    "vt-ff": "华南\x0b\x0c精密",
    "bidi": "\u202e司公限有造制密精\u202c华南",
    "zw": "华\u200b南\u200d精\ufeff密",
    "lsep": "华南\u2028精密\u2029制造",
    "sur": "华南\ud800精密",
    "sur-pair": "华南\udbff\udfff精密",
    "nonchar-plane": "华南\U0001fffe\U0010ffff精密",
    "fdd0": "华南\ufdd0精密",
    "pua": "华南\ue000\U000f0000精密",
    "emoji": "华南👨‍👩‍👧‍👦精密🏭制造é",
    "arabic": "شركة مرحبا 华南",
    "h1": "# 华南精密制造有限公司",
    "bullet": "- 华南精密制造有限公司",
    "quote": "> 华南精密制造有限公司",
    "num": "1. 华南精密制造有限公司",
    "hr": "---",
    "setext": "华南精密\n===",
    "jinja": "{{ 7*7 }}华南{% raw %}",
    "jinja-stmt": "{% for x in range(3) %}x{% endfor %}华南",
    "component": "[[diagram]]华南[[quote]]",
    "wml": "<w:p><w:r><w:t>INJ</w:t></w:r></w:p>华南",
    "cdata": "]]><![CDATA[华南",
    "html": "<script>alert(1)</script><b>华南</b>",
    "ent": "&amp;&lt;华南&#x41;&nbsp;",
    "formula": '=HYPERLINK("http://evil.example","点我")',
    "fld": "华南 { PAGE } {=1+1} MERGEFIELD",
    "path": "../../../../tmp/attack2/h/victim/pwn",
    "win-dev": "CON",
    "backslash": "..\\..\\windows\\system32",
    "dots": "..",
    "slash-only": "/",
    "crlf": "华南\r\n精密\r制造",
    "tabs": "华南\t精密\t\t制造",
    "spaces": "   ",
    "long100": "华南" * 50,
    "long255b": "华" * 90,
    "huge": "华南精密" * 30000,
    "nospace10k": "A" * 10000,
    "md-table": "| a | b |\n|---|---|\n| 华南 | x |",
    "md-bold": "**华南** _精密_ `code` [link](http://x)",
    "pct": "%s%n%d {0} ${HOME} $(id)",
    "sqlish": "'; DROP TABLE users; --",
}


def add_profile_tries():
    # text fields through generate (documents reopened)
    for key, s in HOSTILE.items():
        txt = text_replace("  name: 华南精密制造有限公司", "  name: " + dq(s))
        visible = [m for m in re.split(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029\ud800-\udfff]+", s) if m.strip()]
        markers = [m for m in visible if len(m) <= 2000][:3]
        TRY(f"P-name-{key}", "profile: client.name", f"client.name = {s[:40]!r}", ["generate", f"{IN}/name-{key}.yaml", "--out", f"{OUT}/name-{key}", "--brief"],
            infile=f"name-{key}.yaml", content=txt, out=f"{OUT}/name-{key}", markers=markers, outside=[f"{VICTIM}/pwn"])
    for key in ["fffe", "nul", "bidi", "sur", "h1", "bullet", "quote", "num", "setext", "jinja", "component", "wml",
                "html", "formula", "fld", "crlf", "huge", "md-table", "md-bold", "pct", "lsep", "nonchar-plane"]:
        s = HOSTILE[key]
        old = "    - 外地的销售谈好了合同，要等我回公司签字，有时候一拖就是一个礼拜"
        txt = text_replace(old, "    - " + dq(s + " 合同审批要等回公司才能签字"))
        TRY(f"P-need-{key}", "profile: needs statement", f"statement = {s[:40]!r}+need", ["generate", f"{IN}/need-{key}.yaml", "--out", f"{OUT}/need-{key}"],
            infile=f"need-{key}.yaml", content=txt, out=f"{OUT}/need-{key}",
            markers=[m for m in re.split(r"[\x00-\x1f\ufffe\uffff\u2028\u2029\ud800-\udfff]+", s) if m.strip()][:2])
    for key in ["fffe", "h1", "html", "wml", "formula", "sur", "jinja", "huge"]:
        s = HOSTILE[key]
        for field, old in (("contact", "  - name: 王建国"), ("manager", "  manager: 李明"), ("region", "  region: 深圳"),
                           ("competitor", "  competitor: 中国电信")):
            if key in ("huge",) and field != "contact":
                continue
            prefix = old.split(":")[0]
            txt = text_replace(old, prefix + ": " + dq(s))
            TRY(f"P-{field}-{key}", f"profile: {field}", f"{field} = {s[:30]!r}", ["generate", f"{IN}/{field}-{key}.yaml", "--out", f"{OUT}/{field}-{key}", "--brief"],
                infile=f"{field}-{key}.yaml", content=txt, out=f"{OUT}/{field}-{key}",
                markers=[m for m in re.split(r"[\x00-\x1f\ufffe\uffff\ud800-\udfff]+", s) if m.strip()][:2])

    # wrong types and values (recommend: fast); expect refusal with file and field
    bad = {
        "client-list": ("client", ["a"]), "name-int": ("client.name", 12345), "name-list": ("client.name", ["华南"]),
        "name-empty": ("client.name", ""), "name-null": ("client.name", None), "name-dict": ("client.name", {"a": 1}),
        "emp-str": ("client.employees", "八百五十"), "emp-neg": ("client.employees", -1), "emp-zero": ("client.employees", 0),
        "emp-float": ("client.employees", 1.5), "emp-bool": ("client.employees", True), "emp-1e30": ("client.employees", 10**30),
        "emp-huge": ("client.employees", 10**400), "sites-neg": ("client.sites", -3),
        "tier-D": ("client.tier", "D"), "tier-list": ("client.tier", ["A"]), "ind-unknown": ("client.industry", "外星产业"),
        "ind-typo": ("client.industry", "物留"), "ind-int": ("client.industry", 7), "ind-null": ("client.industry", None),
        "needs-str": ("needs", "都要"), "needs-list": ("needs", ["话费高"]), "needs-empty": ("needs", {}),
        "needs-cat-unknown": ("needs.其他", ["话费高"]),  "stmt-int": ("needs.basic_comms", [12345]),
        "stmt-dict": ("needs.basic_comms", [{"a": "b"}]), "stmt-nested": ("needs.basic_comms", [["话费高"]]),
        "contacts-str": ("contacts", "王建国"), "role-unknown": ("contacts.0.role", "boss"),
        "att-unknown": ("contacts.0.attitude", "angry"), "budget-str": ("budget.monthly_cny", "很多"),
        "budget-neg": ("budget.monthly_cny", -5), "budget-1e30": ("budget.monthly_cny", 10**30),
        "budget-1e400": ("budget.monthly_cny", "1e400"), "budget-list": ("budget", [1]),
        "visit-date-str": ("visit.date", "下周三"), "visit-list": ("visit", [1]), "phone-int": ("visit.phone", 13800000000),
        "cur-unknown": ("client.current_services", ["不存在的业务"]), "cur-str": ("client.current_services", "集团彩铃"),
        "discount-neg": ("offer.discount", "-1"), "discount-big": ("offer.discount", "0.99"), "discount-nan": ("offer.discount", "NaN"),
        "qty-neg": ("quantities.移动OA", -1), "qty-str": ("quantities.移动OA", "很多"), "qty-unknown": ("quantities.不存在", 3),
    }
    for key, (path, val) in bad.items():
        def mut(d, path=path, val=val):
            keys = path.split(".")
            cur = d
            for k in keys[:-1]:
                if isinstance(cur, list):
                    cur = cur[int(k)]
                else:
                    cur = cur.setdefault(k, {})
            if isinstance(cur, list):
                cur[int(keys[-1])] = val
            else:
                cur[keys[-1]] = val
        txt = prof(mut)
        TRY(f"P-type-{key}", "profile: wrong type/value", f"{path} = {str(val)[:30]!r}", ["recommend", f"{IN}/type-{key}.yaml"],
            infile=f"type-{key}.yaml", content=txt, expect="either" if key in ("needs-cat-unknown", "emp-float", "phone-int", "cur-unknown", "discount-big", "cur-str", "qty-unknown", "emp-1e30", "budget-1e30") else "refuse",
            loc=f"type-{key}.yaml")
    # accepted synonyms the issue asked for
    for key, (path, val) in {"ind-物流业": ("client.industry", "物流业"), "ind-零售业": ("client.industry", "零售业"),
                             "role-决策人": ("contacts.0.role", "决策人"), "tier-b": ("client.tier", "b"),
                             "tier-fullwidth": ("client.tier", "Ａ"), "tier-A类": ("client.tier", "A类"),
                             "ind-spaces": ("client.industry", " 制造业 "), "cat-chinese": ("needs", {"基础通信": ["三个厂区之间电话沟通频繁,话费高"]})}.items():
        TRY(f"P-syn-{key}", "profile: accepted synonym", f"{path} = {val!r}", ["recommend", f"{IN}/syn-{key}.yaml"],
            infile=f"syn-{key}.yaml", content=prof(setp(path, val)), expect="accept", loc=f"syn-{key}.yaml")

    # numbers written raw in YAML
    for key, lit in {"1e400": "1e400", "nan": ".nan", "inf": ".inf", "-0": "-0", "neg-inf": "-.inf", "hex": "0x352", "octal": "0o1",
                     "sexagesimal": "1:30", "underscore": "8_50", "huge-int": "9" * 400, "float-huge": "1.0e+308"}.items():
        txt = text_replace("  employees: 850", "  employees: " + lit)
        TRY(f"P-num-emp-{key}", "profile: number", f"employees: {lit[:20]}", ["quote", f"{IN}/num-emp-{key}.yaml", "--json"],
            infile=f"num-emp-{key}.yaml", content=txt, loc=f"num-emp-{key}.yaml", expect="either" if key in ("hex", "underscore", "sexagesimal", "octal") else "refuse", cmdname="quote")
        txt = text_replace("  monthly_cny: 15000", "  monthly_cny: " + lit)
        TRY(f"P-num-budget-{key}", "profile: number", f"budget.monthly_cny: {lit[:20]}", ["quote", f"{IN}/num-budget-{key}.yaml"],
            infile=f"num-budget-{key}.yaml", content=txt, loc=f"num-budget-{key}.yaml", expect="either" if key in ("hex", "underscore", "-0", "float-huge", "octal", "sexagesimal") else "refuse", cmdname="quote")
    # dates at calendar edges, with --brief
    for key, lit in {"9999": "9999-12-31", "0001": "0001-01-01", "feb30": "2026-02-30", "1899": "1899-12-31", "2200": "2200-01-01",
                     "ts-tz": "2026-12-01T25:61:00+14:00", "slash": "2026/12/01", "cn": "2026年12月1日", "leap": "2024-02-29",
                     "int": "20261201"}.items():
        txt = text_replace("  date: 2026-12-01", "  date: " + lit)
        TRY(f"P-date-{key}", "profile: date", f"visit.date: {lit}", ["generate", f"{IN}/date-{key}.yaml", "--out", f"{OUT}/date-{key}", "--brief"],
            infile=f"date-{key}.yaml", content=txt, out=f"{OUT}/date-{key}", loc=f"date-{key}.yaml",
            expect="either" if key in ("leap", "slash", "cn", "2200", "int") else "refuse")

    # syntax / encoding
    L = BASE_TEXT.splitlines(keepends=True)
    syn = {}
    syn["tab-indent"] = (BASE_TEXT.replace("  employees: 850", "\temployees: 850", 1), line_of(BASE_TEXT, "employees: 850"))
    syn["fw-colon"] = (BASE_TEXT.replace("  sites: 3", "  sites：3", 1), line_of(BASE_TEXT, "sites: 3"))
    syn["fw-colon-sp"] = (BASE_TEXT.replace("  tier: A", "  tier： A", 1), line_of(BASE_TEXT, "tier: A"))
    syn["fw-colon-top"] = (BASE_TEXT.replace("budget:", "budget：", 1), line_of(BASE_TEXT, "budget:"))
    syn["no-dash-space"] = (BASE_TEXT.replace("    - 原材料供应商", "    -原材料供应商", 1), line_of(BASE_TEXT, "原材料供应商"))
    syn["missing-dash"] = (BASE_TEXT.replace("    - 原材料供应商", "    原材料供应商", 1), line_of(BASE_TEXT, "原材料供应商"))
    syn["bad-indent"] = (BASE_TEXT.replace("  industry: manufacturing", "   industry: manufacturing", 1), line_of(BASE_TEXT, "industry: manufacturing"))
    syn["unclosed-quote"] = (BASE_TEXT.replace("  region: 深圳", '  region: "深圳', 1), line_of(BASE_TEXT, "region: 深圳"))
    syn["unclosed-flow"] = (BASE_TEXT.replace("  competitor: 中国电信", "  competitor: [中国电信", 1), line_of(BASE_TEXT, "competitor"))
    syn["dup-key"] = (BASE_TEXT.replace("  sites: 3", "  sites: 3\n  sites: 4", 1), line_of(BASE_TEXT, "sites: 3") + 1)
    syn["cn-top-keys"] = ("客户:\n  名称: 华南\n  行业: 制造业\n需求:\n  基础通信:\n    - 话费高\n", None)
    syn["cn-dunhao-list"] = (BASE_TEXT.replace("    - 原材料供应商", "    、原材料供应商", 1), line_of(BASE_TEXT, "原材料供应商"))
    syn["fw-space-indent"] = (BASE_TEXT.replace("  employees: 850", "\u3000\u3000employees: 850", 1), line_of(BASE_TEXT, "employees: 850"))
    syn["nbsp-indent"] = (BASE_TEXT.replace("  employees: 850", "\u00a0\u00a0employees: 850", 1), line_of(BASE_TEXT, "employees: 850"))
    syn["fw-dash"] = (BASE_TEXT.replace("    - 原材料供应商", "    － 原材料供应商", 1), line_of(BASE_TEXT, "原材料供应商"))
    syn["empty"] = ("", None)
    syn["comments-only"] = ("# nothing\n# here\n", None)
    syn["multi-doc"] = (BASE_TEXT + "\n---\nclient: {name: x}\n", None)
    syn["scalar-doc"] = ("就是一句话\n", None)
    syn["list-doc"] = ("- a\n- b\n", None)
    syn["anchor-bomb"] = ("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" +
                          "".join(f"{chr(98+i)}: &{chr(98+i)} [*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)}]\n" for i in range(8)) +
                          BASE_TEXT, None)
    syn["merge-key"] = ("base: &b {industry: 制造业, employees: 850}\n" + BASE_TEXT.replace("client:\n", "client:\n  <<: *b\n", 1), None)
    syn["alias-ok"] = (BASE_TEXT.replace("  region: 深圳", "  region: &r 深圳", 1).replace("  competitor: 中国电信", "  competitor: *r", 1), None)
    syn["py-object"] = (BASE_TEXT.replace("  region: 深圳", "  region: !!python/object/apply:os.system ['touch /tmp/attack2/h/victim/pyobj']", 1), line_of(BASE_TEXT, "region: 深圳"))
    syn["py-name"] = (BASE_TEXT.replace("  region: 深圳", "  region: !!python/name:os.system", 1), line_of(BASE_TEXT, "region: 深圳"))
    syn["binary-tag"] = (BASE_TEXT.replace("  region: 深圳", "  region: !!binary 5rex5Zyz", 1), line_of(BASE_TEXT, "region: 深圳"))
    syn["set-tag"] = (BASE_TEXT.replace("  region: 深圳", "  region: !!set {a, b}", 1), line_of(BASE_TEXT, "region: 深圳"))
    syn["custom-tag"] = (BASE_TEXT.replace("  region: 深圳", "  region: !shell 深圳", 1), line_of(BASE_TEXT, "region: 深圳"))
    syn["str-tag-int"] = (BASE_TEXT.replace("  employees: 850", "  employees: !!str 850", 1), None)
    syn["deep-flow"] = (BASE_TEXT + "deep: " + "[" * 5000 + "]" * 5000 + "\n", None)
    syn["deep-block"] = (BASE_TEXT + "deep:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(3000)) + " " * 3001 + "v\n", None)
    syn["complex-key"] = (BASE_TEXT + "? [a, b]\n: c\n", None)
    syn["yaml-directive"] = ("%YAML 1.1\n%TAG !x! tag:evil,2000:\n---\n" + BASE_TEXT, None)
    syn["yaml-1.3"] = ("%YAML 1.3\n---\n" + BASE_TEXT, None)
    syn["many-values"] = (BASE_TEXT + "extra:\n" + "".join(f"  - {i}\n" for i in range(25000)), None)
    syn["big-file"] = (BASE_TEXT + "# " + "x" * (1024 * 1024 + 10) + "\n", None)
    syn["one-line-2mb"] = (BASE_TEXT.replace("  region: 深圳", "  region: " + "深" * 700000, 1), None)
    for key, (txt, ln) in syn.items():
        ex = "either" if key in ("alias-ok", "str-tag-int", "merge-key", "multi-doc", "yaml-directive") else "refuse"
        TRY(f"P-syn-{key}", "profile: YAML syntax", key, ["recommend", f"{IN}/syn-{key}.yaml"], infile=f"syn-{key}.yaml",
            content=txt, expect=ex, loc=f"syn-{key}.yaml", line=ln, outside=[f"{VICTIM}/pyobj"])
    TRY("P-syn-no-dash-space-gen", "profile: YAML syntax", '"-原材料" merged into the previous statement? (generate)',
        ["recommend", f"{IN}/syn-no-dash-space2.yaml", "--json"], infile="syn-no-dash-space2.yaml",
        content=BASE_TEXT.replace("    - 原材料供应商", "    -原材料供应商", 1),
        check=lambda t, rc, o, e: ("unhelpful", "two statements silently merged into one: " + first_line(e + o))
        if rc == 0 and "断料停线 -原材料" in o else None, expect="refuse", loc="syn-no-dash-space2.yaml")
    enc = {
        "bom": "\ufeff".encode("utf-8") + BASE_TEXT.encode("utf-8"),
        "utf16le-bom": BASE_TEXT.encode("utf-16"),
        "utf16be-nobom": BASE_TEXT.encode("utf-16-be"),
        "utf32": BASE_TEXT.encode("utf-32"),
        "gbk": BASE_TEXT.encode("gbk"),
        "gb18030": BASE_TEXT.encode("gb18030"),
        "big5": BASE_TEXT.replace("华南", "華南").encode("big5", "replace"),
        "latin1": "client:\n  name: caf\xe9\n".encode("latin-1"),
        "raw-nul": BASE_TEXT.replace("  region: 深圳", "  region: 深\x00圳").encode(),
        "raw-fffe": BASE_TEXT.replace("  region: 深圳", "  region: 深\ufffe圳\uffff").encode(),
        "raw-c1": BASE_TEXT.replace("  region: 深圳", "  region: 深\x85\x9f圳").encode(),
        "raw-surrogate-bytes": BASE_TEXT.replace("  region: 深圳", "  region: 深").encode() + b"\xed\xa0\x80\n",
        "overlong-utf8": BASE_TEXT.encode() + b"x: \xc0\xaf\n",
        "crlf": BASE_TEXT.replace("\n", "\r\n").encode(),
        "cr-only": BASE_TEXT.replace("\n", "\r").encode(),
        "binary": os.urandom(2048) if False else bytes(range(256)) * 8,
        "zip-as-yaml": b"PK\x03\x04" + b"\x00" * 100,
    }
    for key, data in enc.items():
        ex = "either" if key in ("bom", "crlf", "cr-only", "utf16le-bom", "raw-fffe", "raw-c1", "raw-nul") else "refuse"
        TRY(f"P-enc-{key}", "profile: encoding", key, ["generate", f"{IN}/enc-{key}.yaml", "--out", f"{OUT}/enc-{key}"],
            infile=f"enc-{key}.yaml", content=data, out=f"{OUT}/enc-{key}", expect=ex, loc=f"enc-{key}.yaml", markers=["华南精密制造有限公司"] if ex == "either" else [])

    # special files as the profile
    def mk_special(kind, path):
        def pre(t):
            if os.path.lexists(path):
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if kind == "fifo":
                os.mkfifo(path)
            elif kind == "dir":
                os.makedirs(path)
            elif kind.startswith("link:"):
                os.symlink(kind[5:], path)
        return pre
    for kind in ("fifo", "dir", "link:/dev/zero", "link:/dev/urandom", "link:/etc/shadow", "link:/proc/self/mem", "link:/nonexistent", "link:loop"):
        p = f"{IN}/special-{kind.replace('/', '_').replace(':', '_')}.yaml"
        if kind == "link:loop":
            kind = "link:" + p
        for cmd in ("recommend", "generate"):
            TRY(f"P-file-{cmd}-{os.path.basename(p)[8:-5]}", "profile: special file", f"{kind} as the profile",
                [cmd, p] + (["--out", f"{OUT}/special"] if cmd == "generate" else []), pre=mk_special(kind, p), expect="refuse",
                loc=os.path.basename(p), timeout=30, out=f"{OUT}/special" if cmd == "generate" else None)
    TRY("P-file-missing", "profile: special file", "no such file", ["recommend", f"{IN}/does-not-exist.yaml"], expect="refuse", loc="does-not-exist.yaml")
    TRY("P-file-stdin-dash", "profile: special file", "'-' (stdin) as the profile", ["recommend", "-"], stdin=BASE_TEXT, expect="either")
    bad_name = os.fsdecode(os.fsencode(IN) + b"/bad-\xff\xfe.yaml")
    TRY("P-file-nonutf8-name", "profile: special file", "a file name with invalid UTF-8 bytes", ["recommend", bad_name],
        pre=lambda t: w(bad_name, BASE_TEXT), expect="either")

    # many statements / persons (numbering of headings 一、（一）… beyond 99)
    base_needs = [x for k in BASE["needs"] for x in BASE["needs"][k]]
    for n in (99, 100, 150):
        def mut(d, n=n):
            d["needs"]["basic_comms"] = [f"{i}号厂区" + base_needs[i % len(base_needs)] for i in range(n)]
        TRY(f"P-many-needs-{n}", "profile: many statements", f"{n} need statements in one area", ["generate", f"{IN}/many-needs-{n}.yaml", "--out", f"{OUT}/many-needs-{n}", "--brief"],
            infile=f"many-needs-{n}.yaml", content=prof(mut), out=f"{OUT}/many-needs-{n}", expect="either", timeout=120)
    def mutc(d):
        d["contacts"] = [dict(c, name=c["name"] + str(i)) for i in range(30) for c in d["contacts"]]
    TRY("P-many-contacts-120", "profile: many statements", "120 key persons", ["generate", f"{IN}/many-contacts.yaml", "--out", f"{OUT}/many-contacts", "--brief"],
        infile="many-contacts.yaml", content=prof(mutc), out=f"{OUT}/many-contacts", expect="either", timeout=120)
    def muta(d):
        d["needs"] = {"basic_comms": [f"{i}号" + base_needs[i % len(base_needs)] for i in range(30)],
                      "mobile_office": [f"{i}号" + base_needs[i % len(base_needs)] for i in range(30, 60)],
                      "production_control": [f"{i}号" + base_needs[i % len(base_needs)] for i in range(60, 90)],
                      "marketing": [f"{i}号" + base_needs[i % len(base_needs)] for i in range(90, 120)]}
    TRY("P-many-needs-4x30", "profile: many statements", "120 statements over the four areas", ["generate", f"{IN}/many-needs-4x30.yaml", "--out", f"{OUT}/many-needs-4x30", "--brief"],
        infile="many-needs-4x30.yaml", content=prof(muta), out=f"{OUT}/many-needs-4x30", expect="either", timeout=120)
    TRY("P-many-needs-100-brief", "profile: many statements", "brief with 100 statements in one area", ["brief", f"{IN}/many-needs-100b.yaml", "--out", f"{OUT}/many-needs-100b"],
        infile="many-needs-100b.yaml", content=prof(lambda d: d["needs"].__setitem__("basic_comms", [f"{i}号厂区" + base_needs[i % len(base_needs)] for i in range(100)])),
        out=f"{OUT}/many-needs-100b", expect="either", timeout=120)
    TRY("P-many-needs-100-batch", "profile: many statements", "batch with a 100-statement profile", ["batch", f"{IN}/many-batch", "--out", f"{OUT}/many-batch", "--workers", "1"],
        pre=lambda t: w(f"{IN}/many-batch/a.yaml", prof(lambda d: d["needs"].__setitem__("basic_comms", [f"{i}号厂区" + base_needs[i % len(base_needs)] for i in range(100)]))),
        expect="either", timeout=120)

    # choices
    ch = {
        "add-unknown": {"add": ["不存在的产品"]}, "drop-unknown": {"drop": ["不存在的产品"]},
        "add-drop-same": {"add": ["集团V网"], "drop": ["vpmn"]}, "add-alias-drop-name": {"add": ["短号集群网"], "drop": ["集团V网"]},
        "add-retired": {"add": [None]}, "add-str": {"add": "集团V网"}, "add-int": {"add": [5]}, "add-dict": {"add": [{"a": 1}]},
        "choices-list": ["集团V网"], "choices-str": "都要", "qty-zero": {"quantities": {"集团V网": 0}}, "qty-neg": {"quantities": {"集团V网": -1}},
        "qty-huge": {"quantities": {"集团V网": 10**30}}, "qty-float": {"quantities": {"集团V网": 1.5}}, "qty-str": {"quantities": {"集团V网": "八百"}},
        "qty-nan": {"quantities": {"集团V网": float("nan")}}, "qty-unknown": {"quantities": {"不存在": 5}}, "qty-list": {"quantities": [1]},
        "qty-bool": {"quantities": {"集团V网": True}}, "qty-1e12": {"quantities": {"集团V网": 10**12}},
        "drop-all": {"drop": None}, "add-all": {"add": None}, "add-dup": {"add": ["集团V网", "vpmn", "短号集群网"]},
        "add-fffe": {"add": ["集团\ufffeV网"]}, "unknown-key": {"remove": ["集团V网"]},
    }
    cat = yaml.safe_load(open(os.path.join(REPO, "catalog/products.yaml"), encoding="utf-8"))
    prods = cat["products"]
    retired = [p["name"] for p in prods if p.get("status") == "retired"]
    for key, c in ch.items():
        import copy
        c = copy.deepcopy(c)
        if key == "add-retired":
            c = {"add": retired[:1] or ["x"]}
        if key == "drop-all":
            c = {"drop": [p["name"] for p in prods]}
        if key == "add-all":
            c = {"add": [p["name"] for p in prods if p.get("status") == "active"]}
        txt = prof(lambda d, c=c: d.__setitem__("choices", c))
        ok = key in ("qty-1e12", "add-dup", "add-all", "add-alias-drop-name") and False
        ex = "either" if key in ("add-dup", "add-all", "drop-all", "unknown-key", "qty-float", "add-str", "add-fffe") else "refuse"
        cmd = "generate" if key in ("drop-all", "add-all", "qty-huge", "qty-1e12") else "quote"
        TRY(f"C-{key}", "profile: choices", f"choices = {str(c)[:50]}",
            [cmd, f"{IN}/ch-{key}.yaml"] + (["--out", f"{OUT}/ch-{key}"] if cmd == "generate" else ["--json"]),
            infile=f"ch-{key}.yaml", content=txt, expect=ex, loc=f"ch-{key}.yaml", out=f"{OUT}/ch-{key}" if cmd == "generate" else None)


# ------------------------------------------------------------------ workspace tries

def zip_with(src, replace=None, add=None, drop=(), comp=zipfile.ZIP_DEFLATED):
    """A copy of the zip src with parts replaced/added/dropped (bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(buf, "w", comp) as zo:
        for it in zi.infolist():
            if it.filename in drop:
                continue
            data = (replace or {}).get(it.filename, None)
            zo.writestr(it.filename, data if data is not None else zi.read(it.filename))
        for n, data in (add or {}).items():
            zo.writestr(n, data)
    return buf.getvalue()


def bomb_zip(src, part, size):
    """src with `part` replaced by `size` bytes of spaces, deflated (small on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zo:
        for it in zi.infolist():
            if it.filename == part:
                with zo.open(zipfile.ZipInfo(part), "w", force_zip64=True) as f:
                    head = zi.read(part)
                    f.write(head[:-20] if False else head)
                    chunk = b" " * (1 << 22)
                    left = size
                    while left > 0:
                        f.write(chunk[: min(left, len(chunk))])
                        left -= len(chunk)
            else:
                zo.writestr(it, zi.read(it.filename))
    return buf.getvalue()


XXE = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">'
       '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
       '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&x;&c;</w:styles>')


def add_workspace_tries():
    P = f"{IN}/good.yaml"
    w(P, BASE_TEXT)
    gen = lambda ws, name: ["generate", P, "--out", f"{OUT}/ws-{name}", "--force"]
    cases = [
        # catalog
        ("cat-broken-yaml", "catalog/products.yaml", ("  - id: vpmn\n", "  - id: vpmn\n   bad: [\n"), "sub", "products.yaml"),
        ("cat-dup-id", "catalog/products.yaml", ("  - id: vnet_companion\n", "  - id: vpmn\n"), "sub", "products.yaml"),
        ("cat-dup-name", "catalog/products.yaml", ("    name: 集团V网\n", "    name: 集团V网\n    aliases: [移动OA]\n"), "sub", "products.yaml"),
        ("cat-unknown-case", "catalog/products.yaml", ("related_cases: [agri-tea-coop-info,", "related_cases: [no-such-case, agri-tea-coop-info,"), "sub", "no-such-case"),
        ("cat-price-1e30", "catalog/products.yaml", ('price: "5.00"', 'price: "1e30"'), "sub", "products.yaml"),
        ("cat-price-neg", "catalog/products.yaml", ('price: "5.00"', 'price: "-5.00"'), "sub", "products.yaml"),
        ("cat-price-nan", "catalog/products.yaml", ('price: "5.00"', 'price: "NaN"'), "sub", "products.yaml"),
        ("cat-price-inf", "catalog/products.yaml", ('price: "5.00"', "price: .inf"), "sub", "products.yaml"),
        ("cat-unit-unknown", "catalog/products.yaml", ("unit: line", "unit: 斤"), "sub", "products.yaml"),
        ("cat-date-9999", "catalog/products.yaml", ("expires: 2027-12-31", "expires: 9999-12-31"), "sub", None),
        ("cat-date-feb30", "catalog/products.yaml", ("expires: 2027-12-31", "expires: 2027-02-30"), "sub", "products.yaml"),
        ("cat-tier-from-neg", "catalog/products.yaml", ("{from: 500, price: \"4.50\"}", "{from: -500, price: \"4.50\"}"), "sub", "products.yaml"),
        ("cat-phrase-fffe", "catalog/products.yaml", ("      - 几个厂区之间打电话太多", "      - \"\\uFFFE几个厂区\\u0000之间打电话太多"), "sub", None),
        ("cat-name-formula", "catalog/products.yaml", ("    name: 集团V网\n", "    name: \"=HYPERLINK(\\\"http://evil\\\",\\\"V\\\")\"\n"), "sub", None),
        ("cat-name-h1", "catalog/products.yaml", ("    name: 集团V网\n", "    name: \"# 集团V网\"\n"), "sub", None),
        ("cat-pyobj", "catalog/products.yaml", ("    category: basic_comms\n", "    category: !!python/object/apply:os.system ['touch /tmp/attack2/h/victim/cat']\n"), "sub", "products.yaml"),
        ("cat-anchor-bomb", "catalog/products.yaml", "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n", "replace", "products.yaml"),
        ("cat-empty", "catalog/products.yaml", "", "replace", "products.yaml"),
        ("cat-list", "catalog/products.yaml", "- a\n- b\n", "replace", "products.yaml"),
        ("cat-zero", "catalog/products.yaml", "/dev/zero", "symlink", "products.yaml"),
        ("cat-outside", "catalog/products.yaml", "/etc/passwd", "symlink", "products.yaml"),
        ("cat-dir", "catalog/products.yaml", "", "dir", "products.yaml"),
        ("cat-fifo", "catalog/products.yaml", "", "fifo", "products.yaml"),
        ("cat-missing", "catalog/products.yaml", "", "remove", "products.yaml"),
        ("cat-gbk", "catalog/products.yaml", None, "gbk", "products.yaml"),
        ("company-broken", "catalog/company.yaml", "provincial: [\n", "replace", "company.yaml"),
        ("company-missing", "catalog/company.yaml", "", "remove", None),
        ("company-list", "catalog/company.yaml", "- 1\n", "replace", "company.yaml"),
        ("catalog-dir-missing", "catalog", "", "remove", "catalog"),
        # cases
        ("case-broken-fm", "cases/mfg-three-plants-vnet.md", "---\nid: [x\n---\n正文\n", "replace", "mfg-three-plants-vnet.md"),
        ("case-no-fm", "cases/mfg-three-plants-vnet.md", "只有正文，没有头信息\n", "replace", "mfg-three-plants-vnet.md"),
        ("case-unclosed-fm", "cases/mfg-three-plants-vnet.md", "---\nid: mfg-three-plants-vnet\ntitle: x\n", "replace", "mfg-three-plants-vnet.md"),
        ("case-pyobj", "cases/mfg-three-plants-vnet.md", ("sample: true\n", "sample: !!python/object/apply:os.system ['touch /tmp/attack2/h/victim/case']\n"), "sub", "mfg-three-plants-vnet.md"),
        ("case-dup-id", "cases/zz-copy.md", open(os.path.join(REPO, "cases/mfg-three-plants-vnet.md"), encoding="utf-8").read(), "replace", "mfg-three-plants-vnet"),
        ("case-unknown-product", "cases/mfg-three-plants-vnet.md", ("products: [vpmn,", "products: [no_such_product, vpmn,"), "sub", "no_such_product"),
        ("case-hostile-body", "cases/mfg-three-plants-vnet.md", ("## 客户背景", "## 客户背景\n\n# 注入标题 {{ 7*7 }} <w:p>INJ</w:p> <script>x</script> =HYPERLINK(\"x\")\n\n\ufffe\x00"), "sub", None),
        ("case-hostile-title", "cases/mfg-three-plants-vnet.md", ("title: 三厂区", "title: \"# {{ 7*7 }} <w:p/> =1+1 \\uFFFE\"\nx_title: 三厂区"), "sub", None),
        ("case-results-formula", "cases/mfg-three-plants-vnet.md", ("  - 厂区之间内部通话费用每月下降约 38%", "  - \"=HYPERLINK(\\\"http://evil\\\",\\\"38%\\\")\""), "sub", None),
        ("case-zero", "cases/mfg-three-plants-vnet.md", "/dev/zero", "symlink", "mfg-three-plants-vnet.md"),
        ("case-outside", "cases/mfg-three-plants-vnet.md", "/etc/passwd", "symlink", "mfg-three-plants-vnet.md"),
        ("case-dir", "cases/zz-dir.md", "", "dir", None),
        ("case-fifo", "cases/zz-fifo.md", "", "fifo", "zz-fifo.md"),
        ("case-huge", "cases/zz-huge.md", "---\nid: zz-huge\n---\n" + "长" * (23 * 1024 * 1024), "replace", "zz-huge.md"),
        ("case-utf16", "cases/mfg-three-plants-vnet.md", None, "utf16", "mfg-three-plants-vnet.md"),
        ("case-bom", "cases/mfg-three-plants-vnet.md", None, "bom", None),
        ("case-empty", "cases/zz-empty.md", "", "replace", "zz-empty.md"),
        ("case-crlf", "cases/mfg-three-plants-vnet.md", None, "crlf", None),
        ("case-fm-tab", "cases/mfg-three-plants-vnet.md", ("sample: true\n", "sample: true\n\tstatus: active\n"), "sub", "mfg-three-plants-vnet.md"),
        ("case-link-outside-ws", "cases/zz-link.md", "../../outside-case.md", "symlink", None),
        ("cases-dir-missing", "cases", "", "remove", None),
        ("cases-dir-file", "cases", "", "fileinstead", "cases"),
        # templates
        ("tpl-class", "templates/proposal/background.j2", "\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "append", "background.j2"),
        ("tpl-globals", "templates/proposal/background.j2", "\n{{ lipsum.__globals__['os'].popen('touch /tmp/attack2/h/victim/tpl').read() }}\n", "append", "background.j2"),
        ("tpl-cycler", "templates/proposal/background.j2", "\n{{ cycler.__init__.__globals__.os.system('id') }}\n", "append", "background.j2"),
        ("tpl-format", "templates/proposal/background.j2", "\n{{ '{0.__class__.__init__.__globals__}'.format(client) }}\n", "append", "background.j2"),
        ("tpl-format-map", "templates/proposal/background.j2", "\n{{ '%s'|format(client.__class__) }}\n", "append", "background.j2"),
        ("tpl-attr-filter", "templates/proposal/background.j2", "\n{{ client|attr('__class__') }}\n", "append", "background.j2"),
        ("tpl-strmul", "templates/proposal/background.j2", "\n{{ 'x' * 10**10 }}\n", "append", "background.j2"),
        ("tpl-center", "templates/proposal/background.j2", "\n{{ 'x'|center(10**9) }}\n", "append", "background.j2"),
        ("tpl-listmul", "templates/proposal/background.j2", "\n{{ [1,2] * 10**9 }}\n", "append", "background.j2"),
        ("tpl-pow", "templates/proposal/background.j2", "\n{{ 9**9**9 }}\n", "append", None),
        ("tpl-pow2", "templates/proposal/background.j2", "\n{{ (10**100000)|string|length }}\n", "append", "background.j2"),
        ("tpl-range", "templates/proposal/background.j2", "\n{% for i in range(10**12) %}x{% endfor %}\n", "append", "background.j2"),
        ("tpl-nested-loops", "templates/proposal/background.j2", "\n{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}\n", "append", "background.j2"),
        ("tpl-big-output", "templates/proposal/background.j2", "\n{% for a in range(99999) %}{% for b in range(300) %}长长长长长长{% endfor %}{% endfor %}\n", "append", "background.j2"),
        ("tpl-recursion", "templates/proposal/background.j2", "\n{% macro r(n) %}{{ r(n+1) }}{% endmacro %}{{ r(0) }}\n", "append", "background.j2"),
        ("tpl-recursive-loop", "templates/proposal/background.j2", "\n{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}\n", "append", "background.j2"),
        ("tpl-include-passwd", "templates/proposal/background.j2", "\n{% include '/etc/passwd' %}\n", "append", "background.j2"),
        ("tpl-include-dotdot", "templates/proposal/background.j2", "\n{% include '../../../../../../etc/passwd' %}\n", "append", "background.j2"),
        ("tpl-include-self", "templates/proposal/background.j2", "\n{% include 'background.j2' %}\n", "append", "background.j2"),
        ("tpl-include-self-proposal", "templates/proposal/background.j2", "\n{% include 'proposal/background.j2' %}\n", "append", "background.j2"),
        ("tpl-import", "templates/proposal/background.j2", "\n{% import 'os' as os %}\n", "append", "background.j2"),
        ("tpl-extends", "templates/proposal/background.j2", "\n{% extends 'proposal/summary.j2' %}\n", "append", None),
        ("tpl-undefined", "templates/proposal/background.j2", "\n{{ no_such_variable }}\n", "append", "background.j2"),
        ("tpl-syntax", "templates/proposal/background.j2", "\n{% if %}\n", "append", "background.j2"),
        ("tpl-unclosed", "templates/proposal/background.j2", "\n{% for x in said %}\n", "append", "background.j2"),
        ("tpl-config", "templates/proposal/background.j2", "\n{{ config }}{{ self.__dict__ }}{{ request }}\n", "append", "background.j2"),
        ("tpl-namespace", "templates/proposal/background.j2", "\n{% set ns = namespace(a=1) %}{% set ns.__class__ = 1 %}{{ ns.__class__ }}\n", "append", "background.j2"),
        ("tpl-markup", "templates/proposal/background.j2", "\n# 模板里写的标题 <w:p>INJ</w:p>\n", "append", None),  # the template's own markup: a heading is right
        ("tpl-component-unknown", "templates/proposal/background.j2", "\n[[no_such_component]]\n", "append", "background.j2"),
        ("tpl-fffe", "templates/proposal/background.j2", "\n\ufffe\x00\x1b[31m\n", "append", None),
        ("tpl-binary", "templates/proposal/background.j2", b"\xff\xfe\x00\x01" * 100, "replace", "background.j2"),
        ("tpl-zero", "templates/proposal/background.j2", "/dev/zero", "symlink", "background.j2"),
        ("tpl-outside", "templates/proposal/background.j2", "/etc/passwd", "symlink", None),
        ("tpl-dir", "templates/proposal/background.j2", "", "dir", "background.j2"),
        ("tpl-fifo", "templates/proposal/background.j2", "", "fifo", "background.j2"),
        ("tpl-huge", "templates/proposal/background.j2", "长" * (25 * 1024 * 1024), "replace", "background.j2"),
        ("tpl-pitch-class", "templates/pitch/title.j2", "\n{{ ''.__class__ }}\n", "append", "title.j2"),
        ("tpl-pitch-strmul", "templates/pitch/product.j2", "\n{{ 'x' * 10**10 }}\n", "append", "product.j2"),
        ("outline-unknown-tpl", "templates/proposal/outline.yaml", ("    template: background.j2", "    template: nope.j2"), "sub", "outline.yaml"),
        ("outline-traversal", "templates/proposal/outline.yaml", ("    template: background.j2", "    template: ../../../../etc/passwd"), "sub", "outline.yaml"),
        ("outline-abs", "templates/proposal/outline.yaml", ("    template: background.j2", "    template: /etc/passwd"), "sub", "outline.yaml"),
        ("outline-when-unknown", "templates/proposal/outline.yaml", ("    template: background.j2", "    template: background.j2\n    when: has_money"), "sub", "outline.yaml"),
        ("outline-list", "templates/proposal/outline.yaml", "- a\n", "replace", "outline.yaml"),
        ("outline-empty", "templates/proposal/outline.yaml", "sections: []\n", "replace", None),
        ("outline-10k", "templates/proposal/outline.yaml", "sections:\n" + "  - title: 重复\n    template: background.j2\n" * 3000, "replace", None),
        ("outline-title-jinja", "templates/proposal/outline.yaml", ("  - title: 项目背景", "  - title: \"{{ 7*7 }}# <w:p/>\""), "sub", None),
        ("notes-list", "templates/pitch/notes.yaml", "- x\n", "replace", "notes.yaml"),
        ("notes-roles-list", "templates/pitch/notes.yaml", "roles: [1]\nattitudes: {}\nask: {}\n", "replace", "notes.yaml"),
        ("quantities-broken", "templates/quantities.yaml", "measure: [\n", "replace", "quantities.yaml"),
        ("quantities-list", "templates/quantities.yaml", "- 1\n", "replace", "quantities.yaml"),
        ("value-zero", "templates/value.yaml", "/dev/zero", "symlink", "value.yaml"),
        ("value-broken", "templates/value.yaml", "fit: [\n", "replace", "value.yaml"),
        ("value-wrong-shape", "templates/value.yaml", "fit: 5\n", "replace", "value.yaml"),
        ("vocab-broken", "templates/vocabulary.yaml", "a: [\n", "replace", "vocabulary.yaml"),
        ("vocab-list", "templates/vocabulary.yaml", "- 1\n", "replace", "vocabulary.yaml"),
        ("architecture-broken", "templates/proposal/architecture.yaml", "x: [\n", "replace", "architecture.yaml"),
        ("compliance-wrong", "templates/proposal/compliance.yaml", "manufacturing: 5\n", "replace", None),
        ("playbooks-broken", "templates/brief/playbooks.yaml", "x: [\n", "replace", "playbooks.yaml"),
        ("people-wrong", "templates/brief/people.yaml", "- 1\n", "replace", "people.yaml"),
        ("templates-file", "templates", "", "fileinstead", "templates"),
    ]
    for name, rel, content, mode, loc in cases:
        def edit(d, rel=rel, content=content, mode=mode):
            p = os.path.join(d, rel)
            if mode in ("gbk", "utf16", "bom", "crlf"):
                s = open(p, encoding="utf-8").read()
                data = {"gbk": lambda: s.encode("gbk", "replace"), "utf16": lambda: s.encode("utf-16"),
                        "bom": lambda: b"\xef\xbb\xbf" + s.encode(), "crlf": lambda: s.replace("\n", "\r\n").encode()}[mode]()
                open(p, "wb").write(data)
            elif mode == "fileinstead":
                shutil.rmtree(p)
                w(p, "not a folder\n")
            elif isinstance(content, bytes):
                w(p, content)
            else:
                ws_file(rel, content, mode)(d)
        ws = None

        def pre(t, name=name, edit=edit):
            t["ws"] = make_ws(name, edit)
        exp = "either" if loc is None else "refuse"
        bigcmd = "brief" if rel.startswith("templates/brief") else "generate"
        argv = gen(None, name) if bigcmd == "generate" else ["brief", P, "--out", f"{OUT}/ws-{name}", "--force"]
        markers = []
        if name in ("cat-name-h1", "case-hostile-body", "case-hostile-title", "tpl-markup", "outline-title-jinja"):
            markers = {"cat-name-h1": ["# 集团V网"], "tpl-markup": ["<w:p>INJ</w:p>"]}.get(name, ["{{ 7*7 }}"])
        TRY(f"W-{name}", f"workspace: {rel.split('/')[0]}", f"{rel}: {mode} {str(content)[:50]!r}", argv, cmdname=bigcmd, pre=pre,
            expect=exp, loc=loc, out=f"{OUT}/ws-{name}", markers=markers, timeout=60,
            outside=[f"{VICTIM}/cat", f"{VICTIM}/case", f"{VICTIM}/tpl"])
        if rel.startswith("catalog") or rel.startswith("cases"):
            TRY(f"W-{name}-validate", f"workspace: {rel.split('/')[0]}", f"catalog validate with {rel}: {mode}", ["catalog", "validate"],
                cmdname="catalog validate", pre=pre, expect=exp if name not in ("cat-phrase-fffe", "cat-name-formula", "cat-name-h1", "case-hostile-body", "case-hostile-title", "case-results-formula", "case-bom", "case-crlf", "cat-date-9999", "case-dir", "company-missing") else "either", loc=loc, timeout=90)

    # reference documents
    rdocx = os.path.join(REPO, "templates/reference.docx")
    rpptx = os.path.join(REPO, "templates/reference.pptx")
    refs = [
        ("docx-bomb", "reference.docx", lambda: bomb_zip(rdocx, "word/styles.xml", 3 * 1024**3)),
        ("docx-bomb-media", "reference.docx", lambda: zip_with(rdocx, add={"word/media/zz.bin": b"\0" * (200 * 1024 * 1024)})),
        ("docx-many-parts", "reference.docx", lambda: zip_with(rdocx, add={f"customXml/p{i}.xml": b"<a/>" for i in range(30000)})),
        ("docx-no-document", "reference.docx", lambda: zip_with(rdocx, drop={"word/document.xml"})),
        ("docx-no-styles", "reference.docx", lambda: zip_with(rdocx, drop={"word/styles.xml"})),
        ("docx-no-ctypes", "reference.docx", lambda: zip_with(rdocx, drop={"[Content_Types].xml"})),
        ("docx-xxe-styles", "reference.docx", lambda: zip_with(rdocx, replace={"word/styles.xml": XXE.encode()})),
        ("docx-xxe-header", "reference.docx", lambda: zip_with(rdocx, replace={n: XXE.encode() for n in zipfile.ZipFile(rdocx).namelist() if n.startswith("word/header")})),
        ("docx-broken-xml", "reference.docx", lambda: zip_with(rdocx, replace={"word/styles.xml": b"<w:styles><unclosed>"})),
        ("docx-traversal-entry", "reference.docx", lambda: zip_with(rdocx, add={"../../../../tmp/attack2/h/victim/zipslip": b"x"})),
        ("docx-not-zip", "reference.docx", lambda: b"this is not a zip"),
        ("docx-empty", "reference.docx", lambda: b""),
        ("docx-truncated", "reference.docx", lambda: open(rdocx, "rb").read()[:5000]),
        ("docx-encrypted-flag", "reference.docx", lambda: (lambda b: b[:6] + b"\x01\x00" + b[8:])(open(rdocx, "rb").read())),
        ("docx-zero", "reference.docx", "/dev/zero"),
        ("docx-dir", "reference.docx", "DIR"),
        ("pptx-bomb", "reference.pptx", lambda: bomb_zip(rpptx, "ppt/presentation.xml", 1 * 1024**3)),
        ("pptx-no-master", "reference.pptx", lambda: zip_with(rpptx, drop={n for n in zipfile.ZipFile(rpptx).namelist() if "slideMaster" in n})),
        ("pptx-no-layouts", "reference.pptx", lambda: zip_with(rpptx, drop={n for n in zipfile.ZipFile(rpptx).namelist() if "slideLayout" in n})),
        ("pptx-xxe", "reference.pptx", lambda: zip_with(rpptx, replace={"ppt/presentation.xml": XXE.encode()})),
        ("pptx-broken-xml", "reference.pptx", lambda: zip_with(rpptx, replace={"ppt/presentation.xml": b"<p:presentation"})),
        ("pptx-not-zip", "reference.pptx", lambda: b"PK\x05\x06" + b"\0" * 18),
        ("pptx-docx-instead", "reference.pptx", lambda: open(rdocx, "rb").read()),
        ("pptx-fifo", "reference.pptx", "FIFO"),
    ]
    for name, rel, maker in refs:
        def edit(d, rel=rel, maker=maker):
            p = os.path.join(d, "templates", rel)
            os.remove(p)
            if maker == "/dev/zero":
                os.symlink("/dev/zero", p)
            elif maker == "DIR":
                os.makedirs(p)
            elif maker == "FIFO":
                os.mkfifo(p)
            else:
                w(p, maker())

        def pre(t, name=name, edit=edit):
            t["ws"] = make_ws("ref-" + name, edit)
        TRY(f"R-{name}", "reference document", f"templates/{rel}: {name}", gen(None, "ref-" + name), cmdname="generate", pre=pre,
            check=(lambda t, rc, o, e: ("refused", first_line(e)) if rc == 1 and "缺少样式" in e else None) if name == "docx-no-styles" else None,
            expect="refuse" if name not in ("docx-traversal-entry", "docx-encrypted-flag") else "either", loc=rel, out=f"{OUT}/ws-ref-{name}", timeout=90,
            outside=[f"{VICTIM}/zipslip"])
    TRY("R-brief-docx-bomb", "reference document", "brief with the 3 GB styles.xml reference", ["brief", P, "--out", f"{OUT}/ws-ref-brief", "--force"],
        cmdname="brief", pre=lambda t: t.update(ws=make_ws("ref-docx-bomb")), expect="refuse", loc="reference.docx", out=f"{OUT}/ws-ref-brief", timeout=120)
    TRY("R-map-docx-bomb", "reference document", "catalog map with the 3 GB styles.xml reference", ["catalog", "map", "--out", f"{OUT}/map-bomb/m.xlsx"],
        cmdname="catalog map", pre=lambda t: t.update(ws=make_ws("ref-docx-bomb")), expect="either", timeout=120)


# ------------------------------------------------------------------ spreadsheets


def xlsx(rows, *, cell_xml=None, sst_bomb=False, dtd=False, drop=(), sheet_extra=""):
    """A minimal .xlsx from rows of strings (inline strings), built by hand."""
    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    def esc(v):
        return str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{col(c)}{r}"
            if cell_xml and (r, c) in cell_xml:
                cells.append(cell_xml[(r, c)].replace("REF", ref))
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{esc(v)}</t></is></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    pre = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    if dtd:
        pre += '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    sheet = (pre + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             f'<sheetData>{"".join(body)}</sheetData>{sheet_extra}</worksheet>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' if sst_bomb else "")
        + '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' if sst_bomb else "")
        + '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, v in parts.items():
            if n in drop:
                continue
            z.writestr(n, v)
        if sst_bomb:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                f.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
                chunk = b"A" * (1 << 22)
                for _ in range(300):  # ~1.2 GB
                    f.write(chunk)
                f.write(b"</t></si></sst>")
    return buf.getvalue()


HDR = ["客户名称", "行业", "员工数", "需求", "客户经理"]


def row(name, need="三个厂区之间电话多，话费高", ind="制造业"):
    return [name, ind, "100", need, "李明"]


def check_import(t, rc, out, err):
    """The report and the files written must not carry live formulas or device names."""
    o = t["out"]
    if not o or not os.path.isdir(o):
        return None
    rep = os.path.join(o, "import-report.csv")
    if os.path.exists(rep):
        raw = open(rep, "rb").read()
        if b"\x00" in raw:
            return "harmful", "NUL byte in import-report.csv"
        txt = raw.decode("utf-8-sig", "replace")
        for r in csv.reader(io.StringIO(txt)):
            for cell in r:
                if len(cell) > 1 and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    return "harmful", f"formula-like cell written as is in import-report.csv: {cell[:40]!r}"
    for f in os.listdir(o):
        base = f.split(".")[0].upper()
        if base in ("CON", "PRN", "AUX", "NUL") or re.fullmatch(r"(COM|LPT)[1-9]", base):
            return "harmful", f"file named after a Windows device: {f}"
        if f.startswith(".") and not f.startswith(".import") and f != "import-report.csv":
            return "harmful", f"hidden file written: {f}"
        if f.endswith(".yaml"):
            try:
                yaml.safe_load(open(os.path.join(o, f), encoding="utf-8"))
            except Exception as exc:
                return "harmful", f"{f} written is not valid YAML: {exc}"
    return None


def add_import_tries():
    cases = {
        "ok": (xlsx([HDR, row("华南精密制造有限公司")]), "accept"),
        "formula-cell": (xlsx([HDR, row("x")], cell_xml={(2, 0): '<c r="REF"><f>HYPERLINK("http://evil","点我")</f><v>点我</v></c>'}), "either"),
        "formula-nocache": (xlsx([HDR, row("x")], cell_xml={(2, 0): '<c r="REF"><f>1+1</f></c>'}), "either"),
        "hyperlink-name": (xlsx([HDR, row('=HYPERLINK("http://evil","点我")')]), "either"),
        "plus-name": (xlsx([HDR, row("+1+cmd|' /C calc'!A0")]), "either"),
        "minus-name": (xlsx([HDR, row("-2+3")]), "either"),
        "at-name": (xlsx([HDR, row("@SUM(1)")]), "either"),
        "tab-eq-name": (xlsx([HDR, row("\t=1+1")]), "either"),
        "cr-eq-name": (xlsx([HDR, row("\r=1+1")]), "either"),
        "fullwidth-eq": (xlsx([HDR, row("＝1+1")]), "either"),
        "dde-name": (xlsx([HDR, row("=cmd|'/c calc'!A1")]), "either"),
        "formula-need": (xlsx([HDR, row("华南A", '=HYPERLINK("http://evil","话费高")；电话多')]), "either"),
        "con": (xlsx([HDR, row("CON"), row("NUL"), row("com1"), row("LPT9.txt"), row("aux.yaml")]), "either"),
        "traversal-name": (xlsx([HDR, row("../../../../tmp/attack2/h/victim/imp"), row("..\\..\\evil"), row("/etc/cron.d/x")]), "either"),
        "dot-names": (xlsx([HDR, row("."), row(".."), row(".hidden"), row("   ")]), "either"),
        "long-name": (xlsx([HDR, row("华" * 300)]), "either"),
        "huge-cell": (xlsx([HDR, row("华南B", "话费高" * 400000)]), "either"),
        "fffe-cell": (xlsx([HDR, row("华南\ufffe精密\uffff")]), "either"),
        "ctrl-cell": (xlsx([HDR, row("华南\x01\x02精密")]).replace(b"\x01", b"&#1;").replace(b"\x02", b"&#2;"), "either"),
        "dup-names": (xlsx([HDR, row("华南C"), row("华南C")]), "either"),
        "unknown-ind": (xlsx([HDR, row("华南D", ind="外星产业")]), "either"),
        "no-needs": (xlsx([HDR, row("华南E", need="")]), "either"),
        "no-header": (xlsx([["a", "b"], ["c", "d"]]), "refuse"),
        "empty-sheet": (xlsx([]), "refuse"),
        "many-rows": (xlsx([HDR] + [row(f"客户{i}") for i in range(3000)]), "either"),
        "many-cols": (xlsx([HDR + [f"c{i}" for i in range(16000)], row("华南F")]), "either"),
        "dtd": (xlsx([HDR, row("华南G")], dtd=True), "refuse"),
        "sst-bomb": (None, "refuse"),
        "no-workbook": (xlsx([HDR, row("华南H")], drop={"xl/workbook.xml"}), "refuse"),
        "no-sheet": (xlsx([HDR, row("华南I")], drop={"xl/worksheets/sheet1.xml"}), "refuse"),
        "truncated": (xlsx([HDR, row("华南J")])[:300], "refuse"),
        "not-zip": (b"hello, not a zip", "refuse"),
        "empty-file": (b"", "refuse"),
        "xls-ole": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, "refuse"),
        "sheet-dim-huge": (xlsx([HDR, row("华南K")], sheet_extra="").replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>'), "either"),
        "row-r-huge": (xlsx([HDR]).replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'), "either"),
    }
    for key, (data, ex) in cases.items():
        p = f"{IN}/imp-{key}.xlsx"
        o = f"{OUT}/imp-{key}"
        pre = None
        if key == "sst-bomb":
            def pre(t, p=p):
                if not os.path.exists(p):
                    w(p, xlsx([HDR, row("x")], sst_bomb=True))
        TRY(f"I-xlsx-{key}", "spreadsheet (.xlsx)", key, ["import", p, "--out", o], infile=f"imp-{key}.xlsx" if data is not None else None,
            content=data, pre=pre, out=o, expect=ex, loc=f"imp-{key}.xlsx" if ex == "refuse" else None, check=check_import, timeout=90,
            outside=[f"{VICTIM}/imp.yaml", f"{VICTIM}/imp"])
    H = ",".join(HDR) + "\n"
    csvs = {
        "ok-utf8": ((H + "华南L,制造业,100,话费高；电话多,李明\n").encode(), "accept"),
        "gbk": ((H + "华南M,制造业,100,话费高,李明\n").encode("gbk"), "accept"),
        "utf16": ((H + "华南N,制造业,100,话费高,李明\n").encode("utf-16"), "either"),
        "utf8-bom": (b"\xef\xbb\xbf" + (H + "华南O,制造业,100,话费高,李明\n").encode(), "accept"),
        "nul": ((H + "华南\x00P,制造业,100,话费\x00高,李明\n").encode(), "either"),
        "latin1": (H.encode("utf-8") + "caf\xe9".encode("latin-1") + ",制造业,1,x,y\n".encode(), "either"),
        "formula": ((H + '"=HYPERLINK(""http://evil"",""x"")",制造业,100,话费高,李明\n+1,制造业,1,话费高,李明\n@x,制造业,1,话费高,李明\n"\t=1",未知,1,,李明\n').encode(), "either"),
        "formula-skipped": ((H + '=1+1,外星,100,,李明\n').encode(), "either"),
        "con": ((H + "CON,制造业,100,话费高,李明\nPRN.txt,制造业,100,话费高,李明\n").encode(), "either"),
        "huge-field": ((H + "华南Q,制造业,100," + "话费高" * 3000000 + ",李明\n").encode(), "either"),
        "unclosed-quote": ((H + '"华南R,制造业,100,话费高,李明\n').encode(), "either"),
        "only-header": (H.encode(), "either"),
        "empty": (b"", "refuse"),
        "semicolon-delim": ((H.replace(",", ";") + "华南S;制造业;100;话费高;李明\n").encode(), "either"),
        "many-cols": ((H.rstrip("\n") + "," + ",".join(f"c{i}" for i in range(50000)) + "\n华南T,制造业,100,话费高,李明\n").encode(), "either"),
        "binary": (bytes(range(256)) * 50, "refuse"),
        "emp-1e400": ((H + "华南U,制造业,1e400,话费高,李明\n").encode(), "either"),
        "emp-neg": ((H + "华南V,制造业,-5,话费高,李明\n").encode(), "either"),
        "date-edge": (("客户名称,行业,需求,拜访日期\n华南W,制造业,话费高,9999-12-31\n华南X,制造业,话费高,0001-01-01\n").encode(), "either"),
        "crlf-in-cell": ((H + '"华南\r\nY",制造业,100,"话费高\r\n电话多",李明\n').encode(), "either"),
    }
    for key, (data, ex) in csvs.items():
        o = f"{OUT}/csv-{key}"
        TRY(f"I-csv-{key}", "spreadsheet (.csv)", key, ["import", f"{IN}/csv-{key}.csv", "--out", o], infile=f"csv-{key}.csv", content=data,
            out=o, expect=ex, loc=f"csv-{key}.csv" if ex == "refuse" else None, check=check_import, timeout=120)
    ok = f"{IN}/csv-ok-utf8.csv"
    more = [
        ("mapping-broken", ["import", ok, "--mapping", f"{IN}/map-broken.yaml", "--out", f"{OUT}/imp-m1"], "map-broken.yaml", "单位全称: [\n", "refuse"),
        ("mapping-unknown-field", ["import", ok, "--mapping", f"{IN}/map-unk.yaml", "--out", f"{OUT}/imp-m2"], "map-unk.yaml", "客户名称: client.nope\n", "refuse"),
        ("mapping-list", ["import", ok, "--mapping", f"{IN}/map-list.yaml", "--out", f"{OUT}/imp-m3"], "map-list.yaml", "- a\n", "refuse"),
        ("mapping-pyobj", ["import", ok, "--mapping", f"{IN}/map-py.yaml", "--out", f"{OUT}/imp-m4"], "map-py.yaml", "客户名称: !!python/object/apply:os.system ['touch /tmp/attack2/h/victim/map']\n", "refuse"),
        ("sheet-unknown", ["import", f"{IN}/imp-ok.xlsx", "--sheet", "不存在", "--out", f"{OUT}/imp-s"], None, None, "refuse"),
        ("txt-suffix", ["import", f"{IN}/x.txt", "--out", f"{OUT}/imp-t"], "x.txt", "客户名称\n华南\n", "refuse"),
        ("dir-source", ["import", IN, "--out", f"{OUT}/imp-d"], None, None, "refuse"),
        ("zero-source", ["import", f"{IN}/zero.csv", "--out", f"{OUT}/imp-z"], None, None, "refuse"),
        ("fifo-source", ["import", f"{IN}/fifo.csv", "--out", f"{OUT}/imp-f"], None, None, "refuse"),
        ("out-is-file", ["import", ok, "--out", f"{IN}/good.yaml"], None, None, "refuse"),
        ("out-devfull", ["import", ok, "--out", "/dev/full"], None, None, "refuse"),
        ("out-readonly", ["import", ok, "--out", f"{T}/mnt/ro/x"], None, None, "refuse"),
        ("out-full", ["import", f"{IN}/imp-many-rows.xlsx", "--out", f"{T}/mnt/full/imp"], None, None, "refuse"),
        ("twice-no-force", ["import", ok, "--out", f"{OUT}/imp-twice"], None, None, "either"),
    ]
    for key, argv, fname, content, ex in more:
        def pre(t, key=key):
            if key == "zero-source" and not os.path.lexists(f"{IN}/zero.csv"):
                os.symlink("/dev/zero", f"{IN}/zero.csv")
            if key == "fifo-source" and not os.path.lexists(f"{IN}/fifo.csv"):
                os.mkfifo(f"{IN}/fifo.csv")
            if key == "twice-no-force":
                run(["import", ok, "--out", f"{OUT}/imp-twice"])
            if key == "out-full":
                clear_full()
        TRY(f"I-{key}", "spreadsheet options", key, argv, infile=fname, content=content, pre=pre, expect=ex,
            loc=fname if fname and ex == "refuse" else None, timeout=60, outside=[f"{VICTIM}/map"],
            check=(lambda t, rc, o, e: ("harmful", "the existing profile was overwritten without --force") if "覆盖" not in (o + e) and rc == 0 and False else None))


def clear_full():
    """Empty the small tmpfs, then fill it so that only ~8 KB stay free."""
    d = f"{T}/mnt/full"
    if os.path.ismount(d):
        for f in os.listdir(d):
            p = os.path.join(d, f)
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
        st = os.statvfs(d)
        free = st.f_bavail * st.f_frsize
        with open(os.path.join(d, ".filler"), "wb") as f:
            try:
                f.write(b"\0" * max(0, free - 8192))
            except OSError:
                pass


# ------------------------------------------------------------------ paths, CLI, other commands


def add_cli_tries():
    P = f"{IN}/good.yaml"
    long = "长" * 90  # 270 bytes
    paths = [
        ("out-file", ["generate", P, "--out", f"{IN}/good.yaml"], "refuse"),
        ("out-under-file", ["generate", P, "--out", f"{IN}/good.yaml/sub"], "refuse"),
        ("out-devfull", ["generate", P, "--out", "/dev/full"], "refuse"),
        ("out-devnull-sub", ["generate", P, "--out", "/dev/null/x"], "refuse"),
        ("out-readonly", ["generate", P, "--out", f"{T}/mnt/ro/p"], "refuse"),
        ("out-full", ["generate", P, "--out", f"{T}/mnt/full/p"], "refuse"),
        ("out-long-component", ["generate", P, "--out", f"{OUT}/{long}"], "refuse"),
        ("out-dotdot", ["generate", P, "--out", f"{OUT}/a/../../out/dd"], "either"),
        ("out-proc", ["generate", P, "--out", "/proc/self"], "refuse"),
        ("out-symlink-outside", ["generate", P, "--out", f"{OUT}/link-out", "--force"], "either"),
        ("out-exists-no-force", ["generate", P, "--out", f"{OUT}/twice"], "refuse"),
        ("out-target-symlink-force", ["generate", P, "--out", f"{OUT}/tlink", "--force"], "either"),
        ("brief-devfull", ["brief", P, "--out", "/dev/full"], "refuse"),
        ("brief-readonly", ["brief", P, "--out", f"{T}/mnt/ro/b"], "refuse"),
        ("brief-full", ["brief", P, "--out", f"{T}/mnt/full/b"], "refuse"),
        ("brief-long", ["brief", P, "--out", f"{OUT}/{long}"], "refuse"),
        ("brief-twice", ["brief", P, "--out", f"{OUT}/brief-twice"], "refuse"),
        ("map-devfull", ["catalog", "map", "--out", "/dev/full"], "refuse"),
        ("map-readonly", ["catalog", "map", "--out", f"{T}/mnt/ro/m.xlsx"], "refuse"),
        ("map-dir", ["catalog", "map", "--out", OUT], "either"),
        ("map-full", ["catalog", "map", "--out", f"{T}/mnt/full/m.xlsx"], "refuse"),
        ("map-long", ["catalog", "map", "--out", f"{OUT}/{long}.xlsx"], "refuse"),
        ("map-txt", ["catalog", "map", "--out", f"{OUT}/map.txt"], "either"),
        ("interview-devfull", ["interview", "/dev/full", "--answers", f"{IN}/answers.yaml"], "refuse"),
        ("interview-readonly", ["interview", f"{T}/mnt/ro/i.yaml", "--answers", f"{IN}/answers.yaml"], "refuse"),
        ("interview-nodir", ["interview", f"{OUT}/no/such/dir/i.yaml", "--answers", f"{IN}/answers.yaml"], "either"),
        ("interview-long", ["interview", f"{OUT}/{long}.yaml", "--answers", f"{IN}/answers.yaml"], "refuse"),
        ("cases-new-traversal", ["cases", "new", "../../../tmp/attack2/h/victim/case-new"], "refuse"),
        ("cases-new-con", ["cases", "new", "CON"], "either"),
        ("cases-new-slash", ["cases", "new", "a/b"], "refuse"),
        ("cases-new-existing", ["cases", "new", "mfg-three-plants-vnet"], "refuse"),
        ("cases-new-cn", ["cases", "new", "中文编号"], "either"),
        ("cases-new-bad-product", ["cases", "new", "zz-new", "--product", "不存在"], "refuse"),
        ("cases-new-bad-industry", ["cases", "new", "zz-new2", "--industry", "外星"], "refuse"),
        ("templates-init", ["templates", "init"], "either"),
        ("templates-init-twice", ["templates", "init"], "either"),
    ]
    for key, argv, ex in paths:
        def pre(t, key=key):
            if key.endswith("-full"):
                clear_full()
            if key == "out-symlink-outside" and not os.path.lexists(f"{OUT}/link-out"):
                os.makedirs(VICTIM + "/linked", exist_ok=True)
                os.symlink(VICTIM + "/linked", f"{OUT}/link-out")
            if key == "out-exists-no-force":
                run(["--workspace", make_ws("_base"), "generate", P, "--out", f"{OUT}/twice"])
            if key == "out-target-symlink-force":
                os.makedirs(VICTIM + "/linked2", exist_ok=True)
                w(VICTIM + "/linked2/keep.txt", "victim file\n")
                os.makedirs(f"{OUT}/tlink", exist_ok=True)
                tgt = f"{OUT}/tlink/" + time.strftime("%Y-%m-%d") + "-华南精密制造有限公司"
                if not os.path.lexists(tgt):
                    os.symlink(VICTIM + "/linked2", tgt)
            if key == "brief-twice":
                run(["--workspace", make_ws("_base"), "brief", P, "--out", f"{OUT}/brief-twice"])
            if key.startswith("cases-new") or key.startswith("templates-init"):
                t["ws"] = make_ws("cli-" + ("tinit" if key.startswith("templates") else "casesnew"))
                if key == "templates-init":
                    shutil.rmtree(os.path.join(t["ws"], "templates"), ignore_errors=True)
            w(f"{IN}/answers.yaml", ANSWERS)

        def chk(t, rc, o, e, key=key):
            if key == "out-symlink-outside" and rc == 0:
                return "accepted", "followed the --out symlink the user gave (like cp)"
            if key == "out-target-symlink-force":
                if not os.path.exists(VICTIM + "/linked2/keep.txt"):
                    return "harmful", "the file behind a symlinked proposal folder was deleted by --force"
                if len(listing(VICTIM + "/linked2")) > 1:
                    return "harmful", "wrote through a symlinked proposal folder to outside"
            if key == "map-devfull" and rc == 0:
                made = [p for p in ("/dev/full.xlsx", "/dev/full.docx") if os.path.exists(p)]
                for p in made:
                    os.remove(p)
                return "unhelpful", f"exit 0; wrote {made} into /dev (a device given as --out is not refused)"
            if key in ("out-full", "brief-full", "map-full"):
                d = f"{T}/mnt/full"
                vis = [f for f in listing(d) if not any(part.startswith(".") for part in f.split("/")) and os.path.getsize(os.path.join(d, f)) >= 0]
                if rc != 0 and vis:
                    return "harmful", f"half-written files left on a full disk: {vis[:3]}"
            if key == "templates-init-twice" and rc == 0 and "覆盖" not in o + e and "已存在" not in o + e:
                return None
            return None
        TRY(f"X-{key}", "paths", " ".join(argv[:1] + argv[2:])[:80], argv, pre=pre, expect=ex, check=chk,
            out=(argv[argv.index("--out") + 1] if "--out" in argv and argv[0] in ("generate", "brief") and "mnt" not in argv[argv.index("--out") + 1] and "dev" not in argv[argv.index("--out") + 1] and ex == "refuse" and key not in ("out-exists-no-force", "brief-twice") else None),
            outside=[f"{VICTIM}/case-new.md", f"{VICTIM}/case-new"], cmdname=argv[0] if argv[0] not in ("catalog", "cases", "templates") else " ".join(argv[:2]))
    args = [
        ("typo-cmd", ["generat", P]), ("typo-cmd2", ["recomend", P]), ("no-cmd", []), ("missing-arg", ["generate"]),
        ("unknown-opt", ["generate", P, "--frce"]), ("unknown-global", ["--wrokspace", "x", "recommend", P]),
        ("workers-neg", ["batch", IN, "--workers", "-1"]), ("workers-zero", ["batch", IN, "--workers", "0"]), ("workers-abc", ["batch", IN, "--workers", "abc"]),
        ("workers-huge", ["batch", f"{IN}/empty-dir", "--workers", "1000000"]),
        ("similarity-2", ["coverage", IN, "--similarity", "2"]), ("format-xml", ["coverage", IN, "--format", "xml"]),
        ("port-0", ["serve", "--port", "0"]), ("port-big", ["serve", "--port", "70000"]), ("port-abc", ["serve", "--port", "abc"]),
        ("serve-workers-0", ["serve", "--workers", "0"]), ("serve-bad-db", ["serve", "--database", "mysql://x", "--port", "18999"]),
        ("serve-db-path-ro", ["serve", "--database", f"sqlite:///{T}/mnt/ro/db.sqlite", "--port", "18998"]),
        ("users-no-role", ["users", "add", "x"]), ("users-bad-role", ["users", "add", "x", "--role", "root"]),
        ("users-disable-unknown", ["users", "--database", f"sqlite:///{T}/cli-users.db", "disable", "nobody"]),
        ("users-empty-pw", ["users", "--database", f"sqlite:///{T}/cli-users.db", "add", "emptypw", "--role", "manager"]),
        ("users-bad-name", ["users", "--database", f"sqlite:///{T}/cli-users.db", "add", "<script>", "--role", "manager"]),
        ("users-bad-branch", ["users", "--database", f"sqlite:///{T}/cli-users.db", "add", "brx", "--role", "manager", "--branch", "火星"]),
        ("catalog-show-unknown", ["catalog", "show", "不存在的产品"]), ("cases-show-unknown", ["cases", "show", "../../etc/passwd"]),
        ("schema-unknown", ["schema", "nope"]), ("catalog-list-bad-ind", ["catalog", "list", "--industry", "外星"]),
        ("cases-search-size", ["cases", "search", "x", "--size", "巨型"]),
        ("ws-missing", ["--workspace", f"{T}/no-such-ws", "recommend", P]), ("ws-file", ["--workspace", P, "recommend", P]),
        ("ws-empty", ["--workspace", "", "recommend", P]), ("ws-emptydir", ["--workspace", f"{T}/empty-ws", "recommend", P]),
        ("help-sub", ["generate", "-h"]), ("version", ["--version"]), ("double-dash", ["recommend", "--", P]),
        ("quote-extra-arg", ["quote", P, P]), ("interview-no-arg", ["interview"]), ("coverage-no-arg", ["coverage"]),
    ]
    for key, argv in args:
        ex = "either" if key in ("help-sub", "version", "double-dash", "workers-huge", "catalog-list-bad-ind", "ws-empty") else "refuse"
        stdin = "\n" if key == "users-empty-pw" else ("pw12345678\n" if key.startswith("users") else None)

        def pre(t, key=key):
            os.makedirs(f"{IN}/empty-dir", exist_ok=True)
            os.makedirs(f"{T}/empty-ws", exist_ok=True)

        def chk(t, rc, o, e, key=key):
            if key.startswith("serve") and rc == 0:
                return "unhelpful", "serve started with a bad option"
            if key == "users-bad-name" and rc == 0:
                return "accepted", "user name '<script>' accepted (escaped in pages?)"
            return None
        TRY(f"A-{key}", "CLI args", " ".join(argv)[:80], argv, pre=pre, stdin=stdin, expect=ex, check=chk, timeout=30,
            cmdname=(argv[0] if argv else "(none)") if not (argv and argv[0].startswith("-")) else "(global)")
    # non-UTF-8 locale
    TRY("A-locale-C", "CLI args", "LANG=C LC_ALL=C recommend", ["recommend", P], env={"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}, expect="accept")
    TRY("A-locale-C-error", "CLI args", "LANG=C LC_ALL=C PYTHONUTF8=0 with a bad profile", ["recommend", f"{IN}/type-tier-D.yaml"],
        env={"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}, expect="refuse")
    TRY("A-stdout-closed", "CLI args", "recommend with stdout to /dev/full", ["sh", "-c", f"{PC} recommend {P} >/dev/full"],
        cmdname="recommend", expect="either")
    TRY("A-stdout-pipe-closed", "CLI args", "recommend | head -c1 (broken pipe)", ["bash", "-c", f"{PC} recommend {P} --json | head -c1 >/dev/null; exit ${{PIPESTATUS[0]}}"],
        cmdname="recommend", expect="either")
    for t in TRIES[-2:]:
        t["raw"] = True


ANSWERS = yaml.safe_dump(["华南精密制造有限公司", "1", "850", "3", "A", "深圳"], allow_unicode=True)


def add_interview_tries():
    full = {"client.name": "华南精密制造有限公司", "client.industry": "制造业", "client.employees": "850"}
    items = [
        ("answers-list", yaml.safe_dump(["华南精密制造有限公司", "1", "850"], allow_unicode=True), "\n" * 200, "either"),
        ("answers-keyed", yaml.safe_dump(full, allow_unicode=True), "\n" * 200, "either"),
        ("answers-int", "5\n", "", "refuse"),
        ("answers-nested", yaml.safe_dump({"client.name": {"a": [1, 2]}}), "", "refuse"),
        ("answers-unknown-key", yaml.safe_dump({"client.nope": "x"}), "", "refuse"),
        ("answers-fffe", yaml.safe_dump(["华南\ufffe精密\x00"], allow_unicode=True), "", "either"),
        ("answers-industry-999", yaml.safe_dump(["华南", "999"], allow_unicode=True), "", "either"),
        ("answers-bomb", "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n", "", "refuse"),
        ("answers-pyobj", "- !!python/object/apply:os.system ['touch /tmp/attack2/h/victim/iv']\n", "", "refuse"),
        ("answers-huge", yaml.safe_dump(["华" * 2_000_000]), "", "either"),
        ("answers-zero", None, "", "refuse"),
        ("answers-fifo", None, "", "refuse"),
        ("stdin-eof", None, "华南\n", "either"),
        ("stdin-garbage", None, "\x00\x01\xff\n" * 50, "either"),
        ("stdin-fffe", None, "华南\ufffe\n1\n", "either"),
        ("stdin-huge-line", None, "华" * 3_000_000 + "\n", "either"),
    ]
    for key, answers, stdin, ex in items:
        o = f"{OUT}/iv-{key}/c.yaml"
        argv = ["interview", o, "--restart"]
        af = None
        if answers is not None or key in ("answers-zero", "answers-fifo"):
            af = f"{IN}/iv-{key}.yaml"
            argv += ["--answers", af]

        def pre(t, key=key, af=af, answers=answers, o=o):
            shutil.rmtree(os.path.dirname(o), ignore_errors=True)
            os.makedirs(os.path.dirname(o), exist_ok=True)
            if af:
                if os.path.lexists(af):
                    os.remove(af)
                if key == "answers-zero":
                    os.symlink("/dev/zero", af)
                elif key == "answers-fifo":
                    os.mkfifo(af)
                else:
                    w(af, answers)
        TRY(f"V-{key}", "interview", key, argv, pre=pre, stdin=stdin.encode("utf-8", "surrogateescape") if isinstance(stdin, str) else stdin,
            expect=ex, loc=os.path.basename(af) if af and ex == "refuse" else None, timeout=60, outside=[f"{VICTIM}/iv"])
    prog = {
        "list": "[1,2,3]", "wrong-version": '{"version": 99, "answers": {}}', "answers-list": '{"version": 1, "answers": [1]}',
        "answers-bad-values": '{"version": 1, "answers": {"client.name": {"x": 1}, "client.employees": [1]}}',
        "unknown-ids": '{"version": 1, "answers": {"zzz": "1", "../x": "2"}}',
        "bad-json": "{not json", "binary": b"\xff\xfe\x00\x00garbage", "huge": "[" + "1," * 700000 + "1]",
        "deep": "[" * 100000 + "]" * 100000, "fifo": None, "dir": None, "zero": None, "empty": "",
        "fffe-answer": '{"version": 1, "answers": {"client.name": "\\ufffe\\u0000\\ud800"}}',
        "industry-bad": '{"version": 1, "answers": {"client.name": "华南", "client.industry": "999"}}',
    }
    for key, content in prog.items():
        o = f"{OUT}/ivp-{key}/c.yaml"
        pf = f"{OUT}/ivp-{key}/.c.yaml.interview.json"

        def pre(t, key=key, content=content, o=o, pf=pf):
            shutil.rmtree(os.path.dirname(o), ignore_errors=True)
            os.makedirs(os.path.dirname(o), exist_ok=True)
            if key == "fifo":
                os.mkfifo(pf)
            elif key == "dir":
                os.makedirs(pf)
            elif key == "zero":
                os.symlink("/dev/zero", pf)
            else:
                w(pf, content)
        TRY(f"V-progress-{key}", "interview progress file", key, ["interview", o, "--resume"], pre=pre, stdin="\n" * 5,
            expect="either" if key in ("unknown-ids", "fffe-answer", "industry-bad") else "refuse", timeout=30)


def add_batch_cov_tries():
    d = f"{IN}/batchmix"
    files = {
        "a-good.yaml": BASE_TEXT, "b-tier.yaml": prof(setp("client.tier", "D")), "c-choices.yaml": prof(lambda x: x.__setitem__("choices", {"add": ["不存在"]})),
        "d-fffe.yaml": text_replace("  name: 华南精密制造有限公司", '  name: "华南\\uFFFE乙"'),
        "e-date.yaml": text_replace("  name: 华南精密制造有限公司", "  name: 丙公司").replace("date: 2026-12-01", "date: 9999-12-31"),
        "f-money.yaml": text_replace("  name: 华南精密制造有限公司", "  name: 丁公司").replace("monthly_cny: 15000", "monthly_cny: 1e400"),
        "g-bomb.yaml": ("a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(f"{chr(98+i)}: &{chr(98+i)} [" + ",".join([f"*{chr(97+i)}"] * 9) + "]\n" for i in range(8))),
        "h-same.yaml": BASE_TEXT.replace("# Demo", "# another file, same client"),
        "i-empty.yaml": "", "j-utf16.yaml": BASE_TEXT.encode("utf-16"), "k-h1.yaml": text_replace("  name: 华南精密制造有限公司", '  name: "# 戊公司"'),
        "CON.yaml": text_replace("  name: 华南精密制造有限公司", "  name: CON"),
    }

    def pre(t):
        if os.path.isdir(d):
            return
        for n, c in files.items():
            w(f"{d}/{n}", c)
        os.mkfifo(f"{d}/l-fifo.yaml")
        os.symlink("/dev/zero", f"{d}/m-zero.yaml")
        os.makedirs(f"{d}/n-dir.yaml")
        os.symlink("/etc/passwd", f"{d}/o-passwd.yaml")

    def chk_batch(t, rc, o, e):
        txt = o + e
        missing = [n for n in list(files) + ["l-fifo.yaml", "m-zero.yaml", "n-dir.yaml", "o-passwd.yaml"] if n not in txt and not n.startswith(("a-", "h-", "k-", "CON", "d-"))]
        if rc == 0:
            return "unhelpful", "exit 0 with bad profiles in the folder"
        if missing:
            return "unhelpful", f"bad files not reported: {missing}"
        return None
    TRY("B-mixed", "batch", "folder: good, bad tier/choices/date/money/bomb/empty/utf16/FIFO/zero/dir/symlink", ["batch", d, "--workers", "2", "--out", f"{OUT}/batch1"],
        pre=pre, check=chk_batch, timeout=240, expect="refuse")
    TRY("B-rerun", "batch", "same batch again (skip up to date)", ["batch", d, "--workers", "1", "--out", f"{OUT}/batch1"],
        check=lambda t, rc, o, e: None, timeout=240, expect="either")
    TRY("B-notdir", "batch", "a file as PROFILE_DIR", ["batch", f"{IN}/good.yaml", "--out", f"{OUT}/batch2"], expect="refuse", loc="good.yaml")
    TRY("B-missing", "batch", "no such folder", ["batch", f"{IN}/nope", "--out", f"{OUT}/batch3"], expect="refuse", loc="nope")
    TRY("B-empty", "batch", "empty folder", ["batch", f"{IN}/empty-dir", "--out", f"{OUT}/batch4"], expect="either",
        pre=lambda t: os.makedirs(f"{IN}/empty-dir", exist_ok=True))
    TRY("B-out-ro", "batch", "--out on a read-only mount", ["batch", f"{IN}/batchone", "--out", f"{T}/mnt/ro/b"], expect="refuse",
        pre=lambda t: w(f"{IN}/batchone/a.yaml", BASE_TEXT))
    TRY("B-out-full", "batch", "--out on a full mount", ["batch", f"{IN}/batchone", "--out", f"{T}/mnt/full/b", "--workers", "1"], expect="refuse",
        pre=lambda t: (w(f"{IN}/batchone/a.yaml", BASE_TEXT), clear_full()),
        check=lambda t, rc, o, e: ("harmful", "visible half-written files on the full disk") if [f for f in listing(f"{T}/mnt/full") if not any(p.startswith(".") for p in f.split("/"))] and rc != 0 and any(f.endswith((".docx", ".pptx")) for f in listing(f"{T}/mnt/full")) else None)
    TRY("B-out-file", "batch", "--out is a file", ["batch", f"{IN}/batchone", "--out", f"{IN}/good.yaml"], expect="refuse")
    big = f"{IN}/batchbig"

    def mkbig(t):
        for i in range(80):
            w(f"{big}/p{i:03}.yaml", BASE_TEXT.replace("华南精密制造有限公司", f"华南精密{i}号有限公司"))
    TRY("B-kill9", "batch", "kill -9 the batch parent mid-run (80 profiles), then look for orphans", ["bash", "-c", f"cd {WS}/_base; {PC} batch {big} --workers 2 --out {OUT}/batch-k --force >/dev/null 2>&1 & P=$!; sleep 6; kill -9 $P; sleep 4; ps -eo pid,ppid,cmd | grep -F {REPO}/.venv | grep -v -e grep -e ' serve ' | awk '$2==1 || $2==$P' | wc -l"],
        pre=mkbig,
        cmdname="batch", check=lambda t, rc, o, e: ("harmful", f"orphans left after kill -9: {o.split()}") if any(x != "0" for x in o.split()) else ("accepted", "no orphans after kill -9"), timeout=60)
    TRIES[-1]["raw"] = True
    TRY("B-heal", "batch", "rerun after kill -9 heals the folder", ["batch", big, "--workers", "2", "--out", f"{OUT}/batch-k"], timeout=400, expect="either",
        check=lambda t, rc, o, e: ("harmful", f"hidden leftovers not cleaned: {[f for f in os.listdir(OUT + '/batch-k') if f.startswith('.')]}") if os.path.isdir(OUT + "/batch-k") and [f for f in os.listdir(OUT + "/batch-k") if f.startswith(".") and f.endswith(".tmp")] else None)
    TRY("K-mixed", "coverage", "coverage over the mixed folder", ["coverage", d], expect="either", timeout=90,
        check=lambda t, rc, o, e: ("unhelpful", "a bad profile not listed: " + ",".join(n for n in ("b-tier", "c-choices", "f-money", "g-bomb", "l-fifo", "m-zero") if n not in o + e)) if any(n not in o + e for n in ("b-tier", "c-choices", "f-money", "g-bomb", "l-fifo", "m-zero")) else None)
    TRY("K-json", "coverage", "coverage --format json over the mixed folder", ["coverage", d, "--format", "json"], expect="either", timeout=90,
        check=lambda t, rc, o, e: None if _is_json(o) else ("unhelpful", "stdout is not JSON: " + o[:80]))
    TRY("K-zero", "coverage", "/dev/zero as a profile", ["coverage", "/dev/zero"], expect="refuse", timeout=30)
    TRY("K-files", "coverage", "explicit bad files", ["coverage", f"{IN}/type-tier-D.yaml", f"{IN}/syn-anchor-bomb.yaml", f"{IN}/good.yaml"], expect="either", timeout=60)
    TRY("K-empty", "coverage", "empty folder", ["coverage", f"{IN}/empty-dir"], expect="either", pre=lambda t: os.makedirs(f"{IN}/empty-dir", exist_ok=True))
    TRY("K-all-inputs", "coverage", "coverage over every hostile profile made so far", ["coverage", IN], expect="either", timeout=240)


def _is_json(s):
    try:
        json.loads(s)
        return True
    except Exception:
        return False


# ------------------------------------------------------------------ web


class Web:
    def __init__(self):
        self.ws = make_ws("web")
        self.port = free_port()
        self.db = f"sqlite:///{T}/web/web.db"
        shutil.rmtree(f"{T}/web", ignore_errors=True)
        os.makedirs(f"{T}/web")
        for name, role in (("mgr1", "manager"), ("mgr2", "manager"), ("adm", "admin"), ("throttle", "manager")):
            run(["--workspace", self.ws, "users", "--database", self.db, "add", name, "--role", role, "--display-name", "李明<b>x</b>"],
                stdin=f"pass-{name}-123\n")
        e = dict(os.environ, PITCHCRAFT_CACHE_DIR=f"{T}/cache")
        self.log = open(f"{T}/web/serve.log", "wb")
        self.proc = subprocess.Popen([PC, "--workspace", self.ws, "serve", "--port", str(self.port), "--database", self.db,
                                      "--workers", "1", "--files", f"{T}/web/files"], stdout=self.log, stderr=subprocess.STDOUT,
                                     env=e, preexec_fn=_limits)
        for _ in range(120):
            try:
                if self.req("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError("server did not start: " + open(f"{T}/web/serve.log").read()[-500:])

    def req(self, method, path, body=None, headers=None, timeout=60, chunked=False, raw_path=False):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode()
        if chunked:
            c.putrequest(method, path, skip_accept_encoding=True)
            for k, v in h.items():
                c.putheader(k, v)
            c.putheader("Transfer-Encoding", "chunked")
            c.endheaders()
            try:
                for i in range(0, len(body), 65536):
                    part = body[i:i + 65536]
                    c.send(b"%x\r\n%s\r\n" % (len(part), part))
                c.send(b"0\r\n\r\n")
            except OSError:
                pass
        else:
            c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        hd = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, hd, data

    def token(self, user):
        s, h, d = self.req("POST", "/api/login", {"username": user, "password": f"pass-{user}-123"})
        return json.loads(d)["token"]

    def session(self, user):
        """A logged-in page session: cookie and csrf token."""
        s, h, d = self.req("GET", "/login")
        cookie = h.get("set-cookie", "").split(";")[0]
        csrf = re.search(rb'name="csrf" value="([^"]+)"', d)
        csrf = csrf.group(1).decode() if csrf else ""
        body = urllib.parse.urlencode({"username": user, "password": f"pass-{user}-123", "csrf": csrf})
        s, h, d = self.req("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        cookie = h.get("set-cookie", cookie).split(";")[0]
        s, h, d = self.req("GET", "/proposals/new", headers={"Cookie": cookie})
        m = re.search(rb'name="csrf" value="([^"]+)"', d)
        return cookie, (m.group(1).decode() if m else "")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                return "killed"
        return self.proc.returncode


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def multipart(fields, files):
    b = "----pcattack" + os.urandom(6).hex()
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(f"--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode())
    for k, (fn, data, ct) in files.items():
        out.write(f"--{b}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{fn}\"\r\nContent-Type: {ct}\r\n\r\n".encode())
        out.write(data)
        out.write(b"\r\n")
    out.write(f"--{b}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={b}"


def web_tries():
    recs = []
    try:
        web = Web()
    except Exception as exc:
        return [dict(id="WEB-start", cmd="serve", kind="web", what="start the server", outcome="traceback", rc=None, secs=0,
                     msg=str(exc)[:300], argv="pitchcraft serve", stderr_tail="")]
    base = json.loads(json.dumps(BASE, default=str))

    def add(tid, what, fn, kind="web"):
        t0 = time.time()
        try:
            cls, msg = fn()
        except Exception as exc:
            cls, msg = ("hang" if isinstance(exc, socket.timeout) else "traceback"), f"{type(exc).__name__}: {exc}"
        recs.append(dict(id=tid, cmd="serve", kind=kind, what=what, outcome=cls, rc=None, secs=round(time.time() - t0, 1),
                         msg=str(msg).replace("\n", " ")[:300], argv="", stderr_tail=""))

    tok1, tok2, toka = web.token("mgr1"), web.token("mgr2"), web.token("adm")
    H1 = {"Authorization": f"Bearer {tok1}"}
    H2 = {"Authorization": f"Bearer {tok2}"}

    def api_status(expect, method, path, body=None, headers=None, **kw):
        s, h, d = web.req(method, path, body, headers, **kw)
        txt = d.decode("utf-8", "replace")
        if s >= 500:
            return "traceback", f"{s} {txt[:150]}"
        if s in expect:
            if s >= 400 and not CJK.search(txt) and s not in (401, 405):
                return "unhelpful", f"{s} without Chinese: {txt[:150]}"
            return ("refused" if s >= 400 else "accepted"), f"{s} {txt[:150]}"
        return "unhelpful" if s >= 400 else "harmful", f"{s} (expected {expect}) {txt[:150]}"

    add("WEB-noauth-recommend", "POST /api/recommend without token", lambda: api_status({401}, "POST", "/api/recommend", base))
    add("WEB-forged-token", "forged bearer token", lambda: api_status({401}, "POST", "/api/recommend", base, {"Authorization": "Bearer " + tok1[:-4] + "AAAA"}))
    add("WEB-alg-none", "token 'eyJhbGciOiJub25lIn0.e30.'", lambda: api_status({401}, "GET", "/api/proposals", None, {"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."}))
    add("WEB-basic-auth", "Authorization: Basic", lambda: api_status({401}, "GET", "/api/proposals", None, {"Authorization": "Basic bWdyMTpwYXNzLW1ncjEtMTIz"}))
    add("WEB-recommend-ok", "valid profile", lambda: api_status({200}, "POST", "/api/recommend", base, H1))
    bad = dict(base, client=dict(base["client"], tier="D"))
    add("WEB-recommend-bad", "tier D → 422 with field", lambda: (lambda r: r if "client.tier" in r[1] else ("unhelpful", "no field: " + r[1]))(api_status({422}, "POST", "/api/recommend", bad, H1)))
    for key in ("fffe", "sur", "nul", "huge", "html", "wml", "jinja", "formula", "path"):
        prof_ = dict(base, client=dict(base["client"], name=HOSTILE[key]))
        add(f"WEB-recommend-{key}", f"client.name {key} via JSON", lambda p=prof_: api_status({200, 422}, "POST", "/api/recommend", p, H1))
    add("WEB-json-malformed", "malformed JSON", lambda: api_status({400, 422}, "POST", "/api/recommend", b"{not json", {**H1, "Content-Type": "application/json"}))
    add("WEB-json-list", "JSON list body", lambda: api_status({400, 422}, "POST", "/api/recommend", [1, 2], H1))
    add("WEB-json-deep", "JSON nested 100000 deep", lambda: api_status({400, 413, 422}, "POST", "/api/recommend", b"[" * 100000 + b"]" * 100000, {**H1, "Content-Type": "application/json"}))
    add("WEB-json-nan", "JSON with NaN / 1e400", lambda: api_status({400, 422}, "POST", "/api/recommend", json.dumps(base).replace('"employees": 850', '"employees": NaN').replace('"monthly_cny": 15000', '"monthly_cny": 1e400').encode(), {**H1, "Content-Type": "application/json"}))
    add("WEB-json-bigint", "JSON employees 10**5000", lambda: api_status({400, 422}, "POST", "/api/recommend", json.dumps(base).replace('"employees": 850', '"employees": ' + "9" * 5000).encode(), {**H1, "Content-Type": "application/json"}))
    add("WEB-json-utf16", "JSON body in UTF-16", lambda: api_status({200, 400, 422}, "POST", "/api/recommend", json.dumps(base, ensure_ascii=False).encode("utf-16"), {**H1, "Content-Type": "application/json"}))
    add("WEB-json-lone-surrogate", "JSON with \\ud800 escape", lambda: api_status({200, 400, 422}, "POST", "/api/recommend", json.dumps(base).replace('"region": "\\u6df1\\u5733"', '"region": "\\ud800"').encode(), {**H1, "Content-Type": "application/json"}))
    add("WEB-oversize", "2 MB body", lambda: api_status({413}, "POST", "/api/recommend", b"{" + b" " * (2 * 1024 * 1024) + b"}", {**H1, "Content-Type": "application/json"}))
    add("WEB-oversize-chunked", "2 MB chunked body", lambda: api_status({413}, "POST", "/api/recommend", b"{" + b" " * (2 * 1024 * 1024) + b"}", {**H1, "Content-Type": "application/json"}, chunked=True))
    add("WEB-lying-length", "Content-Length 10 with a 2 MB body", lambda: api_status({200, 400, 413, 422}, "POST", "/api/recommend", b"{}" + b" " * 100, {**H1, "Content-Type": "application/json", "Content-Length": "2"}))
    add("WEB-neg-length", "Content-Length -1 (uvicorn answers before the app)", lambda: (lambda r: ("refused", r[1]) if r[1].startswith("400") else r)(api_status({400, 411, 413, 422}, "POST", "/api/recommend", b"{}", {**H1, "Content-Type": "application/json", "Content-Length": "-1"})))

    # proposals and ownership
    s, h, d = web.req("POST", "/api/proposals", {"profile": base}, H1, timeout=120)
    pid = json.loads(d).get("id", "") if s == 201 else ""
    files = json.loads(d).get("files", []) if s == 201 else []
    recs.append(dict(id="WEB-proposal-create", cmd="serve", kind="web", what="POST /api/proposals valid", outcome="accepted" if s == 201 else ("traceback" if s >= 500 else "unhelpful"),
                     rc=None, secs=0, msg=f"{s} {d[:120]!r}", argv="", stderr_tail=""))
    hostile_prof = dict(base, client=dict(base["client"], name="<script>alert(1)</script># {{7*7}} =HYPERLINK(\"x\")"))
    s2, h2, d2 = web.req("POST", "/api/proposals", {"profile": hostile_prof}, H1, timeout=120)

    def hostile_docs():
        if s2 != 201:
            return ("refused" if s2 < 500 else "traceback"), f"{s2} {d2[:100]!r}"
        j = json.loads(d2)
        out = f"{T}/web/dl"
        os.makedirs(out, exist_ok=True)
        for f in j["files"]:
            st, hh, data = web.req("GET", f["url"], headers=H1)
            open(os.path.join(out, f["name"]), "wb").write(data)
        return check_docs(out, ["<script>alert(1)</script>", "{{7*7}}"])
    add("WEB-proposal-hostile-docs", "proposal from a hostile name, documents reopened", hostile_docs)
    add("WEB-other-user-proposal", "mgr2 GET mgr1's proposal", lambda: (lambda a, b: ("refused", f"{a[0]} same body as missing: {a[2] == b[2]}") if a[0] == 404 and a[2] == b[2] else ("harmful", f"{a[0]} {a[2][:100]!r}"))(
        web.req("GET", f"/api/proposals/{pid}", headers=H2), web.req("GET", "/api/proposals/" + "z" * len(pid), headers=H2)))
    add("WEB-other-user-file", "mgr2 GET mgr1's file", lambda: api_status({404}, "GET", f"/api/proposals/{pid}/files/proposal.docx", None, H2))
    add("WEB-other-user-regen", "mgr2 regenerates mgr1's proposal", lambda: api_status({404}, "POST", f"/api/proposals/{pid}/regenerate", None, H2))
    add("WEB-admin-read", "admin reads mgr1's proposal", lambda: api_status({200}, "GET", f"/api/proposals/{pid}", None, {"Authorization": f"Bearer {toka}"}))
    add("WEB-gaps-manager", "manager GET /api/gaps", lambda: api_status({403, 404}, "GET", "/api/gaps", None, H1))
    for k, path in (("dotdot", f"/api/proposals/{pid}/files/..%2F..%2F..%2Fweb.db"), ("dotdot-raw", f"/api/proposals/{pid}/files/../../../../etc/passwd"),
                    ("manifest", f"/api/proposals/{pid}/files/manifest.json"), ("profile", f"/api/proposals/{pid}/files/profile.yaml"),
                    ("id-traversal", "/api/proposals/..%2F..%2Fweb.db/files/x"), ("nul", f"/api/proposals/{pid}/files/proposal.docx%00.txt"),
                    ("backslash", f"/api/proposals/{pid}/files/..%5C..%5Cweb.db"), ("page-dl", f"/proposals/{pid}/files/..%2F..%2Fweb.db"),
                    ("static-traversal", "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd"), ("static-dotdot", "/static/../app.py")):
        def f(path=path, k=k):
            s, h, d = web.req("GET", path, headers=H1)
            if b"root:" in d or b"SQLite format" in d or b"import " in d[:2000]:
                return "harmful", f"{s} leaked file content"
            if s in (200,) and k in ("manifest", "profile"):
                return "accepted", f"{s} (a file the record lists)"
            if s >= 500:
                return "traceback", f"{s} {d[:100]!r}"
            if s == 404 and not CJK.search(d.decode("utf-8", "replace")):
                return "unhelpful", f"{s} English 404: {d[:100]!r}"
            return ("refused" if s >= 400 else "accepted"), f"{s} {d[:100]!r}"
        add(f"WEB-path-{k}", f"GET {path[:60]}", f)
    add("WEB-list-filter-sql", "GET /api/proposals?client=' OR 1=1 --", lambda: (lambda r: ("harmful", "filter returned other's data") if r[0] == 200 and b"mgr2" in r[2] else ("accepted" if r[0] == 200 else "refused", f"{r[0]} {r[2][:80]!r}"))(web.req("GET", "/api/proposals?client=%27%20OR%201%3D1%20--&since=9999-99-99", headers=H1)))
    add("WEB-list-bad-date", "GET /api/proposals?since=abc", lambda: api_status({200, 400, 422}, "GET", "/api/proposals?since=abc&until=%00", None, H1))

    # pages
    cookie, csrf = web.session("mgr1")
    C = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    form = {"client_name": "<img src=x onerror=alert(1)>华南", "industry": "manufacturing", "employees": "850", "sites": "3", "tier": "A",
            "region": "<script>alert(2)</script>", "need_basic_comms": "三个厂区之间电话多，话费高\n<svg onload=alert(3)>", "need_mobile_office": "{{ 7*7 }}",
            "need_production_control": "", "need_marketing": "", "contact_name_0": "\"><script>alert(4)</script>", "contact_role_0": "decision_maker",
            "contact_attitude_0": "neutral", "contact_title_0": "总经理"}

    def xss_form():
        s, h, d = web.req("POST", "/proposals/new", urllib.parse.urlencode(dict(form, csrf=csrf)), C)
        loc = h.get("location", "")
        if s >= 500:
            return "traceback", f"{s}"
        if s in (302, 303) and loc:
            s, h, d = web.req("GET", loc, headers={"Cookie": cookie})
        body = d.decode("utf-8", "replace")
        for live in ("<script>alert(", "<img src=x onerror", "<svg onload"):
            if live in body:
                return "harmful", f"live markup in the page: {live}"
        csp = h.get("content-security-policy", "")
        return "literal", f"{s} escaped; CSP {csp[:40]}"
    add("WEB-page-xss", "profile form with XSS in every field", xss_form)
    add("WEB-page-no-csrf", "POST /proposals/new without CSRF", lambda: api_status({400, 403}, "POST", "/proposals/new", urllib.parse.urlencode(form), C))
    add("WEB-page-wrong-csrf", "POST with another session's CSRF", lambda: api_status({400, 403}, "POST", "/proposals/new", urllib.parse.urlencode(dict(form, csrf=web.session("mgr2")[1])), C))
    add("WEB-page-csrf-crosssite", "POST with Origin: evil and no cookie", lambda: api_status({303, 302, 401, 403}, "POST", "/proposals/new", urllib.parse.urlencode(dict(form, csrf=csrf)), {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil"}))
    add("WEB-page-forged-cookie", "forged session cookie", lambda: (lambda r: ("refused", f"{r[0]} → login") if r[0] in (302, 303, 401, 403) else ("harmful", f"{r[0]}"))(web.req("GET", "/proposals", headers={"Cookie": cookie.split("=")[0] + "=eyJ1IjogMX0.forged"})))
    add("WEB-page-bad-form-values", "form with employees=-5, tier=Z, industry=外星", lambda: api_status({422}, "POST", "/proposals/new", urllib.parse.urlencode(dict(form, csrf=csrf, employees="-5", tier="Z", industry="外星")), C))
    add("WEB-page-many-contacts", "form with 5000 contact rows", lambda: api_status({200, 302, 303, 400, 413, 422}, "POST", "/proposals/new", urllib.parse.urlencode(dict(dict(form, csrf=csrf), **{f"contact_name_{i}": "x" for i in range(5000)})), C))
    add("WEB-page-other-draft", "mgr2 opens mgr1's draft ids", lambda: other_draft(web, cookie, csrf, form))
    add("WEB-page-draft-traversal", "GET /drafts/..%2F..%2Fx", lambda: api_status({404}, "GET", "/drafts/..%2F..%2Fx", None, {"Cookie": cookie}))
    add("WEB-page-choices-bad", "choices: unknown action, product, quantity 10**30", lambda: choices_bad(web, cookie, csrf, form))
    for key, (fn, data, ct) in {
        "yaml-pyobj": ("p.yaml", b"client: !!python/object/apply:os.system ['touch /tmp/attack2/h/victim/web']\n", "text/yaml"),
        "yaml-bomb": ("p.yaml", ("a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(f"{chr(98+i)}: &{chr(98+i)} [" + ",".join([f"*{chr(97+i)}"] * 9) + "]\n" for i in range(8))).encode(), "text/yaml"),
        "yaml-utf16": ("p.yaml", BASE_TEXT.encode("utf-16"), "text/yaml"),
        "yaml-ok-traversal-name": ("../../../../tmp/attack2/h/victim/up.yaml", BASE_TEXT.encode(), "text/yaml"),
        "yaml-binary": ("p.yaml", bytes(range(256)) * 10, "application/octet-stream"),
        "yaml-big": ("p.yaml", BASE_TEXT.encode() + b"#" * (1024 * 1024 + 100), "text/yaml"),
        "yaml-fffe-name": ("p.yaml", text_replace("  name: 华南精密制造有限公司", '  name: "<script>x</script>\\uFFFE"').encode(), "text/yaml"),
        "yaml-empty": ("p.yaml", b"", "text/yaml"),
    }.items():
        def up(fn=fn, data=data, ct=ct, key=key):
            body, ctype = multipart({"csrf": csrf}, {"profile_file": (fn, data, ct)})
            s, h, d = web.req("POST", "/profiles/upload", body, {"Cookie": cookie, "Content-Type": ctype})
            txt = d.decode("utf-8", "replace")
            if os.path.exists(f"{VICTIM}/web") or os.path.exists(f"{VICTIM}/up.yaml"):
                return "harmful", "wrote outside"
            if s >= 500:
                return "traceback", f"{s} {txt[:100]}"
            if "<script>x</script>" in txt:
                return "harmful", "live script"
            if s == 422:
                m = re.search(r"上传的档案有问题：[^<]*", txt)
                msg = m.group(0) if m else txt[:100]
                return ("refused" if CJK.search(msg) and not english_in(msg) else "unhelpful"), f"{s} {msg[:150]}"
            return "accepted", f"{s}"
        add(f"WEB-upload-{key}", f"profile upload {key}", up)
    for key, (fn, data) in {
        "formula": ("c.csv", (",".join(HDR) + "\n" + '"=HYPERLINK(""http://evil"",""x"")",制造业,100,话费高,李明\n').encode()),
        "sst-bomb-small": ("c.xlsx", xlsx([HDR, row("x")], dtd=True)),
        "broken-zip": ("c.xlsx", b"PK\x03\x04broken"),
        "exe-suffix": ("c.exe", b"MZ"),
        "nul-csv": ("c.csv", (",".join(HDR) + "\n华南\x00,制造业,100,话费高,李明\n").encode()),
        "con-names": ("c.csv", (",".join(HDR) + "\nCON,制造业,100,话费高,李明\n<script>alert(5)</script>,制造业,100,话费高,李明\n").encode()),
        "over-1mb": ("c.csv", (",".join(HDR) + "\n").encode() + b"x" * (1024 * 1024 + 10)),
        "gbk": ("c.csv", (",".join(HDR) + "\n华南Z,制造业,100,话费高,李明\n").encode("gbk")),
    }.items():
        def imp(fn=fn, data=data):
            body, ctype = multipart({"csrf": csrf}, {"crm_file": (fn, data, "application/octet-stream")})
            s, h, d = web.req("POST", "/import", body, {"Cookie": cookie, "Content-Type": ctype}, timeout=120)
            txt = d.decode("utf-8", "replace")
            if s >= 500:
                return "traceback", f"{s} {txt[:100]}"
            if "<script>alert(5)" in txt:
                return "harmful", "live script in the import page"
            if s == 413:
                return "refused", "413"
            m = re.search(r'class="error"[^>]*>([^<]*)', txt) or re.search(r"(请[^<]{0,80})", txt)
            msg = m.group(1) if m else txt[:100]
            if s >= 400:
                return ("refused" if CJK.search(msg) and not english_in(msg) else "unhelpful"), f"{s} {msg[:150]}"
            return "accepted", f"{s} {msg[:100]}"
        add(f"WEB-import-{key}", f"CRM import upload {key}", imp)
    add("WEB-multipart-malformed", "multipart with a broken boundary", lambda: api_status({400, 403, 422}, "POST", "/profiles/upload", b"--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf.encode(), {"Cookie": cookie, "Content-Type": "multipart/form-data; boundary=x"}))
    add("WEB-multipart-many-parts", "multipart with 20000 fields", lambda: api_status({400, 403, 413, 422}, "POST", "/profiles/upload", multipart({f"f{i}": "x" for i in range(20000)}, {})[0], {"Cookie": cookie, "Content-Type": multipart({}, {})[1]}))
    add("WEB-form-urlencoded-huge-key", "urlencoded body with a 900 KB field name", lambda: api_status({400, 403, 413, 422}, "POST", "/proposals/new", "a" * 900000 + "=1", C))
    add("WEB-headers", "security headers on the login page", lambda: (lambda r: ("accepted", "CSP, nosniff, DENY present") if all(k in r[1] for k in ("content-security-policy", "x-content-type-options", "x-frame-options")) else ("harmful", f"missing headers: {list(r[1])}"))(web.req("GET", "/login")))
    add("WEB-method", "DELETE /api/proposals/x", lambda: api_status({404, 405}, "DELETE", f"/api/proposals/{pid}", None, H1))
    add("WEB-host-header", "Host: evil", lambda: api_status({200, 303, 302, 400}, "GET", "/login", None, {"Host": "evil.example"}))
    add("WEB-trusted-header-off", "X-Remote-User: adm with SSO off", lambda: (lambda r: ("harmful", "logged in by header") if r[0] == 200 and b"adm" in r[2] else ("refused", f"{r[0]}"))(web.req("GET", "/admin/gaps", headers={"X-Remote-User": "adm"})))

    def throttle():
        codes = []
        for i in range(7):
            s, h, d = web.req("POST", "/api/login", {"username": "throttle", "password": f"wrong{i}"})
            codes.append(s)
        s, h, d = web.req("POST", "/api/login", {"username": "throttle", "password": "pass-throttle-123"})
        codes.append(s)
        if 429 in codes and codes[-1] == 429:
            return "refused", f"codes {codes}; Retry-After {h.get('retry-after')}"
        return "harmful", f"no throttling: {codes}"
    add("WEB-login-throttle", "7 wrong passwords then the right one", throttle)
    add("WEB-login-unknown-vs-wrong", "unknown user and wrong password answer alike", lambda: (lambda a, b: ("refused", f"{a[0]} same body") if (a[0], a[2]) == (b[0], b[2]) else ("harmful", f"{a[0]} {a[2][:60]!r} vs {b[0]} {b[2][:60]!r}"))(
        web.req("POST", "/api/login", {"username": "nobody", "password": "x"}), web.req("POST", "/api/login", {"username": "mgr2", "password": "x"})))
    add("WEB-login-huge-password", "login with a 900 KB password", lambda: api_status({401, 413, 422}, "POST", "/api/login", {"username": "mgr2", "password": "x" * 900000}, timeout=60))
    add("WEB-login-types", "login with username as a list", lambda: api_status({400, 401, 422}, "POST", "/api/login", {"username": ["a"], "password": {"x": 1}}))
    add("WEB-slowloris", "10 half-open connections, then healthz", lambda: slowloris(web))
    add("WEB-concurrent", "6 proposals at once, then healthz", lambda: concurrent(web, H1, base))

    def sigterm():
        rc = web.stop()
        left = subprocess.run(["pgrep", "-f", f"--port {web.port}"], capture_output=True, text=True).stdout.split()
        if rc == 0 and not left:
            return "accepted", "exit 0, no process left"
        return "harmful", f"exit {rc}, left {left}"
    add("WEB-sigterm", "SIGTERM the server", sigterm)
    return recs


def other_draft(web, cookie, csrf, form):
    C = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    s, h, d = web.req("POST", "/proposals/new", urllib.parse.urlencode(dict(form, csrf=csrf, client_name="甲公司")), C)
    loc = h.get("location", "")
    did = loc.rstrip("/").split("/")[-1]
    c2, csrf2 = web.session("mgr2")
    outs = []
    for m, p in (("GET", f"/drafts/{did}"), ("GET", f"/drafts/{did}/profile.yaml"), ("GET", f"/drafts/{did}/edit"), ("POST", f"/drafts/{did}/generate")):
        body = urllib.parse.urlencode({"csrf": csrf2}) if m == "POST" else None
        s, h, d = web.req(m, p, body, {"Cookie": c2, "Content-Type": "application/x-www-form-urlencoded"})
        outs.append(s)
        if s == 200 and "甲公司".encode() in d:
            return "harmful", f"mgr2 read mgr1's draft at {p}"
    return "refused", f"statuses {outs} (draft {did})"


def choices_bad(web, cookie, csrf, form):
    C = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    s, h, d = web.req("POST", "/proposals/new", urllib.parse.urlencode(dict(form, csrf=csrf, client_name="乙公司")), C)
    did = h.get("location", "").rstrip("/").split("/")[-1]
    res = []
    for body in ({"action": "evil", "product": "集团V网"}, {"action": "add", "product": "不存在"}, {"action": "quantity", "product": "集团V网", "quantity": "1" + "0" * 30},
                 {"action": "quantity", "product": "集团V网", "quantity": "-1"}, {"action": "add", "product": "<script>"}):
        s, h, d = web.req("POST", f"/drafts/{did}/choices", urllib.parse.urlencode(dict(body, csrf=csrf)), C)
        if s >= 500:
            return "traceback", f"{body} → {s}"
        res.append(s)
    s, h, d = web.req("GET", f"/drafts/{did}?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E", headers={"Cookie": cookie})
    if b"<script>alert(1)" in d:
        return "harmful", "?error= reflected as live markup"
    return "refused", f"statuses {res}; ?error= escaped"


def slowloris(web):
    socks = []
    for _ in range(10):
        s = socket.create_connection(("127.0.0.1", web.port))
        s.send(b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{")
        socks.append(s)
    t0 = time.time()
    st = web.req("GET", "/healthz", timeout=20)[0]
    for s in socks:
        s.close()
    return ("accepted" if st == 200 else "hang"), f"healthz {st} in {time.time() - t0:.1f}s with 10 stalled bodies"


def concurrent(web, H1, base):
    with cf.ThreadPoolExecutor(6) as ex:
        futs = [ex.submit(web.req, "POST", "/api/proposals", {"profile": dict(base, client=dict(base["client"], name=f"并发{i}"))}, H1, 180) for i in range(6)]
        codes = [f.result()[0] for f in futs]
    st = web.req("GET", "/healthz")[0]
    return ("accepted" if all(c == 201 for c in codes) and st == 200 else "traceback" if any(c >= 500 for c in codes) else "unhelpful"), f"codes {codes}, healthz {st}"


# ------------------------------------------------------------------ main


def main():
    os.makedirs(T, exist_ok=True)
    if os.path.exists(f"{T}/cli-users.db"):
        os.remove(f"{T}/cli-users.db")
    for d in (IN, OUT, VICTIM, WS, f"{T}/cache"):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d, exist_ok=True)
    _ws_made.clear()
    os.chmod(f"{T}/cache", 0o700)
    for m, opts in (("ro", "ro,size=1m"), ("full", "size=64k")):
        d = f"{T}/mnt/{m}"
        os.makedirs(d, exist_ok=True)
        if not os.path.ismount(d) and os.geteuid() == 0:
            subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", d])
    w(f"{IN}/good.yaml", BASE_TEXT)
    w(f"{WS}/outside-case.md", open(os.path.join(REPO, "cases/mfg-three-plants-vnet.md"), encoding="utf-8").read().replace("id: mfg-three-plants-vnet", "id: zz-link"))
    make_ws("_base")
    add_profile_tries()
    add_workspace_tries()
    add_import_tries()
    add_cli_tries()
    add_interview_tries()
    add_batch_cov_tries()
    todo = [t for t in TRIES if t["id"].startswith(ARGS.only)] if ARGS.only else TRIES
    ids = [t["id"] for t in TRIES]
    dup = {i for i in ids if ids.count(i) > 1}
    assert not dup, dup
    print(f"{len(todo)} CLI tries, web {'off' if ARGS.no_web else 'on'}", file=sys.stderr)
    # order-dependent groups (batch/coverage/cli paths) run serially after the rest
    serial_prefix = ("B-", "K-", "X-", "A-", "I-twice")
    par = [t for t in todo if not t["id"].startswith(serial_prefix)]
    ser = [t for t in todo if t["id"].startswith(serial_prefix)]
    done = 0
    for t in par + ser:
        if t.get("raw"):
            t["_raw"] = True

    def go(t):
        if t.get("_raw"):
            if t["pre"]:
                t["pre"](t)
            rc, out, err, dt, hung = run(t["argv"], raw=True, timeout=t["timeout"])
            cls, msg = classify(t, rc, out, err, hung, dt)
            return dict(id=t["id"], cmd=t["cmd"], kind=t["kind"], what=t["what"], outcome=cls, rc=rc, secs=round(dt, 1),
                        msg=msg.replace("\n", " ")[:300], argv=" ".join(t["argv"])[:200], stderr_tail=err[-600:])
        return do_try(t)
    with cf.ThreadPoolExecutor(max(1, ARGS.jobs)) as ex:
        for rec in ex.map(go, par):
            RESULTS.append(rec)
            done += 1
            print(f"[{done}] {rec['id']}: {rec['outcome']} ({rec['secs']}s) {rec['msg'][:100]}", file=sys.stderr, flush=True)
    for t in ser:
        rec = go(t)
        RESULTS.append(rec)
        done += 1
        print(f"[{done}] {rec['id']}: {rec['outcome']} ({rec['secs']}s) {rec['msg'][:100]}", file=sys.stderr, flush=True)
    if not ARGS.no_web and (not ARGS.only or ARGS.only.startswith("WEB")):
        for rec in web_tries():
            RESULTS.append(rec)
            print(f"[web] {rec['id']}: {rec['outcome']} {rec['msg'][:100]}", file=sys.stderr, flush=True)
    if ARGS.merge and os.path.exists(ARGS.merge):
        mine = {r["id"] for r in RESULTS}
        old = [r for r in json.load(open(ARGS.merge)) if r["id"] not in mine]
        RESULTS[:0] = old
    counts = {c: 0 for c in CLASSES}
    for r in RESULTS:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    jpath = ARGS.json or f"{T}/results.json"
    json.dump(RESULTS, open(jpath, "w"), ensure_ascii=True, indent=1)
    print(f"\nrepo {REPO}  tries {len(RESULTS)}  (records: {jpath})")
    for c, n in counts.items():
        print(f"  {c:14} {n}")
    bad = [r for r in RESULTS if r["outcome"] in ("traceback", "hang", "harmful", "unhelpful", "harness-error")]
    for r in bad:
        print(f"  {r['outcome']:10} {r['id']}: {r['msg'][:160]}")
    if ARGS.md:
        write_md(ARGS.md, counts)
    for m in ("ro", "full"):
        if os.path.ismount(f"{T}/mnt/{m}"):
            subprocess.run(["umount", f"{T}/mnt/{m}"])


def write_md(path, counts):
    def cell(x):
        return str(x).replace("|", "\\|").replace("\n", " ")
    by_cmd = {}
    for r in RESULTS:
        by_cmd[r["cmd"]] = by_cmd.get(r["cmd"], 0) + 1
    L = ["# pitchcraft attack, round 3 (issue 16) — results", "",
         f"Harness `/work/wt/_notes/attack2/attack.py --repo {REPO}`, run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
         f"raw records in `{ARGS.json or T + '/results.json'}`. Classes: refused (clear Chinese message, exit 1 / 4xx, nothing written), "
         "literal (hostile text kept as text; documents reopened), accepted (valid or by design), traceback (exit 3, a Python "
         "traceback, 5xx, or killed by the memory limit), hang (timeout), harmful, unhelpful (refused but English, wrong line, "
         "no file/field, exit 0 or 2 on bad input).", "",
         "| tried | " + " | ".join(CLASSES) + " |", "| --- |" + " --- |" * len(CLASSES),
         f"| {len(RESULTS)} | " + " | ".join(str(counts.get(c, 0)) for c in CLASSES) + " |", "",
         "Per command: " + ", ".join(f"{k} {v}" for k, v in sorted(by_cmd.items(), key=lambda kv: -kv[1])), ""]
    causes = os.path.join(os.path.dirname(os.path.abspath(path)), "causes.md")
    if os.path.exists(causes):
        L += [open(causes, encoding="utf-8").read(), ""]
    L += ["## Every try", "", "| id | command | input kind | what was tried | outcome | exit | first line of the message |",
          "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in RESULTS:
        L.append(f"| {cell(r['id'])} | {cell(r['cmd'])} | {cell(r['kind'])} | {cell(r['what'])[:90]} | **{r['outcome']}** | {r['rc']} | {cell(r['msg'])[:220]} |")
    open(path, "w", encoding="utf-8").write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
