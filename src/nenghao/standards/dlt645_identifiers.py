"""DL/T 645-2007 data identifiers of cumulative energy registers: ``data/dlt645_identifiers.toml``.

A data identifier (数据标识) is four bytes DI3 DI2 DI1 DI0, written here as eight hex digits
most significant first (``00010000``: forward active energy, total). Each entry gives the
answer's BCD format (``XXXXXX.XX``: 4 bytes, 2 decimals), the unit, whether the highest bit is
a sign, the source and the status.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ._reader import DataFile

__all__ = ["DataIdentifier", "dlt645_identifiers"]

DATA_DIR = Path(__file__).with_name("data")


class DataIdentifier(BaseModel):
    """One data identifier and how its answer is written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    di: str = Field(pattern=r"^[0-9A-F]{8}$")
    name: str
    name_en: str
    unit: str
    format: str = Field(pattern=r"^X+(\.X+)?$")
    signed: bool = False
    source: str
    status: Literal["confirmed", "unverified"]

    @property
    def code(self) -> int:
        """The identifier as a number (DI3 most significant)."""
        return int(self.di, 16)

    @property
    def digits(self) -> int:
        """BCD digits of the answer (two per byte)."""
        return len(self.format.replace(".", ""))

    @property
    def decimals(self) -> int:
        """Digits after the decimal point."""
        _, _, fraction = self.format.partition(".")
        return len(fraction)


@cache
def dlt645_identifiers(directory: Path = DATA_DIR) -> dict[str, DataIdentifier]:
    """The identifiers by their eight hex digits; a malformed file is a CatalogError."""
    data_file = DataFile(directory, "dlt645_identifiers.toml")
    data = data_file.load()
    defaults = data_file.table("defaults", data.get("defaults", {}))
    found: dict[str, DataIdentifier] = {}
    for i, entry in enumerate(data_file.tables("identifiers", data.get("identifiers"))):
        name = str(entry.get("di", f"identifiers[{i}]"))
        identifier = data_file.build(DataIdentifier, name, {**defaults, **entry})
        if identifier.di in found:
            raise data_file.error(name, "duplicate data identifier")
        if identifier.digits % 2:
            raise data_file.error(name, "the format must fill whole bytes (an even digit count)")
        found[identifier.di] = identifier
    return found
