"""Pages of deficiencies. Reads go through ``tryggnav.inspections.access``, writes
through ``tryggnav.inspections.services``; the tokenised answer page needs no login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.audit.models import AuditEntry
from tryggnav.inspections import access, forms, services
from tryggnav.inspections.models import (
    OPEN_STATUSES,
    Deficiency,
    OwnerPolygon,
    OwnerToken,
    RoutingRule,
    ServiceLevel,
    Status,
)
from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import memberships_of, organisations_of
from tryggnav.organisations.idempotency import KEY_FIELD, creates_once, page_once
from tryggnav.organisations.models import Role

PAGE_SIZE = 50


def _filtered(deficiencies: Any, form: forms.FilterForm) -> Any:
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or ""
    if status == "alla":
        pass
    elif status in Status.values:
        deficiencies = deficiencies.filter(status=status)
    else:
        deficiencies = deficiencies.filter(status__in=OPEN_STATUSES)
    if data.get("overdue"):
        deficiencies = deficiencies.overdue()
    return deficiencies.select_related("owner", "area").order_by("due", "pk")


def _list(request: HttpRequest, deficiencies: Any, template: str, context: dict) -> HttpResponse:
    form = forms.FilterForm(request.GET or None)
    page = Paginator(_filtered(deficiencies, form), PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {**context, "page": page, "filter_form": form, "today": timezone.localdate()}
    if request.headers.get("HX-Request"):
        template = "inspections/_deficiency_list.html"
    return render(request, template, context)


def _municipality_links(user: Any) -> list[tuple[Any, bool, bool]]:
    """Per municipality organisation of the user: whether they create, and administer."""
    memberships = memberships_of(user).filter(
        organisation__in=access.municipality_organisations(user)
    )
    return [(m.organisation, m.has_role(Role.COORDINATOR), m.has_role(Role.ADMIN))
            for m in memberships]  # fmt: skip


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return _list(request, access.visible_deficiencies(user), "inspections/deficiency_index.html", {
        "municipalities": _municipality_links(user),
        "own_owners": organisations_of(user).filter(deficiencies__isnull=False).distinct(),
    })  # fmt: skip


def owner_queue(request: HttpRequest, slug: str) -> HttpResponse:
    owner = access.get_owner(request.user, slug)
    deficiencies = access.visible_deficiencies(request.user).filter(owner=owner)
    counts = deficiencies.aggregate(open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
                                    overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES,
                                                                 due__lt=timezone.localdate())))  # fmt: skip
    return _list(request, deficiencies, "inspections/owner_queue.html",
                 {"owner": owner, "counts": counts})  # fmt: skip


def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Open and overdue deficiencies per owner, and the oldest open one's age."""
    organisation = access.get_municipality(request.user, slug)
    municipality_id = organisation.municipality_id
    today = timezone.localdate()
    open_ = Deficiency.objects.filter(municipality_id=municipality_id, status__in=OPEN_STATUSES)
    rows = list(
        open_.values("owner__slug", "owner__name").annotate(
            open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)), oldest=Min("created"),
        ).order_by("-overdue", "-open", "owner__name")
    )  # fmt: skip
    table = [{**row, "age": (today - timezone.localdate(row["oldest"])).days} for row in rows]
    return render(request, "inspections/overview.html",
                  {"rows": table, "organisation": organisation})  # fmt: skip


def _history(deficiency: Deficiency) -> Any:
    return AuditEntry.objects.filter(
        object_type="inspections.deficiency", object_id=str(deficiency.public_id)
    ).order_by("at", "pk")


def deficiency_detail(request: HttpRequest, public_id) -> HttpResponse:
    deficiency = access.get_deficiency(request.user, public_id)
    seen = {"seen": deficiency.status}
    manages = access.manages(request.user, deficiency)
    context = {
        "deficiency": deficiency,
        "manages": manages,
        "answers": access.answers(request.user, deficiency),
        "is_overdue": deficiency.is_overdue(),
        "history": _history(deficiency),
        "tokens": deficiency.tokens.all() if manages else [],
        "allowed": {
            action: deficiency.status in states for action, states in services.ALLOWED.items()
        },
        "plan_form": forms.PlanForm(initial=seen),
        "fix_form": forms.FixForm(initial=seen),
        "decline_form": forms.ReasonForm(initial=seen, auto_id="decline_%s"),
        "reopen_form": forms.ReasonForm(initial=seen, auto_id="reopen_%s"),
        "route_form": forms.RouteForm(initial=seen, municipality_id=deficiency.municipality_id),
        "due_form": forms.DueForm(initial={**seen, "due": deficiency.due}),
        "seen_form": forms.SeenForm(initial=seen),
        "token_form": forms.TokenForm(),
    }
    return render(request, "inspections/deficiency_detail.html", context)


