"""import: a CRM client list into profiles; every skipped row reported with its reason; all or nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import FIXTURES
from pitchcraft.prep import importer
from pitchcraft.prep.importer import import_clients, split_statements
from pitchcraft.load import load_catalog, load_profile

IMPORT = FIXTURES / "import"

HEADER = ["客户名称", "行业", "客户等级", "地区", "竞争对手", "需求描述", "服务营销需求", "关键人", "职务",
          "客户经理", "联系电话", "拜访日期", "备注"]
# No 员工数 or 网点数 column at all: those fields are optional and simply stay empty.
ROWS = [
    # row 3: good; a numbered multi-line need cell, a category column, one key person
    ["华南精密制造有限公司", "制造业", "A类", "深圳", "中国电信",
     "1、三个厂区的主管、班组长之间一天打几十个电话，话费报销好几万\n2、外地的销售谈好了合同，要等老板回公司签字",
     "客户打电话进来只听到嘟嘟声，想让他们听到我们的认证", "王建国", "总经理", "李明", 13800000000, "2026-12-01", "老客户"],
    # row 4: unknown industry
    ["东莞航天科技有限公司", "航天", "B", "东莞", None, "员工出差多，审批单要等领导回来签", None, None, None,
     "李明", None, None, None],
    # row 5: the same client again
    ["华南精密制造有限公司", "制造业", "A", "深圳", None, "想装摄像头看仓库", None, None, None, None, None, None, None],
    # row 6: the 行业 cell is empty
    ["佛山某物流公司", None, "C", "佛山", None, "调度一天给几十个司机打电话", None, None, None, None, None, None, None],
    # row 7: no need statement at all
    ["佛山五金店", "零售", "C", "佛山", None, None, None, None, None, None, None, None, None],
    # row 8: blank line (ignored, not reported)
    [None] * 13,
    # row 9: good; 商贸 is a Chinese name of retail; 无 in a cell means nothing
    ["顺德连锁超市有限公司", "商贸", "B", "顺德", "无", "门店的座机人一出门就没人接；想给老会员发优惠券，让他们回来消费",
     None, None, None, "王芳", "13900000000", "2026/12/3", None],
    # row 10: no client name
    [None, "金融", "A", None, None, "客户账户有资金进出要马上短信通知", None, None, None, None, None, None, None],
    # row 11: a bad date and an unknown tier, both reported
    ["禅城区某中学", "教育", "D", None, None, "要通知全校几百位家长开会", None, None, None, None, None, "下周三", None],
]


def _xlsx(path: Path, header=HEADER, rows=ROWS, title=True) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "客户清单"
    if title:
        ws.append(["集团客户清单（CRM 导出，2026-11-20）"])  # a title row above the header, as CRM exports have
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _report(folder: Path) -> list[dict]:
    with open(folder / "import-report.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_good_rows_become_profiles_and_the_rest_is_reported(cli, tmp_path):
    source = _xlsx(tmp_path / "clients.xlsx")
    out = tmp_path / "profiles"
    result = cli("import", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output

    written = sorted(p.name for p in out.glob("*.yaml"))
    assert written == ["华南精密制造有限公司.yaml", "顺德连锁超市有限公司.yaml"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging or temporary file left

    first, _ = load_profile(out / "华南精密制造有限公司.yaml")
    assert first.industry == "manufacturing" and first.tier == "A" and first.competitor == "中国电信"
    assert first.employees is None and first.sites is None       # columns the file does not have
    statements = [s for _c, s in first.statements()]
    assert statements[:2] == ["三个厂区的主管、班组长之间一天打几十个电话，话费报销好几万",
                              "外地的销售谈好了合同，要等老板回公司签字"]
    assert first.needs["marketing"] == ("客户打电话进来只听到嘟嘟声，想让他们听到我们的认证",)
    assert first.needs["basic_comms"][0].startswith("三个厂区")     # sorted into its area by the catalog
    assert first.needs["mobile_office"] == ("外地的销售谈好了合同，要等老板回公司签字",)
    assert [(c.name, c.title) for c in first.contacts] == [("王建国", "总经理")]
    assert first.manager_phone == "13800000000" and first.visit_date.isoformat() == "2026-12-01"

    second, _ = load_profile(out / "顺德连锁超市有限公司.yaml")
    assert second.industry == "retail" and second.competitor is None
    assert second.visit_date.isoformat() == "2026-12-03"
    assert "想给老会员发优惠券，让他们回来消费" in second.needs["marketing"]

    report = {int(r["行号"]): r for r in _report(out)}
    assert sorted(report) == [3, 4, 5, 6, 7, 9, 10, 11]
    assert report[3]["结果"] == "已导入" and report[3]["档案文件"] == "华南精密制造有限公司.yaml"
    assert report[4]["结果"] == "已跳过" and "未知的行业 '航天'" in report[4]["原因或说明"]
    assert "制造业" in report[4]["原因或说明"]                            # the choices, in Chinese
    assert "客户重复" in report[5]["原因或说明"] and "第 3 行" in report[5]["原因或说明"]
    assert "缺少行业" in report[6]["原因或说明"]
    assert "没有需求描述" in report[7]["原因或说明"]
    assert "缺少客户名称" in report[10]["原因或说明"]
    assert "客户等级" in report[11]["原因或说明"] and "'D'" in report[11]["原因或说明"]
    assert "拜访日期" in report[11]["原因或说明"] and "下周三" in report[11]["原因或说明"]

    # the same on screen, with the unknown column named
    assert "导入 2 个档案，跳过 6 行" in result.output
    assert "航天" in result.output and "客户重复" in result.output
    assert "备注" in result.output

    rec = cli("recommend", out / "华南精密制造有限公司.yaml", "--json")
    assert rec.exit_code == 0, rec.stderr
    assert json.loads(rec.stdout)["products"]


def test_a_required_column_missing_writes_nothing(cli, tmp_path):
    header = [h for h in HEADER if h != "行业"]
    rows = [[v for h, v in zip(HEADER, row) if h != "行业"] for row in ROWS]
    source = _xlsx(tmp_path / "clients.xlsx", header, rows)
    out = tmp_path / "profiles"
    result = cli("import", source, "--out", out)
    assert result.exit_code == 1
    assert "找不到必需的列：行业" in result.stderr and "--mapping" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_no_name_column_writes_nothing(cli, tmp_path):
    source = _xlsx(tmp_path / "clients.xlsx", ["名字", *HEADER[1:]], ROWS)
    result = cli("import", source, "--out", tmp_path / "profiles")
    assert result.exit_code == 1
    assert "找不到客户名称列" in result.stderr
    assert not (tmp_path / "profiles").exists()


def test_existing_profiles_are_kept_unless_forced(cli, tmp_path):
    source = _xlsx(tmp_path / "clients.xlsx")
    out = tmp_path / "profiles"
    out.mkdir()
    mine = out / "华南精密制造有限公司.yaml"
    mine.write_text("# edited by hand\n", encoding="utf-8")
    result = cli("import", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert mine.read_text(encoding="utf-8") == "# edited by hand\n"
    report = {int(r["行号"]): r for r in _report(out)}
    assert report[3]["结果"] == "已跳过" and "档案文件已存在" in report[3]["原因或说明"]
    assert (out / "顺德连锁超市有限公司.yaml").exists()

    forced = cli("import", source, "--out", out, "--force")
    assert forced.exit_code == 0, forced.output
    assert load_profile(mine)[0].name == "华南精密制造有限公司"


def test_nothing_is_half_written(workspace, tmp_path, monkeypatch):
    """A failure while staging the second profile leaves no profile and no staging folder behind."""
    catalog, _ = load_catalog(workspace / "catalog" / "products.yaml")
    source = _xlsx(tmp_path / "clients.xlsx")
    out = tmp_path / "profiles"
    real = importer.stage_profile
    calls = []

    def failing(folder, name, data, **options):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(folder, name, data, **options)

    monkeypatch.setattr(importer, "stage_profile", failing)
    with pytest.raises(OSError):
        import_clients(source, out, catalog)
    assert len(calls) == 2
    assert list(out.iterdir()) == []


def test_gbk_csv_is_read_with_a_note(cli, tmp_path):
    out = tmp_path / "profiles"
    result = cli("import", IMPORT / "clients-gbk.csv", "--out", out)
    assert result.exit_code == 0, result.output
    assert "GBK" in result.output
    factory, _ = load_profile(out / "佛山顺德五金制品厂.yaml")
    assert factory.employees == 120 and factory.sites == 2 and factory.tier == "C"
    assert factory.region == "佛山顺德" and factory.visit_date.isoformat() == "2026-12-03"
    assert len(factory.statements()) == 2
    clinic, _ = load_profile(out / "禅城社区卫生服务中心.yaml")
    assert clinic.industry == "healthcare"
    assert clinic.current_services == ("集团V网", "集团彩铃")


def test_mapping_file_overrides_the_default(cli, tmp_path):
    header = ["内部编号", "单位全称", "所属板块", "职工总数", "通信方面", "痛点描述", "客户名称"]
    rows = [["K001", "江门水务集团", "水务", "1,500人", "各泵站之间联络靠手机，话费高",
             "泵站设备数据要传回调度中心；抄表员拿本子抄表，回来再录进电脑", "（勿用）"]]
    source = _xlsx(tmp_path / "crm.xlsx", header, rows, title=False)
    out = tmp_path / "profiles"
    result = cli("import", source, "--out", out, "--mapping", IMPORT / "mapping.yaml")
    assert result.exit_code == 0, result.output
    profile, _ = load_profile(out / "江门水务集团.yaml")
    assert profile.industry == "utilities" and profile.employees == 1500
    assert profile.needs["basic_comms"][0] == "各泵站之间联络靠手机，话费高"
    assert len(profile.statements()) == 3
    assert "内部编号" not in result.output  # mapped to null: ignored without a note


def test_bad_mapping_file_names_file_and_line(cli, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  单位全称: client.name\n  所属板块: client.sector\n", encoding="utf-8")
    source = _xlsx(tmp_path / "clients.xlsx")
    result = cli("import", source, "--out", tmp_path / "profiles", "--mapping", mapping)
    assert result.exit_code == 1
    assert f"{mapping}:3" in result.stderr and "未知的字段 'client.sector'" in result.stderr
    assert not (tmp_path / "profiles").exists()


def test_unsupported_files_are_refused(cli, tmp_path):
    old = tmp_path / "clients.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("import", old, "--out", tmp_path / "p")
    assert result.exit_code == 1 and "另存为" in result.stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    result = cli("import", broken, "--out", tmp_path / "p")
    assert result.exit_code == 1 and "无法打开 Excel 文件" in result.stderr
    assert "Traceback" not in result.output


def test_other_sheet(cli, tmp_path):
    source = _xlsx(tmp_path / "clients.xlsx")
    result = cli("import", source, "--out", tmp_path / "p", "--sheet", "第二页")
    assert result.exit_code == 1 and "没有名为“第二页”的工作表" in result.stderr


def test_all_rows_bad_is_an_error_with_a_report(cli, tmp_path):
    source = _xlsx(tmp_path / "clients.xlsx", rows=[ROWS[1], ROWS[3]])
    out = tmp_path / "profiles"
    result = cli("import", source, "--out", out)
    assert result.exit_code == 1
    assert "没有导入任何客户档案" in result.stderr
    assert not list(out.glob("*.yaml"))
    assert [r["结果"] for r in _report(out)] == ["已跳过", "已跳过"]


@pytest.mark.parametrize("cell, expected", [
    ("1、话费高\n2、审批慢", ["话费高", "审批慢"]),
    ("话费高；审批慢;通知难", ["话费高", "审批慢", "通知难"]),
    ("（1）话费高 （2）审批慢。", ["话费高", "审批慢"]),
    ("主管、班组长之间电话多", ["主管、班组长之间电话多"]),
    ("带宽2.5M不够用", ["带宽2.5M不够用"]),
])
def test_split_statements(cell, expected):
    assert split_statements(cell) == expected
