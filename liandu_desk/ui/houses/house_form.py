"""New/edit house form: location, owner (ID checked), structure and use; urban building fields for 城镇."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.houses import HouseKind, HouseUse, StructureType
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.domain.validators import mask_id_number, mask_phone
from liandu_desk.services.houses import listing, registration
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.forms import HouseFormDialogBase, combo

URBAN_FIELDS = ("楼栋名称", "幢", "单元", "历史街区/项目")


def _line(text: str = "", placeholder: str = "", max_length: int = 200) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    return edit


def _spin(low: int, high: int, none_text: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low - 1, high)
    spin.setSpecialValueText(none_text)
    spin.setValue(low - 1)
    return spin


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

    CONFLICT_COLUMNS = {
        "房屋类别": "kind",
        "地址（门牌）": "address",
        "户主姓名": "owner_name",
        "结构类型": "structure",
        "层数": "floors",
        "建造年份": "build_year",
        "建筑面积": "area",
        "用途": "use",
        "自建": "self_built",
        "备注": "note",
    }

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
        self.add_field("房屋类别", combo([k.value for k in HouseKind]))
        self.add_field("乡镇（街道）", QComboBox())
        self.add_field("村（社区）", QComboBox())
        self.add_field("地址（门牌）", _line(placeholder="如 碧湖镇下赵村12号"))
        self.add_field("户主姓名", _line(max_length=20))
        self.add_field("户主身份证号", _line(placeholder="18位，末位可为X", max_length=20))
        self.add_field("联系电话", _line(placeholder="手机或0578-2123456", max_length=20))
        self.add_field("结构类型", combo([s.value for s in StructureType]))
        self.add_field("层数", _spin(1, 100, "未填"))
        self.add_field("建造年份", _spin(1900, 2100, "未填"))
        area = QDoubleSpinBox()
        area.setRange(0, 100000)
        area.setDecimals(1)
        area.setSuffix(" m²")
        area.setSpecialValueText("未填")
        self.add_field("建筑面积", area)
        self.add_field("用途", combo([u.value for u in HouseUse]))
        self.add_field("自建", QCheckBox("自建房（非开发建设）"))
        self.add_field("经纬度", _line(placeholder="经度, 纬度（十进制度，可不填）", max_length=60))
        for label in URBAN_FIELDS:
            self.add_field(label, _line(max_length=100))
        self.add_field("备注", _line(max_length=500))
        self.fields["自建"].setChecked(True)
        self.fields["房屋类别"].currentIndexChanged.connect(self._kind_changed)
        self.fields["乡镇（街道）"].currentIndexChanged.connect(self._fill_villages)
        self._kind_changed()

    def _kind_changed(self) -> None:
        urban = self.fields["房屋类别"].currentData() == HouseKind.URBAN.value
        for label in URBAN_FIELDS:
            self.form.setRowVisible(self.fields[label], urban)

    # --- loading -------------------------------------------------------------------------------------
    def _load(self) -> None:
        house_id = self.house_id

        def work(_job) -> tuple[listing.FilterOptions, tuple[registration.HouseInput, int] | None]:
            with self.ctx.session_scope() as session:
                existing = registration.house_input(session, house_id) if house_id is not None else None
                return listing.filter_options(session), existing

        self.ctx.jobs.run(work, self._loaded, key=f"houses.form.{id(self)}", widgets=[self.save_button])

    def _loaded(self, result: tuple[listing.FilterOptions, tuple[registration.HouseInput, int] | None]) -> None:
        options, existing = result
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
        texts = {
            "地址（门牌）": data.address,
            "户主姓名": data.owner_name,
            "户主身份证号": self._shown(data.owner_id_number, "户主身份证号"),
            "联系电话": self._shown(data.owner_phone, "联系电话"),
            "楼栋名称": data.building_name,
            "幢": data.building_no,
            "单元": data.unit_no,
            "历史街区/项目": data.block,
            "备注": data.note,
        }
        for label, value in texts.items():
            f[label].setText(value or "")
        f["结构类型"].setCurrentIndex(max(f["结构类型"].findData(data.structure), 0))
        f["用途"].setCurrentIndex(max(f["用途"].findData(data.use), 0))
        f["层数"].setValue(data.floors or 0)
        f["建造年份"].setValue(data.build_year or 1899)
        f["建筑面积"].setValue(data.area or 0)
        f["自建"].setChecked(bool(data.self_built))
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
        return registration.HouseInput(
            kind=values["房屋类别"],
            township_id=values["乡镇（街道）"],
            village_id=values["村（社区）"],
            address=values["地址（门牌）"],
            owner_name=values["户主姓名"],
            owner_id_number=self._kept(values, "户主身份证号"),
            owner_phone=self._kept(values, "联系电话"),
            structure=values["结构类型"],
            floors=values["层数"],
            build_year=values["建造年份"],
            area=values["建筑面积"],
            use=values["用途"],
            self_built=self.fields["自建"].isChecked(),
            longitude=longitude,
            latitude=latitude,
            building_name=values["楼栋名称"],
            building_no=values["幢"],
            unit_no=values["单元"],
            block=values["历史街区/项目"],
            note=values["备注"],
        )

    def save(self, session, values: dict[str, Any]) -> int:
        data = self.house_input(values)
        if self.house_id is None:
            result = registration.create_house(session, data)
        else:
            result = registration.update_house(session, self.house_id, data, self.version)
        self.warnings = result.warnings
        return result.id
