"""送达回证: the proof-of-service form that follows a notice, drawn as a ruled table on its own page."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from liandu_desk.reports.fonts import BODY, HEADING
from liandu_desk.reports.official import blank, title
from liandu_desk.reports.page import LINE_PITCH
from liandu_desk.reports.text import GridText

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


def service_choices(electronic: bool) -> str:
    """The service methods to tick; 电子 only where the recipient consented in writing."""
    return "□直接 □留置 □邮寄 □委托" + (" □电子" if electronic else "")


class ReceiptForm(Flowable):
    """The ruled form: label column on the left, values or signing space on the right."""

    def __init__(self, facts: ReceiptFacts) -> None:
        super().__init__()
        self.rows = [
            ("送达文书名称", facts.document_name, 1),
            ("文书编号", facts.number, 1),
            ("受送达人", facts.recipient, 1),
            ("送达地点", facts.address, 1.4),
            ("送达方式", facts.method or service_choices(facts.electronic), 1),
            ("受送达人签名（盖章）", "\n\n>送达日期：" + (facts.served_on or BLANK_DATE), 2.6),
            ("代收人及代收理由", "", 1.4),
            ("拒收事由及日期", "\n>年    月    日", 1.8),
            ("见证人（签名）", "\n>（留置送达时）", 1.4),
            ("送达人（签名）", facts.server, 1.2),
            ("备注", "", 1.2),
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
            canvas.setFont(HEADING, LABEL_SIZE)
            canvas.drawCentredString(LABEL_W / 2, y - height / 2 - LABEL_SIZE * 0.35, label)
            self._value(value, y, height)
            y -= height
            if y > 0.5:
                canvas.line(0, y, self._width, y)

    def _value(self, value: str, top: float, height: float) -> None:
        canvas = self.canv
        canvas.setFont(BODY, CELL_SIZE)
        lines = value.split("\n") if value else []
        line_h = CELL_SIZE * 1.5
        start = top - height / 2 + (len(lines) - 1) * line_h / 2 - CELL_SIZE * 0.35
        for index, line in enumerate(lines):
            if line.startswith(">"):
                canvas.drawRightString(self._width - 8 * mm, start - index * line_h, line[1:])
            else:
                canvas.drawString(LABEL_W + 4 * mm, start - index * line_h, line)


def receipt_flowables(facts: ReceiptFacts) -> list[Flowable]:
    """Title and form of one 送达回证 page."""
    return [
        title("送达回证", space_before_lines=0),
        blank(0.5),
        ReceiptForm(facts),
        blank(1),
        GridText(f"送达机关：{facts.bureau}（盖章）", indent=0, align="right"),
    ]
