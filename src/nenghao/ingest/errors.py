"""The exceptions of ingest: a located `Problem`, `IngestError` and `MessageRejected`.

Each names one reason code of `nenghao.standards.reason_codes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from nenghao.standards.reason_codes import ReasonCode


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem.

    Attributes
    ----------
    code : ReasonCode
        The stable reason.
    location : str
        Where in the message: ``"records[3].start"``, ``"sent_at"``, or ``"$"`` for the body as
        a whole.
    message : str
        What is wrong, specifically, for a person.
    """

    code: ReasonCode
    location: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """The JSON form used in error details: ``{"code", "location", "message"}``."""
        return {"code": self.code.value, "location": self.location, "message": self.message}


class IngestError(Exception):
    """Base of the ingest exceptions; `code` is the stable reason."""

    code: ReasonCode

    def __init__(self, code: ReasonCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class MessageRejected(IngestError):  # noqa: N818 - named for what it says
    """A whole uplink message is refused; `problems` lists every problem found (at least one)."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("MessageRejected needs at least one problem")
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first.code, f"{first.location}: {first.message}{more}")
        self.problems = tuple(problems)
