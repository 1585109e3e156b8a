"""The JSON API of contracts/web.md through the framework's test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document
from pptx import Presentation

from test_web_support import (EXAMPLE, PASSWORD, database_url, deck_text, profile_json, sqlite_url, web,  # noqa: F401
                              web_sqlite, web_workspace, word_text)

from pitchcraft.pipeline import Session, read_profile
from pitchcraft.report import to_json
from pitchcraft.workspace import Workspace


def test_login_gives_a_token_and_wrong_name_or_password_answer_alike(web):
    web.add_user("liming")
    ok = web.client.post("/api/login", json={"username": "liming", "password": PASSWORD})
    assert ok.status_code == 200 and ok.json()["token"]
    wrong_pw = web.client.post("/api/login", json={"username": "liming", "password": "nope-nope-nope"})
    wrong_user = web.client.post("/api/login", json={"username": "nobody", "password": PASSWORD})
    assert wrong_pw.status_code == wrong_user.status_code == 401
    assert wrong_pw.content == wrong_user.content


def test_repeated_failures_are_throttled_even_with_the_right_password(web):
    web.add_user("liming")
    for _ in range(5):
        assert web.client.post("/api/login", json={"username": "liming", "password": "x" * 9}).status_code == 401
    r = web.client.post("/api/login", json={"username": "liming", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # another user is not affected
    web.add_user("wangfang")
    assert web.client.post("/api/login", json={"username": "wangfang", "password": PASSWORD}).status_code == 200


def test_every_api_call_needs_a_valid_token(web):
    web.add_user("liming")
    for method, path in (("post", "/api/recommend"), ("post", "/api/proposals"), ("get", "/api/proposals"),
                         ("get", "/api/proposals/abc"), ("get", "/api/proposals/abc/files/proposal.docx")):
        assert getattr(web.client, method)(path).status_code == 401
        assert getattr(web.client, method)(path, headers={"Authorization": "Bearer forged.token"}).status_code == 401


def test_recommend_answers_the_json_of_recommend_json(web):
    web.add_user("liming")
    r = web.client.post("/api/recommend", json=profile_json(), headers=web.token("liming"))
    assert r.status_code == 200
    body = r.json()
    session = Session.open(Workspace.open(web.settings.workspace))
    expected = to_json(session.recommend(read_profile(EXAMPLE)[0]))
    assert body["client"] == {"name": "华南精密制造有限公司", "industry": "manufacturing"}
    assert [p["id"] for p in body["products"]] == [p["id"] for p in expected["products"]]
    assert body["unmatched_needs"] == expected["unmatched_needs"]
    assert all(p["reasons"] for p in body["products"])
    q = body["quote"]
    assert q["currency"] == "CNY" and isinstance(q["monthly_total"], str)


@pytest.mark.parametrize("change, field", [
    (lambda p: p["client"].update(industry="火星"), "client.industry"),
    (lambda p: p["client"].update(tier="D"), "client.tier"),
    (lambda p: p["client"].update(employees="很多"), "client.employees"),
    (lambda p: p.update(needs={}), "needs"),
    (lambda p: p.pop("client"), "client"),
])
def test_a_profile_that_breaks_the_contract_answers_422_with_the_field(web_sqlite, change, field):
    web = web_sqlite
    web.add_user("liming")
    profile = profile_json()
    change(profile)
    h = web.token("liming")
    for r in (web.client.post("/api/recommend", json=profile, headers=h),
              web.client.post("/api/proposals", json={"profile": profile}, headers=h)):
        assert r.status_code == 422, r.text
        problems = r.json()["problems"]
        assert any(p["field"] == field for p in problems), problems
        assert all(p["message"] for p in problems)
    assert web.client.get("/api/proposals", headers=h).json() == []
    assert not any(web.settings.files_dir.rglob("*.docx"))


def test_not_json_and_not_an_object_are_422(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    h = {**web.token("liming"), "Content-Type": "application/json"}
    assert web.client.post("/api/recommend", content=b"{not json", headers=h).status_code == 422
    assert web.client.post("/api/recommend", json=[1, 2], headers=h).status_code == 422
    assert web.client.post("/api/proposals", json={"nope": 1}, headers=h).status_code == 422


def test_a_proposal_is_made_archived_and_downloadable(web):
    web.add_user("liming", display_name="李明")
    h = web.token("liming")
    r = web.client.post("/api/proposals", json={"profile": profile_json()}, headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    names = [f["name"] for f in made["files"]]
    assert names[:2] == ["proposal.docx", "pitch.pptx"] and "brief.docx" in names
    docx = web.client.get(made["files"][0]["url"], headers=h)
    assert docx.status_code == 200
    assert docx.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "华南精密制造有限公司" in "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    deck = web.client.get(made["files"][1]["url"], headers=h)
    assert len(Presentation(io.BytesIO(deck.content)).slides) > 3

    detail = web.client.get(f"/api/proposals/{made['id']}", headers=h).json()
    manifest = web.client.get(f"/api/proposals/{made['id']}/files/manifest.json", headers=h).json()
    for key in ("version", "catalog_sha256", "cases_sha256", "templates_sha256"):
        assert detail[key] == manifest[key]
    assert detail["manager"]["display_name"] == "李明"
    assert detail["profile"]["client"]["name"] == "华南精密制造有限公司"
    assert [p["id"] for p in detail["recommendation"]["products"]]

    second = web.client.post("/api/proposals", json={"profile": profile_json(name="东莞五金有限公司")}, headers=h)
    listed = web.client.get("/api/proposals", headers=h).json()
    assert [p["id"] for p in listed] == [second.json()["id"], made["id"]]  # newest first
    assert set(listed[0]) >= {"id", "client", "created_at", "files"}
    assert [p["client"] for p in web.client.get("/api/proposals?client=五金", headers=h).json()] == ["东莞五金有限公司"]


def test_another_managers_proposal_answers_exactly_as_a_missing_one(web):
    web.add_user("liming")
    web.add_user("wangfang")
    web.add_user("boss", role="admin")
    mine = web.client.post("/api/proposals", json={"profile": profile_json()}, headers=web.token("liming")).json()
    other = web.token("wangfang")
    for suffix in ("", "/files/proposal.docx"):
        theirs = web.client.get(f"/api/proposals/{mine['id']}{suffix}", headers=other)
        missing = web.client.get(f"/api/proposals/{'0' * 24}{suffix}", headers=other)
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content
    assert web.client.get("/api/proposals", headers=other).json() == []
    admin = web.token("boss")
    assert [p["id"] for p in web.client.get("/api/proposals", headers=admin).json()] == [mine["id"]]
    assert web.client.get(f"/api/proposals/{mine['id']}/files/proposal.docx", headers=admin).status_code == 200
    # read-only for the admin
    assert web.client.post(f"/api/proposals/{mine['id']}/regenerate", headers=admin).status_code == 403


def test_no_url_reaches_the_file_system_but_a_listed_file(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    h = web.token("liming")
    pid = web.client.post("/api/proposals", json={"profile": profile_json()}, headers=h).json()["id"]
    (web.settings.files_dir / "secret.txt").write_text("secret")
    for name in ("..%2F..%2Fsecret.txt", "..%2Fsecret.txt", "secret.txt", "%2Fetc%2Fpasswd", "proposal.DOCX"):
        r = web.client.get(f"/api/proposals/{pid}/files/{name}", headers=h)
        assert r.status_code == 404 and b"secret" not in r.content
    for bad in ("..%2F..", "abc.def", "x" * 40):
        assert web.client.get(f"/api/proposals/{bad}", headers=h).status_code == 404


def test_a_body_over_one_mib_is_refused_before_anything_is_done(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    h = {**web.token("liming"), "Content-Type": "application/json"}
    big = json.dumps({"profile": profile_json(region="深" * (600 * 1024))}).encode()
    assert len(big) > 1024 * 1024
    assert web.client.post("/api/proposals", content=big, headers=h).status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for i in range(0, len(big), 65536):
            yield big[i:i + 65536]
    assert web.client.post("/api/proposals", content=chunks(), headers=h).status_code == 413
    assert web.client.get("/api/proposals", headers=h).json() == []


def test_security_headers_on_every_answer(web_sqlite):
    web = web_sqlite
    for path in ("/login", "/api/proposals", "/static/app.css", "/nowhere"):
        r = web.client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_a_disabled_user_is_refused_at_once(web_sqlite):
    from pitchcraft.web.auth import set_active

    web = web_sqlite
    web.add_user("liming")
    h = web.token("liming")
    assert web.client.get("/api/proposals", headers=h).status_code == 200
    set_active(web.db, "liming", False)
    assert web.client.get("/api/proposals", headers=h).status_code == 401
    assert web.client.post("/api/login", json={"username": "liming", "password": PASSWORD}).status_code == 401


def test_regenerate_makes_a_new_proposal_from_the_same_profile(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    h = web.token("liming")
    first = web.client.post("/api/proposals", json={"profile": profile_json()}, headers=h).json()
    again = web.client.post(f"/api/proposals/{first['id']}/regenerate", headers=h)
    assert again.status_code == 201
    detail = web.client.get(f"/api/proposals/{again.json()['id']}", headers=h).json()
    assert detail["regenerated_from"] == first["id"]
    assert detail["profile_sha256"] == web.client.get(f"/api/proposals/{first['id']}", headers=h).json()["profile_sha256"]


def test_the_session_is_reloaded_when_the_catalog_changes_on_disk(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    h = web.token("liming")
    pipeline = web.state.pipeline
    pipeline.CHECK_EVERY = 0
    web.client.post("/api/recommend", json=profile_json(), headers=h)
    loads = pipeline.loads
    web.client.post("/api/recommend", json=profile_json(), headers=h)
    assert pipeline.loads == loads  # nothing changed: the same session
    catalog = web.settings.workspace / "catalog" / "products.yaml"
    text = catalog.read_text("utf-8")
    assert "name: 集团彩铃" in text
    catalog.write_text(text.replace("name: 集团彩铃", "name: 集团彩铃尊享版", 1), "utf-8")
    body = web.client.post("/api/recommend", json=profile_json(), headers=h).json()
    assert pipeline.loads == loads + 1
    assert "集团彩铃尊享版" in [p["name"] for p in body["products"]]
    made = web.client.post("/api/proposals", json={"profile": profile_json()}, headers=h).json()
    detail = web.client.get(f"/api/proposals/{made['id']}", headers=h).json()
    import hashlib
    assert detail["catalog_sha256"] == hashlib.sha256(catalog.read_bytes()).hexdigest()


def test_gap_report_is_for_admins(web_sqlite):
    web = web_sqlite
    web.add_user("liming")
    web.add_user("boss", role="admin")
    profile = profile_json()
    profile["needs"]["marketing"].append("希望在月球上开设分公司并提供量子通信")
    web.client.post("/api/proposals", json={"profile": profile}, headers=web.token("liming"))
    assert web.client.get("/api/gaps", headers=web.token("liming")).status_code == 403
    gaps = web.client.get("/api/gaps", headers=web.token("boss")).json()
    assert any("月球" in g["statement"] and g["clients"] == ["华南精密制造有限公司"] for g in gaps)


def test_the_managers_choices_reach_the_quote_and_the_documents(web):
    web.add_user("liming", display_name="李明")
    h = web.token("liming")
    plain = web.client.post("/api/recommend", json=profile_json(), headers=h).json()
    assert "group_ringtone" in [p["id"] for p in plain["products"]]
    assert "cloud_video" not in [p["id"] for p in plain["products"]]
    profile = profile_json()
    profile["choices"] = {"drop": ["集团彩铃"], "add": ["云视讯"], "quantities": {"移动OA": 150}}
    rec = web.client.post("/api/recommend", json=profile, headers=h).json()
    ids = [p["id"] for p in rec["products"]]
    assert "group_ringtone" not in ids and "集团彩铃" not in json.dumps(rec, ensure_ascii=False)
    added = next(p for p in rec["products"] if p["name"] == "云视讯")
    assert added["chosen"] and added["reasons"][0].startswith("客户经理选定")
    oa = [ln for ln in rec["quote"]["lines"] if ln["name"] == "移动OA" and ln["rule"] != "fixed"]
    assert [(ln["quantity"], ln["source"]["basis"]) for ln in oa] == [(150, "客户经理指定")]
    assert any(ln["name"] == "云视讯" for ln in rec["quote"]["lines"])

    made = web.client.post("/api/proposals", json={"profile": profile}, headers=h).json()
    files = {f["name"]: f["url"] for f in made["files"]}
    word = word_text(web.client.get(files["proposal.docx"], headers=h).content)
    assert "集团彩铃" not in word and "彩铃" not in word
    assert "云视讯" in word and "依据：客户经理核定" in word and "150" in word  # the basis under the item
    slides, notes = deck_text(web.client.get(files["pitch.pptx"], headers=h).content)
    assert "集团彩铃" not in slides + notes and "云视讯" in slides
    assert "客户经理选定：云视讯" in notes  # the manager's own notes say why it is there
    detail = web.client.get(f"/api/proposals/{made['id']}", headers=h).json()
    assert detail["profile"]["choices"]["quantities"] == {"移动OA": 150}
    assert "group_ringtone" not in [p["id"] for p in detail["recommendation"]["products"]]
    # the statement only the dropped product answered is open for this client, but no gap in the catalog
    ringtone = next(s for s in plain["unmatched_needs"] + [x["statement"] for x in plain["statements"]]
                    if "嘟嘟声" in s)
    assert ringtone in rec["unmatched_needs"]
    web.add_user("boss", role="admin")
    gaps = web.browser("boss").get("/admin/gaps").text
    assert "产品缺口报告" in gaps and "嘟嘟声" not in gaps


def test_the_managers_own_name_phone_and_branch_fill_an_empty_visit(web_sqlite):
    web = web_sqlite
    web.add_user("liming", display_name="李明", phone="13912345678", branch="东莞")
    h = web.token("liming")
    profile = profile_json()
    profile.pop("visit")
    profile["client"].pop("region")
    made = web.client.post("/api/proposals", json={"profile": profile}, headers=h).json()
    detail = web.client.get(f"/api/proposals/{made['id']}", headers=h).json()
    assert detail["profile"]["visit"] == {"manager": "李明", "phone": "13912345678", "branch": "东莞"}
    issuer = detail["recommendation"]["issuer"]
    assert issuer["full_name"] == "中国移动通信集团广东有限公司东莞分公司"
    assert (issuer["manager"]["name"], issuer["manager"]["phone"]) == ("李明", "13912345678")
    word = word_text(web.client.get(f"/api/proposals/{made['id']}/files/proposal.docx", headers=h).content)
    assert "中国移动通信集团广东有限公司东莞分公司" in word and "13912345678" in word

    # the client's region picks the branch that serves it; a profile naming another manager keeps theirs
    profile = profile_json(region="深圳")
    profile["visit"] = {"manager": "王芳"}
    rec = web.client.post("/api/recommend", json=profile, headers=h).json()
    assert rec["issuer"]["full_name"] == "中国移动通信集团广东有限公司深圳分公司"
    assert rec["issuer"]["manager"]["name"] == "王芳" and rec["issuer"]["manager"]["phone"] != "13912345678"
