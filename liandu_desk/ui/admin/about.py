"""The about dialog: version, where the data and logs live, library versions."""

from __future__ import annotations

import platform
from importlib.metadata import version

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from liandu_desk import APP_TITLE, __version__
from liandu_desk.logs import log_file_path
from liandu_desk.paths import data_dir
from liandu_desk.storage import Database


def about_text(db: Database) -> str:
    """The rich text shown in the dialog."""
    rows = [
        ("版本", __version__),
        ("当前数据库", db.display_name()),
        ("数据目录", str(data_dir())),
        ("日志文件", str(log_file_path())),
        (
            "运行环境",
            f"Python {platform.python_version()}，Qt {qVersion()}，PySide6 {PySide6.__version__}，"
            f"SQLAlchemy {version('SQLAlchemy')}",
        ),
    ]
    body = "".join(f"<tr><td><b>{k}：</b></td><td>{v}</td></tr>" for k, v in rows)
    return (
        f"<h2>{APP_TITLE}</h2><p>Liandu Desk：丽水市莲都区建设局危房、加装电梯、星级物管小区案件管理。</p>"
        f"<table cellspacing='4'>{body}</table>"
    )


class AboutDialog(QDialog):
    """Shows about_text() with a close button."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("关于")
        layout = QVBoxLayout(self)
        label = QLabel(about_text(db))
        label.setObjectName("aboutText")
        label.setWordWrap(True)
        label.setTextInteractionFlags(label.textInteractionFlags() | label.textInteractionFlags().TextSelectableByMouse)
        layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
