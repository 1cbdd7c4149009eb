"""`jixiao export`: a department's or a unit's forms from the database, in the official layout."""

from __future__ import annotations

import argparse
import re
import sys

from jixiao.domain.model import Period

_PERIOD = re.compile(r"^\s*(\d{4}-\d{2})\s*(?::|至|~|/)\s*(\d{4}-\d{2})\s*$")


def parse_period(text: str) -> Period:
    match = _PERIOD.match(text)
    if not match:
        raise ValueError(f"跟踪时段应写作 2024-01:2024-08，而不是“{text}”")
    return Period(match[1], match[2])


def cmd_export(args: argparse.Namespace) -> int:
    from jixiao.web.commands import setup_django

    try:
        period = parse_period(args.period)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    setup_django()
    from jixiao.formats.errors import FormatError
    from jixiao.formats.registry import FINDINGS, PDF, TEMPLATE, XLSX, format_for, write_document
    from jixiao.tracking import exports

    try:
        kind = format_for(args.output)
    except FormatError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.template or args.unit:
        unit = exports.unit_of(user=None, name=args.unit or "")
        if unit is None:
            print(f"错误：没有名为“{args.unit}”的实施单位", file=sys.stderr)
            return 2
        doc = exports.unit_template_document(user=None, unit=unit, period=period, fill_in_only=args.template)
    else:
        department = exports.department_of(user=None, name=args.department or "")
        if department is None:
            print(f"错误：没有名为“{args.department}”的主管部门", file=sys.stderr)
            return 2
        doc = exports.department_document(user=None, department=department, period=period)
    if not doc.reports:
        print(f"错误：{period.start} 至 {period.end} 没有可导出的跟踪表", file=sys.stderr)
        return 2
    if (args.template and kind != XLSX) or (args.findings and kind != PDF):
        print("错误：填报模板只能导出为 .xlsx，审核意见只能导出为 .pdf", file=sys.stderr)
        return 2
    with open(args.output, "wb") as out:
        write_document(doc, out, TEMPLATE if args.template else FINDINGS if args.findings else kind)
    print(f"已导出 {len(doc.reports)} 张跟踪表到 {args.output}")
    return 0


def add_export_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="从数据库导出一个部门或单位某一跟踪时段的跟踪表（按输出文件后缀选择格式）",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "示例：\n"
            "  jixiao export --department 上海市闵行区人力资源和社会保障局 --period 2024-01:2024-08 -o 汇总.xlsx\n"
            "  jixiao export --department 上海市闵行区人力资源和社会保障局 --period 2024-01:2024-08 -o 公开.pdf\n"
            "  jixiao export --department 闵行区人社局 --period 2024-01:2024-08 --findings -o 审核意见.pdf\n"
            "  jixiao export --unit 上海市闵行区社会保障服务中心 --period 2024-01:2024-08 --template -o 填报模板.xlsx"
        ),
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--department", metavar="主管部门", help="主管部门名称（可带“(汇总)”）")
    who.add_argument("--unit", metavar="实施单位", help="实施单位名称（用于填报模板）")
    p.add_argument("--period", required=True, metavar="YYYY-MM:YYYY-MM", help="跟踪时段，如 2024-01:2024-08")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help=".xlsx、.pdf、.txt 或 .json")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--template", action="store_true", help="导出单位的填报模板（.xlsx）")
    kind.add_argument("--findings", action="store_true", help="导出审核意见（.pdf）")
    p.set_defaults(func=cmd_export)
