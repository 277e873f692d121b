"""Survey pages and API with the seed 001 demo: what they say, and who sees what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tryggnav.audit.models import AuditEntry
from tryggnav.demo import surveys as demo
from tryggnav.surveys.models import Indicator, Result, Survey


@pytest.fixture
def seed(world):
    # The demo belongs to Huddinge kommun; here the world's lead organisation owns it.
    world.lead.slug = "huddinge-kommun"
    world.lead.save()
    demo.load()
    world.lead.slug = "sdf"
    world.lead.save()
    return Indicator.objects.get(survey__name=demo.SURVEY, survey__year=2021)


def test_indicator_page_checks_the_seed_statements(world, seed):
    response = world.client("outsider").get(seed.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Huddinge" in page and "63 % (59–68 %)" in page
    assert "signifikant om standardfelet för Stockholms län är högst 2,8 procentenheter" in page
    assert "rangordningen gäller 21 enheter, men bara 3 har publicerade värden" in page
    assert "vore signifikant om båda hade minst 31 svarande" in page
    # No rank intervals without everyone's uncertainty; the page says which units lack it.
    assert "kräver osäkerhet för alla enheter" in page


def test_generated_league_table_shows_rank_interval_and_labels(world, seed):
    indicator = Indicator.objects.get(survey__name=demo.GENERATED_SURVEY, survey__year=2021)
    page = world.client("reader").get(indicator.get_absolute_url()).content.decode()
    assert "plats 16 av 21 (osäkerhetsintervall" in page
    assert "Genererade värden" in page and "genererad" in page
    assert "Holm-justerat" in page
    assert "data-vega-spec" in page


def test_result_page_has_interval_basis_comparisons_and_trend(world, seed):
    huddinge = Result.objects.get(
        indicator__survey__name=demo.GENERATED_SURVEY,
        indicator__survey__year=2021,
        unit_code="0126",
    )
    page = world.client("reader").get(huddinge.get_absolute_url()).content.decode()
    assert "Publicerat 95-procentigt osäkerhetsintervall" in page
    assert "Stockholms län" in page and "Test av en enhet mot helheten" in page
    assert "Huddinge 2019" in page  # year-to-year comparison
    assert "band" in page  # the trend chart


def test_group_comparison_without_n_is_not_claimed(world, seed):
    women = Result.objects.get(group="kvinnor")
    men = Result.objects.get(group="män")
    url = reverse("surveys:compare", args=[women.public_id, men.public_id])
    page = world.client("reader").get(url).content.decode()
    assert "kan inte kontrolleras utifrån de publicerade siffrorna" in page
    assert "signifikant högre" not in page


def test_internal_survey_is_hidden_from_other_organisations(world, seed):
    Survey.objects.filter(name=demo.SURVEY).update(is_internal=True)
    assert world.client("outsider").get(seed.get_absolute_url()).status_code == 404
    assert world.client("reader").get(seed.get_absolute_url()).status_code == 200
    listing = world.client("outsider").get(reverse("api:surveys")).json()
    assert demo.SURVEY not in [s["name"] for s in listing]


def test_result_by_hand_is_validated_and_audited(world, seed):
    client = world.client("coordinator")
    url = reverse("surveys:result_create", args=[seed.public_id])
    bad = client.post(
        url,
        {
            "unit_type": "municipality",
            "unit_code": "0127",
            "group": "alla",
            "estimate": "63",
            "ci_low": "65",
            "ci_high": "70",
        },
    )
    assert bad.status_code == 200 and "Intervallet ska innehålla andelen" in bad.content.decode()
    assert not Result.objects.filter(unit_code="0127", indicator=seed).exists()
    good = client.post(
        url,
        {
            "unit_type": "municipality",
            "unit_code": "0127",
            "group": "alla",
            "estimate": "58,5",
            "n": "700",
        },
    )
    assert good.status_code == 302
    result = Result.objects.get(unit_code="0127", indicator=seed)
    assert result.estimate == pytest.approx(0.585) and result.unit_name == "Botkyrka"
    assert AuditEntry.objects.filter(object_id=str(result.public_id), action="create").exists()


def test_import_preview_shows_row_errors_and_commits_nothing(world):
    client = world.client("coordinator")
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        "survey;provider;year;indicator;unit_type;unit_code;estimate\n"
        "Mätning;kommun;2024;Trygga;municipality;0180;61\n"
        "Mätning;kommun;2024;Trygga;municipality;9999;61\n"
    ).encode()
    response = client.post(
        reverse("surveys:import", args=["sdf"]), {"file": SimpleUploadedFile("m.csv", content)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Okänd kommunkod" in page and "inget har sparats" in page
    assert "procent (0–100)" in page
    assert not Survey.objects.exists()


def test_api_gives_intervals_and_league(world, seed):
    client = world.client("reader")
    huddinge = Result.objects.get(indicator=seed, unit_code="0126")
    data = client.get(reverse("api:survey_result", args=[huddinge.public_id])).json()
    assert (data["low"], data["high"], data["interval_basis"]) == (0.59, 0.68, "published")
    indicator = Indicator.objects.get(survey__name=demo.GENERATED_SURVEY, survey__year=2021)
    league = client.get(reverse("api:indicator_league", args=[indicator.public_id])).json()
    row = next(r for r in league["rows"] if r["unit_name"] == "Huddinge")
    assert row["rank"] == 16 and row["rank_low"] <= 16 <= row["rank_high"]
    assert league["whole"] == "Stockholms län"
