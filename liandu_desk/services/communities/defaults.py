"""Default data the bureau edits: the ten-area scoring template, star thresholds, list rules, evaluation weights.

None of these criteria or thresholds is published for Lishui (domain.md §4 marks them [U]); they are starting
values modelled on the red/black list practice cited there, created on first use and editable in the GUI.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import ScoreCategory, ScoreItem, ScoreTemplate
from liandu_desk.domain.community_lists import (
    EvaluationParty,
    EvaluationWeight,
    ListKind,
    ListRule,
    ListSubject,
    RuleKind,
    StarRule,
)
from liandu_desk.storage import audit_listener

log = logging.getLogger(__name__)
# Session flag that lets system data through the storage layer's write guard (when it has one).
SYSTEM_KEY = getattr(audit_listener, "SYSTEM_KEY", "system")

DEFAULT_TEMPLATE_NAME = "物管小区检查评分标准"

# (category, [(item text, max points, deduction rule, points per occurrence, veto)])
DEFAULT_AREAS: tuple[tuple[str, tuple[tuple[str, float, str, float | None, bool], ...]], ...] = (
    (
        "基本规定",
        (
            ("物业服务合同、服务标准和收费项目公示", 4, "未公示扣2分，内容不全每项扣1分", 1, False),
            ("物业服务企业制度健全、人员持证上岗", 4, "每缺一项扣1分", 1, False),
        ),
    ),
    (
        "承接查验",
        (
            ("承接查验资料齐全并移交归档", 3, "资料缺失每项扣1分", 1, False),
            ("共用部位、设施设备清单与台账完整", 3, "台账缺失每项扣1分", 1, False),
        ),
    ),
    (
        "客户服务",
        (
            ("服务中心设置、接待时间和24小时报修电话", 4, "未落实每项扣1分", 1, False),
            ("投诉报修及时处理、回访记录完整", 4, "未及时处理每起扣1分", 1, False),
            ("业主满意度测评", 4, "满意度低于80%扣2分", 2, False),
        ),
    ),
    (
        "共用部位",
        (
            ("楼道、屋面、外墙完好无破损", 5, "每处破损扣0.5分", 0.5, False),
            ("楼道无乱堆乱放、无违章搭建", 5, "每处扣0.5分", 0.5, False),
        ),
    ),
    (
        "共用设施设备",
        (
            ("电梯、供水、供电设备运行正常并按期维保", 5, "每项不符合扣1分", 1, False),
            ("消防设施完好、消防通道畅通", 5, "每处不符合扣1分", 1, False),
            ("监控、门禁、照明等智能化设施完好", 4, "每处损坏扣0.5分", 0.5, False),
            ("消防设施损坏停用未修复或消防通道被严重占用造成重大火灾隐患", 0, "一票否决", None, True),
        ),
    ),
    (
        "公共秩序",
        (
            ("门岗值守、巡逻制度落实，出入登记", 6, "每项未落实扣1分", 1, False),
            ("车辆停放有序，电动车不进楼道、不飞线充电", 6, "每处扣0.5分", 0.5, False),
            ("发生安全生产或消防责任事故", 0, "一票否决", None, True),
        ),
    ),
    (
        "环境卫生",
        (
            ("道路、绿地、公共场所保洁到位", 5, "每处不洁扣0.5分", 0.5, False),
            ("垃圾分类设施规范、清运及时", 5, "每处不符合扣0.5分", 0.5, False),
            ("病媒生物防制（四害）达标", 4, "每处扣1分", 1, False),
        ),
    ),
    (
        "绿化养护",
        (
            ("绿化完好，无黄土裸露、无毁绿种菜", 4, "每处扣0.5分", 0.5, False),
            ("按时修剪、浇灌、病虫害防治", 4, "每项未落实扣1分", 1, False),
        ),
    ),
    (
        "物业服务",
        (
            ("房屋及设施日常维修及时", 5, "每起未及时维修扣1分", 1, False),
            ("装修管理规范、巡查记录完整", 5, "每项不符合扣1分", 1, False),
        ),
    ),
    (
        "文明创建/共建",
        (
            ("文明创建宣传氛围、公益广告", 3, "不符合扣1分", 1, False),
            ("党建引领、红色议事联盟、共建活动", 3, "未开展扣1分", 1, False),
        ),
    ),
)

# Star thresholds over a period's inspections [U]: the bureau edits them.
DEFAULT_STAR_RULES = ((5, 95.0, 2), (4, 92.0, 2), (3, 85.0, 2))

# List rules [P: domain.md §4 typical practice]: red at ≥90, black on a veto item or 3 failing rounds (<60).
DEFAULT_LIST_RULES = (
    (ListSubject.COMMUNITY, ListKind.RED, RuleKind.AVERAGE_AT_LEAST, 90.0, None),
    (ListSubject.COMMUNITY, ListKind.BLACK, RuleKind.VETO, None, None),
    (ListSubject.COMMUNITY, ListKind.BLACK, RuleKind.FAILING_ROUNDS, 60.0, 3),
    (ListSubject.COMPANY, ListKind.RED, RuleKind.SCORE_AT_LEAST, 90.0, None),
    (ListSubject.COMPANY, ListKind.BLACK, RuleKind.SCORE_BELOW, 60.0, None),
)

# Weights of the company comprehensive evaluation [U].
DEFAULT_WEIGHTS = {
    EvaluationParty.OWNERS_COMMITTEE: 0.25,
    EvaluationParty.RESIDENTS_COMMITTEE: 0.25,
    EvaluationParty.ASSOCIATION: 0.2,
    EvaluationParty.BUREAU: 0.3,
}


def _count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def create_default_template(session: Session) -> ScoreTemplate:
    """Version 1 of the ten-area, 100-point template."""
    template = ScoreTemplate(name=DEFAULT_TEMPLATE_NAME, version=1, current=True, pass_mark=60.0)
    for c_seq, (category_name, items) in enumerate(DEFAULT_AREAS, start=1):
        category = ScoreCategory(seq=c_seq, name=category_name)
        for i_seq, (text, points, rule, per, veto) in enumerate(items, start=1):
            category.items.append(
                ScoreItem(seq=i_seq, text=text, max_points=points, deduction_rule=rule, deduct_per=per, veto=veto)
            )
        template.categories.append(category)
    session.add(template)
    return template


def _missing(session: Session) -> list:
    """The default-data models that have no rows yet (one cheap count each)."""
    return [m for m in (ScoreTemplate, StarRule, ListRule, EvaluationWeight) if not _count(session, m)]


def _create(session: Session, model) -> None:
    if model is ScoreTemplate:
        create_default_template(session)
    elif model is StarRule:
        session.add_all(StarRule(stars=s, min_average=avg, min_inspections=n) for s, avg, n in DEFAULT_STAR_RULES)
    elif model is ListRule:
        session.add_all(
            ListRule(subject=subj, list_kind=kind, kind=rk, threshold=th, rounds=rounds, seq=i)
            for i, (subj, kind, rk, th, rounds) in enumerate(DEFAULT_LIST_RULES, start=1)
        )
    else:
        session.add_all(EvaluationWeight(party=p, weight=w) for p, w in DEFAULT_WEIGHTS.items())


def ensure_defaults(session: Session) -> bool:
    """Create whatever default data is missing (as system data, whoever opens the module first)."""
    missing = _missing(session)
    if not missing:
        return False
    previous = session.info.get(SYSTEM_KEY)
    session.info[SYSTEM_KEY] = "星级小区默认标准"
    try:
        with session.no_autoflush:
            for model in missing:
                _create(session, model)
        session.flush()
    finally:
        session.info[SYSTEM_KEY] = previous
    log.info("community defaults created: %s", ", ".join(m.__tablename__ for m in missing))
    return True
