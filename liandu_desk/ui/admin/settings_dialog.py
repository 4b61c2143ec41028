"""The settings dialog: every declared bureau-wide setting, one tab per group (单位、文号、期限、文书、模块参数…)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QTabWidget, QWidget

from liandu_desk.services import settings as settings_service
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog

log = logging.getLogger(__name__)
GROUP_TITLES = {"常规": "单位信息", "文号": "文号代字", "期限": "默认期限", "文书": "文书", "备份": "自动备份"}
Editor = QLineEdit | QSpinBox | QCheckBox


class SettingsDialog(FormDialog):
    """Edits the bureau-wide settings; nothing is saved unless every value is valid (Enter saves, a refusal stays in
    the dialog and focuses the field)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("设置", parent, ctx)
        self.setMinimumWidth(620)
        self.editors: dict[str, Editor] = {}
        self.tabs = QTabWidget()
        self.tabs.addTab(QLabel("正在读取……"), "设置")
        self.body.insertWidget(0, self.tabs, 1)
        self.set_busy("正在读取……")
        self.unconfirmed: list[str] = []
        ops.read(
            ctx,
            lambda session: (settings_service.get_all(session), settings_service.unconfirmed(session)),
            self._fill,
            parent=self,
        )

    def _fill(self, read: tuple[dict[str, Any], list[str]]) -> None:
        values, self.unconfirmed = read
        self.tabs.clear()
        for group in dict.fromkeys(spec.group for spec in settings_service.SPECS):
            specs = [s for s in settings_service.SPECS if s.group == group]
            self.tabs.addTab(self._page(specs, values), GROUP_TITLES.get(group, group))
        self.fields = {
            spec.label: self.editors[spec.key] for spec in settings_service.SPECS if spec.key in self.editors
        }
        self.set_busy("")
        if self._initial is not None:
            self._initial = self._states()  # the values read are not typing

    def _page(self, specs: list[settings_service.SettingSpec], values: dict[str, Any]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        for spec in specs:
            if spec.kind is dict:  # tables (stage days, floor coefficients) have their own editor in the module
                where = (
                    "在“工具 → 数据核对状态”中记录（或命令 liandu-desk figures verify）"
                    if spec.group == "核对"
                    else "在该模块的“参数设置”中修改"
                )
                note = QLabel(where)
                note.setStyleSheet("color: #666;")
                form.addRow(spec.label + "：", note)
                continue
            editor = self._editor(spec, values[spec.key])
            editor.setObjectName(spec.key)
            self.editors[spec.key] = editor
            label = QLabel(spec.label + "：")
            if spec.key in self.unconfirmed:  # a shipped default no one has checked: documents are refused
                label.setText(f"{spec.label}（{settings_service.TO_CONFIRM}）：")
                label.setStyleSheet("color: #b00020;")
                label.setToolTip("出厂默认值，尚未由管理员核对；核对并保存后才能签发打印此项的文书")
            form.addRow(label, editor)
        return page

    @staticmethod
    def _editor(spec: settings_service.SettingSpec, value: Any) -> Editor:
        if spec.kind is bool:
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if spec.kind is int:
            spin = QSpinBox()
            spin.setRange(0, 99_999_999)
            spin.setGroupSeparatorShown(True)
            spin.setValue(int(value))
            return spin
        line = QLineEdit(str(value))
        line.setClearButtonEnabled(True)
        return line

    def values(self) -> dict[str, Any]:
        """What the clerk entered, by setting key."""
        result: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                result[key] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                result[key] = editor.value()
            else:
                result[key] = editor.text()
        return result

    def accept(self) -> None:
        if self.busy:  # still reading, or already saving: Enter waits
            return
        values = self.values()
        self.write(lambda session: settings_service.save_settings(session, values), self._saved, changed="setting")

    def _saved(self, _result: object) -> None:
        log.info("settings saved by %s", self.ctx.clerk.login)
        self.close_saved()

    def focus_field(self, label: str) -> None:
        """The field a refusal names, on its tab."""
        for spec in settings_service.SPECS:
            editor = self.editors.get(spec.key)
            if editor is not None and spec.label == label:
                self.tabs.setCurrentWidget(editor.parentWidget())
                editor.setFocus()
