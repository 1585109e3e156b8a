"""``pitchcraft interview``: a guided needs interview that writes a contract-valid profile.

The account manager answers in the terminal (or from an answers file, or piped stdin): client basics
with an industry pick-list, the key persons with role and attitude, then for each of the four need
areas the questions of a consultative seller — situation, problem, implication, need-payoff (SPIN) —
with example problems in clients' words taken from the catalog's own ``client_phrases``.

Every answer is checked, as it is typed, by the very specs the profile schema is made of
(:data:`pitchcraft.schema.PROFILE_SPEC`); a bad answer is explained in Chinese and asked again.
Each accepted answer is saved to a hidden progress file next to the output, so an interview broken
off with Ctrl-C continues where it stopped. The finished profile is written atomically and loaded
back with :func:`pitchcraft.load.load_profile` before it replaces anything.

Questions have stable ids (``client.name``, ``contacts.2.role``, ``needs.basic_comms.1.problem`` …);
an answers file is either a list of answers in the order the questions come, or a mapping keyed by
those ids (nested mappings and lists are flattened: ``contacts: [{name: …}]`` is ``contacts.1.name``).

Besides the need statements, the interview keeps what it learnt under ``discovery:`` (situation,
implication and need-payoff per statement); the contract allows extra keys, and the visit brief
(:mod:`pitchcraft.brief`) uses them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import click
import yaml

from ..errors import InputError, OutputExistsError, PitchcraftError, Problem, UsageError
from ..fsutil import write_file, write_text
from ..load import load_profile
from ..model.catalog import Catalog
from ..model.display import display_width, pad
from ..model.profile import PROFILE_SPEC
from ..model.vocab import ATTITUDES, CATEGORIES, CATEGORY_NAMES, INDUSTRIES, INDUSTRY_LABELS, ROLES, TIERS
from ..model.spec import INVALID, Choice, Ctx, Spec
from ..reading import ReadError, read_regular, xml_safe
from ..content.copy import load_copy
from ..model.vocab import SPIN_LABELS
from ..workspace import packaged_templates
from ..yamlsrc import Located, read_yaml


MAX_CONTACTS = 30
MAX_STATEMENTS = 20  # per need area

# --- checking one answer with the schema's own specs ----------------------------------------------

_ANSWER = Path("<回答>")


def check_with(spec: Spec, value: Any) -> tuple[Any, str | None]:
    """``value`` checked by one of the schema's specs: (normalised value, None) or (INVALID, reason)."""
    ctx = Ctx(Located(_ANSWER, value))
    out = spec.check(value, (), ctx)
    errors = [p.message for p in ctx.problems if p.severity == "error"]
    if out is INVALID or errors:
        return INVALID, "；".join(errors) or "回答无效"
    return out, None


def _fields(spec: Spec) -> dict:
    return spec.fields  # a Record's fields


_CLIENT = _fields(PROFILE_SPEC.fields["client"].spec)
_CONTACT = _fields(PROFILE_SPEC.fields["contacts"].spec.item)
_STATEMENT: Spec = PROFILE_SPEC.fields["needs"].spec.statement
_NEEDS: Spec = PROFILE_SPEC.fields["needs"].spec
_BUDGET = _fields(PROFILE_SPEC.fields["budget"].spec)
_VISIT = _fields(PROFILE_SPEC.fields["visit"].spec)

# --- normalising what people type (shared with the importer) --------------------------------------

EMPTY_WORDS = frozenset({"无", "暂无", "没有", "-", "--", "—", "——", "/", "n/a", "na", "null", "none"})


def fold(text: str) -> str:
    """Full-width digits and letters folded to half-width, outer white space removed."""
    return unicodedata.normalize("NFKC", text).strip()


def count_value(raw: Any) -> Any:
    """``"850"``, ``"1,200"``, ``"850人"``, ``850.0`` -> an int; anything else unchanged (the spec says why)."""
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str):
        text = fold(raw).replace(",", "").replace("，", "")
        m = re.fullmatch(r"(-?\d+)\s*(?:人|名|个|家|处|座|间|户)?", text)
        if m:
            return int(m.group(1))
        return text
    return raw


