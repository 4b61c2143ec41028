"""Opening a record from the 首页 (due list, search) in the main window, the Ctrl+K shortcut, the demo targets."""

from __future__ import annotations

import datetime as dt
import random

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from liandu_desk.demo import DemoContext
from liandu_desk.demo.home import generate
from liandu_desk.plugins import module_by_title
from liandu_desk.services.home.targets import target_progress
from liandu_desk.ui.home.search import SearchDialog
from liandu_desk.ui.main_window import MainWindow
from liandu_desk.ui.open_record import open_record
from tests.home_factories import house_with_case

D = dt.date


def test_open_record_switches_to_the_module_and_shows_the_house(ctx, qtbot):
    with ctx.db.session_scope() as s:
        house_id, _case = house_with_case(s, "王芳", D(2021, 9, 1))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.select_tab("首页")
    assert open_record(window.ctx, window, "house", house_id)
    assert window.current_title() == "危房"
    page = window.pages["危房"].house_page
    assert page is not None and page.isVisible()
    page.close()


def test_ctrl_k_opens_the_search_box_anywhere_in_the_window(ctx, qtbot):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: hasattr(window.pages["首页"], "search_shortcut"), timeout=2000)
    window.select_tab("星级小区")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, SearchDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].close()


def test_demo_adds_the_seed_h2_2021_targets(db):
    assert module_by_title("首页").demo.target == "liandu_desk.demo.home:generate"
    generate(db, DemoContext(random.Random(1), 1.0, 2021))
    generate(db, DemoContext(random.Random(1), 1.0, 2021))  # a second run adds nothing
    with db.session_scope() as s:
        targets = target_progress(s, D(2021, 7, 1))
    plan = [(t.metric, t.figure, t.deadline) for t in targets]
    assert plan[:3] == [
        ("rural_rectified", 380, D(2021, 9, 30)),
        ("batch_rectified", 76, D(2021, 12, 31)),
        ("urban_c_plans", 15, D(2021, 12, 31)),
    ]
    assert len(targets) == 4 and all(t.start_on == D(2021, 7, 1) for t in targets)
