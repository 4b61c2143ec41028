"""Scoring-template editor: one item per row; saving a version already used by inspections makes a new version."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from liandu_desk.domain.errors import LianduError, ValidationError
from liandu_desk.services.communities.templates import ItemDraft, TemplateDraft, TemplateView, save_template
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog

HEADERS = ("类别", "检查项目", "满分", "扣分规则", "每处扣分", "一票否决")


class TemplateEditor(FormDialog):
    """Edit categories, items, maximum points, deduction rules and veto items of a template (Enter in the name or
    pass mark saves; in the table Enter edits a cell; a refusal stays in the form)."""

    def __init__(self, ctx: AppContext, template: TemplateView, parent: QWidget | None = None) -> None:
        super().__init__(f"编辑评分模板 — {template.label}", parent, ctx)
        self.template = template
        self.saved_id: int | None = None
        self.resize(1100, 700)
        self.name = self.add_field("模板名称", QLineEdit(template.name))
        self.pass_mark = self.add_field("合格分", QLineEdit(f"{template.pass_mark:g}"))
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("templateItems")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for item in template.items:
            self._add_row(item.category, item.text, item.max_points, item.deduction_rule, item.deduct_per, item.veto)
        self.total = QLabel()
        self.table.itemChanged.connect(self._update_total)
        self._update_total()
        self._build()

    def _build(self) -> None:
        used = "（该版本已用于检查，保存时将另存为新版本，历史检查的得分不受影响）" if self.template.used else ""
        add, remove = QPushButton("增加一行(&A)"), QPushButton("删除所选行(&D)")
        add.clicked.connect(lambda: self._add_row(self._current_category(), "", 0, "", None, False))
        remove.clicked.connect(self._remove_row)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(add)
        row_buttons.addWidget(remove)
        row_buttons.addStretch(1)
        row_buttons.addWidget(self.total)
        self.body.insertWidget(1, QLabel(f"第{self.template.version}版{used}"))
        self.body.insertWidget(2, self.table, 1)
        self.body.insertLayout(3, row_buttons)
        self.table_loaded = self._cells()

    def _cells(self) -> list[tuple[str, ...]]:
        return [
            tuple(self._text(r, c) for c in range(5)) + (str(self.table.item(r, 5).checkState()),)
            for r in range(self.table.rowCount())
        ]

    def typed(self) -> bool:
        return super().typed() or self._cells() != self.table_loaded

    def _add_row(self, category: str, text: str, points: float, rule: str, per: float | None, veto: bool) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = (category, text, f"{points:g}", rule, "" if per is None else f"{per:g}")
        for column, value in enumerate(values):
            self.table.setItem(row, column, QTableWidgetItem(value))
        check = QTableWidgetItem("否决")
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if veto else Qt.CheckState.Unchecked)
        self.table.setItem(row, 5, check)

    def _current_category(self) -> str:
        row = self.table.currentRow()
        return self.table.item(row, 0).text() if row >= 0 and self.table.item(row, 0) else ""

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._update_total()

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item else ""

    def _number(self, row: int, column: int, label: str, optional: bool = False) -> float | None:
        text = self._text(row, column)
        if not text and optional:
            return None
        try:
            return float(text or 0)
        except ValueError:
            raise ValidationError(f"第{row + 1}行 {label}", "应为数字") from None

    def draft(self) -> TemplateDraft:
        """The table as a draft (the service validates it)."""
        items = []
        for row in range(self.table.rowCount()):
            veto = self.table.item(row, 5).checkState() == Qt.CheckState.Checked
            items.append(
                ItemDraft(
                    self._text(row, 0),
                    self._text(row, 1),
                    self._number(row, 2, "满分") or 0.0,
                    self._text(row, 3),
                    self._number(row, 4, "每处扣分", optional=True),
                    veto,
                )
            )
        try:
            pass_mark = float(self.pass_mark.text())
        except ValueError:
            raise ValidationError("合格分", "应为数字") from None
        return TemplateDraft(self.name.text(), pass_mark, items)

    def _update_total(self, *_args) -> None:
        try:
            total = sum(i.max_points for i in self.draft().items if not i.veto)
        except LianduError:
            self.total.setText("满分合计：?")
            return
        colour = "" if abs(total - 100) < 1e-9 else "color: #c00000;"
        self.total.setStyleSheet(colour)
        self.total.setText(f"满分合计：{total:g} 分")

    def accept(self) -> None:
        if self.busy:
            return
        try:
            draft = self.draft()
        except LianduError as exc:
            self.refused(exc)
            return
        template_id = self.template.id
        self.write(lambda session: save_template(session, template_id, draft), self._saved, changed="community")

    save = accept

    def _saved(self, saved_id: int) -> None:
        self.saved_id = saved_id
        if self.saved_id != self.template.id:
            QMessageBox.information(self, "已保存", "该版本已用于检查，修改已另存为新版本；以后的检查使用新版本。")
        self.close_saved()
