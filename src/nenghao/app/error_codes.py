"""The error-code table: the stable code (and HTTP status) each domain error answers with.

The API answers these errors in the one error shape (`nenghao.api.errors.install` takes
this table); the command line prints the same codes (`describe`). Most specific first.
"""

from __future__ import annotations

from nenghao import accounting, standards
from nenghao.analytics.conversion import BadQuantityError
from nenghao.review.errors import MissingExistingConsumptionError
from nenghao.standards.calendar import INVALID_PERIOD, CalendarError
from nenghao.store import common
from nenghao.store.credit_code import CreditCodeError

DomainErrors = tuple[tuple[type[Exception], int, str], ...]

DOMAIN_ERRORS: DomainErrors = (
    (accounting.DimensionMismatchError, 422, "unit_dimension_mismatch"),
    (standards.UnknownUnitError, 422, "unknown_unit"),
    (accounting.InvalidQuantityError, 422, "invalid_quantity"),
    (BadQuantityError, 422, "invalid_quantity"),
    (accounting.MissingYearError, 422, "missing_year"),
    (accounting.HeatingValueError, 422, "invalid_heating_value"),
    (accounting.MissingFactorError, 422, "missing_factor"),
    (standards.UnitError, 422, "unit_error"),
    (standards.UnknownEnergyKindError, 422, "unknown_energy_kind"),
    (standards.NoFactorError, 422, "no_factor"),
    (standards.UnknownKeyError, 422, "unknown_key"),
    (MissingExistingConsumptionError, 422, "existing_consumption_required"),
    (CreditCodeError, 422, "invalid_credit_code"),
    (CalendarError, 422, INVALID_PERIOD),  # routes read periods (years, months, days) only
)


def describe(exc: BaseException) -> tuple[str, str] | None:
    """The code and message of a known store or domain error, else None."""
    if isinstance(exc, common.StoreError):
        return exc.code, exc.message
    for cls, _status, code in DOMAIN_ERRORS:
        if isinstance(exc, cls):
            return code, str(exc) or code.replace("_", " ")
    return None
