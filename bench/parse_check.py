"""Whole-process throughput of ``jixiao check`` on a generated file of tracking forms.

Generates N forms with the seed's shapes (its nine forms, their shifted columns included)
and varied values and typical mistakes, then runs ``jixiao check FILE --json`` as a separate
process pinned to one core and reports forms per second and peak memory. Run it twice with
different sizes to see that memory grows no faster than the input.

Beside it, in the same run and on the same core, a floor reader (``FLOOR``): decode the
file, split it into lines and cells and dump them as JSON — nothing located, nothing checked.
The ratio check / floor says what reading forms and checking them costs beyond touching every
byte once (goal: at most 3.0× on 10,000 forms).

    python bench/parse_check.py            # 1,000 and 10,000 forms
    python bench/parse_check.py --forms 50000
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "minhang_2024_08.txt"
OUT = ROOT / "bench" / "out"
CENT = Decimal("0.01")

sys.path.insert(0, str(ROOT / "src"))

from jixiao.domain.model import percent  # noqa: E402
from jixiao.formats.text import read_text, to_text  # noqa: E402


def _amount(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(rng.uniform(low, high))).quantize(CENT)


def vary(report, n: int, rng: random.Random):
    """A copy of a seed form with new names, amounts and results — now and then a real mistake."""
    r = copy.deepcopy(report)
    r.project = f"{report.project}（{n:06d}）"
    r.unit = f"{report.unit}（第{n % 97 + 1}分中心）"
    budget = _amount(rng, 1, 5000)
    spent = (budget * Decimal(str(rng.uniform(0, 1.05)))).quantize(CENT)
    rate = percent(spent, budget)
    if rng.random() < 0.05:  # a typo in the printed rate
        rate += Decimal("1.00")
    for source, line in r.budget.lines():
        zero = source in ("carryover", "other")
        line.initial = line.period_budget = Decimal("0.00") if zero else budget
        line.spent = Decimal("0.00") if zero else spent
        line.rate = Decimal("0.00") if zero else rate
    for ind in r.indicators:
        target = ind.target
        if target.is_quantitative and target.value and rng.random() < 0.15:
            shortfall = (target.value * Decimal(str(rng.uniform(0.5, 0.999)))).quantize(CENT)
            ind.actual = str(shortfall)
    return r


def generate(forms: int, path: Path, seed: int = 20240831) -> None:
    rng = random.Random(seed)
    with SEED.open("rb") as fh:
        doc = read_text(fh, SEED.name)
    _, _, raw_forms = SEED.read_text(encoding="utf-8").partition("财政项目支出绩效跟踪表")
    raw_block = "财政项目支出绩效跟踪表" + raw_forms.rstrip("\n") + "\n\n"
    reports = doc.reports
    doc.reports = []
    with path.open("w", encoding="utf-8") as out:
        out.write(to_text(doc))
        written = 0
        while written < forms:
            if written % 90 == 0 and forms - written >= 9:  # keep the seed's own shifted layouts in the mix
                out.write(raw_block)
                written += 9
                continue
            batch = copy.copy(doc)
            batch.period = batch.department_goal = None
            batch.reports = [vary(reports[(written + k) % 9], written + k, rng) for k in range(min(9, forms - written))]
            out.write(to_text(batch))
            written += len(batch.reports)


# The floor reader runs as its own small program, importing nothing of jixiao (so that neither
# the package's import time nor anything else of the checker is counted in it).
FLOOR = """
import json, sys
with open(sys.argv[1], "rb") as fh:
    text = fh.read().decode("utf-8-sig")
rows = [line.split("\\t") for line in text.splitlines()]
sys.stdout.write(json.dumps(rows, ensure_ascii=False))
sys.stdout.write("\\n")
"""


def run_floor(path: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of one floor-reader process (decode, split, dump as JSON) on the same core."""
    return _timed([sys.executable, "-c", FLOOR, str(path)])


def run_check(path: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds and peak RSS (KiB) of one ``jixiao check --json`` process on one core."""
    jixiao = shutil.which("jixiao", path=str(Path(sys.executable).parent)) or "jixiao"
    return _timed([jixiao, "check", str(path), "--json"])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system: what the process itself used, steadier than the
    wall clock on a machine shared with other work) and peak RSS (KiB) of one process."""
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cpu = _cpu()
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    cpu = _cpu() - cpu
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command[-3:]} failed ({result.returncode}): {result.stderr.decode()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, cpu, max(peak, before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forms", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or platform.machine())
    print(f"机器：{cpu}，{os.cpu_count()} 核，Python {platform.python_version()}")
    print(f"{'表单数':>8} {'文件 MiB':>9} {'检查 s':>8} {'表单/秒':>9} {'峰值内存 MiB':>12} {'底线 s':>8} {'倍数':>6}"
          f" {'检查 CPU s':>10} {'底线 CPU s':>10} {'CPU 倍数':>8}")
    for forms in sorted(args.forms):
        path = OUT / f"forms_{forms}.txt"
        generate(forms, path)
        # Best of three for both, interleaved, so that a neighbour's burst on the shared core
        # does not decide the ratio.
        checks, floors = [], []
        for _ in range(3):
            checks.append(run_check(path))
            floors.append(run_floor(path))
        elapsed, cpu = min(t for t, _, _ in checks), min(c for _, c, _ in checks)
        peak_kib = checks[0][2]  # taken before this size's floor reader ran (the maximum is over all children)
        base, base_cpu = min(t for t, _, _ in floors), min(c for _, c, _ in floors)
        size = path.stat().st_size / 2**20
        print(f"{forms:>8} {size:>9.1f} {elapsed:>8.2f} {forms / elapsed:>9.0f} {peak_kib / 1024:>12.0f}"
              f" {base:>8.2f} {elapsed / base:>5.2f}× {cpu:>10.2f} {base_cpu:>10.2f} {cpu / base_cpu:>7.2f}×")
    print("倍数 = jixiao check 耗时 ÷ 底线读取耗时（解码、分行分格、输出 JSON，不定位、不检查），各取三次最好成绩；"
          "目标 ≤ 3.0×。\nCPU 倍数按进程自身用的 CPU 时间计，不受同机其他任务抢占的影响，机器繁忙时以它为准。")


if __name__ == "__main__":
    main()
