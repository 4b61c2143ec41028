"""Form widgets made from the field catalogue: the right editor, range, length, placeholder and help per field."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from liandu_desk.domain.fields import Field, Kind

NOT_FILLED = "未填"


def editor(field: Field) -> QWidget:
    """A widget for the field: spin boxes start one below their range to mean 未填 (empty)."""
    widget: QWidget
    if field.kind is Kind.CHOICE:
        widget = QComboBox()
        for choice in field.choices:
            widget.addItem(choice, choice)
    elif field.kind is Kind.BOOL:
        widget = QCheckBox(field.help or field.label)
    elif field.kind in (Kind.INT, Kind.DECIMAL):
        widget = _spin(field)
    else:
        widget = QLineEdit()
        widget.setMaxLength(field.max_length or 200)
        widget.setPlaceholderText(field.placeholder)
    if field.help:
        widget.setToolTip(field.help)
    return widget


def _spin(field: Field) -> QSpinBox | QDoubleSpinBox:
    low, high = field.bounds()
    spin: QSpinBox | QDoubleSpinBox
    if field.kind is Kind.INT:
        spin = QSpinBox()
        spin.setRange(int(low if low is not None else 0) - 1, int(high if high is not None else 2_000_000_000))
    else:
        spin = QDoubleSpinBox()
        spin.setDecimals(field.decimals)
        spin.setRange(float(low if low is not None else 0), float(high if high is not None else 1e9))
    if field.unit:
        spin.setSuffix(f" {field.unit}")
    spin.setSpecialValueText(NOT_FILLED)
    spin.setValue(spin.minimum())
    return spin


def set_value(widget: QWidget, value: Any) -> None:
    """Show a stored value (None: empty)."""
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(widget.findData(getattr(value, "value", value)), 0))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QSpinBox | QDoubleSpinBox):
        widget.setValue(widget.minimum() if value is None else value)
    elif isinstance(widget, QLineEdit):
        widget.setText("" if value is None else str(value))


def value_of(widget: QWidget) -> Any:
    """The entered value (None for an empty spin box; the checkbox's state)."""
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return None if widget.value() == widget.minimum() and widget.specialValueText() else widget.value()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    return None
