"""Demo data for the elevator module: reproduces the 2021 H1 summary (32 accepted, 10+ mediations, 望湖公寓1幢2单元)."""

from __future__ import annotations

import datetime as dt
import logging
import random
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from liandu_desk.demo import DemoContext
from liandu_desk.demo import elevator_names as names
from liandu_desk.demo import elevator_timeline as tl
from liandu_desk.demo.names import pool as name_pool
from liandu_desk.domain.elevators import (
    STAGE_INDEX,
    DisputeStatus,
    ElevatorDispute,
    ElevatorDisputeParty,
    ElevatorHousehold,
    ElevatorMediation,
    ElevatorProject,
    ElevatorStage,
    ElevatorStageRecord,
    ElevatorSubsidy,
    ElevatorVoteEvent,
    VoteChoice,
)
from liandu_desk.domain.registry import Division, DivisionLevel
from liandu_desk.services.elevators.config import ElevatorConfig, load_config
from liandu_desk.storage.database import Database

log = logging.getLogger(__name__)
H1_START, H1_END = dt.date(2021, 1, 1), dt.date(2021, 6, 30)
DEMO_END = dt.date(2021, 9, 29)  # the day the half-year summary was published
MODELS = (
    ElevatorProject,
    ElevatorStageRecord,
    ElevatorHousehold,
    ElevatorDispute,
    ElevatorDisputeParty,
    ElevatorMediation,
    ElevatorVoteEvent,
    ElevatorSubsidy,
)
S = ElevatorStage
# Projects still in a stage as of DEMO_END, at scale 1: (stage, how many, earliest and latest start of that stage).
IN_PROGRESS = (
    (S.SURVEY, 8, dt.date(2021, 5, 1), dt.date(2021, 9, 15)),
    (S.VOTE, 12, dt.date(2021, 3, 1), dt.date(2021, 9, 10)),
    (S.DESIGN, 6, dt.date(2021, 6, 1), dt.date(2021, 9, 1)),
    (S.PUBLICITY, 5, dt.date(2021, 8, 20), dt.date(2021, 9, 20)),
    (S.JOINT_REVIEW, 4, dt.date(2021, 8, 1), dt.date(2021, 9, 15)),
    (S.PERMIT, 5, dt.date(2021, 7, 10), dt.date(2021, 9, 15)),
    (S.CONSTRUCTION, 13, dt.date(2021, 4, 1), dt.date(2021, 9, 20)),
    (S.ACCEPTANCE, 3, dt.date(2021, 8, 15), dt.date(2021, 9, 20)),
)
H1_ACCEPTED = 32
H1_MEDIATIONS = 12


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class _Builder:
    """Collects rows with explicit ids and writes them with Core executemany inserts."""

    def __init__(self, session: Session, rng: random.Random, config: ElevatorConfig) -> None:
        self.session, self.rng, self.config = session, rng, config
        self.rows: dict[type, list[dict[str, Any]]] = {model: [] for model in MODELS}
        self.ids = {model: (session.scalar(select(func.max(model.id))) or 0) for model in MODELS}
        self.used: set[tuple[str, str, str]] = set()
        self.communities = self._communities()
        self.estate_community: dict[str, int] = {}
        self.households: dict[int, list[tuple[int, tl.Flat]]] = {}
        self.project_rows: dict[int, dict[str, Any]] = {}

    def _communities(self) -> list[int]:
        query = select(Division.id).where(Division.level == DivisionLevel.COMMUNITY).order_by(Division.id)
        return list(self.session.scalars(query))

    def add(self, model: type, **values: Any) -> int:
        self.ids[model] += 1
        values.setdefault("id", self.ids[model])
        self.rows[model].append(values)
        return values["id"]

    def write(self) -> None:
        for model in MODELS:
            if self.rows[model]:
                self.session.execute(insert(model), self.rows[model])
        if self.session.get_bind().dialect.name == "postgresql":  # explicit ids: move the id sequences past them
            for model in MODELS:
                table = model.__tablename__
                self.session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
                )

    # --- projects ----------------------------------------------------------------------------------
    def unit_address(self) -> tuple[str, str, str]:
        while True:
            buildings = 16 + len(self.used) // 40  # room for any scale: 30 estates × buildings × 3 units
            key = (self.rng.choice(names.ESTATES), str(self.rng.randint(1, buildings)), str(self.rng.randint(1, 3)))
            if key not in self.used:
                self.used.add(key)
                return key

    def community_for(self, estate: str) -> int | None:
        if estate not in self.estate_community and self.communities:
            self.estate_community[estate] = self.rng.choice(self.communities)
        return self.estate_community.get(estate)

    def project(
        self,
        records: list[tl.Stage],
        address: tuple[str, str, str] | None = None,
        floors: int | None = None,
        community_id: int | None = None,
    ) -> int:
        estate, building, unit = address or self.unit_address()
        floors = floors or self.rng.choice((5, 6, 6, 6, 7, 7))
        current, started, _ = records[-1]
        pid = self.add(
            ElevatorProject,
            community_id=community_id or self.community_for(estate),
            estate=estate,
            building=building,
            unit=unit,
            floors=floors,
            planned_households=0,
            implementing_body=self.rng.choice(names.IMPLEMENTERS),
            designer=self.rng.choice(names.DESIGNERS),
            installer=self.rng.choice(names.INSTALLERS),
            budget=Decimal(self.rng.randrange(420000, 640000, 100)),
            current_stage=current.value,
            stage_started_on=started,
            note=None,
            version=1,
        )
        self.project_rows[pid] = self.rows[ElevatorProject][-1]
        for stage, begin, end in records:
            self.add(
                ElevatorStageRecord,
                project_id=pid,
                stage=stage.value,
                seq=STAGE_INDEX[stage],
                started_on=begin,
                completed_on=end,
                documents=_documents(stage) if end else None,
                note=None,
                version=1,
            )
            if stage == S.SUBSIDY:
                self.add(
                    ElevatorSubsidy,
                    project_id=pid,
                    amount=self.config.subsidy_per_unit,
                    claimed_on=begin,
                    paid_on=end,
                    note=None,
                    version=1,
                )
        return pid

    def flats(
        self, floors: int, uniform: bool = False, double_owner: bool | None = None, shaft: bool | None = None
    ) -> list[tl.Flat]:
        rng = self.rng
        doors = 2 if uniform or rng.random() < 0.8 else 3
        base = [Decimal(rng.randrange(5800, 13000)) / 100 for _ in range(doors)]
        owners = _unique_names(rng, floors * doors)
        flats = []
        for floor in range(1, floors + 1):
            for door in range(doors):
                area = Decimal("90.00") if uniform else base[door] + Decimal(rng.randint(-60, 60)) / 100
                flats.append(tl.Flat(f"{floor}0{door + 1}", floor, area, owners.pop()))
        if not uniform and (double_owner if double_owner is not None else rng.random() < 0.15):
            flats[-1].owner = flats[-2].owner  # one owner holds both top-floor flats
        if not uniform and (shaft if shaft is not None else rng.random() < 0.1):
            flats[0].shaft = True  # the shaft stands on part of a ground-floor flat
        return flats

    def save_flats(self, pid: int, flats: list[tl.Flat], voted_on: dt.date | None) -> None:
        saved = []
        for i, flat in enumerate(flats):
            day = voted_on + dt.timedelta(days=self.rng.randint(0, 20)) if voted_on else None
            hid = self.add(
                ElevatorHousehold,
                project_id=pid,
                room=flat.room,
                floor=flat.floor,
                sort_key=i,
                area=flat.area,
                owner_name=flat.owner,
                person_id=None,
                shaft_occupied=flat.shaft,
                vote=flat.vote.value,
                voted_on=day if flat.vote != VoteChoice.NONE else None,
                phone=_phone(self.rng),
                version=1,
            )
            if flat.vote != VoteChoice.NONE:
                self.vote_event(hid, pid, VoteChoice.NONE, flat.vote, day, "业主表决")
            saved.append((hid, flat))
        self.households[pid] = saved
        self.project_rows[pid]["planned_households"] = len(flats)

    def vote_event(
        self,
        hid: int,
        pid: int,
        old: VoteChoice,
        new: VoteChoice,
        day: dt.date | None,
        reason: str,
        mediation_id: int | None = None,
    ) -> None:
        self.add(
            ElevatorVoteEvent,
            household_id=hid,
            project_id=pid,
            old_vote=old.value,
            new_vote=new.value,
            voted_on=day,
            reason=reason,
            mediation_id=mediation_id,
            clerk_name="演示数据",
        )


