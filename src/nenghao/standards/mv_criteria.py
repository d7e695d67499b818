"""mv.toml: acceptance criteria of M&V baseline models, confidence and the claim check."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ._reader import DataFile
from .models import Sourced

__all__ = ["MvCriteria", "get_mv_criteria", "load_mv_criteria"]

_NAMES = (
    "monthly_cvrmse_max",
    "monthly_nmbe_max",
    "hourly_cvrmse_max",
    "hourly_nmbe_max",
    "baseline_min_months",
    "confidence",
    "uncertainty_factor",
    "claim_flag_ratio",
)
_FRACTIONS = (
    "monthly_cvrmse_max",
    "monthly_nmbe_max",
    "hourly_cvrmse_max",
    "hourly_nmbe_max",
    "confidence",
    "claim_flag_ratio",
)


class MvCriteria(BaseModel):
    """The M&V settings of mv.toml, each a :class:`Sourced` value."""

    model_config = ConfigDict(frozen=True)

    monthly_cvrmse_max: Sourced
    monthly_nmbe_max: Sourced
    hourly_cvrmse_max: Sourced
    hourly_nmbe_max: Sourced
    baseline_min_months: Sourced
    confidence: Sourced
    uncertainty_factor: Sourced
    claim_flag_ratio: Sourced

    def limits(self, granularity: str) -> tuple[Sourced, Sourced]:
        """(CV(RMSE) limit, |NMBE| limit) for ``granularity`` ("month" or "hour")."""
        if granularity == "hour":
            return self.hourly_cvrmse_max, self.hourly_nmbe_max
        return self.monthly_cvrmse_max, self.monthly_nmbe_max


def load_mv_criteria(directory: Path) -> MvCriteria:
    """Load and validate mv.toml from ``directory``."""
    data_file = DataFile(directory, "mv.toml")
    data = data_file.load()
    values: dict[str, Sourced] = {}
    for name in _NAMES:
        value = data_file.build(Sourced, name, data_file.table(name, data.get(name)))
        if not value.value > 0:
            raise data_file.error(name, "value must be > 0")
        if name in _FRACTIONS and not value.value < 1:
            raise data_file.error(name, "a fraction below 1 (0.15 for 15 %)")
        values[name] = value
    return MvCriteria(**values)


@lru_cache(maxsize=1)
def get_mv_criteria() -> MvCriteria:
    """The packaged mv.toml (loaded once)."""
    return load_mv_criteria(Path(__file__).parent / "data")
