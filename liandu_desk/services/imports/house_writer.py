"""Writes validated screening rows: houses, owners, villages, screenings, appraisals and batch flags, in bulk."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from liandu_desk.domain.base import utcnow
from liandu_desk.domain.house_cases import BatchMember, SourceBatch, Verification
from liandu_desk.domain.houses import Appraisal, House, HouseKind, HouseUse, Screening
from liandu_desk.domain.registry import CheckStatus, Division, DivisionLevel, Person
from liandu_desk.io.cells import fold
from liandu_desk.io.house_layout import HouseRow, identity_key
from liandu_desk.services.houses.batches import create_batch
from liandu_desk.services.houses.summary import search_text
from liandu_desk.services.imports.bulk import bulk_insert, bulk_insert_ids, has_rows, max_id, search_index_paused
from liandu_desk.services.personal_data import person_ids_by_number
from liandu_desk.storage.audit_listener import write_entries

CHUNK = 900
NO_HAZARDS: list[str] = []  # one shared (never mutated) value, so that the bulk insert serialises it once
Progress = Callable[[int, int, str], None]
IMPORT_SOURCE = "排查表导入时按表中文字新建，未核对"


class ImportCancelled(Exception):
    """The clerk cancelled; the transaction is rolled back, nothing is written."""


@dataclass
class WriteCounts:
    """What the import changed."""

    houses_created: int = 0
    houses_updated: int = 0
    houses_unchanged: int = 0
    persons_created: int = 0
    villages_created: int = 0
    screenings_added: int = 0
    screenings_updated: int = 0
    appraisals_added: int = 0
    appraisals_updated: int = 0
    batch_members_added: int = 0
    new_house_ids: tuple[int, ...] = ()
    new_house_labels: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything was written (an identical re-import changes nothing)."""
        return any(v for k, v in self.as_dict().items() if k != "houses_unchanged")

    def as_dict(self) -> dict[str, Any]:
        values = dict(self.__dict__)
        values.pop("new_house_ids")
        values.pop("new_house_labels")
        return values


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@functools.lru_cache(maxsize=4096)  # village names repeat on every row of a village
def _name_key(text: str) -> str:
    return fold(text).replace(" ", "")


