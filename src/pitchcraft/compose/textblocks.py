"""Section texts: Jinja2 templates rendered to plain text, then parsed into document blocks.

Templates are the workspace's own or the packaged defaults (file by file). Client data only ever
enters as template *variables*: it is never compiled as a template, and single-line cleaning at load
time means it can never start a line of its own. Nor can it become markup where a template starts a
line with it (``{{ client.name }}是……``): every printed value is wrapped in two private-use marks
(:data:`DATA_START`, :data:`DATA_END`), a line that begins with a value is plain text whatever the
value says (``# 华南``, ``- 华南``, ``> 华南``), and the marks are removed from every block.

Block markup, one block per line (consecutive plain lines form one paragraph):
``# 标题`` ``## 标题`` ``### 标题`` headings · ``> 文字`` client quote · ``- 文字`` bullet ·
``! 文字`` small note · ``**标签**：文字`` a paragraph led by a bold label ·
``[[组件]]`` a structured part built in code (tables, cards).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import operator
import re

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..cache import cache_folder
from ..errors import RenderError


DATA_START, DATA_END = "\ue000", "\ue001"  # around every value a template prints


def _mark(value):
    """Jinja's ``finalize``: a printed text value, marked as data."""
    if isinstance(value, str):
        return DATA_START + unmark(value) + DATA_END
    return value


def unmark(text: str) -> str:
    return text.replace(DATA_START, "").replace(DATA_END, "") if DATA_START in text or DATA_END in text else text


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    style: str = "body"  # body | quote | note | lead | field (bold label up to the first "：")


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Component:
    name: str


MAX_BUILT = 100_000  # characters, items or loop turns a template may make in one step
MAX_POWER_BITS = 4_096  # size of a number ``a ** b`` may make
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class TemplateLimitError(SecurityError):
    """A template asked for more work than any section text needs (``'x' * 10**10``)."""


def _limit(what: str) -> TemplateLimitError:
    return TemplateLimitError(f"{what}超出上限（{MAX_BUILT}），模板里的计算不能这么大")


def _bounded_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_BUILT:
        raise _limit(f"range 的长度 {len(rng)}")
    return rng


class _BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with the cost of each step bounded: Jinja limits ``range`` (by an exception
    that is no template error) but not ``'x' * 10**10``, a huge power or a huge width."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, op: str, left, right):
        if op == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * max(n, 0) > MAX_BUILT:
                    raise _limit(f"重复 {n} 次后的长度")
        elif op == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 \
                    and left.bit_length() * right > MAX_POWER_BITS:
                raise _limit("乘方的结果")
            try:
                return operator.pow(left, right)
            except OverflowError:
                raise _limit("乘方的结果") from None
        elif op == "%" and isinstance(left, str):
            args = right if isinstance(right, tuple) else (right,)
            if re.search(r"\d{6,}", left) or ("*" in left and any(isinstance(a, int) and a > MAX_BUILT for a in args)):
                raise _limit("格式化的宽度")
        return super().call_binop(context, op, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        if getattr(__obj, "__name__", None) in _WIDTH_METHODS and isinstance(getattr(__obj, "__self__", None), str) \
                and any(isinstance(a, int) and a > MAX_BUILT for a in (*args, *kwargs.values())):
            raise _limit("宽度")
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format in a function of its own
        if getattr(method, "__name__", None) in ("format", "format_map") and isinstance(getattr(method, "__self__", None), str) \
                and re.search(r"\d{6,}", method.__self__):
            raise _limit("格式化的宽度")
        return super().call(__context, __obj, *args, **kwargs)


def _bounded_width_filter(name: str, original):
    def wrapper(value, width=80, *args, **kwargs):
        if isinstance(width, int) and width > MAX_BUILT:
            raise _limit(f"{name} 的宽度")
        return original(value, width, *args, **kwargs)
    return wrapper


def _bounded_format_filter(original):
    def wrapper(value, *args, **kwargs):
        if isinstance(value, str) and (re.search(r"\d{6,}", value) or ("*" in value and any(
                isinstance(a, int) and a > MAX_BUILT for a in (*args, *kwargs.values())))):
            raise _limit("格式化的宽度")
        return original(value, *args, **kwargs)
    return wrapper


def make_env(search_path: list[Path], bytecode_cache: jinja2.BytecodeCache | None = None) -> SandboxedEnvironment:
    env = _BoundedSandbox(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path]),
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=_mark,
    )
    env.filters["cn_list"] = lambda items: "、".join(str(i) for i in items)
    env.globals["range"] = _bounded_range
    for name in ("center", "indent", "wordwrap", "truncate"):
        env.filters[name] = _bounded_width_filter(name, env.filters[name])
    env.filters["format"] = _bounded_format_filter(env.filters["format"])
    return env


