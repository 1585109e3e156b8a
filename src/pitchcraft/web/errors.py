"""What every error answers, in Chinese: one table per status, for the API (JSON) and the pages.

The framework's own errors (an unknown URL, a method a URL does not take, a query parameter of the
wrong type, an exception nobody caught) carry English texts ("Not Found", "Method Not Allowed",
"Internal Server Error"); a manager must never read those. Errors the app raises itself keep their
own Chinese detail.
"""

from __future__ import annotations

from html import escape
from http import HTTPStatus

# status -> (a page's title, what it says when the error itself says nothing better)
TEXTS = {
    400: ("请求无效", "请求的内容无法识别，请返回上一页重试。"),
    401: ("请先登录", "未登录或登录已过期，请重新登录。"),
    403: ("无法完成操作", "您没有权限进行这项操作。"),
    404: ("找不到页面", "您要找的页面或方案不存在。"),
    405: ("无法完成操作", "这个地址不支持这种操作，请从页面上的链接或按钮进入。"),
    413: ("文件过大", "请求过大（上限 1 MB）。"),
    415: ("请求无效", "请求内容的类型不受支持。"),
    422: ("内容有误", "提交的内容不符合要求，请检查后重试。"),
    429: ("请稍后再试", "请求过于频繁，请稍后再试。"),
    500: ("服务器出错", "服务器处理这项请求时出错，请稍后重试；如仍出错，请联系管理员。"),
}
OTHER = ("出错了", "无法完成这项请求，请返回上一页重试。")

# pydantic's error types -> what they mean for a query or path parameter
VALIDATION = {
    "missing": "缺少必填参数",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_too_long": "内容过长",
}


def title(status: int) -> str:
    return TEXTS.get(status, OTHER)[0]


def message(status: int, detail=None) -> str:
    """The error's own detail when it is the app's (Chinese); the table's text when it is the
    framework's default (the status's English phrase) or none at all."""
    if isinstance(detail, str) and detail and not _english_default(status, detail):
        return detail
    return TEXTS.get(status, OTHER)[1]


def _english_default(status: int, detail: str) -> bool:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return detail == phrase or detail.isascii()


def validation_problems(errors) -> list[dict]:
    """FastAPI's validation errors as the contract's problems: the parameter and a Chinese message."""
    out = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x not in ("body",)]
        where = {"query": "查询参数", "path": "地址参数", "header": "请求头", "cookie": "Cookie"}.get(loc[0], "") if loc else ""
        name = ".".join(loc[1:]) if where else ".".join(loc)
        out.append({"field": name, "message": f"{where} {name}：{VALIDATION.get(e.get('type', ''), '格式不正确')}".strip()})
    return out


def plain_page(status: int, text: str | None = None) -> bytes:
    """A page that needs nothing but this table (no template, no database): for answers made
    before the application runs, and for a server error the full page could not show."""
    heading, said = escape(title(status)), escape(message(status, text))
    return ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>%s</title>'
            '<link rel="stylesheet" href="/static/app.css"></head><body><main><section class="card narrow">'
            '<h1>%s</h1><p class="error">%s</p><p><a href="/proposals/new">新建方案</a> · '
            '<a href="/proposals">我的方案</a></p></section></main></body></html>'
            % (heading, heading, said)).encode("utf-8")
