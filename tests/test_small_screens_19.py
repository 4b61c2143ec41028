"""Issue 19, small screens: every tab, record page and dialog is usable at 1024×700 with nothing cut or overlapping."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QLabel,
    QLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from liandu_desk.storage import Database
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.main_window import MainWindow

SMALL = (1024, 700)
TABS = ("首页", "危房", "加装电梯", "星级小区")


def _settle(ctx: AppContext) -> None:
    for _ in range(4):
        ctx.jobs.wait_idle()
        QApplication.processEvents()


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _clipped_by_ancestor(widget: QWidget) -> QWidget | None:
    """The first ancestor (up to the window, stopping at a scroll area's viewport) that does not hold the widget."""
    rect = QRect(widget.rect())
    child = widget
    parent = widget.parentWidget()
    while parent is not None and not child.isWindow() and not isinstance(parent.parentWidget(), QAbstractScrollArea):
        rect.translate(child.pos())
        if not parent.rect().contains(rect):
            return parent
        child, parent = parent, parent.parentWidget()
    return None


def _label_problem(label: QLabel) -> str | None:
    if label.property("elided") or not label.text().strip() or label.pixmap() and not label.pixmap().isNull():
        return None
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return f"needs height {needed}, has {label.height()}"
        return None
    hint = label.sizeHint()
    if hint.width() > label.width() + 1 or hint.height() > label.height() + 1:
        return f"needs {hint.width()}×{hint.height()}, has {label.width()}×{label.height()}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    needed = button.minimumSizeHint()
    if button.text() and (needed.width() > button.width() + 1 or needed.height() > button.height() + 1):
        return f"needs {needed.width()}×{needed.height()}, has {button.width()}×{button.height()}"
    return None


def _layout_widgets(layout: QLayout) -> Iterator[QWidget]:
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            yield item.widget()
        elif item.layout() is not None:
            yield from _layout_widgets(item.layout())


def _overlaps(root: QWidget) -> list[str]:
    found = []
    for owner in [root, *root.findChildren(QWidget)]:
        if owner.layout() is None or not _shown(owner):
            continue
        widgets = [w for w in _layout_widgets(owner.layout()) if _shown(w)]
        for i, first in enumerate(widgets):
            for second in widgets[i + 1 :]:
                if first.geometry().intersects(second.geometry()):
                    found.append(f"{_name(first)} overlaps {_name(second)} in {_name(owner)}")
    return found


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    return f"{type(widget).__name__}({widget.objectName() or text[:24]!r})"


def cut_or_overlapping(root: QWidget) -> list[str]:
    """What a clerk could not read on `root` as it is laid out now."""
    problems = []
    for widget in root.findChildren(QWidget):
        if not _shown(widget) or widget.window() is not root.window():
            continue
        problem = None
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
        if problem is None and isinstance(widget, QLabel | QAbstractButton):
            outside = _clipped_by_ancestor(widget)
            problem = outside and f"outside {_name(outside)}"
        if problem:
            problems.append(f"{_name(widget)}: {problem}")
    return problems + _overlaps(root)


def _fits(widget: QWidget) -> None:
    hint = widget.minimumSizeHint()
    assert hint.width() <= SMALL[0] and hint.height() <= SMALL[1], f"{_name(widget)} needs {hint.toTuple()}"


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SMALL)
    window.show()
    _settle(ctx)
    return window


def _check_every_tab(window: MainWindow) -> dict[str, list[str]]:
    problems = {}
    for title in TABS:
        assert window.select_tab(title)
        _settle(window.ctx)
        found = cut_or_overlapping(window)
        page, viewport = window.pages[title], window.pages[title].parentWidget()
        if page.minimumSizeHint().width() > viewport.width():  # the tab would scroll sideways
            found.append(f"needs {page.minimumSizeHint().width()} px wide, has {viewport.width()}")
        if found:
            problems[title] = found
    return problems


@pytest.fixture
def demo_ctx(db: Database, ctx: AppContext) -> AppContext:
    from liandu_desk.demo import generate_demo

    generate_demo(db, scale=0.02)
    return ctx


def test_every_tab_fits_1024x700_with_data(qtbot: QtBot, demo_ctx: AppContext) -> None:
    window = _window(qtbot, demo_ctx)
    for title in TABS:
        window.select_tab(title)
        _settle(demo_ctx)
    _fits(window)
    assert window.size().toTuple() == SMALL
    assert _check_every_tab(window) == {}


def test_every_tab_fits_1024x700_when_empty(qtbot: QtBot, ctx: AppContext) -> None:
    window = _window(qtbot, ctx)
    assert _check_every_tab(window) == {}
    _fits(window)


