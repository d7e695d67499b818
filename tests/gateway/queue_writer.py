"""Queue readings one commit at a time and print each sequence number once committed:
``python queue_writer.py QUEUE_FILE`` (killed with SIGKILL by the test)."""

from __future__ import annotations

import sys
from pathlib import Path

from nenghao.gateway.queue import Queue, Reading

if __name__ == "__main__":
    queue = Queue(Path(sys.argv[1]))
    n = 0
    while True:
        reading = Reading("M0001", "15min", 1_700_000_100 + 900 * n, float(n), "kWh", 0.0)
        with queue.transaction() as conn:
            seq = queue.add(conn, reading)
        print(seq, flush=True)  # after COMMIT returned: durable
        n += 1
