"""`jixiao doctor`: check that the database is consistent (tracking/doctor.py) and say what is wrong."""

from __future__ import annotations

import argparse
import json
import os
import sys

SHOWN = 200  # problems printed one by one; the rest are counted


def cmd_doctor(args: argparse.Namespace) -> int:
    from jixiao.web.commands import _migrate, setup_django

    setup_django()
    _migrate()
    from jixiao.tracking.doctor import CHECKS, doctor_problems
    from jixiao.tracking.models import TrackingReport

    reports = TrackingReport.objects.count()
    counts = {check.name: 0 for check in CHECKS}
    out = sys.stdout
    if args.json:
        out.write('{"schema": "jixiao.doctor/1", "problems": [')
    for problem in doctor_problems(batch_size=max(1, args.batch_size), workers=args.workers or os.cpu_count() or 1):
        counts[problem.kind] += 1
        total = sum(counts.values())
        if args.json:
            out.write(("" if total == 1 else ",") + "\n  " + json.dumps(problem.as_dict(), ensure_ascii=False))
        elif total <= SHOWN:
            out.write(f"问题：{problem}\n")
    total = sum(counts.values())
    if args.json:
        out.write(f'\n], "reports": {reports}, "counts": {json.dumps(counts)}, "ok": {json.dumps(total == 0)}}}\n')
        return 0 if total == 0 else 1
    if total > SHOWN:
        out.write(f"……另有 {total - SHOWN} 个问题未列出（--json 列出全部）。\n")
    for check in CHECKS:
        mark = "无误" if counts[check.name] == 0 else f"{counts[check.name]} 个问题"
        out.write(f"  {check.title}：{mark}\n")
    if total:
        out.write(f"共检查 {reports} 张跟踪表，发现 {total} 个问题。\n")
        return 1
    out.write(f"共检查 {reports} 张跟踪表，数据库一致，没有发现问题。\n")
    return 0


def add_doctor_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor", help="检查数据库是否一致：预警与问题、汇总数字、孤立记录、审计哈希链（只读）",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  jixiao doctor\n  jixiao doctor --workers 4\n  jixiao doctor --json > 体检.json\n\n"
        "退出码：0 没有问题；1 发现问题。",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON（列出全部问题）")
    p.add_argument("--workers", type=int, default=0, metavar="N", help="并行检查的进程数（默认为 CPU 核数）")
    p.add_argument("--batch-size", type=int, default=2000, metavar="N", help="每批读取的跟踪表数（默认 2000）")
    p.set_defaults(func=cmd_doctor)
