"""Rectification case forms: open a case, add progress, complete, close out (销号, confirmed: irreversible)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from liandu_desk.domain.house_cases import DEMOLITION_MEASURES, Measure
from liandu_desk.services.houses import cases
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.forms import HouseFormDialogBase, combo, confirm, date_edit

DEMOLITION_VALUES = {m.value for m in DEMOLITION_MEASURES}


class CaseFormDialog(HouseFormDialogBase):
    """Opens a rectification case for a C/D house (or one flagged by a batch), or edits an open one (`record`)."""

    CONFLICT_COLUMNS = {
        "整治措施": "measure",
        "立案日期": "opened_on",
        "整改期限": "deadline",
        "责任人": "responsible",
        "备注": "note",
    }

    def __init__(
        self,
        ctx: AppContext,
        house_id: int,
        batches: Sequence[str] = (),
        parent: QWidget | None = None,
        record: Any = None,
    ) -> None:
        super().__init__(ctx, "立案整治" if record is None else "修改整治案件", parent)
        self.house_id, self.record = house_id, record
        self.version = record.version if record is not None else None
        self.add_field("整治措施", combo([m.value for m in Measure], record.measure if record else None))
        self.add_field("立案日期", date_edit(record.opened_on if record else None))
        deadline = date_edit(record.deadline if record else None, optional=True)
        self.add_field("整改期限", deadline, "不填则按设置中的默认整改期限（工作日）计算")
        choices = list(batches) if record is None else [record.batch] if record.batch else []
        self.add_field("来源批次", combo(choices, blank="（无）"))
        self.add_field("责任人", QLineEdit(record.responsible if record else ""))
        self.add_field("备注", QLineEdit(record.note if record else ""))
        if choices:
            self.fields["来源批次"].setCurrentIndex(1)
        self.fields["来源批次"].setEnabled(record is None)

    def save(self, session, values: dict[str, Any]) -> int:
        data = cases.CaseInput(
            measure=values["整治措施"],
            opened_on=values["立案日期"],
            deadline=values["整改期限"],
            batch=values["来源批次"] or "",
            responsible=values["责任人"],
            note=values["备注"],
        )
        if self.record is not None:
            return cases.update_case(session, self.record.id, data, self.version).id
        return cases.open_case(session, self.house_id, data).id

    def adopt_version(self, version: int) -> bool:
        """Keep the clerk's input and save it on top of the newest version of the case."""
        if self.record is None:
            return False
        self.version = version
        return True


class ProgressFormDialog(HouseFormDialogBase):
    """Adds a progress entry to a case (a pending case becomes 整改中)."""

    def __init__(self, ctx: AppContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "添加整改进展", parent)
        self.case_id = case_id
        self.add_field("进展日期", date_edit())
        self.add_field("进展情况", QLineEdit())
        percent = QSpinBox()
        percent.setRange(-1, 100)
        percent.setSuffix(" %")
        percent.setSpecialValueText("未填")
        percent.setValue(-1)
        self.add_field("完成比例", percent)

    def save(self, session, values: dict[str, Any]) -> int:
        return cases.add_progress(
            session, self.case_id, values["进展日期"], values["进展情况"], values["完成比例"], self.ctx.clerk.name
        ).id


class CompleteCaseDialog(HouseFormDialogBase):
    """Records that the works are done; for demolition measures the demolition date is the close-out evidence."""

    def __init__(self, ctx: AppContext, case_id: int, version: int | None, measure: str, parent: QWidget | None = None):
        super().__init__(ctx, "整改完成", parent)
        self.case_id, self.version, self.measure = case_id, version, measure
        self.add_field("完成日期", date_edit())
        demolition = date_edit(optional=True)
        self.add_field("拆除日期", demolition, "拆除类措施填写拆除日期，作为销号依据")
        self.form.setRowVisible(demolition, measure in DEMOLITION_VALUES)

    def before_save(self, values: dict[str, Any]) -> bool:
        return confirm(self, "整改完成", f"确认该案件（{self.measure}）已整改完成？\n完成后不能再添加进展，只能销号。")

    def save(self, session, values: dict[str, Any]) -> int:
        demolished = values["拆除日期"] if self.measure in DEMOLITION_VALUES else None
        return cases.complete_case(session, self.case_id, values["完成日期"], demolished, self.version).id


class CloseCaseDialog(HouseFormDialogBase):
    """Closes out (销号) a completed case; the service refuses without evidence (re-appraisal A/B or demolition)."""

    def __init__(
        self,
        ctx: AppContext,
        case_id: int,
        version: int | None,
        parent: QWidget | None = None,
        evidence: str | None = "",
    ) -> None:
        super().__init__(ctx, "销号", parent)
        self.case_id, self.version = case_id, version
        self.evidence = evidence  # what justifies 销号 as the page read it (None: nothing yet; "": not known)
        self.warnings: tuple[str, ...] = ()
        self.add_field("销号日期", date_edit())

    def before_save(self, values: dict[str, Any]) -> bool:
        """The rule first, then the confirmation: without evidence the clerk is told why, not asked to confirm."""
        if self.evidence is None:
            self.show_error_text(cases.NO_CLOSE_OUT_EVIDENCE)
            return False
        return confirm(self, "销号", "销号后该案件不能再修改或添加进展，此操作不可撤销。确定销号吗？")

    def save(self, session, values: dict[str, Any]) -> int:
        result = cases.close_case(session, self.case_id, values["销号日期"], self.version)
        self.warnings = result.warnings
        return result.id
