"""Plausible owners for the 危房 demo: names, GB 11643-valid resident IDs (331102), phones and addresses."""

from __future__ import annotations

import datetime as dt
import random

from liandu_desk.demo.names import pool
from liandu_desk.domain.validators import ID_CHECK_CHARS, ID_WEIGHTS

# Common surnames of the Lishui area, weighted (叶/王/陈/李… frequent; 蓝/雷/钟 for the She people of 老竹, 丽新).
SURNAMES = (
    ("叶", 9),
    ("王", 8),
    ("陈", 8),
    ("李", 6),
    ("吴", 6),
    ("张", 5),
    ("周", 5),
    ("刘", 5),
    ("徐", 5),
    ("林", 4),
    ("朱", 4),
    ("杨", 4),
    ("潘", 4),
    ("金", 3),
    ("何", 3),
    ("郑", 3),
    ("胡", 3),
    ("毛", 3),
    ("季", 2),
    ("梅", 2),
    ("项", 2),
    ("邱", 2),
    ("应", 2),
    ("吕", 2),
    ("柳", 2),
    ("蒋", 2),
    ("黄", 2),
    ("蓝", 3),
    ("雷", 3),
    ("钟", 2),
    ("汤", 1),
    ("魏", 1),
    ("练", 1),
    ("麻", 1),
    ("沈", 1),
    ("程", 1),
    ("余", 1),
    ("夏", 1),
    ("欧阳", 1),
    ("上官", 1),
)
GIVEN_FIRST = "建国志伟海春秀丽金玉桂美小晓文永德根土新卫红雪月爱福寿明华"
GIVEN_SECOND = "华平英萍强燕军勇静娟兰东斌梅根香民宇慧杰娥芳明林生荣富贵珍清仙凤花云"
MOBILE_PREFIXES = pool("130 131 133 135 136 137 138 139 150 151 152 157 158 159 177 180 181 182 187 188 189 198 199")
URBAN_STREETS = pool(
    "中山街 解放街 大众街 丽阳街 紫金路 大洋路 括苍路 人民街 继光街 城东路 岩泉街 三岩寺路 "
    "灯塔街 应星街 寿尔福路 府前路"
)
NATURAL_VILLAGES = ("", "", "", "上村", "下村", "岭头", "坑口", "里村", "外村", "后山")


ID_PREFIX = "331102"


def _weighted_digits(digits: str, start: int) -> tuple[str, int]:
    """The digits and their part of the GB 11643 weighted sum, for digits placed from position `start`."""
    return digits, sum(int(d) * w for d, w in zip(digits, ID_WEIGHTS[start:], strict=False))


def weighted(pairs: tuple[tuple[str, int], ...] | tuple[tuple[int, int], ...]) -> tuple:
    """The items repeated by weight, so a uniform pick is a weighted pick (much faster than random.choices)."""
    return tuple(item for item, weight in pairs for _ in range(weight))


def pick(rng: random.Random, items: tuple | list):
    """A uniform pick from a sequence with one random() call."""
    return items[int(rng.random() * len(items))]


class PeopleFactory:
    """Draws unique people from a seeded random generator."""

    def __init__(self, rng: random.Random, taken_ids: set[str]) -> None:
        self.rng = rng
        self.taken = taken_ids
        self._surnames = weighted(SURNAMES)
        first = dt.date(1932, 1, 1)
        self._birth_days = [_weighted_digits(f"{first + dt.timedelta(days=n):%Y%m%d}", 6) for n in range(58 * 365)]
        self._sequences = [_weighted_digits(f"{n:03d}", 14) for n in range(1000)]
        self._prefix_sum = _weighted_digits(ID_PREFIX, 0)[1]

    def name(self) -> str:
        """A surname plus one or two given characters (two-character names are common)."""
        rng = self.rng
        surname = pick(rng, self._surnames)
        if rng.random() < 0.3:
            return surname + pick(rng, GIVEN_SECOND)
        return surname + pick(rng, GIVEN_FIRST) + pick(rng, GIVEN_SECOND)

    def id_number(self) -> str:
        """A unique, valid GB 11643 number with the Liandu address code 331102 (born 1932–1989).

        The check sum is put together from precomputed parts (address, birth date, sequence): the demo
        draws half a million of these.
        """
        rng = self.rng
        days, sequences = self._birth_days, self._sequences
        while True:
            born, born_sum = days[int(rng.random() * len(days))]
            sequence, sequence_sum = sequences[int(rng.random() * 1000)]
            check = ID_CHECK_CHARS[(self._prefix_sum + born_sum + sequence_sum) % 11]
            number = f"{ID_PREFIX}{born}{sequence}{check}"
            if number not in self.taken:
                self.taken.add(number)
                return number

    def phone(self) -> str:
        """A mobile number of a plausible prefix."""
        return pick(self.rng, MOBILE_PREFIXES) + f"{int(self.rng.random() * 10**8):08d}"

    def rural_address(self, village: str) -> str:
        """E.g. 梅田村下村23号."""
        return f"{village}{pick(self.rng, NATURAL_VILLAGES)}{1 + int(self.rng.random() * 260)}号"

    def urban_address(self, street: str | None = None) -> str:
        """E.g. 中山街118号."""
        return f"{street or pick(self.rng, URBAN_STREETS)}{1 + int(self.rng.random() * 320)}号"
