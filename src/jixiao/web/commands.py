"""`jixiao import`, `jixiao serve` and `jixiao demo`: the commands that need Django and a database.

Django is imported only when one of these runs, so `jixiao parse` and `jixiao check` keep
working without a database or web settings.
"""

from __future__ import annotations

import argparse
import os
import sys

SHOWN_PROBLEMS = 20


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


BULK_BYTES = 8 * 2**20  # larger inputs (some 4,000 forms of text) go through the bulk import


def cmd_import(args: argparse.Namespace) -> int:
    setup_django()
    if args.bulk or sum(_size(path) for path in args.files) > BULK_BYTES:
        return _import_bulk(args)
    from rich.progress import Progress

    from jixiao.formats.errors import FormatError
    from jixiao.formats.registry import read_document
    from jixiao.tracking.importing import NEW, UNCHANGED, UPDATE, ImportRefused, documents_import

    _migrate()
    documents = []
    try:
        for path in args.files:
            documents.append((path, read_document(path)))
    except FormatError as exc:
        print(f"错误：{exc}\n未导入任何数据。", file=sys.stderr)
        return 2
    total = sum(len(doc.reports) for _, doc in documents)
    try:
        with Progress(transient=True, disable=total < 50 or not sys.stderr.isatty()) as progress:
            task = progress.add_task("导入跟踪表", total=total)
            plan = documents_import(
                documents=documents, user=None, progress=lambda done, _: progress.update(task, completed=done)
            )
    except ImportRefused as exc:
        return _refused(exc)
    print(
        f"已导入 {len(plan.reports)} 张跟踪表：新增 {plan.count(NEW)}，更新 {plan.count(UPDATE)}，"
        f"未变 {plan.count(UNCHANGED)}。"
    )
    _new_organisations(plan.new_organisations)
    return 0


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _import_bulk(args: argparse.Namespace) -> int:
    from jixiao.formats.errors import FormatError
    from jixiao.tracking.bulk import FilePart, reports_import_bulk
    from jixiao.tracking.importing import ImportRefused

    _migrate()
    show = sys.stderr.isatty()
    try:
        result = reports_import_bulk(
            parts=[FilePart(path) for path in args.files], user=None, workers=args.workers or os.cpu_count() or 1,
            progress=(lambda n: print(f"\r已读取 {n} 张跟踪表", end="", file=sys.stderr, flush=True)) if show else None,
        )
    except FormatError as exc:
        print(f"错误：{exc}\n未导入任何数据。", file=sys.stderr)
        return 2
    except ImportRefused as exc:
        return _refused(exc)
    if show:
        print(file=sys.stderr)
    print(f"已导入 {result.count} 张跟踪表：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}。")
    _new_organisations(result.new_organisations)
    return 0


def _refused(exc) -> int:
    for problem in exc.problems[:SHOWN_PROBLEMS]:
        print(f"错误：{problem}", file=sys.stderr)
    if len(exc.problems) > SHOWN_PROBLEMS:
        print(f"……另有 {len(exc.problems) - SHOWN_PROBLEMS} 个问题未列出。", file=sys.stderr)
    print("未导入任何数据。", file=sys.stderr)
    return 2


def _new_organisations(labels: list[str]) -> None:
    for label in labels[:SHOWN_PROBLEMS]:
        print(f"  新建{label}")
    if len(labels) > SHOWN_PROBLEMS:
        print(f"  ……另新建 {len(labels) - SHOWN_PROBLEMS} 个机构")


def cmd_serve(args: argparse.Namespace) -> int:
    if args.production:
        os.environ["JIXIAO_PRODUCTION"] = "1"
    setup_django()
    _migrate()
    if args.production:
        from jixiao.web.production import default_workers, serve_production

        workers = args.workers or default_workers()
        print(f"绩效跟踪（生产模式，{workers} 个进程 × {args.threads} 线程）已启动：http://{args.host}:{args.port}/",
              flush=True)
        serve_production(host=args.host, port=args.port, workers=workers, threads=args.threads)
        return 0
    from waitress import serve

    from jixiao.web.wsgi import application

    print(f"绩效跟踪已启动：http://{args.host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    serve(application, host=args.host, port=args.port, threads=8, ident="jixiao")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    setup_django()
    from jixiao.demo.loader import demo_load, demo_password

    _migrate()
    from jixiao.tracking.services import reports_recheck

    password, generated = demo_password(dict(os.environ))
    plan, accounts = demo_load(password=password)
    reports_recheck()  # forms loaded by an earlier version keep findings of the current rules
    from django.db.models import Count

    from jixiao.tracking.models import Status, TrackingReport

    states = dict(
        TrackingReport.objects.filter(is_latest=True).values_list("status").annotate(n=Count("pk")).order_by()
    )
    print(f"演示数据已载入：{sum(states.values())} 张跟踪表（示例文件的 {len(plan.reports)} 张及其前后跟踪期）。")
    print("审核状态：" + "，".join(f"{label} {states[value]} 张" for value, label in Status.choices if value in states))
    if args.scale:
        _demo_province(args)
    print("演示账号：")
    for account in accounts:
        print(f"  {account.username:<16} {account.role_label:<8} {account.organisation}")
    if generated:
        print(f"  密码（本次随机生成）：{password}")
    else:
        print("  密码：JIXIAO_DEMO_PASSWORD 中设置的密码")
    return 0


def _demo_province(args: argparse.Namespace) -> None:
    import time

    from jixiao.demo.synthetic import Province, province_parts
    from jixiao.tracking.bulk import reports_import_bulk

    province = Province(forms=args.scale, seed=args.seed)
    started = time.perf_counter()
    result = reports_import_bulk(parts=province_parts(province), user=None, workers=os.cpu_count() or 1)
    print(
        f"模拟数据（随机种子 {args.seed}）：{province.districts} 个区，{len(province.units())} 个实施单位，"
        f"{province.projects} 个项目，{result.count} 张跟踪表（新增 {result.created}，未变 {result.unchanged}），"
        f"用时 {time.perf_counter() - started:.1f} 秒。"
    )
    _write_planted(province)


def _write_planted(province) -> None:
    """The outliers the province plants for 跨项目对标, as a CSV in the data directory (the truth to check against)."""
    import csv

    from django.conf import settings

    from jixiao.domain.benchmarking import OUTLIER_LABELS
    from jixiao.formats.csv_cells import safe_row

    path = settings.DATA_DIR / f"模拟数据埋入的异常_种子{province.seed}.csv"
    rows = [(OUTLIER_LABELS[kind], f"{project:06d}", name) for project in range(province.projects)
            for kind, name in province.planted(project)]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("异常类型", "项目编号（项目名称末尾·后的六位数）", "三级指标"))
        writer.writerows(safe_row(row) for row in rows)
    print(f"埋入的对标异常：{len(rows)} 个（目标宽松与单位成本偏高），清单见 {path}")


