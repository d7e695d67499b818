"""Declarations the command line reads from files, checked by the very models that check the
API's request bodies, so a file and a request are refused for the same reasons."""

from __future__ import annotations

from typing import Any

from nenghao.api.models.projects import ProjectIn


def project_declaration(raw: Any) -> dict[str, Any]:
    """A project as declared in a file, checked like ``POST /api/v1/projects``.

    Raises
    ------
    pydantic.ValidationError
        The first entry names the field and what is wrong with it.
    """
    return ProjectIn.model_validate(raw).model_dump()