def _documents(stage: ElevatorStage) -> str:
    return {
        S.SURVEY: "意愿征询表",
        S.VOTE: "表决票、书面协议",
        S.DESIGN: "设计方案",
        S.PUBLICITY: "公示照片、无异议说明",
        S.JOINT_REVIEW: "联合审查意见书",
        S.PERMIT: "施工图审查合格书、告知书",
        S.CONSTRUCTION: "施工日志",
        S.ACCEPTANCE: "竣工验收报告、监督检验报告",
        S.REGISTRATION: "特种设备使用登记证",
        S.ARCHIVE: "档案移交清单",
        S.SUBSIDY: "补助拨付凭证",
    }[stage]


def _unique_names(rng: random.Random, count: int) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        found.add(rng.choice(names.SURNAMES) + rng.choice(names.GIVEN))
    return sorted(found, key=lambda _n: rng.random())


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def _vote_day(records: list[tl.Stage]) -> dt.date | None:
    """Votes are cast in the 表决与协议 stage."""
    return next((begin for stage, begin, _ in records if stage == S.VOTE), None)


def _add_accepted(b: _Builder, count: int, start: dt.date, end: dt.date, caps: tuple[ElevatorStage, ...]) -> list[int]:
    ids = []
    for _ in range(count):
        accepted_on = _random_date(b.rng, start, end)
        records = tl.accepted_timeline(accepted_on, STAGE_INDEX[b.rng.choice(caps)], DEMO_END, b.rng, b.config)
        pid = b.project(records)
        flats = b.flats(b.project_rows[pid]["floors"])
        tl.passing_votes(flats, b.rng)
        b.save_flats(pid, flats, _vote_day(records))
        ids.append(pid)
    return ids


