"""Records: property companies with validated credit codes, communities, grid staff assignment."""

from __future__ import annotations

import pytest
from communities_factories import make_company, valid_uscc

from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.communities import records


def test_company_credit_code_is_checked_and_unique(db):
    with db.session_scope() as s:
        make_company(s, "甲物业", 7)
        bad = valid_uscc(8)[:-1] + ("0" if valid_uscc(8)[-1] != "0" else "1")
        with pytest.raises(ValidationError, match="校验码错误"):
            records.save_company(s, {"name": "乙物业", "uscc": bad})
        with pytest.raises(ValidationError, match="已登记"):
            records.save_company(s, {"name": "丙物业", "uscc": valid_uscc(7).lower()})
        company_id = records.save_company(s, {"name": "丁物业", "uscc": "91512081MA62K0260E"})
        (row,) = [c for c in records.list_companies(s) if c.id == company_id]
        assert row.uscc == "91512081MA62K0260E"


def test_community_fields_and_staff_assignment(db):
    with db.session_scope() as s:
        company = make_company(s)
        staff = records.save_staff(s, "周网格", "13905780001")
        with pytest.raises(ValidationError, match="小区类型"):
            records.save_community(s, {"name": "错类型", "type": "豪华型"})
        with pytest.raises(ValidationError, match="户数"):
            records.save_community(s, {"name": "负户数", "households": -1})
        community = records.save_community(
            s, {"name": "天宁苑", "households": 420, "buildings": 12, "type": "智慧管理型", "company_id": company}
        )
        records.assign_staff(s, community, staff)
        row = records.get_community(s, community)
        assert (row.type, row.company, row.grid_staff, row.closed_managed) == (
            "智慧管理型",
            "丽水安居物业服务有限公司",
            "周网格",
            True,
        )
        assert [(r.name, r.communities) for r in records.list_staff(s)] == [("周网格", 1)]
        assert [r.name for r in records.list_communities(s, "天")] == ["天宁苑"]