def cmd_recheck(args: argparse.Namespace) -> int:
    setup_django()
    from jixiao.tracking.services import reports_recheck

    _migrate()
    count = reports_recheck(workers=args.workers or os.cpu_count() or 1, batch_size=max(1, args.batch_size))
    print(f"已按当前规则重新检查 {count} 张跟踪表。")
    return 0


def cmd_summaries(args: argparse.Namespace) -> int:
    setup_django()
    _migrate()
    from jixiao.tracking.summaries import summaries_check, summaries_rebuild

    if args.rebuild:
        from django.db import transaction

        with transaction.atomic():
            rows = summaries_rebuild()
        print(f"已按跟踪表重新计算汇总：{rows} 行。")
        return 0
    problems = summaries_check()
    for problem in problems[:50]:
        print(problem)
    if problems:
        print(f"汇总与跟踪表不一致：{len(problems)} 处。可用 jixiao summaries --rebuild 重新计算。", file=sys.stderr)
        return 1
    print("汇总与跟踪表一致。")
    return 0


def add_web_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="把跟踪表导入数据库（全部成功或全部不导入）",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  jixiao import 闵行区人社局_2024年1-8月.txt\n  DATABASE_URL=postgres://… jixiao import *.txt",
    )
    p.add_argument("files", nargs="+", metavar="文件", help="跟踪表文件（文本、JSON 或 Excel）")
    p.add_argument("--bulk", action="store_true",
                   help="按批量方式导入（大文件自动采用）：多进程读取与检查，成批写入，内存占用不随文件增大")
    p.add_argument("--workers", type=int, default=0, metavar="N",
                   help="批量导入时读取与检查的进程数（默认为 CPU 核数）")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "serve", help="启动网页服务",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  jixiao serve\n  jixiao serve --host 0.0.0.0 --port 8080\n"
        "  DATABASE_URL=postgres://… SECRET_KEY=… jixiao serve --production --workers 5",
    )
    p.add_argument("--production", action="store_true",
                   help="生产模式：gunicorn 多进程，静态文件压缩并长期缓存，会话与缓存存于数据库")
    p.add_argument("--workers", type=int, default=0, metavar="N",
                   help="生产模式的进程数（默认 JIXIAO_WORKERS 或 2×CPU 核数+1）")
    p.add_argument("--threads", type=int, default=4, metavar="N", help="生产模式每个进程的线程数（默认 4）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "demo", help="建库并载入演示数据与演示账号",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  JIXIAO_DEMO_PASSWORD=demo-pass-2024 jixiao demo && jixiao serve\n"
        "  jixiao demo --scale 100000 --seed 7    # 再生成一个省的模拟数据：10 万张跟踪表",
    )
    p.add_argument("--scale", type=int, default=0, metavar="N",
                   help="另外生成 N 张模拟跟踪表（按区、部门、单位成比例，每年多个跟踪时段，含典型错误）")
    p.add_argument("--seed", type=int, default=20240831, help="模拟数据的随机种子：同一种子生成同样的数据")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "recheck", help="规则或阈值更新后，重新检查库中所有跟踪表",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  jixiao recheck\n  jixiao recheck --workers 4",
    )
    p.add_argument("--workers", type=int, default=0, metavar="N", help="并行检查的进程数（默认为 CPU 核数）")
    p.add_argument("--batch-size", type=int, default=2000, metavar="N",
                   help="每批检查并写入的跟踪表数，每批一个事务（默认 2000）")
    p.set_defaults(func=cmd_recheck)

    p = sub.add_parser(
        "summaries", help="核对（或重新计算）首页、汇总与待办所用的汇总数与跟踪表是否一致",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  jixiao summaries --check\n  jixiao summaries --rebuild\n\n退出码：0 一致；1 不一致。",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="逐行与按跟踪表重算的结果比较（默认）")
    group.add_argument("--rebuild", action="store_true", help="按跟踪表重新计算全部汇总")
    p.set_defaults(func=cmd_summaries)
