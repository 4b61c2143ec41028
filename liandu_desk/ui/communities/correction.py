"""更正 a saved inspection: the scoring form prefilled with the current version, a reason, saved as a new version."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.errors import LianduError
from liandu_desk.services.communities.corrections import correct_inspection
from liandu_desk.services.communities.inspections import InspectionDetail, inspection_detail
from liandu_desk.ui.communities.score_sheet import ScoreSheet
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext

log = logging.getLogger(__name__)


class CorrectionDialog(QDialog):
    """The inspection form over a saved version; saving writes the next version and keeps this one."""

    def __init__(self, ctx: AppContext, detail: InspectionDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.detail = ctx, detail
        self.saved: InspectionDetail | None = None
        row = detail.row
        self.setObjectName("inspectionCorrection")
        self.setWindowTitle(f"更正检查评分 — {row.community} {row.inspected_on}（第{row.revision}版）")
        self.resize(1100, 760)
        day = row.inspected_on
        self.date = QDateEdit(QDate(day.year, day.month, day.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.inspectors = QLineEdit(row.inspectors)
        self.reason = QLineEdit()
        self.reason.setObjectName("correctionReason")
        self.reason.setPlaceholderText("必填：为什么更正（如：第3项误扣，应为扣1分）")
        self.sheet = ScoreSheet(detail.template)
        self.sheet.load({line.item.id: (line.deduction, line.veto_triggered, line.note) for line in detail.lines})
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存更正(Ctrl+S)")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        self._layout()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("检查日期(&D)：", self.date)
        form.addRow("检查人员(&P)：", self.inspectors)
        form.addRow("更正原因(&R)：", self.reason)
        hint = QLabel("更正保存为新版本，原记录保留并标注“已更正”；问题清单、星级按新版本重新计算，修改记入审计日志。")
        hint.setStyleSheet("color: #555555;")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.sheet, 1)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        """Check the sheet, then save the correction on the writer thread; refusals are shown in Chinese."""
        bad = self.sheet.invalid_rows()
        if bad:
            QMessageBox.warning(self, "无法保存", f"第{'、'.join(map(str, bad))}行：扣分应在0至该项满分之间")
            return
        inspection_id, day, people = self.detail.row.id, self.date.date().toPython(), self.inspectors.text()
        inputs, reason = self.sheet.inputs(), self.reason.text()
        ops.write(
            self.ctx,
            lambda session: correct_inspection(session, inspection_id, day, people, inputs, reason),
            self._saved,
            changed="inspection",
            ids=lambda detail: (detail.row.id,),
            parent=self,
            widgets=[self.buttons],
            refused=self._refused,
        )

    def _saved(self, detail: InspectionDetail) -> None:
        self.saved = detail
        self.accept()

    def _refused(self, error: LianduError) -> None:
        QMessageBox.warning(self, "无法更正", error.message)


def open_correction(
    ctx: AppContext, inspection_id: int, parent: QWidget, done: Callable[[InspectionDetail], None]
) -> None:
    """Read the version to correct off the GUI thread, then show the prefilled form; done(new version) on save."""

    def show(detail: InspectionDetail) -> None:
        dialog = CorrectionDialog(ctx, detail, parent)
        dialog.accepted.connect(lambda: done(dialog.saved) if dialog.saved else None)
        dialog.open()

    ops.read(ctx, lambda session: inspection_detail(session, inspection_id), show, parent=parent)
