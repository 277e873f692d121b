"""The one shape of every REST API error, and the handlers that give it.

Every error the API returns is ``{"detail": [{"sv": …, "en": …, "field": …}]}``: one
or more problems, each in Swedish and English, with the field it concerns ("" for
the request as a whole), as ``InputError`` gives them on the pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tryggnav.lib.errors import Conflict, InputError


class ProblemOut(Schema):
    sv: str
    en: str
    field: str


class ErrorOut(Schema):
    detail: list[ProblemOut]


# Documented on every operation: any of them can answer these.
COMMON_ERRORS = {
    "400": "Felaktig begäran / Bad request",
    "401": "Inloggning eller API-nyckel krävs / Authentication required",
    "404": "Finns inte, eller du har inte tillgång / Not found, or no access",
    "422": "Ogiltiga uppgifter / Invalid input",
}

# Pydantic's error types, in Swedish and English.
_DATE = ("Ska vara ett datum (ÅÅÅÅ-MM-DD).", "Must be a date (YYYY-MM-DD).")
_DATETIME = (
    "Ska vara en tidpunkt med tidszon (ÅÅÅÅ-MM-DDTHH:MM+01:00).",
    "Must be a date and time with a time zone (YYYY-MM-DDTHH:MM+01:00).",
)
_UUID = ("Ska vara en kod (UUID).", "Must be a code (UUID).")
_OBJECT = ("Begäran ska vara ett JSON-objekt.", "The request must be a JSON object.")
_WHOLE = ("Ska vara ett heltal.", "Must be a whole number.")
_NUMBER = ("Ska vara ett tal.", "Must be a number.")
_VALIDATION_TEXTS = {
    "missing": ("Uppgiften saknas.", "The value is missing."),
    "json_invalid": ("Begäran är inte giltig JSON.", "The request is not valid JSON."),
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "string_type": ("Ska vara en text.", "Must be a text."),
    "control_character": (
        "Texten innehåller ett kontrolltecken (till exempel NUL), som inte är tillåtet.",
        "The text contains a control character (such as NUL), which is not allowed.",
    ),
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_type": _DATE,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "uuid_parsing": _UUID,
    "uuid_type": _UUID,
}


def payload(problems: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {"detail": [{"sv": sv, "en": en, "field": field} for sv, en, field in problems]}


def input_error_payload(error: InputError) -> dict[str, Any]:
    return payload([(p.sv, p.en, p.field or "") for p in error.problems])


# django-ninja's own HttpError messages.
_NINJA_MESSAGES = {
    "Cannot parse request body": (
        "Begäran kunde inte läsas som JSON.",
        "The request body could not be read as JSON.",
    ),
}


def _split(message: str) -> tuple[str, str]:
    """Our HttpError messages read "svenska / English"."""
    if message in _NINJA_MESSAGES:
        return _NINJA_MESSAGES[message]
    sv, sep, en = message.partition(" / ")
    return (sv, en) if sep else (message, message)


def _field(loc: Any) -> str:
    names = [str(part) for part in loc or () if isinstance(part, str)]
    return names[-1] if len(names) > 1 else ""


def _validation(error: dict[str, Any]) -> tuple[str, str, str]:
    kind = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    ctx = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than") and ("ge" in ctx or "gt" in ctx):
        bound = ctx.get("ge", ctx.get("gt"))
        sv, en = f"Värdet ska vara minst {bound}.", f"The value must be at least {bound}."
    elif kind in ("less_than_equal", "less_than") and ("le" in ctx or "lt" in ctx):
        bound = ctx.get("le", ctx.get("lt"))
        sv, en = f"Värdet ska vara högst {bound}.", f"The value must be at most {bound}."
    elif kind == "string_too_long" and "max_length" in ctx:
        bound = ctx["max_length"]
        sv, en = (
            f"Texten får vara högst {bound} tecken.",
            f"The text may be at most {bound} characters.",
        )
    elif kind in ("literal_error", "enum") and "expected" in ctx:
        expected = ctx["expected"]
        sv, en = f"Okänt värde; tillåtna är {expected}.", f"Unknown value; allowed are {expected}."
    else:
        sv, en = _VALIDATION_TEXTS.get(
            kind, (f"Ogiltigt värde: {message}.", f"Invalid value: {message}.")
        )
    return sv, en, _field(error.get("loc"))


def install(api: NinjaAPI) -> None:
    """Replace django-ninja's error bodies with the one shape above."""

    def respond(
        request: HttpRequest, status: int, problems: list[tuple[str, str, str]]
    ) -> HttpResponse:
        return api.create_response(request, payload(problems), status=status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, 422, [_validation(e) for e in exc.errors])

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, [(*_split(COMMON_ERRORS["401"]), "")])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, [(*_split(exc.message), "")])

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, [(*_split(COMMON_ERRORS["404"]), "")])

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(
            request, 403, [("Du har inte behörighet.", "You do not have permission.", "")]
        )

    @api.exception_handler(InputError)
    def input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
        return api.create_response(request, input_error_payload(exc), status=422)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        # Someone else handled it first, or the same request came twice.
        return api.create_response(request, input_error_payload(exc), status=409)


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the common error responses, with the ErrorOut body, to every operation."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in components:
        generated = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(generated.pop("$defs", {}))
        components["ErrorOut"] = generated
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            # An operation's own responses have int keys, these str: the same code under
            # both is a duplicated key in the JSON, which Swagger UI refuses to read.
            # One entry per code, the common shape (what a JSON reader kept before).
            for code, text in COMMON_ERRORS.items():
                own = responses.pop(int(code), None)
                description = own.get("description", text) if own else text
                responses.setdefault(code, {"description": description, "content": body})
    return schema
