"""Errors of the analytics services, answered in the API's one error shape."""

from __future__ import annotations

from nenghao.store.common import InvalidInputError, NotFoundError


class AnalyticsInputError(InvalidInputError):
    """A statistics request that cannot be answered as asked (HTTP 422)."""

    code = "invalid_statistics_request"


class SubjectNotFoundError(NotFoundError):
    """An enterprise or division that does not exist or lies outside the caller's scope."""

    code = "subject_not_found"
