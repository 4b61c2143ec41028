"""The inspection entry form: pick the community, then score one item per row with the keyboard; Ctrl+S saves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.communities.inspections import InspectionDetail, inspection_detail, record_inspection
from liandu_desk.services.communities.records import list_communities
from liandu_desk.services.communities.templates import current_template
from liandu_desk.ui.communities.score_sheet import ScoreSheet
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog, date_field, date_of


class InspectionDialog(FormDialog):
    """New inspection against the current template version; the running total is always visible."""

    def __init__(self, ctx: AppContext, community_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("录入检查评分", parent, ctx)
        self.saved: InspectionDetail | None = None
        self.template = None
        self.sheet: ScoreSheet | None = None
        self.resize(1100, 760)
        self.community = self.add_field("小区", QComboBox())
        self.community.setObjectName("inspectionCommunity")
        self.community.setEditable(True)
        self.community.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.date = self.add_field("检查日期", date_field())
        self.inspectors = self.add_field("检查人员", QLineEdit(ctx.clerk.name))
        self.inspectors.setObjectName("inspectionInspectors")
        self.save_button.setText("保存(Ctrl+S)")
        self.loading = QLabel("正在读取……")
        hint = QLabel("扣分栏输入数字后按回车进入下一项；一票否决项按空格勾选；Tab 进入备注栏；Ctrl+S 保存，Esc 取消。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        self.body.insertWidget(1, hint)
        self.body.insertWidget(2, self.loading, 1)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.accept)
        self.set_busy("正在读取评分表……")
        ops.read(
            ctx,
            lambda session: (current_template(session), list_communities(session)),
            lambda found: self._fill(*found, community_id),
            parent=self,
        )

    def _fill(self, template, communities: list, community_id: int | None) -> None:
        """The template and the communities have been read: build the score sheet."""
        self.template = template
        self.setWindowTitle(f"录入检查评分 — {template.label}")
        for row in communities:
            self.community.addItem(f"{row.name}（{row.township}）", row.id)
        self.community.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.community.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        if community_id is not None:
            self.community.setCurrentIndex(max(self.community.findData(community_id), 0))
        self.sheet = ScoreSheet(template)
        self.sheet_loaded = self.sheet.inputs()
        self.sheet.finished.connect(self.save_button.setFocus)
        self.body.replaceWidget(self.loading, self.sheet)
        self.body.setStretchFactor(self.sheet, 1)
        self.loading.hide()
        self.loading.deleteLater()
        self.set_busy("")
        if self._initial is not None:
            self._initial = self._states()  # what the form held once loaded: choosing the community is not typing
        if self.isVisible():
            self.sheet.focus_first()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.sheet is not None:
            self.sheet.focus_first()

    def typed(self) -> bool:
        return super().typed() or (self.sheet is not None and self.sheet.inputs() != self.sheet_loaded)

    def accept(self) -> None:
        """Validate, then save through the write worker; the dialog closes when the inspection is on file."""
        if self.busy or self.sheet is None:
            return
        community_id = self.community.currentData()
        if community_id is None or self.community.findText(self.community.currentText()) < 0:
            self.refused(ValidationError("小区", "请从列表中选择一个小区"))
            return
        bad = self.sheet.invalid_rows()
        if bad:
            self.show_error_text(f"第{'、'.join(map(str, bad))}行：扣分应在0至该项满分之间")
            return
        day, people, inputs = date_of(self.date), self.inspectors.text(), self.sheet.inputs()
        template_id = self.template.id
        self.write(
            lambda session: record_inspection(session, community_id, day, people, inputs, template_id),
            self._saved,
            changed="community",
            ids=lambda _detail: (community_id,),
        )

    def _saved(self, detail: InspectionDetail) -> None:
        self.saved = detail
        self.close_saved()


class InspectionViewer(QDialog):
    """A saved inspection, read-only, exactly as it was scored with its template version."""

    def __init__(self, ctx: AppContext, inspection_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("检查记录")
        self.resize(1050, 700)
        self.sheet: ScoreSheet | None = None
        self.loading = QLabel("正在读取……")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.loading)
        layout.addWidget(buttons)
        ops.read(ctx, lambda session: inspection_detail(session, inspection_id), self._fill, parent=self)

    def _fill(self, detail: InspectionDetail) -> None:
        row = detail.row
        self.setWindowTitle(f"检查记录 — {row.community} {row.inspected_on}")
        self.sheet = ScoreSheet(detail.template)
        self.sheet.load({line.item.id: (line.deduction, line.veto_triggered, line.note) for line in detail.lines})
        self.sheet.set_read_only()
        self.loading.setText(
            f"{row.community}　{row.inspected_on}　检查人员：{row.inspectors}　评分模板：{row.template}"
        )
        layout = self.layout()
        layout.insertWidget(1, self.sheet, 1)
