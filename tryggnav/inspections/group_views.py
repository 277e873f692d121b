"""A collaboration group's deficiencies (groups.py): the members' list and the start of
a problem in Brå's process from one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tryggnav.inspections import access, groups
from tryggnav.inspections.models import OPEN_STATUSES, Deficiency
from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import get_group, group_access, groups_of
from tryggnav.organisations.idempotency import KEY_FIELD, OnceForm, creates_once, page_once

PAGE_SIZE = 50


class ProblemStartForm(OnceForm, forms.Form):
    group = forms.ChoiceField(label=gettext_lazy("Samverkansgrupp"))

    def __init__(self, *args: Any, groups_: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.slug, g.name) for g in groups_]  # type: ignore[attr-defined]


def coordinating_groups(user: Any, deficiency: Deficiency) -> list[Any]:
    """The groups the user coordinates whose areas hold the deficiency."""
    out = []
    for group in groups_of(user).distinct():
        membership = group_access(user, group)
        if membership is None or not membership.can_coordinate:
            continue
        if groups.group_deficiencies(group).filter(pk=deficiency.pk).exists():
            out.append(group)
    return out


def group_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The deficiencies in the group's areas: the open ones, or all with ?alla=1."""
    group_access = get_group(request.user, slug)
    today = timezone.localdate()
    deficiencies = groups.group_deficiencies(group_access.group)
    counts = deficiencies.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due__lt=today)),
    )
    show_all = request.GET.get("alla") == "1"
    shown = deficiencies if show_all else deficiencies.filter(status__in=OPEN_STATUSES)
    page = Paginator(
        shown.select_related("owner", "area").order_by("due", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("sida"))
    return render(
        request,
        "inspections/group_deficiencies.html",
        {
            "group": group_access.group,
            "page": page,
            "counts": counts,
            "show_all": show_all,
            "today": today,
        },
    )


@require_POST
@creates_once
def problem_start(request: HttpRequest, public_id) -> HttpResponse:
    """A coordinator of a group whose areas hold the deficiency starts a problem from it."""
    deficiency = access.get_deficiency(request.user, public_id)
    group = get_group(request.user, request.POST.get("group", ""), coordinate=True).group
    if not groups.group_deficiencies(group).filter(pk=deficiency.pk).exists():
        raise Http404
    try:
        with page_once(request, request.POST.get(KEY_FIELD)) as submission:
            problem = groups.problem_start(deficiency=deficiency, group=group, by=request.user)
            submission.created(problem)
    except InputError as error:
        for problem_text in error.problems:
            messages.error(request, str(problem_text))
        return redirect(deficiency)
    messages.success(request, _("Problemet är startat och kopplat till bristen."))
    return redirect(problem)
