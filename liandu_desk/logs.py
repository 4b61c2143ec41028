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


_DIGIT = "[0-9\uff10-\uff19]"  # ASCII and full-width digits
_SEP = "[ \\-\u3000]?"  # one optional space, hyphen or ideographic space between digits
_ID_RE = re.compile(
    rf"(?<![0-9\uff10-\uff19])(?:{_DIGIT}{_SEP}){{17}}[0-9Xx\uff10-\uff19\uff38\uff58](?![0-9\uff10-\uff19])"
)
_MOBILE_RE = re.compile(
    rf"(?<![0-9\uff10-\uff19.])[1\uff11]{_SEP}[3-9\uff13-\uff19](?:{_SEP}{_DIGIT}){{9}}(?![0-9\uff10-\uff19])"
)
_LANDLINE_RE = re.compile(
    r"(?<![0-9.])[(\uff08]?(0[1-9][0-9]{1,2})[)\uff09]?[ \-]?([0-9]{3,4})[ \-]?([0-9]{4})(?![0-9.])"
)
_WIDE = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


def _plain(text: str) -> str:
    return re.sub(r"[ \-\u3000]", "", text.translate(_WIDE))


def _mask_id(match: re.Match[str]) -> str:
    digits = _plain(match.group(0))
    return digits[:6] + "*" * 8 + digits[-4:]


def _mask_mobile(match: re.Match[str]) -> str:
    digits = _plain(match.group(0))
    return digits[:3] + "****" + digits[-4:]


def _mask_landline(match: re.Match[str]) -> str:
    return f"{match.group(1)}-****{match.group(3)[-3:]}"


def mask_personal_data(text: str) -> str:
    """Mask resident ID numbers (331102********1234), mobiles (138****5678) and landlines (0578-****456) in free
    text, also when written with full-width digits or with spaces or hyphens between the digits."""
    text = _ID_RE.sub(_mask_id, text)
    text = _MOBILE_RE.sub(_mask_mobile, text)
    return _LANDLINE_RE.sub(_mask_landline, text)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message so no full ID or phone number reaches a log (PIPL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted record: the message, and the traceback and stack of any exception it carries."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_data(super().format(record))


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
        self.setFormatter(MaskingFormatter(LOG_FORMAT))

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
    file_handler.setFormatter(MaskingFormatter(LOG_FORMAT))
    console = CurrentStderrHandler()
    console.setLevel(console_level)
    console.setFormatter(MaskingFormatter("%(levelname)s: %(message)s"))
    for handler in (file_handler, tail_handler, console):
        handler.addFilter(PersonalDataFilter())
        root.addHandler(handler)
    root._liandu_configured = True  # type: ignore[attr-defined]
    return path
