"""The scoring sheet of an inspection: one item per row, keyboard only, running total, veto rows in red."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.services.communities.inspections import ScoreInput, Totals, compute_totals
from liandu_desk.services.communities.templates import ItemView, TemplateView
from liandu_desk.ui.kit.signals import emit

VETO_STYLE = "color: #b00000; font-weight: bold;"
VETO_ON_STYLE = "background: #f4c7c3; color: #8b0000; font-weight: bold;"
BAD_STYLE = "border: 2px solid #d00000;"
HEADERS = ("序号", "类别", "检查项目", "满分", "扣分", "得分", "备注（问题描述）", "照片")


class _Row:
    """The widgets of one item."""

    def __init__(self, item: ItemView, number: int) -> None:
        self.item = item
        self.labels = [QLabel(str(number)), QLabel(item.category), QLabel(item.text), QLabel(f"{item.max_points:g}")]
        self.labels[2].setWordWrap(True)
        self.labels[2].setToolTip(f"扣分规则：{item.deduction_rule or '无'}")
        self.score = QLabel("—" if item.veto else f"{item.max_points:g}")
        self.note = QLineEdit()
        self.note.setPlaceholderText("可填写问题情况")
        self.note.setObjectName(f"note_{item.id}")
        self.photo_button = QPushButton("照片(0)")
        self.photo_button.setObjectName(f"photos_{item.id}")
        self.photos: list[str] = []
        if item.veto:
            self.editor: QLineEdit | QCheckBox = QCheckBox("否决")
            self.editor.setToolTip("空格键勾选：触发一票否决")
            for label in self.labels:
                label.setStyleSheet(VETO_STYLE)
            self.labels[2].setText(f"【一票否决】{item.text}")
        else:
            self.editor = QLineEdit()
            self.editor.setValidator(QDoubleValidator(0.0, item.max_points, 1))
            self.editor.setPlaceholderText("0")
            self.editor.setMaximumWidth(70)
        self.editor.setObjectName(f"deduct_{item.id}")

    def deduction(self) -> float | None:
        """The points typed (0 if empty), or None if the text is not a number within the maximum."""
        if isinstance(self.editor, QCheckBox):
            return 0.0
        text = self.editor.text().strip()
        if not text:
            return 0.0
        try:
            value = float(text)
        except ValueError:
            return None
        return value if 0 <= value <= self.item.max_points else None

    def vetoed(self) -> bool:
        return isinstance(self.editor, QCheckBox) and self.editor.isChecked()


class ScoreSheet(QWidget):
    """Type a deduction per row and press Enter to go to the next row; the total updates as you type."""

    totals_changed = Signal(object)
    finished = Signal()

    def __init__(self, template: TemplateView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template = template
        self.rows = [_Row(item, n) for n, item in enumerate(template.items, start=1)]
        self.total_label = QLabel()
        self.total_label.setObjectName("runningTotal")
        self.status_label = QLabel()
        self.status_label.setObjectName("sheetStatus")
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(8)
        for column, header in enumerate(HEADERS):
            label = QLabel(f"<b>{header}</b>")
            grid.addWidget(label, 0, column)
        for r, row in enumerate(self.rows, start=1):
            self._place(grid, r, row)
        grid.setColumnStretch(2, 3)
        grid.setColumnStretch(6, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.total_label)
        self._chain_focus()
        self.recompute()

    def _place(self, grid: QGridLayout, r: int, row: _Row) -> None:
        for column, label in enumerate(row.labels):
            grid.addWidget(label, r, column)
        grid.addWidget(row.editor, r, 4)
        grid.addWidget(row.score, r, 5)
        grid.addWidget(row.note, r, 6)
        grid.addWidget(row.photo_button, r, 7)
        if isinstance(row.editor, QCheckBox):
            row.editor.toggled.connect(self.recompute)
        else:
            row.editor.textChanged.connect(self.recompute)
        row.editor.installEventFilter(self)
        row.photo_button.clicked.connect(lambda _=False, rw=row: self._pick_photos(rw))

    def _chain_focus(self) -> None:
        """Tab order: deduction → note → next deduction; the photo buttons are reached with the mouse or Alt."""
        for row in self.rows:
            row.photo_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        widgets = [w for row in self.rows for w in (row.editor, row.note)]
        for first, second in zip(widgets, widgets[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_key = event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
        if is_key and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self._next_row(watched)
            return True
        return super().eventFilter(watched, event)

    def _next_row(self, editor: QObject) -> None:
        index = next(i for i, row in enumerate(self.rows) if row.editor is editor)
        if index + 1 < len(self.rows):
            self.rows[index + 1].editor.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            emit(self.finished)

    def focus_first(self) -> None:
        if self.rows:
            self.rows[0].editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _pick_photos(self, row: _Row) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "选择现场照片", "", "图片 (*.jpg *.jpeg *.png *.heic);;所有文件 (*)"
        )
        if files:
            row.photos = files
            row.photo_button.setText(f"照片({len(files)})")

    def inputs(self) -> list[ScoreInput]:
        """What was entered, for the rows that carry anything."""
        found = []
        for row in self.rows:
            deduction = row.deduction() or 0.0
            note = row.note.text().strip()
            if deduction or row.vetoed() or note or row.photos:
                found.append(ScoreInput(row.item.id, deduction, row.vetoed(), note, list(row.photos)))
        return found

    def invalid_rows(self) -> list[int]:
        return [n for n, row in enumerate(self.rows, start=1) if row.deduction() is None]

    def recompute(self) -> Totals:
        """Refresh every row's score, the veto highlight and the running total."""
        for row in self.rows:
            value = row.deduction()
            if isinstance(row.editor, QCheckBox):
                style = VETO_ON_STYLE if row.vetoed() else VETO_STYLE
                for label in (*row.labels, row.score):
                    label.setStyleSheet(style)
                row.score.setText("否决" if row.vetoed() else "—")
            else:
                row.editor.setStyleSheet("" if value is not None else BAD_STYLE)
                row.score.setText(f"{row.item.max_points - value:g}" if value is not None else "?")
        bad = self.invalid_rows()
        self.status_label.setText(f"第{'、'.join(map(str, bad))}行扣分无效（应在0至满分之间）" if bad else "")
        self.status_label.setStyleSheet("color: #d00000;" if bad else "")
        totals = compute_totals(self.template.items, [i for i in self.inputs() if i.deduction is not None])
        self._show(totals)
        emit(self.totals_changed, totals)
        return totals

    def _show(self, totals: Totals) -> None:
        text = f"合计得分：{totals.total:g} / {totals.max_total:g}　　扣分：{totals.deducted:g}"
        if totals.vetoed:
            text += "　　【一票否决】" + "；".join(totals.veto_items)
            self.total_label.setStyleSheet("font-size: 16px; font-weight: bold; color: #ffffff; background: #c00000;")
        else:
            self.total_label.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.total_label.setText(text)

    def load(self, deductions: dict[int, tuple[float, bool, str]]) -> None:
        """Fill the sheet from saved scores (item id → deduction, veto, note), e.g. to show a past inspection."""
        for row in self.rows:
            deduction, vetoed, note = deductions.get(row.item.id, (0.0, False, ""))
            if isinstance(row.editor, QCheckBox):
                row.editor.setChecked(vetoed)
            else:
                row.editor.setText(f"{deduction:g}" if deduction else "")
            row.note.setText(note)
        self.recompute()

    def set_read_only(self) -> None:
        for row in self.rows:
            row.editor.setEnabled(False) if isinstance(row.editor, QCheckBox) else row.editor.setReadOnly(True)
            row.note.setReadOnly(True)
            row.photo_button.setEnabled(False)
