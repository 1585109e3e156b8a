"""What the pages say, as a new account manager reads it: the result page's product lines, the
discount rows, times in the managers' zone, the version codes, the archive's search and its
regenerated rows, the gap report. Through the framework's test client."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from test_web_documents import PROFILE, section, upload
from test_web_support import Web, csrf_of, sqlite_url, web_sqlite, web_workspace  # noqa: F401


def generate(c, draft: str) -> str:
    r = c.post(f"{draft}/generate", data={"csrf": csrf_of(c.get(draft).text)})
    assert r.status_code == 303, r.text
    return r.headers["location"].split("?")[0]


def with_choices(**choices) -> dict:
    return {**PROFILE, "choices": choices}


def test_the_result_page_says_each_products_reason_once_and_whole(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang")
    c = web.browser("wangfang")
    result = c.get(generate(c, upload(c, with_choices(add=["云视讯"])))).text
    products = section(result, "products")
    assert "客户经理选定：客户经理选定" not in products and "客户经理选定</span>：云视讯由客户经理" in products
    vnet = products[products.index("<strong>集团V网</strong>"):].split("</li>")[0]
    page = c.get(upload(c)).text
    card = page[page.index('data-product="vpmn"'):].split('<li class="product"')[0]
    assert "以下需求" not in card and "右列的客户需求通过扩容现有业务解决" in card  # the needs beside it
    assert "以下" not in vnet and "客户提到的“我们12个仓库之间打电话都走手机，话费一个月好几万”通过扩容现有业务解决" in vnet


def test_a_discount_row_says_what_the_discount_is(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang")
    c = web.browser("wangfang")
    page = c.get(upload(c, with_choices(add=["行业终端"]))).text  # with GPRS企业接入: the 终端接入组合
    row = re.search(r'<tr class="discount"><td colspan="5">(.*?)</td>', page, re.S).group(1)
    assert "终端接入组合" in row and "同时选用GPRS企业接入、行业终端" in row and "10%" in row


def test_times_are_shown_in_the_configured_zone_and_version_codes_short(web_workspace, sqlite_url, tmp_path,
                                                                          monkeypatch):
    monkeypatch.delenv("PITCHCRAFT_TIME_ZONE", raising=False)
    web = Web(web_workspace, sqlite_url, tmp_path / "files")
    try:
        assert web.settings.time_zone == "Asia/Shanghai"
        web.add_user("wangfang")
        c = web.browser("wangfang")
        url = generate(c, upload(c))
        from pitchcraft.web.db import Proposal
        with web.db.session() as s:
            p = s.get(Proposal, url.rsplit("/", 1)[1])
            created, digest = p.created_at, p.catalog_sha256
        page = c.get(url).text
        shanghai = created.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
        assert f"生成于 {shanghai}" in page
        assert f'<code title="{digest}">{digest[:12]}</code>' in page and f">{digest}<" not in page
        assert "产品目录的版本码" in page and "校验和" not in page
        assert shanghai in c.get("/proposals").text
    finally:
        web.close()
    monkeypatch.setenv("PITCHCRAFT_TIME_ZONE", "Europe/Berlin")
    from pitchcraft.web.state import Settings
    assert Settings.from_env().time_zone == "Europe/Berlin"
    assert Settings(workspace=web_workspace, time_zone="UTC").to_env()["PITCHCRAFT_TIME_ZONE"] == "UTC"


def test_archive_search_needs_every_word_and_marks_regenerated_rows(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang")
    c = web.browser("wangfang")
    url = generate(c, upload(c))
    assert "佛山顺达冷链物流有限公司" in c.get("/proposals", params={"client": "冷链物流 顺达"}).text
    assert "佛山顺达冷链物流有限公司" in c.get("/proposals", params={"client": "顺达 物流"}).text  # 物流: the industry too
    assert "佛山顺达" not in c.get("/proposals", params={"client": "顺达 华南"}).text
    page = c.get(url).text
    r = c.post(f"{url}/regenerate", data={"csrf": csrf_of(page)})
    assert r.status_code == 303
    rows = re.findall(r"<tr>\s*<td>[^<]*</td>\s*<td>(.*?)</td>", c.get("/proposals").text, re.S)
    assert len(rows) == 2 and sum("（重新生成）" in row for row in rows) == 1


def test_the_gap_report_says_what_it_counts(web_sqlite):
    web = web_sqlite
    web.add_user("boss", role="admin")
    gaps = web.browser("boss").get("/admin/gaps").text
    assert "目前没有未能匹配的需求" not in gaps
    assert "没有任何产品能回答的需求" in gaps and "待确认的需求不算缺口" in gaps


def test_the_form_says_integer_in_a_managers_words(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang")
    c = web.browser("wangfang")
    from test_web_pages import FORM, submit
    r = submit(c, {**FORM, "employees": "abc"})
    assert r.status_code == 422
    assert '<p class="field-error" id="employees-error">请填写整数（如 320）</p>' in r.text and "实际是" not in r.text


def test_a_rejected_upload_refills_the_form_with_the_problem_beside_its_field(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang")
    c = web.browser("wangfang")
    token = csrf_of(c.get("/proposals/new").text)
    raw = yaml.safe_dump({**PROFILE, "client": {**PROFILE["client"], "employees": "很多"}}, allow_unicode=True)
    r = c.post("/profiles/upload", data={"csrf": token},
               files={"profile_file": ("顺达.yaml", raw.encode("utf-8"), "application/yaml")})
    assert r.status_code == 422
    assert 'value="佛山顺达冷链物流有限公司"' in r.text and "冷藏车的温度我们看不到" in r.text
    assert '<option value="logistics" selected>' in r.text
    errors = dict(re.findall(r'class="field-error" id="([^"]+)-error">([^<]+)<', r.text))
    assert errors["employees"] == "请填写整数（如 320）"
    assert "上传的档案有问题：顺达.yaml" in r.text
    broken = c.post("/profiles/upload", data={"csrf": token},
                    files={"profile_file": ("坏.yaml", b"client: [oops\n", "application/yaml")})
    assert broken.status_code == 422 and "上传的档案有问题：坏.yaml" in broken.text


def test_importing_the_same_list_twice_makes_no_second_draft(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang")
    c = web.browser("wangfang")
    token = csrf_of(c.get("/import").text)
    csv = ("客户名称,行业,员工数,需求描述\n佛山顺德家具有限公司,制造业,300,几个厂区之间打电话太多，话费高\n"
           "某某医院,卫生院,200,挂号电话总占线\n").encode("utf-8")
    first = c.post("/import", data={"csrf": token}, files={"crm_file": ("crm.csv", csv, "text/csv")}).text
    assert "导入 1 个客户" in first
    again = c.post("/import", data={"csrf": token}, files={"crm_file": ("crm.csv", csv, "text/csv")}).text
    assert "导入 0 个客户" in again and "已有同名客户的档案" in again and ">打开已有档案</a>" in again
    from sqlalchemy import func, select
    from pitchcraft.web.db import Draft
    with web.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Draft)) == 1
    # the import's list of industries is the form's
    from pitchcraft.web.forms import INDUSTRIES
    form = c.get("/proposals/new").text
    skipped = re.search(r"可选：([^<]*)", again).group(1)
    for _key, label in INDUSTRIES:
        assert label in skipped and f">{label}</option>" in form
