"""Clean copies of the seed forms: the published mistakes mended, each mend declared as data.

Every base must pass the checker without a single finding (test_corpus.py checks it), so
that a mutated copy carries exactly the one mistake its case declares.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jixiao.domain.model import TrackingReport
from jixiao.formats.text import read_text

from .mutations import apply

SEED = Path(__file__).parents[3] / "fixtures" / "minhang_2024_08.txt"

# base name → (index of the seed form, mends)
BASES: dict[str, tuple[int, tuple]] = {
    "宣传费": (3, (("text", "goal", "政策宣传全覆盖，群众满意度达90%。"),)),
    "邮寄费": (4, (
        ("text", "goal", "定点快递公司达成协议，建立月结账号，每月由快递公司提供月度邮寄费用及详细清单，"
                         "由中心财务审核后划拨支付。2024年预计送达文书12000份，文书送达准确且及时，"
                         "建立健全动态跟踪机制，邮寄对象满意度达90%"),
        ("indicator", "邮寄对象满意度", "actual", "92.00"),
    )),
    "鉴定费": (1, (
        ("text", "goal", "通过开展鉴定、认定工作，保障区劳动能力鉴定和工伤认定工作的顺利实施，"
                         "鉴定、认定工作完成率100%，鉴定对象满意度达90%，建立健全项目长效管理机制。"),
        ("indicator", "鉴定工作完成率", "planned", "100.00"),
        ("indicator", "鉴定工作完成率", "actual", "100.00"),
        ("indicator", "鉴定结果准确性", "actual", "99.50"),
        ("indicator", "鉴定工作完成及时性", "actual", "100.00"),
        ("indicator", "再次鉴定申请率", "actual", "8.00"),
        ("indicator", "鉴定对象满意度", "actual", "93.00"),
    )),
    "征地养老": (5, (
        ("indicator", "征地养老资金应发实发率", "target", "=100.00(%)"),
        ("indicator", "征地养老资金应发实发率", "planned", "100.00"),
        ("indicator", "征地养老资金应发实发率", "actual", "100.00"),
    )),
    "工伤系统": (0, (
        ("budget", "spent", "4.80"),
        ("text", "progress", "已支付运维费69.67%，年底前将支付尾款。"),
    )),
    "购买服务": (8, (
        ("budget", "spent", "120.00"),
        ("text", "progress", "按月支付雇员工资，执行率68.21%。"),
    )),
    "养老系统": (6, (
        ("budget", "spent", "7.00"),
        ("text", "progress", "目前支付运维费69.24%，年底前将支付尾款。"),
        ("indicator", "运维工作完成率", "planned", "100.00"),
        ("indicator", "运维工作完成率", "actual", "100.00"),
        ("indicator", "信息化管理制度建立情况", "deviation_reason", "无偏差"),
        ("indicator", "系统使用人员满意度", "deviation_reason", "无偏差"),
    )),
}


@cache
def seed_reports() -> tuple[TrackingReport, ...]:
    with SEED.open("rb") as fh:
        return tuple(read_text(fh, SEED.name).reports)


@cache
def base(name: str) -> TrackingReport:
    index, mends = BASES[name]
    return apply(seed_reports()[index], mends)
