"""Pages of the 星级小区 tab: red/black list publication, company evaluation, templates and rules."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.services import figures
from liandu_desk.services.communities import evaluations, lists, ratings
from liandu_desk.services.communities.evaluations import CompanyScore
from liandu_desk.services.communities.records import list_communities, list_companies, save_company
from liandu_desk.services.communities.templates import current_template, list_templates
from liandu_desk.ui.communities.forms import (
    FormDialog,
    Work,
    ask_reason,
    company_dialog,
    evaluation_dialog,
    info,
    manual_entry_dialog,
    rule_dialog,
    score_field,
    weights_dialog,
)
from liandu_desk.ui.communities.page import fit_columns
from liandu_desk.ui.communities.pages import Page, period_text
from liandu_desk.ui.communities.tables import COMPANY_COLUMNS, StyledTableModel, entry_model
from liandu_desk.ui.communities.template_dialog import TemplateEditor
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.document_access import doc_button, draft_denial, draft_hint, open_or_draft, set_state
from liandu_desk.ui.kit.pdf_view import draft_then_open
from liandu_desk.ui.kit.tables import read_only_table


class PublicationPage(Page):
    """Generate the lists of the period from the rules, adjust by hand with reasons, publish."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view: lists.PublicationView | None = None
        self.subject = QComboBox()
        self.subject.addItems(["小区", "物业企业"])
        self.subject.setObjectName("listSubject")
        self.status = QLabel()
        self.status.setObjectName("publicationStatus")
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.model = entry_model(self)
        self.table = read_only_table(self.model, "listEntries")
        self.buttons = {
            "generate": QPushButton("按规则生成(&G)"),
            "add": QPushButton("人工增加(&A)…"),
            "remove": QPushButton("人工移除(&X)…"),
            "publish": QPushButton("发布(&P)…"),
        }
        for key, slot in (
            ("generate", self.generate),
            ("add", self.add),
            ("remove", self.remove),
            ("publish", self.publish),
        ):
            self.buttons[key].clicked.connect(slot)
        self.buttons["notice"] = doc_button("红黑榜通报(PDF)(&T)…", self.draft_notice)
        self.buttons["notice"].setObjectName("listPublicationNotice")
        self.buttons["notice"].setEnabled(False)
        self.subject.currentIndexChanged.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("对象："))
        bar.addWidget(self.subject)
        for button in self.buttons.values():
            bar.addWidget(button)
        bar.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.rules)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        if self.period is None:
            return
        period, subject = self.period, self.subject.currentText()

        def load(session):
            return lists.publication_view(session, subject, period), lists.list_rules(session, subject)

        ops.read(self.ctx, load, self._show, key="communities.publication")

    def _show(self, result) -> None:
        self.view, rules = result
        self.rules.setText("现行规则：" + "；".join(r.describe() for r in rules if r.active))
        view = self.view
        if view is None:
            self.status.setText(f"{period_text(self.period)}尚未生成红黑榜")
            self.model.set_rows([])
        else:
            when = f"，{view.published_on}由{view.published_by}发布" if view.published_on else ""
            self.status.setText(
                f"{view.status}{when}　红榜{len(view.active('红榜'))}个　黑榜{len(view.active('黑榜'))}个"
            )
            self.model.set_rows(view.entries)
        published = view is not None and view.status == "已发布"
        self.buttons["generate"].setEnabled(not published)
        for key in ("add", "remove", "publish"):
            self.buttons[key].setEnabled(view is not None and not published)
        why_not = "请先生成并发布本期榜单" if view is None else "榜单发布后才能起草通报"
        subject = self.subject.currentText()
        hint = draft_hint(self.ctx, f"{subject}红黑榜通报")
        set_state(self.buttons["notice"], published, why_not, draft_denial(self.ctx), hint)
        fit_columns(self.table, 420)

    def draft_notice(self) -> None:
        """Draft the 红黑榜通报 of the shown period and subject and open its preview (issued from there)."""

        if self.view is None or self.period is None or not self.buttons["notice"].isEnabled():
            return
        subject, period = self.subject.currentText(), self.period
        draft = lambda: open_list_publication(self.ctx, subject, period, self)  # noqa: E731
        open_or_draft(self.ctx, "红黑榜通报", ("cm_list_publication", self.view.id), draft, self)

    def _write(self, fn) -> None:
        ops.write(self.ctx, fn, lambda _r: self.refresh(), changed="community", parent=self)

    def generate(self) -> None:
        period, subject = self.period, self.subject.currentText()
        self._write(lambda s: lists.generate_publication(s, subject, period))

    def add(self) -> None:
        listed = list_communities if self.subject.currentText() == "小区" else list_companies
        ops.read(self.ctx, lambda session: [(r.id, r.name) for r in listed(session)], self._add_entry, parent=self)

    def _add_entry(self, names: list[tuple[int, str]]) -> None:
        publication_id = self.view.id

        def apply(kind: str, subject_id: int, reason: str) -> Work:
            return lambda session: lists.add_manual_entry(session, publication_id, kind, subject_id, reason)

        if manual_entry_dialog(self, names, apply):
            self.refresh()

    def remove(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            info(self, "提示", "请先选择要移除的条目")
            return
        entry = self.model.row_at(index.row())

        def apply(reason: str) -> Work:
            return lambda session: lists.remove_entry(session, entry.id, reason)

        if ask_reason(self, "人工移除", f"将“{entry.name}”移出{entry.list_kind}。", apply):
            self.refresh()

    def publish(self) -> None:
        answer = QMessageBox.question(
            self,
            "发布红黑榜",
            f"发布后榜单不能再修改。确定发布{period_text(self.period)}的红黑榜吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            publication_id, clerk = self.view.id, self.ctx.clerk.name
            self._write(lambda s: lists.publish(s, publication_id, clerk))


class CompanyPage(Page):
    """Property companies with the period's comprehensive evaluation."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.weights = QLabel()
        self.model: StyledTableModel = StyledTableModel(COMPANY_COLUMNS, parent=self)
        self.table = read_only_table(self.model, "companyEvaluations")
        new, score, weights = QPushButton("新增企业(&N)…"), QPushButton("录入评价(&E)…"), QPushButton("权重设置(&W)…")
        new.clicked.connect(self.new_company)
        score.clicked.connect(self.evaluate)
        weights.clicked.connect(self.edit_weights)
        self.table.doubleClicked.connect(lambda _i: self.evaluate())
        bar = QHBoxLayout()
        for button in (new, score, weights):
            bar.addWidget(button)
        bar.addWidget(self.weights, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        if self.period is None:
            return
        period = self.period

        def load(session):
            scored = evaluations.company_scores(session, period)
            seen = {r.company_id for r in scored}
            others = [
                CompanyScore(c.id, c.name, c.uscc, {}, None, False) for c in list_companies(session) if c.id not in seen
            ]
            return scored + others, evaluations.get_weights(session)

        ops.read(self.ctx, load, self._show, key="communities.companies")

    def _show(self, result) -> None:
        rows, weights = result
        self.weights.setText("权重：" + "　".join(f"{p}{w:g}" for p, w in weights.items()))
        self.model.set_rows(rows)
        fit_columns(self.table)

    def new_company(self) -> None:
        def apply(data: dict) -> Work:
            return lambda session: save_company(session, data)

        if company_dialog(self, apply):
            self.refresh()

    def evaluate(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            info(self, "提示", "请先选择一家企业")
            return
        row, period = self.model.row_at(index.row()), self.period

        def apply(scores: dict[str, float]) -> Work:
            def work(session) -> None:
                for party, value in scores.items():
                    evaluations.record_evaluation(session, row.company_id, period, party, value)

            return work

        if evaluation_dialog(self, row.name, row.scores, apply):
            self.refresh()

    def edit_weights(self) -> None:
        ops.read(self.ctx, evaluations.get_weights, self._edit_weights, parent=self)

    def _edit_weights(self, current: dict[str, float]) -> None:
        def apply(weights: dict[str, float]) -> Work:
            return lambda session: evaluations.save_weights(session, weights)

        if weights_dialog(self, current, apply):
            self.refresh()


class RulesPage(Page):
    """Scoring template versions, star thresholds and list rules: the bureau's data, editable here."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.versions = QListWidget()
        self.stars = QLabel()
        self.rules = QListWidget()
        self.rule_rows: list[lists.RuleRow] = []
        edit_template = QPushButton("编辑当前评分模板(&T)…")
        edit_stars = QPushButton("修改星级标准(&S)…")
        edit_rule = QPushButton("修改所选规则(&L)…")
        edit_template.clicked.connect(self.edit_template)
        edit_stars.clicked.connect(self.edit_stars)
        edit_rule.clicked.connect(self.edit_rule)
        self.rules.itemDoubleClicked.connect(lambda _i: self.edit_rule())
        note = QLabel(
            "说明：丽水市星级物管小区的评分细则、星级分数线和红黑榜规则未见公开文件，以下均为可修改的数据，"
            "由局里按实际方案调整。已用于检查的模板版本不会被修改，编辑时自动另存为新版本。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(QLabel("评分模板版本："))
        layout.addWidget(self.versions, 1)
        layout.addWidget(edit_template)
        layout.addWidget(self.stars)
        layout.addWidget(edit_stars)
        layout.addWidget(QLabel("红黑榜规则："))
        layout.addWidget(self.rules, 1)
        layout.addWidget(edit_rule)

    def refresh(self) -> None:
        def load(session):
            check = figures.figure_status(session, figures.STAR_THRESHOLDS)
            return list_templates(session), ratings.star_rules(session), lists.list_rules(session), check

        ops.read(self.ctx, load, self._show, key="communities.rules")

    def _show(self, result) -> None:
        templates, stars, rules, check = result
        self.versions.clear()
        for t in templates:
            state = "现行" if t.current else "历史"
            used = "，已用于检查" if t.used else ""
            self.versions.addItem(
                f"{t.label}　{state}{used}　{len(t.items)}项，满分{t.total_points:g}，合格分{t.pass_mark:g}"
            )
        standard = "；".join(r.describe() for r in stars if r.active)
        self.stars.setText(f"星级标准：{standard}（{check.describe()}）")
        self.rule_rows = rules
        self.rules.clear()
        for rule in rules:
            self.rules.addItem(f"[{rule.subject}] {rule.describe()}" + ("" if rule.active else "（停用）"))

    def edit_template(self) -> None:
        ops.read(self.ctx, current_template, self._edit_template, parent=self)

    def _edit_template(self, template) -> None:
        if TemplateEditor(self.ctx, template, self).exec():
            self.refresh()

    def edit_stars(self) -> None:
        ops.read(self.ctx, ratings.star_rules, self._edit_stars, parent=self)

    def _edit_stars(self, current: list[ratings.StarRuleRow]) -> None:
        dialog = FormDialog("星级标准", self)
        boxes = {r.stars: score_field(r.min_average) for r in current}
        for stars, box in boxes.items():
            dialog.form.addRow(f"{stars}星 期内平均分≥", box)

        def apply() -> Work:
            rows = [
                ratings.StarRuleRow(r.stars, boxes[r.stars].value(), r.min_inspections, r.no_veto, r.active)
                for r in current
            ]
            return lambda session: ratings.save_star_rules(session, rows)

        dialog.on_save = apply
        if dialog.exec():
            self.refresh()

    def edit_rule(self) -> None:
        row = self.rules.currentRow()
        if row < 0:
            info(self, "提示", "请先选择一条规则")
            return
        rule = self.rule_rows[row]

        def apply(threshold, rounds, active) -> Work:
            return lambda session: lists.save_rule(session, rule.id, threshold, rounds, active)

        if rule_dialog(self, rule.describe(), rule.threshold, rule.rounds, rule.active, apply):
            self.refresh()


def open_list_publication(ctx: AppContext, subject: str, period, parent: QWidget | None = None) -> None:
    """Draft the 红黑榜通报 of a period and open its preview."""
    from liandu_desk.services.documents.list_docs import draft_list_publication

    draft_then_open(ctx, lambda s: draft_list_publication(s, subject, period, ctx.clerk.name), "正在起草", parent)
