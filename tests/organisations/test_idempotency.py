"""Create forms carry a one-time key: sent twice (a double click, a reload), they create
one object, and the second sending is shown what the first created."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.steering import factories as f
from tryggnav.organisations.models import FormSubmission
from tryggnav.programmes.models import Programme
from tryggnav.steering.models import (
    Activity,
    Agreement,
    Escalation,
    Indicator,
    Measure,
    Problem,
)

pytestmark = pytest.mark.django_db


def _key(page) -> str:
    found = re.search(r'name="form_key" value="([^"]+)"', page.content.decode())
    assert found, "the form has no one-time key"
    return found.group(1)


FORMS = [
    (
        "steering:agreement_create",
        lambda w: [w.group.slug],
        lambda w: {
            "kind": "avsiktsforklaring",
            "title": "Avsiktsförklaring 2025–2028",
            "starts": "2025-01-01",
            "ends": "2028-12-31",
            "party_organisations": [w.lead.pk, w.partner.pk],
        },
        lambda: Agreement.objects.filter(title="Avsiktsförklaring 2025–2028"),
    ),
    (
        "steering:problem_create",
        lambda w: [w.group.slug],
        lambda w: {"title": "Bränder i soprum", "areas": [a.pk for a in f.areas(w)]},
        lambda: Problem.objects.filter(title="Bränder i soprum"),
    ),
    (
        "programmes:programme_create",
        lambda w: [w.lead.slug],
        lambda w: {
            "kind": "program",
            "title": "Program för trygghet 2027–2030",
            "starts": "2027-01-01",
            "ends": "2030-12-31",
        },
        lambda: Programme.objects.filter(title="Program för trygghet 2027–2030"),
    ),
    (
        "steering:activity_create",
        lambda w: [w.group.slug],
        lambda w: {
            "title": "Unga för Orten",
            "responsible": w.partner.pk,
            "starts": "2025-06-15",
            "prevention_type": "social",
        },
        lambda: Activity.objects.filter(title="Unga för Orten"),
    ),
    (
        "steering:indicator_create",
        lambda w: [w.group.slug],
        lambda w: {
            "name": "Sanerat klotter",
            "kind": "manual",
            "measure": "count",
            "interval": "year",
        },  # fmt: skip
        lambda: Indicator.objects.filter(name="Sanerat klotter"),
    ),
    (
        "steering:evaluation_create",
        lambda w: [f.measure(w).problem.public_id, f.measure(w).public_id],
        lambda w: {"evaluated_on": "2025-06-30", "conclusion": "På väg"},
        lambda: Measure.objects.get().evaluations.filter(conclusion="På väg"),
    ),
    (
        "steering:escalation_create",
        lambda w: [f.problem(w).public_id],
        lambda w: {"step": 2, "obstacle": "Saknar data", "raised_to": "Kommunstyrelsen"},
        lambda: Escalation.objects.filter(obstacle="Saknar data"),
    ),
]


@pytest.mark.parametrize(("name", "args", "data", "created"), FORMS, ids=[x[0] for x in FORMS])
def test_create_form_sent_twice_creates_once(world, name, args, data, created):
    client = world.client("coordinator")
    url = reverse(name, args=args(world))
    payload = {**data(world), "form_key": _key(client.get(url))}
    first = client.post(url, payload)
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(url, payload, follow=True)
    assert second.redirect_chain[0][0] == first["Location"]
    assert "Formuläret är redan inskickat" in second.content.decode()
    assert created().count() == 1
    # A new form (a new key) creates again.
    payload["form_key"] = _key(client.get(url))
    assert client.post(url, payload).status_code == 302
    assert created().count() == 2


def test_keys_are_per_user(world):
    """Another user's key is no key of yours: both create."""
    url = reverse("steering:problem_create", args=[world.group.slug])
    payload = {"title": "Bränder i soprum", "areas": [a.pk for a in f.areas(world)]}
    payload["form_key"] = "shared-key"
    assert world.client("coordinator").post(url, payload).status_code == 302
    assert world.client("admin").post(url, payload).status_code == 302
    assert Problem.objects.filter(title="Bränder i soprum").count() == 2
    assert FormSubmission.objects.filter(key="shared-key").count() == 2


def test_programme_area_sent_twice_is_added_once(world):
    """The area form sits on the programme's page: its key comes from there."""
    client = world.client("coordinator")
    programme_url = reverse("programmes:programme_create", args=[world.lead.slug])
    client.post(
        programme_url,
        {"kind": "program", "title": "Program 2027", "starts": "2027-01-01", "ends": "2030-12-31"},
    )
    programme = Programme.objects.get(title="Program 2027")
    url = reverse("programmes:area_create", args=[programme.public_id])
    payload = {"name": "Skydd mot olyckor", "goals": "Färre bränder.",
               "form_key": _key(client.get(programme.get_absolute_url()))}  # fmt: skip
    assert client.post(url, payload).status_code == 302
    second = client.post(url, payload, follow=True)
    assert "Formuläret är redan inskickat" in second.content.decode()
    assert programme.areas.filter(name="Skydd mot olyckor").count() == 1


def _views_using_page_once() -> dict[str, bool]:
    """Each function that calls ``page_once`` → whether ``creates_once`` decorates it."""
    package = Path(__file__).resolve().parents[2] / "tryggnav"
    found = {}
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            calls = {
                c.func.id
                for c in ast.walk(node)
                if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
            }
            if "page_once" in calls:
                decorators = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
                found[f"{path.stem}.{node.name}"] = "creates_once" in decorators
    return found


def test_every_view_with_a_one_time_key_handles_a_repeat():
    """A view that calls page_once without creates_once would answer a repeat with 500."""
    views = _views_using_page_once()
    assert len(views) >= 13
    assert [name for name, decorated in views.items() if not decorated] == []
