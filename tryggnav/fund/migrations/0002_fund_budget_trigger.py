"""The budget rule in the database, on PostgreSQL: after any insert or update of a
decision, the fund's row is locked and its decisions summed (granted less returned);
above the budget the statement fails. A budget lowered below what is granted fails
the same way. ``services.decision_make`` locks the fund row first and checks the
same sum, so this trigger only ever stops a write that went around it."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION fund_decision_budget() RETURNS trigger AS $$
DECLARE
    fund_budget bigint;
    granted bigint;
BEGIN
    SELECT f.budget INTO fund_budget FROM fund_fund f WHERE f.id = NEW.fund_id FOR UPDATE;
    SELECT COALESCE(SUM(d.amount - d.returned), 0) INTO granted
        FROM fund_decision d WHERE d.fund_id = NEW.fund_id;
    IF granted > fund_budget THEN
        RAISE EXCEPTION 'fund_budget_exceeded: fund % granted % budget %',
            NEW.fund_id, granted, fund_budget USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER fund_decision_budget
    AFTER INSERT OR UPDATE OF amount, returned, fund_id ON fund_decision
    FOR EACH ROW EXECUTE FUNCTION fund_decision_budget();

CREATE OR REPLACE FUNCTION fund_budget_not_below_granted() RETURNS trigger AS $$
DECLARE
    granted bigint;
BEGIN
    SELECT COALESCE(SUM(d.amount - d.returned), 0) INTO granted
        FROM fund_decision d WHERE d.fund_id = NEW.id;
    IF NEW.budget < granted THEN
        RAISE EXCEPTION 'fund_budget_exceeded: fund % granted % budget %',
            NEW.id, granted, NEW.budget USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER fund_budget_not_below_granted
    BEFORE UPDATE OF budget ON fund_fund
    FOR EACH ROW EXECUTE FUNCTION fund_budget_not_below_granted();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS fund_budget_not_below_granted ON fund_fund;
DROP FUNCTION IF EXISTS fund_budget_not_below_granted();
DROP TRIGGER IF EXISTS fund_decision_budget ON fund_decision;
DROP FUNCTION IF EXISTS fund_decision_budget();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
