"""On PostgreSQL the database itself guards the ledger.

Entries and transactions are append-only: a trigger refuses UPDATE and
DELETE, whoever sends them (the ORM, raw SQL, an admin's psql). A deferred
constraint trigger checks at COMMIT that each transaction's entries sum to
zero. The non-negative balances are a check constraint on Account (0001),
which SQLite enforces too; SQLite gets no triggers, and the tests that need
them are marked `postgres`.
"""

from django.db import migrations

GUARDS = """
CREATE FUNCTION linli_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The ledger is append-only: % on % is refused; record a reversal instead.',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON fundapp_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_append_only();

CREATE TRIGGER ledgertransaction_append_only
    BEFORE UPDATE OR DELETE ON fundapp_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_append_only();

CREATE FUNCTION linli_ledger_balanced() RETURNS trigger AS $$
DECLARE
    total numeric;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total
        FROM fundapp_ledgerentry WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'Ledger transaction % is unbalanced by %.', NEW.transaction_id, total
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER ledgerentry_balanced
    AFTER INSERT ON fundapp_ledgerentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_balanced();
"""

REMOVE_GUARDS = """
DROP TRIGGER IF EXISTS ledgerentry_balanced ON fundapp_ledgerentry;
DROP FUNCTION IF EXISTS linli_ledger_balanced();
DROP TRIGGER IF EXISTS ledgertransaction_append_only ON fundapp_ledgertransaction;
DROP TRIGGER IF EXISTS ledgerentry_append_only ON fundapp_ledgerentry;
DROP FUNCTION IF EXISTS linli_ledger_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARDS, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE_GUARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("fundapp", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
