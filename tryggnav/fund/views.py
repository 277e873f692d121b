"""Pages of the trygghetsfond. Reads go through ``tryggnav.fund.access``, writes
through ``tryggnav.fund.services``; the public page and its open data need no login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.fund import access, forms, letters, public, services
from tryggnav.fund.checks import MAX_ATTACHMENT_BYTES
from tryggnav.fund.models import (
    Application,
    Attachment,
    BudgetLine,
    Decision,
    Fund,
    fund_figures,
    funds_figures,
)
from tryggnav.fund.scoring import score_table
from tryggnav.lib.diarium import AppendixChoice, check_pdf, diarium_download
from tryggnav.lib.documents import Appendix, document_response
from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import organisations_of
from tryggnav.organisations.idempotency import KEY_FIELD, creates_once, page_once
from tryggnav.organisations.models import Organisation, Role
from tryggnav.steering import access as steering_access
from tryggnav.steering.models import PreventionType, Problem

PAGE_SIZE = 50
FORMATS = ("docx", "pdf")


def _attempt(request: HttpRequest, form: Any, action: Callable[[], Any], done: str) -> bool:
    """Run a service; on an input error show it on the form (or as a message)."""
    try:
        action()
    except InputError as error:
        if form is not None:
            error.add_to_form(form)
        messages.error(request, error.text())
        return False
    messages.success(request, done)
    return True


def _errors(form: Any) -> str:
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def index(request: HttpRequest) -> HttpResponse:
    funds = list(access.visible_funds(request.user).select_related("organisation"))
    figures = funds_figures(funds)
    rows = [(fund, figures[fund.pk]) for fund in funds]
    founding = access.founding_organisations(request.user).order_by("name")
    return render(request, "fund/fund_index.html", {"rows": rows, "founding": founding})


def _application_rows(user: Any, fund: Fund, state: str) -> Any:
    applications = access.visible_applications(user, fund)
    if state in Application.State.values:
        applications = applications.filter(state=state)
    return applications.select_related("organisation", "area", "decision").order_by(
        "-created", "-pk"
    )


def _with_requested(page: Any) -> None:
    """The amounts applied for, summed for the page's rows only."""
    sums = dict(
        BudgetLine.objects.filter(application__in=[a.pk for a in page])
        .values("application_id")
        .annotate(s=Sum("amount"))
        .values_list("application_id", "s")
    )
    for application in page:
        application.requested_sum = sums.get(application.pk, 0)


