"""Errors of the pathway services, answered in the API's one error shape."""

from __future__ import annotations

from nenghao.store.common import InvalidInputError, NotFoundError


class LmdiInputError(InvalidInputError):
    """An LMDI input the method cannot decompose: a negative value, or a factor that is
    undefined (energy without output value, emissions without energy) (HTTP 422)."""

    code = "lmdi_invalid_input"


class PathwayInputError(InvalidInputError):
    """A scenario, measure or assumption that cannot be projected as given (HTTP 422)."""

    code = "invalid_pathway_input"


class ScenarioNotFoundError(NotFoundError):
    """A scenario that does not exist (HTTP 404)."""

    code = "scenario_not_found"