def _add_in_progress(b: _Builder, ctx: DemoContext) -> dict[ElevatorStage, list[int]]:
    by_stage: dict[ElevatorStage, list[int]] = {}
    boundary = [True, False]  # two vote-stage projects sit exactly on the boundaries
    for stage, count, earliest, latest in IN_PROGRESS:
        for n in range(ctx.scaled(count)):
            records = tl.current_timeline(STAGE_INDEX[stage], _random_date(b.rng, earliest, latest), b.rng, b.config)
            exact = stage == S.VOTE and boundary
            floors = 6 if exact else None
            pid = b.project(records, floors=floors)
            flats = b.flats(
                b.project_rows[pid]["floors"],
                uniform=exact,
                double_owner=None if n else True,
                shaft=None if n != 1 else True,
            )
            if exact:
                tl.boundary_votes(flats, boundary.pop(0))
            elif stage == S.VOTE:
                (tl.passing_votes if b.rng.random() < 0.4 else tl.failing_votes)(flats, b.rng)
            elif stage != S.SURVEY:
                tl.passing_votes(flats, b.rng)
            b.save_flats(pid, flats, _vote_day(records))
            by_stage.setdefault(stage, []).append(pid)
    return by_stage


# --- 望湖公寓1幢2单元 (the seed's case) -------------------------------------------------------------------
WANGHU_STAGES = (
    (S.SURVEY, dt.date(2020, 5, 10), dt.date(2020, 6, 28)),
    (S.VOTE, dt.date(2020, 6, 28), dt.date(2020, 9, 5)),
    (S.DESIGN, dt.date(2020, 9, 5), dt.date(2020, 11, 20)),
    (S.PUBLICITY, dt.date(2020, 11, 20), dt.date(2021, 4, 30)),
    (S.JOINT_REVIEW, dt.date(2021, 4, 30), dt.date(2021, 5, 21)),
    (S.PERMIT, dt.date(2021, 5, 21), dt.date(2021, 6, 16)),
    (S.CONSTRUCTION, dt.date(2021, 6, 16), None),
)
WANGHU_OWNERS = name_pool(
    "蓝秀英 叶金土 吴丽娟 潘志强 徐海燕 郑卫东 钟美华 梁新民 林月娥 何文斌 胡春燕 罗建国 周建华 周建华"
)
WANGHU_OBJECTORS = ("201", "202", "301")
WANGHU_SESSIONS = (
    (
        dt.date(2021, 1, 12),
        "望湖社区党群服务中心议事厅",
        "望湖社区调解员 陈丽萍",
        "社区",
        "201、202、301业主，高层业主代表周建华，社区居委会，设计单位",
        "低层业主认为变更后的方案把井道移到单元入口南侧，遮挡二、三楼采光并占用入口通道；设计单位说明变更原因"
        "（原北侧方案与地下燃气管线冲突）。",
        "双方分歧较大，未达成一致",
        "请设计单位对两个方案做日照分析比选",
    ),
    (
        dt.date(2021, 2, 23),
        "望湖社区党群服务中心议事厅",
        "{street}司法所 刘建国",
        "街道",
        "201、202、301业主，高层业主代表，社区、街道，设计单位，电梯企业",
        "设计单位提交日照分析：变更方案使二楼冬至日照减少约1小时；低层业主提出补偿要求。",
        "同意按日照分析微调井道位置，补偿金额待议",
        "高层业主商议补偿方案",
    ),
    (
        dt.date(2021, 3, 30),
        "{street}矛盾纠纷调解中心",
        "{street}司法所 刘建国",
        "街道",
        "全体业主代表，社区、街道，区住房保障中心",
        "高层业主提出对一至三楼业主一次性补偿，并将连廊改为通透玻璃；201业主仍有顾虑。",
        "补偿方案基本达成一致",
        "起草调解协议，征求201、202、301业主书面意见",
    ),
    (
        dt.date(2021, 4, 20),
        "{street}矛盾纠纷调解中心",
        "{street}司法所 刘建国",
        "街道",
        "全体业主，社区、街道，区住房保障中心，设计单位",
        "签订调解协议：井道外移0.6米，连廊采用通透玻璃，高层业主对二、三楼业主一次性补偿。201、202、301业主改投同意。",
        "达成调解协议，纠纷化解",
        None,
    ),
)


