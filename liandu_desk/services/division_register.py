"""The register of villages and communities per township: list, add, rename and retire, every change audited."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError, stale
from liandu_desk.domain.houses import House
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.domain.registry import CHILD_LEVELS, CheckStatus, Division, DivisionLevel
from liandu_desk.io.cells import fold

NAME_FIELD = "名称"
CODE_FIELD = "统计用区划代码"
SOURCE_FIELD = "核对来源"
VALID_FROM_FIELD = "有效期起"
VALID_TO_FIELD = "撤销日期"
_NAME = re.compile(r"^[\u3400-\u9fff\U00020000-\U0003134f（）()0-9A-Za-z·]+$")


@dataclass(frozen=True)
class VillageRow:
    """A village or community as the register screen lists it."""

    id: int
    township_id: int
    name: str
    level: str
    code: str | None
    official_name: str | None
    check_status: str
    source: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    houses: int
    version: int

    @property
    def retired(self) -> bool:
        return self.valid_to is not None and self.valid_to < dt.date.today()

    @property
    def state(self) -> str:
        if self.valid_to is None:
            return "现行"
        return f"已撤销（{self.valid_to.isoformat()}）" if self.retired else f"有效至{self.valid_to.isoformat()}"


@dataclass(frozen=True)
class VillageInput:
    """What a clerk enters for a new village or community."""

    name: str
    level: str = DivisionLevel.VILLAGE.value
    code: str = ""
    source: str = ""
    valid_from: dt.date | None = None


def name_key(text: str) -> str:
    """The form two names are compared in: full-width folded, spaces removed."""
    return fold(text or "").replace(" ", "").replace("\u3000", "")


def _row(division: Division, houses: int) -> VillageRow:
    return VillageRow(
        id=division.id,
        township_id=division.parent_id or 0,
        name=division.name,
        level=division.level.value,
        code=division.code,
        official_name=division.official_name,
        check_status=division.check_status.value,
        source=division.source,
        valid_from=division.valid_from,
        valid_to=division.valid_to,
        houses=houses,
        version=division.version,
    )


def list_register(session: Session, township_id: int, include_retired: bool = True) -> list[VillageRow]:
    """The villages and communities of a township in register order (retired ones too unless asked not to),
    each with the number of houses on file there."""
    query = select(Division).where(Division.parent_id == township_id).order_by(Division.sort_order, Division.id)
    if not include_retired:
        today = dt.date.today()
        query = query.where((Division.valid_to.is_(None)) | (Division.valid_to >= today))
    divisions = list(session.scalars(query))
    ids = [d.id for d in divisions]
    counts: dict[int, int] = {}
    if ids:
        grouped = select(House.village_id, func.count()).where(House.village_id.in_(ids)).group_by(House.village_id)
        counts = {village_id: n for village_id, n in session.execute(grouped)}
    return [_row(d, counts.get(d.id, 0)) for d in divisions]


def _township(session: Session, township_id: int) -> Division:
    township = session.get(Division, township_id)
    if township is None or township.parent_id is not None:
        raise NotFoundError(f"乡镇（街道）（编号{township_id}）不存在")
    return township


def _village(session: Session, village_id: int, expected_version: int | None) -> Division:
    village = session.get(Division, village_id)
    if village is None or village.parent_id is None:
        raise NotFoundError(f"村（社区）（编号{village_id}）不存在")
    if expected_version is not None and village.version != expected_version:
        raise stale(village)
    return village


def _clean_name(text: str) -> str:
    name = (text or "").strip().replace(" ", "").replace("\u3000", "")
    if not name:
        raise ValidationError(NAME_FIELD, "不能为空")
    if not 2 <= len(name) <= 40:
        raise ValidationError(NAME_FIELD, "应为2至40个字")
    if not _NAME.match(name):
        raise ValidationError(NAME_FIELD, "只能含汉字、数字、字母和括号")
    return name


def _check_free(session: Session, township: Division, name: str, own_id: int | None = None) -> None:
    """No other current village or community of the township has this name (compared full-width folded)."""
    today = dt.date.today()
    query = select(Division).where(Division.parent_id == township.id)
    for other in session.scalars(query):
        if other.id == own_id or name_key(other.name) != name_key(name):
            continue
        if other.valid_to is None or other.valid_to >= today:
            raise ValidationError(NAME_FIELD, f"{township.name}已有“{other.name}”")


def _clean_code(text: str, township: Division) -> str | None:
    code = (text or "").strip()
    if not code:
        return None
    if not re.fullmatch(r"\d{12}", code):
        raise ValidationError(CODE_FIELD, "应为12位数字（国家统计局统计用区划代码）")
    if township.code and not code.startswith(township.code):
        raise ValidationError(CODE_FIELD, f"应以{township.name}的代码{township.code}开头")
    return code


@requires(Permission.EDIT_DIVISIONS)
def add_village(session: Session, township_id: int, data: VillageInput) -> VillageRow:
    """Add a village or community under a township; it is 未核实 unless a source is given."""
    township = _township(session, township_id)
    name = _clean_name(data.name)
    if data.level not in {level.value for level in CHILD_LEVELS}:
        raise ValidationError("类型", "应为“村”或“社区”")
    code = _clean_code(data.code, township)
    _check_free(session, township, name)
    source = (data.source or "").strip()[:120]
    last = session.scalar(select(func.max(Division.sort_order)).where(Division.parent_id == township.id)) or 0
    village = Division(
        parent_id=township.id,
        name=name,
        level=DivisionLevel(data.level),
        code=code,
        sort_order=last + 1,
        valid_from=data.valid_from,
        check_status=CheckStatus.VERIFIED if source else CheckStatus.UNVERIFIED,
        source=source or None,
    )
    session.add(village)
    session.flush()
    return _row(village, 0)


@requires(Permission.EDIT_DIVISIONS)
def rename_village(
    session: Session, village_id: int, new_name: str, expected_version: int | None, source: str = ""
) -> VillageRow:
    """Rename in place: the houses stay on it and the audit trail keeps the old name. A rename without a source
    leaves the village 未核实."""
    village = _village(session, village_id, expected_version)
    township = _township(session, village.parent_id or 0)
    name = _clean_name(new_name)
    if name == village.name:
        raise ValidationError(NAME_FIELD, "新名称与现名称相同")
    _check_free(session, township, name, village.id)
    source = (source or "").strip()[:120]
    village.name = name
    village.check_status = CheckStatus.VERIFIED if source else CheckStatus.UNVERIFIED
    village.source = source or None
    session.flush()
    return _row(village, _houses(session, village.id))


@requires(Permission.EDIT_DIVISIONS)
def retire_village(
    session: Session, village_id: int, valid_to: dt.date, expected_version: int | None, source: str = ""
) -> VillageRow:
    """Set the last day a village or community existed (撤并); its houses keep it, and lists from that day on
    no longer offer it."""
    village = _village(session, village_id, expected_version)
    if village.valid_to is not None:
        raise RuleError(f"“{village.name}”已于{village.valid_to.isoformat()}撤销")
    if valid_to is None:
        raise ValidationError(VALID_TO_FIELD, "不能为空")
    if village.valid_from is not None and valid_to < village.valid_from:
        raise ValidationError(VALID_TO_FIELD, f"不能早于有效期起{village.valid_from.isoformat()}")
    village.valid_to = valid_to
    note = (source or "").strip()[:120]
    if note:
        village.source = note
    session.flush()
    return _row(village, _houses(session, village.id))


def _houses(session: Session, village_id: int) -> int:
    return session.scalar(select(func.count()).select_from(House).where(House.village_id == village_id)) or 0


def village_names(session: Session) -> dict[int, list[tuple[str, str | None, dt.date | None]]]:
    """Every village and community by township id: (name, NBS name, valid_to), for matching an import's text."""
    query = select(Division.parent_id, Division.name, Division.official_name, Division.valid_to).where(
        Division.parent_id.is_not(None)
    )
    found: dict[int, list[tuple[str, str | None, dt.date | None]]] = {}
    for parent_id, name, official, valid_to in session.execute(query.order_by(Division.sort_order, Division.id)):
        found.setdefault(parent_id, []).append((name, official, valid_to))
    return found
