"""On PostgreSQL the database refuses to change or remove a proposal's events (issue 14 §4).

A proposal's events are its audit trail: who moved it, when and why.
Whoever connects (the ORM, raw SQL, psql), an UPDATE or DELETE of a row, or a
TRUNCATE of the table, is refused. The one exception is the table owner who
first says so in the same transaction (`SET LOCAL linli.allow_ledger_truncate
= 'on'`): the test suite's flush between tests, as for the ledger (fundapp
migration 0005). SQLite gets no triggers.
"""

from django.db import migrations

TABLE = "proposals_proposalevent"

GUARD = """
CREATE FUNCTION linli_proposals_proposalevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('linli.allow_ledger_truncate', true) = 'on'
       AND pg_has_role(current_user,
                       (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                       'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'A proposal''s history is append-only: % on % is refused.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER proposals_proposalevent_append_only
    BEFORE UPDATE OR DELETE ON proposals_proposalevent
    FOR EACH ROW EXECUTE FUNCTION linli_proposals_proposalevent_append_only();
CREATE TRIGGER proposals_proposalevent_no_truncate
    BEFORE TRUNCATE ON proposals_proposalevent
    FOR EACH STATEMENT EXECUTE FUNCTION linli_proposals_proposalevent_append_only();
"""

REMOVE = """
DROP TRIGGER IF EXISTS proposals_proposalevent_no_truncate ON proposals_proposalevent;
DROP TRIGGER IF EXISTS proposals_proposalevent_append_only ON proposals_proposalevent;
DROP FUNCTION IF EXISTS linli_proposals_proposalevent_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0008_history_of_changes")]

    operations = [migrations.RunPython(install, remove)]
