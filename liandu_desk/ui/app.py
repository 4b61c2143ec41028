"""Starting the GUI: QApplication, Chinese translations, crash hook, database, main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from liandu_desk import APP_NAME, APP_TITLE, __version__

log = logging.getLogger(__name__)


def _ensure_qt_platform(screenshot: str | None) -> None:
    if screenshot or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform != "linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def install_translators(app) -> list:
    """Load Qt's own zh_CN translations so standard dialogs and buttons speak Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = []
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            loaded.append(translator)
    if not loaded:
        log.warning("Qt zh_CN translations not found in %s", folder)
    from liandu_desk.ui.kit.qt_zh import QtGapTranslator

    gaps = QtGapTranslator(app)  # installed last, so asked first: only for the strings qtbase_zh_CN lacks
    app.installTranslator(gaps)
    return [*loaded, gaps]


def _application():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setApplicationDisplayName(APP_TITLE)
        app.setApplicationVersion(__version__)
        app.setOrganizationName("Liandu")
        from PySide6.QtGui import QIcon

        from liandu_desk.paths import resource_path

        app.setWindowIcon(QIcon(str(resource_path("icons", "app.png"))))
        install_translators(app)
    return app


VIEWER = ("viewer", "截图（只读）")


def open_database(db_option: str | None):
    """Open the database, take the writer lock if free, and migrate when writable."""
    from liandu_desk.services.clerks import os_login
    from liandu_desk.storage import Database
    from liandu_desk.storage.migrate import upgrade
    from liandu_desk.storage.writer_lock import claim_writer

    db = Database.from_option(db_option)
    if not claim_writer(db, os_login()):
        upgrade(db)
    return db


def server_choice(db_option: str | None) -> tuple[str | None, bool]:
    """(database option, go on). --db or LIANDU_DESK_DB win; a clerk who works on the shared server is asked for the
    password and connects (bounded by the connect timeout); if the server cannot be reached the dialog says so and
    offers to retry or open the local desk; closing it quits."""
    from liandu_desk.paths import DB_ENV_VAR
    from liandu_desk.ui.kit.prefs import Prefs

    if db_option or os.environ.get(DB_ENV_VAR):
        return db_option, True
    prefs = Prefs()
    if prefs.get("server/use") != "yes":
        return None, True
    from liandu_desk.ui.admin.server_dialog import choose_server_at_start

    url, local = choose_server_at_start(prefs)
    return url, bool(url) or local


def identify_clerk(db, interactive: bool):
    """First start: create the administrator; then log in. Non-interactive (screenshots): a viewer with no rights."""
    from liandu_desk.services.clerks import ClerkInfo, needs_first_admin
    from liandu_desk.ui.admin.login import FirstAdminDialog, LoginDialog
    from liandu_desk.ui.kit import ops

    if not interactive:
        return ClerkInfo(0, *VIEWER, "")
    if not db.is_sqlite:  # the server has checked the login's password: the clerk is whoever the login belongs to
        from liandu_desk.services.clerks import session_clerk

        return session_clerk(db)
    first = ops.before_window(db, needs_first_admin)
    if first and db.read_only_reason:
        return ClerkInfo(0, *VIEWER, "")
    dialog = FirstAdminDialog(db) if first else LoginDialog(db)
    return dialog.clerk if dialog.exec() else None


def build_main_window(db, clerk, jobs_parent=None):
    """The main window for an opened database and an identified clerk (no event loop)."""
    from liandu_desk.storage import ClerkRef
    from liandu_desk.ui.kit.context import AppContext
    from liandu_desk.ui.kit.jobs import JobRunner
    from liandu_desk.ui.main_window import MainWindow

    db.clerk = ClerkRef(clerk.id or None, clerk.name, clerk.login, clerk.role)
    ctx = AppContext(db=db, jobs=JobRunner(jobs_parent), clerk=clerk)
    window = MainWindow(ctx)
    from liandu_desk.ui.open_record import open_record

    ctx.router = lambda context, kind, record_id, parent: open_record(context, window, kind, record_id, parent)
    return window


