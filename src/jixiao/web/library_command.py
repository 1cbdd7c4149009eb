"""`jixiao library --rebuild`: derive the 指标库 from every current form (jixiao/library/services.py)."""

from __future__ import annotations

import argparse


def cmd_library(args: argparse.Namespace) -> int:
    from jixiao.web.commands import _migrate, setup_django

    setup_django()
    _migrate()
    if not args.rebuild:
        print("请指定 --rebuild（从全部跟踪表重建指标库）。")
        return 2
    from jixiao.library.services import library_rebuild

    rebuilt = library_rebuild()
    print(f"已重建指标库：{rebuilt.indicators} 个跟踪表指标归为 {rebuilt.entries} 个指标，"
          f"{rebuilt.usages} 条项目使用记录；删除不再使用的指标 {rebuilt.removed} 个。"
          "财政的合并与推荐均已保留。")
    return 0


def add_library_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "library", help="指标库：从全部跟踪表的绩效指标重建（保留财政的合并与推荐）",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  jixiao library --rebuild",
    )
    p.add_argument("--rebuild", action="store_true", help="从全部当前跟踪表重建指标库")
    p.set_defaults(func=cmd_library)
