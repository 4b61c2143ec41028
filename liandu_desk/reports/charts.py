"""Small bar charts drawn with reportlab graphics in the bundled CJK fonts."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color, HexColor

from liandu_desk.reports.fonts import HEADING

BAR = HexColor("#b8322f")
GRID = Color(0.8, 0.8, 0.8)


def _caption(drawing: Drawing, text: str, width: float, height: float) -> None:
    drawing.add(String(width / 2, height - 14, text, fontName=HEADING, fontSize=11, textAnchor="middle"))


def column_chart(
    title: str, labels: Sequence[str], values: Sequence[int], width: float, height: float = 170
) -> Drawing:
    """Vertical bars with the value printed above each bar."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, width - 60, height - 60
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = HEADING
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.angle = 30 if max((len(s) for s in labels), default=0) > 3 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if chart.categoryAxis.labels.angle else "n"
    chart.valueAxis.labels.fontName = HEADING
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.visibleGrid = True
    chart.bars[0].fillColor = BAR
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = HEADING
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 7
    drawing.add(chart)
    _caption(drawing, title, width, height)
    return drawing


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int], width: float) -> Drawing:
    """Horizontal bars, one per label (for long labels such as project stages)."""
    height = 40 + 16 * max(len(labels), 1)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 110, 10, width - 140, height - 34
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.labels.fontName = HEADING
    chart.categoryAxis.labels.fontSize = 9
    chart.valueAxis.labels.fontName = HEADING
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BAR
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = HEADING
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 8
    drawing.add(chart)
    _caption(drawing, title, width, height)
    return drawing
