from tests.access import LOGIN_REDIRECT, MEMBERS_READ, Case
from tests.organisations.admin_access_cases import ADMIN_CASES
from tests.organisations.geography_access_cases import GEOGRAPHY_CASES
from tests.organisations.token_access_cases import TOKEN_CASES
from tryggnav.organisations.models import Invitation, Membership


def _membership(world, persona="reporter"):
    return Membership.objects.get(user=world.users[persona])


def _coordinator_membership(world):
    return Membership.objects.get(user=world.users["coordinator"])


CASES = [
    Case("organisations:home", {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200}),
    Case("organisations:login", {"anonymous": 200, "reader": 302}),
    Case("organisations:logout", {"anonymous": 302, "reader": 302}, method="post"),
    # Without a provider configured (the test settings); tests/organisations/test_oidc.py
    # signs in through a real one.
    Case("organisations:oidc_start", {"anonymous": 404, "reader": 404}),
    Case("organisations:oidc_callback", {"anonymous": 404, "reader": 404}),
    # Without a device the verification page has nothing to ask and goes on; enrolment
    # is open to everyone logged in (tests/organisations/test_second_factor.py).
    Case("organisations:second_factor_verify", {"anonymous": LOGIN_REDIRECT, "reader": 302}),
    Case(
        "organisations:second_factor_enrol",
        {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200, "admin": 200},
    ),
    Case("organisations:password_reset", {"anonymous": 200, "reader": 200}),
    Case("organisations:password_reset_done", {"anonymous": 200}),
    Case(
        "organisations:password_reset_confirm",
        {"anonymous": 200},
        args=lambda w: ["MQ", "set-password"],
    ),
    Case("organisations:password_reset_complete", {"anonymous": 200}),
    Case(
        "organisations:accept_invitation",
        {"anonymous": 200},
        args=lambda w: [
            Invitation.objects.create(
                organisation=w.lead, email="new@sdf.example", role="reader"
            ).token
        ],
    ),
    Case(
        "organisations:switch",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 302},
        method="post",
        data=lambda w: {"organisation": w.lead.slug},
    ),
    Case("organisations:detail", MEMBERS_READ, args=lambda w: [w.lead.slug]),
    Case(
        "organisations:invite",
        {
            "anonymous": LOGIN_REDIRECT,
            "outsider": 404,
            "reader": 403,
            "coordinator": 403,
            "admin": 302,
        },
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {"email": "invited@sdf.example", "role": "reporter"},
        writes=True,
        check=lambda w, before: (
            Invitation.objects.filter(email="invited@sdf.example", organisation=w.lead).exists()
            or (_ for _ in ()).throw(AssertionError("no invitation"))
        ),
    ),
    Case(
        "organisations:membership_update",
        {
            "anonymous": LOGIN_REDIRECT,
            "outsider": 404,
            "reader": 403,
            "coordinator": 403,
            "admin": 302,
        },
        args=lambda w: [w.lead.slug, _coordinator_membership(w).public_id],
        method="post",
        data=lambda w: {"role": "reader"},
        writes=True,
        check=lambda w, before: _assert(_coordinator_membership(w).role == "reader"),
    ),
    Case(
        "organisations:audit_log",
        {
            "anonymous": LOGIN_REDIRECT,
            "outsider": 404,
            "reader": 403,
            "coordinator": 403,
            "admin": 200,
        },
        args=lambda w: [w.lead.slug],
    ),
    Case("organisations:group", MEMBERS_READ, args=lambda w: [w.group.slug]),
    Case(
        "set_language",
        {"anonymous": 302, "reader": 302},
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
    ),
    Case("about", {"anonymous": 200, "reader": 200}),
    Case("health", {"anonymous": 200}),
    # The API: a token or a session; outsiders get 404 for groups they are not in.
    Case("api:me", {"anonymous": 401, "outsider": 200, "reader": 200}),
    Case("api:groups", {"anonymous": 401, "outsider": 200, "reader": 200}),
    Case(
        "api:group",
        {"anonymous": 401, "outsider": 404, "reader": 200},
        args=lambda w: [w.group.slug],
    ),
    Case("api:openapi-json", {"anonymous": 200}),
    Case("api:openapi-view", {"anonymous": 200}),
    Case("api:api-root", {"anonymous": 404}),
]


def _assert(condition: bool) -> None:
    assert condition


CASES += TOKEN_CASES
CASES += ADMIN_CASES
CASES += GEOGRAPHY_CASES