def deficiency_photo(request: HttpRequest, public_id, kind: str) -> FileResponse:
    deficiency = access.get_deficiency(request.user, public_id)
    image = {"foto": deficiency.photo, "atgard": deficiency.fix_photo}.get(kind)
    if not image:
        raise Http404
    response = FileResponse(image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@creates_once
def deficiency_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.get_municipality(request.user, slug, role=Role.COORDINATOR)
    municipality_id = str(organisation.municipality_id)
    form = forms.DeficiencyForm(request.POST or None, request.FILES or None,
                                municipality_id=municipality_id)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop(KEY_FIELD, None)
        try:
            with page_once(request, key) as submission:
                deficiency = services.deficiency_create(
                    by=request.user, municipality_id=municipality_id, source="manuell", **data
                )
                submission.created(deficiency)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Bristen är registrerad."))
            return redirect(deficiency)
    return render(request, "inspections/deficiency_form.html",
                  {"form": form, "organisation": organisation},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def _act(request: HttpRequest, public_id, form_class: Any, call: Callable[..., Any],
         done: str, **flags: Any) -> HttpResponse:  # fmt: skip
    """Run a state change from a form; show a refusal or bad input as a message."""
    deficiency = access.get_deficiency(request.user, public_id, **flags)
    extra = {"municipality_id": deficiency.municipality_id} if form_class is forms.RouteForm else {}
    form = form_class(request.POST, request.FILES or None, **extra)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(deficiency)
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    try:
        call(deficiency=deficiency, by=request.user, **data)
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, done)
    return redirect(deficiency)


@require_POST
def deficiency_receive(request: HttpRequest, public_id) -> HttpResponse:
    return _act(request, public_id, forms.SeenForm, services.deficiency_receive,
                _("Bristen är mottagen."), answer=True)  # fmt: skip


@require_POST
def deficiency_plan(request: HttpRequest, public_id) -> HttpResponse:
    return _act(request, public_id, forms.PlanForm, services.deficiency_plan,
                _("Åtgärden är planerad."), answer=True)  # fmt: skip


@require_POST
def deficiency_fix(request: HttpRequest, public_id) -> HttpResponse:
    return _act(request, public_id, forms.FixForm, services.deficiency_fix,
                _("Bristen är markerad som åtgärdad."), answer=True)  # fmt: skip


@require_POST
def deficiency_decline(request: HttpRequest, public_id) -> HttpResponse:
    return _act(request, public_id, forms.ReasonForm, services.deficiency_decline,
                _("Bristen är återlämnad för ny fördelning."), answer=True)  # fmt: skip


@require_POST
def deficiency_verify(request: HttpRequest, public_id) -> HttpResponse:
    return _act(request, public_id, forms.SeenForm, services.deficiency_verify,
                _("Åtgärden är verifierad."), manage=True)  # fmt: skip


@require_POST
def deficiency_reopen(request: HttpRequest, public_id) -> HttpResponse:
    return _act(request, public_id, forms.ReasonForm, services.deficiency_reopen,
                _("Bristen är öppnad igen."), manage=True)  # fmt: skip


@require_POST
def deficiency_route(request: HttpRequest, public_id) -> HttpResponse:
    return _act(request, public_id, forms.RouteForm, services.deficiency_route,
                _("Ägaren är ändrad."), manage=True)  # fmt: skip


@require_POST
def deficiency_reroute(request: HttpRequest, public_id) -> HttpResponse:
    return _act(request, public_id, forms.SeenForm, services.deficiency_reroute,
                _("Bristen är fördelad efter reglerna."), manage=True)  # fmt: skip


@require_POST
def deficiency_due(request: HttpRequest, public_id) -> HttpResponse:
    return _act(request, public_id, forms.DueForm, services.deficiency_set_due,
                _("Datumet är ändrat."), manage=True)  # fmt: skip


@require_POST
def token_create(request: HttpRequest, public_id) -> HttpResponse:
    deficiency = access.get_deficiency(request.user, public_id, manage=True)
    form = forms.TokenForm(request.POST)
    if form.is_valid():
        services.token_create(deficiency=deficiency, by=request.user,
                              email=form.cleaned_data["email"])  # fmt: skip
        messages.success(request, _("En länk är skickad till ägaren."))
    else:
        messages.error(request, _("Ange en giltig e-postadress."))
    return redirect(deficiency)


@require_POST
def token_revoke(request: HttpRequest, public_id) -> HttpResponse:
    token = OwnerToken.objects.filter(public_id=public_id).select_related("deficiency").first()
    if token is None:
        raise Http404
    deficiency = access.get_deficiency(request.user, token.deficiency.public_id, manage=True)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Länken är återkallad."))
    return redirect(deficiency)


# --- The owner's answer through a link ------------------------------------------------

ANSWERS: dict[str, tuple[Any, Callable[..., Any]]] = {
    "receive": (forms.SeenForm, services.deficiency_receive),
    "plan": (forms.PlanForm, services.deficiency_plan),
    "fix": (forms.FixForm, services.deficiency_fix),
    "decline": (forms.ReasonForm, services.deficiency_decline),
}


@login_not_required
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """One deficiency, for whoever holds its link (until it expires or is revoked)."""
    row = services.token_find(token)
    if row is None:
        return render(request, "inspections/answer_invalid.html", status=404)
    deficiency = row.deficiency
    if request.method == "POST":
        form_class, call = ANSWERS.get(request.POST.get("action", ""), (None, None))
        if form_class is None or call is None:
            raise Http404
        form = form_class(request.POST, request.FILES or None)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            try:
                call(deficiency=deficiency, by=None, actor_name=f"länk/link: {row.email}", **data)
            except InputError as error:
                messages.error(request, error.text())
            else:
                messages.success(request, _("Tack, ert svar är sparat."))
        else:
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("inspections:answer", token=token)
    deficiency.refresh_from_db()
    seen = {"seen": deficiency.status}
    return render(request, "inspections/answer.html", {
        "deficiency": deficiency, "token": token, "row": row,
        "allowed": {a: deficiency.status in services.ALLOWED[a] for a in ANSWERS},
        "plan_form": forms.PlanForm(initial=seen), "fix_form": forms.FixForm(initial=seen),
        "decline_form": forms.ReasonForm(initial=seen, auto_id="decline_%s"), "seen_form": forms.SeenForm(initial=seen),
    })  # fmt: skip


# --- The municipality's settings -------------------------------------------------------


def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Routing rules, service levels and owners' polygons; admins change them."""
    municipality_id = access.get_municipality_code(request.user, slug, role=Role.ADMIN)
    levels = ServiceLevel.objects.filter(municipality_id=municipality_id)
    polygons = (OwnerPolygon.objects.filter(municipality_id=municipality_id)
                .values("owner__name").annotate(n=Count("pk")).order_by("owner__name"))  # fmt: skip
    return render(request, "inspections/settings.html", {"slug": slug,
        "rules": RoutingRule.objects.filter(municipality_id=municipality_id)
        .select_related("area", "owner"),
        "levels": levels, "polygons": polygons,
        "rule_form": forms.RuleForm(municipality_id=municipality_id),
        "level_form": forms.ServiceLevelForm(),
        "polygon_form": forms.PolygonForm(municipality_id=municipality_id),
    })  # fmt: skip


def _settings_write(request: HttpRequest, slug: str, form: Any, call: Callable[[dict], Any],
                    done: str) -> HttpResponse:  # fmt: skip
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except InputError as error:
            messages.error(request, error.text())
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("inspections:settings", slug=slug)


@require_POST
def rule_add(request: HttpRequest, slug: str) -> HttpResponse:
    municipality_id = access.get_municipality_code(request.user, slug, role=Role.ADMIN)
    form = forms.RuleForm(request.POST, municipality_id=municipality_id)
    return _settings_write(request, slug, form, lambda d: services.rule_save(
        by=request.user, municipality_id=municipality_id, category=d["category"],
        area=d["area"], owner=d["owner"]), _("Regeln är sparad."))  # fmt: skip


@require_POST
def rule_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    municipality_id = access.get_municipality_code(request.user, slug, role=Role.ADMIN)
    rule = RoutingRule.objects.filter(pk=pk, municipality_id=municipality_id).first()
    if rule is None:
        raise Http404
    services.rule_delete(by=request.user, rule=rule)
    messages.success(request, _("Regeln är borttagen."))
    return redirect("inspections:settings", slug=slug)


@require_POST
def level_set(request: HttpRequest, slug: str) -> HttpResponse:
    municipality_id = access.get_municipality_code(request.user, slug, role=Role.ADMIN)
    form = forms.ServiceLevelForm(request.POST)
    return _settings_write(request, slug, form, lambda d: services.service_level_set(
        by=request.user, municipality_id=municipality_id, **d), _("Servicenivån är sparad."))  # fmt: skip


@require_POST
def polygons_upload(request: HttpRequest, slug: str) -> HttpResponse:
    municipality_id = access.get_municipality_code(request.user, slug, role=Role.ADMIN)
    form = forms.PolygonForm(request.POST, request.FILES, municipality_id=municipality_id)

    def call(d: dict) -> None:
        upload = d["file"]
        n = services.polygons_import(by=request.user, municipality_id=municipality_id,
                                     owner=d["owner"], data=upload.read(), filename=upload.name)  # fmt: skip
        messages.info(request, _("%(n)s polygoner lästes in.") % {"n": n})

    return _settings_write(request, slug, form, call, _("Ägarens områden är sparade."))