def _wanghu_community(session: Session) -> int | None:
    from liandu_desk.services.divisions import ensure_child, resolve_township

    found = session.scalar(select(Division.id).where(Division.name == "望湖社区").limit(1))
    if found is not None:
        return found
    try:
        township = resolve_township(session, "万象街道")
    except Exception:
        return None
    return ensure_child(session, township.id, "望湖社区", DivisionLevel.COMMUNITY)


def _street_of(session: Session, community_id: int | None) -> str:
    community = session.get(Division, community_id) if community_id else None
    parent = session.get(Division, community.parent_id) if community and community.parent_id else None
    return parent.name if parent else "街道"


def _add_wanghu(b: _Builder) -> None:
    records = list(WANGHU_STAGES)
    pid = b.project(records, ("望湖公寓", "1", "2"), 7, _wanghu_community(b.session))
    b.project_rows[pid].update(
        implementing_body="单元业主代表（全体业主委托）",
        designer=names.DESIGNERS[0],
        installer=names.INSTALLERS[1],
        budget=Decimal("568000.00"),
        note="方案变更引发业主矛盾，经社区、街道多次调解化解，2021年6月开工。",
    )
    flats = []
    for i, owner in enumerate(WANGHU_OWNERS):
        floor, door = i // 2 + 1, i % 2 + 1
        area = Decimal("89.46") if door == 1 else Decimal("76.32")
        vote = VoteChoice.OPPOSE if (floor, door) == (1, 1) else VoteChoice.AGREE
        flats.append(tl.Flat(f"{floor}0{door}", floor, area + Decimal(floor % 3) / 100, owner, vote=vote))
    b.save_flats(pid, flats, dt.date(2020, 8, 10))
    saved = dict((flat.room, hid) for hid, flat in b.households[pid])
    for room in WANGHU_OBJECTORS:
        b.vote_event(saved[room], pid, VoteChoice.AGREE, VoteChoice.OPPOSE, dt.date(2020, 12, 10), "方案变更后撤回同意")
    dispute = b.add(
        ElevatorDispute,
        project_id=pid,
        type="方案变更",
        description="原方案（北侧楼梯间加装）因地下燃气管线冲突变更为单元入口南侧加装；公示期间201、202、301业主以"
        "采光、通行受影响为由撤回同意并提出异议，单元业主内部产生矛盾。",
        status=DisputeStatus.RESOLVED.value,
        level="街道",
        opened_on=dt.date(2020, 12, 10),
        resolved_on=dt.date(2021, 4, 20),
        outcome="经社区、街道多方调解达成协议，三户业主改投同意，6月16日开工。",
        version=1,
    )
    for room, role in (("201", "异议方"), ("202", "异议方"), ("301", "异议方"), ("701", "申请方（高层业主代表）")):
        b.add(ElevatorDisputeParty, dispute_id=dispute, household_id=saved[room], role=role, version=1)
    session_id = 0
    street = _street_of(b.session, b.project_rows[pid]["community_id"])
    for held_on, place, mediator, level, attendees, summary, outcome, next_step in WANGHU_SESSIONS:
        session_id = b.add(
            ElevatorMediation,
            dispute_id=dispute,
            held_on=held_on,
            place=place.format(street=street),
            mediator=mediator.format(street=street),
            level=level,
            attendees=attendees,
            summary=summary,
            outcome=outcome,
            next_step=next_step,
            version=1,
        )
    for room in WANGHU_OBJECTORS:
        b.vote_event(
            saved[room], pid, VoteChoice.OPPOSE, VoteChoice.AGREE, dt.date(2021, 4, 20), "调解后改投同意", session_id
        )


