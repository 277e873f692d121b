"""Generated demo reports carry texts that fit their category."""

from __future__ import annotations

from types import SimpleNamespace

from tryggnav.demo import foundation
from tryggnav.demo import incidents as demo
from tryggnav.demo import lagesbild as meetings
from tryggnav.incidents.taxonomy import DEFAULT_CATEGORIES
from tryggnav.organisations.models import CollaborationGroup, Organisation

# Groups whose texts describe one particular kind of event; the others are neutral
# ("Anmält till polisen.") and fit every category of the group.
SPECIFIC_GROUPS = {
    "ordningsstorning",
    "skadegorelse",
    "brand",
    "narkotika",
    "otrygg-plats",
    "miljo",
}


def _category(slug: str) -> SimpleNamespace:
    default = next(d for d in DEFAULT_CATEGORIES if d.slug == slug)
    return SimpleNamespace(slug=slug, group=default.group)


def test_every_reported_category_with_specific_texts_has_its_own():
    slugs = {
        slug for reporters in demo.REPORTERS.values() for r in reporters for slug in r.categories
    }
    missing = [
        slug
        for slug in sorted(slugs)
        if _category(slug).group in SPECIFIC_GROUPS and slug not in demo.CATEGORY_TEXTS
    ]
    assert not missing


def test_fireworks_are_never_described_as_drunk_people():
    category = _category("fyrverkerier")
    texts = {demo._text(category, i) for i in range(len(demo.TEXTS[category.group]))}
    assert texts == set(demo.CATEGORY_TEXTS["fyrverkerier"])
    assert not any("Berusade" in t for t in texts)


def test_police_presence_is_never_assigned_to_a_security_company(db):
    foundation.load()
    for group in CollaborationGroup.objects.all():
        for turn in range(4):
            police = meetings._responsible(group, "brott", turn)
            assert police.kind == Organisation.Kind.POLICE
            fire = meetings._responsible(group, "brand", turn)
            assert fire.kind in (Organisation.Kind.FIRE_RESCUE, group.lead_organisation.kind)