def date_value(raw: Any) -> Any:
    """``2026/12/1``, ``2026.12.1``, ``2026年12月1日`` -> ``2026-12-01``; dates pass through."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, str):
        text = fold(raw)
        m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
        if m:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        return text
    return raw


def money_value(raw: Any) -> Any:
    """``¥30,000``, ``30000元``, ``3万`` -> ``"30000"``; anything else unchanged."""
    if isinstance(raw, str):
        text = fold(raw).replace(",", "").replace("¥", "").replace("￥", "").strip()
        text = re.sub(r"\s*元(/月|每月)?$", "", text)
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*万", text)
        if m:
            return str(Decimal(m.group(1)) * 10000)
        return text
    return raw


def tier_value(raw: Any) -> Any:
    """``A类``, ``a级``, ``A类客户`` -> ``A``."""
    if isinstance(raw, str):
        m = re.fullmatch(r"([ABCabc])\s*(?:类|级)?\s*(?:客户|集团)?", fold(raw))
        if m:
            return m.group(1).upper()
    return raw


def split_names(raw: str) -> list[str]:
    """A list typed on one line: 集团彩铃、集团V网, 企信通 -> three names."""
    return [part for part in re.split(r"[,，、;；/\s]+", fold(raw)) if part]


# --- writing profile files --------------------------------------------------------------------------


def profile_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


def write_profile(path: Path, data: dict, *, force: bool = False) -> Path:
    """Write a profile atomically, after proving that :func:`load_profile` accepts it."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputExistsError(f"档案已存在：{path}。如需覆盖，请加 --force")
    if path.parent.exists() and not path.parent.is_dir():
        raise UsageError(f"输出位置不是文件夹：{path.parent}")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return stage_profile(path.parent, path.name, data, replace=force)
    except FileExistsError:
        raise OutputExistsError(f"档案已存在：{path}。如需覆盖，请加 --force") from None


def stage_profile(folder: Path, name: str, data: dict, *, replace: bool = True, lock: bool = True) -> Path:
    """The profile written atomically as ``folder/name``, after proving that :func:`load_profile`
    reads it back; its path. Raises :class:`InputError` (and leaves nothing behind) if it would not load."""
    return write_file(Path(folder) / name, profile_yaml(data).encode("utf-8"), replace=replace, mode=0o644,
                      check=load_profile, lock=lock)


# --- questions ------------------------------------------------------------------------------------

SKIP: Any = object()  # an optional question answered with Enter


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    parse: Callable[[str], tuple[Any, str | None]]  # typed text -> (value, None) or (INVALID, reason)
    required: bool = False
    hint: str = ""                                # shown above the prompt, e.g. 例如：…
    options: tuple[tuple[str, str], ...] = ()     # pick-list: (key, label), numbered from 1

    def check(self, raw: str) -> tuple[Any, str | None]:
        text = raw.strip()
        if not text or (text.casefold() in EMPTY_WORDS and not self.required):
            if self.required:
                return INVALID, "这一项必须填写"
            return SKIP, None
        return self.parse(text)


def text_answer(spec: Spec) -> Callable[[str], tuple[Any, str | None]]:
    return lambda raw: check_with(spec, raw)


def converted_answer(spec: Spec, convert: Callable[[Any], Any]) -> Callable[[str], tuple[Any, str | None]]:
    return lambda raw: check_with(spec, convert(raw))


def choice_answer(spec: Spec, options: tuple[tuple[str, str], ...]) -> Callable[[str], tuple[Any, str | None]]:
    """A number from the pick-list, or any spelling the spec accepts (key or Chinese name)."""

    def parse(raw: str) -> tuple[Any, str | None]:
        text = fold(raw)
        if text.isdigit():
            n = int(text)
            if 1 <= n <= len(options):
                return options[n - 1][0], None
            return INVALID, f"没有编号 {n}，请输入 1–{len(options)} 之间的编号"
        value, reason = check_with(spec, text)
        if reason:
            head = reason.split("，可选：")[0]
            return INVALID, f"{head}；请输入列表中的编号（1–{len(options)}）或名称"
        return value, None

    return parse


