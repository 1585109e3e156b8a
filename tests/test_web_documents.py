"""The recommendation page shows what the client's documents will contain: the products the Word
and the deck pitch (明确, or chosen by the manager) apart from those to confirm at the visit, and the
quote the documents print. Through the framework's test client, the documents reopened."""

from __future__ import annotations

import re
from decimal import Decimal

import yaml

from test_web_support import csrf_of, deck_text, web_sqlite, web_workspace, sqlite_url, word_text  # noqa: F401

# A new user's trial (a cold-chain logistics client), with a current service the catalog lacks (专线).
PROFILE = {
    "client": {"name": "佛山顺达冷链物流有限公司", "industry": "logistics", "employees": 320, "sites": 12,
               "tier": "B", "region": "佛山顺德", "current_services": ["集团短号", "专线"]},
    "contacts": [{"name": "陈国华", "title": "总经理", "role": "decision_maker", "attitude": "neutral"}],
    "needs": {
        "basic_comms": ["我们12个仓库之间打电话都走手机，话费一个月好几万",
                        "总部和各个仓库的网络经常断，订单系统一卡司机就在门口排队"],
        "mobile_office": ["司机和调度都用微信群派单，出了问题谁也说不清"],
        "production_control": ["冷藏车的温度我们看不到，上个月坏了一车货赔了八万",
                               "仓库晚上老丢东西，想装摄像头能在手机上看"],
        "marketing": ["客户老打电话问货到哪了，客服接不过来"],
    },
    "budget": {"monthly_cny": 15000},
    "visit": {"date": "2026-12-18", "manager": "王芳", "phone": "13922223333"},
}


def upload(c, data: dict = PROFILE) -> str:
    token = csrf_of(c.get("/proposals/new").text)
    raw = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    r = c.post("/profiles/upload", data={"csrf": token}, files={"profile_file": ("顺达.yaml", raw, "application/yaml")})
    assert r.status_code == 303, r.text
    return r.headers["location"]


def section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start:html.index("</section>", start)]


def products_in(html: str) -> list[str]:
    return re.findall(r'data-product="([^"]+)"', html)


def monthly_total(html: str) -> str:
    return re.search(r"<th colspan=\"5\">每月应付</th><td class=\"num\">([0-9.,-]+)</td>", html).group(1)


def money(text: str) -> str:
    return f"{Decimal(text.replace(',', '')):,.2f}"


