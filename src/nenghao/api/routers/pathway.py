"""The carbon-peak pathway (碳达峰路径): scenarios against actual CO2, one scenario's projection
and peak, tracking by year and month, the LMDI decomposition of a change, scenario editing
(audited) and the pathway as XLSX.

The city's regulators read and edit; the auditor reads. The pathway is the city's: districts
and enterprises have no access.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response

from nenghao.analytics.periods import today_cst
from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep
from nenghao.api.models.pathway import (
    AssumptionIn,
    Created,
    DecompositionOut,
    MeasureIn,
    PathwayOut,
    RetrofitImportOut,
    ScenarioDetail,
    ScenarioIn,
    ScenarioOut,
    TrackingOut,
)
from nenghao.api.params import Id, Year
from nenghao.api.routers.reports import XLSX, download, file_answer
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import PageOut, page_out
from nenghao.pathway import answers, scenarios
from nenghao.pathway.decomposition import decompose_years
from nenghao.pathway.retrofit_import import import_retrofits
from nenghao.pathway.tracking import track
from nenghao.reports.pathway_xlsx import pathway_workbook
from nenghao.store import pathway as store

router = APIRouter(prefix="/pathway", tags=["pathway"], route_class=JsonRoute)
Reader = Annotated[Principal, require("pathway:read")]
Writer = Annotated[Principal, require("pathway:write")]


@router.get("", response_model=PathwayOut, summary="Every scenario against actual CO2")
def pathway(principal: Reader, engine: EngineDep) -> Any:
    """Each scenario's yearly CO2 to 2035 with its peak, and the actual CO2 of each year
    since the earliest base year (the current year to date, marked partial)."""
    with engine.connect() as conn:
        return answers.pathway_answer(conn, principal.scope, today_cst())


@router.get(
    "/decomposition",
    response_model=DecompositionOut,
    summary="LMDI decomposition of the change between two years",
)
def decomposition(principal: Reader, engine: EngineDep, base_year: Year, target_year: Year) -> Any:
    """Activity, structure, intensity and carbon-factor effects by sector (additive LMDI-I);
    a target year in progress is compared over the same elapsed days."""
    with engine.connect() as conn:
        return decompose_years(conn, principal.scope, base_year, target_year, today_cst())


@router.get(
    "/xlsx", summary="The pathway (XLSX)", response_class=Response, responses=file_answer(XLSX)
)
def pathway_xlsx(principal: Reader, engine: EngineDep) -> Response:
    """Every scenario's projection and peak, actual CO2 and the base year, as a workbook."""
    with engine.connect() as conn:
        content = pathway_workbook(conn, principal.scope, today_cst())
    return download(content, XLSX, "碳达峰路径.xlsx", "pathway.xlsx")


@router.get("/scenarios", response_model=PageOut[ScenarioOut], summary="The scenarios (paged)")
def list_scenarios(principal: Reader, engine: EngineDep, paging: PagingDep) -> Any:
    """The scenarios, business as usual first."""
    with engine.connect() as conn:
        page = store.page_scenarios(conn, paging.offset, paging.page_size)
    return page_out(page, paging.page_size)


@router.post("/scenarios", response_model=Created, status_code=201, summary="Add a scenario")
def create_scenario(body: ScenarioIn, principal: Writer, engine: EngineDep) -> Any:
    """A business-as-usual scenario, or a policy scenario on one (audited)."""
    with engine.begin() as conn:
        return {"id": store.create_scenario(conn, principal.username, body.model_dump())}