def services_answer(catalog: Catalog | None) -> Callable[[str], tuple[Any, str | None]]:
    spec: Spec = _CLIENT["current_services"].spec

    def parse(raw: str) -> tuple[Any, str | None]:
        names, reason = check_with(spec, split_names(raw))
        if reason:
            return INVALID, reason
        if catalog is not None:
            unknown = [n for n in names if catalog.resolve(n) is None]
            if unknown:
                known = "、".join(p.name for p in catalog.active_products)
                return INVALID, f"产品目录中没有“{'、'.join(unknown)}”；可填写：{known}"
            names = list(dict.fromkeys(catalog.resolve(n).name for n in names))
        return names, None

    return parse


def _pick(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(labels.items())


INDUSTRY_OPTIONS = tuple((key, "、".join(INDUSTRIES.names(key))) for key in INDUSTRIES)
ROLE_OPTIONS = _pick(ROLES)
ATTITUDE_OPTIONS = _pick(ATTITUDES)
TIER_OPTIONS = tuple((t, f"{t} 类") for t in TIERS)
CATEGORY_OPTIONS = _pick(CATEGORIES)


def examples_for(catalog: Catalog | None, category: str, industry: str | None, limit: int = 3) -> list[str]:
    """Two or three problems in clients' words for one need area: one phrasing from each of the
    first products of that area that fit the client's industry (industry-specific products first)."""
    if catalog is None:
        return []
    products = [p for p in catalog.active_products if p.category == category
                and (industry is None or p.fits_industry(industry))]
    products.sort(key=lambda p: "all" in p.industries)  # stable: industry-specific ones first
    return [p.client_phrases[0] for p in products[:limit] if p.client_phrases]


# --- where answers come from ----------------------------------------------------------------------


def _answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, list):
        return "、".join(_answer_text(v) for v in value)
    return str(value)


def _flatten(data: Any, prefix: str = "", at: tuple = ()) -> dict[str, Any]:
    """``{contacts: [{name: 王}]}`` -> ``{"contacts.1.name": "王"}``; a list of plain values stays a list."""
    return {qid: value for qid, (value, _at) in _flatten_located(data, prefix, at).items()}


def _flatten_located(data: Any, prefix: str = "", at: tuple = ()) -> dict[str, tuple[Any, tuple]]:
    """As :func:`_flatten`, each answer with its path in the file (for its line)."""
    out: dict[str, tuple[Any, tuple]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(_flatten_located(value, f"{prefix}{key}.", (*at, key)))
    elif isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data):
        for i, value in enumerate(data, 1):
            out.update(_flatten_located(value, f"{prefix}{i}.", (*at, i - 1)))
    else:
        out[prefix[:-1]] = (data, at)
    return out


