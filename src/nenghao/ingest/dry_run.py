"""Dry runs: a message marked ``"dry_run": true`` is validated and answered exactly as it
would be stored, and nothing of it is kept.

The records go through the same storing code as a real message (`store_records`: registry,
units, bounds, register decoding against the stored chain, revisions against the stored
values), inside a transaction that is rolled back: no reading, register reading, revision,
rollup, quarantine entry or archive row survives, and the request's nonce is checked
(``replayed_nonce``) but not used up. A dry run refused whole is not archived either.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine

from nenghao.ingest.nonces import PendingNonce, record_nonce, release_nonce
from nenghao.ingest.pipeline import archive_body, lock_enterprise
from nenghao.ingest.protocol import RecordResult, UplinkRecord
from nenghao.ingest.sender import Sender, UplinkLimits
from nenghao.ingest.storing import store_records
from nenghao.store.engine import write_lock


def declares_dry_run(body: bytes) -> bool:
    """Whether `body` is a JSON object with ``"dry_run": true`` (read as far as it can be:
    a dry run refused whole is not archived)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("dry_run") is True


def try_records(
    engine: Engine,
    records: Sequence[UplinkRecord],
    *,
    sender: Sender,
    received: datetime,
    limits: UplinkLimits,
    body: bytes,
    message_id: str,
    nonce: PendingNonce | None,
) -> list[RecordResult]:
    """The results `records` would get if stored now; everything written is rolled back.

    Raises
    ------
    ReplayedNonce
        `nonce` is still recorded (as for a real message).
    """
    with write_lock(engine), engine.connect() as conn:
        transaction = conn.begin()
        try:
            record_nonce(conn, nonce)
            lock_enterprise(conn, sender.enterprise_id)
            at = int(received.timestamp())
            archive_id = archive_body(conn, body, sender, at, "received", message_id=message_id)
            return store_records(conn, archive_id, records, sender, received, limits, True)
        finally:
            transaction.rollback()
            release_nonce(nonce)  # checked, not used up (a claim in Redis is given back)
