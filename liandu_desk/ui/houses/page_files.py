"""The house page's attachments: add a file (its category decides the record it belongs to) and open one."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from liandu_desk.services import attachments as attachment_service
from liandu_desk.ui.houses.owner_forms import AttachmentRoleForm
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.forms import run_confirmed_action


class AttachmentActions:
    """Mixed into the house page (which provides ctx, house_id, data, cases and _after_save)."""

    def add_attachment(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "添加附件", "", "照片和文件 (*.jpg *.jpeg *.png *.pdf *.*)")
        if not path:
            return
        form = AttachmentRoleForm(Path(path).name, self)
        if form.exec():
            self.attach_file(Path(path), form.role.currentText())

    def attachment_owner(self, role: str) -> tuple[str, int, str]:
        """Where a file of this role belongs: before/after photos on the selected case, a report on the latest
        appraisal, anything else on the house; with the label the message shows."""
        case = self.cases.current()
        if role in ("整改前", "整改后") and case is not None:
            return "house_case", case.id, f"整治案件（{case.opened_on:%Y-%m-%d} 立案）"
        appraisals = self.data.detail.appraisals if self.data else ()
        if role == "鉴定报告" and appraisals:
            latest = appraisals[-1]
            return "house_appraisal", latest.id, f"{latest.appraised_on:%Y-%m-%d} 的{latest.grade}级鉴定"
        return "house", self.house_id, "房屋"

    def attach_file(self, path: Path, role: str) -> None:
        """Store a file as an attachment (read and saved in a write job); hostile names are made harmless there."""
        table, owner_id, label = self.attachment_owner(role)

        def action(session) -> int:
            return attachment_service.add_attachment(session, table, owner_id, path.name, path.read_bytes(), role)

        done = f"附件“{path.name}”已添加到{label}。"
        house_id = self.house_id
        run_confirmed_action(
            self.ctx, self, None, action, lambda _r: self._after_save(done), changed="house", ids=lambda _r: (house_id,)
        )

    def open_attachment(self, attachment_id: int) -> None:
        """Copy an attachment to a temporary file under its sanitised name and open it with the system viewer."""
        info = next((a for a in self.data.detail.attachments if a.id == attachment_id), None) if self.data else None
        if info is None:
            return

        def work(session) -> Path:
            data = attachment_service.read_attachment(session, attachment_id)
            folder = Path(tempfile.mkdtemp(prefix="liandu-attachment-"))
            target = folder / info.original_name  # the name was made harmless when the file was stored
            target.write_bytes(data)
            return target

        ops.read(self.ctx, work, lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))), parent=self)
