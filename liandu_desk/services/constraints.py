"""Rules the database holds (unique and partial unique indexes): recognise their violation and say it in Chinese.

Each rule a service used to check only in Python ("is there already one?") is also a unique index, so two clerks
(or two programs) racing cannot both pass the check; the loser's flush fails with an IntegrityError that
`flush_holding` turns into the service's own Chinese message naming the record. The list (ARCHITECTURE.md,
"Rules the database holds") is `HELD_RULES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import ConflictError, LianduError


@dataclass(frozen=True)
class HeldRule:
    """One rule held by a unique index: its name (PostgreSQL reports it), table and columns (SQLite reports them)."""

    name: str
    table: str
    columns: tuple[str, ...]
    rule: str  # the rule in words, for the documentation and messages


NOTICE_IN_FORCE = HeldRule(
    "uq_document_in_force",
    "document",
    ("doc_type", "subject_table", "subject_id"),
    "一户（或一次小区检查）同时只有一份在办的整改通知书",
)
OPEN_CASE = HeldRule("uq_house_case_open", "house_case", ("house_id",), "一户同时只有一个未办结的整治案件")
ELEVATOR_UNIT = HeldRule(
    "estate_building_unit",
    "elevator_project",
    ("estate", "building", "unit"),
    "一个单元（小区+幢+单元）只有一个加装电梯项目",
)
ELEVATOR_ROOM = HeldRule("project_room", "elevator_household", ("project_id", "room"), "一个项目中一个房号只登记一户")
ELEVATOR_SUBSIDY = HeldRule(
    "uq_elevator_subsidy_project_id", "elevator_subsidy", ("project_id",), "一个加装电梯项目只申领一次补助"
)
STAR_RATING = HeldRule(
    "community_period",
    "cm_star_rating",
    ("community_id", "period_start", "period_end"),
    "一个小区每个评定期只有一个星级",
)
LIST_PUBLICATION = HeldRule(
    "subject_period",
    "cm_list_publication",
    ("subject", "period_start", "period_end"),
    "每类对象每个评定期只有一期红黑榜",
)
LIST_ENTRY_COMMUNITY = HeldRule(
    "uq_cm_list_entry_community",
    "cm_list_entry",
    ("publication_id", "list_kind", "community_id"),
    "同一期红榜或黑榜上，一个小区只出现一次（已移除的条目除外）",
)
LIST_ENTRY_COMPANY = HeldRule(
    "uq_cm_list_entry_company",
    "cm_list_entry",
    ("publication_id", "list_kind", "company_id"),
    "同一期红榜或黑榜上，一家物业企业只出现一次（已移除的条目除外）",
)
COMPANY_EVALUATION = HeldRule(
    "company_period_party",
    "cm_company_eval",
    ("company_id", "period_start", "period_end", "party"),
    "一家物业企业每个评定期每个评价主体只有一个评分",
)
BATCH_NAME = HeldRule("uq_house_batch_name", "house_batch", ("name",), "交办批次名称不重复")
DOCUMENT_NUMBER = HeldRule("type_year_seq", "doc_number", ("doc_type", "year", "seq"), "同类文书每年的文号不重复")

HELD_RULES = (
    NOTICE_IN_FORCE,
    OPEN_CASE,
    ELEVATOR_UNIT,
    ELEVATOR_ROOM,
    ELEVATOR_SUBSIDY,
    STAR_RATING,
    LIST_PUBLICATION,
    LIST_ENTRY_COMMUNITY,
    LIST_ENTRY_COMPANY,
    COMPANY_EVALUATION,
    BATCH_NAME,
    DOCUMENT_NUMBER,
)


def breaks(exc: IntegrityError, index: str, table: str, columns: tuple[str, ...]) -> bool:
    """Whether the error is this index's violation: PostgreSQL names the index, SQLite lists its columns."""
    text = str(getattr(exc, "orig", exc))
    sqlite_text = "UNIQUE constraint failed: " + ", ".join(f"{table}.{column}" for column in columns)
    return f'"{index}"' in text or sqlite_text in text


def broken_rule(exc: IntegrityError) -> HeldRule | None:
    """The held rule this IntegrityError breaks, if it is one of them."""
    return next((r for r in HELD_RULES if breaks(exc, r.name, r.table, r.columns)), None)


def flush_holding(session: Session, rule: HeldRule, message: str, error: type[LianduError] = ConflictError) -> None:
    """Flush; a violation of `rule` (someone else saved the same thing first) becomes `error(message)`.

    Word the message before calling: after a failed flush the session's rows can no longer be read."""
    try:
        session.flush()
    except IntegrityError as exc:
        if breaks(exc, rule.name, rule.table, rule.columns):
            raise error(message) from None
        raise
