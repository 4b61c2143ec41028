"""Layout for small screens (1024×700): wrapping rows, scrolling pages, current-page stacks, screen-fitted windows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)


class FlowLayout(QLayout):
    """Lays its items out left to right and wraps onto the next line when the width runs out (Qt's flow layout
    example): a toolbar or filter row that never forces the window wider than its widest item."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """One line with every item."""
        width = sum(item.sizeHint().width() for item in self._visible())
        width += self.spacing() * max(0, len(self._visible()) - 1)
        height = max((item.sizeHint().height() for item in self._visible()), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        """The widest item: everything else wraps."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place (or only measure) the items in `rect`; the height they need."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        lines: list[list[tuple[QLayoutItem, int, QSize]]] = [[]]
        for item in self._visible():
            hint = item.sizeHint().boundedTo(QSize(area.width(), 1 << 20)).expandedTo(item.minimumSize())
            if lines[-1] and x + hint.width() > area.right() + 1:
                x, y, line_height = area.x(), y + line_height + self.spacing(), 0
                lines.append([])
            lines[-1].append((item, x, hint))
            x += hint.width() + self.spacing()
            line_height = max(line_height, hint.height())
            if move:
                item.setGeometry(QRect(QPoint(x - hint.width() - self.spacing(), y), hint))
        if move:  # centre each item vertically on its line
            for line in lines:
                height = max((hint.height() for _item, _x, hint in line), default=0)
                for item, left, hint in line:
                    top = item.geometry().y() + (height - hint.height()) // 2
                    item.setGeometry(QRect(QPoint(left, top), hint))
        return y + line_height - rect.y() + margins.bottom()


def flow_row(widgets: list[QWidget], parent: QWidget | None = None) -> QWidget:
    """A widget holding `widgets` in a FlowLayout."""
    holder = QWidget(parent)
    layout = FlowLayout(holder)
    for widget in widgets:
        layout.addWidget(widget)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder


class PageScroll(QScrollArea):
    """A page in a frameless scroll area: the page gets the whole viewport, and scrolls only where the viewport is
    smaller than the page's minimum size (its wrapped rows counted at the width it has), so its rows are never
    squashed. Unlike a resizable QScrollArea it does not grow a page to its preferred height."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(False)
        self.setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        widget, view = self.widget(), self.viewport().size()
        width = max(view.width(), widget.minimumSizeHint().width())
        layout = widget.layout()
        height = widget.minimumSizeHint().height()
        if layout is not None and layout.hasHeightForWidth():
            height = max(height, layout.totalMinimumHeightForWidth(width))
        widget.resize(width, max(view.height(), height))


def scrolling(widget: QWidget) -> PageScroll:
    """`widget` in a PageScroll."""
    return PageScroll(widget)


class HorizontalStrip(QScrollArea):
    """A row of boxes that scrolls sideways when the window is narrower than the row, keeping its own height."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(widget)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # boxes added or removed: the strip's height follows
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        inner = self.widget().sizeHint()
        return QSize(inner.width(), inner.height() + self.horizontalScrollBar().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())


def wrapped(label: QLabel) -> QLabel:
    """`label`, word-wrapped: a long line wraps in a narrow window instead of widening it."""
    label.setWordWrap(True)
    return label


def install_screen_fit(app: QApplication) -> None:
    """A window that becomes active larger than its screen's free area is shrunk to fit it (dialogs ask for sizes
    such as 1400×900 that a 1024×700 screen cannot show)."""

    def fit(window: QWindow | None) -> None:
        for widget in app.topLevelWidgets():
            if window is not None and widget.windowHandle() is window:
                fit_to_screen(widget)

    app.focusWindowChanged.connect(fit)


def fit_to_screen(window: QWidget) -> None:
    """Shrink `window` (never below its minimum size) and move it so it lies on its screen's free area."""
    screen = window.screen()
    if screen is None or window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
        return
    free = screen.availableGeometry()
    frame = window.frameGeometry().size() - window.size()
    size = window.size().boundedTo(free.size() - frame).expandedTo(window.minimumSize())
    if size != window.size():
        window.resize(size)
        left = min(max(window.x(), free.left()), free.right() - window.frameGeometry().width() + 1)
        top = min(max(window.y(), free.top()), free.bottom() - window.frameGeometry().height() + 1)
        window.move(max(left, free.left()), max(top, free.top()))


class CurrentStack(QStackedWidget):
    """A stacked widget as large as the page it shows, not as its largest page: a list does not take the height of
    the record page stacked behind it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        current = self.currentWidget()
        if current is None:
            return super().minimumSizeHint()
        size = current.minimumSizeHint().expandedTo(current.minimumSize())
        if current.hasHeightForWidth():  # wrapped text: the height it needs at the width it has
            size.setHeight(max(size.height(), current.heightForWidth(max(self.width(), size.width()))))
        return size

    def hasHeightForWidth(self) -> bool:
        """No: Qt asks the stacked layout, which answers for its tallest page."""
        return False


def kept_together(widgets: list[QWidget]) -> QWidget:
    """`widgets` side by side in one widget, so a flow layout never wraps between them (a caption and its box)."""
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return holder
