"""New/edit house form: location, owner (ID checked), structure and use; urban building fields for 城镇."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.fields import HOUSE_FIELDS
from liandu_desk.domain.houses import HouseKind
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.domain.validators import mask_id_number, mask_phone
from liandu_desk.services.houses import listing, registration
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.fields import editor, set_value, value_of
from liandu_desk.ui.kit.forms import HouseFormDialogBase, combo


def parse_coordinates(text: str) -> tuple[float | None, float | None]:
    """'120.12, 28.45' (longitude, latitude in decimal degrees) → floats; empty → (None, None)."""
    cleaned = text.replace("，", ",").strip()
    if not cleaned:
        return None, None
    parts = [p.strip() for p in cleaned.split(",")]
    try:
        longitude, latitude = (float(p) for p in parts)
    except ValueError:
        raise ValidationError("经纬度", "应填写“经度, 纬度”两个十进制数，如 119.92, 28.45") from None
    return longitude, latitude


class HouseFormDialog(HouseFormDialogBase):
    """Registers a new house (house_id None) or edits one; the choices and the house load in a background job."""

    CONFLICT_COLUMNS = {f.label: f.key for f in HOUSE_FIELDS if f.plain or f.key in ("kind", "address", "owner_name")}

    def __init__(self, ctx: AppContext, house_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "新建房屋" if house_id is None else "编辑房屋", parent)
        self.house_id = house_id
        self.version: int | None = None
        self._villages: dict[int, list[Any]] = {}
        self.warnings: tuple[str, ...] = ()
        self._hidden: dict[str, str] = {}
        self._build_fields()
        self._load()

    def _build_fields(self) -> None:
        """One row per catalogued field, in catalogue order; the location, owner and coordinates have their own
        widgets (choices loaded from the database, personal data masked), everything else comes from the catalogue."""
        special = {
            "kind": combo([k.value for k in HouseKind]),
            "township_id": QComboBox(),
            "village_id": QComboBox(),
        }
        for entry in HOUSE_FIELDS:
            widget = special.get(entry.key) or editor(entry)
            if entry.key == "owner_name":
                widget.setPlaceholderText("2至20个字")
            self.add_field(entry.label, widget)
        self.fields[HOUSE_FIELDS["self_built"].label].setChecked(True)
        self.fields["房屋类别"].currentIndexChanged.connect(self._kind_changed)
        self.fields["乡镇（街道）"].currentIndexChanged.connect(self._fill_villages)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.fields["房屋类别"].currentData()
        for entry in HOUSE_FIELDS:
            if entry.shown_when:
                self.form.setRowVisible(self.fields[entry.label], entry.shown_when == kind)

    # --- loading -------------------------------------------------------------------------------------
    def _load(self) -> None:
        house_id = self.house_id

        def read(session) -> tuple[listing.FilterOptions, tuple[registration.HouseInput, int] | None]:
            existing = registration.house_input(session, house_id) if house_id is not None else None
            return listing.filter_options(session), existing

        self.set_busy("正在读取……")  # 保存 stays the default button: Enter waits for the choices, never cancels
        ops.read(self.ctx, read, self._loaded, parent=self, key=f"houses.form.{id(self)}")

    def _loaded(self, result: tuple[listing.FilterOptions, tuple[registration.HouseInput, int] | None]) -> None:
        options, existing = result
        self.set_busy("")
        self._villages = options.villages
        townships: QComboBox = self.fields["乡镇（街道）"]
        townships.blockSignals(True)
        townships.addItem("（请选择）", None)
        for township in options.townships:
            townships.addItem(township.name, township.id)
        townships.blockSignals(False)
        if existing is not None:
            self.set_input(*existing)
        else:
            self._fill_villages()

    def _fill_villages(self) -> None:
        villages: QComboBox = self.fields["村（社区）"]
        villages.clear()
        villages.addItem("（未填）", None)
        for village in self._villages.get(self.fields["乡镇（街道）"].currentData(), []):
            villages.addItem(village.name, village.id)

    def adopt_version(self, version: int) -> bool:
        """Keep the clerk's input and save it on top of the newest version (after the conflict dialog)."""
        if self.house_id is None:
            return False
        self.version = version
        return True

    def set_input(self, data: registration.HouseInput, version: int) -> None:
        """Show an existing house's values."""
        self.version = version
        f = self.fields
        f["房屋类别"].setCurrentIndex(max(f["房屋类别"].findData(data.kind), 0))
        f["乡镇（街道）"].setCurrentIndex(max(f["乡镇（街道）"].findData(data.township_id), 0))
        self._fill_villages()
        f["村（社区）"].setCurrentIndex(max(f["村（社区）"].findData(data.village_id), 0))
        self._hide_personal_data(data)
        f["地址（门牌）"].setText(data.address or "")
        f["户主姓名"].setText(data.owner_name or "")
        f["户主身份证号"].setText(self._shown(data.owner_id_number, "户主身份证号"))
        f["联系电话"].setText(self._shown(data.owner_phone, "联系电话"))
        for entry in HOUSE_FIELDS.plain():
            set_value(f[entry.label], registration.plain_value(data, entry.key))
        if data.longitude is not None and data.latitude is not None:
            f["经纬度"].setText(f"{data.longitude}, {data.latitude}")

    def _hide_personal_data(self, data: registration.HouseInput) -> None:
        """Without the permission the full ID number and phone stay hidden; left empty, they are kept unchanged."""
        if allowed(self.ctx.clerk.role, Permission.VIEW_PERSONAL_DATA):
            return
        for label, value, masked in (
            ("户主身份证号", data.owner_id_number, mask_id_number(data.owner_id_number)),
            ("联系电话", data.owner_phone, mask_phone(data.owner_phone)),
        ):
            if value:
                self._hidden[label] = value
                self.fields[label].setPlaceholderText(f"已登记 {masked}（不改请留空）")

    def _shown(self, value: str, label: str) -> str:
        return "" if label in self._hidden else value

    def _kept(self, values: dict[str, Any], label: str) -> str:
        return values[label] or self._hidden.get(label, "")

    # --- saving --------------------------------------------------------------------------------------
    def house_input(self, values: dict[str, Any]) -> registration.HouseInput:
        """The form as the registration service takes it."""
        longitude, latitude = parse_coordinates(values["经纬度"])
        plain = {entry.key: value_of(self.fields[entry.label]) for entry in HOUSE_FIELDS.plain()}
        return registration.HouseInput(
            kind=values["房屋类别"],
            township_id=values["乡镇（街道）"],
            village_id=values["村（社区）"],
            address=values["地址（门牌）"],
            owner_name=values["户主姓名"],
            owner_id_number=self._kept(values, "户主身份证号"),
            owner_phone=self._kept(values, "联系电话"),
            longitude=longitude,
            latitude=latitude,
            **{key: value for key, value in plain.items() if key in registration.INPUT_ATTRIBUTES},
            extra={key: value for key, value in plain.items() if key not in registration.INPUT_ATTRIBUTES},
        )

    def save(self, session, values: dict[str, Any]) -> int:
        data = self.house_input(values)
        if self.house_id is None:
            result = registration.create_house(session, data)
        else:
            result = registration.update_house(session, self.house_id, data, self.version)
        self.warnings = result.warnings
        return result.id
