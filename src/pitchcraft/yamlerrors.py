"""PyYAML's syntax errors in Chinese, at the place of the mistake, with a hint that fixes it.

The parser reports where it gave up, which is often a line or more after the mistake: a key
written with a full-width colon (``name： 甲``) is read as text and the parser stops at the next
key. So the lines just before the error are looked at first for the mistakes account managers
make (a Tab in the indentation, a full-width colon, a list item without a space after ``-``, an
unclosed quote); only when none is there is the parser's own message translated.
"""

from __future__ import annotations

import re

import yaml

LOOK_BACK = 6  # lines before the error searched for the mistake that caused it

_TAB_INDENT = re.compile(r"^[ ]*\t")
# spaces that look like one but are no YAML indentation: the full-width space of a Chinese input
# method, the no-break space a web page or Word pastes, and the other Unicode spaces
_ODD_SPACE_INDENT = re.compile("^[ \t]*([\u3000\u00a0\u2000-\u200a\u202f\u205f\ufeff])")
_ODD_SPACES = {"\u3000": ("全角空格", "（中文输入法打出的空格）"), "\u00a0": ("不间断空格", "（多半是从网页或 Word 复制来的）")}
# a key written with a full-width colon: "  name： 甲", "客户：" (a list item "- 话费：太贵" is text)
_FULL_COLON_KEY = re.compile(r"^(\s*)([^\s:#'\"：\-][^:#：]{0,40}?)\s*：(\s|$)")
# an English key followed by a full-width colon needs no space after it to be a key: "tier：A"
_FULL_COLON_ASCII_KEY = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*：")
# a list item without the space after the dash: "-堆场没信号" (not "---", "-5", "-.5"), or marked with
# another dash or a bullet: "－ 堆场", "• 堆场"
_DASH_NO_SPACE = re.compile(r"^(\s*)(?:-(?=[^\s\-\d.])|[－—–•·・●▪])")
OTHER_MARKS = "－—–•·・●▪"
# a key whose colon has no space after it: "name:甲" (a time like 10:30 has a digit before the colon)
_NO_SPACE_AFTER_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*):(?=[^\s/])")

# libyaml's and PyYAML's problems -> what they mean for the person who wrote the file
_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("tab character", "这里用了 Tab 键：YAML 的缩进只能用空格，请把 Tab 换成空格（通常每级 2 个空格）"),
    ("mapping values are not allowed",
     "这里不能出现英文冒号“:”：如果冒号是文字的一部分，请改用中文冒号“：”或给整个值加上英文引号，"
     "例如 name: \"甲: 乙\"；也可能是这一行的缩进与上一行不一致"),
    ("could not find expected ':'",
     "这一行既不是“键: 值”，也不是以“- ”开头的列表项：如果这是一条新的需求，请在行首加上“- ”；"
     "如果是键，请在键后面写英文冒号再加一个空格，如 name: 甲"),
    ("did not find expected key",
     "这一行的缩进不对，或者在键值中间混入了列表项：同一级的键要对齐（用空格缩进），列表项以“- ”开头"),
    ("did not find expected '-' indicator",
     "这一行的缩进不对：同一个列表的每一项都要以“- ”开头并对齐"),
    ("block sequence entries are not allowed",
     "这里不能开始一个列表：“- ”应写在键的下一行并缩进，如\n  needs:\n    - 话费太贵"),
    ("mapping keys are not allowed", "这里不能出现“?”开头的键；如果“?”是文字的一部分，请给整个值加上英文引号"),
    ("found character that cannot start any token",
     "这个字符不能出现在值的开头（如 @、`、%、|、>）：请给整个值加上英文引号，例如 name: \"@甲\""),
    ("found unexpected end of stream", "文件在这里意外结束：可能有没配对的引号或括号"),
    ("found unknown escape character",
     "双引号中的反斜杠“\\”后跟了不认识的字符：请写成两个反斜杠“\\\\”，或改用单引号"),
    ("found invalid Unicode character escape code", "双引号中的 \\u 转义不是有效的字符编码"),
    ("expected hexdecimal number", "双引号中的 \\x 或 \\u 转义后面应为十六进制数字"),
    ("found undefined alias", "引用了没有定义的锚点（“*名字”前面要有“&名字”）；如果“*”是文字的一部分，请给整个值加上英文引号"),
    ("did not find expected alphabetic or numeric character",
     "“&”或“*”后面应为锚点名字；如果它们是文字的一部分，请给整个值加上英文引号"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有配对，或列表的两项之间缺少英文逗号“,”"),
    ("did not find expected ',' or '}'", "花括号 { } 没有配对，或两个键值之间缺少英文逗号“,”"),
    ("did not find expected node content", "这里缺少值，或有多余的英文逗号、括号"),
    ("did not find expected comment or line break", "这一行的“|”或“>”后面不能再写文字：多行文字要从下一行开始并缩进"),
    ("second occurrence", "同一个锚点名字“&…”定义了两次"),
    ("but found another document", "文件中有第二个“---”分隔的文档：一个文件只能写一份内容"),
    ("did not find expected <document start>", "文件开头的格式不对：请检查第一行"),
    ("found unexpected ':'", "这里的英文冒号“:”位置不对：冒号后面要有一个空格"),
    ("found a tab character where an indentation space is expected",
     "这里用了 Tab 键：YAML 的缩进只能用空格，请把 Tab 换成空格"),
)