def test_the_page_splits_the_products_as_the_documents_do_and_quotes_the_documents(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang", display_name="王芳")
    c = web.browser("wangfang")
    draft = upload(c)
    page = c.get(draft).text
    catalog = web.state.pipeline.session().content.catalog
    pitched, asked = products_in(section(page, "documents")), products_in(section(page, "to-confirm"))
    assert pitched and asked and not set(pitched) & set(asked)
    assert "写进建议书和PPT" in page and "待确认：拜访时向客户确认" in page
    assert "待确认的产品不写进建议书和PPT，也不计入报价" in page
    assert "推荐、报价和生成的建议书、PPT 都按调整后的方案出具" not in page
    to_confirm = section(page, "to-confirm")
    assert to_confirm.count(">确认后加入建议书</button>") == len(asked)
    assert "拜访时向客户确认" in to_confirm and "您提到" in to_confirm  # each product's question
    # quantities only where they count: products in the documents
    assert not re.search(r'name="quantity"', to_confirm)
    page_total = monthly_total(page)

    r = c.post(f"{draft}/generate", data={"csrf": csrf_of(page)})
    result = c.get(r.headers["location"]).text
    word_url = re.search(r'href="([^"]+proposal\.docx)"', result).group(1)
    word = word_text(c.get(word_url).content)
    slides, _notes = deck_text(c.get(re.search(r'href="([^"]+pitch\.pptx)"', result).group(1)).content)
    for pid in pitched:
        assert catalog.by_id[pid].name in word and catalog.by_id[pid].name in slides, pid
    for pid in asked:
        assert catalog.by_id[pid].name not in slides, pid
    assert f"每月 {page_total} 元" in result  # the result page repeats the documents' quote
    assert money(page_total) in word

    # a 待确认 product, confirmed: chosen by the manager, into the documents and the quote
    confirm = asked[0]
    r = c.post(f"{draft}/choices", data={"csrf": csrf_of(page), "action": "add", "product": confirm})
    assert r.status_code == 303 and r.headers["location"].endswith(f"#p-{confirm}")
    after = c.get(r.headers["location"]).text
    assert confirm in products_in(section(after, "documents"))
    assert confirm not in products_in(after.split('id="to-confirm"')[1]) if 'id="to-confirm"' in after else True
    saved = yaml.safe_load(c.get(f"{draft}/profile.yaml").text)
    assert saved["choices"]["add"] == [catalog.by_id[confirm].name]


def test_the_api_marks_what_the_documents_contain_and_keeps_its_contract(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang")
    r = web.client.post("/api/recommend", json=PROFILE, headers=web.token("wangfang"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert {"client", "products", "cases", "unmatched_needs", "statements", "quote"} <= set(out)
    assert all(isinstance(p["in_documents"], bool) for p in out["products"])
    inside = {p["id"] for p in out["products"] if p["in_documents"]}
    assert inside and inside != {p["id"] for p in out["products"]}
    for p in out["products"]:
        assert p["in_documents"] == (p["chosen"] or any(link["confidence"] == "明确" for link in p["links"]))
    docs = out["documents_quote"]
    assert set(docs) == set(out["quote"])
    assert {ln["product_id"] for ln in docs["lines"]} <= inside
    assert Decimal(docs["monthly_total"]) < Decimal(out["quote"]["monthly_total"])


def test_a_current_service_the_catalog_lacks_is_warned_on_the_page(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang")
    c = web.browser("wangfang")
    page = c.get(upload(c)).text
    warnings = section(page, "warnings")
    assert "专线" in warnings and "在产品目录中找不到" in warnings
    assert page.index('id="warnings"') < page.index('id="documents"')


def test_changes_return_to_where_the_manager_was_and_a_partial_name_offers_products(web_sqlite):
    web = web_sqlite
    web.add_user("wangfang")
    c = web.browser("wangfang")
    draft = upload(c)
    page = c.get(draft).text
    token = csrf_of(page)
    pitched, asked = products_in(section(page, "documents")), products_in(section(page, "to-confirm"))
    r = c.post(f"{draft}/choices", data={"csrf": token, "action": "drop", "product": asked[-1], "from": "to-confirm"})
    assert r.headers["location"] == f"{draft}#to-confirm"
    r = c.post(f"{draft}/choices", data={"csrf": token, "action": "drop", "product": pitched[0], "from": "documents"})
    assert r.headers["location"] == f"{draft}#documents"
    r = c.post(f"{draft}/choices", data={"csrf": token, "action": "undo_drop", "product": pitched[0]})
    assert r.headers["location"] == f"{draft}#adjust"

    r = c.post(f"{draft}/choices", data={"csrf": token, "action": "add", "product": "视讯"})
    assert r.status_code == 303 and r.headers["location"].endswith("#add")
    shown = c.get(r.headers["location"]).text
    box = shown[shown.index('id="add"'):]
    box = box[:box.index("</section>")]
    assert 'value="视讯"' in box and "产品目录中没有“视讯”这个产品，请从列表中选择" in box
    assert re.search(r'name="product" value="cloud_video">\s*<button[^>]*>加入云视讯</button>', box)
    assert not re.search(r'class="error" role="alert"', shown)  # nothing at the top of the page
    r = c.post(f"{draft}/choices", data={"csrf": token, "action": "add", "product": "cloud_video"})
    assert r.headers["location"] == f"{draft}#p-cloud_video"


def test_the_documents_are_dated_by_the_managers_clock_not_the_servers(web_workspace, sqlite_url, tmp_path):
    """Two zones 26 hours apart always disagree on today's date: each server dates its Word by its own
    PITCHCRAFT_TIME_ZONE (a manager in Guangzhou at 07:00 must not get yesterday's date from a UTC server)."""
    import datetime as dt
    import zoneinfo

    from pitchcraft.compose import cn_date
    from test_web_support import EXAMPLE, Web, profile_json

    for name in ("Pacific/Kiritimati", "Etc/GMT+12"):
        web = Web(web_workspace, sqlite_url.replace("web.db", f"{name.replace('/', '-')}.db"), tmp_path / name / "files",
                  time_zone=name)
        try:
            web.add_user("liming")
            headers = web.token("liming")
            r = web.client.post("/api/proposals", json={"profile": profile_json(EXAMPLE)}, headers=headers)
            assert r.status_code == 201, r.text
            url = next(f["url"] for f in r.json()["files"] if f["name"] == "proposal.docx")
            today = dt.datetime.now(zoneinfo.ZoneInfo(name)).date()
            assert f"日期：{cn_date(today)}" in word_text(web.client.get(url, headers=headers).content), name
        finally:
            web.close()
