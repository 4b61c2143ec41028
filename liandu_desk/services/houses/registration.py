"""Registering and editing houses and their owners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.fields import HOUSE_FIELDS
from liandu_desk.domain.houses import House, HouseKind, HouseUse, StructureType
from liandu_desk.domain.registry import TOWNSHIP_LEVELS, Division, Person
from liandu_desk.domain.validators import normalize_id_number, normalize_phone
from liandu_desk.services.houses.common import SaveResult, check_version, enum_value, get_or_raise, text_value
from liandu_desk.services.houses.summary import search_text
from liandu_desk.services.personal_data import may_see_full, person_ids_by_number, record_view

RURAL_FLOOR_WARNING = 6


@dataclass(frozen=True)
class HouseInput:
    """What the house form edits."""

    kind: str
    township_id: int
    address: str
    owner_name: str
    village_id: int | None = None
    owner_id_number: str = ""
    owner_phone: str = ""
    structure: str = StructureType.BRICK_CONCRETE.value
    floors: int | None = None
    build_year: int | None = None
    area: float | None = None
    use: str = HouseUse.OWN.value
    self_built: bool = True
    longitude: float | None = None
    latitude: float | None = None
    building_name: str = ""
    building_no: str = ""
    unit_no: str = ""
    block: str = ""
    note: str = ""
    # Values of catalogued plain fields that have no attribute above (a field added by its catalogue entry alone).
    extra: Mapping[str, Any] = field(default_factory=dict)


def plain_value(data: HouseInput, key: str) -> Any:
    """A plain field's value in the input: its attribute, else its entry in `extra`."""
    return getattr(data, key) if key in INPUT_ATTRIBUTES else data.extra.get(key)


def _check_divisions(session: Session, township_id: int, village_id: int | None, current: int | None = None) -> None:
    """The township exists; the village is one of its own and, unless the house is already on it, not retired."""
    township = session.get(Division, township_id) if township_id else None
    if township is None or township.parent_id is not None or township.level not in TOWNSHIP_LEVELS:
        raise ValidationError("乡镇（街道）", "请选择莲都区的乡镇（街道）")
    if village_id is not None:
        village = session.get(Division, village_id)
        if village is None or village.parent_id != township_id:
            raise ValidationError("村（社区）", f"不属于{township.name}")
        if village_id != current and village.valid_to is not None and village.valid_to < dt.date.today():
            retired = f"“{village.name}”已于{village.valid_to.isoformat()}撤销，请选择现行的村（社区）"
            raise ValidationError("村（社区）", retired)


def _check_numbers(data: HouseInput) -> list[str]:
    warnings: list[str] = []
    floors = HOUSE_FIELDS["floors"].check(data.floors)
    if floors is not None and data.kind == HouseKind.RURAL.value and floors > RURAL_FLOOR_WARNING:
        warnings.append(f"层数：农村房屋{floors}层，超过{RURAL_FLOOR_WARNING}层，请核实")
    if (data.longitude is None) != (data.latitude is None):
        raise ValidationError("经纬度", "经度和纬度应同时填写")
    if data.longitude is not None and not (73 <= data.longitude <= 136 and 3 <= data.latitude <= 54):
        raise ValidationError("经纬度", "不在中国境内（经度73–136，纬度3–54，十进制度）")
    return warnings


def _owner(session: Session, data: HouseInput, current_id: int | None) -> Person:
    """The owner: found by ID number, else the house's current owner (corrected in place), else a new person."""
    name = text_value(data.owner_name, "户主姓名", 20, required=True, min_len=2)
    current = session.get(Person, current_id) if current_id else None
    # the form shows what the clerk may see (masked for a 科员 on a server): a value sent back as shown is unchanged
    id_text, phone_text = data.owner_id_number.strip(), data.owner_phone.strip()
    kept_id = current is not None and bool(current.id_number) and id_text == current.id_number
    id_number = normalize_id_number(id_text, "户主身份证号") if id_text and not kept_id else None
    kept_phone = current is not None and bool(current.phone) and phone_text == current.phone
    phone = normalize_phone(phone_text, "联系电话") if phone_text and not kept_phone else None
    found_id = person_ids_by_number(session, [id_number]).get(id_number) if id_number else None
    person = current if kept_id else (session.get(Person, found_id) if found_id else None)
    if person is not None and person.name != name and person is not current:
        raise ValidationError("户主身份证号", f"该身份证号已登记为“{person.name}”，与户主姓名不符")
    if person is None and current is not None and (current.id_number is None or current.id_number == id_number):
        person = current  # a correction of the same owner (name typo, ID number added)
    if person is None:
        person = Person(name=name, id_number=id_number)
        session.add(person)
    renamed = person.id is not None and person.name != name
    person.name = name
    if id_number and person.id != found_id:
        person.id_number = id_number
    if phone and person.phone != phone:
        person.phone = phone
    session.flush()
    if renamed:
        _refresh_owner_houses(session, person)
    return person


