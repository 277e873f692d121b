"""Access cases for the official statistics. Reading a municipality's figures needs
membership of an organisation whose home municipality it is (the world's lead and
partner are in Stockholm, 0180; the outsider's organisation is in Huddinge, 0126);
importing needs the coordinator or admin role in a municipal organisation there."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import LOGIN_REDIRECT, Case
from tryggnav.official.models import ReportedCrime

CSV = "Kommun;Brottstyp;År;Antal\n0180;Misshandel;2024;3001\n"
READ = {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 200, "reporter": 200}
IMPORT = {
    "anonymous": LOGIN_REDIRECT,
    "outsider": 404,
    "reader": 403,
    "reporter": 403,
    "coordinator": 200,
}


def _upload(world) -> str:
    from tryggnav.official import uploads

    return uploads.store(
        filename="bra.csv",
        content=CSV.encode(),
        code="0180",
        source="bra",
        user_id=world.user("coordinator").pk,
    )


def _imported(world, before) -> None:
    assert ReportedCrime.objects.filter(municipality_id="0180", year=2024, count=3001).exists()


CASES = [
    Case("official:index", {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200}),
    Case("official:municipality", READ, args=lambda w: ["0180"]),
    Case(
        "official:municipality",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 404},
        args=lambda w: ["9999"],
        label="unknown",
    ),
    Case("official:import", IMPORT, args=lambda w: ["0180"]),
    Case(
        "official:import",
        IMPORT,
        args=lambda w: ["0180"],
        method="post",
        data=lambda w: {"source": "bra", "file": SimpleUploadedFile("bra.csv", CSV.encode())},
        label="preview",
    ),
    Case(
        "official:import_commit",
        {
            "anonymous": LOGIN_REDIRECT,
            "outsider": 404,
            "reader": 403,
            "reporter": 403,
            "coordinator": 302,
        },
        args=lambda w: ["0180"],
        method="post",
        data=lambda w: {"token": w.official_token},
        writes=True,
        state=lambda w: setattr(w, "official_token", _upload(w)),
        check=_imported,
    ),
]
