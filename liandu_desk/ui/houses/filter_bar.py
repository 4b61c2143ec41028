"""The house list's filter bar (division, village, kind, grade, case status, batch, overdue) and debounced search."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from liandu_desk.ui.kit.fit import FlowLayout
from liandu_desk.ui.kit.signals import emit

ALL = "全部"
SEARCH_DELAY_MS = 250
KINDS = ("农村", "城镇")


class DebouncedSearchBox(QLineEdit):
    """Emits `search_changed(text)` once typing pauses for 250 ms; Enter emits at once, Esc clears, Down leaves."""

    search_changed = Signal(str)
    leave_down = Signal()

    def __init__(self, placeholder: str = "", delay_ms: int = SEARCH_DELAY_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._emitted = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(lambda _text: self._timer.start())

    @property
    def pending(self) -> bool:
        """Whether a change is waiting for the pause to end."""
        return self._timer.isActive()

    def term(self) -> str:
        return self.text().strip()

    def flush(self) -> None:
        """Emit now if the term differs from the last one emitted."""
        self._timer.stop()
        term = self.term()
        if term != self._emitted:
            self._emitted = term
            emit(self.search_changed, term)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
            return
        if event.key() == Qt.Key.Key_Down:
            self.flush()
            emit(self.leave_down)
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.flush()
            return
        super().keyPressEvent(event)


def _combo(name: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.addItem(ALL, None)
    return combo


def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
    """Replace the items after 全部, keeping the current choice when it is still offered."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(ALL, None)
    for label, data in items:
        combo.addItem(label, data)
    found = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(found, 0))
    combo.blockSignals(False)


class HouseFilterBar(QWidget):
    """Filter combos and the search box; `changed` fires whenever the filter differs (search debounced)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.township = _combo("filterTownship", "乡镇（街道）")
        self.village = _combo("filterVillage", "村（社区），先选乡镇")
        self.village.setEnabled(False)
        self.kind = _combo("filterKind", "农村或城镇房屋")
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.grade = _combo("filterGrade", "最近一次鉴定等级")
        self.case_status = _combo("filterCaseStatus", "整治状态")
        self.batch = _combo("filterBatch", "来源批次")
        self.overdue = QCheckBox("仅逾期")
        self.overdue.setObjectName("filterOverdue")
        self.overdue.setToolTip("只显示整治期限已过而未完成的房屋")
        self.search = DebouncedSearchBox("搜索户主、地址或身份证号（Ctrl+F）")
        self.search.setObjectName("houseSearch")
        self.search.setMinimumWidth(240)
        self._villages: dict[int, list[Any]] = {}
        self._layout()
        self._connect()

    def _layout(self) -> None:
        layout = FlowLayout(self)  # wraps onto a second line in a narrow window
        for label, widget in (
            ("乡镇", self.township),
            ("村/社区", self.village),
            ("类型", self.kind),
            ("等级", self.grade),
            ("整治状态", self.case_status),
            ("批次", self.batch),
        ):
            caption = QLabel(label + "：")
            caption.setBuddy(widget)
            pair = QWidget(self)  # a caption stays beside its box when the row wraps
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(caption)
            row.addWidget(widget)
            layout.addWidget(pair)
        layout.addWidget(self.overdue)
        layout.addWidget(self.search)

    def _connect(self) -> None:
        self.township.currentIndexChanged.connect(self._on_township)
        for combo in (self.village, self.kind, self.grade, self.case_status, self.batch):
            combo.currentIndexChanged.connect(lambda _i: emit(self.changed))
        self.overdue.toggled.connect(lambda _on: emit(self.changed))
        self.search.search_changed.connect(lambda _text: emit(self.changed))

    def set_options(self, options: Any) -> None:
        """Offer the choices of a FilterOptions (townships, villages by township, grades, statuses, batches)."""
        self._villages = dict(options.villages)
        _refill(self.township, [(t.name, t.id) for t in options.townships])
        _refill(self.grade, [(g if g == "未鉴定" else f"{g}级", g) for g in options.grades])
        _refill(self.case_status, [(s, s) for s in options.case_statuses])
        _refill(self.batch, [(b, b) for b in options.batches])
        self._fill_villages()

    def _fill_villages(self) -> None:
        township_id = self.township.currentData()
        villages = self._villages.get(township_id, []) if township_id is not None else []
        _refill(self.village, [(v.name, v.id) for v in villages])
        self.village.setEnabled(township_id is not None)

    def _on_township(self, _index: int) -> None:
        self._fill_villages()
        emit(self.changed)

    def values(self) -> dict[str, Any]:
        """The filter as keyword arguments of HouseFilter (without `today`)."""
        return {
            "township_id": self.township.currentData(),
            "village_id": self.village.currentData() if self.village.isEnabled() else None,
            "kind": self.kind.currentData(),
            "grade": self.grade.currentData(),
            "case_status": self.case_status.currentData(),
            "batch": self.batch.currentData(),
            "overdue": self.overdue.isChecked(),
            "search": self.search.term(),
        }

    def is_default(self) -> bool:
        """No filter and no search."""
        values = self.values()
        return (
            not values["search"]
            and not values["overdue"]
            and all(v is None for k, v in values.items() if k not in ("search", "overdue"))
        )

    def reset(self) -> None:
        """Back to 全部 everywhere (one `changed`)."""
        widgets = (self.township, self.village, self.kind, self.grade, self.case_status, self.batch, self.overdue)
        for widget in widgets:
            widget.blockSignals(True)
        for combo in widgets[:-1]:
            combo.setCurrentIndex(0)
        self.overdue.setChecked(False)
        self.village.setEnabled(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.search.flush()
        emit(self.changed)
