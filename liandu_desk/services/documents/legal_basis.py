"""The legal basis a notice cites, chosen by the case (urban or rural house), kept as data with a 核对状态."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from liandu_desk.domain.houses import Handling, HouseKind
from liandu_desk.domain.registry import DivisionLevel
from liandu_desk.paths import resource_path
from liandu_desk.services.settings import get_setting

VERIFIED = "已核实"
UNVERIFIED = "未核实"
URBAN_LEVELS = (DivisionLevel.SUBDISTRICT.value, DivisionLevel.TOWN.value)  # 城市 in the regulation's art. 2
DEFAULT_HANDLING = {"C": Handling.TREAT.value, "D": Handling.STOP.value}


@dataclass(frozen=True)
class LegalBasis:
    """One law or rule a notice may cite, with its articles and whether the text was checked against the source."""

    key: str
    citation: str
    applies_to: str
    articles: tuple[str, ...]
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status == VERIFIED and bool(self.source.strip())


@dataclass(frozen=True)
class BasisChoice:
    """The bases chosen for one case: what the notice cites and which of them are still unverified."""

    case: str
    bases: tuple[LegalBasis, ...]

    @property
    def citation(self) -> str:
        return "、".join(basis.citation for basis in self.bases)

    @property
    def unverified(self) -> tuple[str, ...]:
        return tuple(basis.citation for basis in self.bases if not basis.verified)


@functools.lru_cache(maxsize=1)
def shipped_bases() -> dict:
    """The bases shipped with the program (resources/legal/house_notice_bases.json)."""
    return json.loads(resource_path("legal", "house_notice_bases.json").read_text(encoding="utf-8"))


def _bases(data: dict) -> dict[str, LegalBasis]:
    return {
        item["key"]: LegalBasis(
            item["key"],
            item["citation"],
            item.get("applies_to", ""),
            tuple(item.get("articles", ())),
            item.get("status", UNVERIFIED),
            item.get("source", ""),
        )
        for item in data["bases"]
    }


def house_case(kind: str | None, township_level: str | None) -> str:
    """'urban' for a town building in a 街道 or 建制镇 (the regulation's 城市), else 'rural'."""
    return "urban" if kind == HouseKind.URBAN.value and township_level in URBAN_LEVELS else "rural"


def basis_for_house(session: Session, kind: str | None, township_level: str | None) -> BasisChoice:
    """The legal bases a house notice cites for this house (data: the setting overrides the shipped file)."""
    data = get_setting(session, "notice.house_legal_bases") or shipped_bases()
    bases = _bases(data)
    case = house_case(kind, township_level)
    return BasisChoice(case, tuple(bases[key] for key in data["by_case"][case]))


def handling_of(grade: str, handling: str | None) -> str:
    """The appraisal's handling, or the usual one for the grade when the report gave none."""
    return handling or DEFAULT_HANDLING.get(grade, Handling.STOP.value)


def appeal_bodies(session: Session) -> tuple[str, str]:
    """The body that hears an administrative reconsideration (60 days) and the court that hears a suit (6 months),
    from settings; the sentence stating the rights is the templates' 救济权利 section."""
    return str(get_setting(session, "notice.reconsideration_body")), str(
        get_setting(session, "notice.litigation_court")
    )
