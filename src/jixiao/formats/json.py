"""The JSON contracts of DESIGN §5: ``jixiao.tracking/1`` (forms) and ``jixiao.findings/1``.

Numbers travel as decimal strings exactly as printed, blanks as null. The MoF-layout fields
(``adjusted``, ``forecast_spent``, ``forecast``, ``likelihood``, ``deviation_causes``, ``remarks``,
``adjustments``) appear only when set.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, BinaryIO, TextIO

from jixiao.domain.findings import Finding, ReportCheck
from jixiao.domain.model import (
    FUNDING_SOURCES,
    LIKELIHOODS,
    Budget,
    BudgetAdjustment,
    BudgetLine,
    Indicator,
    Period,
    TrackingDocument,
    TrackingReport,
    parse_number,
)
from jixiao.domain.notation import QUANTITATIVE, Target, parse_target
from jixiao.formats.errors import FormatError

TRACKING_FORMAT = "jixiao.tracking/1"
FINDINGS_FORMAT = "jixiao.findings/1"
_LINE_FIELDS = ("initial", "period_budget", "spent", "rate")
_LINE_EXTRAS = ("adjusted", "forecast_spent")


def schema(name: str) -> dict[str, Any]:
    """A JSON Schema kept with the package: ``tracking-1`` or ``findings-1``."""
    from importlib import resources  # only when a schema is asked for

    return json.loads(resources.files("jixiao.formats").joinpath(f"schemas/{name}.json").read_text("utf-8"))


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _period(period: Period | None) -> dict[str, str] | None:
    return None if period is None else {"start": period.start, "end": period.end}


def _line(line: BudgetLine) -> dict[str, str | None]:
    out = {name: _dec(getattr(line, name)) for name in _LINE_FIELDS}
    out.update({name: _dec(getattr(line, name)) for name in _LINE_EXTRAS if getattr(line, name) is not None})
    return out


def _target(target: Target) -> dict[str, Any]:
    return {"text": target.text, "kind": target.kind, "comparator": target.comparator,
            "value": _dec(target.value), "unit": target.unit}


def _indicator(ind: Indicator) -> dict[str, Any]:
    out = {"level1": ind.level1, "level2": ind.level2, "name": ind.name, "target": _target(ind.target),
           "planned": ind.planned, "actual": ind.actual, "deviation_reason": ind.deviation_reason}
    if ind.forecast is not None:
        out["forecast"] = ind.forecast
    if ind.likelihood is not None:
        out["likelihood"] = ind.likelihood
    if ind.deviation_causes:
        out["deviation_causes"] = list(ind.deviation_causes)
    return out


def _adjustment(adjustment: BudgetAdjustment) -> dict[str, Any]:
    return {"date": adjustment.date.isoformat(), "source": adjustment.source, "amount": _dec(adjustment.amount),
            "reason": adjustment.reason}


def report_to_dict(report: TrackingReport) -> dict[str, Any]:
    out = {
        "project": report.project, "department": report.department, "unit": report.unit,
        "period": _period(report.period), "amount_unit": report.amount_unit,
        "budget": {source: _line(report.budget.line(source)) for source in FUNDING_SOURCES},
        "goal": report.goal, "progress": report.progress,
        "indicators": [_indicator(ind) for ind in report.indicators],
        "budget_likelihood": report.budget_likelihood, "goal_likelihood": report.goal_likelihood,
        "corrective_actions": report.corrective_actions,
    }
    if report.remarks is not None:
        out["remarks"] = report.remarks
    if report.adjustments:
        out["adjustments"] = [_adjustment(a) for a in report.adjustments]
    return out


def document_to_dict(doc: TrackingDocument) -> dict[str, Any]:
    return {"format": TRACKING_FORMAT, "period": _period(doc.period), "department_goal": doc.department_goal,
            "reports": [report_to_dict(r) for r in doc.reports]}


def write_json(doc: TrackingDocument, stream: TextIO) -> None:
    json.dump(document_to_dict(doc), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {"rule": finding.rule, "severity": finding.severity, "indicator": finding.indicator,
            "field": finding.field, "message": finding.message}


def findings_to_dict(checked: Iterable[tuple[TrackingReport, ReportCheck]]) -> dict[str, Any]:
    return {"format": FINDINGS_FORMAT, "reports": [_checked_to_dict(report, check) for report, check in checked]}


def _checked_to_dict(report: TrackingReport, check: ReportCheck, *, findings: bool = True) -> dict[str, Any]:
    """One checked form; its findings come last (``write_findings`` splices them in encoded)."""
    out = {"project": report.project, "department": report.department, "unit": report.unit,
           "period": _period(report.period), "time_progress": _dec(check.time_progress),
           "budget_light": check.budget_light, "light": check.light}
    if findings:
        out["findings"] = [finding_to_dict(f) for f in check.findings]
    return out


def write_findings(checked: list[tuple[TrackingReport, ReportCheck]], stream: TextIO, batch: int = 1000) -> None:
    """``findings_to_dict`` as compact JSON, written a batch of forms at a time.

    The same text as ``json.dumps(findings_to_dict(checked), ensure_ascii=False)`` without
    ever holding all of it (tens of megabytes for a province's forms) in memory at once. A finding
    recurs across forms (the same row, the same message): each distinct one is encoded once.
    """
    dumps = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False) makes one per call
    encoded: dict[tuple, str] = {}
    stream.write(dumps({"format": FINDINGS_FORMAT, "reports": []})[:-2])
    for start in range(0, len(checked), batch):
        forms = []
        for report, check in checked[start : start + batch]:
            findings = []
            for f in check.findings:
                key = (f.rule, f.severity, f.indicator, f.field, f.message)
                text = encoded.get(key)
                if text is None:
                    if len(encoded) >= 65536:
                        encoded.clear()
                    text = encoded[key] = dumps(finding_to_dict(f))
                findings.append(text)
            head = dumps(_checked_to_dict(report, check, findings=False))
            forms.append(f"{head[:-1]}, \"findings\": [{', '.join(findings)}]}}")
        stream.write((", " if start else "") + ", ".join(forms))
    stream.write("]}\n")


class _Reader:
    """Turns a decoded ``jixiao.tracking/1`` object back into domain objects, naming bad paths."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, path: str, expected: str) -> FormatError:
        return FormatError(f"{path} 应为{expected}", file=self.file, where=f"字段 {path}")

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "对象")
        return value

    def text(self, value: Any, path: str, *, required: bool = False) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(path, "非空字符串" if required else "字符串或 null")
        if "\x00" in value:  # no database stores it (PostgreSQL refuses it outright)
            raise self.fail(path, "不含空字符（\\u0000）的字符串")
        return value

    def number(self, value: Any, path: str) -> Decimal | None:
        if value is None:
            return None
        parsed = parse_number(value) if isinstance(value, str) else None
        if parsed is None:
            raise self.fail(path, "数字字符串（如 \"40.05\"）或 null")
        return parsed

    def period(self, value: Any, path: str) -> Period:
        data = self.obj(value, path)
        try:
            return Period(str(data.get("start")), str(data.get("end")))
        except ValueError as exc:
            raise FormatError(str(exc), file=self.file, where=f"字段 {path}") from None

    def report(self, data: Any, path: str) -> TrackingReport:
        data = self.obj(data, path)
        budget_data = self.obj(data.get("budget"), f"{path}.budget")
        budget = Budget()
        for source in FUNDING_SOURCES:
            line_data = self.obj(budget_data.get(source), f"{path}.budget.{source}")
            setattr(budget, source, BudgetLine(**{
                name: self.number(line_data.get(name), f"{path}.budget.{source}.{name}")
                for name in _LINE_FIELDS + _LINE_EXTRAS
            }))
        indicators = data.get("indicators")
        if not isinstance(indicators, list):
            raise self.fail(f"{path}.indicators", "数组")
        adjustments = data.get("adjustments") or []
        if not isinstance(adjustments, list):
            raise self.fail(f"{path}.adjustments", "数组")
        amount_unit = data.get("amount_unit", "万元")
        if amount_unit not in ("万元", "元"):
            raise self.fail(f"{path}.amount_unit", "“万元”或“元”")
        return TrackingReport(
            project=self.text(data.get("project"), f"{path}.project", required=True),
            department=self.text(data.get("department"), f"{path}.department", required=True),
            unit=self.text(data.get("unit"), f"{path}.unit", required=True),
            period=self.period(data.get("period"), f"{path}.period"),
            amount_unit=amount_unit, budget=budget,
            goal=self.text(data.get("goal"), f"{path}.goal"),
            progress=self.text(data.get("progress"), f"{path}.progress"),
            indicators=[self.indicator(item, f"{path}.indicators[{i}]") for i, item in enumerate(indicators)],
            budget_likelihood=self.text(data.get("budget_likelihood"), f"{path}.budget_likelihood"),
            goal_likelihood=self.text(data.get("goal_likelihood"), f"{path}.goal_likelihood"),
            corrective_actions=self.text(data.get("corrective_actions"), f"{path}.corrective_actions"),
            remarks=self.text(data.get("remarks"), f"{path}.remarks"),
            adjustments=[self.adjustment(item, f"{path}.adjustments[{i}]") for i, item in enumerate(adjustments)],
        )

    def adjustment(self, data: Any, path: str) -> BudgetAdjustment:
        data = self.obj(data, path)
        try:
            date = datetime.date.fromisoformat(data.get("date"))
        except (TypeError, ValueError):
            raise self.fail(f"{path}.date", "日期字符串（如 \"2024-05-20\"）") from None
        source = data.get("source", "total")
        if source not in FUNDING_SOURCES:
            raise self.fail(f"{path}.source", "“" + "”“".join(FUNDING_SOURCES) + "”之一")
        amount = self.number(data.get("amount"), f"{path}.amount")
        if amount is None:
            raise self.fail(f"{path}.amount", "数字字符串（如 \"-5.00\"）")
        return BudgetAdjustment(date=date, amount=amount, source=source,
                                reason=self.text(data.get("reason"), f"{path}.reason"))

    def indicator(self, data: Any, path: str) -> Indicator:
        data = self.obj(data, path)
        target_data = self.obj(data.get("target"), f"{path}.target")
        text = self.text(target_data.get("text"), f"{path}.target.text", required=True)
        target = parse_target(text)
        if target_data.get("kind") not in (None, target.kind) or (
            target.kind == QUANTITATIVE and target_data.get("value") not in (None, _dec(target.value))
        ):
            raise self.fail(f"{path}.target", f"与其文字“{text}”一致的解析结果")
        causes = data.get("deviation_causes") or []
        if not isinstance(causes, list) or not all(isinstance(c, str) and "\x00" not in c for c in causes):
            raise self.fail(f"{path}.deviation_causes", "字符串数组")
        likelihood = data.get("likelihood")
        if likelihood not in (None, *LIKELIHOODS):
            raise self.fail(f"{path}.likelihood", f"“{'”“'.join(LIKELIHOODS)}”之一或 null")
        return Indicator(
            level1=self.text(data.get("level1"), f"{path}.level1"),
            level2=self.text(data.get("level2"), f"{path}.level2"),
            name=self.text(data.get("name"), f"{path}.name", required=True),
            target=target,
            planned=self.text(data.get("planned"), f"{path}.planned"),
            actual=self.text(data.get("actual"), f"{path}.actual"),
            deviation_reason=self.text(data.get("deviation_reason"), f"{path}.deviation_reason"),
            forecast=self.text(data.get("forecast"), f"{path}.forecast"),
            deviation_causes=tuple(causes),
            likelihood=likelihood,
        )


def document_from_dict(data: Any, file: str) -> TrackingDocument:
    reader = _Reader(file)
    data = reader.obj(data, "$")
    if data.get("format") != TRACKING_FORMAT:
        raise FormatError(f"不是 {TRACKING_FORMAT} 文档（format 字段为 {data.get('format')!r}）", file=file)
    reports = data.get("reports")
    if not isinstance(reports, list):
        raise reader.fail("reports", "数组")
    period = reader.period(data["period"], "period") if data.get("period") is not None else None
    return TrackingDocument(
        period=period,
        department_goal=reader.text(data.get("department_goal"), "department_goal"),
        reports=[reader.report(item, f"reports[{i}]") for i, item in enumerate(reports)],
    )


def read_json(stream: TextIO | BinaryIO, name: str) -> TrackingDocument:
    raw = stream.read()
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise FormatError("不是有效的 JSON 文档", file=name, line=line) from None
    return document_from_dict(data, name)