# --- other disputes ------------------------------------------------------------------------------------------
# (pool, type, opened, session dates, status, level); the first five hold the other H1 sessions.
OTHER_DISPUTES = (
    ("vote", "费用分摊", dt.date(2021, 3, 15), (dt.date(2021, 3, 26), dt.date(2021, 4, 16)), "已化解", "社区"),
    (
        "construction",
        "采光/日照",
        dt.date(2021, 1, 20),
        (dt.date(2021, 2, 2), dt.date(2021, 3, 9)),
        "已化解",
        "人民调解",
    ),
    ("construction", "施工阻挠", dt.date(2021, 4, 25), (dt.date(2021, 5, 6),), "已化解", "社区"),
    ("accepted", "雨水倒灌/渗漏", dt.date(2021, 5, 10), (dt.date(2021, 5, 18), dt.date(2021, 6, 8)), "已化解", "街道"),
    ("vote", "程序瑕疵", dt.date(2021, 6, 1), (dt.date(2021, 6, 17),), "调解中", "街道"),
    ("earlier", "房屋贬值", dt.date(2020, 10, 12), (dt.date(2020, 10, 26), dt.date(2020, 11, 30)), "已化解", "社区"),
    ("construction", "噪音", dt.date(2021, 7, 20), (dt.date(2021, 8, 3),), "调解中", "社区"),
    ("publicity", "通行/消防通道", dt.date(2021, 9, 6), (), "待调解", "社区"),
    ("vote", "补偿金额", dt.date(2021, 7, 5), (dt.date(2021, 7, 15),), "未化解", "诉讼"),
)
OUTCOMES = {"已化解": "经调解双方达成一致，签订调解协议。", "未化解": "调解未成，当事人已向法院起诉（相邻关系纠纷）。"}


