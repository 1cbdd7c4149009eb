"""The ``jixiao`` command: each subcommand is a few lines over the library."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from jixiao.batching import without_cycle_collection
from jixiao.domain.model import Budget, TrackingReport
from jixiao.formats.errors import FormatError
from jixiao.web.audit_command import add_audit_command
from jixiao.web.backup_command import add_backup_commands
from jixiao.web.commands import add_web_commands  # imports Django only when a web command runs
from jixiao.web.doctor_command import add_doctor_command
from jixiao.web.export_command import add_export_command
from jixiao.web.library_command import add_library_command

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def _read(path: str):
    from jixiao.formats.registry import read_document

    if path == "-":
        return read_document(sys.stdin.buffer, "<stdin>")
    return read_document(path)


def _heading(report: TrackingReport) -> TrackingReport:
    """What the output needs of a checked form: keeping only this lets each form be freed."""
    return TrackingReport(project=report.project, department=report.department, unit=report.unit,
                          period=report.period, budget=Budget(total=report.budget.total))


def _dumps(data, *, pretty: bool) -> str:
    # Indented for a person at a terminal; compact into pipes and files, where the C encoder
    # (which json uses only without indent) is several times faster on large documents.
    return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None)


def _document(path: str):
    """The file's head period and its forms, streamed where the format allows."""
    from jixiao.formats.registry import stream_document

    if path == "-":
        doc = _read(path)
        return doc.period, iter(doc.reports)
    doc, reports = stream_document(path)
    return doc.period, reports


def cmd_parse(args: argparse.Namespace) -> int:
    from jixiao.formats.json import document_to_dict

    try:
        doc = _read(args.file)
    except FormatError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    text = _dumps(document_to_dict(doc), pretty=args.output is None and sys.stdout.isatty())
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return EXIT_OK


def _load_config(path: str | None):
    from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig

    if path is None:
        return DEFAULT_CONFIG
    import tomllib  # only here: its import costs a check of a small file ~10 ms

    try:
        with open(path, "rb") as fh:
            return CheckConfig.from_mapping(tomllib.load(fh))
    except FileNotFoundError:
        raise FormatError("配置文件不存在", file=path) from None
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise FormatError(f"配置有误：{exc}", file=path) from None


def cmd_check(args: argparse.Namespace) -> int:
    with without_cycle_collection():
        return _check(args)


def _check(args: argparse.Namespace) -> int:
    from jixiao.domain.checker import check_report
    from jixiao.domain.rules.file import check_file

    try:
        config = _load_config(args.config)
    except FormatError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    checked, unreadable = [], False
    for path in args.files:
        try:
            # Checked form by form as the file is read; a file with a broken form counts not at all.
            period, reports = _document(path)
            results = [(_heading(report), check_report(report, config)) for report in reports]
            # Then the forms taken together (duplicates, periods, names spelled two ways: rules/file.py).
            for index, finding in check_file([heading for heading, _ in results], period, config):
                results[index][1].findings.append(finding)
            checked.extend(results)
        except FormatError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            unreadable = True
    if args.json:
        from jixiao.formats.json import findings_to_dict, write_findings

        if sys.stdout.isatty():
            sys.stdout.write(_dumps(findings_to_dict(checked), pretty=True) + "\n")
        else:
            write_findings(checked, sys.stdout)
    else:
        from jixiao.console import print_checks

        print_checks(checked)
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if any(check.has_errors for _, check in checked) else EXIT_OK


def cmd_convert(args: argparse.Namespace) -> int:
    from jixiao.formats.registry import FINDINGS, PDF, format_for, write_document

    try:
        doc = _read(args.file)
        kind = format_for(args.output)
        if args.findings and kind != PDF:
            raise FormatError("审核意见只能写成 PDF（输出文件应以 .pdf 结尾）", file=args.output)
    except FormatError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    with open(args.output, "wb") as out:
        write_document(doc, out, FINDINGS if args.findings else kind)
    print(f"已写出 {len(doc.reports)} 张跟踪表到 {args.output}", file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="绩效跟踪：读取、检查与管理财政项目支出绩效跟踪表。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser(
        "parse", help="读取跟踪表，输出 jixiao.tracking/1 JSON",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  jixiao parse 闵行区人社局_2024年1-8月.txt > forms.json\n  cat forms.txt | jixiao parse -",
    )
    p.add_argument("file", metavar="文件", help="跟踪表文件（文本或 JSON），- 表示标准输入")
    p.add_argument("-o", "--output", metavar="输出文件", help="写入文件而不是标准输出")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser(
        "check", help="检查跟踪表，列出每张表的预警灯与问题",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "示例：\n  jixiao check 闵行区人社局_2024年1-8月.txt\n"
            "  jixiao check *.txt --json > findings.json\n"
            "  jixiao check forms.txt --config 阈值.toml\n\n"
            "退出码：0 无错误；1 存在“错误”级问题；2 文件无法读取。"
        ),
    )
    p.add_argument("files", nargs="+", metavar="文件", help="跟踪表文件，- 表示标准输入")
    p.add_argument("--json", action="store_true", help="输出 jixiao.findings/1 JSON")
    p.add_argument("--config", metavar="TOML", help="检查阈值配置文件（见 docs/RULES.md）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "convert", help="在文本、JSON、Excel 与 PDF 之间转换跟踪表（按输出文件后缀），无需数据库",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "示例：\n  jixiao convert 跟踪表.txt -o 跟踪表.xlsx\n  jixiao convert 跟踪表.xlsx -o 公开.pdf\n"
            "  jixiao convert 公开.pdf -o forms.json\n  jixiao convert 跟踪表.txt --findings -o 审核意见.pdf"
        ),
    )
    p.add_argument("file", metavar="文件", help="输入文件（文本、JSON、Excel 或 PDF，按内容识别）")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help=".txt、.json、.xlsx 或 .pdf")
    p.add_argument("--findings", action="store_true", help="写出审核意见（PDF）而不是跟踪表本身")
    p.set_defaults(func=cmd_convert)

    add_web_commands(sub)
    add_export_command(sub)
    add_audit_command(sub)
    add_backup_commands(sub)
    add_doctor_command(sub)
    add_library_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