class Script:
    """Answers given in advance: a list in question order, or a mapping keyed by question id.

    When a list runs out, or a keyed answer was wrong, the terminal is asked instead; each refused
    answer is told with its file:line and question id, and kept for the message when no terminal
    answers either (:attr:`problems`).
    """

    def __init__(self, data: Any = None, src: Located | None = None):
        self.queue: list[str] | None = None
        self.keyed: dict[str, Any] | None = None
        self.seen: set[str] = set()
        self.src = src
        self.problems: list[Problem] = []
        self._at: dict[str, tuple] = {}   # question id -> where its keyed answer stands
        self._taken = 0                   # answers taken from a list
        self._last: tuple | None = None   # where the answer just taken stands
        self._misshapen: dict[str, str] = {}
        if isinstance(data, list):
            self.queue = [_answer_text(v) for v in data]
        elif isinstance(data, dict):
            located = _flatten_located(data)
            self.keyed = {qid: value for qid, (value, _at) in located.items()}
            self._at = {qid: at for qid, (_value, at) in located.items()}

    def take(self, qid: str) -> str | None:
        if self.queue is not None:
            if not self.queue:
                return None
            self._last = (self._taken,)
            self._taken += 1
            return self.queue.pop(0)
        if self.keyed is not None and qid not in self.seen:
            self.seen.add(qid)
            nested = [k for k in self.keyed if k.startswith(qid + ".")]
            if qid not in self.keyed and nested:  # ``client.name: {a: 1}``: no answer, a table
                self._last = self._at[nested[0]][:-1] or self._at[nested[0]]
                for k in nested:
                    del self.keyed[k]
                self._misshapen[qid] = self.refuse(qid, "回答应为一段文字或一个数字，这里写成了键值对或列表")
                return None
            self._last = self._at.get(qid)
            return _answer_text(self.keyed.pop(qid, None))  # not in the file: as if Enter was pressed
        return None

    def misshapen(self, qid: str) -> str | None:
        """The located refusal of a keyed answer that is a table, told once."""
        return self._misshapen.pop(qid, None)

    def refuse(self, qid: str, reason: str) -> str:
        """The answer just taken for ``qid`` was refused: the reason with the file:line and id."""
        if self.src is None or self._last is None:
            return reason
        line, col = self.src.where(self._last)
        problem = Problem(self.src.file, line, col, qid, reason, rule="answers")
        self.problems.append(problem)
        return f"{problem.location()}：{qid}：{reason}"

    def unused(self) -> list[str]:
        return list(self.keyed) if self.keyed else []

    def unused_problems(self) -> list[Problem]:
        """The ids no question asked (a typo, or a question of another interview), each at its line."""
        if self.src is None:
            return []
        out = []
        for qid in self.unused():
            line, col = self.src.where(self._at.get(qid, ()))
            out.append(Problem(self.src.file, line, col, qid, "没有这个问题编号（可能拼错了），这一项没有用到",
                               rule="answers"))
        return out


def read_answers(path: Path) -> Any:
    """An answers file: YAML (or JSON) list or mapping, read with the project's safe YAML reader."""
    return _read_answers(path).data


def load_script(path: Path) -> Script:
    """The answers file as a :class:`Script` that can say where each answer stands."""
    src = _read_answers(path)
    return Script(src.data, src)


def _read_answers(path: Path) -> Located:
    src, problems = read_yaml(path)
    errors = [p for p in problems if p.severity == "error"]
    if src is None or errors:
        raise InputError(problems)
    if not isinstance(src.data, (list, dict)):
        raise InputError([Problem(path, 1, None, "", "答案文件应为按顺序排列的回答列表，或按问题编号写的键值对")])
    return src


