"""Importing property companies and communities through the communities services."""

from __future__ import annotations

from sqlalchemy import func, select

from liandu_desk.cli import main
from liandu_desk.domain.communities import Community, GridStaff, PropertyCompany
from liandu_desk.domain.validators import uscc_check_char
from liandu_desk.services.imports.communities import COMMUNITY_COLUMNS, COMPANY_COLUMNS, import_records
from liandu_desk.services.imports.houses import ImportOptions
from tests.import_factories import write_xlsx

COMPANY_HEADERS = [c.header for c in COMPANY_COLUMNS]
COMMUNITY_HEADERS = [c.header for c in COMMUNITY_COLUMNS]


def uscc(i: int) -> str:
    first = f"91331102MA2{i:06d}"
    return first + uscc_check_char(first)


def company(i: int, **over):
    row = {"企业名称": f"丽水第{i}物业有限公司", "统一社会信用代码": uscc(i), "联系人": "周经理"}
    row["联系电话"] = "0578-2123456"
    return row | over


def community(i: int, **over):
    row = {
        "乡镇（街道）": "紫金",
        "所属社区": "囿山社区",
        "小区名称": f"望湖公寓{i}期",
        "户数": "120户",
        "幢数": 6,
        "封闭式物管": "是",
        "小区类型": "智慧管理型",
        "物业企业": "丽水第1物业有限公司",
        "网格员": "陈网格",
    }
    return row | over


def count(db, model) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_companies_rules_dry_run_and_idempotent_import(db, tmp_path):
    rows = [company(1), company(2, 统一社会信用代码="91331102MA2000002X"), company(3, 企业名称=None), company(1)]
    path = write_xlsx(tmp_path / "c.xlsx", rows, headers=COMPANY_HEADERS)
    dry = import_records(db, "companies", path, ImportOptions(dry_run=True))
    expected = [(6, "统一社会信用代码"), (7, "企业名称"), (8, "统一社会信用代码")]
    assert [(r.row, r.column) for r in dry.rejections] == expected
    assert "第5行" in dry.rejections[-1].reason
    assert count(db, PropertyCompany) == 0
    assert not import_records(db, "companies", path).written and count(db, PropertyCompany) == 0
    result = import_records(db, "companies", path, ImportOptions(skip_invalid=True))
    assert result.written and result.created == 1 and count(db, PropertyCompany) == 1
    again = import_records(db, "companies", path, ImportOptions(skip_invalid=True))
    assert again.created == 0 and again.updated == 0 and count(db, PropertyCompany) == 1


def test_communities_need_their_company_and_create_division_and_staff(db, tmp_path):
    import_records(db, "companies", write_xlsx(tmp_path / "c.xlsx", [company(1)], headers=COMPANY_HEADERS))
    rows = [community(1), community(2, 物业企业="没有这家"), community(3, 小区类型="豪华型"), community(1, 户数=130)]
    path = write_xlsx(tmp_path / "m.xlsx", rows, headers=COMMUNITY_HEADERS)
    result = import_records(db, "communities", path, ImportOptions(skip_invalid=True))
    assert [(r.row, r.column) for r in result.rejections] == [(6, "物业企业"), (7, "小区类型"), (8, "小区名称")]
    assert result.created == 1
    with db.session_scope() as s:
        row = s.scalar(select(Community))
        assert (row.households, row.buildings, row.closed_managed) == (120, 6, True)
        assert s.scalar(select(func.count()).select_from(GridStaff)) == 1


def test_cli_imports_companies_and_writes_template(db_path, tmp_path, capsys):
    path = write_xlsx(tmp_path / "c.xlsx", [company(1)], headers=COMPANY_HEADERS)
    assert main(["import", "companies", str(path), "--db", str(db_path)]) == 0
    assert "新增 1" in capsys.readouterr().out
    out = tmp_path / "t.xlsx"
    assert main(["import", "template", "--layout", "communities", "--out", str(out), "--db", str(db_path)]) == 0
    assert out.exists()