def _dialogs(window: MainWindow) -> Iterator[QDialog]:
    """The dialogs the menus and tabs open, each built as the menu builds it (not executed)."""
    from liandu_desk.ui.admin.about import AboutDialog
    from liandu_desk.ui.admin.audit_viewer import AuditViewer
    from liandu_desk.ui.admin.clerks import ChangePasswordDialog, ClerkAdminDialog, ClerkDialog
    from liandu_desk.ui.admin.log_viewer import LogViewer
    from liandu_desk.ui.admin.record_import import RecordImportDialog
    from liandu_desk.ui.admin.settings_dialog import SettingsDialog
    from liandu_desk.ui.communities.inspection import InspectionDialog
    from liandu_desk.ui.documents.batch_dialog import BatchNoticeDialog
    from liandu_desk.ui.documents.holiday_import import HolidayImportDialog
    from liandu_desk.ui.documents.holidays import HolidayDialog
    from liandu_desk.ui.documents.register_dialog import DocumentRegisterDialog
    from liandu_desk.ui.documents.summary_dialog import SummaryDialog
    from liandu_desk.ui.documents.templates_dialog import DocumentTemplateDialog
    from liandu_desk.ui.elevators.settings_dialog import ElevatorSettingsDialog
    from liandu_desk.ui.home.search import SearchDialog
    from liandu_desk.ui.houses.house_form import HouseFormDialog
    from liandu_desk.ui.houses.import_wizard import ImportWizard

    ctx = window.ctx
    for dialog_class in (
        DocumentRegisterDialog,
        BatchNoticeDialog,
        SummaryDialog,
        HolidayDialog,
        HolidayImportDialog,
        DocumentTemplateDialog,
        SettingsDialog,
        ClerkAdminDialog,
        ChangePasswordDialog,
        ImportWizard,
        ElevatorSettingsDialog,
        SearchDialog,
    ):
        yield dialog_class(ctx, window)
    yield AuditViewer(ctx, parent=window)
    yield LogViewer(window)
    yield ClerkDialog(ctx, None, window)
    yield AboutDialog(ctx.db, window)
    yield RecordImportDialog(ctx, "communities", window)
    yield HouseFormDialog(ctx, None, window)
    yield InspectionDialog(ctx, None, window)


def _check_dialog(dialog: QDialog, ctx: AppContext) -> list[str]:
    dialog.show()
    _settle(ctx)
    hint = dialog.minimumSizeHint()
    if hint.width() > SMALL[0] or hint.height() > SMALL[1]:
        return [f"{type(dialog).__name__} needs at least {hint.toTuple()}"]
    dialog.resize(min(dialog.width(), SMALL[0]), min(dialog.height(), SMALL[1]))
    _settle(ctx)
    found = [f"{type(dialog).__name__}: {problem}" for problem in cut_or_overlapping(dialog)]
    dialog.close()
    return found


def test_dialogs_fit_1024x700(qtbot: QtBot, demo_ctx: AppContext) -> None:
    window = _window(qtbot, demo_ctx)
    problems = []
    for dialog in _dialogs(window):
        problems += _check_dialog(dialog, demo_ctx)
    assert problems == [], "\n".join(problems)


def test_record_pages_fit_1024x700(qtbot: QtBot, demo_ctx: AppContext) -> None:
    from sqlalchemy import select

    from liandu_desk.domain.communities import Community
    from liandu_desk.domain.elevators import ElevatorProject
    from liandu_desk.domain.houses import House
    from liandu_desk.ui.open_record import open_record

    with demo_ctx.db.session_scope() as session:
        ids = {
            kind: session.scalar(select(model.id).limit(1))
            for kind, model in (("house", House), ("elevator_project", ElevatorProject), ("community", Community))
        }
    window = _window(qtbot, demo_ctx)
    problems = []
    for kind, record_id in ids.items():
        before = set(QApplication.topLevelWidgets())
        open_record(demo_ctx, window, kind, record_id, window)
        _settle(demo_ctx)
        pages = [w for w in QApplication.topLevelWidgets() if w not in before and isinstance(w, QDialog)]
        if not pages:  # shown inside its tab
            problems += [f"{kind}: {problem}" for problem in cut_or_overlapping(window)]
            hint = window.minimumSizeHint()
            if hint.width() > SMALL[0] or hint.height() > SMALL[1]:
                problems.append(f"{kind}: the window needs at least {hint.toTuple()}")
        for page in pages:
            problems += _check_dialog(page, demo_ctx)
    assert problems == [], "\n".join(problems)


def test_a_window_larger_than_the_screen_is_shrunk_to_fit(qtbot: QtBot) -> None:
    from liandu_desk.ui.kit.fit import fit_to_screen

    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.resize(1400, 900)
    fit_to_screen(dialog)
    free = dialog.screen().availableGeometry()
    assert dialog.width() <= free.width() and dialog.height() <= free.height()
    assert free.contains(dialog.geometry().topLeft())


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_qt_file_dialog_is_chinese_19(qapp: QApplication) -> None:
    """The widget file dialog (Linux, offscreen) speaks Chinese under the app's translators; on Windows the static
    QFileDialog functions the app calls show the system's own dialog (nothing asks for Qt's)."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    import liandu_desk
    from liandu_desk.ui.app import install_translators

    translators = install_translators(qapp)
    try:
        for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
            dialog = QFileDialog(None, "选择文件")
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
            dialog.setAcceptMode(mode)
            dialog.show()
            QApplication.processEvents()
            texts = [label.text() for label in dialog.findChildren(QLabel)]
            texts += [button.text() for button in dialog.findChildren(QAbstractButton) if button.text()]
            english = [text for text in texts if not _chinese(text)]
            dialog.close()
            assert texts and all(texts) and english == [], texts
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    sources = Path(liandu_desk.__file__).parent.rglob("*.py")
    assert not [path.name for path in sources if "DontUseNativeDialog" in path.read_text(encoding="utf-8")]
