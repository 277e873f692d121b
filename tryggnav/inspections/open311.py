"""Open311 GeoReport v2 over the citizen channel (``/open311/v2/``), in XML (which the
specification requires) and JSON, by the resource's extension (``services.xml``).

Services are the deficiency categories. Requests are the moderated citizen reports:
GET shows only approved ones, with the moderator's public title and text, the place,
the dates and open/closed from the deficiency's status. POST files a report exactly as
the public form does (screened, counted per client address and e-mail, waiting for
moderation); it needs no api_key (one given is ignored) and answers with a ``token``
(services are of type "batch"): ``tokens/{token}.json`` gives the service_request_id
once a moderator has approved it. Names, phone numbers, device and account ids that
clients send are never stored. Errors are a list of ``{code, description}``.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from tryggnav.areas.locator import locate_municipalities
from tryggnav.inspections import citizen
from tryggnav.inspections.models import OPEN_STATUSES, Category
from tryggnav.inspections.models_citizen import CitizenReport, Moderation
from tryggnav.lib.errors import InputError
from tryggnav.lib.http import client_address

DEFAULT_DAYS = 90
MAX_RESULTS = 1000


class Open311Error(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


FORMATS = ("xml", "json")


@dataclass(frozen=True)
class Answer:
    """What a resource answers, before it is written as XML or JSON: ``data`` is a list
    of items (or one mapping), ``root`` and ``item`` its XML element names."""

    data: Any
    root: str = "service_requests"
    item: str = "request"
    status: int = 200


def _error(code: int, description: str) -> Answer:
    return Answer([{"code": code, "description": description}], "errors", "error", code)


def _json(data: Any, status: int = 200) -> Answer:
    return Answer(data, status=status)


def render(answer: Answer, fmt: str) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(answer.data, status=answer.status, safe=False)
    root = ElementTree.Element(answer.root)
    items = answer.data if isinstance(answer.data, list) else None
    if items is None:
        _xml_fields(root, answer.data)
    for item in items or []:
        _xml_fields(ElementTree.SubElement(root, answer.item), item)
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=answer.status, content_type="text/xml; charset=utf-8")


def _xml_fields(parent: ElementTree.Element, fields: dict[str, Any]) -> None:
    """Each field an element; a list a wrapper of ``<attribute>``s (the service
    definition's only list); true/false in lower case, None empty."""
    for name, value in fields.items():
        element = ElementTree.SubElement(parent, name)
        if isinstance(value, list):
            for entry in value:
                _xml_fields(ElementTree.SubElement(element, "attribute"), entry)
        elif isinstance(value, bool):
            element.text = "true" if value else "false"
        elif value is not None:
            element.text = str(value)


def endpoint(view: Any) -> Any:
    """No login, no CSRF (no cookies are used), the format by the extension, and errors
    in Open311's form (``<errors><error>`` or a list of {code, description})."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = kwargs.pop("fmt", "json")
        if fmt not in FORMATS:
            return render(_error(400, "The format must be xml or json."), "json")
        try:
            answer = view(request, *args, **kwargs)
        except Open311Error as error:
            answer = _error(error.code, error.description)
        return render(answer, fmt)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return login_not_required(csrf_exempt(wrapper))


def _service(code: str, name: str) -> dict[str, Any]:
    return {"service_code": code, "service_name": name,
            "description": _("Brist i den fysiska miljön: %(name)s") % {"name": name},
            "metadata": False, "type": "batch", "keywords": "", "group": _("Brister")}  # fmt: skip


@endpoint
def services(request: HttpRequest) -> Answer:
    return Answer([_service(code, str(name)) for code, name in Category.choices],
                  "services", "service")  # fmt: skip


@endpoint
def service_definition(request: HttpRequest, code: str) -> Answer:
    if code not in Category.values:
        raise Open311Error(404, f"Unknown service_code: {code}")
    return Answer({"service_code": code, "attributes": []}, "service_definition", "attribute")


def _iso(when: datetime.datetime | None) -> str | None:
    return timezone.localtime(when).isoformat(timespec="seconds") if when else None


def represent(report: CitizenReport) -> dict[str, Any]:
    """One request, public fields only."""
    deficiency = report.deficiency
    status = deficiency.status if deficiency else ""
    return {
        "service_request_id": str(report.public_id),
        "status": "open" if status in OPEN_STATUSES else "closed",
        "status_notes": deficiency.get_status_display() if deficiency else "",
        "service_name": str(dict(Category.choices).get(report.category, report.category)),
        "service_code": report.category,
        "description": f"{report.public_title}. {report.public_text}".strip(". ")
        if report.public_text
        else report.public_title,
        "agency_responsible": "",
        "service_notice": "",
        "requested_datetime": _iso(report.created),
        "updated_datetime": _iso(deficiency.status_changed if deficiency else report.moderated),
        "expected_datetime": None,
        "address": deficiency.place_name if deficiency else "",
        "address_id": "",
        "zipcode": "",
        "lat": report.lat,
        "long": report.lon,
        "media_url": "",
    }


def _date(request: HttpRequest, name: str) -> datetime.datetime | None:
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        value = parse_datetime(text.replace(" ", "+"))
        day = None if value else parse_date(text)
    except ValueError:
        value = day = None
    if day is not None:  # a W3C date alone: from its start
        value = datetime.datetime.combine(day, datetime.time())
    # Years far out overflow when the time zone is applied; no request is from then.
    if value is None or not 1900 <= value.year <= 2200:
        raise Open311Error(400, f"{name} is not a W3C date-time (e.g. 2026-01-31T12:00:00Z).")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _list(request: HttpRequest, name: str) -> list[str]:
    return [part.strip() for part in request.GET.get(name, "").split(",") if part.strip()]


def _filtered(request: HttpRequest) -> Any:
    reports = citizen.public_reports(request.GET.get("jurisdiction_id") or None)
    ids = _list(request, "service_request_id")
    if ids:
        try:
            return reports.filter(public_id__in=[uuid.UUID(i) for i in ids])
        except ValueError:
            raise Open311Error(400, "service_request_id must be ids separated by commas.") from None
    codes = _list(request, "service_code")
    if codes:
        reports = reports.filter(category__in=codes)
    start, end = _date(request, "start_date"), _date(request, "end_date")
    if start is None and end is None:
        start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
    if start is not None:
        reports = reports.filter(created__gte=start)
    if end is not None:
        reports = reports.filter(created__lte=end)
    statuses = set(_list(request, "status"))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed or both.")
    if statuses == {"open"}:
        reports = reports.filter(deficiency__status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        reports = reports.exclude(deficiency__status__in=OPEN_STATUSES)
    return reports


@endpoint
def requests(request: HttpRequest) -> Answer:
    if request.method == "POST":
        return _create(request)
    if request.method != "GET":
        raise Open311Error(405, "Use GET or POST.")
    reports = _filtered(request).order_by("-created", "pk")[:MAX_RESULTS]
    return _json([represent(r) for r in reports])


@endpoint
def request_detail(request: HttpRequest, request_id: str) -> Answer:
    try:
        public_id = uuid.UUID(request_id)
    except ValueError:
        raise Open311Error(404, f"No service request {request_id}.") from None
    report = citizen.public_reports().filter(public_id=public_id).first()
    if report is None:
        raise Open311Error(404, f"No service request {request_id}.")
    return _json([represent(report)])


@endpoint
def token(request: HttpRequest, token: str) -> Answer:
    """The request id for a token from POST, once the report is approved."""
    try:
        public_id = uuid.UUID(token)
    except ValueError:
        raise Open311Error(404, f"No token {token}.") from None
    report = CitizenReport.objects.filter(public_id=public_id).first()
    if report is None or report.moderation == Moderation.REJECTED:
        raise Open311Error(404, f"No token {token}.")
    if report.moderation == Moderation.PENDING:
        return _json([{"token": token}])
    return _json([{"token": token, "service_request_id": str(report.public_id)}])


def _float(request: HttpRequest, name: str) -> float:
    try:
        return float(request.POST.get(name, ""))
    except ValueError:
        raise Open311Error(400, f"{name} is required and must be a number.") from None


def _jurisdiction(request: HttpRequest, lat: float, lon: float) -> str:
    code = request.POST.get("jurisdiction_id", "").strip()
    if not code:
        code = locate_municipalities([lon], [lat])[0] or ""
    if not code or not citizen.channel_open(code):
        raise Open311Error(400, "jurisdiction_id: no municipality here takes reports.")
    return code


def _create(request: HttpRequest) -> Answer:
    service_code = request.POST.get("service_code", "")
    if service_code not in Category.values:
        raise Open311Error(400, f"service_code is required and must be one of services.json: {service_code!r}.")  # fmt: skip
    lat, lon = _float(request, "lat"), _float(request, "long")
    code = _jurisdiction(request, lat, lon)
    try:
        submitted = citizen.report_submit(
            municipality_id=code, category=service_code, lat=lat, lon=lon,
            text=request.POST.get("description", ""), email=request.POST.get("email", ""),
            address=client_address(request), via="open311",
        )  # fmt: skip
    except citizen.TooMany as error:
        raise Open311Error(429, str(error)) from None
    except InputError as error:
        raise Open311Error(400, str(error)) from None
    notice = "Väntar på granskning / Waiting for moderation."
    return _json([{"token": str(submitted.report.public_id), "service_notice": notice,
                   "account_id": None}], status=201)  # fmt: skip
