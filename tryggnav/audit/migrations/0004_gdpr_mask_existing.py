"""One-off: mask the personal data in free text already in the audit log.

Entries written before the audit log masked free text (see
``audit_masked_fields`` on the models) hold the raw incident text, meeting notes
and so on. They are rewritten here, once, through the redaction path of
migration 0003 (on PostgreSQL the trigger lets it through only while this
transaction has ``tryggnav.audit_redaction`` on); only the masked fields' old and
new values and, for incidents, the note (review note, reason for rejection)
change. The migration then appends an entry saying how many entries it masked,
so the rewrite itself is on the record. Backwards does nothing: the raw text is
gone, which is the point.
"""

from django.db import migrations

# Model label → the free-text fields whose old and new values are masked.
MASKED = {
    "incidents.incident": ("text", "rejection_reason"),
    "lagesbild.meeting": ("attendees", "notes"),
    "lagesbild.action": ("what", "outcome"),
    "steering.problem": ("cause_offenders", "cause_victims", "cause_summary"),
}
# Entries whose note is free text someone typed (review note, reason for rejection).
NOTE_MASKED = {"incidents.incident"}


def _mask(value):
    # Imported here, not at the top: migrations load before the apps are ready.
    from tryggnav.lib.screening import screen

    return screen(value).masked if isinstance(value, str) and value else value


def _masked_changes(changes, fields):
    out = dict(changes)
    for name in fields:
        if isinstance(out.get(name), list):
            out[name] = [_mask(v) for v in out[name]]
    return out


def _set_redaction(connection, on):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('tryggnav.audit_redaction', %s, true)", ["on" if on else "off"]
            )


def forwards(apps, schema_editor):
    entries = apps.get_model("audit", "AuditEntry")._base_manager
    _set_redaction(schema_editor.connection, True)
    masked = 0
    for entry in entries.filter(object_type__in=list(MASKED)).iterator():
        changes = _masked_changes(entry.changes or {}, MASKED[entry.object_type])
        note = _mask(entry.note) if entry.object_type in NOTE_MASKED else entry.note
        if changes != entry.changes or note != entry.note:
            entries.filter(pk=entry.pk).update(changes=changes, note=note)
            masked += 1
    _set_redaction(schema_editor.connection, False)
    if masked:
        entries.create(
            actor_name="system",
            action="other",
            object_type="audit.auditentry",
            object_id="0004_gdpr_mask_existing",
            object_repr="Engångsmaskering av personuppgifter i loggen",
            changes={"entries_masked": [None, masked]},
            note="Personuppgifter i fritext maskerade i äldre loggposter (migrering 0004).",
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_gdpr_redaction_trigger")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