def _startup_failed(exc: Exception) -> int:
    from PySide6.QtWidgets import QMessageBox

    from liandu_desk.logs import log_file_path

    log.exception("start-up failed")
    QMessageBox.critical(None, APP_TITLE, f"无法打开数据库：{exc}\n\n详细信息见日志：{log_file_path()}")
    return 1


def run_gui(
    db_option: str | None = None,
    screenshot: str | None = None,
    tab: str | None = None,
    size: tuple[int, int] | None = None,
) -> int:
    """Start the GUI; with `screenshot`, build the window offscreen, save a PNG of `tab` and exit. `size` (width,
    height) is the window's size in pixels (a screenshot's default is 1280×800)."""
    _ensure_qt_platform(screenshot)
    from liandu_desk.ui.kit.errors import install_excepthook, run_unattended

    app = _application()
    install_excepthook()
    if screenshot:
        run_unattended()  # a failed job must not wait offscreen for a click on its error dialog
    if not screenshot:
        from liandu_desk.ui.kit.fit import install_screen_fit

        install_screen_fit(app)  # a screenshot is drawn at the size asked for, whatever the screen
        db_option, go_on = server_choice(db_option)
        if not go_on:
            log.info("start-up cancelled at the server connection")
            return 0
    try:
        db = open_database(db_option)
    except Exception as exc:  # shown to the clerk, logged in full
        return _startup_failed(exc)
    while True:
        code, window = _session(app, db, screenshot, tab, size)
        if window is None or not window.switch_requested:
            return code
        log.info("switching user")


def _session(app, db, screenshot: str | None, tab: str | None, size: tuple[int, int] | None = None):
    """One clerk's working session: log in, show the main window, run until it closes. (exit code, window)."""
    try:
        clerk = identify_clerk(db, interactive=not screenshot)
    except Exception as exc:  # shown to the clerk, logged in full
        return _startup_failed(exc), None
    if clerk is None:
        log.info("login cancelled")
        return 0, None
    window = build_main_window(db, clerk, app)
    if tab and not window.select_tab(tab):
        print(f"错误：没有名为“{tab}”的选项卡", file=sys.stderr)
        return 2, None
    if size:
        window.resize(*size)
    window.show()
    _resume_collector()
    if window.ctx.db.read_only_reason and not screenshot:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(window, "只读模式", window.ctx.db.read_only_reason)
    if screenshot:
        return save_screenshot(window, Path(screenshot), size or SCREENSHOT_SIZE), None
    from liandu_desk.ui.admin.maintenance import schedule_auto_backup

    schedule_auto_backup(window.ctx)
    window.remind_unconfirmed()
    code = app.exec()
    window.ctx.jobs.shutdown()
    return code, window


def _resume_collector() -> None:
    """The window is up: resume the cycle collector `liandu-desk gui` paused for the start, first moving every object
    made so far (modules, classes, the window) into the permanent generation no collection walks again."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


SCREENSHOT_SIZE = (1280, 800)


def save_screenshot(window, path: Path, size: tuple[int, int] = SCREENSHOT_SIZE) -> int:
    """Wait until the tab's data is on screen, grab the window (at `size`, width and height) into a PNG, close."""
    from PySide6.QtWidgets import QApplication

    from liandu_desk.ui.kit.errors import unattended_errors

    window.resize(*size)
    window.ctx.jobs.wait_idle()
    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path), "PNG", 80)  # zlib level 1: lossless as ever, faster and here smaller
    window.close()
    if not ok:
        print(f"错误：无法写入截图 {path}", file=sys.stderr)
        return 1
    failed = unattended_errors()
    if failed:  # the picture was taken, but a part of the window could not be read: say so and fail
        print("错误：截图时出错：" + "；".join(failed), file=sys.stderr)
        return 1
    log.info("screenshot saved to %s", path)
    return 0
