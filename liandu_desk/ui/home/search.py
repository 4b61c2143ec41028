"""The one search box (Ctrl+K): results as you type, debounced, read off the GUI thread, stale answers dropped."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from liandu_desk.services.home.search import SearchHit, search_all
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext

DEBOUNCE_MS = 200
HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchDialog(QDialog):
    """Type to search people, houses, cases, projects, communities, companies and document numbers."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("搜索（Ctrl+K）")
        self.resize(640, 460)
        self.box = QLineEdit()
        self.box.setObjectName("globalSearch")
        self.box.setPlaceholderText("姓名、身份证号、地址、电梯项目、小区、物业企业、文号……")
        self.box.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.status = QLabel("输入至少1个字开始搜索；1–2个字按姓名或地址开头匹配，3个字以上全文匹配。")
        self.status.setWordWrap(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.box.textChanged.connect(lambda _t: self.timer.start())
        self.box.installEventFilter(self)
        self.results.itemActivated.connect(self.open_item)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.searched_for = ""

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.activateWindow()  # Ctrl+K then typing: the keys go to the box, also where new windows are not activated
        self.box.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus()
                self.results.setCurrentRow(0)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.timer.stop()
                if self.searched_for != self.box.text():
                    self.run_search()
                items = (self.results.item(i) for i in range(self.results.count()))
                first = next((item for item in items if item.data(HIT_ROLE) is not None), None)
                if first is not None:
                    self.open_item(first)
                return True
        return super().eventFilter(watched, event)

    def run_search(self) -> None:
        """Search for the box's text in a background job; an older job's answer is dropped (same key)."""
        term = self.box.text()
        self.searched_for = term
        if not term.strip():
            self.show_hits(term, [])
            return

        self.status.setText("正在搜索……")
        ops.read(
            self.ctx,
            lambda session: search_all(session, term),
            lambda hits: self.show_hits(term, hits),
            key="home.search",
        )

    def show_hits(self, term: str, hits: list[SearchHit]) -> None:
        if term != self.box.text():
            return  # typed on since: a newer search is coming
        self.results.clear()
        category = ""
        for hit in hits:
            if hit.category != category:
                category = hit.category
                header = QListWidgetItem(f"— {category} —")
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                self.results.addItem(header)
            item = QListWidgetItem(f"{hit.title}　　{hit.detail}")
            item.setData(HIT_ROLE, hit)
            self.results.addItem(item)
        self.status.setText(f"找到{len(hits)}条（每类最多8条）" if term.strip() else "")

    def hits(self) -> list[SearchHit]:
        """The hits shown (for tests)."""
        found = [self.results.item(i).data(HIT_ROLE) for i in range(self.results.count())]
        return [h for h in found if h is not None]

    def open_item(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT_ROLE)
        if hit is None:
            return
        self.accept()
        self.ctx.open_record(hit.record_kind, hit.record_id)