ODD_SPACE_HINT = "这一行用{name}缩进{origin}：YAML 的缩进只能用英文半角空格，请把行首的{name}换成普通空格"
TAB_HINT = "这一行的缩进用了 Tab 键：YAML 的缩进只能用空格，请把 Tab 换成空格（通常每级 2 个空格）"
COLON_HINT = "键“{key}”后面用了中文冒号“：”：请改成英文冒号“:”再加一个空格，如 {key}: …"
DASH_HINT = "“-”后面缺少空格：列表的每一项要写成“- 内容”（减号后加一个空格），否则会和上一项连在一起"
MARK_HINT = "列表的每一项要用英文减号加空格“- ”开头，不能用“{mark}”，否则会和上一项连在一起"
NO_SPACE_HINT = "键“{key}”的英文冒号后面缺少空格：请写成 {key}: …（冒号后加一个空格）"
QUOTE_HINT = "从这里开始的引号没有结束：请在值的末尾补上同样的引号"


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, int | None, str]:
    """(line, column, message) for a syntax error, 1-based, at the mistake rather than where the
    parser stopped."""
    problem_mark, context_mark = exc.problem_mark, exc.context_mark
    mark = problem_mark or context_mark
    if mark is None:
        return None, None, f"YAML 格式错误：{_translate(exc.problem or '')}"
    lines = text.split("\n")
    found = _culprit(lines, mark.line, exc)
    if found is not None:
        return found
    quote = _unclosed_quote(lines, mark.line)
    if quote is not None:
        return quote[0] + 1, quote[1] + 1, QUOTE_HINT
    problem = exc.problem or ""
    context = exc.context or ""
    if "quoted scalar" in context and "end of stream" in problem and context_mark is not None:
        return context_mark.line + 1, context_mark.column + 1, QUOTE_HINT
    if "could not find expected ':'" in problem and context_mark is not None:
        mark = context_mark  # the line that lacks the colon, not the one after it
    return mark.line + 1, mark.column + 1, _translate(problem)


