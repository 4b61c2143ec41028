"""Logging set-up: a rotating file in the user log folder and a bounded in-memory tail."""

from __future__ import annotations

import collections
import logging
import logging.handlers
from pathlib import Path

from liandu_desk.paths import log_dir

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_TAIL_SIZE = 2000


class TailHandler(logging.Handler):
    """Keeps the latest formatted records in memory for the in-app log viewer."""

    def __init__(self, size: int = _TAIL_SIZE) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=size)
        self.setFormatter(logging.Formatter(LOG_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:
            self.handleError(record)


tail_handler = TailHandler()


def log_file_path() -> Path:
    """The current log file."""
    return log_dir() / "liandu-desk.log"


def setup_logging(level: int = logging.INFO, console_level: int = logging.WARNING) -> Path:
    """Install the file, tail and console handlers once; return the log file path."""
    root = logging.getLogger()
    path = log_file_path()
    if getattr(root, "_liandu_configured", False):
        return path
    root.setLevel(level)
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    console = logging.StreamHandler()
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    for handler in (file_handler, tail_handler, console):
        root.addHandler(handler)
    root._liandu_configured = True  # type: ignore[attr-defined]
    return path
