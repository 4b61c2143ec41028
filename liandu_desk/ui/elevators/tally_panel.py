"""The live tally panel: participation and agreement as exact fractions, the verdict and the gap in words."""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from liandu_desk.services.elevators.tally import AGREEMENT, PARTICIPATION, Tally, percent


def _area(value: Fraction) -> str:
    return f"{float(value):.2f}㎡"


def _mark(ok: bool) -> str:
    return "✔" if ok else "✘"


class TallyPanel(QFrame):
    """Shows a Tally; call show_tally() after every edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tallyPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.verdict = QLabel("—")
        self.verdict.setObjectName("tallyVerdict")
        self.gap = QLabel("")
        self.gap.setObjectName("tallyGap")
        self.gap.setWordWrap(True)
        self.rule = QLabel("")
        self.rule.setObjectName("tallyRule")
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("color: #667;")
        self.cells: dict[str, QLabel] = {}
        grid = QGridLayout()
        for column, text in enumerate(("", "人数", "专有面积", "")):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        for row, (key, label) in enumerate(
            (("participation", f"参与表决（需≥{PARTICIPATION}）"), ("agreement", f"同意（需≥参与的{AGREEMENT}）")),
            start=1,
        ):
            grid.addWidget(QLabel(label), row, 0)
            for column, part in enumerate(("persons", "area", "ok"), start=1):
                cell = QLabel("")
                cell.setObjectName(f"tally_{key}_{part}")
                self.cells[f"{key}_{part}"] = cell
                grid.addWidget(cell, row, column)
        self.shaft = QLabel("")
        self.shaft.setObjectName("tallyShaft")
        self.warnings = QLabel("")
        self.warnings.setObjectName("tallyWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #9a5b00; background: #fff4d6; padding: 3px;")
        self.warnings.setVisible(False)
        layout = QVBoxLayout(self)
        title = QLabel("表决统计（《民法典》第278条：双三分之二参与、双四分之三同意）")
        title.setStyleSheet("font-weight: bold;")
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(self.warnings)
        layout.addWidget(self.shaft)
        layout.addWidget(self.verdict)
        layout.addWidget(self.gap)
        layout.addWidget(self.rule)

    def show_tally(self, tally: Tally) -> None:
        c = self.cells
        c["participation_persons"].setText(
            f"{tally.persons_voted}/{tally.persons_total}（{percent(tally.participation_persons)}）"
        )
        c["participation_area"].setText(
            f"{_area(tally.area_voted)}/{_area(tally.area_total)}（{percent(tally.participation_area)}）"
            if tally.area_known
            else f"{_area(tally.area_voted)}/总面积未知（无法核算）"
        )
        c["participation_ok"].setText(_mark(tally.participation_ok))
        self.warnings.setText("\n".join(f"⚠ {w}" for w in tally.warnings))
        self.warnings.setVisible(bool(tally.warnings))
        c["agreement_persons"].setText(
            f"{tally.persons_yes}/{tally.persons_voted}（{percent(tally.agreement_persons)}）"
        )
        c["agreement_area"].setText(
            f"{_area(tally.area_yes)}/{_area(tally.area_voted)}（{percent(tally.agreement_area)}）"
        )
        c["agreement_ok"].setText(_mark(tally.agreement_ok))
        self.shaft.setText(
            "井道占用专有部分的业主：已同意或无"
            if tally.shaft_ok
            else f"井道占用专有部分的业主未同意：{'、'.join(tally.shaft_refusals)}"
        )
        colour = "#1b7a33" if tally.passed else "#b3261e"
        self.verdict.setText(
            f"<span style='font-size:18px; font-weight:bold; color:{colour}'>{tally.status_text()}</span>"
        )
        self.gap.setText("" if tally.passed else tally.gap_words())
        self.gap.setVisible(not tally.passed)
        rule = (
            "同一业主多套房屋按一人计（未关联人员登记的，同名业主视为同一人）"
            if tally.one_owner_one_person
            else "每套房屋按一人计"
        )
        mixed = f"；{'、'.join(tally.mixed_owners)}名下多套房屋意见不一致，按未同意计" if tally.mixed_owners else ""
        self.rule.setText(
            f"人数口径：{rule}（可在设置中调整）{mixed}。比例按精确分数比较，百分比仅供显示。"
            "分母为整个单元：申报户数中未登记的住户按未表决计；其面积取单元专有面积总和减已登记面积，"
            "未填写总和时全部住户登记前不能通过（本程序规则，未核实）。"
        )
