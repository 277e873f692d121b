"""Access cases for every incident URL (see tests/access.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import API_MEMBERS_READ, LOGIN_REDIRECT, MEMBERS_READ, Case
from tests.incidents.conftest import VALLINGBY, ensure_categories, report
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.models import Category, Incident

LISTS = {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200, "reporter": 200}
COORDINATE_READ = {
    "anonymous": LOGIN_REDIRECT,
    "outsider": 404,
    "reader": 403,
    "reporter": 403,
    "coordinator": 200,
}
COORDINATE_WRITE = {
    "anonymous": LOGIN_REDIRECT,
    "outsider": 404,
    "reader": 403,
    "reporter": 403,
    "coordinator": 302,
}


def _assert(condition: bool) -> None:
    assert condition


def _submitted(w):
    return report(w, text="Trasig belysning vid entrén")


def _reviewed(w):
    return report(w, status=Incident.Status.REVIEWED, text="Klotter vid tunnelbanan")


def _submitted_pair(w):
    keep = report(w, status=Incident.Status.REVIEWED, text="Klotter, första rapporten")
    duplicate = report(w, text="Klotter, samma vägg")
    return [w.group.slug, duplicate.public_id, keep]


def _with_photo(w):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="JPEG")
    incident = report(
        w,
        status=Incident.Status.REVIEWED,
        photos=[SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")],
    )
    return [incident.public_id, incident.photos.get().public_id]


def _own_category(w):
    return Category.objects.create(
        slug="eget", name="Eget", group="ovrigt", collaboration_group=w.group
    )


def _report_data(w):
    return {
        "group": w.group.slug,
        "category": str(ensure_categories()["klotter"].pk),
        "when": "now",
        "lat": str(VALLINGBY[0]),
        "lon": str(VALLINGBY[1]),
        "precision": "exact",
        "text": "Nytt klotter på garaget",
        "sharing": "group",
    }


_REVIEW_ARGS = {}


def _review_args(w):
    incident = _submitted(w)
    _REVIEW_ARGS["incident"] = incident
    return [w.group.slug, incident.public_id]


def _merge_args(w):
    slug, duplicate, keep = _submitted_pair(w)
    _REVIEW_ARGS["keep"] = keep
    return [slug, duplicate]


def _lead_submitted(w):
    return report(w, persona="coordinator", text="Egen rapport att ta bort").public_id


CASES = [
    Case("incidents:list", LISTS),
    Case("incidents:map_geojson", LISTS),
    Case("incidents:export", LISTS, args=lambda w: ["csv"], label="csv"),
    Case(
        "incidents:report",
        {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 403, "reporter": 200},
    ),
    Case(
        "incidents:report",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 403, "reporter": 302},
        method="post",
        data=_report_data,
        writes=True,
        check=lambda w, before: _assert(
            Incident.objects.filter(
                text="Nytt klotter på garaget",
                group=w.group,
                organisation=w.partner,
                area__name="Vällingby",
            ).exists()
        ),
        label="post",
    ),
    Case(
        "incidents:check",
        {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 403, "reporter": 200},
        method="post",
        data=lambda w: {"text": "ring 070-123 45 67", "lat": "59.36", "lon": "17.87"},
    ),
    Case("incidents:detail", MEMBERS_READ, args=lambda w: [_reviewed(w).public_id]),
    Case(
        "incidents:photo",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 403, "reporter": 200},
        args=_with_photo,
    ),
    Case(
        "incidents:delete",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 403, "coordinator": 302},
        args=lambda w: [_lead_submitted(w)],
        method="post",
        writes=True,
        check=lambda w, before: _assert(
            not Incident.objects.filter(text="Egen rapport att ta bort").exists()
        ),
    ),
    Case("incidents:review_queue", COORDINATE_READ, args=lambda w: [w.group.slug]),
    Case(
        "incidents:review", COORDINATE_READ, args=lambda w: [w.group.slug, _submitted(w).public_id]
    ),
    Case(
        "incidents:review_geojson",
        COORDINATE_READ,
        args=lambda w: [w.group.slug, _submitted(w).public_id],
    ),
    Case(
        "incidents:review_accept",
        COORDINATE_WRITE,
        args=_review_args,
        method="post",
        data=lambda w: {
            "category": str(ensure_categories()["anlagd-brand"].pk),
            "occurred_from": "2026-01-02T21:30",
            "note": "Rättad kategori",
        },
        writes=True,
        check=lambda w, before: _assert(
            Incident.objects.filter(
                pk=_REVIEW_ARGS["incident"].pk, status="reviewed", category__slug="anlagd-brand"
            ).exists()
            and AuditEntry.objects.filter(action="review").exists()
        ),
    ),
    Case(
        "incidents:review_reject",
        COORDINATE_WRITE,
        args=_review_args,
        method="post",
        data=lambda w: {"reason": "Inte inom gruppens område"},
        writes=True,
        check=lambda w, before: _assert(
            Incident.objects.filter(
                pk=_REVIEW_ARGS["incident"].pk,
                status="rejected",
                rejection_reason="Inte inom gruppens område",
            ).exists()
        ),
    ),
    Case(
        "incidents:review_merge",
        COORDINATE_WRITE,
        args=_merge_args,
        method="post",
        data=lambda w: {"into": str(_REVIEW_ARGS["keep"].public_id)},
        writes=True,
        check=lambda w, before: _assert(
            Incident.objects.filter(status="merged", merged_into=_REVIEW_ARGS["keep"]).exists()
        ),
    ),
    Case("incidents:categories", MEMBERS_READ, args=lambda w: [w.group.slug]),
    Case(
        "incidents:category_create",
        COORDINATE_WRITE,
        args=lambda w: [w.group.slug],
        method="post",
        data=lambda w: {"name": "Mopedåkning", "group": "ordningsstorning"},
        writes=True,
        check=lambda w, before: _assert(
            Category.objects.filter(
                collaboration_group=w.group, name="Mopedåkning", active=True
            ).exists()
        ),
    ),
    Case(
        "incidents:category_toggle",
        COORDINATE_WRITE,
        args=lambda w: [w.group.slug, _own_category(w).slug],
        method="post",
        writes=True,
        check=lambda w, before: _assert(
            Category.objects.filter(collaboration_group=w.group, slug="eget", active=False).exists()
        ),
    ),
    Case("incidents:coverage", MEMBERS_READ, args=lambda w: [w.group.slug]),
    # The API.
    Case("api:incidents", {"anonymous": 401, "outsider": 200, "reader": 200}),
    Case(
        "api:incidents",
        {"anonymous": 401, "outsider": 404, "reader": 403, "reporter": 201},
        method="post",
        content_type="application/json",
        data=lambda w: {
            "group": w.group.slug,
            "category": ensure_categories()["klotter"].slug,
            "occurred_from": "2026-01-02T21:30:00+01:00",
            "lat": VALLINGBY[0],
            "lon": VALLINGBY[1],
            "text": "Från API:t",
        },
        writes=True,
        check=lambda w, before: _assert(
            Incident.objects.filter(
                text="Från API:t", source="api", organisation=w.partner
            ).exists()
        ),
        label="post",
    ),
    Case("api:incident", API_MEMBERS_READ, args=lambda w: [_reviewed(w).public_id]),
]

from tests.incidents.import_access_cases import IMPORT_CASES  # noqa: E402

CASES += IMPORT_CASES
