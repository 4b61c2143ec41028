"""送达回证: the proof-of-service form that follows a notice, drawn as a ruled table on its own page."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from liandu_desk.reports.fonts import BODY, HEADING
from liandu_desk.reports.official import blank, title
from liandu_desk.reports.page import LINE_PITCH
from liandu_desk.reports.text import GridText, draw_text
from liandu_desk.reports.wording import Wording, Wordings, pick

LABEL_W = 50 * mm
CELL_SIZE = 14.0
LABEL_SIZE = 12.0
BLANK_DATE = "      年    月    日"


@dataclass(frozen=True)
class ReceiptFacts:
    """What the 送达回证 shows; service fields stay blank until the document is served."""

    bureau: str
    document_name: str
    number: str
    recipient: str
    address: str
    method: str = ""
    served_on: str = ""
    server: str = ""
    electronic: bool = False  # offer 电子送达 only when the recipient's written consent is on record


def service_choices(electronic: bool, wording: Wording | None = None, given: dict[str, str] | None = None) -> str:
    """The service methods to tick; 电子 only where the recipient consented in writing."""
    w = wording or pick(None, "receipt")
    return w.fill("送达方式选项", given) + (" " + w.fill("电子送达选项", given) if electronic else "")


def values(facts: ReceiptFacts) -> dict[str, str]:
    """The placeholders of the 送达回证 template."""
    return {"送达机关": facts.bureau}


class ReceiptForm(Flowable):
    """The ruled form: label column on the left, values or signing space on the right."""

    def __init__(self, facts: ReceiptFacts, wording: Wording | None = None) -> None:
        super().__init__()
        w = wording or pick(None, "receipt")
        given = values(facts)
        served = w.fill("送达日期", {**given, "送达日期": facts.served_on or BLANK_DATE})
        self.rows = [
            (w.fill("栏目_文书名称", given), facts.document_name, 1),
            (w.fill("栏目_文书编号", given), facts.number, 1),
            (w.fill("栏目_受送达人", given), facts.recipient, 1),
            (w.fill("栏目_送达地点", given), facts.address, 1.4),
            (w.fill("栏目_送达方式", given), facts.method or service_choices(facts.electronic, w, given), 1),
            (w.fill("栏目_签名", given), "\n\n>" + served, 2.6),
            (w.fill("栏目_代收", given), "", 1.4),
            (w.fill("栏目_拒收", given), "\n>" + w.fill("拒收日期", given), 1.8),
            (w.fill("栏目_见证人", given), "\n>" + w.fill("见证人提示", given), 1.4),
            (w.fill("栏目_送达人", given), facts.server, 1.2),
            (w.fill("栏目_备注", given), "", 1.2),
        ]
        self.bureau = facts.bureau

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        self._heights = [LINE_PITCH * weight for *_, weight in self.rows]
        return avail_width, sum(self._heights)

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.8)
        top = sum(self._heights)
        canvas.rect(0, 0, self._width, top)
        canvas.line(LABEL_W, 0, LABEL_W, top)
        y = top
        for (label, value, _), height in zip(self.rows, self._heights, strict=True):
            label_y = y - height / 2 - LABEL_SIZE * 0.35
            draw_text(canvas, LABEL_W / 2, label_y, label, HEADING, LABEL_SIZE, anchor="centre")
            self._value(value, y, height)
            y -= height
            if y > 0.5:
                canvas.line(0, y, self._width, y)

    def _value(self, value: str, top: float, height: float) -> None:
        canvas = self.canv
        lines = value.split("\n") if value else []
        line_h = CELL_SIZE * 1.5
        start = top - height / 2 + (len(lines) - 1) * line_h / 2 - CELL_SIZE * 0.35
        for index, line in enumerate(lines):
            if line.startswith(">"):
                x, text, anchor = self._width - 8 * mm, line[1:], "right"
            else:
                x, text, anchor = LABEL_W + 4 * mm, line, "left"
            draw_text(canvas, x, start - index * line_h, text, BODY, CELL_SIZE, anchor=anchor)


def receipt_flowables(facts: ReceiptFacts, texts: Wordings | None = None) -> list[Flowable]:
    """Title and form of one 送达回证 page, worded by the 送达回证 template."""
    w = pick(texts, "receipt")
    return [
        title(w.fill("标题", values(facts)), space_before_lines=0),
        blank(0.5),
        ReceiptForm(facts, w),
        blank(1),
        GridText(w.fill("落款", values(facts)), indent=0, align="right"),
    ]
