"""Benchmark: 380 one-page 危房整改通知书 in one PDF (target < 3 s), with and without 送达回证 pages.

Run: python benchmarks/documents.py [--count 380] [--runs 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from liandu_desk.reports.engine import RenderOptions, render_parts, write_atomic
from liandu_desk.reports.fonts import register_fonts
from liandu_desk.reports.house_notice import HouseNoticeFacts, house_notice_parts

SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "建国秀英海明伟斌土平永芳根兰富生志强丽华金花德胜春梅"
TOWNS = ("碧湖镇", "大港头镇", "老竹畲族镇", "雅溪镇", "太平乡", "仙渡乡", "峰源乡", "黄村乡", "丽新畲族乡")


def facts(index: int) -> HouseNoticeFacts:
    """A realistic notice: varied names, addresses, grades, hazards and numbers."""
    name = SURNAMES[index % len(SURNAMES)] + GIVEN[index % 13 : index % 13 + 2]
    town = TOWNS[index % len(TOWNS)]
    grade = "D" if index % 5 == 0 else "C"
    return HouseNoticeFacts(
        bureau="丽水市莲都区建设局",
        recipient=name,
        township=town,
        address=f"{town}第{index % 40 + 1}村{index % 97 + 1}号",
        grade=grade,
        appraised_on=dt.date(2021, 3, 1) + dt.timedelta(days=index % 90),
        agency="丽水市房屋安全鉴定所",
        report_no=f"莲鉴2021-{index + 1}",
        hazards=("墙体裂缝", "地基沉降", "屋面渗漏/腐朽")[: index % 3 + 1],
        measure="维修加固" if grade == "C" else "拆除重建",
        deadline=dt.date(2021, 11, 4),
        deadline_days=30,
        legal_basis="《城市危险房屋管理规定》《浙江省房屋使用安全管理条例》",
        contact_phone="0578-2123456",
        number=f"莲建危改〔2021〕{index + 1}号",
        issued_on=dt.date(2021, 9, 17),
    )


def run(count: int, with_receipt: bool, out: Path) -> tuple[float, int, int]:
    started = time.perf_counter()
    parts = [p for i in range(count) for p in house_notice_parts(facts(i), with_receipt=with_receipt)]
    options = RenderOptions(title="危房整改通知书")
    data = render_parts(parts, options)
    write_atomic(out, data)
    return time.perf_counter() - started, options.extra["pages"], len(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=380)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    started = time.perf_counter()
    register_fonts()
    print(f"font registration (once per process): {time.perf_counter() - started:.2f} s")
    for with_receipt in (False, True):
        label = "notices + 送达回证" if with_receipt else "notices only"
        out = args.out / f"bench-notices-{'receipt' if with_receipt else 'plain'}.pdf"
        times, pages, size = [], 0, 0
        for _ in range(args.runs):
            seconds, pages, size = run(args.count, with_receipt, out)
            times.append(seconds)
        print(
            f"{args.count} {label}: median {statistics.median(times):.2f} s (min {min(times):.2f}, "
            f"max {max(times):.2f}), {pages} pages, {size / 1e6:.2f} MB → {out}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
