"""Bad profiles: a clear message naming file, line and field; non-zero exit; nothing written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import FIXTURES

INVALID = FIXTURES / "invalid" / "profiles"

# file -> (line, field, words the message must contain)
EXPECTED = {
    "yaml-syntax.yaml": (7, "", "YAML 语法错误"),
    "wrong-type.yaml": (4, "client.employees", "应为整数"),
    "unknown-industry.yaml": (3, "client.industry", "未知的行业 '航天'"),
    "tier-d.yaml": (4, "client.tier", "未知的客户价值等级 'D'"),
    "no-needs.yaml": (4, "needs", "至少需要一条需求描述"),
    "empty.yaml": (1, "", "文件是空的"),
    "not-utf8.yaml": (2, "", "不是 UTF-8"),
    "top-level-list.yaml": (1, "", "最外层应为键值对"),
    "python-tag.yaml": (2, "client.name", "不支持的 YAML 标签 tag:yaml.org,2002:python/object/apply"),
    "missing-client-name.yaml": (1, "client", "缺少必填字段 name"),
    "duplicate-key.yaml": (4, "client.industry", "重复"),
    "bad-bool-tag.yaml": (4, "client.tier", "不是有效的是/否"),
    "bad-timestamp-tag.yaml": (4, "visit_date", "不是有效的日期"),
}


def test_every_invalid_fixture_has_an_expectation():
    assert sorted(p.name for p in INVALID.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_profile_is_refused_with_file_line_and_field(cli, workspace, tmp_path, name):
    line, field, words = EXPECTED[name]
    out = tmp_path / "out"
    result = cli("generate", INVALID / name, "--out", out)
    assert result.exit_code == 1
    message = result.stderr
    assert f"{INVALID / name}:{line}" in message
    if field:
        assert f" {field}:" in message
    assert words in message
    assert "Traceback" not in message
    assert not out.exists() or not any(out.iterdir())


def test_recommend_refuses_too(cli):
    result = cli("recommend", INVALID / "tier-d.yaml", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""


def test_missing_profile_file(cli, tmp_path):
    result = cli("recommend", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "文件不存在" in result.stderr


def test_process_level_no_traceback(tmp_path):
    """As a real process: stderr has the message, no Python traceback, exit status 1."""
    run = subprocess.run([sys.executable, "-m", "pitchcraft", "--workspace", str(FIXTURES / "mini"),
                          "recommend", str(INVALID / "python-tag.yaml")], capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "python/object/apply" in run.stderr
