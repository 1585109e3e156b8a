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

import contextvars
import functools
import operator
import os
import re

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment, SecurityError

from ..cache import cache_folder, prune
from ..errors import RenderError
from ..reading import ReadError, decode_text, read_regular


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


MAX_BUILT = 1_000_000  # characters or items one value a template makes may have (a profile is at most 1 MB)
MAX_RANGE = 100_000  # numbers of one range() (Jinja's own limit)
MAX_POWER_BITS = 4_096  # size of a number ``a ** b`` may make
MAX_STEPS = 200_000  # loop turns and calls in one render of a template (with what it includes)
MAX_MADE = 20_000_000  # characters and items all the values of one render make, its text included
MAX_WEIGHT = 4_000_000  # characters one list or dict a template makes may hold
MAX_DEPTH = 40  # calls inside calls (a macro calling itself)
MAX_TEMPLATE_BYTES = 256 * 1024  # one template file (the shipped ones are 0.2-3 KB)
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class TemplateLimitError(SecurityError):
    """A template asked for more work than any section text needs (``'x' * 10**10``)."""


def _limit(what: str) -> TemplateLimitError:
    return TemplateLimitError(f"{what}超出上限（{MAX_BUILT}），模板里的计算不能这么大")


class _Budget:
    """What one render may spend: every loop turn and call is a step; every value made and every
    text printed costs its length. Exhausting either stops the render with a template error, so a
    hostile template (loops in loops, a text doubled in a loop, a macro calling itself) ends within
    bounded time and memory, however its cost is spread over steps that are each small."""

    __slots__ = ("steps", "made", "depth", "weights")

    def __init__(self) -> None:
        self.steps = self.made = self.depth = 0
        self.weights: dict[int, tuple[object, int]] = {}  # id -> (a list or dict seen, what it holds)

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(f"循环和调用的次数超出上限（{MAX_STEPS}），模板里可能有多层嵌套的循环")

    def spend(self, n: int) -> None:
        self.made += n
        if self.made > MAX_MADE:
            raise TemplateLimitError(f"生成的文字总量超出上限（{MAX_MADE} 字），模板里可能有反复加倍的文字或过多的循环")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("pitchcraft_template_budget", default=None)


def _budget() -> _Budget:
    budget = _BUDGET.get()
    if budget is None:  # rendered outside render_text: one budget for this context from now on
        budget = _Budget()
        _BUDGET.set(budget)
    return budget


def _size(value) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else None


_CONTAINERS = (list, tuple, dict, set, frozenset)


