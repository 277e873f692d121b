"""The police events importer: every quirk of the feed and every kind of bad input."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tryggnav.audit.models import AuditEntry
from tryggnav.incidents import counts as rollup
from tryggnav.incidents.importers.police import parse_feed_datetime, police_import
from tryggnav.incidents.models import ImportJob, Incident, PoliceTypeMapping
from tryggnav.incidents.taxonomy import DEFAULT_POLICE_MAPPING, taxonomy_ensure
from tryggnav.lib.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
QUIRKS = FIXTURES / "police_quirks.json"
FULLTEXT = FIXTURES / "police_fulltext.json"

pytestmark = pytest.mark.django_db


def _police(external_id: int) -> Incident:
    return Incident.objects.get(source=Incident.Source.POLICE_FEED, external_id=str(external_id))


@pytest.fixture
def imported():
    return police_import(path=QUIRKS, fulltext_path=FULLTEXT)


def test_unpadded_hour_is_parsed():
    moment = parse_feed_datetime("2026-08-22 9:48:12 +02:00")
    assert (moment.hour, moment.minute, moment.utcoffset().total_seconds()) == (9, 48, 7200)
    assert parse_feed_datetime("2026-08-22 09:48:12 +02:00") == moment
    assert parse_feed_datetime("2026-08-22 25:48:12 +02:00") is None


def test_import_creates_public_reviewed_police_incidents(imported):
    assert imported.created == 9
    incident = _police(500006)
    assert incident.organisation is None
    assert incident.status == Incident.Status.REVIEWED
    assert incident.police_type == "Rån"
    assert incident.category.slug == "ran"
    assert incident.source_url.startswith("https://polisen.se/aktuellt/handelser/2024/")
    # The incident's time comes from the name (11:40 local), publication from datetime.
    assert incident.occurred_from.isoformat() == "2024-06-02T09:40:00+00:00"
    assert incident.reported_at.isoformat() == "2024-06-02T10:00:00+00:00"
    job = ImportJob.objects.get(kind="police")
    assert job.summary["created"] == 9
    assert AuditEntry.objects.filter(action="import", object_id=str(job.public_id)).count() == 1


def test_name_from_december_published_in_january_is_last_year(imported):
    assert _police(500007).occurred_from.year == 2023


def test_gps_centroid_gives_municipality_precision_never_exact(imported):
    incident = _police(500003)
    assert incident.precision == Incident.Precision.MUNICIPALITY
    assert (incident.lat, incident.lon) == (59.518454, 17.91144)
    assert not Incident.objects.filter(precision=Incident.Precision.EXACT).exists()


def test_lower_case_municipality_name_matches_scb(imported):
    assert _police(500003).municipality.short_name == "Upplands Väsby"


def test_county_location_with_municipality_last_in_name_from_2026(imported):
    incident = _police(500002)
    assert incident.municipality.short_name == "Upplands Väsby"
    assert incident.county_id == "01"
    assert incident.precision == Incident.Precision.MUNICIPALITY
    # The county's centre is replaced by the municipality's.
    assert incident.lat != 59.602496


def test_county_only_event_keeps_county_precision(imported):
    incident = _police(500008)
    assert incident.municipality is None
    assert incident.county.name == "Västra Götalands län"
    assert incident.precision == Incident.Precision.COUNTY


def test_summaries_are_kept_marked_and_not_counted(imported):
    summary = _police(500004)
    assert summary.is_summary
    assert imported.summaries == 1
    assert not Incident.objects.countable().filter(pk=summary.pk).exists()
    assert Incident.objects.countable().filter(source="police").count() == 8


def test_trailing_space_in_type_maps(imported):
    assert _police(500009).category.slug == DEFAULT_POLICE_MAPPING["Lagen om hundar och katter"]


def test_district_from_summary_text(imported):
    incident = _police(500001)
    assert incident.area.name == "Vasastaden"
    assert incident.precision == Incident.Precision.DISTRICT
    assert incident.lat != 59.329324  # a point inside Vasastaden, not the city centre


def test_district_from_full_text(imported):
    incident = _police(500006)
    assert incident.area.name == "Kista"
    assert "Kista centrum" in incident.text
    assert incident.text_masked


def test_district_of_another_municipality_is_not_matched(imported):
    # Hallonbergen is in Sundbyberg, which has no districts in the register.
    assert _police(500005).area is None
    assert _police(500005).precision == Incident.Precision.MUNICIPALITY


def test_hyphenated_administrative_area_is_not_a_district(imported):
    assert _police(500007).area is None


def test_reimport_changes_nothing(imported):
    before = {i.pk: (i.updated, i.public_id) for i in Incident.objects.all()}
    again = police_import(path=QUIRKS, fulltext_path=FULLTEXT)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    assert {i.pk: (i.updated, i.public_id) for i in Incident.objects.all()} == before


def test_newer_version_updates_the_event(imported, tmp_path):
    events = json.loads(QUIRKS.read_text())
    events[5]["summary"] = "Rån mot en butik på Södermalm, uppdaterad."
    events[5]["type"] = "Rån, försök"
    path = tmp_path / "newer.json.gz"
    path.write_bytes(gzip.compress(json.dumps(events).encode()))
    public_id = _police(500006).public_id
    result = police_import(path=path)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 8)
    incident = _police(500006)
    assert incident.public_id == public_id
    assert incident.police_type == "Rån, försök"
    assert incident.area.name == "Södermalm"
    assert rollup.snapshot() == rollup.recount()
    # Imported without full texts (as the live feed is), the earlier full text stays.
    assert "Kista centrum" in incident.text
    assert police_import(path=path).unchanged == 9


def test_rollup_follows_the_import(imported):
    assert rollup.snapshot() == rollup.recount()


def test_unknown_type_gets_an_editable_fallback_mapping(tmp_path):
    events = json.loads(QUIRKS.read_text())[:1]
    events[0]["type"] = "Helt ny händelsetyp"
    path = tmp_path / "new_type.json"
    path.write_text(json.dumps(events))
    police_import(path=path)
    assert PoliceTypeMapping.objects.get(police_type="Helt ny händelsetyp").category.slug == (
        "ovrigt"
    )


def test_taxonomy_covers_every_type_and_is_idempotent():
    assert taxonomy_ensure() == (0, 0)
    assert PoliceTypeMapping.objects.count() == len(DEFAULT_POLICE_MAPPING) == 97


def test_command_prints_summary(capsys):
    call_command("import_police", str(QUIRKS), "--fulltext", str(FULLTEXT), "--quiet")
    assert "9 created" in capsys.readouterr().out


# Bad input: the message names file, row and field; nothing is written.


def _assert_refused(path: Path, *needles: str) -> InputError:
    count = Incident.objects.count()
    with pytest.raises(InputError) as caught:
        police_import(path=path)
    message = str(caught.value)
    assert path.name in message
    for needle in needles:
        assert needle in message
    assert Incident.objects.count() == count
    assert not ImportJob.objects.filter(kind="police", filename=path.name).exists()
    return caught.value


def test_truncated_json():
    _assert_refused(FIXTURES / "police_truncated.json", "avkortad", "truncated", "rad/row")


def test_truncated_gzip(tmp_path):
    path = tmp_path / "cut.json.gz"
    path.write_bytes(gzip.compress(QUIRKS.read_bytes())[:200])
    _assert_refused(path, "avkortad", "truncated")


def test_invalid_json():
    _assert_refused(FIXTURES / "police_invalid.json", "Ogiltig JSON", "rad/row 2")


def test_wrong_schema_names_row_and_field():
    error = _assert_refused(FIXTURES / "police_wrong_schema.json", "rad/row 2", "'datetime'")
    assert len(error.problems) == 1
    # The valid first row was not written either: all or nothing.
    assert not Incident.objects.exists()


def test_not_a_list():
    _assert_refused(FIXTURES / "partner_utf8_bom.csv", "JSON")


def test_wrong_encoding(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(QUIRKS.read_text().encode("utf-16"))
    _assert_refused(path, "UTF-8")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.json"
    path.write_bytes(b"  \n")
    _assert_refused(path, "tom", "empty")


def test_empty_list(tmp_path):
    path = tmp_path / "none.json"
    path.write_text("[]")
    _assert_refused(path, "inga händelser")


def test_huge_file_over_the_limit(settings, tmp_path):
    settings.TRYGGNAV_MAX_IMPORT_BYTES = 1000
    path = tmp_path / "huge.json"
    shutil.copy(QUIRKS, path)
    _assert_refused(path, "för stor", "too large")


def test_huge_content_in_a_small_gzip(settings, tmp_path):
    settings.TRYGGNAV_MAX_IMPORT_BYTES = 1000
    path = tmp_path / "bomb.json.gz"
    path.write_bytes(gzip.compress(b"[" + b" " * 100_000 + b"]"))
    assert path.stat().st_size < 1000
    _assert_refused(path, "för stor")


def test_unknown_municipality():
    _assert_refused(
        FIXTURES / "police_unknown_municipality.json", "rad/row 2", "'location.name'", "Gotham"
    )


def test_date_in_the_future():
    _assert_refused(FIXTURES / "police_future.json", "rad/row 1", "'datetime'", "framtiden")


def test_bad_fulltext_file(tmp_path):
    path = tmp_path / "fulltext.json"
    path.write_text('[{"id": 1}]')
    with pytest.raises(InputError) as caught:
        police_import(path=QUIRKS, fulltext_path=path)
    assert "fulltext.json, rad/row 1" in str(caught.value)
    assert not Incident.objects.exists()


def test_command_exits_2_with_the_message():
    with pytest.raises(CommandError) as caught:
        call_command("import_police", str(FIXTURES / "police_future.json"), "--quiet")
    assert caught.value.returncode == 2
    assert "police_future.json, rad/row 1" in str(caught.value)


def test_missing_file_is_a_message_not_a_trace(tmp_path):
    _assert_refused(tmp_path / "nope.json", "kan inte läsas")


def test_fast_paths_agree_with_the_slow_ones():
    """The cheap parsers used for the archive give what the straightforward code gives."""
    import datetime
    import json as json_module

    from tryggnav.incidents.importers import police
    from tryggnav.incidents.importers.common import STOCKHOLM
    from tryggnav.lib.screening import screen

    moment = datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)
    while moment.year < 2028:  # every DST change of six years, at 30-minute steps nearby
        assert police.stockholm_naive(moment) == moment.astimezone(STOCKHOLM).replace(tzinfo=None)
        moment += datetime.timedelta(minutes=30 if moment.month in (3, 10) else 1439)
    for text in [
        "2026-08-22 9:48:12 +02:00",
        "2026-08-22 09:48:12 +02:00",
        "2026-01-02 23:59:59 -05:30",
        "2026-08-22 09:48:12+0200",
        " 2026-08-22 09:48:12 +02:00 ",
        "2026-02-30 09:48:12 +01:00",
        "2026-08-22 0x:48:12 +02:00",
        "2026-08-22 ²9:48:12 +02:00",
    ]:
        match = police._DATETIME.fullmatch(text.strip())
        expected = None
        if match:
            y, mo, d, h, mi, s, sign, oh, om = match.groups()
            offset = datetime.timedelta(hours=int(oh), minutes=int(om))
            try:
                expected = datetime.datetime(
                    int(y),
                    int(mo),
                    int(d),
                    int(h),
                    int(mi),
                    int(s),
                    tzinfo=datetime.timezone(-offset if sign == "-" else offset),
                )
            except ValueError:
                expected = None
        parsed = police.parse_feed_datetime(text)
        assert parsed == expected and (parsed is None or parsed.utcoffset() == expected.utcoffset())
    events = [
        {"id": 1, "name": 'Citat "}, {" och \\ snedstreck', "location": {"gps": "1,2"}},
        {"id": 2, "summary": "Åsa ringde 070-123 45 67", "b": [1, None, True]},
        "inget objekt",
    ]
    assert police._canonical_events(events) == [
        json_module.dumps(e, sort_keys=True, ensure_ascii=False) for e in events
    ]
    for text in ["Inbrott i källare.", "Ring 070-123 45 67", "a@b.se", "ABC 123 stals", "19"]:
        result = screen(text)
        assert police._mask(text) == (result.masked, result.has_personal_data)
