"""Issue 19: the shipped village register, adding, renaming and retiring villages, and the import mapping to it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from liandu_desk.domain.errors import PermissionDenied, RuleError, ValidationError
from liandu_desk.domain.registry import CheckStatus, Division
from liandu_desk.paths import resource_path
from liandu_desk.services import audit as audit_service
from liandu_desk.services import divisions, settings
from liandu_desk.services.division_register import (
    VillageInput,
    add_village,
    list_register,
    rename_village,
    retire_village,
)
from liandu_desk.services.imports.houses import ImportOptions, import_houses
from liandu_desk.storage import ClerkRef, Database
from tests.import_factories import good_row, write_xlsx

REGISTER = json.loads(resource_path("divisions", "liandu_331102.json").read_text(encoding="utf-8"))


def _township(db: Database, name: str) -> int:
    with db.session_scope() as session:
        return divisions.resolve_township(session, name).id


def _village(db: Database, township: str, name: str) -> Division:
    with db.session_scope() as session:
        found = session.scalar(
            select(Division).where(Division.parent_id == _township(db, township), Division.name == name)
        )
        session.expunge_all()
        return found


def test_the_register_ships_with_its_sources() -> None:
    assert len(REGISTER["townships"]) == 15
    assert sum(len(t["villages"]) for t in REGISTER["townships"]) == 271
    assert all(s["title"].startswith("国家统计局") and s["via"] for s in REGISTER["sources"])
    assert "MIT" in REGISTER["sources"][0]["via"] and "licence" in REGISTER
    assert (resource_path("divisions") / "README.md").exists()
    for township in REGISTER["townships"]:
        assert len(township["code"]) == 9 and township["code"].startswith("331102")
        for village in township["villages"]:
            assert len(village["code"]) == 12 and village["code"].startswith(township["code"])


def test_a_new_database_has_every_village_with_its_code(db: Database) -> None:
    with db.session_scope() as session:
        towns = divisions.list_townships(session)
        codes = dict(session.execute(select(Division.name, Division.code).where(Division.parent_id.is_(None))).all())
        villages = session.scalar(select(func.count()).select_from(Division).where(Division.parent_id.is_not(None)))
        unverified = session.scalar(
            select(func.count()).select_from(Division).where(Division.check_status == CheckStatus.UNVERIFIED)
        )
        bihu = [v.name for v in divisions.list_children(session, towns[6].id)]
    assert len(towns) == 15 and codes["碧湖镇"] == "331102100" and codes["丽新畲族乡"] == "331102204"
    assert villages == 271 and unverified == 0
    assert bihu[:3] == ["通济社区", "保定村", "概头村"] and "魏村" in bihu  # 2021: 碧湖's three 居委会 are gone
    baoding = _village(db, "碧湖镇", "保定村")
    assert (baoding.code, baoding.official_name, baoding.level.value) == ("331102100204", "保定村委会", "村")
    assert baoding.source == "国家统计局2021年统计用区划代码" and baoding.check_status is CheckStatus.VERIFIED


def test_add_rename_and_retire_keep_the_history(db: Database) -> None:
    bihu = _township(db, "碧湖镇")
    with db.session_scope() as session:
        added = add_village(session, bihu, VillageInput("新湖村", code="331102100299"))
    assert added.check_status == "未核实" and added.state == "现行"
    with db.session_scope() as session:
        renamed = rename_village(session, added.id, "新湖社区", added.version, source="莲政发〔2026〕1号")
    assert (renamed.name, renamed.check_status, renamed.source) == ("新湖社区", "已核实", "莲政发〔2026〕1号")
    with db.session_scope() as session:
        retired = retire_village(session, added.id, dt.date(2026, 1, 31), renamed.version)
        current = {v.name for v in list_register(session, bihu, include_retired=False)}
        everything = {v.name for v in list_register(session, bihu)}
        offered = {v.name for v in divisions.list_children(session, bihu, on=dt.date(2026, 2, 1))}
        history = audit_service.history(session, "division", str(added.id))
    assert retired.retired and retired.state == "已撤销（2026-01-31）"
    assert "新湖社区" in everything and "新湖社区" not in current and "新湖社区" not in offered
    assert [r.action_label for r in history] == ["新增", "修改", "修改"]
    assert history[1].old_values["name"] == "新湖村" and history[1].new_values["name"] == "新湖社区"
    assert history[2].new_values["valid_to"] == "2026-01-31"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (VillageInput(""), "名称：不能为空"),
        (VillageInput("村"), "2至40个字"),
        (VillageInput("保定村"), "碧湖镇已有“保定村”"),
        (VillageInput("保 定 村"), "碧湖镇已有“保定村”"),
        (VillageInput("新湖村", code="3311021002"), "12位数字"),
        (VillageInput("新湖村", code="331102200299"), "应以碧湖镇的代码331102100开头"),
        (VillageInput("新湖村", level="街道"), "“村”或“社区”"),
        (VillageInput("新湖村!"), "只能含汉字"),
    ],
)
def test_invalid_villages_are_refused_in_chinese(db: Database, data: VillageInput, reason: str) -> None:
    bihu = _township(db, "碧湖镇")
    with pytest.raises(ValidationError, match=reason), db.session_scope() as session:
        add_village(session, bihu, data)


def test_rename_and_retire_rules(db: Database) -> None:
    baoding = _village(db, "碧湖镇", "保定村")
    with pytest.raises(ValidationError, match="碧湖镇已有“魏村”"), db.session_scope() as session:
        rename_village(session, baoding.id, "魏村", baoding.version)
    with pytest.raises(ValidationError, match="相同"), db.session_scope() as session:
        rename_village(session, baoding.id, "保定村", baoding.version)
    with db.session_scope() as session:
        retire_village(session, baoding.id, dt.date(2025, 12, 31), baoding.version)
    with pytest.raises(RuleError, match="已于2025-12-31撤销"), db.session_scope() as session:
        retire_village(session, baoding.id, dt.date(2026, 1, 31), None)
    with db.session_scope() as session:  # a retired name is free again
        assert add_village(session, _township(db, "碧湖镇"), VillageInput("保定村")).name == "保定村"


def test_only_those_allowed_maintain_the_register(db: Database) -> None:
    clerk = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(1, "科员甲", "x", "科员"))
    with pytest.raises(PermissionDenied, match="维护村（社区）名册"), clerk.session_scope() as session:
        add_village(session, _township(db, "碧湖镇"), VillageInput("新湖村"))
    clerk.dispose()


def _import(db: Database, tmp_path: Path, rows: list[dict], strict: bool | None = None):
    path = write_xlsx(tmp_path / "in.xlsx", rows)
    return import_houses(db, path, ImportOptions(skip_invalid=True, strict_villages=strict))


def test_import_maps_the_official_and_short_forms_to_the_register(db: Database, tmp_path: Path) -> None:
    rows = [
        good_row(1, **{"村（社区）": "保定村委会"}),
        good_row(2, **{"村（社区）": "保定"}),
        good_row(3, **{"村（社区）": "保定村民委员会"}),
        good_row(4, **{"乡镇（街道）": "紫金街道", "村（社区）": "永晖社区居委会"}),
    ]
    result = _import(db, tmp_path, rows)
    assert result.written and not result.rejections and result.counts.villages_created == 0
    assert [r.village for r in result.valid_rows] == ["保定村", "保定村", "保定村", "永晖社区"]


def test_by_default_an_unknown_village_is_created_unverified(db: Database, tmp_path: Path) -> None:
    result = _import(db, tmp_path, [good_row(1, **{"村（社区）": "新湖村"})])
    assert result.written and result.counts.villages_created == 1
    created = _village(db, "碧湖镇", "新湖村")
    assert created.check_status is CheckStatus.UNVERIFIED and "排查表导入" in created.source


def test_strict_import_rejects_unknown_villages_naming_the_nearest(db: Database, tmp_path: Path) -> None:
    rows = [good_row(1, **{"村（社区）": "上照村"}), good_row(2, **{"村（社区）": "火星村"}), good_row(3)]
    result = _import(db, tmp_path, rows[:2] + [good_row(3, **{"村（社区）": "上赵"})], strict=True)
    reasons = {r.row: r.reason for r in result.rejections}
    assert all(r.column == "村（社区）" for r in result.rejections) and len(result.valid_rows) == 1
    first = min(reasons)
    assert reasons[first].startswith("“上照村”不在碧湖镇的村（社区）名册中，相近的有：")
    assert "上赵村" in reasons[first].split("：")[-1].split("、")
    assert "“火星村”不在碧湖镇的村（社区）名册中" in reasons[first + 1] and "请先在“工具" in reasons[first + 1]
    assert result.counts.villages_created == 0 and result.valid_rows[0].village == "上赵村"


def test_strict_import_rejects_a_retired_village_and_the_setting_turns_it_on(db: Database, tmp_path: Path) -> None:
    baoding = _village(db, "碧湖镇", "保定村")
    with db.session_scope() as session:
        retire_village(session, baoding.id, dt.date(2025, 12, 31), baoding.version)
        settings.save_settings(session, {settings.STRICT_VILLAGES: True})
    result = _import(db, tmp_path, [good_row(1, **{"村（社区）": "保定村"}), good_row(2, **{"村（社区）": "梅田"})])
    reasons = sorted(r.reason for r in result.rejections)
    assert reasons[0].startswith("“保定村”已于2025-12-31撤销")
    assert reasons[1].startswith("“梅田”不在碧湖镇的村（社区）名册中")  # 梅田村 is in 仙渡乡, not 碧湖镇
    assert not result.written


def test_a_retired_village_stays_in_the_house_forms_and_a_fresh_database_still_offers_the_demo(db: Database) -> None:
    from liandu_desk.services.houses.listing import filter_options
    from liandu_desk.services.overview import heading_facts, registry_summary

    baoding = _village(db, "碧湖镇", "保定村")
    with db.session_scope() as session:
        assert not registry_summary(session).has_demo_registry  # the shipped register is not data entered
        assert not heading_facts(session)[1]  # so the 首页 still offers the demo
        retire_village(session, baoding.id, dt.date(2025, 12, 31), baoding.version)
    with db.session_scope() as session:
        names = {v.id: v.name for v in filter_options(session).villages[_township(db, "碧湖镇")]}
    assert names[baoding.id] == "保定村（已撤销）" and len(names) == 44


def test_the_appraisal_import_finds_a_house_by_the_village_the_screening_file_named(db: Database, tmp_path: Path):
    from liandu_desk.services.imports.appraisals import import_appraisals

    assert _import(db, tmp_path, [good_row(1, **{"村（社区）": "保定村委会"})]).written
    path = write_xlsx(
        tmp_path / "appraisals.xlsx",
        [
            {
                "乡镇（街道）": "碧湖镇",
                "村（社区）": "保定村委会",
                "详细地址": "梅田村1号",
                "鉴定日期": dt.datetime(2021, 4, 1),
                "鉴定等级": "C",
                "鉴定机构": "丽水市建筑工程质量检测中心",
                "报告编号": "LS-2021-001",
            }
        ],
        headers=("乡镇（街道）", "村（社区）", "详细地址", "鉴定日期", "鉴定等级", "鉴定机构", "报告编号"),
    )
    result = import_appraisals(db, path)
    assert not result.rejections and result.counts.appraisals_added == 1


def test_upgrading_a_database_in_use_completes_its_villages_and_records_the_load(db: Database) -> None:
    """Run w0001 again over a database with entries in its trail (both backends): the villages an import created
    under the same names are completed, none doubled, and one chained audit entry records the load."""
    from alembic import command

    from liandu_desk.domain.audit import AuditEntry
    from liandu_desk.services.integrity import verify_audit_chain
    from liandu_desk.storage.migrate import alembic_config

    with db.session_scope() as session:
        settings.save_settings(session, {"bureau.name": "莲都区住房和城乡建设局"})
    config = alembic_config(db)
    for step in (lambda: command.downgrade(config, "v0003"), lambda: command.upgrade(config, "w0001")):
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            step()
    with db.session_scope() as session:
        villages = session.scalar(select(func.count()).select_from(Division).where(Division.parent_id.is_not(None)))
        load = session.scalars(select(AuditEntry).where(AuditEntry.table_name == "division")).all()
        assert verify_audit_chain(session).ok
    assert villages == 271 and len(load) == 1 and load[0].clerk_name == "系统（升级）"
    assert {k: load[0].new_values[k] for k in ("townships", "inserted", "completed")} == {
        "townships": 15,
        "inserted": 0,
        "completed": 271,
    }


def test_a_house_keeps_its_retired_village_but_no_house_moves_onto_one(db: Database) -> None:
    from liandu_desk.services.houses.registration import HouseInput, create_house, house_input, update_house

    baoding = _village(db, "碧湖镇", "保定村")
    bihu = _township(db, "碧湖镇")
    values = dict(kind="农村", township_id=bihu, village_id=baoding.id, address="保定村3号", owner_name="张三")
    values.update(floors=2, build_year=1985, area=120.0, structure="砖木")
    with db.session_scope() as session:
        house_id = create_house(session, HouseInput(**values)).id
        retire_village(session, baoding.id, dt.date(2025, 12, 31), baoding.version)
    with db.session_scope() as session:  # an edit of the house keeps the village it was registered in
        data, version = house_input(session, house_id)
        update_house(session, house_id, data, version)
    with pytest.raises(ValidationError, match="“保定村”已于2025-12-31撤销"), db.session_scope() as session:
        create_house(session, HouseInput(**{**values, "address": "保定村4号"}))
