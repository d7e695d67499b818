"""The acknowledgement of a stored message, and its JSON written the quick way."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from nenghao.ingest.protocol import RecordResult, UplinkAck
from nenghao.ingest.writer import Outcome
from nenghao.standards.reason_codes import reason
from nenghao.standards.vocabulary import RecordStatus


@dataclass(frozen=True, slots=True)
class StoredAck:
    """A stored message's acknowledgement: its results either as models or, from the plain
    path, as `Outcome` triples, which `json` writes without building a model each."""

    message_id: str
    device_id: str
    received: datetime
    results: list[RecordResult] | None
    pairs: list[Outcome] | None
    dry_run: bool = False
    """Answered to a dry run (nothing stored): the ack says ``"dry_run": true``."""

    def ack(self) -> UplinkAck:
        """The acknowledgement as a model."""
        results = self.results
        if results is None:
            assert self.pairs is not None
            results = [
                RecordResult(
                    index=i,
                    status=status,
                    revision=revision,
                    code=code,
                    message=reason(code).en if code else None,
                )
                for i, (status, revision, code) in enumerate(self.pairs)
            ]
        return UplinkAck(
            message_id=self.message_id,
            device_id=self.device_id,
            received_at=self.received,
            dry_run=self.dry_run or None,
            results=results,
        )

    def json(self) -> bytes:
        """The acknowledgement's JSON (``exclude_none``), as `ack` would serialise it."""
        head = UplinkAck(
            message_id=self.message_id,
            device_id=self.device_id,
            received_at=self.received,
            dry_run=self.dry_run or None,
            results=[],
        ).model_dump_json(exclude_none=True)
        assert head.endswith('"results":[]}')
        if self.pairs is not None:
            if self.pairs.count(_ACCEPTED_NEW) == len(self.pairs):
                results = _all_accepted(len(self.pairs))
            else:
                results = ",".join(
                    f'{{"index":{i},{_result_tail(result)}' for i, result in enumerate(self.pairs)
                )
        else:
            assert self.results is not None
            results = ",".join(r.model_dump_json(exclude_none=True) for r in self.results)
        return (head[:-2] + results + "]}").encode("utf-8")


_ACCEPTED_NEW: Outcome = (RecordStatus.ACCEPTED, 1, None)


@lru_cache(maxsize=64)
def _result_tail(result: Outcome) -> str:
    status, revision, code = result
    if code is None:
        return f'"status":"{status.value}","revision":{revision}}}'
    message = json.dumps(reason(code).en, ensure_ascii=False)
    return (
        f'"status":"{status.value}","revision":{revision},'
        f'"code":"{code.value}","message":{message}}}'
    )


@lru_cache(maxsize=8)
def _all_accepted(count: int) -> str:
    """The results of `count` records all accepted as new (the usual answer, built once)."""
    tail = _result_tail(_ACCEPTED_NEW)
    return ",".join(f'{{"index":{i},{tail}' for i in range(count))
