"""The database keeps every account's cached balance, from its entries.

0005 checked at COMMIT that each account's cached balance equalled the sum
of its entries, summing them again for every entry written: fine for one
payment, quadratic for a bulk load of a million entries. Now the balance is
kept by the database itself, whoever writes the entries:

- An entry written adds its amount to its account's balance, in the same
  statement (a row trigger, on PostgreSQL and on SQLite alike), so the cache
  is the sum of the entries by construction, and the non-negative check on
  the balance checks the entries themselves. `post_transaction` no longer
  writes balances.
- On PostgreSQL nothing else may change a balance: an UPDATE of it that does
  not come from that trigger is refused, and the trigger function runs as
  the tables' owner, so the application's role needs no UPDATE privilege on
  accounts at all (`grant_app_role`).
- The whole-movement check (0005) runs its lookups by index, whatever the
  planner's statistics say of tables that grew since the last ANALYZE.
"""

from django.db import migrations

POSTGRES = """
DROP TRIGGER account_matches_entries ON fundapp_account;
DROP FUNCTION linli_ledger_account_written();
DROP FUNCTION linli_ledger_check_account(bigint);

-- Point lookups by primary key and foreign key: always by index. A table
-- loaded in bulk since the last ANALYZE looks empty to the planner, which
-- would otherwise scan it whole for every entry.
ALTER FUNCTION linli_ledger_check_transaction(bigint) SET enable_seqscan = off;
ALTER FUNCTION linli_ledger_entry_with_its_transaction() SET enable_seqscan = off;

CREATE OR REPLACE FUNCTION linli_ledger_entry_written() RETURNS trigger AS $$
BEGIN
    PERFORM linli_ledger_check_transaction(NEW.transaction_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION linli_ledger_keep_balance() RETURNS trigger AS $$
BEGIN
    UPDATE fundapp_account SET balance = balance + NEW.amount
        WHERE id = NEW.account_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;

CREATE TRIGGER ledgerentry_keeps_balance
    AFTER INSERT ON fundapp_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_keep_balance();

CREATE OR REPLACE FUNCTION linli_ledger_account_fixed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Ledger accounts are never deleted.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.fund_id, NEW.kind, NEW.source_id, NEW.tranche_id, NEW.commitment_id)
       IS DISTINCT FROM
       (OLD.fund_id, OLD.kind, OLD.source_id, OLD.tranche_id, OLD.commitment_id) THEN
        RAISE EXCEPTION 'Account % cannot change its fund, kind, source, tranche or commitment.',
            OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- Only an entry's trigger (one level down) moves a balance.
    IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'Account % changes its balance only with its entries.', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

POSTGRES_BACK = """
DROP TRIGGER ledgerentry_keeps_balance ON fundapp_ledgerentry;
DROP FUNCTION linli_ledger_keep_balance();
ALTER FUNCTION linli_ledger_check_transaction(bigint) RESET enable_seqscan;
ALTER FUNCTION linli_ledger_entry_with_its_transaction() RESET enable_seqscan;

CREATE OR REPLACE FUNCTION linli_ledger_account_fixed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Ledger accounts are never deleted.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.fund_id, NEW.kind, NEW.source_id, NEW.tranche_id, NEW.commitment_id)
       IS DISTINCT FROM
       (OLD.fund_id, OLD.kind, OLD.source_id, OLD.tranche_id, OLD.commitment_id) THEN
        RAISE EXCEPTION 'Account % cannot change its fund, kind, source, tranche or commitment.',
            OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION linli_ledger_check_account(account_pk bigint) RETURNS void AS $$
DECLARE
    cached numeric;
    from_entries numeric;
BEGIN
    SELECT balance INTO cached FROM fundapp_account WHERE id = account_pk;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT COALESCE(sum(amount), 0) INTO from_entries
        FROM fundapp_ledgerentry WHERE account_id = account_pk;
    IF cached <> from_entries THEN
        RAISE EXCEPTION 'Account % caches a balance of % but its entries sum to %.',
            account_pk, cached, from_entries
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION linli_ledger_account_written() RETURNS trigger AS $$
BEGIN
    PERFORM linli_ledger_check_account(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION linli_ledger_entry_written() RETURNS trigger AS $$
BEGIN
    PERFORM linli_ledger_check_transaction(NEW.transaction_id);
    PERFORM linli_ledger_check_account(NEW.account_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER account_matches_entries
    AFTER INSERT OR UPDATE ON fundapp_account
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_account_written();
"""

# SQLite adds decimals as binary floats: rounding to the fen at each entry
# keeps 100.00 - 99.99 - 0.01 at zero, not a hair below it.
SQLITE = """
CREATE TRIGGER ledgerentry_keeps_balance
    AFTER INSERT ON fundapp_ledgerentry
    FOR EACH ROW BEGIN
        UPDATE fundapp_account SET balance = ROUND(balance + NEW.amount, 2)
            WHERE id = NEW.account_id;
    END;
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE, params=None)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACK, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS ledgerentry_keeps_balance;", params=None
        )


class Migration(migrations.Migration):
    dependencies = [("fundapp", "0006_payments_and_rating_window")]

    operations = [migrations.RunPython(install, remove)]
