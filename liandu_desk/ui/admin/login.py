"""Login and first-run dialogs: the first start creates the administrator, later starts ask for a password."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from liandu_desk import APP_TITLE
from liandu_desk.domain.errors import LianduError, ValidationError
from liandu_desk.services.clerks import ClerkInfo, authenticate, create_first_admin, os_login
from liandu_desk.storage import Database
from liandu_desk.ui.kit import ops

log = logging.getLogger(__name__)


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _AccountDialog(QDialog):
    """Shared layout: an explanation, a form, an error line, buttons."""

    def __init__(self, db: Database, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.clerk: ClerkInfo | None = None
        self.setWindowTitle(f"{title} — {APP_TITLE}")
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.error = QLabel("")
        self.error.setObjectName("loginError")
        self.error.setStyleSheet("color: #b00;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout.addWidget(intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.error)

    def _fail(self, exc: LianduError) -> None:
        self.error.setText(exc.message)


class FirstAdminDialog(_AccountDialog):
    """Creates the first administrator of a database."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            db,
            "创建管理员",
            "这是本数据库第一次启动。请创建管理员账户：管理员负责添加科员和审核人员、修改设置和恢复备份。",
            parent,
        )
        self.login = QLineEdit(os_login())
        self.name = QLineEdit()
        self.password = _password_field()
        self.repeat = _password_field()
        for label, field in (
            ("登录名", self.login),
            ("姓名", self.name),
            ("密码", self.password),
            ("再次输入", self.repeat),
        ):
            self.form.addRow(label + "：", field)
        self.layout().addWidget(_buttons(self, "创建并登录"))
        self.name.setFocus()

    def accept(self) -> None:
        try:
            if self.password.text() != self.repeat.text():
                raise ValidationError("密码", "两次输入不一致")
            login, name, password = self.login.text(), self.name.text(), self.password.text()
            self.clerk = ops.before_window(self.db, lambda session: create_first_admin(session, login, name, password))
        except LianduError as exc:
            self._fail(exc)
            return
        log.info("first administrator %s created", self.clerk.login)
        super().accept()


class LoginDialog(_AccountDialog):
    """Asks for login name and password."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "登录", f"数据库：{db.display_name()}", parent)
        self.login = QLineEdit(os_login())
        self.password = _password_field()
        self.form.addRow("登录名：", self.login)
        self.form.addRow("密码：", self.password)
        self.layout().addWidget(_buttons(self, "登录"))
        self.password.setFocus()

    def accept(self) -> None:
        try:
            login, password = self.login.text(), self.password.text()
            self.clerk = ops.before_window(self.db, lambda session: authenticate(session, login, password))
        except LianduError as exc:
            self._fail(exc)
            self.password.selectAll()
            self.password.setFocus()
            return
        log.info("clerk %s logged in", self.clerk.login)
        super().accept()
