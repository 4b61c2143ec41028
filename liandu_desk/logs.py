"""Logging set-up: a rotating file in the user log folder and a bounded in-memory tail."""

from __future__ import annotations

import collections
import logging
import logging.handlers
import re
import sys
from pathlib import Path

from liandu_desk.paths import log_dir

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_TAIL_SIZE = 2000


_ID_RE = re.compile(r"(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")
_MOBILE_RE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


def mask_personal_data(text: str) -> str:
    """Mask resident ID numbers (331102********1234) and mobile numbers (138****5678) in free text."""
    text = _ID_RE.sub(lambda m: m.group(1) + "*" * 8 + m.group(2)[-4:], text)
    return _MOBILE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message so no full ID or mobile number reaches a log (PIPL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a captured or replaced stream may have been closed since)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


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
    console = CurrentStderrHandler()
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    for handler in (file_handler, tail_handler, console):
        handler.addFilter(PersonalDataFilter())
        root.addHandler(handler)
    root._liandu_configured = True  # type: ignore[attr-defined]
    return path