def _weight(value, cap: int = MAX_WEIGHT, depth: int = 0) -> int:
    """How much a value holds: a text its length, a list its items and what they hold (a list of
    one long text repeated is as heavy as all the copies would be), counted no further than ``cap``.
    A list the render made was weighed when it was made; a deep structure of the data counts 1
    below the fifth level."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, _CONTAINERS):
        return 1
    seen = _budget().weights.get(id(value))
    if seen is not None and seen[0] is value:
        return seen[1]
    if depth > 4:
        return 1
    total = len(value)
    for item in (value.items() if isinstance(value, dict) else value):
        if total > cap:
            break
        total += _weight(item, cap - total, depth + 1)
    return total


def _made(value, what: str):
    """A value a step made: no longer than :data:`MAX_BUILT`, holding no more than
    :data:`MAX_WEIGHT`, and what it holds charged to the budget (once per value and render)."""
    n = _size(value)
    budget = _budget()
    if n is None:
        budget.spend(1)
        return value
    if n > MAX_BUILT:
        raise _limit(f"{what}的长度 {n} ")
    if isinstance(value, _CONTAINERS):
        seen = budget.weights.get(id(value))
        if seen is not None and seen[0] is value:
            return value
        weight = _weight(value)
        budget.weights[id(value)] = (value, weight)
        if weight > MAX_WEIGHT:
            raise TemplateLimitError(f"{what}包含的文字超出上限（{MAX_WEIGHT} 字），模板里的计算不能这么大")
        n = weight
    budget.spend(n)
    return value


def _text_size(items, cap: int = MAX_BUILT) -> int:
    """The length of the texts of ``items`` together, counted no further than just past ``cap``."""
    total = 0
    for item in items:
        _budget().step()
        total += len(item) if isinstance(item, str) else len(str(item))
        if total > cap:
            break
    return total


def _check_superlinear(name: str, value, args: tuple, kwargs: dict) -> None:
    """Refuse before it runs a step whose result may be far longer than what it is given."""
    if name == "replace" and isinstance(value, str) and len(args) >= 2 and isinstance(args[1], str):
        old = args[0] if isinstance(args[0], str) else str(args[0])
        hits = value.count(old) if old else len(value) + 1
        if len(value) + hits * max(len(args[1]) - len(old), 0) > MAX_BUILT:
            raise _limit("替换后的长度")
    elif name == "join":
        sep = args[0] if args else kwargs.get("d", "")
        items = list(value) if not isinstance(value, (list, tuple, str)) else value
        if _size(items) is not None and len(items) > MAX_BUILT:
            raise _limit("连接的项数")
        if _text_size(items) + len(str(sep)) * max(len(items) - 1, 0) > MAX_BUILT:
            raise _limit("连接后的长度")
    elif name == "sum":
        items = value if isinstance(value, (list, tuple)) else None
        if items is not None and _text_size(i if _size(i) is not None else "" for i in items) > MAX_BUILT:
            raise _limit("求和的结果")
    elif name in ("indent", "wordwrap"):
        fill = args[0] if args else kwargs.get("width", 4)
        fill = len(fill) if isinstance(fill, str) else fill
        extra = args[-1] if name == "wordwrap" and len(args) >= 3 else kwargs.get("wrapstring", "")
        if isinstance(value, str) and isinstance(fill, int) and (
                (name == "indent" and fill > MAX_BUILT) or
                (name == "indent" and (value.count("\n") + 1) * fill > MAX_BUILT) or
                (name == "wordwrap" and len(value) * max(len(str(extra or "\n")), 1) > MAX_BUILT * 4)):
            raise _limit(f"{name} 的结果")
    elif name in ("center", "truncate") and isinstance(args[0] if args else None, int) and args[0] > MAX_BUILT:
        raise _limit(f"{name} 的宽度")
    elif name == "format" and isinstance(value, str) and (re.search(r"\d{6,}", value) or ("*" in value and any(
            isinstance(a, int) and a > MAX_BUILT for a in (*args, *kwargs.values())))):
        raise _limit("格式化的宽度")


def _bounded_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise TemplateLimitError(f"range 的长度 {len(rng)} 超出上限（{MAX_RANGE}）")
    return rng


class _Counted:
    """A loop's sequence, each turn a step of the budget; its length as the sequence's own."""

    __slots__ = ("_items",)

    def __init__(self, items) -> None:
        self._items = items

    def __iter__(self):
        budget = _budget()
        for item in self._items:
            budget.step()
            yield item

    def __len__(self) -> int:
        return len(self._items)  # TypeError for a generator: Jinja's loop then counts it itself


class _BudgetCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every loop's sequence, ``~`` concatenation and printed text
    routed through the environment's budget (the sandbox hooks alone see none of them)."""

    def visit_For(self, node, frame):
        self.__dict__.setdefault("_sequences", set()).add(id(node.iter))
        super().visit_For(node, frame)

    def visit(self, node, *args, **kwargs):
        if id(node) in self.__dict__.get("_sequences", ()):  # a loop's sequence: counted turn by turn
            self.write("environment.counted(")
            super().visit(node, *args, **kwargs)
            self.write(")")
            return None
        return super().visit(node, *args, **kwargs)

    def visit_List(self, node, frame):
        self._weighed(super().visit_List, node, frame)

    def visit_Dict(self, node, frame):
        self._weighed(super().visit_Dict, node, frame)

    def visit_Tuple(self, node, frame):
        if node.ctx == "load":
            self._weighed(super().visit_Tuple, node, frame)
        else:  # a loop's or a set's targets
            super().visit_Tuple(node, frame)

    def _weighed(self, visit, node, frame):
        self.write("environment.literal(")
        visit(node, frame)
        self.write(")")

    def visit_Concat(self, node, frame):
        self.write("environment.joined((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def _output_const_repr(self, group):
        return f"environment.printed({super()._output_const_repr(group)})"

    def _output_child_pre(self, node, frame, finalize):
        self.write("environment.printed(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize):
        super()._output_child_post(node, frame, finalize)
        self.write(")")


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with the cost of each step bounded and all steps of a render counted: Jinja
    limits ``range`` (by an exception that is no template error) but not ``'x' * 10**10``, a huge
    power, a huge width, loops in loops or a text doubled in a loop. Immutable: a template cannot
    grow a list or a dict in place (``items.extend(items)``)."""

    code_generator_class = _BudgetCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    @staticmethod
    def counted(items):
        if isinstance(items, LoopContext):  # pragma: no cover - Jinja passes loops its own way
            return items
        return _Counted(items)

    @staticmethod
    def joined(parts) -> str:  # ``a ~ b``; not ``concat``, which is Jinja's own join of a buffer
        texts = [p if isinstance(p, str) else str(p) for p in parts]
        total = sum(map(len, texts))
        if total > MAX_BUILT:
            raise _limit(f"“~”连接后的长度 {total} ")
        _budget().spend(total)
        return "".join(texts)

    @staticmethod
    def literal(value):
        return _made(value, "列表或字典")

    @staticmethod
    def printed(text):
        _budget().spend(len(text) if isinstance(text, str) else 1)
        return text

    def call_binop(self, context, op: str, left, right):
        if op == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and (
                        len(seq) * max(n, 0) > MAX_BUILT or _weight(seq) * max(n, 0) > MAX_WEIGHT):
                    raise _limit(f"重复 {n} 次后的长度")
        elif op == "+":
            if _size(left) is not None and _size(right) is not None and (
                    len(left) + len(right) > MAX_BUILT or _weight(left) + _weight(right) > MAX_WEIGHT):
                raise _limit("相加后的长度")
        elif op == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 \
                    and left.bit_length() * right > MAX_POWER_BITS:
                raise _limit("乘方的结果")
            try:
                return _made(operator.pow(left, right), "乘方的结果")
            except OverflowError:
                raise _limit("乘方的结果") from None
        elif op == "%" and isinstance(left, str):
            args = right if isinstance(right, tuple) else (right,)
            if re.search(r"\d{6,}", left) or ("*" in left and any(isinstance(a, int) and a > MAX_BUILT for a in args)):
                raise _limit("格式化的宽度")
        return _made(super().call_binop(context, op, left, right), "计算结果")

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        budget = _budget()
        budget.step()
        if getattr(__obj, "__name__", None) in _WIDTH_METHODS and isinstance(getattr(__obj, "__self__", None), str) \
                and any(isinstance(a, int) and a > MAX_BUILT for a in (*args, *kwargs.values())):
            raise _limit("宽度")
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format in a function of its own
        owner = getattr(method, "__self__", None)
        if isinstance(owner, (str, bytes)):
            name = getattr(method, "__name__", "")
            if name in ("format", "format_map") and isinstance(owner, str) and re.search(r"\d{6,}", owner):
                raise _limit("格式化的宽度")
            if name == "replace" and len(args) >= 2:
                _check_superlinear("replace", owner, args, {})
            elif name == "join" and args:
                if not isinstance(args[0], (list, tuple, str)):
                    args = (list(_Counted(args[0])), *args[1:])  # read once: checked and joined as a list
                _check_superlinear("join", args[0], (owner,), {})
            elif name == "translate":
                raise TemplateLimitError("模板不能使用 translate（结果的长度无法预知）")
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level: its turns count too
            args = (_Counted(args[0]), *args[1:])
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                raise TemplateLimitError(f"调用嵌套超过 {MAX_DEPTH} 层，模板里可能有调用自己的宏，或包含（include）了自己")
            return _made(super().call(__context, __obj, *args, **kwargs), "调用的结果")
        finally:
            budget.depth -= 1


def _bounded_filter(name: str, original):
    """A filter whose result is bounded like every other step: checked before it runs when its
    result may be far longer than its input, and its length charged to the budget."""
    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        budget = _budget()
        budget.step()
        passed = getattr(original, "jinja_pass_arg", None)
        value_at = 1 if passed is not None else 0
        if len(args) > value_at:
            value = args[value_at]
            if name in ("join", "sum") and not isinstance(value, (list, tuple, str)):
                value = list(_Counted(value))  # a generator, read once: checked and joined as a list
                args = (*args[:value_at], value, *args[value_at + 1:])
            _check_superlinear(name, value, args[value_at + 1:], kwargs)
        return _made(original(*args, **kwargs), f"过滤器 {name} 的结果")
    return wrapper


class _BoundedLoader(jinja2.FileSystemLoader):
    """Template files read as every input is: a regular file, at most :data:`MAX_TEMPLATE_BYTES`,
    UTF-8; a workspace template that is a device, a pipe, a folder or huge is refused by name."""

    def get_source(self, environment, template):
        pieces = jinja2.loaders.split_template_path(template)
        for searchpath in self.searchpath:
            path = Path(searchpath, *pieces)
            if not os.path.lexists(path):
                continue
            try:
                raw = read_regular(path, MAX_TEMPLATE_BYTES, "模板文件")
            except ReadError as exc:
                raise RenderError(f"模板文件 {path}：{exc.message}") from None
            text, line, message = decode_text(raw)
            if text is None:
                raise RenderError(f"模板文件 {path}:{line}：{message}") from None
            mtime = os.path.getmtime(path)

            def uptodate(path=path, mtime=mtime) -> bool:
                try:
                    return os.path.getmtime(path) == mtime
                except OSError:
                    return False
            return text, os.path.normpath(path), uptodate
        raise jinja2.TemplateNotFound(template)


def make_env(search_path: list[Path], bytecode_cache: jinja2.BytecodeCache | None = None) -> SandboxedEnvironment:
    env = _BoundedSandbox(
        loader=_BoundedLoader([str(p) for p in search_path]),
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
    env.globals.pop("lipsum", None)  # lipsum(10**9): text of any size, and no section needs filler
    env.filters = {name: _bounded_filter(name, f) for name, f in env.filters.items()}
    return env


@lru_cache(maxsize=8)
def shared_env(search_path: tuple[str, ...]) -> SandboxedEnvironment:
    """One environment per template search path and process, so each template is compiled once
    for a whole batch rather than once per proposal; Jinja's loader re-reads a template whose file
    changed (auto_reload), so an edit during a long run is still seen."""
    return make_env([Path(p) for p in search_path], _bytecode_cache())


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A compiled template that cannot be stored is compiled again next time, nothing worse.

    Jinja keys an entry by the template's absolute path, so every workspace (each test's temporary
    one too) adds its own two dozen: the folder is pruned to the newest KEEP_COMPILED, once per
    process, when it first stores one (a run that compiles nothing new never pays for it)."""

    KEEP_COMPILED = 600  # some twenty workspaces' texts
    _pruned = False

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            return
        if not _QuietBytecodeCache._pruned:
            _QuietBytecodeCache._pruned = True
            prune(Path(self.directory), self.KEEP_COMPILED)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled section texts kept between runs, in the user's cache folder (:mod:`.cache`).

    Compiling the two dozen texts is about a tenth of a one-proposal run. Jinja keys each entry
    by the template's name and a checksum of its source, so an edited text is compiled afresh.
    """
    # code compiled with finalize=_mark and the bounded operators: an older cache compiled without them
    folder = cache_folder(f"jinja-{jinja2.__version__}-marked-budgeted")
    if folder is None:
        return None
    return _QuietBytecodeCache(str(folder))


def render_text(env: jinja2.Environment, name: str, context: dict, *, marked: bool = False) -> str:
    """The template's text; ``marked`` keeps the marks around values, for :func:`parse_blocks`."""
    token = _BUDGET.set(_Budget())
    try:
        text = env.get_template(name).render(**context)
        return text if marked else unmark(text)
    except RecursionError as exc:
        raise RenderError(f"模板 {_where(exc, env, name)}：调用嵌套太深，模板里可能有调用自己的宏，或包含（include）了自己；未生成任何文件") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"模板 {exc.filename or name}:{exc.lineno}: {syntax_message(exc)}") from None
    except jinja2.TemplateNotFound as exc:  # an {% include %} or {% import %}: named where it was asked for
        if exc.name == name:
            raise RenderError(f"找不到模板文件 {name}") from None
        raise RenderError(f"模板 {_where(exc, env, name)}：找不到要包含的模板文件 {exc.name}"
                          "（只能包含 templates/ 中的模板，写相对路径，如 'proposal/background.j2'）") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"模板 {_where(exc, env, name)} 使用了不存在的变量或字段：{_undefined_message(exc.message or '')}") from None
    except TemplateLimitError as exc:
        raise RenderError(f"模板 {_where(exc, env, name)}：{exc}；未生成任何文件") from None
    except SecurityError as exc:
        raise RenderError(f"模板 {_where(exc, env, name)}：{_security_message(str(exc))}；未生成任何文件") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"模板 {_where(exc, env, name)} 出错：模板执行失败，请检查这一行") from None
    finally:
        _BUDGET.reset(token)


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


