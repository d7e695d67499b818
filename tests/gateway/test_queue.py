"""The queue: kill -9 of a writer loses nothing committed; settling by the platform's acks."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from nenghao.gateway.queue import Queue, Reading

HERE = Path(__file__).parent


def test_kill_9_of_a_writer_loses_nothing_committed(tmp_path) -> None:
    path = tmp_path / "queue.db"
    writer = subprocess.Popen(
        [sys.executable, str(HERE / "queue_writer.py"), str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    committed = [int(writer.stdout.readline()) for _ in range(300)]
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    committed += [int(line) for line in writer.stdout.read().split()]
    queue = Queue(path)
    kept = {q.seq for q in queue.head(100_000)}
    assert set(committed) <= kept
    assert len(committed) >= 300
    readings = queue.head(100_000)
    assert [q.reading.register for q in readings] == [float(i) for i in range(len(readings))]


def test_settle_removes_stored_and_keeps_rejected_with_reasons(tmp_path) -> None:
    queue = Queue(tmp_path / "q.db")
    with queue.transaction() as conn:
        seqs = [
            queue.add(conn, Reading("M1", "15min", 900 * i, float(i), "kWh", 0.0)) for i in range(3)
        ]
    queue.settle([seqs[0], seqs[2]], [(seqs[1], "unknown_item", "item 'M1' is not registered")])
    assert queue.depth() == 0
    ((reading, code, message, _),) = queue.rejected()
    assert (reading.seq, code, message) == (seqs[1], "unknown_item", "item 'M1' is not registered")
    assert queue.rejected_count() == 1
