"""Alert lifecycle, de-duplication, scoping and audit; delivery to channels (both backends)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from smtp_sink import SmtpSink
from sqlalchemy import select

from factories import add_enterprise
from nenghao.monitor.alerting import Candidate
from nenghao.monitor.notify import SIGNATURE_HEADER, Retry, SmtpConfig, verify
from nenghao.monitor.service import Monitor
from nenghao.store import alerts
from nenghao.store.common import ConflictError, NotFoundError
from nenghao.store.schema import audit_log
from nenghao.store.scope import Scope

SECRET = "hook-secret-0123456789abcdef"


def _values(enterprise: int, subject: str = "item:1", severity: str = "warning") -> dict:
    return Candidate("spike", subject, "spike", "a spike", severity, enterprise, "210302").values()


@pytest.fixture
def firms(engine):
    with engine.begin() as conn:
        return {
            "a": add_enterprise(conn, "MA0ALERTA", "210302", "3120"),
            "c": add_enterprise(conn, "MA0ALERTC", "210381", "3089"),
        }


def test_repeats_are_counted_and_lifecycle_is_audited(engine, firms):
    with engine.begin() as conn:
        first, opened = alerts.raise_alert(conn, _values(firms["a"]), 100)
        again, reopened = alerts.raise_alert(conn, _values(firms["a"], severity="critical"), 200)
    assert opened
    assert not reopened
    assert again["id"] == first["id"]
    assert (again["occurrences"], again["last_seen"], again["severity"]) == (2, 200, "critical")
    with engine.begin() as conn:
        acked = alerts.transition(
            conn, Scope.all(), first["id"], "acknowledge", actor="zhang", comment="checking"
        )
        with pytest.raises(ConflictError):
            alerts.transition(conn, Scope.all(), first["id"], "acknowledge", actor="x", comment="")
        done = alerts.transition(
            conn, Scope.all(), first["id"], "resolve", actor="li", comment="meter replaced"
        )
    assert (acked["status"], acked["acknowledged_by"]) == ("acknowledged", "zhang")
    assert (done["status"], done["resolved_by"], done["resolve_comment"]) == (
        "resolved",
        "li",
        "meter replaced",
    )
    with engine.begin() as conn:
        fresh, opened = alerts.raise_alert(conn, _values(firms["a"]), 300)
        trail = conn.execute(select(audit_log.c.actor, audit_log.c.action)).all()
    assert opened
    assert fresh["id"] != first["id"]
    assert [tuple(r) for r in trail] == [("zhang", "alert.acknowledge"), ("li", "alert.resolve")]


def test_scopes_see_only_their_alerts(engine, firms):
    with engine.begin() as conn:
        a, _ = alerts.raise_alert(conn, _values(firms["a"]), 1)
        c, _ = alerts.raise_alert(
            conn, {**_values(firms["c"], "item:9"), "division_code": "210381"}, 1
        )
        division, _ = alerts.raise_alert(
            conn,
            {**_values(None, "target:1"), "rule": "target_warning", "enterprise_id": None},
            1,
        )
        seen = {
            kind: {row["id"] for row in alerts.list_alerts(conn, scope).items}
            for kind, scope in {
                "all": Scope.all(),
                "district": Scope("division", division_code="210302"),
                "enterprise": Scope("enterprise", enterprise_id=firms["a"]),
            }.items()
        }
        with pytest.raises(NotFoundError):
            alerts.transition(
                conn,
                Scope("enterprise", enterprise_id=firms["a"]),
                c["id"],
                "resolve",
                actor="x",
                comment="not mine",
            )
    assert seen == {
        "all": {a["id"], c["id"], division["id"]},
        "district": {a["id"], division["id"]},
        "enterprise": {a["id"]},
    }


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_opened_alerts_go_to_matching_channels(engine, firms):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Hook.received = []
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    with engine.begin() as conn:
        for name, kind, target, extra in (
            ("hook", "webhook", url, {"secret": SECRET}),
            ("mail", "email", "ops@x.test", {}),
            ("critical only", "webhook", url, {"min_severity": "critical"}),
            ("haicheng", "email", "hc@x.test", {"division_code": "210381"}),
        ):
            alerts.create_channel(
                conn,
                {
                    "name": name,
                    "kind": kind,
                    "target": target,
                    "enabled": True,
                    "min_severity": "warning",
                    **extra,
                },
                actor="admin",
            )
        trail = json.dumps([r.after for r in conn.execute(select(audit_log)).all()])
    try:
        with SmtpSink() as sink:
            monitor = Monitor(engine, smtp=SmtpConfig("127.0.0.1", sink.port), retry=Retry(2, 0.0))
            monitor.sources = [
                lambda conn, window, kind: [
                    Candidate(
                        "spike", "item:1", "spike", "a spike", "warning", firms["a"], "210302"
                    )
                ]
            ]
            report = monitor.live(as_of=10_000)
            repeat = monitor.live(as_of=20_000)
    finally:
        server.shutdown()
    assert [n["ok"] for n in report.notifications] == [True, True]
    assert repeat.notifications == []  # a repeat does not notify again
    ((headers, body),) = _Hook.received
    assert verify(SECRET, body, headers[SIGNATURE_HEADER])
    assert json.loads(body)["alert"]["rule"] == "spike"
    assert [m.recipients for m in sink.state.messages] == [["ops@x.test"]]
    assert SECRET not in trail
    with engine.connect() as conn:
        listed = alerts.list_channels(conn).items
        sent = alerts.deliveries(conn, report.opened[0]["id"])
    assert all("secret" not in row for row in listed)
    assert [row["has_secret"] for row in listed] == [True, False, False, False]
    assert [d["status"] for d in sent] == ["sent", "sent"]
    assert [d["channel_name"] for d in sent] == ["hook", "mail"]
