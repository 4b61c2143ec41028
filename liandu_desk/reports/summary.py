"""The half-year work summary: figures of the three modules in the order of the bureau's own summary, with tables
and charts. Every number printed comes from the facts (the stats service's dict and its township tables)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether

from liandu_desk.reports.charts import bar_chart, column_chart
from liandu_desk.reports.engine import Part
from liandu_desk.reports.fonts import KAI
from liandu_desk.reports.official import SignatureBlock, blank, body, cn_date, heading1, heading2, title
from liandu_desk.reports.page import BODY_SIZE, LINE_PITCH, TYPE_W, WARNING_RED
from liandu_desk.reports.summary_facts import SummaryFacts, TownshipTable, period_label
from liandu_desk.reports.tables import figure_table
from liandu_desk.reports.text import GridText
from liandu_desk.reports.unverified import unverified_mark
from liandu_desk.reports.wording import Wording, Wordings, pick

CN_NUMBERS = "一二三四五六七八九十"


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _township_table(table: TownshipTable, *, skip_empty: bool = True) -> Flowable:
    rows = [(name, *values) for name, values in table.rows if not skip_empty or any(values)]
    total = ("合计", *table.totals())
    caption = GridText(table.title, font=KAI, size=14, pitch=14, leading=LINE_PITCH * 0.9, indent=0, align="center")
    return KeepTogether([caption, figure_table(("乡镇（街道）", *table.columns), rows, TYPE_W, total=total)])


def values(facts: SummaryFacts) -> dict[str, str]:
    """The common placeholders of the summary's fixed sentences, from the stats figures (modules that are off
    give none of theirs)."""
    label = period_label(facts.period_from, facts.period_to)
    found: dict[str, object] = {
        "发文单位": facts.bureau,
        "期间": label,
        "起始日期": cn_date(facts.period_from),
        "截止日期": cn_date(facts.period_to),
        "下阶段": "下半年" if label.endswith("上半年") else "下一步",
    }
    c = facts.figures.get("communities")
    if c:
        found.update(
            {
                "网格员人数": c["grid_staff"],
                "封闭式小区数": c["closed_managed"],
                "发现问题数": c["issues_found"],
                "整改问题数": c["issues_rectified"],
                "未整改问题数": max(c["issues_found"] - c["issues_rectified"], 0),
                "红榜小区数": c["red_list"],
                "黑榜小区数": c["black_list"],
                "五星级小区数": c["stars"]["5"],
                "四星级小区数": c["stars"]["4"],
                "三星级小区数": c["stars"]["3"],
            }
        )
    h = facts.figures.get("houses")
    if h:
        found.update(
            {
                "农房排查数": h["rural_screened"],
                "农房鉴定数": h["rural_appraised"],
                "农村危房数": h["rural_dangerous"],
                "C级户数": h["grades"]["C"],
                "D级户数": h["grades"]["D"],
                "城镇D级解危数": h["urban_d_resolved"],
                "城镇C级方案数": h["urban_c_plans"],
            }
        )
    e = facts.figures.get("elevators")
    if e:
        found.update(
            {
                "调解次数": e["mediations"],
                "竣工验收数": e["accepted"],
                "在册项目数": sum(e["by_stage"].values()),
                "施工中项目数": e["by_stage"].get("施工", 0),
            }
        )
    return {key: str(value) for key, value in found.items()}


def _communities(f: dict[str, Any], facts: SummaryFacts, w: Wording, given: dict[str, str]) -> list[Flowable]:
    stars = f["stars"]
    story: list[Flowable] = [body(w.fill("物业", given))]
    if "communities" in facts.tables:
        story += [blank(0.3), _township_table(facts.tables["communities"])]
    story.append(
        column_chart(
            w.fill("图表_星级", given),
            ["五星级", "四星级", "三星级"],
            [stars["5"], stars["4"], stars["3"]],
            TYPE_W,
            150,
        )
    )
    return story


def _batch_values(name: str, b: dict[str, Any]) -> dict[str, str]:
    return {
        "批次名称": name,
        "交办户数": str(b["flagged"]),
        "核实排除户数": str(b["verified_out"]),
        "完成整治户数": str(b["rectified"]),
        "完成率": _pct(b["rate"]),
        "分母户数": str(b["rate_denominator"]),
        "剩余户数": str(b["remaining"]),
    }


def _houses(f: dict[str, Any], facts: SummaryFacts, w: Wording, given: dict[str, str]) -> list[Flowable]:
    grades = f["grades"]
    batches = "".join(w.fill("交办批次", {**given, **_batch_values(n, b)}) for n, b in f["batches"].items())
    story: list[Flowable] = [body(w.fill("农村危房", given) + batches), body(w.fill("城镇危房", given))]
    if "houses" in facts.tables:
        story += [blank(0.3), _township_table(facts.tables["houses"])]
    story.append(
        column_chart(w.fill("图表_等级", given), ["A级", "B级", "C级", "D级"], [grades[g] for g in "ABCD"], TYPE_W, 160)
    )
    return story


def _elevators(f: dict[str, Any], facts: SummaryFacts, w: Wording, given: dict[str, str]) -> list[Flowable]:
    stages = dict(f["by_stage"])
    story: list[Flowable] = [body(w.fill("加装电梯", given))]
    if "elevators" in facts.tables:
        story += [blank(0.3), _township_table(facts.tables["elevators"])]
    story.append(bar_chart(w.fill("图表_阶段", given), list(stages), list(stages.values()), TYPE_W))
    return story


def _plans(figures: dict[str, Any], w: Wording, given: dict[str, str]) -> list[Flowable]:
    texts = []
    houses = figures.get("houses")
    if houses:
        remaining = "".join(
            w.fill("打算_批次", {**given, **_batch_values(name, b)}) for name, b in houses["batches"].items()
        )
        texts.append(w.fill("打算_危房", {**given, "批次剩余": remaining}))
    if figures.get("elevators"):
        texts.append(w.fill("打算_电梯", given))
    if figures.get("communities"):
        texts.append(w.fill("打算_物业", given))
    return [body(t) for t in texts]


def summary_flowables(facts: SummaryFacts, texts: Wordings | None = None) -> list[Flowable]:
    """Title, sections in the seed's order (物业 → 危房 → 电梯, then plans), signature and date."""
    w = pick(texts, "summary")
    given = values(facts)
    figures = facts.figures
    story: list[Flowable] = [
        title(w.fill("标题", given), space_before_lines=0),
        GridText(w.fill("统计期间", given), font=KAI, size=BODY_SIZE, indent=0, align="center"),
    ]
    if facts.unverified:  # in red under the title: figures resting on unverified thresholds say so
        story.append(GridText(unverified_mark(facts.unverified), color=WARNING_RED))
    story += [
        body(w.fill("导语", given)),
        heading1(w.fill("标题_工作情况", given)),
    ]
    sections = []
    if "communities" in figures:
        sections.append((w.fill("标题_物业", given), _communities(figures["communities"], facts, w, given)))
    if "houses" in figures:
        sections.append((w.fill("标题_危房", given), _houses(figures["houses"], facts, w, given)))
    if "elevators" in figures:
        sections.append((w.fill("标题_电梯", given), _elevators(figures["elevators"], facts, w, given)))
    for index, (heading, flowables) in enumerate(sections):
        story.append(heading2(f"（{CN_NUMBERS[index]}）{heading}"))
        story.extend(flowables)
    story.append(heading1(w.fill("标题_打算", given)))
    story.extend(_plans(figures, w, given))
    story.append(SignatureBlock(facts.bureau, facts.dated))
    return story


def summary_parts(facts: SummaryFacts, texts: Wordings | None = None) -> list[Part]:
    """The summary as one numbered part."""
    return [Part(summary_flowables(facts, texts), numbered=True, label="工作总结")]
