"""Sources cited in one short Chinese line, the way an official cites them.

The lines are data (``data/citations.toml``): the first entry whose prefix begins a source
is used; a short source without Latin letters is cited as written; otherwise the standard
and document numbers found in the source are cited.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from .catalog import DATA_DIR

NUMBERS = re.compile(
    r"(?:GB|DB[0-9]{2})(?:/T)?\s?[0-9]+(?:\.[0-9]+)?(?:-[0-9]{4})?"
    r"|[\u4e00-\u9fff]+〔[0-9]{4}〕[0-9]+号"
)
"""National and provincial standard numbers (GB/T 2589-2020, DB21/T 1234) and policy
document numbers (发改运行〔2022〕1258号)."""
LATIN = re.compile(r"[A-Za-z]")
UNCITED = "平台标准目录值（出处待补充）"


@cache
def _table() -> tuple[tuple[str, str], ...]:
    with (DATA_DIR / "citations.toml").open("rb") as handle:
        entries = tomllib.load(handle)["citation"]
    return tuple((str(entry["prefix"]), str(entry["zh"])) for entry in entries)


def cited(source: str) -> str:
    """The one-line Chinese citation of ``source`` (a catalogue entry's ``source``)."""
    text = source.strip()
    for prefix, line in _table():
        if text.startswith(prefix):
            return line
    if not LATIN.search(text) and len(text) <= 60:
        return text  # already written in Chinese (an administrator's own source, say)
    found = list(dict.fromkeys(match.group(0) for match in NUMBERS.finditer(text)))
    return "；".join(found) if found else UNCITED
