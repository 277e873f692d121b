"""Pages: the official statistics of a municipality, and their import (upload,
preview, commit). Access: official/access.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tryggnav.lib.errors import InputError
from tryggnav.lib.numbers import interval, number
from tryggnav.official import access, charts, figures, services, uploads
from tryggnav.official.forms import ImportForm
from tryggnav.organisations.access import authenticated_user


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "official/index.html",
        {"municipalities": access.readable_municipalities(request.user)},
    )


def municipality(request: HttpRequest, code: str) -> HttpResponse:
    place, memberships = access.get_municipality(request.user, code)
    crimes = figures.reported_crimes(place)
    kolada = figures.kolada_values(place)
    callouts = figures.call_outs(place)
    imports = figures.imports(place)
    return render(
        request,
        "official/municipality.html",
        {
            "municipality": place,
            "crimes": _crime_rows(crimes),
            "crime_chart": charts.crime_chart(crimes),
            "kolada": [(v, number(v.value, 1, trim=True)) for v in kolada],
            "kolada_chart": charts.kolada_chart(kolada),
            "callouts": [(c, number(c.count)) for c in callouts],
            "callout_chart": charts.callout_chart(callouts),
            "limitations": figures.limitations(),
            "can_import": any(access.can_import(m) for m in memberships),
            "imports": imports[:10],
            "is_demo": any(i.is_demo for i in imports),
        },
    )


def _crime_rows(crimes: list[figures.CrimeFigure]) -> list[dict[str, Any]]:
    return [
        {
            "period": c.period,
            "offence": c.offence,
            "count": number(c.count),
            "rate": number(c.rate, 1),
            "interval": interval(c.low, c.high, 1) if c.low is not None else "–",
        }
        for c in crimes
    ]


def _preview_context(table: Any) -> dict[str, Any]:
    return {"table": table, "shown_rows": table.rows[:50], "row_count": len(table.rows)}


def import_file(request: HttpRequest, code: str) -> HttpResponse:
    place, _membership = access.get_importer(request.user, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "municipality": place}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        source = form.cleaned_data["source"]
        content = upload.read()
        try:
            table = services.parse_file(
                source=source, raw=content, filename=upload.name, municipality=place
            )
        except InputError as error:
            context["error"] = error
            status = 400
        else:
            token = uploads.store(
                filename=upload.name,
                content=content,
                code=code,
                source=source,
                user_id=authenticated_user(request).pk,
            )
            context.update(_preview_context(table), token=token, source=source)
    return render(request, "official/import.html", context, status=status)


@require_POST
def import_commit(request: HttpRequest, code: str) -> HttpResponse:
    place, membership = access.get_importer(request.user, code)
    user = authenticated_user(request)
    path, source = uploads.stored(request.POST.get("token", ""), code=code, user_id=user.pk)
    try:
        result = services.official_import(
            source=source,
            path=path,
            by=user,
            municipality=place,
            organisation=membership.organisation,
        )
    except InputError as error:
        context = {"form": ImportForm(), "municipality": place, "error": error}
        return render(request, "official/import.html", context, status=400)
    finally:
        uploads.discard(path)
    messages.success(request, str(result))
    return redirect("official:municipality", code)
