"""Bar and line charts drawn with QPainter for the overview (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from liandu_desk.services.home.figures import Chart

PALETTE = (QColor("#d48806"), QColor("#b00020"), QColor("#1f6fb2"), QColor("#2e8b57"))
GRID = QColor("#e2e2e2")
AXIS = QColor("#888888")


def nice_top(value: int) -> int:
    """A round axis maximum at or above value (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


class ChartBase(QWidget):
    """Title, legend, y axis with four grid lines; subclasses draw the data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: Chart | None = None
        self.setMinimumHeight(170)

    def sizeHint(self) -> QSize:
        return QSize(520, 220)

    def set_chart(self, chart: Chart | None) -> None:
        self.chart = chart
        self.update()

    def top_value(self) -> int:
        assert self.chart is not None
        return nice_top(max((v for s in self.chart.series for v in s.values), default=0))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if self.chart is None:
            painter.setPen(Qt.GlobalColor.gray)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "正在读取……")
            return
        fm = QFontMetrics(self.font())
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(0, 2, self.width(), fm.height() + 2), Qt.AlignmentFlag.AlignCenter, self.chart.title)
        legend_bottom = self._legend(painter, fm, fm.height() + 6)
        plot = QRectF(self.rect()).adjusted(fm.horizontalAdvance("00000") + 8, legend_bottom + 6, -10, -self.x_room(fm))
        top = self.top_value()
        self._grid(painter, plot, top, fm)
        if not any(any(s.values) for s in self.chart.series):
            painter.setPen(Qt.GlobalColor.gray)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "本期无数据")
        self.draw_data(painter, plot, top, fm)

    def x_room(self, fm: QFontMetrics) -> int:
        return fm.height() + 8

    def _legend(self, painter: QPainter, fm: QFontMetrics, y: float) -> float:
        assert self.chart is not None
        widths = [fm.horizontalAdvance(s.name) + 26 for s in self.chart.series]
        x = max((self.width() - sum(widths)) / 2, 4)
        for index, (series, width) in enumerate(zip(self.chart.series, widths, strict=True)):
            painter.fillRect(QRectF(x, y + fm.height() / 2 - 5, 12, 10), PALETTE[index % len(PALETTE)])
            painter.setPen(QColor("#333333"))
            painter.drawText(QPointF(x + 16, y + fm.ascent()), series.name)
            x += width
        return y + fm.height()

    def _grid(self, painter: QPainter, plot: QRectF, top: int, fm: QFontMetrics) -> None:
        for i in range(5):
            y = plot.bottom() - plot.height() * i / 4
            painter.setPen(QPen(GRID if i else AXIS, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(AXIS)
            label = f"{top * i / 4:g}"
            painter.drawText(
                QRectF(0, y - fm.height() / 2, plot.left() - 4, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )

    def draw_data(self, painter: QPainter, plot: QRectF, top: int, fm: QFontMetrics) -> None:
        raise NotImplementedError


class BarChart(ChartBase):
    """Stacked bars per category; category names written vertically two characters wide if they do not fit."""

    def x_room(self, fm: QFontMetrics) -> int:
        return fm.height() * 2 + 10

    def top_value(self) -> int:
        assert self.chart is not None
        totals = [sum(s.values[i] for s in self.chart.series) for i in range(len(self.chart.categories))]
        return nice_top(max(totals, default=0))

    def draw_data(self, painter: QPainter, plot: QRectF, top: int, fm: QFontMetrics) -> None:
        assert self.chart is not None
        count = len(self.chart.categories)
        if not count:
            return
        slot = plot.width() / count
        for i, name in enumerate(self.chart.categories):
            x, base = plot.left() + slot * i + slot * 0.18, plot.bottom()
            for index, series in enumerate(self.chart.series):
                height = plot.height() * series.values[i] / top
                painter.fillRect(QRectF(x, base - height, slot * 0.64, height), PALETTE[index % len(PALETTE)])
                base -= height
            total = sum(s.values[i] for s in self.chart.series)
            painter.setPen(QColor("#333333"))
            if total:
                painter.drawText(
                    QRectF(x - 6, base - fm.height(), slot * 0.64 + 12, fm.height()),
                    Qt.AlignmentFlag.AlignCenter,
                    str(total),
                )
            short = name.replace("街道", "").replace("畲族", "")
            label_rect = QRectF(plot.left() + slot * i, plot.bottom() + 2, slot, fm.height() * 2 + 6)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWrapAnywhere, short)


class LineChart(ChartBase):
    """One line per series with its values at the points."""

    def draw_data(self, painter: QPainter, plot: QRectF, top: int, fm: QFontMetrics) -> None:
        assert self.chart is not None
        count = len(self.chart.categories)
        if not count:
            return
        step = plot.width() / max(count, 1)
        xs = [plot.left() + step * (i + 0.5) for i in range(count)]
        painter.setPen(QColor("#333333"))
        for x, name in zip(xs, self.chart.categories, strict=True):
            label = QRectF(x - step / 2, plot.bottom() + 2, step, fm.height() + 4)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, name)
        for index, series in enumerate(self.chart.series):
            colour = PALETTE[index % len(PALETTE)]
            points = [
                QPointF(x, plot.bottom() - plot.height() * v / top) for x, v in zip(xs, series.values, strict=True)
            ]
            painter.setPen(QPen(colour, 2))
            for a, b in zip(points, points[1:], strict=False):
                painter.drawLine(a, b)
            painter.setBrush(colour)
            for point, value in zip(points, series.values, strict=True):
                painter.drawEllipse(point, 3, 3)
                if value:  # zeros sit on the axis: their labels would only overlap
                    painter.drawText(QPointF(point.x() + 4, point.y() - 4), str(value))
            painter.setBrush(Qt.BrushStyle.NoBrush)
