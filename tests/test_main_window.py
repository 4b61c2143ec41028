"""Main window: tabs, menus, status bar, settings round trip, remembered geometry and tab, about dialog."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QTabWidget
from pytestqt.qtbot import QtBot

from liandu_desk.plugins import MODULES, with_hook
from liandu_desk.services import settings as settings_service
from liandu_desk.ui.admin.about import AboutDialog
from liandu_desk.ui.admin.settings_dialog import SettingsDialog
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.main_window import MainWindow


def make_window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    return window


def test_tabs_menus_and_status_bar(qtbot: QtBot, ctx: AppContext) -> None:
    window = make_window(qtbot, ctx)
    tabs = window.findChild(QTabWidget, "moduleTabs")
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["首页", "危房", "加装电梯", "星级小区"]
    assert [m.title for m, _tab in with_hook("tab")] == ["首页", "危房", "加装电梯", "星级小区"]
    assert [m.title for m in MODULES if m.tab is None] == ["文书"]  # a module with no tab: menus, due items, search
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "编辑(&E)", "视图(&V)", "文书(&D)", "工具(&T)", "帮助(&H)"]
    assert ctx.db.display_name() in window.findChild(QLabel, "statusDatabase").text()
    assert "tester" in window.findChild(QLabel, "statusClerk").text()


def test_every_tab_is_a_real_widget_with_chinese_text(qtbot: QtBot, ctx: AppContext) -> None:
    window = make_window(qtbot, ctx)
    for title in ("首页", "危房", "加装电梯", "星级小区"):
        assert window.select_tab(title)
        page = window.tabs.currentWidget()
        texts = " ".join(label.text() for label in page.findChildren(QLabel))
        assert any("\u4e00" <= ch <= "\u9fff" for ch in texts), title
    assert not window.select_tab("不存在")


def test_settings_round_trip(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.editors["bureau.name"].setText("莲都区住房和城乡建设局")
    dialog.editors["prefix.house_notice"].setText("莲建危")
    dialog.editors["deadline.house_rectify"].setValue(20)
    dialog.accept()
    with ctx.session_scope() as session:
        values = settings_service.get_all(session)
    assert values["bureau.name"] == "莲都区住房和城乡建设局"
    assert values["prefix.house_notice"] == "莲建危" and values["deadline.house_rectify"] == 20
    reopened = SettingsDialog(ctx)
    qtbot.addWidget(reopened)
    assert reopened.editors["bureau.name"].text() == "莲都区住房和城乡建设局"


def test_invalid_setting_is_refused_with_message(qtbot: QtBot, ctx: AppContext, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.editors["prefix.community_notice"].setText("LJ-2021")
    dialog.accept()
    assert not shown, "the refusal stays in the dialog, not in a message box"
    assert dialog.error_label.text().startswith("小区整改通知书文号代字：")
    assert dialog.result() == 0
    with ctx.session_scope() as session:
        assert settings_service.get_setting(session, "prefix.community_notice") == "莲建物改"


def test_geometry_and_last_tab_remembered(qtbot: QtBot, ctx: AppContext) -> None:
    window = make_window(qtbot, ctx)
    window.resize(640, 480)
    window.select_tab("加装电梯")
    window.close()
    again = make_window(qtbot, ctx)
    assert again.current_title() == "加装电梯"
    assert (again.width(), again.height()) == (640, 480)


def test_about_dialog_names_version_and_data_location(qtbot: QtBot, ctx: AppContext) -> None:
    from liandu_desk import __version__
    from liandu_desk.paths import data_dir

    dialog = AboutDialog(ctx.db)
    qtbot.addWidget(dialog)
    text = dialog.findChild(QLabel, "aboutText").text()
    assert __version__ in text and str(data_dir()) in text and ctx.db.display_name() in text


def test_qt_standard_dialogs_speak_chinese(qapp: QApplication) -> None:
    from liandu_desk.ui.app import install_translators

    assert install_translators(qapp)
    box = QMessageBox(QMessageBox.Icon.Question, "t", "t", QMessageBox.StandardButton.Cancel)
    QTimer.singleShot(0, box.close)
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "取消"


def test_read_only_mode_is_visible(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.db.read_only_reason = "数据库正由张科员（计算机 PC-01）使用，本窗口以只读方式打开"
    window = make_window(qtbot, ctx)
    label = window.findChild(QLabel, "statusMode")
    assert label.text() == "只读" and "张科员" in label.toolTip()
    assert "（只读） — " in window.windowTitle()


def test_settings_dialog_offers_every_declared_group(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs[:3] == ["单位信息", "文号代字", "默认期限"] and "加装电梯" in tabs and "自动备份" in tabs
    editable = {s.key for s in settings_service.SPECS if s.kind is not dict}
    assert set(dialog.editors) == editable


def test_only_the_opening_tab_is_built_at_start(qtbot: QtBot, ctx: AppContext) -> None:
    window = make_window(qtbot, ctx)
    built = [type(page).__name__ for page in window.pages.built()]
    assert built == ["HomeTab"]  # the others are built the first time they are shown
    window.select_tab("危房")
    assert [type(page).__name__ for page in window.pages.built()] == ["HomeTab", "HousesTab"]
    assert window.tabs.currentWidget().page is window.pages["危房"]
