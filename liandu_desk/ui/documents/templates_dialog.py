"""文书 → 文书模板: the wording of every document type, edited section by section with a live preview of the
PDF page on sample facts; saving or 恢复默认 adds a version (old versions are kept and listed)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.reports.wording import TemplateSpec, template_spec
from liandu_desk.services.documents.templates import TemplateInfo, TemplateVersion
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.fit import wrapped
from liandu_desk.ui.kit.pdf_view import DocumentPreview
from liandu_desk.ui.kit.row_table import Column, RowTableModel

PREVIEW_DELAY_MS = 400
SLOT_ROLE = Qt.ItemDataRole.UserRole + 1
TEMPLATE_COLUMNS: tuple[Column[TemplateInfo], ...] = (
    Column("文书", lambda t: t.name),
    Column("当前版本", lambda t: t.version_text),
    Column("与默认文本", lambda t: "已修改" if t.differs_from_shipped else "相同"),
)
HISTORY_COLUMNS: tuple[Column[TemplateVersion], ...] = (
    Column("版本", lambda v: f"第{v.revision}版"),
    Column("来源", lambda v: v.origin),
    Column("修改人", lambda v: v.created_by),
    Column("时间", lambda v: f"{v.created_at:%Y-%m-%d %H:%M}" if v.created_at else ""),
    Column("说明", lambda v: v.note),
)


def _table(model: RowTableModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setVisible(False)
    return table


class DocumentTemplateDialog(QDialog):
    """Template list | sections, editor, placeholders | live preview; version history below the list."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.may_edit = allowed(ctx.clerk.role, Permission.EDIT_DOC_TEMPLATES)
        self.key: str | None = None
        self.base_revision = 0
        self.saved: dict[str, str] = {}  # the current version's sections
        self.edited: dict[str, str] = {}  # what the editor holds now
        self.slot: str | None = None
        self.setWindowTitle("文书模板")
        self.resize(1400, 900)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.refresh_preview)
        self._build()
        self.refresh_list()

    # -- layout ---------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.templates: RowTableModel[TemplateInfo] = RowTableModel(TEMPLATE_COLUMNS, self)
        self.template_table = _table(self.templates, self)
        self.template_table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._pick(cur.row()))
        self.versions: RowTableModel[TemplateVersion] = RowTableModel(HISTORY_COLUMNS, self)
        self.history_table = _table(self.versions, self)
        self.history_table.setToolTip("双击某一版本，把它的文本载入编辑区（保存后成为新版本）")
        self.history_table.doubleClicked.connect(lambda index: self.load_version(self.versions.row_at(index.row())))
        left = QWidget(self)
        box = QVBoxLayout(left)
        box.addWidget(QLabel("文书类型", left))
        box.addWidget(self.template_table, 2)
        box.addWidget(QLabel("版本历史（旧版本均保留）", left))
        box.addWidget(self.history_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self._editor_panel())
        splitter.addWidget(self._preview_panel())
        splitter.setSizes([380, 480, 540])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        if not self.may_edit:
            layout.addWidget(QLabel("只有管理员可以修改文书模板；这里可查看各版本并预览。", self))

    def _editor_panel(self) -> QWidget:
        panel = QWidget(self)
        self.slots = QListWidget(panel)
        self.slots.currentItemChanged.connect(lambda cur, _prev: self._show_slot(cur))
        self.editor = QPlainTextEdit(panel)
        self.editor.setReadOnly(not self.may_edit)
        self.editor.textChanged.connect(self._text_changed)
        self.slot_note = QLabel("", panel)
        self.slot_note.setWordWrap(True)
        self.placeholders = QListWidget(panel)
        self.placeholders.setToolTip("双击插入到光标处")
        self.placeholders.itemDoubleClicked.connect(self._insert_placeholder)
        self.problems = QLabel("", panel)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.note = QLineEdit(panel)
        self.note.setPlaceholderText("修改说明（记入版本历史），如：按法制科意见修改整改要求")
        self.save_button = QPushButton("保存为新版本", panel)
        self.reset_button = QPushButton("恢复默认", panel)
        self.revert_button = QPushButton("放弃修改", panel)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset_default)
        self.revert_button.clicked.connect(self.revert)
        self.reset_button.setAutoDefault(False)
        self.revert_button.setAutoDefault(False)
        self.save_button.setDefault(True)  # Enter in the 修改说明 saves; never disabled, it says why it cannot save
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.reset_button, self.revert_button):
            buttons.addWidget(button)
        self.status = wrapped(QLabel("", panel))
        self.status.setStyleSheet("color: #1a6b1a;")
        box = QVBoxLayout(panel)
        box.addWidget(QLabel("段落", panel))
        box.addWidget(self.slots, 2)
        box.addWidget(wrapped(QLabel("文本（占位符写作 {名称}，花括号本身写 {{ 或 }}）", panel)))
        box.addWidget(self.editor, 3)
        box.addWidget(self.slot_note)
        box.addWidget(QLabel("本段可用的占位符", panel))
        box.addWidget(self.placeholders, 2)
        box.addWidget(self.problems)
        box.addWidget(self.note)
        box.addLayout(buttons)
        box.addWidget(self.status)
        return panel

    def _preview_panel(self) -> QWidget:
        panel = QWidget(self)
        self.preview_state = wrapped(QLabel("", panel))
        self.notes = QLabel("", panel)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #8a5a00; font-weight: bold;")
        self.preview = DocumentPreview(panel)
        box = QVBoxLayout(panel)
        box.addWidget(QLabel("预览（示例数据，随编辑更新）", panel))
        box.addWidget(self.preview_state)
        box.addWidget(self.notes)
        box.addWidget(self.preview, 1)
        return panel

    # -- state ----------------------------------------------------------------------------------------------
    @property
    def spec(self) -> TemplateSpec:
        return template_spec(self.key or "house_notice")

    @property
    def dirty(self) -> bool:
        return self.edited != self.saved

    def _update_buttons(self) -> None:
        self.save_button.setVisible(self.may_edit)
        self.reset_button.setEnabled(self.may_edit)
        self.revert_button.setEnabled(self.dirty)

    def refresh_list(self, select: str | None = None) -> None:
        from liandu_desk.services.documents.templates import list_templates

        def job(_job_ctx):
            return ops.in_session(self.ctx, lambda session: list_templates(session))()

        def done(rows: list[TemplateInfo]) -> None:
            self.templates.set_rows(rows)
            keys = [r.key for r in rows]
            wanted = select or self.key or keys[0]
            self.template_table.selectionModel().blockSignals(True)
            self.template_table.selectRow(keys.index(wanted))
            self.template_table.selectionModel().blockSignals(False)
            if wanted != self.key:
                self.open_template(wanted)

        self.ctx.jobs.run(job, done, on_err=self._failed, key="doc-templates")

    def _pick(self, row: int) -> None:
        if row < 0 or row >= len(self.templates.rows):
            return
        key = self.templates.row_at(row).key
        if key == self.key:
            return
        if self.dirty and not self._discard_ok():
            keys = [r.key for r in self.templates.rows]
            self.template_table.selectRow(keys.index(self.key))
            return
        self.open_template(key)

    def _discard_ok(self) -> bool:
        answer = QMessageBox.question(self, "文书模板", f"“{self.spec.name}”的修改尚未保存，放弃这些修改吗？")
        return answer == QMessageBox.StandardButton.Yes

    def open_template(self, key: str) -> None:
        """Load a template's current version and history into the editor."""
        from liandu_desk.services.documents.templates import current_wording, history

        def job(_job_ctx):
            return ops.in_session(self.ctx, lambda session: (current_wording(session, key), history(session, key)))()

        def done(result) -> None:
            wording, versions = result
            self.key, self.base_revision = key, wording.revision
            self.saved, self.edited = dict(wording.slots), dict(wording.slots)
            self.versions.set_rows(versions)
            self._fill_slots()
            self.refresh_preview()

        self.ctx.jobs.run(job, done, on_err=self._failed, key="doc-template-open")

    def _fill_slots(self) -> None:
        self.slot = None
        self.slots.blockSignals(True)
        self.slots.clear()
        for slot in self.spec.slots:
            item = QListWidgetItem(slot.label, self.slots)
            item.setData(SLOT_ROLE, slot.key)
        self.slots.blockSignals(False)
        self.slots.setCurrentRow(0)
        self._check()

    def _show_slot(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.slot = item.data(SLOT_ROLE)
        slot = self.spec.slot(self.slot)
        self.editor.blockSignals(True)
        self.editor.setPlainText(self.edited.get(self.slot, ""))
        self.editor.blockSignals(False)
        rules = [slot.note] if slot.note else []
        rules += [f"必须保留：{'、'.join('{' + n + '}' for n in slot.required)}"] if slot.required else []
        rules += [f"必须含有：{'、'.join(slot.must_contain)}"] if slot.must_contain else []
        rules += [f"不得含有：{'、'.join(slot.must_not_contain)}"] if slot.must_not_contain else []
        rules += [f"共{slot.items}项，用“、”分隔"] if slot.items else []
        self.slot_note.setText("；".join(rules))
        self.placeholders.clear()
        for name, placeholder in self.spec.allowed(self.slot).items():
            optional = "（可为空）" if placeholder.optional else ""
            entry = QListWidgetItem(f"{{{name}}}　{placeholder.description}{optional}", self.placeholders)
            entry.setData(SLOT_ROLE, name)

    def _insert_placeholder(self, item: QListWidgetItem) -> None:
        if self.may_edit:
            self.editor.insertPlainText("{" + item.data(SLOT_ROLE) + "}")

    def _text_changed(self) -> None:
        if self.slot is None:
            return
        self.edited[self.slot] = self.editor.toPlainText()
        self.status.clear()
        self._check()
        self.timer.start()

    def _check(self) -> None:
        from liandu_desk.services.documents.templates import check_template

        problems = check_template(self.key, self.edited) if self.key else []
        self.problems.setText("\n".join(problems))
        self._update_buttons()

    # -- preview --------------------------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        """Render the sample document with what the editor holds now (a reader job; stale results dropped)."""
        from liandu_desk.services.documents.template_preview import preview_template

        if self.key is None:
            return
        key, slots = self.key, dict(self.edited)
        self.preview_state.setText("正在生成预览……")

        def job(_job_ctx):
            return ops.in_session(self.ctx, lambda session: preview_template(session, key, slots))()

        self.ctx.jobs.run(job, self._previewed, on_err=self._failed, key="doc-template-preview")

    def _previewed(self, result) -> None:
        self.preview.set_pdf(result.pdf, f"{self.spec.name}（模板预览）.pdf")
        current = f"第{self.base_revision}版" if self.base_revision else "随程序发布的默认文本"
        state = "未保存的修改" if self.dirty else f"当前版本（{current}）"
        self.preview_state.setText(f"预览：{state}" + ("；文本有问题，见左侧红字" if result.problems else ""))
        self.notes.setText("\n".join(f"⚠ {note}" for note in result.notes))

    # -- actions --------------------------------------------------------------------------------------------
    def load_version(self, version: TemplateVersion) -> None:
        """Put an older version's text into the editor (saving it makes it the newest version)."""
        if not self.may_edit:
            return
        self.edited = {slot.key: version.slots.get(slot.key, slot.default) for slot in self.spec.slots}
        self._show_slot(self.slots.currentItem())
        self._check()
        self.refresh_preview()

    def revert(self) -> None:
        self.edited = dict(self.saved)
        self._show_slot(self.slots.currentItem())
        self._check()
        self.refresh_preview()

    def why_not_saved(self) -> str:
        """Why 保存 cannot save now ("" when it can)."""
        if not self.may_edit:
            return "只有管理员可以修改文书模板"
        if self.problems.text():
            return "文本有问题（见红字），改正后才能保存"
        if not self.dirty:
            return "没有修改，无需保存"
        return ""

    def save(self) -> None:
        from liandu_desk.services.documents.templates import save_template

        reason = self.why_not_saved()
        if reason:
            self.status.setStyleSheet("color: #b00020;")
            self.status.setText(reason)
            return
        self.status.setStyleSheet("color: #1a6b1a;")
        key, slots, note, base = self.key, dict(self.edited), self.note.text(), self.base_revision
        self._write(lambda s: save_template(s, key, slots, note, base), "已保存为第{}版")

    def reset_default(self) -> None:
        from liandu_desk.services.documents.templates import reset_template

        question = f"把“{self.spec.name}”恢复为随程序发布的默认文本吗？\n这将保存为一个新版本，旧版本仍保留。"
        answer = QMessageBox.question(self, "恢复默认", question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        key, note = self.key, self.note.text()
        self._write(lambda s: reset_template(s, key, note), "已恢复默认文本（第{}版）")

    def _write(self, work, message: str) -> None:
        def job(_job_ctx):
            return ops.in_session(self.ctx, lambda session: work(session))()

        def done(version: TemplateVersion) -> None:
            self.note.clear()
            self.saved = dict(self.edited)  # nothing left to discard before reopening
            key, self.key = self.key, None
            self.status.setText(message.format(version.revision))
            self.refresh_list(key)

        self.ctx.jobs.run(job, done, on_err=self._failed, write=True, title="正在保存文书模板", parent=self)

    def reject(self) -> None:
        """Esc or closing the window: ask before dropping unsaved wording."""
        if self.dirty and not self._discard_ok():
            return
        super().reject()

    def _failed(self, exc: BaseException, trace: str) -> None:
        self.preview_state.setText("")
        show_error(exc, trace, self)
