"""Errors raised by the project assessment."""

from __future__ import annotations

__all__ = ["MissingExistingConsumptionError"]


class MissingExistingConsumptionError(ValueError):
    """A same-site reconstruction was assessed without the existing plant's energy lines.

    For a reconstruction the increment counts, so the consumption before it must be given.

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Article 8: for a
       reconstruction whose site, main process and equipment are unchanged, the annual
       comprehensive energy consumption counted is the increment after commissioning.
    """
