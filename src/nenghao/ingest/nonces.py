"""Nonces of signed requests: each (key, nonce) is accepted once while it is recorded."""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite

from nenghao.ingest.signing import ReplayedNonce
from nenghao.store.engine import write_lock
from nenghao.store.schema import uplink_nonces

logger = logging.getLogger("nenghao.uplink")


class NonceStore(Protocol):
    """Where the nonces of verified requests are recorded: the database (`DbNonceCache`) or
    Redis (`nenghao.ingest.redis_state.RedisNonceCache`, several API nodes)."""

    outside_transaction: bool
    """True when a record survives the rollback of the transaction it was made in."""

    def remember(self, key_id: str, nonce: str, *, now: int, expires_at: int) -> bool:
        """Record (key_id, nonce) until `expires_at`; False when it is still recorded."""
        ...

    def remember_in(
        self, conn: Connection, key_id: str, nonce: str, *, now: int, expires_at: int
    ) -> bool:
        """`remember`, inside `conn`'s transaction where the store takes part in it."""
        ...

    def forget(self, key_id: str, nonce: str) -> None:
        """Release a record made outside the transaction (the message was not stored)."""
        ...


class DbNonceCache:
    """`NonceStore` on the ``uplink_nonces`` table (shared by every server process).

    Expired rows are purged at most once a minute per cache.
    """

    PURGE_EVERY_S = 60
    outside_transaction = False

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._purged_at = 0
        self._lock = threading.Lock()

    def remember(self, key_id: str, nonce: str, *, now: int, expires_at: int) -> bool:
        """Record (key_id, nonce) until `expires_at`; False when it is still recorded."""
        with write_lock(self.engine), self.engine.begin() as conn:
            return self.remember_in(conn, key_id, nonce, now=now, expires_at=expires_at)

    def remember_in(
        self, conn: Connection, key_id: str, nonce: str, *, now: int, expires_at: int
    ) -> bool:
        """`remember` inside the caller's transaction (recorded when it commits)."""
        statement = _REMEMBER[self.engine.dialect.name == "postgresql"]
        self._purge(conn, now)
        parameters = {"key_id": key_id, "nonce": nonce, "expires_at": expires_at, "now": now}
        return conn.execute(statement, parameters).first() is not None

    def forget(self, key_id: str, nonce: str) -> None:
        """Nothing to do: a record in a rolled-back transaction is gone with it."""

    def _purge(self, conn: Connection, now: int) -> None:
        with self._lock:
            if now - self._purged_at < self.PURGE_EVERY_S:
                return
            self._purged_at = now
        conn.execute(delete(uplink_nonces).where(uplink_nonces.c.expires_at < now))


def _remember_statement(dialect: Any) -> Any:
    """Record a nonce unless it is recorded and unexpired (`bindparam` ``now``); returns a
    row when it was recorded."""
    statement = dialect.insert(uplink_nonces).values(
        key_id=bindparam("key_id"), nonce=bindparam("nonce"), expires_at=bindparam("expires_at")
    )
    return statement.on_conflict_do_update(
        index_elements=[uplink_nonces.c.key_id, uplink_nonces.c.nonce],
        set_={"expires_at": statement.excluded.expires_at},
        where=uplink_nonces.c.expires_at < bindparam("now"),
    ).returning(uplink_nonces.c.key_id)


_REMEMBER = {False: _remember_statement(sqlite), True: _remember_statement(postgresql)}
"""The statement by dialect (PostgreSQL or not), built once."""


class PendingNonce:
    """A `signing.NonceCache` for one request that records its nonce later, in the
    transaction that archives the message (one durable commit instead of two).

    `signing.verify` calls `remember` after the signature checks out; the service then calls
    `record` in its archive transaction, which raises `ReplayedNonce` (rolling the archive
    back) if the nonce is still recorded. A store outside the transaction (Redis) keeps its
    claim when the transaction is retried (`record` again is then a no-op) and gives it back
    with `release` when the message was neither stored nor held.
    """

    def __init__(self, cache: NonceStore, *, redelivery: bool = False) -> None:
        self.cache = cache
        self.redelivery = redelivery
        """A redelivered MQTT message: its nonce is recorded, but one recorded already is
        admitted (the first delivery was stored and its acknowledgement lost)."""
        self.pending: tuple[str, str, int, int] | None = None
        self.claimed = False
        """This request holds the nonce in a store outside the transaction."""

    def remember(self, key_id: str, nonce: str, *, now: int, expires_at: int) -> bool:
        """Keep the nonce for `record`; always True (the replay check happens there)."""
        self.pending = (key_id, nonce, now, expires_at)
        return True

    def record(self, conn: Connection) -> None:
        """Record the pending nonce in `conn`'s transaction; `ReplayedNonce` on a replay."""
        if self.pending is None:
            raise RuntimeError("no verified nonce to record")
        if self.claimed:
            return
        key_id, nonce, now, expires_at = self.pending
        recorded = self.cache.remember_in(conn, key_id, nonce, now=now, expires_at=expires_at)
        if not recorded and not self.redelivery:
            raise ReplayedNonce(f"nonce {nonce!r} was already used with key {key_id!r}")
        self.claimed = recorded and self.cache.outside_transaction

    def release(self) -> None:
        """Give back a claim outside the transaction (the message was not stored, so its nonce
        is not used up); nothing for the database, whose rollback did it."""
        if self.claimed and self.pending is not None:
            self.claimed = False
            self.cache.forget(self.pending[0], self.pending[1])


def record_nonce(conn: Connection, nonce: PendingNonce | None) -> None:
    """Record `nonce` in `conn`'s transaction, if there is one."""
    if nonce is not None:
        nonce.record(conn)


def release_nonce(nonce: PendingNonce | None) -> None:
    """`PendingNonce.release`, best effort (a Redis that is away keeps the claim until it
    expires: the device resends with a fresh nonce anyway)."""
    if nonce is not None:
        try:
            nonce.release()
        except Exception:  # best effort by design
            logger.warning("a nonce claim was not released; it expires with its window")