class HouseWriter:
    """Writes one file's valid rows inside the caller's transaction."""

    def __init__(self, session: Session, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None):
        self.session = session
        self.progress = progress or (lambda done, total, text: None)
        self.cancelled = cancelled or (lambda: False)
        self.counts = WriteCounts()

    def _step(self, done: int, text: str) -> None:
        if self.cancelled():
            raise ImportCancelled()
        self.progress(done, 8, text)

    def write(self, rows: Sequence[HouseRow]) -> WriteCounts:
        """Write the rows (they are unique by house identity) and return the counts."""
        self._step(0, "行政村")
        villages = self._villages(rows)
        self._step(1, "已有房屋")
        existing = self._existing_houses(rows, villages)
        self._step(2, "户主")
        owners = self._owners(rows, existing)
        self._step(3, "房屋")
        house_ids = self._houses(rows, villages, existing, owners)
        self._step(4, "排查记录")
        self._screenings(rows, house_ids, existing)
        self._step(5, "鉴定记录")
        self._appraisals(rows, house_ids, existing)
        self._step(6, "来源批次")
        self._batches(rows, house_ids)
        self._step(7, "完成")
        return self.counts

    # villages -----------------------------------------------------------------------------------
    def _villages(self, rows: Sequence[HouseRow]) -> dict[tuple[int, str], int]:
        townships = sorted({r.township_id for r in rows})
        found: dict[tuple[int, str], int] = {}
        for part in chunks(townships):
            query = select(Division.id, Division.parent_id, Division.name).where(Division.parent_id.in_(part))
            for division_id, parent_id, name in self.session.execute(query):
                found.setdefault((parent_id, _name_key(name)), division_id)
        missing: dict[tuple[int, str], str] = {}
        for r in rows:
            key = (r.township_id, _name_key(r.village))
            if key not in found:
                missing.setdefault(key, r.village)
        if missing:
            before = self._max_id(Division)
            values = [
                {
                    "parent_id": t,
                    "name": name,
                    "sort_order": 0,
                    "level": DivisionLevel.COMMUNITY if name.endswith("社区") else DivisionLevel.VILLAGE,
                    "check_status": CheckStatus.UNVERIFIED,
                    "source": IMPORT_SOURCE,
                }
                for (t, _), name in missing.items()
            ]
            bulk_insert(self.session, Division.__table__, values)
            query = select(Division.id, Division.parent_id, Division.name).where(Division.id > before)
            for division_id, parent_id, name in self.session.execute(query):
                found.setdefault((parent_id, _name_key(name)), division_id)
            self.counts.villages_created = len(missing)
        return found

    def _max_id(self, model: Any) -> int:
        return max_id(self.session, model.__table__)

    # houses ---------------------------------------------------------------------------------------
    def _existing_houses(self, rows: Sequence[HouseRow], villages: dict) -> dict[tuple[int, str, str], House]:
        """Rural houses already on file under the same township, village and address."""
        wanted = {r.identity for r in rows}
        village_names = {division_id: name for (_, name), division_id in villages.items()}
        village_ids = sorted({villages[(r.township_id, _name_key(r.village))] for r in rows})
        matches: list[int] = []
        for part in chunks(village_ids):
            query = select(House.id, House.township_id, House.village_id, House.address).where(
                House.village_id.in_(part), House.kind == HouseKind.RURAL
            )
            for house_id, township_id, village_id, address in self.session.execute(query):
                if identity_key(township_id, village_names.get(village_id, ""), address) in wanted:
                    matches.append(house_id)
        found: dict[tuple[int, str, str], House] = {}
        for part in chunks(matches):
            for house in self.session.scalars(select(House).where(House.id.in_(part))):
                key = identity_key(house.township_id, village_names.get(house.village_id, ""), house.address)
                found.setdefault(key, house)
        return found

    def _owners(self, rows: Sequence[HouseRow], existing: dict) -> dict[int, tuple[int, str | None]]:
        """Row number → (person id, ID number): found by ID number, kept from the house, or created."""
        ids = sorted({r.id_number for r in rows if r.id_number}) if has_rows(self.session, Person.__table__) else []
        numbers = {pid: number for number, pid in person_ids_by_number(self.session, ids).items()}
        by_id: dict[str, Person] = {}
        for part in chunks(sorted(numbers)):
            for person in self.session.scalars(select(Person).where(Person.id.in_(part))):
                by_id[numbers[person.id]] = person  # keyed by the number as typed (a 科员 reads it masked)
        current = self._current_owners(existing)
        result: dict[int, tuple[int, str | None]] = {}
        new_people: list[dict[str, Any]] = []
        pending: list[tuple[int, str | None]] = []
        created_ids: dict[str, int] = {}
        for r in rows:
            person = by_id.get(r.id_number) if r.id_number else None
            if person is None:
                person = self._keep_owner(r, existing, current, by_id, created_ids)
            if person is not None:
                if r.phone and person.phone != r.phone:
                    person.phone = r.phone
                result[r.row] = (person.id, person.id_number)
            elif r.id_number and r.id_number in created_ids:
                result[r.row] = (created_ids[r.id_number], r.id_number)
            else:
                created_ids[r.id_number or f"#{r.row}"] = -1
                new_people.append({"name": r.owner_name, "id_number": r.id_number, "phone": r.phone})
                pending.append((r.row, r.id_number))
        if new_people:
            new_ids = bulk_insert_ids(self.session, Person.__table__, new_people)
            self.counts.persons_created = len(new_ids)
            for (row, id_number), person_id in zip(pending, new_ids, strict=True):
                result[row] = (person_id, id_number)
                if id_number:
                    created_ids[id_number] = person_id
            for r in rows:  # rows that reuse an ID number created in this file
                if r.row in result and result[r.row][0] == -1:
                    result[r.row] = (created_ids[r.id_number], r.id_number)
        self.session.flush()
        return result

    @staticmethod
    def _keep_owner(r: HouseRow, existing: dict, current: dict, by_id: dict, created_ids: dict) -> Person | None:
        """The house's current owner when the row names the same person (an ID number is added if it had none)."""
        house = existing.get(r.identity)
        owner = current.get(house.owner_id) if house is not None and house.owner_id else None
        if owner is None or owner.name != r.owner_name:
            return None
        if not r.id_number or owner.id_number == r.id_number:
            return owner
        if owner.id_number is None and r.id_number not in created_ids:
            owner.id_number = r.id_number
            by_id[r.id_number] = owner
            return owner
        return None

    def _current_owners(self, existing: dict) -> dict[int, Person]:
        owner_ids = sorted({h.owner_id for h in existing.values() if h.owner_id})
        found: dict[int, Person] = {}
        for part in chunks(owner_ids):
            found.update({p.id: p for p in self.session.scalars(select(Person).where(Person.id.in_(part)))})
        return found

    def _houses(self, rows: Sequence[HouseRow], villages: dict, existing: dict, owners: dict) -> dict[int, int]:
        """Row number → house id; new houses inserted in bulk, existing ones updated where a value differs."""
        result: dict[int, int] = {}
        new_rows: list[HouseRow] = []
        values: list[dict[str, Any]] = []
        for r in rows:
            person_id, id_number = owners[r.row]
            house = existing.get(r.identity)
            if house is not None:
                result[r.row] = house.id
                self._update_house(house, r, person_id, id_number)
                continue
            new_rows.append(r)
            values.append(self._house_values(r, villages, person_id, id_number))
        self.session.flush()  # updates first, while the search-index triggers are on
        if values:
            with search_index_paused(self.session, House.__table__):
                ids = bulk_insert_ids(self.session, House.__table__, values)
            result.update({r.row: house_id for r, house_id in zip(new_rows, ids, strict=True)})
            self.counts.houses_created = len(ids)
            self.counts.new_house_ids = tuple(ids)
            labels = (f"{r.township}{r.village}{r.address}（{r.owner_name}）" for r in new_rows)
            self.counts.new_house_labels = tuple(labels)
        self.session.flush()
        return result

    @staticmethod
    def _house_values(r: HouseRow, villages: dict, person_id: int, id_number: str | None) -> dict[str, Any]:
        return {
            "kind": HouseKind.RURAL,
            "township_id": r.township_id,
            "village_id": villages[(r.township_id, _name_key(r.village))],
            "address": r.address,
            "owner_id": person_id,
            "owner_name": r.owner_name,
            "structure": r.structure,
            "floors": r.floors,
            "build_year": r.build_year,
            "area": r.area,
            "use": r.use or HouseUse.OWN.value,
            "self_built": True,
            "search_text": search_text(r.owner_name, id_number, r.address, None),
            "latest_grade": r.grade,
        }

    def _update_house(self, house: House, r: HouseRow, person_id: int, id_number: str | None) -> None:
        wanted: dict[str, Any] = {
            "owner_id": person_id,
            "owner_name": r.owner_name,
            "structure": r.structure,
            "floors": r.floors,
        }
        for key in ("build_year", "area", "use"):
            if getattr(r, key) is not None:
                wanted[key] = getattr(r, key)
        wanted["search_text"] = search_text(r.owner_name, id_number, house.address, house.building_name)
        changed = False
        for key, value in wanted.items():
            current = getattr(house, key)
            current = current.value if hasattr(current, "value") else current
            if current != value:
                setattr(house, key, value)
                changed = True
        if changed:
            self.counts.houses_updated += 1
        else:
            self.counts.houses_unchanged += 1

    # screenings and appraisals ----------------------------------------------------------------------
    def _existing_by_date(self, model: Any, date_col: Any, house_ids: Iterable[int]) -> dict[tuple[int, dt.date], Any]:
        found: dict[tuple[int, dt.date], Any] = {}
        ids = sorted(set(house_ids))
        for part in chunks(ids):
            query = select(model).where(model.house_id.in_(part)).order_by(model.id)
            for row in self.session.scalars(query):
                found.setdefault((row.house_id, getattr(row, date_col)), row)
        return found

    def _screenings(self, rows: Sequence[HouseRow], house_ids: dict[int, int], existing: dict) -> None:
        old_ids = [house_ids[r.row] for r in rows if r.identity in existing]
        on_file = self._existing_by_date(Screening, "screened_on", old_ids)
        values: list[dict[str, Any]] = []
        for r in rows:
            house_id = house_ids[r.row]
            row = on_file.get((house_id, r.screened_on))
            if row is None:
                values.append(
                    {
                        "house_id": house_id,
                        "screened_on": r.screened_on,
                        "screener": "",
                        "conclusion": r.conclusion,
                        "hazards": NO_HAZARDS,
                        "note": r.note,
                    }
                )
            elif row.conclusion.value != r.conclusion or (r.note and row.note != r.note):
                row.conclusion = r.conclusion
                row.note = r.note or row.note
                self.counts.screenings_updated += 1
        if values:
            bulk_insert(self.session, Screening.__table__, values)
            self.counts.screenings_added = len(values)
        self.session.flush()

    def _appraisals(self, rows: Sequence[HouseRow], house_ids: dict[int, int], existing: dict) -> None:
        graded = [r for r in rows if r.grade and r.appraised_on]
        old_ids = [house_ids[r.row] for r in graded if r.identity in existing]
        on_file = self._existing_by_date(Appraisal, "appraised_on", old_ids)
        values: list[dict[str, Any]] = []
        touched: set[int] = set()
        for r in graded:
            house_id = house_ids[r.row]
            row = on_file.get((house_id, r.appraised_on))
            if row is None:
                values.append(
                    {
                        "house_id": house_id,
                        "appraised_on": r.appraised_on,
                        "grade": r.grade,
                        "agency": r.agency or "",
                        "report_no": "",
                    }
                )
            elif row.grade.value != r.grade or (r.agency and row.agency != r.agency):
                row.grade = r.grade
                row.agency = r.agency or row.agency
                self.counts.appraisals_updated += 1
            else:
                continue
            if r.identity in existing:
                touched.add(house_id)
        if values:
            bulk_insert(self.session, Appraisal.__table__, values)
            self.counts.appraisals_added = len(values)
        self.session.flush()
        self._refresh_latest_grade(sorted(touched))

    def _refresh_latest_grade(self, house_ids: list[int]) -> None:
        refresh_latest_grade(self.session, house_ids)

    # batches ----------------------------------------------------------------------------------------
    def _batches(self, rows: Sequence[HouseRow], house_ids: dict[int, int]) -> None:
        names = sorted({r.batch for r in rows if r.batch})
        if not names:
            return
        query = select(SourceBatch.name, SourceBatch.id).where(SourceBatch.name.in_(names))
        batch_ids = dict(self.session.execute(query).all())
        for name in names:
            if name not in batch_ids:
                batch_ids[name] = create_batch(self.session, name, source="表格导入").id
        query = select(BatchMember.batch_id, BatchMember.house_id).where(BatchMember.batch_id.in_(batch_ids.values()))
        present = {(batch_id, house_id) for batch_id, house_id in self.session.execute(query)}
        values = []
        for r in rows:
            if r.batch:
                pair = (batch_ids[r.batch], house_ids[r.row])
                if pair not in present:
                    present.add(pair)
                    values.append({"batch_id": pair[0], "house_id": pair[1], "verification": Verification.PENDING})
        if values:
            bulk_insert(self.session, BatchMember.__table__, values)
            self.counts.batch_members_added = len(values)


