"""The half-year work summary: figures of the three modules in the order of the bureau's own summary, with tables
and charts. Every number printed comes from the facts (the stats service's dict and its township tables)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether

from liandu_desk.reports.charts import bar_chart, column_chart
from liandu_desk.reports.engine import Part
from liandu_desk.reports.fonts import KAI
from liandu_desk.reports.official import SignatureBlock, blank, body, cn_date, heading1, heading2, title
from liandu_desk.reports.page import BODY_SIZE, LINE_PITCH, TYPE_W
from liandu_desk.reports.summary_facts import SummaryFacts, TownshipTable, period_label
from liandu_desk.reports.tables import figure_table
from liandu_desk.reports.text import GridText

CN_NUMBERS = "一二三四五六七八九十"


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _township_table(table: TownshipTable, *, skip_empty: bool = True) -> Flowable:
    rows = [(name, *values) for name, values in table.rows if not skip_empty or any(values)]
    total = ("合计", *table.totals())
    caption = GridText(table.title, font=KAI, size=14, pitch=14, leading=LINE_PITCH * 0.9, indent=0, align="center")
    return KeepTogether([caption, figure_table(("乡镇（街道）", *table.columns), rows, TYPE_W, total=total)])


def _communities(f: dict[str, Any], facts: SummaryFacts) -> list[Flowable]:
    stars = f["stars"]
    story: list[Flowable] = [
        body(
            f"推进国卫巩固和经常化创建工作。全面落实封闭式物管小区三级网格机制和督查交办机制，全局{f['grid_staff']}"
            f"名网格员下沉到{f['closed_managed']}个封闭式物管小区查问题、促整治，期内发现问题{f['issues_found']}个，"
            f"督促整改问题{f['issues_rectified']}个。建立物管小区“红黑榜”机制，共通报红榜小区{f['red_list']}个，"
            f"黑榜小区{f['black_list']}个。开展“星级”物管小区创建，现有五星级小区{stars['5']}个、四星级小区"
            f"{stars['4']}个、三星级小区{stars['3']}个。"
        ),
    ]
    if "communities" in facts.tables:
        story += [blank(0.3), _township_table(facts.tables["communities"])]
    story.append(column_chart("星级物管小区数量", ["五星级", "四星级", "三星级"],
                              [stars["5"], stars["4"], stars["3"]], TYPE_W, 150))  # fmt: skip
    return story


def _batches(batches: dict[str, Any], until: str) -> list[str]:
    texts = []
    for name, b in batches.items():
        texts.append(
            f"做好“{name}”交办的{b['flagged']}户农村危房的核实、整改，经核实排除{b['verified_out']}户，截至{until}"
            f"共完成整治{b['rectified']}户，完成率{_pct(b['rate'])}（以核实后{b['rate_denominator']}户为分母），"
            f"尚余{b['remaining']}户。"
        )
    return texts


def _houses(f: dict[str, Any], facts: SummaryFacts) -> list[Flowable]:
    grades = f["grades"]
    until = cn_date(facts.period_to)
    rural = (
        f"农村危房方面，组织开展农村房屋信息系统排查录入，完成农房信息排查录入{f['rural_screened']}户，完成鉴定"
        f"{f['rural_appraised']}户，鉴定出危房{f['rural_dangerous']}户（C级{grades['C']}户、D级{grades['D']}户）。"
    )
    urban = (
        f"城镇危房治理方面，完成{f['urban_d_resolved']}幢城镇D级危房解危；{f['urban_c_plans']}幢城镇C级危房"
        "列入“一房一策”解危方案，正在推进。"
    )
    story: list[Flowable] = [body(rural + "".join(_batches(f["batches"], until))), body(urban)]
    if "houses" in facts.tables:
        story += [blank(0.3), _township_table(facts.tables["houses"])]
    story.append(column_chart("期内鉴定房屋等级分布（户）", ["A级", "B级", "C级", "D级"],
                              [grades[g] for g in "ABCD"], TYPE_W, 160))  # fmt: skip
    return story


def _elevators(f: dict[str, Any], facts: SummaryFacts, label: str) -> list[Flowable]:
    stages = {k: v for k, v in f["by_stage"].items()}
    in_hand = sum(stages.values())
    story: list[Flowable] = [
        body(
            f"围绕推进项目进度、做好纠纷调解，持续做好既有住宅加装电梯。{label}，参与社区调解{f['mediations']}次，"
            f"及时帮助业主化解矛盾纠纷；共新增{f['accepted']}台电梯通过竣工验收并投入使用。截至"
            f"{cn_date(facts.period_to)}，在册加装电梯项目{in_hand}个。"
        )
    ]
    if "elevators" in facts.tables:
        story += [blank(0.3), _township_table(facts.tables["elevators"])]
    story.append(bar_chart("加装电梯项目所处阶段（个）", list(stages), list(stages.values()), TYPE_W))
    return story


def _plans(figures: dict[str, Any]) -> list[Flowable]:
    texts = []
    houses = figures.get("houses")
    if houses:
        remaining = "".join(f"完成“{name}”中剩余{b['remaining']}户危房治理。" for name, b in houses["batches"].items())
        texts.append(
            f"坚持民生优先，保障房屋安全。指导各乡镇用好用活农村危房治理实施政策，力争完成农房系统内"
            f"{houses['rural_dangerous']}户危房治理。{remaining}加快推进{houses['urban_c_plans']}幢城镇C级危房"
            "“一房一策”解危方案，与属地街道共同推进危房实质性解危。"
        )
    elevators = figures.get("elevators")
    if elevators:
        building = elevators["by_stage"].get("施工", 0)
        texts.append(
            f"持续做好既有住宅加装电梯，加快推进{building}个施工中项目，跟踪落实各项调解协议，及时化解矛盾纠纷。"
        )
    communities = figures.get("communities")
    if communities:
        open_issues = communities["issues_found"] - communities["issues_rectified"]
        texts.append(
            f"深化星级物管小区创建和“红黑榜”机制，跟踪督促期内发现但尚未整改的{max(open_issues, 0)}个问题整改到位。"
        )
    return [body(t) for t in texts]


def summary_flowables(facts: SummaryFacts) -> list[Flowable]:
    """Title, sections in the seed's order (物业 → 危房 → 电梯, then plans), signature and date."""
    label = period_label(facts.period_from, facts.period_to)
    figures = facts.figures
    story: list[Flowable] = [
        title(f"{facts.bureau}{label}工作总结", space_before_lines=0),
        GridText(
            f"（统计期间：{cn_date(facts.period_from)}至{cn_date(facts.period_to)}）",
            font=KAI,
            size=BODY_SIZE,
            indent=0,
            align="center",
        ),  # fmt: skip
        body(
            f"{label}，我局紧紧围绕保障民生发展、推进行业创新，抓好住房建设领域各项工作任务的落地落实。"
            "现将有关工作情况总结如下（文中数据均由业务系统按统计口径自动生成）："
        ),  # fmt: skip
        heading1(f"一、{label}工作情况"),
    ]
    sections = []
    if "communities" in figures:
        sections.append(("物业行业监管方面", _communities(figures["communities"], facts)))
    if "houses" in figures:
        sections.append(("强势推进危房治理改造，全力保障居民住房安全", _houses(figures["houses"], facts)))
    if "elevators" in figures:
        sections.append(("全面开展电梯加装工作，提高居民居住品质", _elevators(figures["elevators"], facts, label)))
    for index, (heading, flowables) in enumerate(sections):
        story.append(heading2(f"（{CN_NUMBERS[index]}）{heading}"))
        story.extend(flowables)
    next_label = "下半年工作打算" if label.endswith("上半年") else "下一步工作打算"
    story.append(heading1(f"二、{next_label}"))
    story.extend(_plans(figures))
    story.append(SignatureBlock(facts.bureau, facts.dated))
    return story


def summary_parts(facts: SummaryFacts) -> list[Part]:
    """The summary as one numbered part."""
    return [Part(summary_flowables(facts), numbered=True, label="工作总结")]
