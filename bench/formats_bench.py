"""Time the department exports and the workbook read-back on 500 forms (issue 5's goals).

Run with ``make bench`` or ``.venv/bin/python bench/formats_bench.py [N]``. The forms are
the seed's nine, varied (project names, amounts, values) so nothing is cached by value.
"""

from __future__ import annotations

import copy
import io
import sys
import time
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium

from jixiao.formats.pdf_read import read_pdf
from jixiao.formats.pdf_write import write_pdf
from jixiao.formats.text import read_text
from jixiao.formats.xlsx_read import read_xlsx
from jixiao.formats.xlsx_write import write_xlsx

SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "minhang_2024_08.txt"
# Seconds (issue 15 part 4 set the 10 s goal of reading the PDF back).
# "pdf raw text" is the floor of "pdf read": PDFium extracting the raw text of the same PDF.
GOALS = {"xlsx export": 10.0, "pdf export": 30.0, "xlsx read": 10.0, "pdf read": 10.0, "pdf raw text": None}


def department(n: int):
    with SEED.open("rb") as fh:
        seed = read_text(fh, SEED.name)
    doc = copy.deepcopy(seed)
    doc.reports = []
    for i in range(n):
        report = copy.deepcopy(seed.reports[i % len(seed.reports)])
        report.project = f"{report.project}（{i // len(seed.reports) + 1:03d}）"
        step = Decimal(i % 17) / 100
        for _, line in report.budget.lines():
            if line.initial is not None:
                line.initial += step
        if report.indicators and report.indicators[0].actual:
            report.indicators[0].deviation_reason = f"第{i}号表：跟踪期内按计划推进"
        doc.reports.append(report)
    return doc


def raw_text(data: bytes) -> int:
    """The floor for reading the PDF: PDFium only extracting each page's text, nothing placed."""
    doc = pdfium.PdfDocument(data)
    chars = 0
    for page in doc:
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    doc.close()
    return chars


CPU: dict[str, float] = {}  # CPU seconds of each step: the wall time is only as quiet as the machine


def timed(label: str, func, results: list):
    start, cpu = time.perf_counter(), time.process_time()
    value = func()
    results.append((label, time.perf_counter() - start))
    CPU[label] = time.process_time() - cpu
    return value


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    doc = department(n)
    results: list[tuple[str, float]] = []
    book = io.BytesIO()
    timed("xlsx export", lambda: write_xlsx(doc, book), results)
    pdf = io.BytesIO()
    timed("pdf export", lambda: write_pdf(doc, pdf), results)
    back = timed("xlsx read", lambda: read_xlsx(io.BytesIO(book.getvalue()), "bench.xlsx"), results)
    assert back == doc, "the workbook did not read back as written"
    back = timed("pdf read", lambda: read_pdf(io.BytesIO(pdf.getvalue()), "bench.pdf"), results)
    assert back == doc, "the disclosure PDF did not read back as written"
    timed("pdf raw text", lambda: raw_text(pdf.getvalue()), results)
    print(f"{n} forms, workbook {len(book.getvalue()) / 1e6:.1f} MB, PDF {len(pdf.getvalue()) / 1e6:.1f} MB")
    print(f"{'step':<13} {'seconds':>8} {'cpu s':>6} {'goal':>6}  ok")
    failed = 0
    for label, seconds in results:
        goal = GOALS[label]
        if goal is None:
            print(f"{label:<13} {seconds:>8.2f} {CPU[label]:>6.2f} {'—':>6}  —")
            continue
        ok = seconds < goal
        failed += not ok
        print(f"{label:<13} {seconds:>8.2f} {CPU[label]:>6.2f} {goal:>6.0f}  {'yes' if ok else 'NO'}")
    seconds = dict(results)
    print(f"pdf read ÷ pdf raw text: {seconds['pdf read'] / seconds['pdf raw text']:.1f}×"
          f" ({seconds['pdf read'] / n * 1000:.1f} ms a form)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
