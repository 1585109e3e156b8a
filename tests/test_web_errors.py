"""The framework's own errors answer in Chinese: JSON under /api, a Chinese page elsewhere."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from test_web_support import PASSWORD, csrf_of, profile_json, sqlite_url, web_sqlite, web_workspace  # noqa: F401

from pitchcraft.web import pages

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_DEFAULTS = ("Not Found", "Method Not Allowed", "Internal Server Error", "Unprocessable", "Field required",
                    "valid integer", "Bad Request")


def english(text: str) -> list[str]:
    return [t for t in ENGLISH_DEFAULTS if t.lower() in text.lower()]


def chinese_page(r, status: int, heading: str) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in r.text and f"<h1>{heading}</h1>" in r.text, r.text
    assert not english(r.text), english(r.text)
    return r.text


def chinese_json(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert CJK.search(body["detail"]) and not english(r.text), r.text
    return body


def test_an_unknown_url_is_a_chinese_404(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    body = chinese_json(web.client.get("/api/no-such-call", headers=web.token("liming")), 404)
    assert body == {"detail": "您要找的页面或方案不存在。"}
    assert chinese_json(web.client.get("/api/nothing"), 404)  # before any login too
    chinese_page(web.browser().get("/no-such-page"), 404, "找不到页面")
    text = chinese_page(web.browser("liming").get("/proposals/x/y/z"), 404, "找不到页面")
    assert "新建方案" in text and "我的方案" in text  # the way back, for a logged-in manager


def test_a_method_a_url_does_not_take_is_a_chinese_405(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    r = web.client.get("/api/recommend", headers=web.token("liming"))
    assert "POST" in r.headers["allow"]
    chinese_json(r, 405)
    r = web.browser("liming").get("/logout")  # a form's address typed into the browser
    assert "POST" in r.headers["allow"]
    chinese_page(r, 405, "无法完成操作")


def test_a_query_parameter_of_the_wrong_type_is_a_chinese_422_naming_it(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    h = web.token("liming")
    body = chinese_json(web.client.get("/api/proposals?limit=many", headers=h), 422)
    assert body["problems"] == [{"field": "limit", "message": "查询参数 limit：应为整数"}]
    body = chinese_json(web.client.get("/api/proposals?limit=0", headers=h), 422)
    assert body["problems"][0]["message"] == "查询参数 limit：数值过小"
    assert web.client.get("/api/proposals?limit=2", headers=h).status_code == 200


def test_an_unexpected_failure_is_a_chinese_500_without_a_traceback(web_sqlite, monkeypatch):
    web = web_sqlite
    web.add_user("liming")
    h = web.token("liming")

    async def broken(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(web.state.builds, "recommend", broken)
    c = TestClient(web.asgi, raise_server_exceptions=False, follow_redirects=False)
    try:
        r = c.post("/api/recommend", json=profile_json(), headers=h)
        assert chinese_json(r, 500) == {"detail": "服务器处理这项请求时出错，请稍后重试；如仍出错，请联系管理员。"}
        assert "disk on fire" not in r.text and "Traceback" not in r.text

        def broken_search(*_a, **_k):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(pages, "search", broken_search)
        page = c.get("/login")
        assert c.post("/login", data={"username": "liming", "password": PASSWORD,
                                      "csrf": csrf_of(page.text)}).status_code == 303
        text = chinese_page(c.get("/proposals"), 500, "服务器出错")
        assert "disk on fire" not in text and "Traceback" not in text
        assert r.headers["x-content-type-options"] == "nosniff"  # the guard's headers on errors too
    finally:
        c.close()


def test_an_oversized_body_is_answered_in_chinese_before_the_app(web_sqlite):
    web = web_sqlite
    big = b"x" * (1024 * 1024 + 1)
    assert chinese_json(web.client.post("/api/recommend", content=big), 413) == {"detail": "请求过大（上限 1 MB）"}
    chinese_page(web.browser().post("/login", content=big), 413, "文件过大")


def _problems(r, status: int = 422) -> str:
    assert r.status_code == status, r.text
    text = " ".join(p["message"] for p in r.json()["problems"])
    assert CJK.search(text) and "Traceback" not in r.text, r.text
    return text


def test_json_nested_beyond_any_profile_is_bad_input_not_a_500(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    token = web.token("liming")
    h = {**token, "content-type": "application/json"}
    for depth in (100_000, 40):  # past json.loads' recursion limit, and past the bound only
        text = _problems(web.client.post("/api/recommend", content=b"[" * depth + b"]" * depth, headers=h))
        assert "嵌套过深" in text
    body = {"client": {"name": "华南精密"}}
    for _ in range(30):
        body = {"x": body}
    assert "嵌套过深" in _problems(web.client.post("/api/recommend", json=body, headers=token))


def test_a_lone_surrogate_in_json_is_refused_as_on_the_command_line(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    h = {**web.token("liming"), "content-type": "application/json"}
    good = json.dumps(profile_json(name="NAME-HERE"), ensure_ascii=True)
    for name in ("\\ud800", "A\\udfffB", "\\udc00\\ud800"):
        raw = good.replace("NAME-HERE", name)
        text = _problems(web.client.post("/api/recommend", content=raw.encode(), headers=h))
        assert "\\u 转义" in text, text
    key = good.replace('"client": {', '"client": {"\\ud800": 1, ', 1)
    assert "\\u 转义" in _problems(web.client.post("/api/recommend", content=key.encode(), headers=h))
    # a pair (an emoji written as two escapes) is one character and stays accepted
    pair = good.replace("NAME-HERE", "\\u534e\\u5357\\ud83d\\ude00")
    assert web.client.post("/api/recommend", content=pair.encode(), headers=h).status_code == 200
