"""A small star-history chart drawn with QPainter (QtCharts is not shipped): one point per rated period."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from liandu_desk.services.communities.ratings import StarPoint

LINE = QColor("#d48806")
GRID = QColor("#dddddd")


def period_label(point: StarPoint) -> str:
    """2021上半年, 2020下半年, or the dates for other periods."""
    start, end = point.period_start, point.period_end
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 6, 30):
        return f"{start.year}上半年"
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (7, 1, 12, 31):
        return f"{start.year}下半年"
    return f"{start:%Y.%m}–{end:%Y.%m}"


class StarChart(QWidget):
    """Stars (0–5) per period as a line with labelled points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[StarPoint] = []
        self.setMinimumHeight(160)

    def sizeHint(self) -> QSize:
        return QSize(420, 180)

    def set_points(self, points: Sequence[StarPoint]) -> None:
        self.points = list(points)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = QRectF(self.rect()).adjusted(44, 14, -16, -30)
        self._axes(painter, plot)
        if not self.points:
            painter.setPen(Qt.GlobalColor.gray)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "暂无星级评定记录")
            return
        positions = [self._position(plot, i, p.stars) for i, p in enumerate(self.points)]
        painter.setPen(QPen(LINE, 2))
        for a, b in zip(positions, positions[1:], strict=False):
            painter.drawLine(a, b)
        for point, pos in zip(self.points, positions, strict=True):
            painter.setBrush(LINE)
            painter.drawEllipse(pos, 4, 4)
            painter.setPen(Qt.GlobalColor.black)
            text = f"{point.stars}★" if point.stars else "无星"
            painter.drawText(QRectF(pos.x() - 30, pos.y() - 22, 60, 16), Qt.AlignmentFlag.AlignCenter, text)
            painter.drawText(
                QRectF(pos.x() - 50, plot.bottom() + 6, 100, 18), Qt.AlignmentFlag.AlignCenter, period_label(point)
            )
            painter.setPen(QPen(LINE, 2))

    def _axes(self, painter: QPainter, plot: QRectF) -> None:
        for stars in range(6):
            y = plot.bottom() - plot.height() * stars / 5
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(Qt.GlobalColor.darkGray)
            painter.drawText(QRectF(0, y - 8, plot.left() - 6, 16), Qt.AlignmentFlag.AlignRight, f"{stars}星")

    def _position(self, plot: QRectF, index: int, stars: int) -> QPointF:
        count = len(self.points)
        x = plot.left() + plot.width() * ((index + 0.5) / count)
        return QPointF(x, plot.bottom() - plot.height() * stars / 5)
