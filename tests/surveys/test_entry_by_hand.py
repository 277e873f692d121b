"""Surveys entered by hand through the pages: duplicates are named on the form, results
are checked like imported rows, deletions are audited, and an import is committed only
by the user and organisation that uploaded it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tryggnav.audit.models import AuditEntry
from tryggnav.surveys import services
from tryggnav.surveys.models import Indicator, Provider, Result, Survey, UnitType

pytestmark = pytest.mark.django_db

CSV = (
    "survey;provider;year;indicator;unit_type;unit_code;estimate;n\n"
    "Trygghetsmätningen;kommun;2024;Trygga kvällstid;municipality;0180;61;900\n"
).encode()


@pytest.fixture
def indicator(world) -> Indicator:
    survey = services.survey_create(organisation=world.lead, by=world.user("coordinator"),
                                    provider=Provider.MUNICIPALITY, name="Egen mätning",
                                    year=2024)  # fmt: skip
    return services.indicator_create(survey=survey, by=world.user("coordinator"),
                                     name="Trygga kvällstid")  # fmt: skip


def _page(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def test_a_survey_is_created_once_per_provider_name_and_year(world):
    url = reverse("surveys:create", args=[world.lead.slug])
    data = {"provider": Provider.MUNICIPALITY, "name": "Mätningen", "year": 2024, "source": ""}
    response = world.client("coordinator").post(url, data)
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == survey.get_absolute_url()
    again = world.client("coordinator").post(url, data)
    assert again.status_code == 200
    assert "Organisationen har redan den undersökningen det året." in _page(again)
    assert Survey.objects.count() == 1
    next_year = world.client("coordinator").post(url, {**data, "year": 2025})
    assert next_year.status_code == 302 and Survey.objects.count() == 2


def test_a_reader_cannot_create_a_survey_and_an_outsider_does_not_see_the_organisation(world):
    url = reverse("surveys:create", args=[world.lead.slug])
    data = {"provider": Provider.MUNICIPALITY, "name": "Mätningen", "year": 2024}
    assert world.client("reader").post(url, data).status_code == 403
    assert world.client("outsider").post(url, data).status_code == 404
    assert not Survey.objects.exists()


def test_an_indicator_name_is_unique_in_its_survey(world, indicator):
    url = reverse("surveys:indicator_create", args=[indicator.survey.public_id])
    response = world.client("coordinator").post(url, {"name": indicator.name, "question": ""})
    assert "Undersökningen har redan den indikatorn." in _page(response)
    assert indicator.survey.indicators.count() == 1
    response = world.client("coordinator").post(url, {"name": "Utsatta", "question": ""})
    created = indicator.survey.indicators.get(name="Utsatta")
    assert response["Location"] == created.get_absolute_url()


def _result(world, indicator, **overrides):
    data = {"unit_type": UnitType.MUNICIPALITY, "unit_code": "0180", "unit_name": "",
            "parent_code": "", "group": "alla", "estimate": "61", "n": "900", "se": "",
            "deff": "", "ci_low": "", "ci_high": "", "note": ""}  # fmt: skip
    data.update(overrides)
    url = reverse("surveys:result_create", args=[indicator.public_id])
    return world.client("coordinator").post(url, data)


def test_a_result_is_read_as_a_percentage_and_a_second_for_the_unit_is_refused(world, indicator):
    response = _result(world, indicator)
    result = Result.objects.get()
    assert response["Location"] == result.get_absolute_url()
    assert result.estimate == pytest.approx(0.61) and result.n == 900
    again = _result(world, indicator, estimate="62")
    assert "Det finns redan ett resultat för enheten och gruppen." in _page(again)
    assert list(Result.objects.values_list("estimate", flat=True)) == [pytest.approx(0.61)]
    other_group = _result(world, indicator, estimate="55", group="kvinnor")
    assert other_group.status_code == 302 and Result.objects.count() == 2


@pytest.mark.parametrize(
    "overrides, field",
    [({"estimate": "mycket"}, "estimate"), ({"estimate": "140"}, "estimate"),
     ({"unit_code": "9999"}, "unit_code")],
)  # fmt: skip
def test_a_bad_result_is_shown_on_the_form_and_not_saved(world, indicator, overrides, field):
    response = _result(world, indicator, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Result.objects.exists()


def test_deleting_a_result_and_a_survey_is_audited(world, indicator):
    _result(world, indicator)
    result = Result.objects.get()
    client = world.client("coordinator")
    assert (
        world.client("reader")
        .post(reverse("surveys:result_delete", args=[result.public_id]))
        .status_code
        == 403
    )
    response = client.post(reverse("surveys:result_delete", args=[result.public_id]))
    assert response["Location"] == indicator.get_absolute_url()
    assert not Result.objects.exists()
    survey = indicator.survey
    response = client.post(reverse("surveys:delete", args=[survey.public_id]))
    assert response["Location"] == reverse("surveys:index")
    assert not Survey.objects.exists() and not Indicator.objects.exists()
    deleted = set(AuditEntry.objects.filter(action="delete").values_list("object_type", flat=True))
    assert {"surveys.result", "surveys.survey"} <= deleted


def test_an_uploaded_file_is_previewed_then_committed_once(world):
    client = world.client("coordinator")
    response = client.post(reverse("surveys:import", args=[world.lead.slug]),
                           {"file": SimpleUploadedFile("m.csv", CSV)})  # fmt: skip
    assert response.status_code == 200
    token = response.context["token"]
    assert not Survey.objects.exists()
    commit = reverse("surveys:import_commit", args=[world.lead.slug])
    response = client.post(commit, {"token": token, "is_internal": "1"})
    assert response["Location"] == reverse("surveys:index")
    survey = Survey.objects.get()
    assert survey.is_internal and survey.name == "Trygghetsmätningen"
    assert Result.objects.get().estimate == pytest.approx(0.61)
    assert client.post(commit, {"token": token}).status_code == 404
    assert Survey.objects.count() == 1


def test_a_commit_with_anothers_or_a_forged_token_writes_nothing(world):
    response = world.client("coordinator").post(
        reverse("surveys:import", args=[world.lead.slug]),
        {"file": SimpleUploadedFile("m.csv", CSV)},
    )
    token = response.context["token"]
    commit = reverse("surveys:import_commit", args=[world.lead.slug])
    assert world.client("admin").post(commit, {"token": token}).status_code == 403
    assert world.client("coordinator").post(commit, {"token": "../x"}).status_code == 404
    assert world.client("coordinator").post(commit, {"token": "a" * 32}).status_code == 404
    assert not Survey.objects.exists()
