"""The house page's small forms about the owner and files: consent to 电子送达, the purpose of seeing full contact
data (audited), the category of a new attachment. All are kit forms: Enter saves, refusals stay in the form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from liandu_desk.domain.attachments import ATTACHMENT_ROLES
from liandu_desk.services.documents.service_rules import record_e_service_consent
from liandu_desk.services.personal_data import PersonContact, reveal_contact
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog
from liandu_desk.ui.kit.forms import date_edit, date_value
from liandu_desk.ui.kit.signals import emit


class ConsentDialog(FormDialog):
    """The owner's written consent to electronic service: the address it names (phone, e-mail or platform account)
    and the day it was given."""

    saved = Signal()

    def __init__(self, ctx: AppContext, person_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(f"登记电子送达同意 — {name}", parent, ctx)
        self.person_id = person_id
        self.body.insertWidget(
            0, QLabel(f"{name}已书面同意以电子方式接收文书时登记；未登记的，送达回证不提供电子送达。")
        )
        self.address = QLineEdit()
        self.address.setPlaceholderText("手机号码、电子邮箱或平台账号")
        self.address.setMaxLength(100)
        self.given_on = date_edit()
        self.add_field("电子送达地址", self.address)
        self.add_field("书面同意日期", self.given_on)
        self.error = self.error_label

    def accept(self) -> None:
        if self.busy:
            return
        person, address, on = self.person_id, self.address.text(), date_value(self.given_on)

        def done(_result: object) -> None:
            emit(self.saved)
            self.close_saved()

        self.write(lambda session: record_e_service_consent(session, person, address, on), done, changed="house")


class RevealForm(FormDialog):
    """查看完整信息: the purpose is required and recorded with the view in the same transaction."""

    def __init__(
        self, ctx: AppContext, person_id: int, name: str, shown: Callable[[PersonContact], None], parent: QWidget
    ) -> None:
        super().__init__(f"查看完整信息 — {name}", parent, ctx)
        self.person_id, self.shown = person_id, shown
        self.add_note("完整身份证号和联系电话只向有权限的人员显示；本次查看及其目的记入操作记录。")
        self.purpose = self.add_field("查看目的", QLineEdit())
        self.purpose.setMaxLength(200)
        self.purpose.setPlaceholderText("如：核对补助申请")

    def accept(self) -> None:
        if self.busy:
            return
        person, purpose = self.person_id, self.required_text("查看目的", "请填写查看目的")
        if purpose is None:
            return

        def done(contact: PersonContact) -> None:
            self.close_saved()
            self.shown(contact)

        self.write(lambda session: reveal_contact(session, person, purpose), done, changed="audit")


class AttachmentRoleForm(FormDialog):
    """添加附件: the category of the chosen file (it decides which record the file belongs to)."""

    def __init__(self, file_name: str, parent: QWidget) -> None:
        super().__init__("添加附件", parent)
        self.add_note(f"文件：{file_name}")
        self.role = self.add_field("附件类别", QComboBox())
        self.role.addItems(list(ATTACHMENT_ROLES))
        self.save_button.setText("添加")

    def accept(self) -> None:
        self.close_saved()
