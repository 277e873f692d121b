"""Personal API tokens: a user lists, creates and revokes their own tokens.

A token acts as its user, with the same rights as in the web pages. Only a hash
is stored, so the token is shown once, right after it is created.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.organisations.access import authenticated_user
from tryggnav.organisations.models import ApiToken

MAX_TOKENS = 20


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Namn på nyckeln"),
        max_length=100,
        help_text=gettext_lazy("Till exempel vilket system som använder den."),
    )


def apitoken_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    with transaction.atomic():
        token, key = ApiToken.issue(user=user, name=name)
        # Not audit_create: the snapshot would copy the key's hash into the log.
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=token,
            changes={"name": [None, name], "prefix": [None, token.prefix]},
        )
    return token, key


def apitoken_revoke(*, token: ApiToken, by: Any) -> None:
    with transaction.atomic():
        audit_record(
            actor=by,
            action=AuditEntry.Action.DELETE,
            obj=token,
            changes={"name": [token.name, None], "prefix": [token.prefix, None]},
        )
        token.delete()


def _render(request: HttpRequest, form: TokenForm, new_key: str = "", status: int = 200):
    return render(
        request,
        "organisations/apitoken_list.html",
        {"tokens": authenticated_user(request).api_tokens.all(), "form": form, "new_key": new_key},
        status=status,
    )


def apitoken_list(request: HttpRequest) -> HttpResponse:
    return _render(request, TokenForm())


@require_POST
def apitoken_add(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    if authenticated_user(request).api_tokens.count() >= MAX_TOKENS:
        form.add_error(
            None, _("Du har redan %(n)d nycklar. Ta bort någon först.") % {"n": MAX_TOKENS}
        )
        return _render(request, form, status=400)
    _token, key = apitoken_create(user=request.user, name=form.cleaned_data["name"])
    # Shown once: only the hash is kept.
    return _render(request, TokenForm(), new_key=key)


@require_POST
def apitoken_revoke_view(request: HttpRequest, public_id) -> HttpResponse:
    token = authenticated_user(request).api_tokens.filter(public_id=public_id).first()
    if token is None:
        raise Http404
    apitoken_revoke(token=token, by=request.user)
    messages.success(request, _("Nyckeln %(name)s togs bort.") % {"name": token.name})
    return redirect("apitokens:list")
