"""On PostgreSQL, let redaction through the append-only trigger, and nothing else.

An UPDATE passes only while the transaction has set ``tryggnav.audit_redaction``
to ``on`` (``tryggnav.audit.services.audit_redact`` does, and resets it), and only
when the time, action, actor, organisation and object of the entry stay the same:
the text columns (who, object, note, changes) may be rewritten to erase personal
data, the fact that something happened may not. DELETE is still refused.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('tryggnav.audit_redaction', true), '') = 'on'
       AND NEW.id = OLD.id
       AND NEW.at = OLD.at
       AND NEW.action = OLD.action
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id
       AND NEW.object_type = OLD.object_type
       AND NEW.object_id = OLD.object_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit log is append-only';
END;
$$ LANGUAGE plpgsql;
"""

# Migration 0002's function: every UPDATE and DELETE refused.
PREVIOUS = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(forwards, backwards)]