def _refresh_owner_houses(session: Session, person: Person) -> None:
    """Other houses of a renamed owner: keep their list name and search text in step."""
    for house in session.scalars(select(House).where(House.owner_id == person.id)):
        text = search_text(person.name, person.id_number, house.address, house.building_name)
        values = {"owner_name": person.name, "search_text": text}
        session.execute(update(House).where(House.id == house.id).values(**values))
        session.expire(house, list(values))


def _apply(session: Session, house: House, data: HouseInput) -> list[str]:
    kind = enum_value(HouseKind, data.kind, "房屋类别")
    _check_divisions(session, data.township_id, data.village_id, house.village_id)
    warnings = _check_numbers(data)
    owner = _owner(session, data, house.owner_id)
    house.kind = kind
    house.township_id = data.township_id
    house.village_id = data.village_id
    house.address = HOUSE_FIELDS["address"].check(data.address)
    house.owner_id = owner.id
    house.owner_name = owner.name
    for entry in HOUSE_FIELDS.plain():  # structure, floors, build_year, area, use, … as the catalogue checks them
        setattr(house, entry.key, _column_value(entry.key, entry.check(plain_value(data, entry.key))))
    house.longitude, house.latitude = data.longitude, data.latitude
    house.search_text = search_text(owner.name, owner.id_number, house.address, house.building_name)
    if house.use == HouseUse.BUSINESS:
        warnings.append("用途：经营性房屋为重点排查对象")
    return warnings


def create_house(session: Session, data: HouseInput) -> SaveResult:
    """Register a house (and its owner, found by ID number or created)."""
    house = House()
    warnings = _apply(session, house, data)
    session.add(house)
    session.flush()
    return SaveResult(house.id, house.version, tuple(warnings))


def update_house(session: Session, house_id: int, data: HouseInput, expected_version: int | None) -> SaveResult:
    """Save an edit of a house; ConflictError if someone saved it since `expected_version` was read."""
    house = get_or_raise(session, House, house_id, "房屋")
    check_version(house, expected_version)
    warnings = _apply(session, house, data)
    session.flush()
    return SaveResult(house.id, house.version, tuple(warnings))


def _column_value(key: str, value: Any) -> Any:
    """A checked value as the house column stores it (an enum column takes its member)."""
    enum_class = getattr(House.__table__.c[key].type, "enum_class", None)
    return enum_class(value) if enum_class is not None and value is not None else value


def _stored(value: Any, field: Any) -> Any:
    """A stored value as the form edits it: enums by their text, empty text as ''."""
    value = getattr(value, "value", value)
    return "" if value is None and field.kind == "text" else value


def house_input(session: Session, house_id: int) -> tuple[HouseInput, int]:
    """The form values of a house and the version they were read at."""
    house = get_or_raise(session, House, house_id, "房屋")
    owner = session.get(Person, house.owner_id) if house.owner_id else None
    plain = {f.key: _stored(getattr(house, f.key), f) for f in HOUSE_FIELDS.plain()}
    data = HouseInput(
        kind=house.kind.value,
        township_id=house.township_id,
        address=house.address,
        owner_name=owner.name if owner else house.owner_name,
        village_id=house.village_id,
        owner_id_number=(owner.id_number or "") if owner else "",
        owner_phone=(owner.phone or "") if owner else "",
        longitude=house.longitude,
        latitude=house.latitude,
        **{key: value for key, value in plain.items() if key in INPUT_ATTRIBUTES},
        extra={key: value for key, value in plain.items() if key not in INPUT_ATTRIBUTES},
    )
    if owner is not None and (owner.id_number or owner.phone) and may_see_full(session):
        record_view(session, owner.id, "打开房屋编辑表单")  # the form shows this clerk the full numbers
    return data, house.version


INPUT_ATTRIBUTES = frozenset(f.name for f in fields(HouseInput)) - {"extra"}
