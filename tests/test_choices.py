"""The manager's word is final: ``choices`` add, drop and quantities, in the recommendation, the
quote, recommend --json and both documents; bad names are bad input with file:line:field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from docreader import docx_text, pptx_slides

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "precision-manufacturing.yaml"


def with_choices(tmp: Path, choices: dict | str, name: str = "p.yaml") -> Path:
    """The example profile with a ``choices:`` block appended as written (so lines are known)."""
    text = EXAMPLE.read_text(encoding="utf-8").rstrip("\n") + "\n"
    block = choices if isinstance(choices, str) else yaml.safe_dump({"choices": choices}, allow_unicode=True)
    path = tmp / name
    path.write_text(text + block, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


def recommend_json(cli, path: Path) -> dict:
    result = cli("recommend", path, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_without_choices_the_example_pitches_the_ringtone(shipped_cli):
    """The drop below means something: the matcher does pick 集团彩铃 here, and not 云视讯."""
    ids = [p["id"] for p in recommend_json(shipped_cli, EXAMPLE)["products"]]
    assert "group_ringtone" in ids and "cloud_video" not in ids


def test_added_and_dropped_in_recommend_json(shipped_cli, tmp_path):
    path = with_choices(tmp_path, {"add": ["云视频会议"], "drop": ["企业彩铃"]})  # aliases of 云视讯 and 集团彩铃
    data = recommend_json(shipped_cli, path)
    products = {p["id"]: p for p in data["products"]}
    assert "group_ringtone" not in products
    assert "cloud_video" in products
    assert any("客户经理选定" in r for r in products["cloud_video"]["reasons"])
    assert products["cloud_video"]["chosen"] is True and products["cloud_video"]["confidence"] == "明确"
    assert not any(p["chosen"] for pid, p in products.items() if pid != "cloud_video")
    # the dropped product is nowhere: not in the quote, not as any statement's answer
    text = json.dumps(data, ensure_ascii=False)
    assert "group_ringtone" not in text and "集团彩铃" not in text
    assert any(ln["product_id"] == "cloud_video" for ln in data["quote"]["lines"])
    # the statement only the ringtone answered is left to discuss
    assert any("嘟嘟声" in s for s in data["unmatched_needs"])


def test_an_added_product_the_matcher_picked_anyway_is_marked_chosen_once(shipped_cli, tmp_path):
    data = recommend_json(shipped_cli, with_choices(tmp_path, {"add": ["vpmn", "集团V网"]}))
    vnet = [p for p in data["products"] if p["id"] == "vpmn"]
    assert len(vnet) == 1
    assert sum("客户经理选定" in r for r in vnet[0]["reasons"]) == 1
    assert any("客户提到" in r for r in vnet[0]["reasons"])  # the matcher's own reasons stay


def test_choices_quantities_by_alias_replace_the_estimate_and_say_so(shipped_cli, tmp_path):
    data = recommend_json(shipped_cli, with_choices(tmp_path, {"quantities": {"集团短号": 640}}))
    vnet = [ln for ln in data["quote"]["lines"] if ln["product_id"] == "vpmn"]
    assert sum(ln["quantity"] for ln in vnet) == 640
    assert all(ln["rule"] == "choices" and ln["source"]["basis"] == "客户经理指定" for ln in vnet)


def test_the_human_table_says_the_manager_chose_it(shipped_cli, tmp_path):
    out = shipped_cli("recommend", with_choices(tmp_path, {"add": ["云视讯"]})).stdout
    line = next(ln for ln in out.splitlines() if "云视讯〔" in ln)
    assert "客户经理选定" in line and "匹配度" not in line
    assert line.rstrip().endswith("→ 写入建议书和 PPT")  # chosen: in the proposal and deck


def test_both_documents_obey(cli, tmp_path):
    path = with_choices(tmp_path, {"add": ["云视讯"], "drop": ["集团彩铃"]})
    out = tmp_path / "out"
    result = cli("generate", path, "--out", out)
    assert result.exit_code == 0, result.output
    folder = next(out.iterdir())
    doc = docx_text(folder / "proposal.docx")
    deck = "\n".join(s["text"] for s in pptx_slides(folder / "pitch.pptx"))
    for text in (doc, deck):
        assert "云视讯" in text
        assert "集团彩铃" not in text and "企业彩铃" not in text


@pytest.mark.parametrize("choices, field, needle, words", [
    ({"add": ["集团V网", "火箭发射服务"]}, "choices.add[1]", "火箭发射服务", "产品目录中没有“火箭发射服务”"),
    ({"drop": ["不存在的产品"]}, "choices.drop[0]", "不存在的产品", "产品目录中没有"),
    ({"quantities": {"神秘产品": 5}}, "choices.quantities.神秘产品", "神秘产品", "产品目录中没有"),
    ({"add": ["集团彩铃"], "drop": ["企业彩铃"]}, "choices.drop[0]", "企业彩铃", "同时写在 add（加入）和 drop（去掉）中"),
    ({"add": ["blackberry"]}, "choices.add[0]", "blackberry", "已下线"),
])
def test_bad_choices_are_bad_input_with_file_line_and_field(cli, tmp_path, choices, field, needle, words):
    path = with_choices(tmp_path, choices)
    out = tmp_path / "out"
    for args in (("recommend", path, "--json"), ("generate", path, "--out", out)):
        result = cli(*args)
        assert result.exit_code != 0
        err = result.stderr if hasattr(result, "stderr") else result.output
        assert f"{path.name}:{line_of(path, needle)}" in err and field in err and words in err, err
        assert "Traceback" not in err
    assert not out.exists()


def test_choices_of_the_wrong_type_are_reported_by_the_schema(cli, tmp_path):
    path = with_choices(tmp_path, "choices:\n  quantities:\n    集团V网: 很多\n")
    result = cli("recommend", path)
    assert result.exit_code != 0 and "choices.quantities" in result.output and "Traceback" not in result.output


def test_an_added_product_with_no_statement_shows_no_empty_quotation(cli, tmp_path):
    """A product the manager added answers none of the client's statements: its slide says it is a
    suggestion of ours, never an empty “您的原话” panel or words the client did not say."""
    path = with_choices(tmp_path, {"add": ["云视讯"]})
    out = tmp_path / "out"
    result = cli("generate", path, "--out", out)
    assert result.exit_code == 0, result.output
    slides = pptx_slides(next(out.iterdir()) / "pitch.pptx")
    answer = [s for s in slides if "我们的做法　云视讯" in s["text"]]  # named under the slide's title
    assert answer, "the added product has its own slide"
    assert "补充建议" in answer[0]["text"] and "您的原话" not in answer[0]["text"]
