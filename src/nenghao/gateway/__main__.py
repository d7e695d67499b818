"""``python -m nenghao.gateway run --config F``: the gateway alone, for small machines.

The same as ``nenghao gateway run`` without loading the platform's command line (FastAPI,
SQLAlchemy, ...): about half the memory.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from nenghao.gateway.config import ConfigError, load_config
from nenghao.gateway.discovery import check_against_platform
from nenghao.gateway.runner import run_gateway


def main(argv: list[str] | None = None) -> int:
    """Run the gateway; the exit code."""
    parser = argparse.ArgumentParser(prog="python -m nenghao.gateway")
    parser.add_argument("command", choices=["run"])
    parser.add_argument("--config", "-c", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        offline = check_against_platform(config, config.read_secret())
    except ConfigError as exc:
        print(f"error: the configuration cannot be used:\n{exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    if offline is not None:
        logging.warning("platform items not read (%s): the config's [[items]] are used", offline)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        run_gateway(config, stop)
    except KeyboardInterrupt:
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
