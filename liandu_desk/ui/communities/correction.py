"""更正 a saved inspection: the scoring form prefilled with the current version, a reason, saved as a new version."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from liandu_desk.services.communities.corrections import correct_inspection
from liandu_desk.services.communities.inspections import InspectionDetail, inspection_detail
from liandu_desk.ui.communities.score_sheet import ScoreSheet
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog, date_field, date_of

log = logging.getLogger(__name__)


class CorrectionDialog(FormDialog):
    """The inspection form over a saved version; saving writes the next version and keeps this one."""

    def __init__(self, ctx: AppContext, detail: InspectionDetail, parent: QWidget | None = None) -> None:
        row = detail.row
        super().__init__(f"更正检查评分 — {row.community} {row.inspected_on}（第{row.revision}版）", parent, ctx)
        self.detail = detail
        self.saved: InspectionDetail | None = None
        self.setObjectName("inspectionCorrection")
        self.resize(1100, 760)
        self.date = self.add_field("检查日期", date_field(row.inspected_on))
        self.inspectors = self.add_field("检查人员", QLineEdit(row.inspectors))
        self.reason = self.add_field("更正原因", QLineEdit())
        self.reason.setObjectName("correctionReason")
        self.reason.setPlaceholderText("必填：为什么更正（如：第3项误扣，应为扣1分）")
        self.sheet = ScoreSheet(detail.template)
        self.sheet.load({line.item.id: (line.deduction, line.veto_triggered, line.note) for line in detail.lines})
        self.sheet_loaded = self.sheet.inputs()
        self.save_button.setText("保存更正(Ctrl+S)")
        hint = QLabel("更正保存为新版本，原记录保留并标注“已更正”；问题清单、星级按新版本重新计算，修改记入审计日志。")
        hint.setStyleSheet("color: #555555;")
        hint.setWordWrap(True)
        self.body.insertWidget(1, hint)
        self.body.insertWidget(2, self.sheet, 1)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.accept)

    def typed(self) -> bool:
        return super().typed() or self.sheet.inputs() != self.sheet_loaded

    def accept(self) -> None:
        """Check the sheet, then save the correction on the writer thread; a refusal stays in the form in Chinese."""
        if self.busy:
            return
        bad = self.sheet.invalid_rows()
        if bad:
            self.show_error_text(f"第{'、'.join(map(str, bad))}行：扣分应在0至该项满分之间")
            return
        inspection_id, day, people = self.detail.row.id, date_of(self.date), self.inspectors.text()
        inputs, reason = self.sheet.inputs(), self.reason.text()
        self.write(
            lambda session: correct_inspection(session, inspection_id, day, people, inputs, reason),
            self._saved,
            changed="inspection",
            ids=lambda detail: (detail.row.id,),
        )

    def _saved(self, detail: InspectionDetail) -> None:
        self.saved = detail
        self.close_saved()


def open_correction(
    ctx: AppContext, inspection_id: int, parent: QWidget, done: Callable[[InspectionDetail], None]
) -> None:
    """Read the version to correct off the GUI thread, then show the prefilled form; done(new version) on save."""

    def show(detail: InspectionDetail) -> None:
        dialog = CorrectionDialog(ctx, detail, parent)
        dialog.accepted.connect(lambda: done(dialog.saved) if dialog.saved else None)
        dialog.open()

    ops.read(ctx, lambda session: inspection_detail(session, inspection_id), show, parent=parent)
