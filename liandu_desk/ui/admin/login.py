"""Login and first-run dialogs: the first start creates the administrator, later starts ask for a password."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from liandu_desk import APP_TITLE
from liandu_desk.domain.errors import LianduError, ValidationError
from liandu_desk.services.clerks import ClerkInfo, authenticate, create_first_admin, os_login
from liandu_desk.storage import Database
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.form_dialog import FormDialog

log = logging.getLogger(__name__)


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _AccountDialog(FormDialog):
    """Shared layout: an explanation, the kit form (Enter confirms), the error line, buttons."""

    def __init__(self, db: Database, title: str, intro: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(f"{title} — {APP_TITLE}", parent)
        self.db = db
        self.clerk: ClerkInfo | None = None
        self.setMinimumWidth(420)
        self.error = self.error_label
        self.error.setObjectName("loginError")
        self.save_button.setText(ok_text)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        self.body.insertWidget(0, intro_label)

    def _fail(self, exc: LianduError) -> None:
        self.refused(exc)


class FirstAdminDialog(_AccountDialog):
    """Creates the first administrator of a database."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            db,
            "创建管理员",
            "这是本数据库第一次启动。请创建管理员账户：管理员负责添加科员和审核人员、修改设置和恢复备份。",
            "创建并登录",
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
            self.add_field(label, field)

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
        self.close_saved()


class LoginDialog(_AccountDialog):
    """Asks for login name and password."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "登录", f"数据库：{db.display_name()}", "登录", parent)
        self.closing_confirmed = True  # Esc at the login closes without asking: nothing typed there is a record
        self.login = self.add_field("登录名", QLineEdit(os_login()))
        self.password = self.add_field("密码", _password_field())

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
        self.close_saved()