def fund_detail(request: HttpRequest, public_id) -> HttpResponse:
    fund = access.get_fund(request.user, public_id)
    state = request.GET.get("status", "")
    page = Paginator(_application_rows(request.user, fund, state), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    _with_requested(page)
    counts = dict(
        Application.objects.filter(fund=fund).values_list("state").annotate(n=Count("pk"))
    )
    context = {
        "fund": fund,
        "figures": fund_figures(fund),
        "calls": fund.calls.all(),
        "page": page,
        "state": state,
        "states": [
            (value, label, counts.get(value, 0)) for value, label in Application.State.choices
        ],
        "is_admin": access.is_administrator(request.user, fund),
        "budget_form": forms.BudgetForm(initial={"budget": fund.budget}),
    }
    template = (
        "fund/_application_list.html"
        if request.headers.get("HX-Request")
        else "fund/fund_detail.html"
    )
    return render(request, template, context)


@require_POST
def fund_budget(request: HttpRequest, public_id) -> HttpResponse:
    fund = access.get_fund(request.user, public_id, admin=True)
    form = forms.BudgetForm(request.POST)
    if form.is_valid():
        _attempt(request, form, lambda: services.fund_budget_update(
            fund=fund, by=request.user, budget=form.cleaned_data["budget"]), _("Budgeten är ändrad."))  # fmt: skip
    else:
        messages.error(request, _errors(form))
    return redirect(fund)


def _applicant_organisations(user: Any, call: Any) -> Any:
    return organisations_of(user, role=Role.REPORTER).filter(
        kind__in=call.eligible_kinds, municipality_id=call.fund.municipality_id
    )


def call_detail(request: HttpRequest, public_id) -> HttpResponse:
    call = access.get_call(request.user, public_id)
    kinds, types = dict(Organisation.Kind.choices), dict(PreventionType.choices)
    return render(request, "fund/call_detail.html", {
        "call": call, "fund": call.fund, "criteria": call.criteria.all(),
        "eligible": [kinds.get(k, k) for k in call.eligible_kinds],
        "types": [types.get(t, t) for t in call.prevention_types],
        "can_apply": _applicant_organisations(request.user, call).exists(),
    })  # fmt: skip


def _problems(user: Any) -> Any:
    return steering_access.visible(user, Problem.objects.all()).order_by("title")


def _save_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data.pop(KEY_FIELD, None)
    data.pop("organisation", None)
    data["budget_lines"] = data.pop("budget")
    return data


@creates_once
def application_create(request: HttpRequest, public_id) -> HttpResponse:
    """A new draft for a call: the reporters and up of an eligible organisation."""
    call = access.get_call(request.user, public_id)
    organisations = _applicant_organisations(request.user, call)
    if not organisations.exists():
        raise Http404 if not organisations_of(request.user).exists() else _forbidden()
    form = forms.ApplicationForm(request.POST or None, call=call, problems=_problems(request.user),
                                 organisations=organisations)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.get(KEY_FIELD)) as submission:
                application = services.application_save(
                    by=request.user, call=call, organisation=data["organisation"],
                    **_save_kwargs(data))  # fmt: skip
                submission.created(application)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Utkastet är sparat. Lägg till bilagor och skicka in."))
            return redirect(application)
    return render(request, "fund/application_form.html", {"call": call, "form": form},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def _forbidden() -> Exception:

    return PermissionDenied()


def application_update(request: HttpRequest, public_id) -> HttpResponse:
    application = access.get_application(request.user, public_id, edit=True)
    call = application.call
    form = forms.ApplicationForm(request.POST or None, call=call, problems=_problems(request.user),
                                 initial=forms.application_initial(application), once=False)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save(
                by=request.user, call=call, organisation=application.organisation,
                application=application, **_save_kwargs(form.cleaned_data))  # fmt: skip
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Ansökan är sparad."))
            return redirect(application)
    return render(request, "fund/application_form.html",
                  {"call": call, "form": form, "application": application},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def application_detail(request: HttpRequest, public_id) -> HttpResponse:
    application = access.get_application(request.user, public_id)
    fund = application.fund
    is_admin = access.is_administrator(request.user, fund)
    decision = Decision.objects.filter(application=application).first()
    context = {
        "application": application,
        "fund": fund,
        "call": application.call,
        "decision": decision,
        "payments": decision.payments.all() if decision else [],
        "report": getattr(application, "final_report", None),
        "is_admin": is_admin,
        "can_edit": access.can_edit(request.user, application),
        "my_assessment": access.assigned(request.user).filter(application=application).first(),
        "scores": score_table(application) if is_admin else None,
        "attachment_form": forms.AttachmentForm(call=application.call),
        "decision_form": forms.DecisionForm(initial={"amount": application.requested}),
        "completion_form": forms.CompletionForm(),
        "payment_form": forms.PaymentForm(),
        "report_form": forms.FinalReportForm(),
        "assign_form": forms.AssignForm(),
        "evaluations": application.evaluations.all(),
        "evaluation_form": _evaluation_form(application, decision) if is_admin else None,
    }
    return render(request, "fund/application_detail.html", context)


def _state_action(request: HttpRequest, public_id, action: Callable[..., Any], done: str,
                  **flags: bool) -> HttpResponse:  # fmt: skip
    application = access.get_application(request.user, public_id, **flags)
    _attempt(request, None, lambda: action(application=application, by=request.user), done)
    return redirect(application)


@require_POST
def application_submit(request: HttpRequest, public_id) -> HttpResponse:
    return _state_action(request, public_id, services.application_submit,
                         _("Ansökan är inskickad."), edit=True)  # fmt: skip


@require_POST
def application_withdraw(request: HttpRequest, public_id) -> HttpResponse:
    return _state_action(request, public_id, services.application_withdraw,
                         _("Ansökan är återkallad."), edit=True)  # fmt: skip


@require_POST
def application_completion(request: HttpRequest, public_id) -> HttpResponse:
    application = access.get_application(request.user, public_id, admin=True)
    form = forms.CompletionForm(request.POST)
    note = form.data.get("note", "")
    _attempt(request, form, lambda: services.application_request_completion(
        application=application, by=request.user, note=note), _("Komplettering är begärd."))  # fmt: skip
    return redirect(application)


@require_POST
def attachment_upload(request: HttpRequest, public_id) -> HttpResponse:
    application = access.get_application(request.user, public_id, edit=True)
    form = forms.AttachmentForm(request.POST, request.FILES, call=application.call)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(application)
    upload = form.cleaned_data["file"]
    data = upload.read(forms_max() + 1)
    _attempt(request, form, lambda: services.attachment_add(
        application=application, by=request.user, label=form.cleaned_data["label"],
        filename=upload.name, data=data), _("Bilagan är uppladdad."))  # fmt: skip
    return redirect(application)


def forms_max() -> int:

    return MAX_ATTACHMENT_BYTES


def attachment_download(request: HttpRequest, public_id) -> HttpResponse:
    attachment = Attachment.objects.filter(public_id=public_id).first()
    if attachment is None:
        raise Http404
    access.get_application(request.user, attachment.application.public_id)
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    name = slugify(attachment.filename.rsplit(".", 1)[0]) or "bilaga"
    extension = attachment.filename.rsplit(".", 1)[-1][:5] if "." in attachment.filename else "bin"
    response["Content-Disposition"] = f'attachment; filename="{name}.{slugify(extension)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def assessment_assign(request: HttpRequest, public_id) -> HttpResponse:
    application = access.get_application(request.user, public_id, admin=True)
    form = forms.AssignForm(request.POST)
    assessor = None
    if form.is_valid():
        assessor = (
            get_user_model().objects.filter(email__iexact=form.cleaned_data["assessor"]).first()
        )
    if assessor is None:
        messages.error(request, _("Det finns ingen användare med den e-postadressen."))
    else:
        _attempt(request, form, lambda: services.assessment_assign(
            application=application, by=request.user, assessor=assessor), _("Bedömaren är tilldelad."))  # fmt: skip
    return redirect(application)


def assessment(request: HttpRequest, public_id) -> HttpResponse:
    item = access.get_assessment(request.user, public_id)
    criteria = list(item.application.call.criteria.all())
    existing = {s.criterion_id: s for s in item.scores.all()}
    errors: list[str] = []
    if request.method == "POST":
        scores = {c.pk: (_int(request.POST.get(f"score_{c.pk}")),
                         request.POST.get(f"comment_{c.pk}", "")[:5000]) for c in criteria}  # fmt: skip
        try:
            services.assessment_score(assessment=item, by=request.user, scores=scores)
        except InputError as error:
            errors = [p.text() for p in error.problems]
        else:
            messages.success(request, _("Bedömningen är sparad."))
            return redirect(item.application)
    rows = [(c, existing.get(c.pk)) for c in criteria]
    return render(request, "fund/assessment_form.html", {
        "assessment": item, "application": item.application, "rows": rows, "errors": errors,
        "conflict_form": forms.ConflictForm(), "range": range(0, 6),
    }, status=400 if errors else 200)  # fmt: skip


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
def assessment_conflict(request: HttpRequest, public_id) -> HttpResponse:
    item = access.get_assessment(request.user, public_id)
    form = forms.ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange jävsgrunden."))
        return redirect("fund:assessment", item.public_id)
    services.assessment_declare_conflict(assessment=item, by=request.user,
                                         note=form.cleaned_data["note"])  # fmt: skip
    messages.success(request, _("Jävet är anmält; du är borttagen från ansökan."))
    return redirect(item.application.fund)


@require_POST
def decision_create(request: HttpRequest, public_id) -> HttpResponse:
    application = access.get_application(request.user, public_id, admin=True)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(application)
    _attempt(request, form, lambda: services.decision_make(
        application=application, by=request.user, **form.cleaned_data), _("Beslutet är fattat."))  # fmt: skip
    return redirect(application)


@require_POST
def payment_create(request: HttpRequest, public_id) -> HttpResponse:
    application = access.get_application(request.user, public_id, admin=True)
    decision = Decision.objects.filter(application=application).first()
    form = forms.PaymentForm(request.POST)
    if decision is None:
        messages.error(request, _("Ansökan är inte beslutad."))
    elif not form.is_valid():
        messages.error(request, _errors(form))
    else:
        _attempt(request, form, lambda: services.payment_make(
            decision=decision, by=request.user, **form.cleaned_data), _("Utbetalningen är registrerad."))  # fmt: skip
    return redirect(application)


@require_POST
def final_report_create(request: HttpRequest, public_id) -> HttpResponse:
    application = access.get_application(request.user, public_id, edit=True)
    form = forms.FinalReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        _attempt(request, form, lambda: services.final_report_submit(
            application=application, by=request.user, **form.cleaned_data), _("Slutredovisningen är inskickad."))  # fmt: skip
    return redirect(application)


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


def decision_letter(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    application = access.get_application(request.user, public_id)
    decision = Decision.objects.filter(application=application).first()
    if decision is None:
        raise Http404
    return document_response(letters.decision_letter(decision), fmt=_format(fmt),
                             filename=f"beslut-{slugify(application.title)[:80]}")  # fmt: skip


def fund_report(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    fund = access.get_fund(request.user, public_id)
    if not access.reads_all(request.user, fund):
        raise _forbidden()
    return document_response(letters.fund_report(fund), fmt=_format(fmt),
                             filename=f"trygghetsfond-{fund.year}")  # fmt: skip


def decision_letter_diarium(request: HttpRequest, public_id) -> HttpResponse:
    """The decision letter with a header block and appendices: the application's own
    PDF attachments (stored with the application) can be appended."""
    application = access.get_application(request.user, public_id)
    decision = Decision.objects.filter(application=application).first()
    if decision is None:
        raise Http404
    return diarium_download(
        request,
        build=lambda: letters.decision_letter(decision),
        filename=f"beslut-{slugify(application.title)[:80]}",
        title=_("Beslutsbrev") + f": {application.title}",
        back=application.get_absolute_url(),
        choices=[
            _attachment_choice(a)
            for a in application.attachments.filter(content_type="application/pdf").defer("data")
        ],  # fmt: skip
    )


def _attachment_choice(attachment: Attachment) -> AppendixChoice:
    def build() -> Appendix:
        data = bytes(Attachment.objects.values_list("data", flat=True).get(pk=attachment.pk))
        check_pdf(data, name=attachment.filename)
        return Appendix(attachment.label, pdf=data)

    return AppendixChoice(f"bilaga-{attachment.public_id}", attachment.label, build)


def fund_report_diarium(request: HttpRequest, public_id) -> HttpResponse:
    """The fund's yearly report with a header block; the decision letters can be appended."""
    fund = access.get_fund(request.user, public_id)
    if not access.reads_all(request.user, fund):
        raise _forbidden()
    decisions = Decision.objects.filter(fund=fund).select_related("application").order_by("pk")
    return diarium_download(
        request,
        build=lambda: letters.fund_report(fund),
        filename=f"trygghetsfond-{fund.year}",
        title=_("Årsrapport") + f": {fund}",
        back=fund.get_absolute_url(),
        choices=[_letter_choice(decision) for decision in decisions],
    )


def _letter_choice(decision: Decision) -> AppendixChoice:
    label = _("Beslutsbrev") + f": {decision.application.title}"
    return AppendixChoice(
        f"beslut-{decision.application.public_id}",
        label,
        lambda: Appendix(label, document=letters.decision_letter(decision)),
    )


@login_not_required
def public_fund(request: HttpRequest, public_id) -> HttpResponse:
    fund = Fund.objects.filter(public_id=public_id).first()
    if fund is None:
        raise Http404
    return render(request, "fund/public_fund.html",
                  {"fund": fund, "figures": fund_figures(fund), "rows": public.rows(fund)})  # fmt: skip


@login_not_required
def public_data(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    fund = Fund.objects.filter(public_id=public_id).first()
    if fund is None or fmt not in ("csv", "json"):
        raise Http404
    return public.response(fund, fmt)


@creates_once
def fund_create(request: HttpRequest, organisation: str) -> HttpResponse:
    """A new fund of an organisation with a home municipality, by its coordinators."""
    owner = access.get_founding_organisation(request.user, organisation)
    form = forms.FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with page_once(request, data.pop(KEY_FIELD, None)) as submission:
                fund = services.fund_create(by=request.user, organisation=owner, **data)
                submission.created(fund)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Fonden är skapad. Lägg till en utlysning."))
            return redirect(fund)
    return render(request, "fund/fund_form.html", {"form": form, "organisation": owner},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@creates_once
def call_create(request: HttpRequest, public_id) -> HttpResponse:
    fund = access.get_fund(request.user, public_id, admin=True)
    form = forms.CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with page_once(request, data.pop(KEY_FIELD, None)) as submission:
                call = services.call_create(fund=fund, by=request.user, **data)
                submission.created(call)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Utlysningen är skapad."))
            return redirect(call)
    return render(request, "fund/call_form.html", {"fund": fund, "form": form},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def fund_roles(request: HttpRequest, public_id) -> HttpResponse:
    """The fund's named administrators and assessors; administrators add them."""
    fund = access.get_fund(request.user, public_id, admin=True)
    form = forms.RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", _("Det finns ingen användare med den e-postadressen."))
        else:
            services.fund_role_add(fund=fund, by=request.user, user=user,
                                   kind=form.cleaned_data["kind"])  # fmt: skip
            messages.success(request, _("Rollen är tillagd."))
            return redirect("fund:fund_roles", fund.public_id)
    roles = fund.roles.select_related("user").order_by("kind", "user__email")
    return render(request, "fund/fund_roles.html", {"fund": fund, "form": form, "roles": roles},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def _evaluation_form(application: Application, decision: Decision | None) -> Any:
    if decision is None or decision.outcome == Decision.Outcome.REFUSED:
        return None
    return forms.EvaluationForm(application=application,
                                initial={"evaluated_on": timezone.localdate()})  # fmt: skip


@require_POST
def project_evaluate(request: HttpRequest, public_id) -> HttpResponse:
    application = access.get_application(request.user, public_id, admin=True)
    form = forms.EvaluationForm(request.POST, application=application)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        _attempt(request, form, lambda: services.project_evaluate(
            application=application, by=request.user, **form.cleaned_data), _("Uppföljningen är sparad."))  # fmt: skip
    return redirect(application)
