"""On PostgreSQL the database refuses to change or remove a meeting's events (issue 14 §4).

A meeting's record is its event log: the engine replays it, the minutes
are written from it and the votes point to it.
Whoever connects (the ORM, raw SQL, psql), an UPDATE or DELETE of a row, or a
TRUNCATE of the table, is refused. The one exception is the table owner who
first says so in the same transaction (`SET LOCAL linli.allow_ledger_truncate
= 'on'`): the test suite's flush between tests, as for the ledger (fundapp
migration 0005). SQLite gets no triggers.
"""

from django.db import migrations

TABLE = "councils_meetingevent"

GUARD = """
CREATE FUNCTION linli_councils_meetingevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('linli.allow_ledger_truncate', true) = 'on'
       AND pg_has_role(current_user,
                       (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                       'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'A meeting''s record is append-only: % on % is refused.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER councils_meetingevent_append_only
    BEFORE UPDATE OR DELETE ON councils_meetingevent
    FOR EACH ROW EXECUTE FUNCTION linli_councils_meetingevent_append_only();
CREATE TRIGGER councils_meetingevent_no_truncate
    BEFORE TRUNCATE ON councils_meetingevent
    FOR EACH STATEMENT EXECUTE FUNCTION linli_councils_meetingevent_append_only();
"""

REMOVE = """
DROP TRIGGER IF EXISTS councils_meetingevent_no_truncate ON councils_meetingevent;
DROP TRIGGER IF EXISTS councils_meetingevent_append_only ON councils_meetingevent;
DROP FUNCTION IF EXISTS linli_councils_meetingevent_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("councils", "0006_history_of_changes")]

    operations = [migrations.RunPython(install, remove)]
