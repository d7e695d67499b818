"""A text the user reads beside a figure: Chinese first, English beside it, its source."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from nenghao.standards import Status

__all__ = ["Note"]


class Note(BaseModel):
    """A caveat or remark as the user reads it: Chinese first, English beside it.

    Attributes
    ----------
    text_zh : str
        What was used, in Chinese, with the figure (``待核实：原煤折标准煤系数 …``).
    text_en : str
        The same in English (``verify: raw_coal 0.7143 kgce/kg (equivalent) — …``).
    source : str or None
        Where it comes from (document, clause, URL) and the catalogue's own note, as stored.
    status : {"confirmed", "unverified"} or None
        ``"unverified"``: to be checked before it is relied on.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    text_zh: str
    text_en: str
    source: str | None = None
    status: Status | None = None

    @classmethod
    def plain(cls, text_zh: str, text_en: str) -> Note:
        """A remark of nenghao's own (no catalogue source, no status)."""
        return cls(text_zh=text_zh, text_en=text_en)
