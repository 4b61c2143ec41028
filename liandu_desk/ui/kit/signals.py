"""Emit a Qt signal from Python without PySide6 6.12.0's lost reference to the returned bool."""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    ping = Signal()


def _emit_steals_a_reference() -> bool:
    """True when this PySide6 returns `True` from `emit()` without owning a reference to it.

    PySide6 6.12.0 does: every emit from Python lowers the reference count of `True` by one, and once the count
    reaches zero the interpreter aborts ("Fatal Python error: bool_dealloc"), typically at exit after a long run.
    """
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) < before


_COMPENSATE = _emit_steals_a_reference()
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def emit(signal: SignalInstance, *args: Any) -> None:
    """`signal.emit(*args)`, giving back the reference a faulty PySide6 takes from the returned bool."""
    result = signal.emit(*args)
    if _COMPENSATE and isinstance(result, bool):
        _incref(result)


def emit_leaks_fixed() -> bool:
    """Whether emitting through `emit` keeps the reference count of `True` steady (checked by the tests)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(64):
        emit(probe.ping)
    return sys.getrefcount(True) == before