# Jinja's names for tokens, as a template author sees them
_TOKENS = {"end of statement block": "“%}”", "begin of statement block": "“{%”",
           "end of print statement": "“}}”", "begin of print statement": "“{{”",
           "end of comment": "“#}”", "begin of comment": "“{#”", "end of template": "模板结尾",
           "name": "名称", "string": "字符串", "integer": "整数", "float": "小数",
           "template data / text": "普通文字"}


def _token(text: str) -> str:
    return _TOKENS.get(text, f"“{text}”")


def _tags(listed: str) -> str:
    return "或".join(f"{{% {t} %}}" for t in re.findall(r"'([^']+)'", listed))


# Jinja's syntax messages (English) -> Chinese; anything else gets the fallback of syntax_message
_SYNTAX: list[tuple[str, object]] = [
    (r"Expected an expression, got '(.+)'",
     lambda m: f"这里缺少表达式（遇到了{_token(m[1])}）：标签后面要写条件或值，如 {{% if 条件 %}}"),
    (r"Unexpected end of template\. Jinja was looking for the following tags: (.+?)\. "
     r"The innermost block that needs to be closed is '(.+)'\.",
     lambda m: f"{{% {m[2]} %}} 没有结束：模板到结尾也没有找到 {_tags(m[1])}"),
    (r"Unexpected end of template\.", lambda m: "模板意外结束，有块没有闭合"),
    (r"Encountered unknown tag '(.+?)'\. You probably made a nesting mistake.*?currently looking for (.+?)\."
     r"(?: The innermost block.*)?",
     lambda m: f"{{% {m[1]} %}} 出现的位置不对：在它之前应先有 {_tags(m[2])}（块的嵌套次序有误）"),
    (r"Encountered unknown tag '(end\w*)'\.(?: Jinja was looking for the following tags: (.+?)\.)?.*",
     lambda m: f"多出的 {{% {m[1]} %}}，前面没有与之对应的开头" + (f"（这里应是 {_tags(m[2])}）" if m[2] else "")),
    (r"Encountered unknown tag '(.+?)'\..*", lambda m: f"不认识的标签 {{% {m[1]} %}}"),
    (r"unexpected end of template, expected '(.+)'\.",
     lambda m: f"模板意外结束：缺少{_token(m[1])}"),
    (r"expected token '(.+?)', got '(.+)'", lambda m: f"这里应是{_token(m[1])}，却是{_token(m[2])}"),
    (r"unexpected char (['\"])(.+?)\1 at \d+", lambda m: f"这里不能出现字符“{m[2]}”（字符串的引号是否成对？）"),
    (r"unexpected '(.+?)', expected '(.+)'", lambda m: f"这里应是{_token(m[2])}，却是{_token(m[1])}"),
    (r"unexpected '(.+)'", lambda m: f"这里不能出现{_token(m[1])}"),
    (r"tag name expected", lambda m: "“{%” 后面缺少标签名（如 if、for、set）"),
    (r"No filter named '(.+?)'\.", lambda m: f"没有名为 {m[1]} 的过滤器"),
    (r"No test named '(.+?)'\.", lambda m: f"没有名为 {m[1]} 的判断（is 之后的名称）"),
    (r"block '(.+?)' defined twice", lambda m: f"块 {m[1]} 定义了两次"),
    (r"Invalid character in identifier", lambda m: "名称中有不允许的字符（变量名只能用英文字母、数字和下划线）"),
]


