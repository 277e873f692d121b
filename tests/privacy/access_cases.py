from django.contrib.auth import get_user_model

from tests.access import LOGIN_REDIRECT, Case
from tryggnav.organisations.models import Membership
from tryggnav.privacy.models import RetentionPolicy

ADMIN_ONLY = {
    "anonymous": LOGIN_REDIRECT,
    "outsider": 404,
    "reader": 403,
    "coordinator": 403,
    "admin": 200,
}


def _assert(condition: bool) -> None:
    assert condition


def _reader_membership(world):
    return Membership.objects.get(user=world.users["reader"], organisation=world.lead)


def _reader_erased(world) -> bool:
    return not get_user_model().objects.get(pk=world.users["reader"].pk).is_active


CASES = [
    Case("privacy:my_export", {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200}),
    Case("privacy:policy", ADMIN_ONLY, args=lambda w: [w.lead.slug]),
    Case(
        "privacy:policy",
        {**ADMIN_ONLY, "admin": 302},
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {"text_months": "24", "photo_months": "6"},
        writes=True,
        check=lambda w, before: _assert(
            RetentionPolicy.objects.filter(
                organisation=w.lead, text_months=24, photo_months=6
            ).exists()
        ),
        label="save",
    ),
    Case(
        "privacy:person_export",
        ADMIN_ONLY,
        args=lambda w: [w.lead.slug, _reader_membership(w).public_id],
    ),
    Case(
        "privacy:person_erase",
        ADMIN_ONLY,
        args=lambda w: [w.lead.slug, _reader_membership(w).public_id],
    ),
    Case(
        "privacy:person_erase",
        {**ADMIN_ONLY, "admin": 302},
        args=lambda w: [w.lead.slug, _reader_membership(w).public_id],
        method="post",
        writes=True,
        check=lambda w, before: _assert(_reader_erased(w)),
        label="erase",
    ),
]
