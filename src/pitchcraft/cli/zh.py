"""click's own texts (help headings, usage errors) in Chinese.

click looks up every text it shows through ``gettext`` under a name bound in each of its modules,
so binding that name to this table translates help pages and usage errors alike, and a text click
adds later simply stays English until it is added here (tests/test_cli_messages.py lists the ones a
user meets). The placeholders are click's own.
"""

from __future__ import annotations

import importlib

MESSAGES: dict[str, str] = {
    # help pages
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已停用",
    "Confirm the action without prompting.": "不再询问，直接确认。",
    # usage errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "输入 {command} {option} 查看用法。",
    "No such command {name!r}.": "没有这个命令：{name}。",
    "No such option {name!r}.": "没有这个选项：{name}。",
    "No such option: {name}": "没有这个选项：{name}",
    "Did you mean {possibility}?": "您是不是要输入 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是不是要输入其中之一：{possibilities}？）",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "Invalid value: {message}": "值不对：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 后面不需要写值。",
    "Option {name!r} requires an argument.": "选项 {name} 后面要写一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 后面要写 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多出了一个参数：{args}（文件名中有空格时请加引号）",
    "Got unexpected extra arguments ({args})": "多出了几个参数：{args}（文件名中有空格时请加引号）",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "{value!r} is not {choice}.": "{value!r} 不是可选的值 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选的值之一：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在允许的范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是“是/否”，可写：{states}",
    "{value!r} does not match the format {format}.": "{value!r} 的格式不对，应为 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 的格式不对，应为 {formats} 之一。",
    "{name} {filename!r} does not exist.": "{name}不存在：{filename}",
    "{name} {filename!r} is a file.": "{name} {filename} 是一个文件，这里应为文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename} 是一个文件夹，这里应为文件。",
    "{name} {filename!r} is not readable.": "没有权限读取{name} {filename}。",
    "{name} {filename!r} is not writable.": "没有权限写入{name} {filename}。",
    "{name} {filename!r} is not executable.": "{name} {filename} 不能执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename}：{message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "integer": "整数",
    "float": "数字",
    "Value must be an iterable.": "这里应写多个值。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    # prompts
    "Aborted!": "已中断。",
    "Error: invalid input": "错误：输入的内容不对",
    "Error: The two entered values do not match.": "错误：两次输入的内容不一致。",
    "Repeat for confirmation": "请再输入一次确认",
    "Do you want to continue?": "是否继续？",
    "Press any key to continue...": "按任意键继续……",
    "unknown error": "未知错误",
}


# click's type names, which it puts into messages untranslated ("'abc' is not a valid integer range")
TYPE_NAMES: dict[str, str] = {"integer": "整数", "integer range": "整数", "float": "数字", "float range": "数字"}


class _Template(str):
    """A translated message whose ``number_type`` placeholder is filled with the Chinese type name."""

    def format(self, *args, **kwargs) -> str:
        if isinstance(kwargs.get("number_type"), str):
            kwargs["number_type"] = TYPE_NAMES.get(kwargs["number_type"], kwargs["number_type"])
        return str.format(self, *args, **kwargs)


def gettext(message: str) -> str:
    text = MESSAGES.get(message, message)
    return _Template(text) if "{number_type}" in text else text


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils",
            "shell_completion")


def install() -> None:
    """Bind click's message lookups to :data:`MESSAGES` (idempotent)."""
    for name in _MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a click without this module
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