def _h1_session_plan(target: int) -> list[tuple]:
    """The dispute specs with the H1 sessions cut or topped up to `target` (12 − 4 at scale 1)."""
    plan, left = [], target
    for spec in OTHER_DISPUTES:
        sessions = spec[3]
        if H1_START <= spec[2] <= H1_END:
            sessions = sessions[: max(0, left)]
            left -= len(sessions)
            if not sessions and spec[4] != "待调解":
                continue
        plan.append((*spec[:3], sessions, *spec[4:]))
    for n in range(left):
        day = dt.date(2021, 1, 15) + dt.timedelta(days=9 * (n % 18))
        plan.append(("any", "噪音", day, (day + dt.timedelta(days=7),), "已化解", "社区"))
    return plan


def _add_disputes(b: _Builder, pools: dict[str, list[int]], target: int) -> None:
    everyone = [pid for ids in pools.values() for pid in ids]
    for pool, type_, opened, sessions, status, level in _h1_session_plan(target):
        pid = b.rng.choice(pools.get(pool) or everyone)
        flats = b.households[pid]
        parties = b.rng.sample(flats[:4], k=b.rng.randint(1, 2))
        closed = status in ("已化解", "未化解")
        resolved = (sessions[-1] if sessions else opened) if closed else None
        dispute = b.add(
            ElevatorDispute,
            project_id=pid,
            type=type_,
            description=names.DISPUTE_TEXT.get(type_, type_),
            status=status,
            level=level,
            opened_on=opened,
            resolved_on=resolved,
            outcome=OUTCOMES.get(status),
            version=1,
        )
        for hid, _flat in parties:
            b.add(ElevatorDisputeParty, dispute_id=dispute, household_id=hid, role="异议方", version=1)
        for i, held_on in enumerate(sessions):
            last = i == len(sessions) - 1
            b.add(
                ElevatorMediation,
                dispute_id=dispute,
                held_on=held_on,
                place=b.rng.choice(names.PLACES),
                mediator=b.rng.choice(names.MEDIATORS),
                level=level if last else "社区",
                attendees="、".join(f.room + f.owner for _h, f in parties) + "，社区居委会，高层业主代表",
                summary=names.DISPUTE_TEXT.get(type_, type_),
                outcome=OUTCOMES.get(status, "") if last else "继续协商",
                next_step=None if last and closed else "下次调解前各方准备意见",
                version=1,
            )


def generate(db: Database, ctx: DemoContext) -> None:
    """Add elevator projects for 2019–2021 reproducing the 2021 H1 figures (skipped if projects exist)."""
    rng = random.Random(ctx.seed * 31 + 4)
    with db.session_scope() as session:
        if session.scalar(select(func.count(ElevatorProject.id))):
            log.info("elevator demo skipped: projects already on file")
            return
        b = _Builder(session, rng, load_config(session))
        ctx.progress("加装电梯：望湖公寓1幢2单元", 0.1)
        _add_wanghu(b)
        b.used.add(("望湖公寓", "1", "2"))
        ctx.progress("加装电梯：已验收项目", 0.3)
        accepted = _add_accepted(b, ctx.scaled(H1_ACCEPTED), H1_START, H1_END, (S.REGISTRATION, S.ARCHIVE, S.SUBSIDY))
        earlier = _add_accepted(b, ctx.scaled(18), dt.date(2019, 6, 1), dt.date(2020, 12, 20), (S.ARCHIVE, S.SUBSIDY))
        later = _add_accepted(b, ctx.scaled(6), dt.date(2021, 7, 1), dt.date(2021, 9, 20), (S.REGISTRATION,))
        ctx.progress("加装电梯：在建和筹备项目", 0.6)
        by_stage = _add_in_progress(b, ctx)
        pools = {
            "accepted": accepted + later,
            "earlier": earlier,
            "vote": by_stage.get(S.VOTE, []),
            "construction": by_stage.get(S.CONSTRUCTION, []),
            "publicity": by_stage.get(S.PUBLICITY, []),
        }
        _add_disputes(b, pools, max(0, ctx.scaled(H1_MEDIATIONS) - len(WANGHU_SESSIONS)))
        ctx.progress("加装电梯：写入数据库", 0.9)
        b.write()
        log.info("elevator demo: %d projects, %d households", len(b.project_rows), len(b.rows[ElevatorHousehold]))
