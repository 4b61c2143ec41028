"""The 未核实 mark a document prints while it uses a figure no official text has confirmed yet."""

from __future__ import annotations

from collections.abc import Iterable

UNVERIFIED = "未核实"


def unverified_mark(labels: Iterable[str]) -> str:
    """The sentence a document or screen shows while it uses unverified figures ('' when none)."""
    names = "、".join(labels)
    return f"【{UNVERIFIED}】{names}尚未经正式文件核实，相关数值仅供参考。" if names else ""
