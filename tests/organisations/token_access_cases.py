"""Access cases for the personal API token pages: every user manages only their own tokens."""

from tests.access import LOGIN_REDIRECT, Case
from tryggnav.organisations.models import ApiToken


def _reporter_token(world):
    token, _key = ApiToken.issue(user=world.users["reporter"], name="Fastighetssystemet")
    return [token.public_id]


TOKEN_CASES = [
    Case("apitokens:list", {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200}),
    # Any user may create tokens for themselves (they act with the user's own rights).
    Case(
        "apitokens:create",
        {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200},
        method="post",
        data=lambda w: {"name": "Mitt skript"},
    ),
    # Someone else's token does not exist for you.
    Case(
        "apitokens:revoke",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 404, "reporter": 302},
        args=_reporter_token,
        method="post",
    ),
]
