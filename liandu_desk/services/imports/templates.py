"""Blank import templates of every layout: the screening table, appraisal results, companies and communities."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from liandu_desk.io.template import write_house_template, write_layout_template
from liandu_desk.services.imports.appraisals import APPRAISAL_COLUMNS, APPRAISAL_TITLE
from liandu_desk.services.imports.communities import LAYOUTS as RECORD_LAYOUTS


def write_appraisal_template(target: str | Path, townships: Sequence[str]) -> Path:
    """The blank appraisal-results template."""
    notes = (
        "填写说明",
        "1. 每行一次鉴定；房屋按 乡镇（街道）、村（社区）、详细地址 匹配，须已有排查记录。",
        "2. 必填列：" + "、".join(c.header for c in APPRAISAL_COLUMNS if c.required) + "。",
        "3. 鉴定等级为 A、B、C、D（也可写 A级 或全角字母）；鉴定日期不能晚于今天。",
        "4. 同一房屋同一鉴定日期重复导入时更新原记录，不会重复新增。",
    )
    return write_layout_template(target, APPRAISAL_COLUMNS, APPRAISAL_TITLE, townships, notes)


def write_template(layout: str, target: str | Path, townships: Sequence[str]) -> Path:
    """The blank template of any import layout: houses, appraisals, companies or communities."""
    if layout == "houses":
        return write_house_template(target, townships)
    if layout == "appraisals":
        return write_appraisal_template(target, townships)
    record = RECORD_LAYOUTS[layout]
    required = "、".join(col.header for col in record.columns if col.required)
    return write_layout_template(target, record.columns, record.title, townships, ("填写说明", f"必填列：{required}。"))
