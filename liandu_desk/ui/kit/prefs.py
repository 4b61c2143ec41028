"""Per-user interface preferences (window geometry, last tab), declared once and kept in an INI file."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from liandu_desk.paths import data_dir

PREFS_VERSION = 1
DEFAULTS: dict[str, Any] = {
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "window/last_tab": "首页",
    # the shared server this clerk connects to (never the password); "server/use" = "yes" opens it at start
    "server/use": "",
    "server/host": "",
    "server/port": "5432",
    "server/database": "liandu_desk",
    "server/user": "",
    "server/tls": "disable",
    "server/ca_file": "",
}


class Prefs:
    """Typed access to the interface preferences; unknown keys are refused."""

    def __init__(self) -> None:
        self._qs = QSettings(str(data_dir() / "ui.ini"), QSettings.Format.IniFormat)
        if int(self._qs.value("prefs/version", 0)) < PREFS_VERSION:
            self._qs.setValue("prefs/version", PREFS_VERSION)

    def get(self, key: str) -> Any:
        default = DEFAULTS[key]
        value = self._qs.value(key, default)
        return value if isinstance(value, type(default)) else default

    def set(self, key: str, value: Any) -> None:
        if key not in DEFAULTS:
            raise KeyError(key)
        self._qs.setValue(key, value)

    def sync(self) -> None:
        self._qs.sync()
