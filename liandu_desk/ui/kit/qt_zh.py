"""Chinese for the few Qt strings that Qt's own qtbase_zh_CN translation lacks (the file dialog's labels)."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

# (context, source text) → translation; Qt 6 added the mnemonics (&L, &t) to strings whose zh_CN entry predates them.
MISSING = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class QtGapTranslator(QTranslator):
    """Answers only for the strings in MISSING; every other string falls through to the next translator."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return MISSING.get((context, source))  # None (a null QString) lets the next translator answer

    def isEmpty(self) -> bool:
        return False