class Progress:
    """The answers given so far, saved after each one next to the output, hidden."""

    VERSION = 1

    def __init__(self, output: Path):
        self.path = output.parent / f".{output.name}.interview.json"
        self.answers: dict[str, str] = {}

    def exists(self) -> bool:
        return self.path.is_file()

    MAX_BYTES = 1024 * 1024  # a real one is a few KB

    def load(self) -> None:
        """The saved answers; a file of any other shape is refused with a way out (--restart)."""
        again = "；可加 --restart 重新开始"
        try:
            raw = read_regular(self.path, self.MAX_BYTES, "访谈进度文件")
        except ReadError as exc:
            raise UsageError(f"访谈进度文件无法读取：{self.path}：{exc.message}{again}") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise UsageError(f"访谈进度文件不是 UTF-8 文字：{self.path}{again}") from None
        except json.JSONDecodeError as exc:
            raise UsageError(f"访谈进度文件已损坏（第 {exc.lineno} 行不是有效的 JSON）：{self.path}{again}") from None
        except (ValueError, RecursionError):
            raise UsageError(f"访谈进度文件已损坏：{self.path}{again}") from None
        answers = data.get("answers") if isinstance(data, dict) else None
        if (not isinstance(data, dict) or data.get("version") != self.VERSION or not isinstance(answers, dict)
                or not all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items())):
            raise UsageError(f"访谈进度文件格式不对：{self.path}{again}")
        self.answers = {k: xml_safe(v) for k, v in answers.items()}

    def record(self, qid: str, raw: str) -> None:
        self.answers[qid] = raw
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"tool": "pitchcraft interview", "version": self.VERSION,
                   "saved_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                   "answers": self.answers}
        write_text(self.path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class Paused(PitchcraftError):
    """Ctrl-C or the end of input in the middle of the interview; the answers so far are saved."""

    def __init__(self, saved: int = 0, where: Path | None = None, told: list[Problem] | None = None):
        self.saved, self.where, self.told = saved, where, list(told or [])
        why = "".join(f"{p}\n" for p in self.told)  # the answers file's refused answers, without a terminal to ask
        super().__init__(why + (f"访谈未完成，已保存 {saved} 个回答（{where}）。再次运行同一命令即可从中断处继续；"
                                "加 --restart 则重新开始。" if where else "访谈未完成。"))


# --- the interview ----------------------------------------------------------------------------------


class Interview:
    def __init__(self, catalog: Catalog | None, progress: Progress, script: Script | None = None,
                 echo: Callable[[str], None] = click.echo, spin: dict[str, dict[str, str]] | None = None):
        self.catalog = catalog
        # the consultative questions (templates/interview/spin.yaml); the packaged ones when not given
        self.spin = spin if spin is not None else load_copy([packaged_templates()]).spin
        self.progress = progress
        self.script = script or Script()
        self.echo = echo

    # one question ------------------------------------------------------------------------------

    def ask(self, q: Question) -> Any:
        saved = self.progress.answers.get(q.id)
        if saved is not None:
            value, reason = q.check(saved)
            if reason is None:
                self.echo(f"{q.text}：{saved}（上次已回答）" if saved else f"{q.text}：（上次已跳过）")
                return value
        self._show_question(q)
        while True:
            raw = self.script.take(q.id)
            scripted = raw is not None
            if scripted:
                self.echo(f"{q.text}：{raw}")
            else:
                wrong = self.script.misshapen(q.id)
                if wrong:
                    self.echo(f"  × {wrong}。请重新输入。")
                raw = self._prompt(q)
            value, reason = q.check(raw)
            if reason is None:
                self.progress.record(q.id, raw.strip())
                return value
            self.echo(f"  × {self.script.refuse(q.id, reason) if scripted else reason}。请重新输入。")

    def _show_question(self, q: Question) -> None:
        if q.options:
            self.echo(f"{q.text}（输入编号或名称{'' if q.required else '，直接回车跳过'}）：")
            width = max(display_width(label) for _k, label in q.options)
            per_line = max(1, 76 // (width + 8))
            cells = [f"{i:>2}. {pad(label, width)}" for i, (_k, label) in enumerate(q.options, 1)]
            for start in range(0, len(cells), per_line):
                self.echo("    " + "    ".join(cells[start:start + per_line]))
        if q.hint:
            self.echo(f"  {q.hint}")

    @staticmethod
    def _prompt(q: Question) -> str:
        suffix = "" if q.required or "回车" in q.text else "（回车跳过）"
        try:
            return click.prompt(f"{q.text}{suffix}", default="", show_default=False, prompt_suffix="：")
        except (click.Abort, EOFError, KeyboardInterrupt):
            raise Paused() from None

    # the whole interview -------------------------------------------------------------------------

    def run(self) -> dict:
        try:
            return self._run()
        except KeyboardInterrupt:
            raise Paused() from None

    def _run(self) -> dict:
        self.echo("【一、客户基本信息】")
        client: dict[str, Any] = {}
        client["name"] = self.ask(Question("client.name", "客户全称", text_answer(_CLIENT["name"].spec),
                                           required=True))
        industry = self.ask(Question("client.industry", "行业", choice_answer(_CLIENT["industry"].spec, INDUSTRY_OPTIONS),
                                     required=True, options=INDUSTRY_OPTIONS))
        client["industry"] = INDUSTRY_LABELS[industry]
        for key, text in (("employees", "员工人数"), ("sites", "办公点、厂区或门店数")):
            value = self.ask(Question(f"client.{key}", text, converted_answer(_CLIENT[key].spec, count_value)))
            if value is not SKIP:
                client[key] = value
        tier = self.ask(Question("client.tier", "客户价值等级", choice_answer(_CLIENT["tier"].spec, TIER_OPTIONS),
                                 options=TIER_OPTIONS))
        if tier is not SKIP:
            client["tier"] = tier
        region = self.ask(Question("client.region", "所在地区（如 深圳、佛山顺德）", text_answer(_CLIENT["region"].spec)))
        if region is not SKIP:
            client["region"] = region
        hint = ""
        if self.catalog is not None:
            hint = "可填：" + "、".join(p.name for p in self.catalog.active_products) + "（多个用顿号或逗号隔开）"
        services = self.ask(Question("client.current_services", "客户已在使用的我方业务", services_answer(self.catalog),
                                     hint=hint))
        if services is not SKIP and services:
            client["current_services"] = services
        competitor = self.ask(Question("client.competitor", "主要竞争对手（如 中国电信、中国联通）",
                                       text_answer(_CLIENT["competitor"].spec)))
        if competitor is not SKIP:
            client["competitor"] = competitor

        data: dict[str, Any] = {"client": client}
        contacts = self._contacts()
        if contacts:
            data["contacts"] = contacts
        needs, discovery = self._needs(industry)
        data["needs"] = needs
        budget = self.ask(Question("budget.monthly_cny", "客户每月通信与信息化预算（元，如 30000）",
                                   converted_answer(_BUDGET["monthly_cny"].spec, money_value)))
        if budget is not SKIP:
            data["budget"] = {"monthly_cny": str(budget)}
        visit: dict[str, Any] = {}
        date = self.ask(Question("visit.date", "计划拜访日期（如 2026-12-01）",
                                 converted_answer(_VISIT["date"].spec, date_value)))
        if date is not SKIP:
            visit["date"] = date
        for key, text in (("manager", "客户经理姓名"), ("phone", "客户经理电话")):
            value = self.ask(Question(f"visit.{key}", text, text_answer(_VISIT[key].spec)))
            if value is not SKIP:
                visit[key] = value
        if visit:
            data["visit"] = visit
        if discovery:
            data["discovery"] = discovery
        return data

    def _contacts(self) -> list[dict]:
        self.echo("")
        self.echo("【二、关键人】决策者、影响者、使用者、把关者各是谁，对我们是什么态度。")
        contacts = []
        for n in range(1, MAX_CONTACTS + 1):
            name = self.ask(Question(f"contacts.{n}.name", f"关键人 {n} 的姓名（没有了就直接回车）",
                                     text_answer(_CONTACT["name"].spec)))
            if name is SKIP:
                break
            person: dict[str, Any] = {"name": name}
            title = self.ask(Question(f"contacts.{n}.title", f"  {name}的职务", text_answer(_CONTACT["title"].spec)))
            if title is not SKIP:
                person["title"] = title
            role = self.ask(Question(f"contacts.{n}.role", f"  {name}在决策中的角色",
                                     choice_answer(_CONTACT["role"].spec, ROLE_OPTIONS), options=ROLE_OPTIONS))
            if role is not SKIP:
                person["role"] = ROLES[role]
            attitude = self.ask(Question(f"contacts.{n}.attitude", f"  {name}对我们的态度",
                                         choice_answer(_CONTACT["attitude"].spec, ATTITUDE_OPTIONS),
                                         options=ATTITUDE_OPTIONS))
            if attitude is not SKIP:
                person["attitude"] = ATTITUDES[attitude]
            contacts.append(person)
        return contacts

    def _needs(self, industry: str) -> tuple[dict[str, list[str]], dict[str, dict]]:
        statement = text_answer(_STATEMENT)
        needs: dict[str, list[str]] = {}
        discovery: dict[str, dict] = {}
        for step, (cat, label) in enumerate(CATEGORIES.items(), 3):
            questions = self.spin[cat]
            self.echo("")
            self.echo(f"【{'三四五六'[step - 3]}、{label}】请记下客户的原话，不必改写成产品名称。")
            notes: dict[str, Any] = {}
            situation = self.ask(Question(f"needs.{cat}.situation", f"现状：{questions['situation']}", statement))
            if situation is not SKIP:
                notes["situation"] = situation
            examples = examples_for(self.catalog, cat, industry)
            hint = "例如：" + "；".join(f"“{e}”" for e in examples) if examples else ""
            items: list[dict] = []
            for n in range(1, MAX_STATEMENTS + 1):
                text = f"问题：{questions['problem']}" if n == 1 else "还有别的问题吗？"
                problem = self.ask(Question(f"needs.{cat}.{n}.problem", f"{text}（没有了就直接回车）", statement,
                                            hint=hint if n == 1 else ""))
                if problem is SKIP:
                    break
                item: dict[str, Any] = {"statement": problem}
                for kind in ("implication", "need_payoff"):
                    answer = self.ask(Question(f"needs.{cat}.{n}.{kind}", f"  {SPIN_LABELS[kind]}：{questions[kind]}",
                                               statement))
                    if answer is not SKIP:
                        item[kind] = answer
                items.append(item)
            if items:
                needs[cat] = [i["statement"] for i in items]
                notes["needs"] = items
            if notes:
                discovery[cat] = notes
        _value, reason = check_with(_NEEDS, needs)
        if reason:
            # Nothing in any area: the contract needs at least one statement, so ask for one.
            self.echo(f"  × {reason}。请至少记下一条客户的需求。")
            cat = self.ask(Question("needs.extra.category", "这条需求属于哪个方面",
                                    choice_answer(_category_spec(), CATEGORY_OPTIONS),
                                    required=True, options=CATEGORY_OPTIONS))
            problem = self.ask(Question("needs.extra.problem", f"问题：{self.spin[cat]['problem']}", statement,
                                        required=True))
            needs[cat] = [problem]
            discovery.setdefault(cat, {})["needs"] = [{"statement": problem}]
        return needs, discovery


def _category_spec() -> Spec:
    return Choice(CATEGORY_NAMES, "需求类别")


# --- the command's work -------------------------------------------------------------------------


def run_interview(output: Path, catalog: Catalog | None, *, script: Script | None = None, force: bool = False,
                  resume: bool | None = None, confirm: Callable[[str], bool] | None = None,
                  echo: Callable[[str], None] = click.echo, templates: list[Path] | None = None) -> Path:
    """Run the interview and write the profile to ``output``; raises :class:`Paused` when broken off.

    ``resume``: True continues saved progress, False discards it, None asks (via ``confirm``).
    ``templates``: the template folders, the workspace's first (its ``interview/spin.yaml`` asks the
    questions); a broken file is refused (:class:`InputError`, file:line) before anything is asked or written.
    """
    spin = load_copy(list(templates) if templates else [packaged_templates()]).spin
    output = Path(output)
    if output.exists() and not force:
        raise OutputExistsError(f"档案已存在：{output}。如需覆盖，请加 --force；或换一个文件名")
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"档案文件名应以 .yaml 结尾：{output}")
    progress = Progress(output)
    if progress.exists():
        if resume is None:
            progress.load()
            ask = confirm or (lambda text: click.confirm(text, default=True))
            try:
                resume = ask(f"发现上次未完成的访谈（已回答 {len(progress.answers)} 题，保存在 {progress.path.name}），"
                             "从中断处继续吗？")
            except (click.Abort, EOFError, KeyboardInterrupt):
                raise Paused(len(progress.answers), progress.path) from None
        if resume:
            progress.load()
            echo(f"继续上次的访谈：已恢复 {len(progress.answers)} 个回答。")
        else:
            progress.clear()
            progress.answers = {}
            echo("已放弃上次的进度，重新开始。")
    interview = Interview(catalog, progress, script, echo, spin)
    try:
        data = interview.run()
    except Paused:
        echo("")
        told = (script.problems + script.unused_problems()) if script is not None else []
        raise Paused(len(progress.answers), progress.path, told) from None
    path = write_profile(output, data, force=force)
    progress.clear()
    if script is not None and script.unused():
        where = {p.field: p.location() for p in script.unused_problems()}
        echo("提示：答案文件中以下问题编号没有用到（可能拼错了）：" + "、".join(
            f"{qid}（{where[qid]}）" if qid in where else qid for qid in script.unused()))
    return path
