"""Filing a month or a year (月报 / 年报): checked whole, then stored in one transaction of
the uplink pipeline (docs/filing.md).

The readings of ``reading`` and ``boundary`` lines go through the same validation and writer
as the uplink (source and quality ``manual``, a changed value becomes the reading's next
revision); ``compared`` lines are compared with the online sum. The filing's revision, its
lines and the audit row are written in the same transaction, so a refused line stores
nothing. Filing a period again needs a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, select

from nenghao.ingest import pipeline
from nenghao.ingest.filing_lines import (
    FilingPeriod,
    FilingRefusedError,
    LineIn,
    PlannedLine,
    parse_period,
    plan_line,
    plan_lines,
)
from nenghao.ingest.protocol import UplinkRecord
from nenghao.ingest.sender import Sender
from nenghao.ingest.service import UplinkService
from nenghao.standards.calendar import cst_date, to_cst
from nenghao.standards.reason_codes import reason as reason_of
from nenghao.standards.vocabulary import RecordStatus
from nenghao.store import audit, filings, items
from nenghao.store.filing_online import online_figure
from nenghao.store.filings import line_name
from nenghao.store.schema import readings
from nenghao.store.scope import Scope

AGREEMENT_LIMIT = 0.05
"""A filed figure differing from the online one by more than this share is flagged (需复核):
the same ±5 % as the monitor's consistency rule (`QualityConfig.consistency_max`)."""


@dataclass(frozen=True, slots=True)
class FilingRequest:
    """A filing as sent: the enterprise (its row), the period label, the lines and, for a
    revision, the reason."""

    enterprise: dict[str, Any]
    label: str
    lines: Sequence[LineIn]
    reason: str | None
    actor: str
    remote: str | None = None


def difference(filed: float, online: float | None) -> float | None:
    """``(filed - online) / online``; None without an online figure (or when it is 0)."""
    return None if not online else (filed - online) / online


def _record(line: PlannedLine, code: str, period: FilingPeriod) -> UplinkRecord:
    start = to_cst(period.start).isoformat()
    return UplinkRecord.model_validate(
        {
            "item": code,
            "period": period.period,
            "start": start,
            "value": line.value,
            "unit": line.unit,
        }
    )


def _changed_readings(conn: Connection, planned: list[PlannedLine], period: FilingPeriod) -> bool:
    """Whether a ``reading`` line's item already holds a reading for the period."""
    ids = [line.item["id"] for line in planned if line.mode == "reading" and line.item]
    if not ids:
        return False
    query = select(readings.c.item_id).where(
        readings.c.item_id.in_(ids),
        readings.c.period == period.period,
        readings.c.period_start == period.start,
    )
    return conn.execute(query.limit(1)).first() is not None


@dataclass(frozen=True, slots=True)
class FilingJob:
    """The filing's writes, one job of the uplink pipeline (its transaction)."""

    request: FilingRequest
    period: FilingPeriod
    planned: list[PlannedLine]
    sender: Sender
    received: datetime
    service: UplinkService

    def write(self, conn: Connection, group: pipeline.Group) -> dict[str, Any]:
        """Register the boundary items, store the readings, compare, keep the revision."""
        request, period = self.request, self.period
        enterprise_id = self.sender.enterprise_id
        pipeline.lock_enterprise(conn, enterprise_id)
        group.item_rows.pop(enterprise_id, None)
        records: list[UplinkRecord] = []
        item_of: dict[int, int] = {}
        for line in self.planned:
            if line.mode == "boundary":
                assert line.item is not None
                made = items.create(
                    conn,
                    Scope.all(),
                    enterprise_id,
                    line.item,
                    actor=request.actor,
                    remote=request.remote,
                    approved=True,
                )
                line.item = made
            if line.mode in ("reading", "boundary"):
                assert line.item is not None
                item_of[line.position] = int(line.item["id"])
                records.append(_record(line, str(line.item["code"]), period))
        if records:
            self._store(conn, group, records)
        rows = [self._row(conn, line, item_of.get(line.position)) for line in self.planned]
        before = filings.current(conn, enterprise_id, period.period, period.start)
        at = int(self.received.timestamp())
        filing = filings.save_revision(
            conn,
            enterprise_id=enterprise_id,
            period=period.period,
            start=period.start,
            label=period.label,
            actor=request.actor,
            at=at,
            reason=request.reason,
            lines=rows,
        )
        audit.record(
            conn,
            request.actor,
            "revise" if before else "file",
            "filing",
            filing["id"],
            before,
            {**filing, "lines": rows},
            request.remote,
            detail=request.reason,
        )
        return filings.with_lines(conn, filing)

    def _store(self, conn: Connection, group: pipeline.Group, records: list[UplinkRecord]) -> None:
        job = pipeline.StoreJob(
            self.sender,
            self.received,
            records,
            self.service.limits,
            arrival=pipeline.Arrival(
                pipeline.records_json(records), None, pipeline.records_json(records)
            ),
            keep_rejected=False,
        )
        _archive, results = job.write(conn, group)
        for result in results:
            if result.status is RecordStatus.REJECTED and result.code is not None:
                text = reason_of(result.code)
                raise FilingRefusedError(
                    result.code.value,
                    f"{records[result.index].item}: {result.message or text.en}",
                    f"{records[result.index].item}：{text.zh}",
                    {"item": records[result.index].item},
                )

    def _row(self, conn: Connection, line: PlannedLine, item_id: int | None) -> dict[str, Any]:
        period = self.period
        online, days = None, None
        if line.mode == "compared":
            online, days = online_figure(
                conn, line.online_items, period.period, period.start, period.end, line.unit
            )
        diff = difference(line.value, online)
        return {
            "kind": line.kind,
            "subject": line.subject,
            "value": line.value,
            "unit": line.unit,
            "mode": line.mode,
            "item_id": item_id,
            "online": online,
            "online_days": days,
            "period_days": period.days,
            "difference": diff,
            "flagged": diff is not None and abs(diff) > AGREEMENT_LIMIT,
        }


