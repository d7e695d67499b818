"""Where a key of a TOML file is written: its line, for error messages.

`tomllib` keeps no positions, so this scans the text once and records the line of every
table header (``[a]``, ``[[a]]``, by array index) and of every ``key =`` inside it. It reads
the plain layout a configuration file uses (one key per line, no multi-line inline tables);
anything it cannot place falls back to the enclosing table's header, then to line 1.
"""

from __future__ import annotations

import re

Location = tuple[str | int, ...]
"""A path into the parsed document, as pydantic reports it: ``("points", 3, "address")``."""

_HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(?:#.*)?\Z")
_KEY = re.compile(r"\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


class LineIndex:
    """The line [1-based] of each table and key of one TOML text."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Location, int] = {}
        counts: dict[tuple[str, ...], int] = {}
        table: Location = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                names = tuple(part.strip().strip('"') for part in header.group(2).split("."))
                if header.group(1) == "[[":
                    index = counts.get(names, 0)
                    counts[names] = index + 1
                    table = (*names, index)
                else:
                    table = names
                self._lines.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                self._lines.setdefault((*table, key.group(1).strip('"')), number)

    def line(self, location: Location) -> int:
        """The line of `location`, else of its nearest enclosing table, else 1."""
        path = tuple(location)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return 1