def refresh_latest_grade(session: Session, house_ids: list[int]) -> None:
    """The house list's latest-grade column, recomputed like the appraisal service does (no version bump)."""
    latest = (
        select(Appraisal.grade)
        .where(Appraisal.house_id == House.id)
        .order_by(Appraisal.appraised_on.desc(), Appraisal.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    for part in chunks(house_ids):
        session.execute(
            update(House).where(House.id.in_(part)).values(latest_grade=latest),
            execution_options={"synchronize_session": False},
        )
    for house in [session.get(House, i) for i in house_ids]:
        if house is not None:
            session.expire(house, ["latest_grade"])


def write_audit_summary(
    session: Session, file_name: str, counts: WriteCounts, rows: int, rejected: int, table: str = "house"
) -> None:
    """One audit entry describing the bulk import (the bulk inserts themselves write no per-row audit entries),
    appended to the hash chain like every other entry."""
    session.flush()  # pending ORM changes write their own entries first, keeping the chain in order
    clerk = session.info.get("clerk")
    values = {"file": file_name, "rows": rows, "rejected": rejected, **counts.as_dict()}
    entry = {
        "at": utcnow(),
        "clerk_id": getattr(clerk, "id", None),
        "clerk_name": getattr(clerk, "name", "") or "系统",
        "action": "import",
        "table_name": table,
        "row_id": "",
        "old_values": None,
        "new_values": values,
    }
    write_entries(session.connection(), [entry], session.info)
