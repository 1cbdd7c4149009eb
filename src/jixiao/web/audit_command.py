"""`jixiao audit verify` and `jixiao audit purge`: check the audit trail's hash chain, delete expired events."""

from __future__ import annotations

import argparse
import sys


def cmd_audit(args: argparse.Namespace) -> int:
    from jixiao.web.commands import _migrate, setup_django

    setup_django()
    _migrate()
    if args.action == "verify":
        from jixiao.audit.chain import verify

        verdict = verify()
        print(verdict.message, file=sys.stdout if verdict.ok else sys.stderr)
        return 0 if verdict.ok else 1
    from django.conf import settings

    from jixiao.audit.purge import audit_purge

    if not settings.JIXIAO_AUDIT_RETENTION_DAYS:
        print("未设置 JIXIAO_AUDIT_RETENTION_DAYS：审计记录永久保存，没有删除任何记录。")
        return 0
    count = audit_purge()
    print(f"已删除 {count} 条超过 {settings.JIXIAO_AUDIT_RETENTION_DAYS} 天保存期限的审计记录。")
    return 0


def add_audit_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit", help="检查审计记录的哈希链是否完好，或删除超过保存期限的审计记录",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  jixiao audit verify      # 退出码 0 完好；1 有记录被改动、插入或删除（指明第一条）\n"
        "  JIXIAO_AUDIT_RETENTION_DAYS=1825 jixiao audit purge   # 删除 5 年前的记录（至少保存 180 天）",
    )
    p.add_argument("action", choices=["verify", "purge"], help="verify：检查哈希链；purge：删除过期记录")
    p.set_defaults(func=cmd_audit)
