"""PDF preview of a document: pages shown with QtPdf when installed, printed through the system dialog, saved as."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.signals import emit

log = logging.getLogger(__name__)

try:  # QtPdf comes with the separate PySide6_Pdf wheel
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installation
    HAVE_QTPDF = False


class DocumentPreview(QWidget):
    """Holds one PDF (bytes): shows it, prints it, saves it."""

    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = b""
        self._name = "文书.pdf"
        self._buffer: QBuffer | None = None
        self.info = QLabel("", self)
        self.info.setWordWrap(True)  # a long file name wraps in a narrow window
        self.print_button = QPushButton("打印…", self)
        self.save_button = QPushButton("另存为…", self)
        self.open_button = QPushButton("用系统阅读器打开", self)
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save_as)
        self.open_button.clicked.connect(self.open_external)
        bar = QHBoxLayout()  # the file name on a line of its own, so a narrow preview does not squeeze it
        bar.addStretch(1)
        for button in (self.print_button, self.save_button, self.open_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(bar)
        if HAVE_QTPDF:
            self.document = QPdfDocument(self)
            self.view = QPdfView(self)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.view.setDocument(self.document)
            layout.addWidget(self.view, 1)
        else:
            self.document = None
            self.view = QLabel("本机未安装PDF预览组件（PySide6_Pdf），请用系统阅读器打开或另存为。", self)
            self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.print_button.setEnabled(False)
            self.print_button.setToolTip("打印需要PDF预览组件；可用系统阅读器打开后打印")
            layout.addWidget(self.view, 1)
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        for button in (self.save_button, self.open_button):
            button.setEnabled(enabled)
        self.print_button.setEnabled(enabled and HAVE_QTPDF)

    def set_pdf(self, data: bytes, name: str = "文书.pdf") -> None:
        """Show these bytes (the exact bytes that are printed and saved)."""
        self._data, self._name = data, name
        if self.document is not None:
            buffer = QBuffer(self)
            buffer.setData(QByteArray(data))
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document.load(buffer)
            self._buffer = buffer
        self.info.setText(f"{name}　共{self.page_count()}页")
        self._set_enabled(bool(data))

    @property
    def pdf_bytes(self) -> bytes:
        return self._data

    def page_count(self) -> int:
        if self.document is not None:
            return self.document.pageCount()
        return self._data.count(b"/Type /Page\n") or (1 if self._data else 0)

    def render_page(self, index: int, size: QSize):
        """One page as a QImage (QtPdf only)."""
        return self.document.render(index, size) if self.document is not None else None

    def print_pdf(self) -> None:
        """System print dialog, then every page rendered at the printer's resolution."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印文书")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.paint_to(printer)

    def paint_to(self, printer) -> None:
        """Paint all pages onto a QPrinter (or any QPagedPaintDevice)."""
        painter = QPainter(printer)
        try:
            for index in range(self.page_count()):
                if index:
                    printer.newPage()
                target: QRect = painter.viewport()
                image = self.render_page(index, target.size())
                painter.drawImage(target, image)
        finally:
            painter.end()

    def save_as(self) -> None:
        from liandu_desk.reports.engine import write_atomic

        path, _ = QFileDialog.getSaveFileName(self, "另存为", self._name, "PDF 文件 (*.pdf)")
        if path:
            write_atomic(path, self._data)
            emit(self.saved, path)

    def open_external(self) -> None:
        from liandu_desk.reports.engine import write_atomic

        folder = tempfile.mkdtemp(prefix="liandu-doc-")
        path = write_atomic(os.path.join(folder, self._name), self._data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class PdfPreviewDialog(QDialog):
    """Preview of an unregistered PDF (dossier, mediation record, summary): print or save it."""

    def __init__(self, data: bytes, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(name.removesuffix(".pdf"))
        self.resize(820, 900)
        self.preview = DocumentPreview(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        self.preview.set_pdf(data, name)


def draft_then_open(ctx: AppContext, make_draft: Callable, title: str, parent: QWidget | None) -> None:
    """Run make_draft(session) in the writer job, then open the registered draft's preview (issue from there)."""

    def done(view) -> None:
        ctx.changed("document", [view.id])
        ctx.open_record("document", view.id, parent)

    def job(_job_ctx):
        with ctx.session_scope() as session:
            return make_draft(session)

    ctx.jobs.run(job, done, on_err=lambda e, t: show_error(e, t, parent), title=title, write=True, parent=parent)


def show_pdf(ctx: AppContext, make_pdf: Callable, name: str, parent: QWidget | None) -> None:
    """Run make_pdf(session) in a reader job and show the bytes."""

    def job(_job_ctx):
        with ctx.session_scope() as session:
            return make_pdf(session)

    ctx.jobs.run(
        job,
        lambda data: PdfPreviewDialog(data, name, parent).exec(),
        on_err=lambda e, t: show_error(e, t, parent),
        title="正在生成",
        parent=parent,
    )


def open_dossier(ctx: AppContext, kind: str, record_id: int, parent: QWidget | None = None) -> None:
    """Show the 案卷 of a house ('house'), an elevator project ('project') or a community ('community')."""
    from liandu_desk.services.documents import module_dossiers
    from liandu_desk.services.documents.dossiers import house_dossier

    builders = {
        "house": house_dossier,
        "project": module_dossiers.project_dossier,
        "community": module_dossiers.community_dossier,
    }
    make = builders[kind]
    show_pdf(ctx, lambda s: module_dossiers.dossier_pdf(make(s, record_id)), f"案卷_{kind}_{record_id}.pdf", parent)
