"""Many households at once, as pasted from a spreadsheet: parse, check every row, then save all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.elevators import ElevatorHousehold, VoteChoice
from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.elevators.households import add_household, parse_area, set_vote
from liandu_desk.services.elevators.projects import get_project

log = logging.getLogger(__name__)
COLUMNS = ("室号", "专有面积(㎡)", "业主", "表决（可空）")
MAX_ROWS = 400
VOTE_WORDS = {
    "": VoteChoice.NONE,
    "未表决": VoteChoice.NONE,
    "0": VoteChoice.NONE,
    "同意": VoteChoice.AGREE,
    "1": VoteChoice.AGREE,
    "反对": VoteChoice.OPPOSE,
    "不同意": VoteChoice.OPPOSE,
    "2": VoteChoice.OPPOSE,
    "弃权": VoteChoice.ABSTAIN,
    "3": VoteChoice.ABSTAIN,
}
_ROOM = re.compile(r"^(\d{1,2})(\d{2})$")


@dataclass(frozen=True)
class PastedRow:
    """One row as typed or pasted: room, area, owner and an optional vote, all text."""

    room: str
    area: str
    owner: str
    vote: str = ""
    line: int = 0  # the row number the clerk sees (0: its place in the list)


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row (numbered from 1 as the clerk sees it) and in which column."""

    row: int
    column: int
    reason: str

    def words(self) -> str:
        return f"第{self.row}行 {COLUMNS[self.column].split('(')[0].split('（')[0]}：{self.reason}"


class HouseholdRowsError(ValidationError):
    """Some rows are wrong: nothing was saved; `problems` names each row and column."""

    def __init__(self, problems: list[RowProblem]) -> None:
        lines = [p.words() for p in problems]
        shown = lines[:20] + ([f"……另有{len(lines) - 20}处"] if len(lines) > 20 else [])
        super().__init__("住户表格", f"{len(problems)}处有误，均未保存：\n" + "\n".join(shown))
        self.problems = problems


def _clean(text: str) -> str:
    return text.replace("\u3000", " ").strip()


def split_pasted(text: str) -> list[list[str]]:
    """Tab-separated rows as a spreadsheet copies them (cells in quotes may hold tabs or line breaks), cells
    trimmed; blank lines and a first row naming 室号/房号/面积 (the header) are dropped."""
    rows: list[list[str]] = []
    for cells in csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")), delimiter="\t"):
        cells = [_clean(c) for c in cells]
        if not any(cells):
            continue
        if not rows and any(word in "".join(cells[:2]) for word in ("室号", "房号", "面积")):
            continue
        rows.append(cells)
    return rows


def parse_pasted(text: str) -> list[PastedRow]:
    """The pasted rows as households (missing trailing cells are empty, extra ones ignored)."""
    return [PastedRow(*(cells + [""] * 4)[:4]) for cells in split_pasted(text)]


def floor_of(room: str) -> int | None:
    """The floor a room number names: 301 → 3, 1202 → 12 (the last two digits are the door)."""
    match = _ROOM.match(room.removesuffix("室"))
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class CheckedRow:
    """A row that passed every check, ready to save."""

    room: str
    floor: int
    area: str
    owner: str
    vote: VoteChoice


def check_rows(session: Session, project_id: int, rows: list[PastedRow]) -> tuple[list[CheckedRow], list[RowProblem]]:
    """Every row checked against the project (floors, rooms already registered) and the other rows."""
    project = get_project(session, project_id)
    existing = set(session.scalars(select(ElevatorHousehold.room).where(ElevatorHousehold.project_id == project_id)))
    problems: list[RowProblem] = []
    checked: list[CheckedRow] = []
    seen: dict[str, int] = {}
    if len(rows) > MAX_ROWS:
        problems.append(RowProblem(MAX_ROWS + 1, 0, f"一次最多录入{MAX_ROWS}户"))
    for place, row in enumerate(rows[:MAX_ROWS], start=1):
        number, bad = row.line or place, len(problems)
        room = row.room.removesuffix("室").strip()
        floor = floor_of(room) if room else None
        if not room:
            problems.append(RowProblem(number, 0, "不能为空"))
        elif floor is None:
            problems.append(RowProblem(number, 0, f"“{row.room}”应为楼层加两位门牌号，如301、1202"))
        elif not 1 <= floor <= project.floors:
            problems.append(RowProblem(number, 0, f"{room}在{floor}层，本单元只有{project.floors}层"))
        elif room in existing:
            problems.append(RowProblem(number, 0, f"{room}已登记"))
        elif room in seen:
            problems.append(RowProblem(number, 0, f"{room}与第{seen[room]}行重复"))
        if room:
            seen.setdefault(room, number)
        try:
            area = str(parse_area(row.area)) if row.area else None
        except ValidationError as exc:
            area = None
            problems.append(RowProblem(number, 1, exc.reason))
        else:
            if area is None:
                problems.append(RowProblem(number, 1, "不能为空"))
        if not row.owner:
            problems.append(RowProblem(number, 2, "不能为空"))
        elif len(row.owner) > 40:
            problems.append(RowProblem(number, 2, "不超过40个字"))
        vote = VOTE_WORDS.get(row.vote)
        if vote is None:
            problems.append(RowProblem(number, 3, f"“{row.vote}”应为同意、反对、弃权或留空"))
        if len(problems) == bad and floor is not None and area is not None and vote is not None:
            checked.append(CheckedRow(room, floor, area, row.owner, vote))
    return checked, problems


def add_households(
    session: Session, project_id: int, rows: list[PastedRow], voted_on: dt.date | None = None
) -> list[int]:
    """Register every row (with its vote, if given, into the vote history) or, if any row is wrong, none:
    raises HouseholdRowsError naming each wrong row."""
    if not rows:
        raise ValidationError("住户表格", "没有可保存的行")
    checked, problems = check_rows(session, project_id, rows)
    if problems:
        raise HouseholdRowsError(problems)
    ids = []
    for row in checked:  # a refusal here (e.g. a room registered meanwhile) rolls the whole unit of work back
        hid = add_household(session, project_id, row.room, row.floor, row.area, row.owner)
        if row.vote != VoteChoice.NONE:
            set_vote(session, hid, row.vote, voted_on or dt.date.today(), "表格批量录入")
        ids.append(hid)
    log.info("registered %d households in project %s", len(ids), project_id)
    return ids
