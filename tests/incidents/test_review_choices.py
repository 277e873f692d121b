"""The review page in Swedish: no English empty choice, and a pick-list to merge into
when no duplicate nearby is suggested."""

from __future__ import annotations

from django.urls import reverse

from tests.incidents.conftest import report
from tryggnav.incidents.models import Incident


def test_review_page_has_no_english_empty_choice(world, categories):
    incident = report(world)
    page = world.client("coordinator").get(
        reverse("incidents:review", args=[world.group.slug, incident.public_id])
    )
    html = page.content.decode()
    assert "Select an option" not in html
    assert "– Välj –" in html


def test_merge_without_suggestion_offers_the_groups_reports(world, categories):
    # Another category: no duplicate is suggested, the pick-list offers it.
    other = next(c for key, c in categories.items() if key != "klotter")
    kept = report(world, category=other, status=Incident.Status.REVIEWED, hours_ago=30)
    rejected = report(world, text="Avvisad", status=Incident.Status.REJECTED, hours_ago=20)
    unplaced = report(world, text="Klotter vid porten")
    client = world.client("coordinator")
    url = reverse("incidents:review", args=[world.group.slug, unplaced.public_id])
    html = client.get(url).content.decode()
    assert f'<option value="{kept.public_id}">' in html
    assert str(rejected.public_id) not in html
    assert 'type="text" name="into"' not in html
    response = client.post(
        reverse("incidents:review_merge", args=[world.group.slug, unplaced.public_id]),
        {"into": str(kept.public_id), "seen": unplaced.state_token},
    )
    assert response.status_code == 302
    unplaced.refresh_from_db()
    assert unplaced.status == Incident.Status.MERGED
