"""The main window: menus, one tab per module, a status bar with the database and the clerk."""

from __future__ import annotations

import logging

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QMessageBox, QTabWidget

from liandu_desk import APP_TITLE
from liandu_desk.paths import data_dir
from liandu_desk.plugins import load, module_by_title, with_hook
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.fit import fit_to_screen
from liandu_desk.ui.kit.prefs import Prefs
from liandu_desk.ui.kit.tab_base import BaseTab, LazyTab

log = logging.getLogger(__name__)


class TabPages:
    """The module tabs by title: `pages[title]` is the module's tab (built on first access), `built()` only those
    already built."""

    def __init__(self) -> None:
        self._holders: dict[str, LazyTab] = {}

    def add(self, title: str, holder: LazyTab) -> None:
        self._holders[title] = holder

    def holder(self, title: str) -> LazyTab:
        return self._holders[title]

    def __contains__(self, title: object) -> bool:
        return title in self._holders

    def __getitem__(self, title: str) -> BaseTab:
        return self._holders[title].ensure()

    def get(self, title: str, default: BaseTab | None = None) -> BaseTab | None:
        return self[title] if title in self._holders else default

    def built(self) -> list[BaseTab]:
        return [h.page for h in self._holders.values() if h.page is not None]


class MainWindow(QMainWindow):
    """Hosts the module tabs; remembers its geometry and the last tab."""

    def __init__(self, ctx: AppContext, prefs: Prefs | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.prefs = prefs or Prefs()
        self.switch_requested = False  # 切换用户: the start-up loop logs in again after the window closes
        read_only = "（只读）" if ctx.db.read_only_reason else ""
        # ends with the program's name, which the window system would otherwise append a second time
        self.setWindowTitle(f"{ctx.clerk.name}{read_only} — {APP_TITLE}")
        self.resize(1280, 800)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("moduleTabs")
        self.tabs.setDocumentMode(True)
        self.pages = TabPages()
        for spec, tab in with_hook("tab"):
            holder = LazyTab(ctx, tab, self._tab_built)
            self.pages.add(spec.title, holder)
            self.tabs.addTab(holder, spec.title)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self._build_status_bar()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._restore()
        fit_to_screen(self)  # 1280×800 (or a size saved on a larger screen) never spills off a 1024×700 one

    # --- menus -------------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.addAction(self._action("导入农村房屋排查表(&I)…", self.open_import_wizard, "Ctrl+I"))
        for kind, text in (
            ("appraisals", "导入鉴定结果…"),
            ("companies", "导入物业服务企业名录…"),
            ("communities", "导入物业小区名录…"),
        ):
            file_menu.addAction(self._action(text, lambda _checked=False, k=kind: self.open_record_import(k)))
        file_menu.addAction(self._action("载入演示数据…", self.load_demo))
        file_menu.addAction(self._action("备份数据库(&B)…", self.backup_to_folder))
        file_menu.addAction(self._action("从备份恢复…", self.restore_from_file))
        file_menu.addAction(self._action("打开数据目录", self.open_data_dir))
        file_menu.addSeparator()
        file_menu.addAction(self._action("连接服务器…", self.open_server_dialog))
        file_menu.addAction(self._action("改用本机数据库…", self.use_local_database))
        file_menu.addSeparator()
        file_menu.addAction(self._action("修改密码…", self.open_change_password))
        file_menu.addAction(self._action("切换用户/注销…", self.switch_user))
        file_menu.addAction(self._action("退出(&X)", self.close, QKeySequence.StandardKey.Quit))
        edit_menu = bar.addMenu("编辑(&E)")
        edit_menu.addAction(self._action("刷新当前页(&R)", self.refresh_current, QKeySequence.StandardKey.Refresh))
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("设置(&S)…", self.open_settings, "Ctrl+,"))
        view_menu = bar.addMenu("视图(&V)")
        for number, (spec, _tab) in enumerate(with_hook("tab"), start=1):
            view_menu.addAction(
                self._action(spec.title, lambda _=False, t=spec.title: self.select_tab(t), f"Ctrl+{number}")
            )
        self._build_documents_menu(bar.addMenu("文书(&D)"))
        tools_menu = bar.addMenu("工具(&T)")
        tools_menu.addAction(self._action("人员与权限…", self.open_clerks))
        tools_menu.addAction(self._action("数据核对状态…", self.open_figures))
        tools_menu.addAction(self._action("操作记录（审计）…", self.open_audit_viewer, "Ctrl+Shift+A"))
        tools_menu.addAction(self._action("检查数据库完整性…", self.check_integrity))
        tools_menu.addAction(self._action("运行日志…", self.open_log_viewer))
        tools_menu.addAction(self._action("村（社区）名册…", self.open_village_register))
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(self._action("关于(&A)…", self.open_about))

    def _build_documents_menu(self, menu: QMenu) -> None:
        entries = (
            ("文书登记簿…", "liandu_desk.ui.documents.register_dialog:DocumentRegisterDialog", "Ctrl+Shift+D"),
            ("批量生成危房整改通知书…", "liandu_desk.ui.documents.batch_dialog:BatchNoticeDialog", None),
            ("半年工作总结…", "liandu_desk.ui.documents.summary_dialog:SummaryDialog", None),
            ("节假日与调休…", "liandu_desk.ui.documents.holidays:HolidayDialog", None),
            ("文书模板…", "liandu_desk.ui.documents.templates_dialog:DocumentTemplateDialog", None),
        )
        for text, target, shortcut in entries:  # each dialog (and reportlab behind it) loads when first opened
            menu.addAction(self._action(text, lambda _=False, t=target: load(t)(self.ctx, self).exec(), shortcut))

    def _build_status_bar(self) -> None:
        self.db_label = QLabel(f"数据库：{self.ctx.db.display_name()}")
        self.db_label.setObjectName("statusDatabase")
        role = f"（{self.ctx.clerk.role}）" if self.ctx.clerk.role else ""
        self.clerk_label = QLabel(f"当前用户：{self.ctx.clerk.name}{role}")
        self.mode_label = QLabel("只读" if self.ctx.db.read_only_reason else "")
        self.mode_label.setObjectName("statusMode")
        self.mode_label.setStyleSheet("color: #b00; font-weight: bold;")
        self.mode_label.setToolTip(self.ctx.db.read_only_reason)
        self.clerk_label.setObjectName("statusClerk")
        self.busy_label = QLabel("")
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.mode_label)
        self.statusBar().addPermanentWidget(self.clerk_label)
        self.ctx.jobs.busy_changed.connect(lambda busy: self.busy_label.setText("正在处理……" if busy else ""))

    # --- tabs --------------------------------------------------------------------------------------
    def _tab_built(self, page: BaseTab) -> None:
        """A module tab was just built (on first show): connect what the window offers it."""
        if hasattr(page, "demo_button"):
            page.demo_button.clicked.connect(self.load_demo)

    def select_tab(self, title: str) -> bool:
        """Switch to a tab by title or module key (building it on first use); False if there is no such tab."""
        spec = module_by_title(title)
        if spec is None or spec.title not in self.pages:
            return False
        holder = self.pages.holder(spec.title)
        self.tabs.setCurrentWidget(holder)
        holder.activate()
        return True

    def current_title(self) -> str:
        return self.tabs.tabText(self.tabs.currentIndex())

    def _on_tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, BaseTab):
            page.activate()

    def refresh_current(self) -> None:
        page = self.tabs.currentWidget()
        if isinstance(page, BaseTab):
            page.refresh()

    # --- actions (each dialog's module loads when it is first opened) -------------------------------
    def load_demo(self) -> None:
        from liandu_desk.ui.admin.demo_action import load_demo_data

        load_demo_data(self.ctx, self, self._refresh_all)

    def backup_to_folder(self) -> None:
        from liandu_desk.ui.admin.maintenance import backup_to_folder

        backup_to_folder(self.ctx, self)

    def restore_from_file(self) -> None:
        from liandu_desk.ui.admin.maintenance import restore_from_file

        restore_from_file(self.ctx, self, self._refresh_all)

    def check_integrity(self) -> None:
        from liandu_desk.ui.admin.maintenance import check_integrity

        check_integrity(self.ctx, self)

    def _refresh_all(self) -> None:
        for page in self.pages.built():
            if page._loaded_once:
                page.refresh()

    def open_record_import(self, kind: str) -> None:
        """Import appraisals, property companies or communities (check first, then import)."""
        from liandu_desk.ui.admin.record_import import RecordImportDialog

        RecordImportDialog(self.ctx, kind, self, on_written=self._refresh_all).exec()

    def open_import_wizard(self) -> None:
        from liandu_desk.ui.houses.import_wizard import ImportWizard

        ImportWizard(self.ctx, self).exec()
        self._refresh_all()

    def open_settings(self) -> None:
        from liandu_desk.ui.admin.settings_dialog import SettingsDialog

        if SettingsDialog(self.ctx, self).exec():
            self.statusBar().showMessage("设置已保存", 5000)
            self._refresh_all()

    def open_about(self) -> None:
        from liandu_desk.ui.admin.about import AboutDialog

        AboutDialog(self.ctx.db, self).exec()

    def open_audit_viewer(self) -> None:
        from liandu_desk.ui.admin.audit_viewer import AuditViewer

        AuditViewer(self.ctx, parent=self).exec()

    def remind_unconfirmed(self) -> None:
        """At start: while values a document prints are still the shipped 待确认 defaults, ask an administrator to
        check them now (documents are refused until then); other clerks see it in the status bar."""
        from liandu_desk.domain.permissions import Permission, allowed
        from liandu_desk.services.settings import SPEC_BY_KEY, unconfirmed
        from liandu_desk.ui.kit import ops

        def ask(keys: list[str]) -> None:
            if not keys:
                return
            labels = "、".join(SPEC_BY_KEY[key].label for key in keys)
            text = f"以下单位信息仍是待确认的默认值，核对保存前不能签发文书：{labels}。"
            if not allowed(self.ctx.clerk.role, Permission.EDIT_SETTINGS):
                self.statusBar().showMessage(text + "请联系管理员。", 30000)
                return
            answer = QMessageBox.question(self, "首次使用：核对单位信息", text + "\n\n现在核对吗？")
            if answer == QMessageBox.StandardButton.Yes:
                self.open_settings()

        ops.read(self.ctx, unconfirmed, ask, parent=self, key="settings.unconfirmed")

    def open_figures(self) -> None:
        from liandu_desk.ui.admin.figures_dialog import FiguresDialog

        FiguresDialog(self.ctx, self).exec()

    def open_clerks(self) -> None:
        from liandu_desk.ui.admin.clerks import ClerkAdminDialog

        ClerkAdminDialog(self.ctx, self).exec()

    def open_change_password(self) -> None:
        from liandu_desk.ui.admin.clerks import ChangePasswordDialog

        if ChangePasswordDialog(self.ctx, self).exec():
            self.statusBar().showMessage("密码已修改", 5000)

    def switch_user(self) -> None:
        """Log out after asking: the window closes and the login asks who works next (the program keeps running)."""
        server = not self.ctx.db.is_sqlite
        again = "程序将退出，请重新启动并用新的登录名连接服务器。" if server else "由其他用户登录？"
        answer = QMessageBox.question(self, "切换用户/注销", f"注销 {self.ctx.clerk.name}，{again}")
        if answer == QMessageBox.StandardButton.Yes:
            self.switch_requested = not server  # a server login is the connection's: a new one means a new start
            log.info("clerk %s logged out", self.ctx.clerk.login)
            self.close()

    def open_log_viewer(self) -> None:
        from liandu_desk.ui.admin.log_viewer import LogViewer

        LogViewer(self).exec()

    def open_village_register(self) -> None:
        from liandu_desk.ui.admin.village_register import VillageRegisterDialog

        VillageRegisterDialog(self.ctx, self).exec()

    def open_data_dir(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir())))

    def open_server_dialog(self) -> None:
        from liandu_desk.ui.admin.server_actions import open_server_dialog

        open_server_dialog(self, self.prefs, self.ctx.jobs)

    def use_local_database(self) -> None:
        from liandu_desk.ui.admin.server_actions import use_local_database

        use_local_database(self, self.prefs)

    # --- geometry ----------------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.prefs.get("window/geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.prefs.get("window/state")
        if not state.isEmpty():
            self.restoreState(state)
        if not self.select_tab(self.prefs.get("window/last_tab")):
            self.select_tab("首页")

    def save_prefs(self) -> None:
        self.prefs.set("window/geometry", self.saveGeometry())
        self.prefs.set("window/state", self.saveState())
        self.prefs.set("window/last_tab", self.current_title())
        self.prefs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_prefs()
        self.ctx.jobs.shutdown()
        log.info("main window closed")
        super().closeEvent(event)
