"""人员与权限: an administrator adds, edits, disables, unlocks and resets clerks; every clerk changes their own
password. Each change goes through the clerk services (audited; on a server the clerk's own login follows)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.domain.registry import ClerkRole
from liandu_desk.services import clerks as clerk_service
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog
from liandu_desk.ui.kit.row_table import Column, RowTableModel
from liandu_desk.ui.kit.tables import read_only_table

log = logging.getLogger(__name__)
ROLES = tuple(role.value for role in ClerkRole)
COLUMNS: tuple[Column[clerk_service.ClerkRow], ...] = (
    Column("登录名", lambda r: r.login),
    Column("姓名", lambda r: r.name),
    Column("角色", lambda r: r.role),
    Column("状态", lambda r: "启用" if r.active else "停用"),
    Column("登录", lambda r: r.state),
)


def _password() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(128)
    return field


class _SavingDialog(FormDialog):
    """A small clerk form (kit FormDialog: Enter saves, Esc asks, refusals stay in the form)."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(title, parent, ctx)
        self.setMinimumWidth(380)
        self.error = self.error_label

    def save_clerk(self, fn: Callable[[Any], Any]) -> None:
        """Save through a write job; close only when it succeeded."""
        if not self.busy:
            self.write(fn, changed="clerk")

    def _same(self, first: QLineEdit, second: QLineEdit) -> str:
        if first.text() != second.text():
            raise ValidationError("再次输入", "两次输入的密码不一致")
        return first.text()


class ClerkDialog(_SavingDialog):
    """Add a clerk (login, name, role, first password) or edit one's name and role."""

    def __init__(self, ctx: AppContext, row: clerk_service.ClerkRow | None = None, parent: QWidget | None = None):
        super().__init__(ctx, "新增人员" if row is None else f"修改人员 — {row.name}（{row.login}）", parent)
        self.row = row
        self.login = QLineEdit(row.login if row else "")
        self.login.setEnabled(row is None)
        self.login.setPlaceholderText("小写字母开头，字母、数字或下划线")
        self.name = QLineEdit(row.name if row else "")
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role, role)
        self.role.setCurrentIndex(max(self.role.findData(row.role if row else ClerkRole.CLERK.value), 0))
        self.add_field("登录名", self.login)
        self.add_field("姓名", self.name)
        self.add_field("角色", self.role)
        self.password, self.repeat = _password(), _password()
        if row is None:
            self.add_field("初始密码", self.password)
            self.add_field("再次输入", self.repeat)
        (self.login if row is None else self.name).setFocus()

    def accept(self) -> None:
        login, name, role = self.login.text().strip(), self.name.text().strip(), self.role.currentData()
        if self.row is None:
            try:
                password = self._same(self.password, self.repeat)
            except ValidationError as exc:
                self.refused(exc)
                return
            self.save_clerk(lambda s: clerk_service.add_clerk(s, login, name, role, password))
        else:
            clerk_id = self.row.id
            self.save_clerk(lambda s: clerk_service.edit_clerk(s, clerk_id, name, role))


class ResetPasswordDialog(_SavingDialog):
    """An administrator sets a clerk's new password (and lifts a lock)."""

    def __init__(self, ctx: AppContext, row: clerk_service.ClerkRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"重置密码 — {row.name}（{row.login}）", parent)
        self.row = row
        self.password, self.repeat = _password(), _password()
        self.add_field("新密码", self.password)
        self.add_field("再次输入", self.repeat)
        self.password.setFocus()

    def accept(self) -> None:
        try:
            password = self._same(self.password, self.repeat)
        except ValidationError as exc:
            self.refused(exc)
            return
        clerk_id = self.row.id
        self.save_clerk(lambda s: clerk_service.reset_password(s, clerk_id, password))


class ChangePasswordDialog(_SavingDialog):
    """Any clerk changes their own password, proving the old one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"修改密码 — {ctx.clerk.name}", parent)
        self.old, self.password, self.repeat = _password(), _password(), _password()
        self.add_field("原密码", self.old)
        self.add_field("新密码", self.password)
        self.add_field("再次输入", self.repeat)
        self.old.setFocus()

    def accept(self) -> None:
        try:
            new = self._same(self.password, self.repeat)
        except ValidationError as exc:
            self.refused(exc)
            return
        clerk_id, old = self.ctx.clerk.id, self.old.text()
        self.save_clerk(lambda s: clerk_service.change_own_password(s, clerk_id, old, new))


class ClerkAdminDialog(QDialog):
    """工具 → 人员与权限: the clerks with role, state and lock; an administrator changes them, others only look."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("人员与权限")
        self.resize(720, 420)
        self.model: RowTableModel[clerk_service.ClerkRow] = RowTableModel(COLUMNS, self)
        self.table: QTableView = read_only_table(self.model, "clerkTable")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.edit())
        may = allowed(ctx.clerk.role, Permission.MANAGE_CLERKS)
        self.note = QLabel(
            "角色：科员录入和修改案件；审核另可签发文书、销号和查看完整身份证号；管理员另可管理人员、设置和恢复备份。"
            + ("" if may else "\n只有管理员可以修改人员。")
        )
        self.note.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, slot in (
            ("add", "新增…", self.add),
            ("edit", "修改…", self.edit),
            ("toggle", "停用", self.toggle),
            ("unlock", "解锁", self.unlock),
            ("reset", "重置密码…", self.reset),
        ):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            button.setVisible(may)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        ctx.changes.follow(["clerk"], lambda _kind, _ids: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        keep = self.selected()
        ops.read(self.ctx, clerk_service.clerk_rows, lambda rows: self._show(rows, keep), parent=self, key="clerks")

    def _show(self, rows: list[clerk_service.ClerkRow], keep: clerk_service.ClerkRow | None) -> None:
        self.model.set_rows(rows)
        index = next((i for i, r in enumerate(rows) if keep is not None and r.id == keep.id), 0 if rows else -1)
        if index >= 0:
            self.table.selectRow(index)
        self._update_buttons()

    def selected(self) -> clerk_service.ClerkRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.buttons["toggle"].setText("启用" if row is not None and not row.active else "停用")
        for key in ("edit", "toggle", "reset"):
            self.buttons[key].setEnabled(row is not None)
        self.buttons["unlock"].setEnabled(row is not None and row.locked)

    def add(self) -> None:
        ClerkDialog(self.ctx, None, self).exec()

    def edit(self) -> None:
        row = self.selected()
        if row is not None and self.buttons["edit"].isVisible():
            ClerkDialog(self.ctx, row, self).exec()

    def reset(self) -> None:
        row = self.selected()
        if row is not None:
            ResetPasswordDialog(self.ctx, row, self).exec()

    def toggle(self) -> None:
        row = self.selected()
        if row is None:
            return
        verb = "启用" if not row.active else "停用"
        question = f"{verb} {row.name}（{row.login}，{row.role}）？" + (
            "停用后不能登录，记录仍保留。" if row.active else ""
        )
        if QMessageBox.question(self, f"{verb}人员", question) != QMessageBox.StandardButton.Yes:
            return
        clerk_id, active = row.id, not row.active
        ops.write(self.ctx, lambda s: clerk_service.set_active(s, clerk_id, active), changed="clerk", parent=self)

    def unlock(self) -> None:
        row = self.selected()
        if row is not None:
            clerk_id = row.id
            ops.write(self.ctx, lambda s: clerk_service.unlock_clerk(s, clerk_id), changed="clerk", parent=self)
