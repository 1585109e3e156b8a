"""catalog validate: one broken fixture per rule, file and line exact; waivers; editor schemas."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from conftest import FIXTURES, ROOT, Cli, copy_workspace
from pitchcraft.content import lint as lint_module
from pitchcraft.content.schemas import KINDS, dumps, schema_for
from pitchcraft.content.lint import RULES, absolute_terms, lint, split_front_matter
from pitchcraft.load import load_catalog, load_cases, load_profile
from pitchcraft.model.vocab import WAIVABLE_RULES
from pitchcraft.model.spec import Text, clean_text

LINT = FIXTURES / "lint"
CATALOG = LINT / "catalog.yaml"
CASES = LINT / "cases"
TODAY = dt.date(2026, 11, 23)  # the fixtures' dates are written against this day

# broken-catalog/<name>.yaml, linted with the clean cases: [(rule, severity, line, col)]
CATALOG_EXPECTED = {
    "yaml": [("yaml", "error", 16, 4)],
    "characters": [("characters", "warning", 12, 14)],
    "folded-text": [("folded-text", "warning", 23, 9)],
    "schema": [("schema", "error", 17, 5)],
    "unknown-field": [("unknown-field", "warning", 19, 5)],
    "duplicate-id": [("duplicate-id", "error", 41, 5)],
    "duplicate-name": [("duplicate-name", "error", 27, 19)],
    "dangling-ref": [("dangling-ref", "error", 19, 29)],
    "dangling-related-case": [("dangling-ref", "error", 19, 30)],
    "ref-conflict": [("ref-conflict", "error", 19, 16)],
    "tariff-negative": [("tariff-negative", "error", 24, 25)],
    "copy-figure": [("copy-figure", "error", 62, 29), ("copy-figure", "error", 89, 20)],
    "tariff-unit": [("tariff-unit", "error", 24, 40)],
    "tariff-expired": [("tariff-expired", "error", 24, 93)],
    "tariff-expired-order": [("tariff-expired", "error", 24, 70)],
    "tariff-expiring": [("tariff-expiring", "warning", 24, 93)],
    "tariff-quantity": [("tariff-quantity", "error", 24, 80)],
    "retired-referenced": [("retired-referenced", "error", 35, 16)],
    "absolute-claim": [("absolute-claim", "warning", 12, 16), ("absolute-claim", "warning", 12, 26),
                       ("absolute-claim", "warning", 15, 13)],
    "waiver": [("waiver", "error", 20, 9)],
    "waiver-unused": [("waiver", "warning", 36, 9)],
    "waived": [],
}

# broken-cases/<folder>/<file>.md, linted with the clean catalog: file -> [(rule, severity, line, col)]
CASE_EXPECTED = {
    "yaml/bad-yaml.md": [("yaml", "error", 9, 5)],
    "not-utf8/gbk-file.md": [("yaml", "error", 3, None)],
    "schema/bad-step.md": [("schema", "error", 12, 1)],
    "case-format/no-front-matter.md": [("case-format", "error", 1, 1)],
    "case-format-section/no-solution.md": [("case-format", "error", 15, 1)],
    "case-format-old/old-sections.md": [("case-format", "error", 15, 1), ("case-format", "error", 18, 1)],
    "case-format-placeholder/unfinished.md": [("case-format", "error", 19, 1)],
    "case-outcome/no-outcome.md": [("case-outcome", "error", 2, 1), ("case-outcome", "error", 15, 1)],
    "case-sales-story/seller-story.md": [("case-sales-story", "warning", 3, 8), ("case-sales-story", "warning", 15, 5),
                                         ("case-sales-story", "warning", 24, 17), ("case-sales-story", "warning", 24, 22),
                                         ("case-sales-story", "warning", 24, 28)],
    "case-sample/invented.md": [("case-sample", "warning", 4, 1)],
    "case-id/named-wrong.md": [("case-id", "error", 2, 1)],
    "case-consent/no-consent.md": [("case-consent", "error", 6, 3), ("case-consent", "error", 28, 1)],
    "case-stale/old-figures.md": [("case-stale", "warning", 9, 1)],
    "case-draft/half-written.md": [("case-draft", "warning", 7, 1)],
    "dangling-ref/unknown-product.md": [("dangling-ref", "error", 10, 18)],
    "retired-referenced/uses-blackberry.md": [("retired-referenced", "error", 10, 18)],
    "absolute-claim/bragging.md": [("absolute-claim", "warning", 23, 5)],
    "waiver/short-reason.md": [("waiver", "error", 15, 24)],
    "archived-retired/old-blackberry.md": [],  # an archived case may keep a retired product
}


def findings(report) -> list[tuple]:
    return [(p.rule, p.severity, p.line, p.col) for p in report.problems]


def test_every_fixture_has_an_expectation():
    assert sorted(p.stem for p in (LINT / "broken-catalog").glob("*.yaml")) == sorted(CATALOG_EXPECTED)
    found = sorted(str(p.relative_to(LINT / "broken-cases")) for p in (LINT / "broken-cases").rglob("*.md"))
    assert found == sorted(CASE_EXPECTED)


# broken-company/<name>.yaml (the issuer, catalog/company.yaml): [(rule, severity, line, col)]
COMPANY_EXPECTED = {
    "duplicate-id": [("duplicate-id", "error", 18, 5)],
    "duplicate-name": [("duplicate-name", "error", 22, 22)],   # 虎门镇 is 虎门, served already
    "dangling-ref": [("dangling-ref", "error", 29, 5)],
    "company-phone": [("company-phone", "error", 24, 5), ("company-phone", "error", 28, 5)],
    "company-example": [("company-example", "warning", 17, 5)],  # one for the file, not one per entry
    "company-waived": [],
}


def test_every_rule_has_a_broken_fixture():
    covered = {rule for exp in [*CATALOG_EXPECTED.values(), *CASE_EXPECTED.values(), *COMPANY_EXPECTED.values()]
               for rule, *_ in exp}
    covered.add("io")  # an unreadable file cannot be committed; see test_unreadable_case_file
    assert covered == set(RULES)


@pytest.mark.parametrize("name", sorted(COMPANY_EXPECTED))
def test_broken_company(name):
    path = LINT / "broken-company" / f"{name}.yaml"
    report = lint(CATALOG, CASES, today=TODAY, company_file=path)
    assert findings(report) == COMPANY_EXPECTED[name]
    assert all(p.file == path for p in report.problems)
    assert len(report.waived) == (1 if name == "company-waived" else 0)


def test_every_company_fixture_has_an_expectation():
    assert sorted(p.stem for p in (LINT / "broken-company").glob("*.yaml")) == sorted(COMPANY_EXPECTED)
    assert lint(CATALOG, CASES, today=TODAY, company_file=LINT / "company.yaml").problems == []


def test_the_clean_fixtures_pass():
    report = lint(CATALOG, CASES, today=TODAY)
    assert report.problems == [] and report.waived == []
    assert (report.products, report.cases) == (3, 1)


@pytest.mark.parametrize("name", sorted(CATALOG_EXPECTED))
def test_broken_catalog(name):
    path = LINT / "broken-catalog" / f"{name}.yaml"
    report = lint(path, CASES, today=TODAY)
    assert findings(report) == CATALOG_EXPECTED[name]
    assert all(p.file == path for p in report.problems)


@pytest.mark.parametrize("name", sorted(CASE_EXPECTED))
def test_broken_case(name):
    path = LINT / "broken-cases" / name
    report = lint(CATALOG, path.parent, today=TODAY)
    assert findings(report) == CASE_EXPECTED[name]
    assert all(p.file == path for p in report.problems)


def test_messages_say_what_to_do():
    report = lint(CATALOG, LINT / "broken-cases" / "retired-referenced", today=TODAY)
    assert "产品 blackberry 已下线，请改为 mobile_mail" in report.problems[0].message
    report = lint(CATALOG, LINT / "broken-cases" / "case-consent", today=TODAY)
    assert "请删除 real_name" in report.problems[0].message
    assert "请改用脱敏名称“华南某制造企业”" in report.problems[1].message
    report = lint(LINT / "broken-catalog" / "duplicate-name.yaml", CASES, today=TODAY)
    assert "“短号 集群网”同时指向 vpmn" in report.problems[0].message
    report = lint(LINT / "broken-catalog" / "absolute-claim.yaml", CASES, today=TODAY)
    assert "“第一”是广告法禁止的绝对化用语" in report.problems[0].message


def test_unreadable_case_file(tmp_path):
    cases = tmp_path / "cases"
    (cases / "folder-not-file.md").mkdir(parents=True)
    report = lint(CATALOG, cases, today=TODAY)
    assert findings(report) == [("io", "error", None, None)]


def test_a_broken_catalog_does_not_stop_the_cases(tmp_path):
    """Everything at once: the catalog's YAML error and the cases' own problems, no noise about
    products the unreadable catalog may well have."""
    report = lint(LINT / "broken-catalog" / "yaml.yaml", LINT / "broken-cases" / "case-stale", today=TODAY)
    assert [p.rule for p in report.problems] == ["yaml", "case-stale"]
    # and a broken product still counts as existing for the cases naming it
    report = lint(LINT / "broken-catalog" / "schema.yaml", CASES, today=TODAY)
    assert [p.rule for p in report.problems] == ["schema"]


def test_many_files_are_reported_together_in_order(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("case-id/named-wrong.md", "case-stale/old-figures.md", "dangling-ref/unknown-product.md"):
        shutil.copy(LINT / "broken-cases" / name, cases)
    report = lint(LINT / "broken-catalog" / "tariff-unit.yaml", cases, today=TODAY)
    assert [(Path(p.file).name, p.rule) for p in report.problems] == [
        ("tariff-unit.yaml", "tariff-unit"), ("named-wrong.md", "case-id"), ("old-figures.md", "case-stale"),
        ("unknown-product.md", "dangling-ref")]


def test_case_age_is_configurable():
    folder = LINT / "broken-cases" / "case-stale"  # figures of 2019
    assert [p.rule for p in lint(CATALOG, folder, today=TODAY, max_case_age=7).problems] == []
    assert [p.rule for p in lint(CATALOG, folder, today=TODAY, max_case_age=6).problems] == ["case-stale"]
    assert [p.rule for p in lint(CATALOG, folder, today=dt.date(2022, 1, 1)).problems] == []


def test_waived_findings_are_counted_not_shown():
    report = lint(LINT / "broken-catalog" / "waived.yaml", CASES, today=TODAY)
    assert report.problems == []
    assert [(p.rule, p.line) for p in report.waived] == [("absolute-claim", 12)]


def test_a_waiver_covers_only_its_term(tmp_path):
    text = (LINT / "broken-catalog" / "waived.yaml").read_text(encoding="utf-8")
    path = tmp_path / "products.yaml"
    path.write_text(text.replace("专为国家级专精特新企业设计", "专为国家级专精特新企业设计的顶级"), encoding="utf-8")
    report = lint(path, CASES, today=TODAY)
    assert [(p.rule, p.message.split("中的")[1][:4]) for p in report.problems] == [("absolute-claim", "“顶级”")]
    assert len(report.waived) == 1


def test_only_warnings_can_be_waived():
    assert set(WAIVABLE_RULES) <= {rule for rule, (severity, _) in RULES.items() if severity == "warning"}


# --- the command --------------------------------------------------------------------------------


def _workspace(tmp_path: Path, catalog: Path, cases: list[Path]) -> Path:
    ws = tmp_path / "ws"
    (ws / "catalog").mkdir(parents=True)
    (ws / "cases").mkdir()
    shutil.copy(catalog, ws / "catalog" / "products.yaml")
    shutil.copy(LINT / "company.yaml", ws / "catalog" / "company.yaml")  # a clean issuer
    for case in cases:
        shutil.copy(case, ws / "cases")
    return ws


def test_validate_prints_file_line_col_severity_and_rule(tmp_path):
    ws = _workspace(tmp_path, LINT / "broken-catalog" / "duplicate-id.yaml",
                    [CASES / "ok-case.md", LINT / "broken-cases" / "dangling-ref" / "unknown-product.md"])
    result = Cli(ws)("catalog", "validate", "--max-case-age", "100")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{ws / 'catalog' / 'products.yaml'}:41:5: error: vpmn.id: "
                        "产品 id vpmn 重复（第一次出现在第 8 行） [duplicate-id]")
    assert lines[1] == (f"{ws / 'cases' / 'unknown-product.md'}:10:18: error: products[1]: "
                        "产品 cloud_video 在产品目录中不存在 [dangling-ref]")
    assert lines[2].startswith("发现 2 个错误、0 条提示（4 个产品，2 个案例）")
    assert "Traceback" not in result.output


def test_warnings_alone_exit_zero_and_waivers_are_summed(tmp_path):
    ws = _workspace(tmp_path, LINT / "broken-catalog" / "waived.yaml",
                    [CASES / "ok-case.md", LINT / "broken-cases" / "case-draft" / "half-written.md"])
    result = Cli(ws)("catalog", "validate", "--max-case-age", "100")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "产品目录和案例库检查通过：3 个产品，2 个案例；1 条提示，1 条已说明理由的提示。"
    assert "[case-draft]" in result.stdout


def test_validate_json_for_ci(tmp_path):
    ws = _workspace(tmp_path, LINT / "broken-catalog" / "tariff-unit.yaml", [CASES / "ok-case.md"])
    result = Cli(ws)("catalog", "validate", "--format", "json", "--max-case-age", "100")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["summary"] == {"products": 3, "cases": 1, "errors": 1, "warnings": 0, "waived": 0}
    assert data["problems"] == [{
        "file": str(ws / "catalog" / "products.yaml"), "line": 24, "col": 40, "severity": "error",
        "rule": "tariff-unit", "field": "vpmn.tariff.items[0].unit",
        "message": "未知的计费单位 'minute'，可选：每成员、每用户、每站点、每账户、每终端、每套、每邮箱、每车"}]


def test_generate_refuses_what_validate_rejects_but_not_drafts(tmp_path):
    example = ROOT / "examples" / "precision-manufacturing.yaml"
    ws = tmp_path / "ws"
    copy_workspace(ws)
    cli = Cli(ws)
    text = (LINT / "broken-cases" / "case-consent" / "no-consent.md").read_text(encoding="utf-8")
    (ws / "cases" / "no-consent.md").write_text(text, encoding="utf-8")
    result = cli("recommend", example, "--json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "[case-consent]" in result.stderr
    (ws / "cases" / "no-consent.md").unlink()
    draft = (LINT / "broken-cases" / "case-draft" / "half-written.md").read_text(encoding="utf-8")
    (ws / "cases" / "half-written.md").write_text(draft.replace("products: [vpmn]", "products: [nothing_yet]"),
                                                  encoding="utf-8")
    result = cli("recommend", example, "--json")
    assert result.exit_code == 0, result.stderr
    assert "half-written" not in result.stdout
    assert cli("catalog", "validate").exit_code == 1  # the draft's unknown product is still reported there


def test_load_cases_leaves_out_drafts_and_archived():
    catalog, _ = load_catalog(CATALOG)
    for folder in ("case-draft", "archived-retired"):
        cases, _ = load_cases(LINT / "broken-cases" / folder, catalog)
        assert cases == []
        everything, _ = load_cases(LINT / "broken-cases" / folder, catalog, include_inactive=True)
        assert [c.status for c in everything] in (["draft"], ["archived"])


# --- the shipped content -------------------------------------------------------------------------


def test_shipped_content_has_no_errors_and_no_unexplained_warnings():
    report = lint(ROOT / "catalog" / "products.yaml", ROOT / "cases")
    # every shipped case is an invented example, and validate says so for each (replace before use)
    samples = [p for p in report.problems if p.rule == "case-sample"]
    assert len(samples) == report.cases and all(p.severity == "warning" and p.line for p in samples)
    assert [str(p) for p in report.problems if p.rule != "case-sample"] == []
    assert report.products >= 25 and report.cases >= 16


def test_a_renamed_product_keeps_its_old_name_as_alias(tmp_path):
    """A product manager renames 集团V网; profiles written before still name it the old way."""
    text = (ROOT / "catalog" / "products.yaml").read_text(encoding="utf-8")
    old = "    name: 集团V网\n    aliases: [短号集群网,"
    assert old in text
    renamed = tmp_path / "ws"
    copy_workspace(renamed)
    (renamed / "catalog" / "products.yaml").write_text(
        text.replace(old, "    name: 集团虚拟专网\n    aliases: [集团V网, 短号集群网,"), encoding="utf-8")
    catalog, _ = load_catalog(renamed / "catalog" / "products.yaml")
    assert catalog.resolve("集团V网").id == catalog.resolve("集团虚拟专网").id == "vpmn"
    assert catalog.resolve(" 集团Ｖ网 ").id == "vpmn"  # width and spaces do not matter
    assert catalog.resolve("vpmn").name == "集团虚拟专网"

    profile = tmp_path / "old-profile.yaml"
    profile.write_text((ROOT / "examples" / "precision-manufacturing.yaml").read_text(encoding="utf-8")
                       .replace("  competitor: 中国电信\n", "  competitor: 中国电信\n  current_services: [集团V网]\n"),
                       encoding="utf-8")
    assert load_profile(profile)[0].current_services == ("集团V网",)
    cli = Cli(renamed)
    assert cli("catalog", "validate").exit_code == 0
    result = cli("recommend", profile, "--json")
    assert result.exit_code == 0, result.stderr
    products = {p["id"]: p for p in json.loads(result.stdout)["products"]}
    assert products["vpmn"]["existing"] is True and products["vpmn"]["name"] == "集团虚拟专网"
    assert "注意" not in result.stderr  # no "current service not found in the catalog"


# --- parallel reading gives the same report --------------------------------------------------------


def test_parallel_reading_reports_the_same(tmp_path, monkeypatch):
    cases = tmp_path / "cases"
    cases.mkdir()
    ok = (CASES / "ok-case.md").read_text(encoding="utf-8")
    for i in range(40):
        (cases / f"case-{i:02d}.md").write_text(ok.replace("id: ok-case", f"id: case-{i:02d}"), encoding="utf-8")
    for name in CASE_EXPECTED:
        shutil.copy(LINT / "broken-cases" / name, cases)
    sequential = lint(CATALOG, cases, today=TODAY, jobs=1)
    monkeypatch.setattr(lint_module, "PARALLEL_MIN_FILES", 10)
    parallel = lint(CATALOG, cases, today=TODAY, jobs=2)
    assert parallel == sequential
    assert len(sequential.problems) == sum(len(v) for v in CASE_EXPECTED.values())


# --- pieces ---------------------------------------------------------------------------------------


def test_absolute_terms_leave_ordinals_and_limits_alone():
    text = "最多 3 个号码，最近一次，第一次上门，第一时间处理，唯一编号，可用率 99.9%，增长 1100%，0.100% 的误差"
    assert absolute_terms(text) == []
    flagged = "行业最好，全省第一名，唯一的选择，国家级平台，顶级配置，100%覆盖，百分之百，100.0 ％ 到达"
    assert [t for _, t in absolute_terms(flagged)] == ["最", "第一", "唯一", "国家级", "顶级", "100%", "百分之百", "100.0 ％"]


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.S | re.M)


@given(st.lists(st.sampled_from(["---", "--- ", "----", "a: 1", " ---", "x", "", "---\r", "b: '---'"]),
                max_size=8))
def test_front_matter_split_matches_its_definition(lines):
    text = "\n".join(lines)
    m = _FRONT.match(text)
    expected = (m.group(1), text[m.end():], text[:m.end()].count("\n") + 1) if m else None
    assert split_front_matter(text) == expected


def _clean_reference(value: str, multiline: bool = False) -> str:
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]", "", value)
    if multiline:
        lines = [re.sub(r"[ \u3000]+", " ", ln).strip() for ln in value.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return re.sub(r"\s+", " ", value).strip()


@given(st.text(alphabet=st.sampled_from(list("ab 话费\t\n\r\u3000\u200b\ufeff\x07\x85\u2028e\u0301é")), max_size=30),
       st.booleans())
def test_clean_text_fast_path_changes_nothing(value, multiline):
    assert clean_text(value, multiline) == _clean_reference(value, multiline)
    if Text(multiline=multiline).as_is(value):  # taken as written, multi-line text too, by a Record or a list
        assert _clean_reference(value, multiline) == value


# --- editor schemas -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_shipped_schemas_are_the_generated_ones(kind, shipped_cli):
    shipped = (ROOT / "schemas" / KINDS[kind][1]).read_text(encoding="utf-8")
    assert shipped == dumps(kind), f"regenerate: pitchcraft schema {kind} -o schemas/{KINDS[kind][1]}"
    assert shipped_cli("schema", kind).stdout == shipped


def test_vscode_maps_the_schemas_to_the_files():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert "/catalog/products.yaml" in mapping["./schemas/products.schema.json"]
    assert "/examples/*.yaml" in mapping["./schemas/profile.schema.json"]
    for schema_file in mapping:
        assert (ROOT / schema_file).is_file()


def test_schema_follows_the_spec():
    products = schema_for("products")
    product = products["properties"]["products"]["items"]
    assert {"id", "name", "category", "tariff"} <= set(product["required"])
    assert product["additionalProperties"] is False  # a misspelt key is underlined
    assert "minute" not in product["properties"]["tariff"]["properties"]["items"]["items"]["properties"]["unit"]["enum"]
    assert None in product["properties"]["status"]["enum"]  # `status: null` means the default
    assert "requires" in product["properties"] and "waivers" in product["properties"]
    case = schema_for("cases")
    assert case["properties"]["client"]["properties"]["consent"]["type"] == ["boolean", "null"]
    profile = schema_for("profile")
    assert "additionalProperties" not in profile  # profiles may carry extra keys (contract)
    assert "基础通信" in profile["properties"]["needs"]["properties"]


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()  # what an editor sees: YAML 1.2 has no date type
    return value


def test_shipped_files_satisfy_their_schemas_and_mistakes_do_not():
    jsonschema = pytest.importorskip("jsonschema")

    def errors(kind: str, data) -> list[str]:
        return [e.message for e in jsonschema.Draft7Validator(schema_for(kind)).iter_errors(_plain(data))]

    assert errors("products", yaml.safe_load((ROOT / "catalog" / "products.yaml").read_text(encoding="utf-8"))) == []
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        assert errors("profile", yaml.safe_load(example.read_text(encoding="utf-8"))) == [], example
    for case in sorted((ROOT / "cases").glob("*.md")):
        front = split_front_matter(case.read_text(encoding="utf-8"))[0]
        assert errors("cases", yaml.safe_load(front)) == [], case
    for name in ("tariff-unit", "unknown-field", "schema", "waiver"):
        data = yaml.safe_load((LINT / "broken-catalog" / f"{name}.yaml").read_text(encoding="utf-8"))
        assert errors("products", data), name


def test_rules_are_documented_with_an_example():
    docs = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"### `{rule}`" in docs, rule
        section = docs.split(f"### `{rule}`")[1].split("\n### ")[0]
        assert f"[{rule}]" in section, f"{rule}: no example output"