@lru_cache(maxsize=8)
def shared_env(search_path: tuple[str, ...]) -> SandboxedEnvironment:
    """One environment per template search path and process, so each template is compiled once
    for a whole batch rather than once per proposal; Jinja's loader re-reads a template whose file
    changed (auto_reload), so an edit during a long run is still seen."""
    return make_env([Path(p) for p in search_path], _bytecode_cache())


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A compiled template that cannot be stored is compiled again next time, nothing worse."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled section texts kept between runs, in the user's cache folder (:mod:`.cache`).

    Compiling the two dozen texts is about a tenth of a one-proposal run. Jinja keys each entry
    by the template's name and a checksum of its source, so an edited text is compiled afresh.
    """
    # code compiled with finalize=_mark and the bounded operators: an older cache compiled without them
    folder = cache_folder(f"jinja-{jinja2.__version__}-marked-bounded")
    if folder is None:
        return None
    return _QuietBytecodeCache(str(folder))


def render_text(env: jinja2.Environment, name: str, context: dict, *, marked: bool = False) -> str:
    """The template's text; ``marked`` keeps the marks around values, for :func:`parse_blocks`."""
    try:
        text = env.get_template(name).render(**context)
        return text if marked else unmark(text)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"模板 {exc.filename or name}:{exc.lineno}: 语法错误：{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"找不到模板文件 {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"模板 {name} 使用了不存在的变量：{exc.message}") from None
    except TemplateLimitError as exc:
        raise RenderError(f"模板 {_where(exc, env, name)}：{exc}；未生成任何文件") from None
    except SecurityError as exc:
        raise RenderError(f"模板 {_where(exc, env, name)}：{_security_message(str(exc))}；未生成任何文件") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"模板 {name} 出错：{exc}") from None


def _where(exc: BaseException, env: jinja2.Environment, name: str) -> str:
    """``file:line`` of the template line that raised: Jinja rewrites its traceback so that the
    template's own frames carry the template's file name and line."""
    where = name
    try:
        where = env.get_template(name).filename or name
    except jinja2.TemplateError:
        pass
    tb, line = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            where, line = filename, tb.tb_lineno
        tb = tb.tb_next
    return f"{where}:{line}" if line else where


def _security_message(text: str) -> str:
    """Jinja's sandbox refusals, said in Chinese."""
    m = re.match(r"access to attribute '(.+?)' of '(.+?)' object is unsafe", text)
    if m:
        return f"不允许访问“{m.group(2)}”对象的属性“{m.group(1)}”（模板只能使用提供给它的变量和字段）"
    if "is not safely callable" in text:
        return "不允许调用这个函数或方法（模板只能使用提供给它的变量和字段）"
    m = re.match(r"Range too big", text)
    if m:
        return f"range 的长度超出上限（{MAX_BUILT}）"
    return "模板做了沙箱不允许的操作（模板只能使用提供给它的变量和字段）"


def parse_blocks(text: str) -> list:
    blocks: list = []
    para: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Para(unmark("".join(para))))
            para.clear()
        if bullets:
            blocks.append(Bullets(tuple(unmark(b) for b in bullets)))
            bullets.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not unmark(line).strip():
            flush()
            continue
        if line.startswith(DATA_START):  # a line that begins with a value is text, whatever it says
            if bullets:
                flush()
            para.append(line)
            continue
        if line.startswith("- "):
            if para:
                flush()
            bullets.append(line[2:].strip())  # unmarked when flushed
            continue
        if bullets:
            flush()
        if line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Heading(min(level, 4), unmark(line[level:]).strip()))
        elif line.startswith("> "):
            flush()
            blocks.append(Para(unmark(line[2:]).strip(), "quote"))
        elif line.startswith("! "):
            flush()
            blocks.append(Para(unmark(line[2:]).strip(), "note"))
        elif line.startswith("**") and line.find("**", 2) > 2:
            flush()
            end = line.find("**", 2)
            blocks.append(Para(unmark(line[2:end]) + unmark(line[end + 2:]), "field"))
        elif line.startswith("[[") and line.endswith("]]"):
            flush()
            blocks.append(Component(unmark(line[2:-2]).strip()))
        else:
            para.append(line)
    flush()
    return blocks