def file_period(
    service: UplinkService, request: FilingRequest, now: datetime | None = None
) -> dict[str, Any]:
    """Check the filing whole and store it (`FilingRefusedError` stores nothing); the filing
    with the lines of its new revision."""
    received = now or datetime.now(UTC)
    enterprise = request.enterprise
    period = parse_period(
        request.label,
        cst_date(int(received.timestamp())),
        cst_date(int(enterprise["created_at"])),
    )
    with service.engine.connect() as conn:
        registered = items.enterprise_items(conn, enterprise["id"])
        planned = plan_lines(request.lines, registered, period)
        filed = filings.current(conn, enterprise["id"], period.period, period.start)
        revising = filed is not None or _changed_readings(conn, planned, period)
    if revising and not (request.reason or "").strip():
        raise FilingRefusedError(
            "revision_reason_required",
            f"{period.label} has been filed already: a revision needs a reason",
            f"{period.label} 已有填报数据，修改须填写修改原因",
            {"field": "reason"},
        )
    sender = Sender(enterprise["id"], enterprise["credit_code"], "manual", request.actor)
    job = FilingJob(request, period, planned, sender, received, service)
    return cast(dict[str, Any], service.committer.submit(cast(pipeline.Job, job)))


def form_lines(conn: Connection, enterprise_id: int, period: FilingPeriod) -> list[dict[str, Any]]:
    """A line for each quantity the enterprise registers at its fence (energy consumed,
    product output, output and added value), with how it would be taken and, when it is
    collected online, the online figure of the period."""
    registered = items.enterprise_items(conn, enterprise_id)
    out: dict[tuple[str, str | None], dict[str, Any]] = {}
    for item in registered:
        fence = item["stage"] == "fence" or item["measures"] == "product"
        if not item["active"] or not fence or item["usage"] == "export":
            continue
        kind = "energy" if item["measures"] in ("energy", "medium") else item["measures"]
        subject = item["energy_kind"] or item["product_code"]
        if (kind, subject) in out or item["usage"] not in ("consumption", "production", "value"):
            continue
        try:
            line = plan_line(0, LineIn(kind, subject, 0.0, item["unit"]), registered, period)
        except FilingRefusedError:
            continue
        online, days = None, None
        if line.mode == "compared":
            online, days = online_figure(
                conn, line.online_items, period.period, period.start, period.end, line.unit
            )
        out[(kind, subject)] = {
            "kind": kind,
            "subject": subject,
            "name": item["name"] if kind == "product" else line_name(kind, subject),
            "unit": line.unit,
            "mode": line.mode,
            "online": online,
            "online_days": days,
            "period_days": period.days,
        }
    return list(out.values())


def overwritten(conn: Connection, enterprise_id: int, records: Sequence[UplinkRecord]) -> list[str]:
    """The items whose reading for a record's period holds another value than the record's
    (what a record filed by hand would revise)."""
    codes = {item["code"]: item["id"] for item in items.enterprise_items(conn, enterprise_id)}
    changed = []
    for record in records:
        item_id = codes.get(record.item)
        if item_id is None or record.value is None:
            continue
        stored = conn.execute(
            select(readings.c.value).where(
                readings.c.item_id == item_id,
                readings.c.period == record.period,
                readings.c.period_start == int(record.start.timestamp()),
            )
        ).scalar()
        if stored is not None and stored != record.value:
            changed.append(record.item)
    return changed