def _culprit(lines: list[str], error_line: int, exc: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """The nearest common mistake on the error's line or just before it."""
    first = max(0, error_line - LOOK_BACK)
    if exc.context_mark is not None:
        first = min(first, exc.context_mark.line)
    window = range(min(error_line, len(lines) - 1), first - 1, -1)
    if "tab" in (exc.problem or ""):
        for n in window:
            tab = lines[n].find("\t")
            if tab >= 0:
                return n + 1, tab + 1, TAB_HINT
    for n in window:
        line = lines[n]
        odd = _ODD_SPACE_INDENT.match(line)
        if odd:
            return n + 1, odd.start(1) + 1, odd_space_hint(odd.group(1))
        if _TAB_INDENT.match(line):
            return n + 1, line.index("\t") + 1, TAB_HINT
        colon = _FULL_COLON_KEY.match(line) or _FULL_COLON_ASCII_KEY.match(line)
        if colon and (": " not in line[: colon.end()]):
            return n + 1, line.index("：", colon.start(2)) + 1, COLON_HINT.format(key=colon.group(2).strip())
        dash = _DASH_NO_SPACE.match(line)
        if dash and not line.strip().startswith("---"):
            return n + 1, dash.end(1) + 1, list_mark_hint(line.strip())
        key = _NO_SPACE_AFTER_COLON.match(line)
        if key:
            return n + 1, key.end(2) + 1, NO_SPACE_HINT.format(key=key.group(2))
    return None


def odd_space_hint(ch: str) -> str:
    name, origin = _ODD_SPACES.get(ch, (f"特殊空格（U+{ord(ch):04X}）", ""))
    return ODD_SPACE_HINT.format(name=name, origin=origin)


def odd_space_indent(text: str) -> str | None:
    """The kind of look-alike space a key or line starts with (``　employees``), if any."""
    m = _ODD_SPACE_INDENT.match(text)
    return m.group(1) if m else None


def full_colon_key(value: str) -> str | None:
    """The English key of a text that is a key written with a full-width colon (``name：华南``),
    as YAML reads the only key of a mapping: the whole line becomes the parent's text value."""
    m = _FULL_COLON_ASCII_KEY.match(value)
    return m.group(2) if m and m.group(1) == "" else None


def colon_hint(key: str) -> str:
    return COLON_HINT.format(key=key)


def list_mark_hint(text: str) -> str:
    return MARK_HINT.format(mark=text[0]) if text[:1] in OTHER_MARKS else DASH_HINT


_OPEN_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:#'"][^:#]*?:\s+)?(["'])""")


def _unclosed_quote(lines: list[str], error_line: int) -> tuple[int, int] | None:
    """The first line before the error that opens a quoted value and does not close it (0-based
    line, column): the parser reads on to the next quote, lines later."""
    for n in range(0, min(error_line, len(lines))):
        m = _OPEN_QUOTE.match(lines[n])
        if not m:
            continue
        quote, rest = m.group(1), lines[n][m.end():]
        closed = rest.replace("\\\\", "").replace("\\" + quote, "").find(quote) >= 0 if quote == '"' \
            else rest.replace("''", "").find("'") >= 0
        if not closed:
            return n, m.start(1)
    return None


def _translate(problem: str) -> str:
    for english, chinese in _PROBLEMS:
        if english in problem:
            return chinese
    return "无法读取：请检查这一行和上一行的缩进（只用空格）、冒号（英文“: ”）和引号是否配对"


def reader_position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# --- mistakes that parse: a list item without its space, two statements on two lines -------------

def dash_without_space(value: str) -> bool:
    """Whether a plain text value starts like a list item written without the space (``-堆场``) or
    with another mark (``－ 堆场``, ``• 堆场``)."""
    if len(value) > 1 and value[0] in OTHER_MARKS:
        return True
    return len(value) > 1 and value[0] == "-" and not (value[1].isspace() or value[1] in "-.0123456789")


def continuation_dash(lines: list[str], start_line: int, end_line: int) -> int | None:
    """The first line (0-based) after ``start_line`` up to ``end_line`` that begins with ``-``: a
    list item folded into the text before it."""
    for n in range(start_line + 1, min(end_line, len(lines) - 1) + 1):
        if lines[n].lstrip()[:1] in ("-", *OTHER_MARKS):
            return n
    return None
