"""Access cases for the survey pages. Surveys are public statistics for every logged-in
user unless internal; changing them needs the coordinator role in the owning
organisation (the outsider is a member of another organisation: 404 on internal or
organisation-scoped pages, 403 on a public survey it can see but not change)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import LOGIN_REDIRECT, Case
from tryggnav.surveys.models import Indicator, Result, Survey

PUBLIC = {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200}
MEMBERS = {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 200}
CSV = (
    "survey;provider;year;indicator;unit_type;unit_code;unit_name;group;estimate;n;se;deff;"
    "ci_low;ci_high\nMätning;kommun;2024;Trygga;municipality;0180;;alla;61;800;;;;\n"
)


def _survey(world, *, internal: bool = False) -> Survey:
    survey, _ = Survey.objects.get_or_create(
        organisation=world.lead,
        provider="scb",
        name="Intern mätning" if internal else "Medborgarundersökningen",
        year=2021,
        is_internal=internal,
    )
    return survey


def _indicator(world, *, internal: bool = False) -> Indicator:
    indicator, _ = Indicator.objects.get_or_create(
        survey=_survey(world, internal=internal), name="Trygga när det är mörkt"
    )
    return indicator


def _result(world, *, internal: bool = False, code: str = "0180", estimate: float = 0.63):
    result, _ = Result.objects.get_or_create(
        indicator=_indicator(world, internal=internal),
        unit_type="municipality",
        unit_code=code,
        group="alla",
        defaults={
            "unit_name": code,
            "municipality_id": code,
            "county_id": "01",
            "estimate": estimate,
            "ci_low": estimate - 0.04,
            "ci_high": estimate + 0.05,
        },
    )
    return result


def _upload(world) -> str:
    from tryggnav.surveys.views import store_upload

    return store_upload(
        filename="matning.csv",
        content=CSV.encode(),
        organisation_slug="sdf",
        user_id=world.user("coordinator").pk,
    )


def _assert(condition: bool) -> None:
    assert condition


def _write(url_name, args, check, *, data=None, public=True, label="", **kwargs):
    return Case(
        url_name,
        {
            "anonymous": LOGIN_REDIRECT,
            "outsider": 403 if public else 404,
            "reader": 403,
            # The reporter is in the partner organisation: an outsider to the lead's pages.
            "reporter": 403 if public else 404,
            "coordinator": 302,
        },
        args=args,
        method="post",
        data=data,
        writes=True,
        public_object=public,
        check=check,
        label=label,
        **kwargs,
    )


CASES = [
    Case("surveys:index", PUBLIC),
    Case("surveys:detail", PUBLIC, args=lambda w: [_survey(w).public_id]),
    Case(
        "surveys:detail",
        MEMBERS,
        args=lambda w: [_survey(w, internal=True).public_id],
        label="internal",
    ),
    Case("surveys:indicator", PUBLIC, args=lambda w: [_indicator(w).public_id]),
    Case(
        "surveys:indicator",
        MEMBERS,
        args=lambda w: [_indicator(w, internal=True).public_id],
        label="internal",
    ),
    Case("surveys:result", PUBLIC, args=lambda w: [_result(w).public_id]),
    Case(
        "surveys:result",
        MEMBERS,
        args=lambda w: [_result(w, internal=True).public_id],
        label="internal",
    ),
    Case(
        "surveys:compare",
        PUBLIC,
        args=lambda w: [_result(w).public_id, _result(w, code="0126", estimate=0.7).public_id],
    ),
    Case(
        "surveys:compare",
        # The second result is in an internal survey: for the outsider it does not exist.
        MEMBERS,
        args=lambda w: [_result(w).public_id, _result(w, internal=True).public_id],
        label="internal",
    ),
    _write(
        "surveys:create",
        lambda w: ["sdf"],
        lambda w, before: _assert(Survey.objects.filter(name="Egen mätning").exists()),
        data=lambda w: {"provider": "kommun", "name": "Egen mätning", "year": "2024"},
        public=False,
    ),
    _write(
        "surveys:indicator_create",
        lambda w: [_survey(w).public_id],
        lambda w, before: _assert(Indicator.objects.filter(name="Trygga i centrum").exists()),
        data=lambda w: {"name": "Trygga i centrum", "higher_is_better": "on"},
    ),
    _write(
        "surveys:result_create",
        lambda w: [_indicator(w).public_id],
        lambda w, before: _assert(Result.objects.filter(unit_code="0126", n=900).exists()),
        data=lambda w: {
            "unit_type": "municipality",
            "unit_code": "0126",
            "group": "alla",
            "estimate": "63",
            "n": "900",
        },
    ),
    _write(
        "surveys:result_delete",
        lambda w: [_result(w, code="0126").public_id],
        lambda w, before: _assert(not Result.objects.filter(unit_code="0126").exists()),
    ),
    _write(
        "surveys:delete",
        lambda w: [_survey(w).public_id],
        lambda w, before: _assert(not Survey.objects.exists()),
    ),
    Case(
        "surveys:import",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 403, "coordinator": 200},
        args=lambda w: ["sdf"],
        method="post",
        data=lambda w: {"file": SimpleUploadedFile("m.csv", CSV.encode())},
        label="preview",
    ),
    _write(
        "surveys:import_commit",
        lambda w: ["sdf"],
        lambda w, before: _assert(Result.objects.filter(unit_code="0180", n=800).exists()),
        data=lambda w: {"token": w.upload_token},
        public=False,
        state=lambda w: setattr(w, "upload_token", _upload(w)),
    ),
]

API_PUBLIC = {"anonymous": 401, "outsider": 200, "reader": 200}
API_MEMBERS = {"anonymous": 401, "outsider": 404, "reader": 200}

CASES += [
    Case("api:surveys", API_PUBLIC),
    Case("api:survey_result", API_PUBLIC, args=lambda w: [_result(w).public_id]),
    Case(
        "api:survey_result",
        API_MEMBERS,
        args=lambda w: [_result(w, internal=True).public_id],
        label="internal",
    ),
    Case("api:indicator_results", API_PUBLIC, args=lambda w: [_indicator(w).public_id]),
    Case(
        "api:indicator_league",
        API_MEMBERS,
        args=lambda w: [_indicator(w, internal=True).public_id],
    ),
]
