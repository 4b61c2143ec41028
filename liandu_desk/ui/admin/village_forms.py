"""The village register's small forms: add, rename and retire a village or community, and its change history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.services import audit as audit_service
from liandu_desk.services.audit import AuditRow
from liandu_desk.services.division_register import (
    CODE_FIELD,
    NAME_FIELD,
    SOURCE_FIELD,
    VALID_FROM_FIELD,
    VALID_TO_FIELD,
    VillageInput,
    VillageRow,
    add_village,
    rename_village,
    retire_village,
)
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog
from liandu_desk.ui.kit.forms import combo, date_edit, field_value
from liandu_desk.ui.kit.ops import Work
from liandu_desk.ui.kit.row_table import Column, RowTableModel
from liandu_desk.ui.kit.tables import read_only_table

SOURCE_TIP = "依据的文件或名录，如：莲政发〔2024〕5号；填写后记为“已核实”，不填为“未核实”"
HISTORY_COLUMNS: tuple[Column[AuditRow], ...] = (
    Column("时间", lambda r: f"{r.at:%Y-%m-%d %H:%M}"),
    Column("操作人", lambda r: r.clerk_name),
    Column("操作", lambda r: r.action_label),
    Column("内容", lambda r: r.summary()),
)


class RegisterForm(FormDialog):
    """A register form (kit FormDialog): saves through ops.write; a refusal is shown in red and focuses its field."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent, ctx)
        self.setMinimumWidth(480)
        self.result_row: VillageRow | None = None

    def values(self) -> dict[str, Any]:
        return {label: field_value(widget) for label, widget in self.fields.items()}

    def call(self, values: dict[str, Any]) -> Work:
        """The service call that saves these values."""
        raise NotImplementedError

    def accept(self) -> None:
        if self.busy:
            return
        self.write(self.call(self.values()), self._saved, changed="division", ids=lambda row: (row.id,))

    def _saved(self, row: VillageRow) -> None:
        self.result_row = row
        self.close_saved()

    def show_error(self, text: str) -> None:
        self.show_error_text(text)


class AddVillageForm(RegisterForm):
    """新增村（社区） under one township."""

    def __init__(self, ctx: AppContext, township_id: int, township: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"新增村（社区）— {township}", parent)
        self.township_id = township_id
        self.add_field(NAME_FIELD, QLineEdit(), "常用名称，如：保定村、通济社区")
        self.add_field("类型", combo(("村", "社区")))
        self.add_field(CODE_FIELD, QLineEdit(), "国家统计局12位统计用区划代码；没有可不填")
        self.add_field(SOURCE_FIELD, QLineEdit(), SOURCE_TIP)
        self.add_field(VALID_FROM_FIELD, date_edit(None, optional=True), "设立日期；不详可不填")

    def call(self, values: dict[str, Any]) -> Work:
        data = VillageInput(
            name=values[NAME_FIELD],
            level=values["类型"],
            code=values[CODE_FIELD],
            source=values[SOURCE_FIELD],
            valid_from=values[VALID_FROM_FIELD],
        )
        return lambda session: add_village(session, self.township_id, data)


class RenameVillageForm(RegisterForm):
    """更名: the row (and the houses on it) stays; the audit trail keeps the old name."""

    def __init__(self, ctx: AppContext, village: VillageRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"更名 — {village.name}", parent)
        self.village = village
        self.form.addRow("现名称：", QLabel(village.name))
        name = QLineEdit(village.name)
        self.add_field(NAME_FIELD, name, "新的名称；原名称记入修改记录")
        self.add_field(SOURCE_FIELD, QLineEdit(), SOURCE_TIP)
        name.selectAll()

    def call(self, values: dict[str, Any]) -> Work:
        village = self.village
        return lambda session: rename_village(
            session, village.id, values[NAME_FIELD], village.version, values[SOURCE_FIELD]
        )


class RetireVillageForm(RegisterForm):
    """撤销 (撤并): the last day the village existed; its houses keep it, new entries no longer offer it."""

    def __init__(self, ctx: AppContext, village: VillageRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"撤销 — {village.name}", parent)
        self.village = village
        note = QLabel(f"“{village.name}”现有房屋{village.houses}户；撤销后房屋仍归属该村（社区），新录入时不再列出。")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.add_field(VALID_TO_FIELD, date_edit(dt.date.today()), "该村（社区）存在的最后一天")
        self.add_field(SOURCE_FIELD, QLineEdit(), "撤并依据，如：并入××村（莲政发〔2024〕5号）")

    def call(self, values: dict[str, Any]) -> Work:
        village = self.village
        return lambda session: retire_village(
            session, village.id, values[VALID_TO_FIELD], village.version, values[SOURCE_FIELD]
        )


class VillageHistoryDialog(QDialog):
    """Every audited change of one village or community, oldest first (names before a rename included)."""

    def __init__(self, ctx: AppContext, village: VillageRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"修改记录 — {village.name}")
        self.resize(820, 360)
        self.model: RowTableModel[AuditRow] = RowTableModel(HISTORY_COLUMNS, self)
        self.table = read_only_table(self.model, "villageHistory")
        self.empty = QLabel("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        ops.read(ctx, lambda session: audit_service.history(session, "division", village.id), self._show, parent=self)

    def _show(self, rows: list[AuditRow]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.empty.setText("" if rows else "随程序载入的名册条目，之后没有修改。")