@router.get("/scenarios/{scenario_id}", response_model=ScenarioDetail, summary="One scenario")
def get_scenario(scenario_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """The scenario's rows, base year by sector and source, projection, peak and measures."""
    with engine.connect() as conn:
        return answers.scenario_answer(conn, principal.scope, scenario_id)


@router.delete("/scenarios/{scenario_id}", response_model=Created, summary="Delete a scenario")
def delete_scenario(scenario_id: Id, principal: Writer, engine: EngineDep) -> Any:
    """With its assumptions and measures (not a baseline still in use); audited."""
    with engine.begin() as conn:
        store.delete_scenario(conn, principal.username, scenario_id)
    return {"id": scenario_id}


@router.get(
    "/scenarios/{scenario_id}/tracking",
    response_model=TrackingOut,
    summary="Actual CO2 against the scenario, by year and month",
)
def tracking(scenario_id: Id, principal: Reader, engine: EngineDep, year: Year) -> Any:
    """Each year since the base year, each month of ``year`` and its year to date, like for
    like (a span in progress against the same days of the pathway)."""
    with engine.connect() as conn:
        scenario = store.get_scenario(conn, scenario_id)
        projection, _base = scenarios.run(conn, principal.scope, scenario)
        return track(conn, principal.scope, projection, year, today_cst())


@router.post(
    "/scenarios/{scenario_id}/assumptions",
    response_model=Created,
    status_code=201,
    summary="Add a growth assumption",
)
def add_assumption(
    scenario_id: Id, body: AssumptionIn, principal: Writer, engine: EngineDep
) -> Any:
    """To a business-as-usual scenario (audited)."""
    with engine.begin() as conn:
        row = scenarios.add_assumption(conn, principal.username, scenario_id, body.model_dump())
    return {"id": row}


@router.put(
    "/scenarios/{scenario_id}/assumptions/{row_id}",
    response_model=Created,
    summary="Change a growth assumption",
)
def change_assumption(
    scenario_id: Id, row_id: Id, body: AssumptionIn, principal: Writer, engine: EngineDep
) -> Any:
    """Replace its fields (audited with before and after)."""
    with engine.begin() as conn:
        scenarios.change_assumption(
            conn, principal.username, scenario_id, row_id, body.model_dump()
        )
    return {"id": row_id}


@router.delete(
    "/scenarios/{scenario_id}/assumptions/{row_id}",
    response_model=Created,
    summary="Delete a growth assumption",
)
def delete_assumption(scenario_id: Id, row_id: Id, principal: Writer, engine: EngineDep) -> Any:
    """Audited."""
    with engine.begin() as conn:
        store.delete_row(conn, principal.username, "assumption", scenario_id, row_id)
    return {"id": row_id}


@router.post(
    "/scenarios/{scenario_id}/measures",
    response_model=Created,
    status_code=201,
    summary="Add a measure",
)
def add_measure(scenario_id: Id, body: MeasureIn, principal: Writer, engine: EngineDep) -> Any:
    """To a policy scenario, from a year after its base year (audited)."""
    with engine.begin() as conn:
        row = scenarios.add_measure(conn, principal.username, scenario_id, body.model_dump())
    return {"id": row}


@router.post(
    "/scenarios/{scenario_id}/measures/from-retrofits",
    response_model=RetrofitImportOut,
    summary="Take the registered retrofits as measures",
)
def import_retrofit_measures(scenario_id: Id, principal: Writer, engine: EngineDep) -> Any:
    """One measure per retrofit in scope, at its verified saving or else its claim (marked
    claimed); again: the measures follow the retrofits' current savings (audited)."""
    with engine.begin() as conn:
        done = import_retrofits(conn, principal.scope, principal.username, scenario_id)
    return asdict(done)


@router.put(
    "/scenarios/{scenario_id}/measures/{row_id}", response_model=Created, summary="Change a measure"
)
def change_measure(
    scenario_id: Id, row_id: Id, body: MeasureIn, principal: Writer, engine: EngineDep
) -> Any:
    """Replace its fields (audited with before and after)."""
    with engine.begin() as conn:
        scenarios.change_measure(conn, principal.username, scenario_id, row_id, body.model_dump())
    return {"id": row_id}


@router.delete(
    "/scenarios/{scenario_id}/measures/{row_id}", response_model=Created, summary="Delete a measure"
)
def delete_measure(scenario_id: Id, row_id: Id, principal: Writer, engine: EngineDep) -> Any:
    """Audited."""
    with engine.begin() as conn:
        store.delete_row(conn, principal.username, "measure", scenario_id, row_id)
    return {"id": row_id}
