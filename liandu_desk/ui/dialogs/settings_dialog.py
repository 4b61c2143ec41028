"""The settings dialog: bureau name, document-number prefixes and default deadlines."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.errors import ValidationError
from liandu_desk.services import settings as settings_service
from liandu_desk.ui.context import AppContext

log = logging.getLogger(__name__)
GROUP_TITLES = {
    "常规": "单位信息",
    "文号": "文号代字（发文字号的机关代字）",
    "期限": "默认期限",
    "备份": "自动备份",
}


class SettingsDialog(QDialog):
    """Edits the bureau-wide settings; nothing is saved unless every value is valid."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("设置")
        self.setMinimumWidth(520)
        self.editors: dict[str, QLineEdit | QSpinBox] = {}
        with ctx.session_scope() as session:
            values = settings_service.get_all(session)
        layout = QVBoxLayout(self)
        for group, title in GROUP_TITLES.items():
            layout.addWidget(self._group(title, [s for s in settings_service.SPECS if s.group == group], values))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _group(self, title: str, specs: list[settings_service.SettingSpec], values: dict[str, Any]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for spec in specs:
            editor = self._editor(spec, values[spec.key])
            editor.setObjectName(spec.key)
            self.editors[spec.key] = editor
            form.addRow(spec.label + "：", editor)
        return box

    @staticmethod
    def _editor(spec: settings_service.SettingSpec, value: Any) -> QLineEdit | QSpinBox:
        if spec.kind is int:
            spin = QSpinBox()
            spin.setRange(1, 365)
            spin.setValue(int(value))
            return spin
        line = QLineEdit(str(value))
        line.setClearButtonEnabled(True)
        return line

    def values(self) -> dict[str, Any]:
        """What the clerk typed, by setting key."""
        return {
            key: editor.value() if isinstance(editor, QSpinBox) else editor.text()
            for key, editor in self.editors.items()
        }

    def accept(self) -> None:
        try:
            with self.ctx.session_scope() as session:
                settings_service.save_settings(session, self.values())
        except ValidationError as exc:
            QMessageBox.warning(self, "设置有误", exc.message)
            self._focus_field(exc.field)
            return
        log.info("settings saved by %s", self.ctx.clerk.login)
        super().accept()

    def _focus_field(self, label: str) -> None:
        for spec in settings_service.SPECS:
            if spec.label == label:
                self.editors[spec.key].setFocus()
