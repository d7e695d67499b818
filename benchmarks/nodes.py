"""Uplink on PostgreSQL through 1, 2 and 3 API processes (``nenghao`` app under uvicorn) that
share the database and Redis (nonces, rate limits), with the client of
``benchmarks/uplink_http.py``: signed 1,000-record messages split round-robin over the nodes.

Each run, for each node count: a fresh scratch database, fresh servers, the load; then, in the
same run, the raw insert of the same rows (``executemany`` and the column-array insert) for the
ratio. Prints records/s, the ratios and p50/p95 per message.

Usage::

    .venv/bin/python benchmarks/nodes.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1/postgres \\
        [--redis-url redis://127.0.0.1:6379/0] [--nodes 1,2,3] [--messages 152] [--runs 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from nenghao.store.engine import make_engine
from uplink_http import Signer, database, load, messages, raw_insert, seed, start_server


def measure(args: argparse.Namespace, nodes: int) -> dict[str, float]:
    """One measurement with `nodes` API processes."""
    os.environ["NENGHAO_REDIS_URL"] = args.redis_url
    os.environ["NENGHAO_REDIS_PREFIX"] = f"nenghao-bench-{uuid.uuid4().hex[:8]}"
    os.environ["NENGHAO_UPLINK_PREPARE_WORKERS"] = str(args.prepare_workers)
    with tempfile.TemporaryDirectory(prefix="nenghao-nodes-") as tmp:
        workdir = Path(tmp)
        with (
            database(args.database_url, workdir, "pipeline") as url,
            database(args.database_url, workdir, "raw") as raw_url,
        ):
            engine = make_engine(url)
            key_id, secret, _ids = seed(engine)
            engine.dispose()
            raw_engine = make_engine(raw_url)
            raw_ids = seed(raw_engine)[2]
            raw_engine.dispose()
            prepared = messages(args.messages, args.records, key_id)
            bodies = [body for body, _ in prepared]
            signer = Signer(key_id, secret, bodies)
            servers = [start_server(url, workdir, 1, monitor=False) for _ in range(nodes)]
            try:
                warm = bodies[: 2 * nodes]
                for i, (_server, base) in enumerate(servers):
                    asyncio.run(load(base, warm[i::nodes], signer, args.records, 1))
                timed = bodies[2 * nodes :]
                per_node = max(1, args.connections // nodes)

                async def everyone() -> list[list[float]]:
                    return await asyncio.gather(
                        *(
                            load(base, timed[i::nodes], signer, args.records, per_node)
                            for i, (_server, base) in enumerate(servers)
                        )
                    )

                began = time.perf_counter()
                latencies = [x for part in asyncio.run(everyone()) for x in part]
                elapsed = time.perf_counter() - began
            finally:
                for server, _base in servers:
                    server.terminate()
                for server, _base in servers:
                    server.wait(timeout=30)
            stored = reading_bytes(url)
            raw = raw_insert(raw_url, raw_ids, [rows for _, rows in prepared])
    rate = len(timed) * args.records / elapsed
    return {
        "records_per_s": rate,
        "raw_rows_per_s": raw["executemany"],
        "ratio": rate / raw["executemany"],
        "raw_arrays_rows_per_s": raw.get("arrays", float("nan")),
        "ratio_arrays": rate / raw.get("arrays", float("nan")),
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000,
        "load": os.getloadavg()[0],
        **stored,
    }


def reading_bytes(url: str) -> dict[str, float]:
    """Bytes per stored reading in the readings partitions: the table and its primary key."""
    engine = make_engine(url)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE readings"))
        count, table, index = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM readings), sum(pg_table_size(i.inhrelid)),"
                " sum(pg_indexes_size(i.inhrelid)) FROM pg_inherits i"
                " WHERE i.inhparent = CAST('readings' AS regclass)"
            )
        ).one()
    engine.dispose()
    return {"table_b_per_row": table / count, "index_b_per_row": index / count}


def _line(name: str, f: dict[str, float]) -> str:
    return (
        f"  {name:<14} {f['records_per_s']:>8,.0f} records/s"
        f"  executemany {f['raw_rows_per_s']:>8,.0f} rows/s ({f['ratio']:.0%})"
        f"  arrays {f['raw_arrays_rows_per_s']:>8,.0f} rows/s ({f['ratio_arrays']:.0%})"
        f"  p50 {f['p50_ms']:>4.0f} ms  p95 {f['p95_ms']:>4.0f} ms  load {f['load']:.1f}"
        f"  readings {f['table_b_per_row']:.0f} B/row + index {f['index_b_per_row']:.0f} B/row"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL server URL")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--nodes", default="1,2,3", help="node counts, comma-separated")
    parser.add_argument("--messages", type=int, default=152, help="messages (2 per node warm up)")
    parser.add_argument("--records", type=int, default=1000, help="records per message")
    parser.add_argument("--connections", type=int, default=8, help="client connections in all")
    parser.add_argument("--prepare-workers", type=int, default=0, help="per node (default 0)")
    parser.add_argument("--runs", type=int, default=1, help="measurements per node count")
    args = parser.parse_args()
    print(
        f"uplink into PostgreSQL through N API nodes with Redis: {args.messages} messages x"
        f" {args.records} records, {args.connections} connections in all,"
        f" {args.prepare_workers} prepare worker(s) per node, {args.runs} run(s)"
    )
    for nodes in (int(n) for n in args.nodes.split(",")):
        runs = [measure(args, nodes) for _ in range(args.runs)]
        for number, figures in enumerate(runs, start=1):
            print(_line(f"{nodes} node(s) #{number}", figures), flush=True)
        if len(runs) > 1:
            medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            print(_line(f"{nodes} node(s) med", medians))


if __name__ == "__main__":
    main()
