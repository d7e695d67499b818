"""Reading one TOML data file with error messages that name the file and the entry."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import CatalogError

__all__ = ["DataFile", "check_no_overlap", "format_validation_error"]

M = TypeVar("M", bound=BaseModel)


def format_validation_error(exc: ValidationError) -> str:
    """One line per problem: ``field.path: message``."""
    parts = []
    for error in exc.errors():
        location = ".".join(str(item) for item in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts)


class DataFile:
    """One data file of the catalogue."""

    def __init__(self, directory: Path, name: str) -> None:
        self.path = directory / name
        self.name = name

    def load(self) -> dict[str, Any]:
        """Parse the file; a missing or malformed file is a :class:`CatalogError`."""
        try:
            with self.path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            raise CatalogError(f"{self.name}: file not found in {self.path.parent}") from None
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"{self.name}: not valid TOML: {exc}") from None

    def error(self, entry: str | None, message: str) -> CatalogError:
        """A :class:`CatalogError` naming this file and ``entry``."""
        if entry is None:
            return CatalogError(f"{self.name}: {message}")
        return CatalogError(f"{self.name}: entry '{entry}': {message}")

    def table(self, entry: str, value: object) -> dict[str, Any]:
        """Require ``value`` to be a TOML table."""
        if not isinstance(value, dict):
            raise self.error(entry, f"expected a table, got {type(value).__name__}")
        return value

    def tables(self, entry: str, value: object) -> list[dict[str, Any]]:
        """Require ``value`` to be an array of tables (missing means empty)."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(entry, "expected an array of tables")
        return [self.table(f"{entry}[{i}]", item) for i, item in enumerate(value)]

    def build(self, model: type[M], entry: str, data: Mapping[str, Any]) -> M:
        """Validate ``data`` into ``model``; errors name the file and the entry."""
        try:
            return model.model_validate(dict(data))
        except ValidationError as exc:
            raise self.error(entry, format_validation_error(exc)) from None


def check_no_overlap(
    data_file: DataFile,
    key: str,
    ranges: Iterable[tuple[str, date | None, date | None]],
) -> None:
    """Raise if any two ``(entry, start, end)`` ranges overlap (open ends allowed)."""
    ordered = sorted(ranges, key=lambda item: item[1] or date.min)
    for (name_a, _start_a, end_a), (name_b, start_b, _end_b) in itertools.pairwise(ordered):
        end = end_a or date.max
        start = start_b or date.min
        if start <= end:
            raise data_file.error(
                name_b, f"date range overlaps entry '{name_a}' for the same key {key}"
            )
