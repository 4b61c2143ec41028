"""连接服务器: where the shared database is (remembered per user, never the password), a bounded connection test,
and at start-up the choice to retry or open the local desk when the server cannot be reached."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from liandu_desk.services.server_connection import (
    CONNECT_TIMEOUT,
    TLS_MODES,
    ConnectionCheck,
    ServerSettings,
    build_url,
    try_connection,
)
from liandu_desk.ui.kit.form_dialog import FormDialog
from liandu_desk.ui.kit.jobs import JobRunner
from liandu_desk.ui.kit.prefs import Prefs

log = logging.getLogger(__name__)


def load_settings(prefs: Prefs) -> ServerSettings:
    """The server this clerk connected to last time."""
    port = prefs.get("server/port")
    return ServerSettings(
        prefs.get("server/host"),
        int(port) if str(port).isdigit() else 5432,
        prefs.get("server/database"),
        prefs.get("server/user"),
        prefs.get("server/tls") if prefs.get("server/tls") in TLS_MODES else "disable",
        prefs.get("server/ca_file"),
    )


def save_settings(prefs: Prefs, settings: ServerSettings, use: bool = True) -> None:
    """Remember the server for this user (the password is never written)."""
    prefs.set("server/use", "yes" if use else "")
    prefs.set("server/host", settings.host.strip())
    prefs.set("server/port", str(settings.port))
    prefs.set("server/database", settings.database.strip())
    prefs.set("server/user", settings.user.strip())
    prefs.set("server/tls", settings.tls)
    prefs.set("server/ca_file", settings.ca_file.strip())
    prefs.sync()


class ServerDialog(FormDialog):
    """Server, port, database, user, password, TLS mode and CA file; 测试连接 and 连接.

    `startup=True` is the start-up form: it says why the server could not be reached and offers 连接 (again) and
    打开本机数据库 (then `use_local` is True). On 连接 the connection is tested first; `url` then holds the
    URL with the password, in memory only."""

    def __init__(
        self,
        parent: QWidget | None = None,
        prefs: Prefs | None = None,
        jobs: JobRunner | None = None,
        startup: bool = False,
        problem: str = "",
    ) -> None:
        super().__init__("连接服务器", parent)
        self.prefs = prefs or Prefs()
        self.jobs = jobs or JobRunner(self)
        self.url = ""
        self.use_local = False
        self.closing_confirmed = True  # connection settings are not a record: 取消/退出 never asks
        self.setMinimumWidth(520)
        self.startup = startup
        self._build(startup)
        self._fill(load_settings(self.prefs))
        if problem:
            self._show(problem, ok=False)

    # --- layout ------------------------------------------------------------------------------------------------
    def _build(self, startup: bool) -> None:
        self.host = QLineEdit(objectName="serverHost", placeholderText="例如 192.168.1.20 或 db.liandu.gov")
        self.port = QSpinBox(objectName="serverPort", minimum=1, maximum=65535)
        self.database = QLineEdit(objectName="serverDatabase")
        self.user = QLineEdit(objectName="serverUser", placeholderText="信息科为您建立的数据库登录名")
        self.password = QLineEdit(objectName="serverPassword", echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("不会被保存，每次连接时输入")
        self.tls = QComboBox(objectName="serverTls")
        for mode, label in TLS_MODES.items():
            self.tls.addItem(f"{label}（{mode}）", mode)
        self.ca_file = QLineEdit(objectName="serverCaFile", placeholderText="信息科提供的根证书文件（.crt/.pem）")
        self.browse = QPushButton("浏览…", objectName="serverCaBrowse")
        self.browse.clicked.connect(self._choose_ca)
        self.tls.currentIndexChanged.connect(self._tls_changed)
        ca_row = QWidget()
        ca_layout = QHBoxLayout(ca_row)
        ca_layout.setContentsMargins(0, 0, 0, 0)
        ca_layout.addWidget(self.ca_file, 1)
        ca_layout.addWidget(self.browse)
        for label, widget in (
            ("服务器地址", self.host),
            ("端口", self.port),
            ("数据库名", self.database),
            ("用户名", self.user),
            ("密码", self.password),
            ("加密方式", self.tls),
        ):
            name = widget.objectName()
            self.add_field(label, widget)
            widget.setObjectName(name)  # the field keeps its own name (add_field names it by its label)
        self.form.addRow("根证书（CA）：", ca_row)
        self.fields["根证书（CA）"] = self.ca_file
        note = QLabel(f"连接超过{CONNECT_TIMEOUT}秒无响应即放弃。除密码外，以上设置保存在本机，仅对当前用户有效。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        self.status = QLabel("", objectName="serverStatus")
        self.status.setWordWrap(True)
        self.test_button = QPushButton("测试连接", objectName="serverTest")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test)
        self.connect_button = self.save_button
        self.connect_button.setText("连接")
        self.connect_button.setObjectName("serverConnect")
        if startup:
            self.local_button = self.buttons.addButton("打开本机数据库", QDialogButtonBox.ButtonRole.ActionRole)
            self.local_button.setObjectName("serverLocal")
            self.local_button.setAutoDefault(False)
            self.local_button.clicked.connect(self._open_local)
        self.cancel_button.setText("退出" if startup else "取消")
        self.body.removeWidget(self.buttons)
        bottom = QHBoxLayout()
        bottom.addWidget(self.test_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        self.body.insertWidget(1, note)
        self.body.insertWidget(2, self.status)
        self.body.addLayout(bottom)

    def _fill(self, settings: ServerSettings) -> None:
        self.host.setText(settings.host)
        self.port.setValue(settings.port)
        self.database.setText(settings.database)
        self.user.setText(settings.user)
        self.tls.setCurrentIndex(max(0, self.tls.findData(settings.tls)))
        self.ca_file.setText(settings.ca_file)
        self._tls_changed()
        (self.password if settings.host and settings.user else self.host).setFocus()

    def _tls_changed(self) -> None:
        verify = self.tls.currentData() == "verify-full"
        self.ca_file.setEnabled(verify)
        self.browse.setEnabled(verify)

    def _choose_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择根证书（CA）文件", self.ca_file.text(), "证书 (*.crt *.pem *.cer);;所有文件 (*)"
        )
        if path:
            self.ca_file.setText(path)

    # --- values and actions ------------------------------------------------------------------------------------
    def settings(self) -> ServerSettings:
        return ServerSettings(
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.user.text().strip(),
            self.tls.currentData(),
            self.ca_file.text().strip() if self.tls.currentData() == "verify-full" else "",
        )

    def built_url(self) -> str:
        """The URL the fields describe, with the typed password (never stored)."""
        return build_url(self.settings(), self.password.text())

    def _show(self, message: str, ok: bool) -> None:
        self.show_error_text("" if ok else message)
        self.status.setText("" if not ok else message)
        self.status.setStyleSheet("color: #080;" if ok else "color: #b00;")

    def _run_check(self, then) -> None:
        problem = self.settings().problem()
        if problem:
            self._show(problem, ok=False)
            return
        url = self.built_url()
        self._show(f"正在连接 {self.host.text().strip()}……（最多{CONNECT_TIMEOUT}秒）", ok=True)
        self.set_busy("正在连接……")
        self.test_button.setEnabled(False)

        def checked(result: ConnectionCheck) -> None:
            self.set_busy("")
            self.test_button.setEnabled(True)
            then(url, result)

        self.jobs.run(lambda _job: try_connection(url), checked, key="server-test")

    def test(self) -> None:
        """Try the connection and say what happened; nothing is saved."""
        self._run_check(lambda _url, result: self._show(result.message, result.ok))

    def accept(self) -> None:
        """Enter or 连接: test, and on success remember the settings (not the password) and close with `url` set."""
        if not self.busy:
            self._run_check(self._connected)

    connect_server = accept

    def _connected(self, url: str, result: ConnectionCheck) -> None:
        hint = "可核对后点“连接”重试，或点“打开本机数据库”。" if self.startup and not result.ok else ""
        self._show(result.message + hint, result.ok)
        if not result.ok:
            return
        save_settings(self.prefs, self.settings(), use=True)
        self.url = url
        self.close_saved()

    def _open_local(self) -> None:
        self.use_local = True
        self.close_saved()


def choose_server_at_start(prefs: Prefs | None = None, problem: str = "") -> tuple[str | None, bool]:
    """At start-up, when this user works on the server: (url, False) once connected, (None, True) to open the local
    desk instead, (None, False) to quit. The dialog says why an earlier attempt failed."""
    dialog = ServerDialog(prefs=prefs, startup=True, problem=problem)
    if not dialog.exec():
        return None, False
    if dialog.use_local:
        return None, True
    return dialog.url, False
