"""Benchmarking across projects (跨项目对标) against planted truth: recall and precision (issue 14).

``jixiao demo --scale BENCH_BENCHMARK_FORMS --seed BENCH_SEED`` into a throwaway data directory (the
synthetic province plants lenient satisfaction targets and unit costs five times their peers',
jixiao.demo.synthetic), then ``benchmarking.comparing.benchmark`` as finance sees it, scored against
``Province.planted`` (jixiao/benchmarking/planted.py). Goals: recall ≥ 90 %, precision ≥ 80 %.

    BENCH_BENCHMARK_FORMS=8000 .venv/bin/python bench/benchmarking_bench.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FORMS = int(os.environ.get("BENCH_BENCHMARK_FORMS", 8000))
SEED = int(os.environ.get("BENCH_SEED", 20240831))
JIXIAO = str(Path(sys.executable).parent / "jixiao")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="jixiao-benchmarking-") as folder:
        env = {**os.environ, "JIXIAO_DATA_DIR": folder, "JIXIAO_DEMO_PASSWORD": "bench-demo-password",
               "JIXIAO_DEBUG": os.environ.get("JIXIAO_DEBUG", "1")}
        env.pop("DATABASE_URL", None)  # SQLite in the folder
        started = time.perf_counter()
        subprocess.run([JIXIAO, "demo", "--scale", str(FORMS), "--seed", str(SEED)], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        loaded = time.perf_counter() - started
        os.environ.update({k: v for k, v in env.items() if k.startswith("JIXIAO_")})
        os.environ.pop("DATABASE_URL", None)
        from jixiao.web.commands import setup_django

        setup_django()
        from jixiao.accounts.models import User
        from jixiao.benchmarking.planted import PRECISION_GOAL, RECALL_GOAL, score
        from jixiao.benchmarking.selectors import proposal_periods, proposals
        from jixiao.demo.synthetic import Province

        finance = User.objects.get(username="demo-finance")
        started = time.perf_counter()
        scores = score(province=Province(forms=FORMS, seed=SEED), user=finance)
        took = time.perf_counter() - started
        period = next(p for p in proposal_periods(user=finance) if p.fiscal_year.year == Province(forms=1).year)
        started = time.perf_counter()
        proposed = proposals(user=finance, period=period)
        proposals_took = time.perf_counter() - started
    print(f"benchmarking: {FORMS} synthetic forms (seed {SEED}, loaded in {loaded:.0f} s), "
          f"benchmark and scoring in {took:.1f} s")
    for kind, result in scores.items():
        print(f"  {kind:<8} planted {result.planted:>5}  found {result.found:>5}  right {result.hits:>5}  "
              f"recall {result.recall}%  precision {result.precision}%")
    print(f"  proposals at {period.start}–{period.end}: {len(proposed)} projects expected to leave money unspent, "
          f"listed in {proposals_took:.1f} s")
    overall = scores["all"]
    verdict = "holds" if overall.holds else "MISSED"
    print(f"  goal recall ≥ {RECALL_GOAL}% and precision ≥ {PRECISION_GOAL}%: {verdict}")
    return 0 if overall.holds else 1


if __name__ == "__main__":
    sys.exit(main())