def syntax_message(exc: jinja2.TemplateSyntaxError) -> str:
    """A Jinja syntax error in Chinese, for the template's author; the caller adds file:line."""
    message = exc.message or ""
    for pattern, say in _SYNTAX:
        m = re.fullmatch(pattern, message, re.S)
        if m:
            return f"模板语法错误：{say(m)}"
    line = ""
    if exc.source and exc.lineno:
        lines = exc.source.splitlines()
        if 0 < exc.lineno <= len(lines):
            line = f"：{lines[exc.lineno - 1].strip()[:80]}"
    return f"模板语法错误：这一行的写法不对，请检查 {{% %}} 和 {{{{ }}}} 是否成对、标签和名称是否拼写正确{line}"


def _undefined_message(text: str) -> str:
    """Jinja's StrictUndefined texts, said in Chinese."""
    m = re.fullmatch(r"'(.+?)' is undefined", text)
    if m:
        return m.group(1)
    m = re.fullmatch(r"'(.+?)' has no attribute '(.+)'", text)
    if m:
        return f"{m.group(2)}（这个值没有这个字段）"
    m = re.fullmatch(r".*? has no element (.+)", text)
    if m:
        return f"第 {m.group(1)} 项（没有这一项）"
    return "请检查这一行用到的变量和字段"


def _security_message(text: str) -> str:
    """Jinja's sandbox refusals, said in Chinese."""
    m = re.match(r"access to attribute '(.+?)' of '(.+?)' object is unsafe", text)
    if m:
        return f"不允许访问“{m.group(2)}”对象的属性“{m.group(1)}”（模板只能使用提供给它的变量和字段）"
    if "is not safely callable" in text:
        return "不允许调用这个函数或方法（模板只能使用提供给它的变量和字段）"
    m = re.match(r"Range too big", text)
    if m:
        return f"range 的长度超出上限（{MAX_RANGE}）"
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
