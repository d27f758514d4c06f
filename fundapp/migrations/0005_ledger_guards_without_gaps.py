"""On PostgreSQL the database refuses every inconsistent ledger state (issue 8).

0002 made entries and transactions append-only row by row and checked at
COMMIT that each transaction's entries sum to zero. That left gaps for
whoever connects with psql: TRUNCATE (per-row triggers don't see it), a
transaction with no entries or with an `amount` its entries don't move,
entries added to an old transaction or on another fund's account, and a
cached balance changed without entries. Now, whoever connects:

- TRUNCATE of the ledger tables is refused by statement triggers. The one
  exception is the table owner who first says so in the same transaction
  (`SET LOCAL linli.allow_ledger_truncate = 'on'`): the test suite's flush
  between tests. The application's role has no TRUNCATE privilege at all
  (`manage.py grant_app_role`, docs/deploy.md).
- At COMMIT (deferred constraint triggers) every transaction written has at
  least two entries that sum to zero, its `amount` is the sum of its positive
  entries, and every entry's account belongs to the transaction's fund.
- Entries can be added to a transaction only in the database transaction that
  wrote it: each transaction row is stamped with its writer's transaction id
  (`created_xact`, a column the ORM never sees) and an entry of any other
  database transaction is refused.
- An account's cached balance equals the sum of its entries at COMMIT,
  checked whenever the account or one of its entries is written; with the
  non-negative check on the balance, that checks the entries themselves. An
  account, commitment or tranche never changes what it is (fund, kind,
  source, tranche, commitment, amount), and accounts and commitments are
  never deleted.
"""

from django.db import migrations

LEDGER_TABLES = (
    "fundapp_ledgerentry",
    "fundapp_ledgertransaction",
    "fundapp_account",
    "fundapp_commitment",
    "fundapp_tranche",
)

GUARDS = """
CREATE FUNCTION linli_ledger_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('linli.allow_ledger_truncate', true) = 'on'
       AND pg_has_role(current_user,
                       (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                       'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The ledger is append-only: TRUNCATE of % is refused.', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

-- One movement, whole: at least two entries, summing to zero, moving its
-- amount, all on its own fund's accounts.
CREATE FUNCTION linli_ledger_check_transaction(movement bigint) RETURNS void AS $$
DECLARE
    header record;
    entry_count integer;
    total numeric;
    moved numeric;
    foreign_count integer;
BEGIN
    SELECT id, fund_id, amount INTO header
        FROM fundapp_ledgertransaction WHERE id = movement;
    IF NOT FOUND THEN
        RETURN;  -- an entry without its transaction: the foreign key refuses it
    END IF;
    SELECT count(*),
           COALESCE(sum(entry.amount), 0),
           COALESCE(sum(entry.amount) FILTER (WHERE entry.amount > 0), 0),
           count(*) FILTER (WHERE account.fund_id <> header.fund_id)
        INTO entry_count, total, moved, foreign_count
        FROM fundapp_ledgerentry entry
        JOIN fundapp_account account ON account.id = entry.account_id
        WHERE entry.transaction_id = movement;
    IF entry_count < 2 THEN
        RAISE EXCEPTION 'Ledger transaction % has % entries; a movement needs at least two.',
            movement, entry_count USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF total <> 0 THEN
        RAISE EXCEPTION 'Ledger transaction % is unbalanced by %.', movement, total
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF moved <> header.amount THEN
        RAISE EXCEPTION 'Ledger transaction % says it moves % but its entries move %.',
            movement, header.amount, moved
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF foreign_count > 0 THEN
        RAISE EXCEPTION 'Ledger transaction % has % entries on another fund''s accounts.',
            movement, foreign_count USING ERRCODE = 'integrity_constraint_violation';
    END IF;
END;
$$ LANGUAGE plpgsql;

-- The cached balance is the sum of the account's entries.
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

CREATE FUNCTION linli_ledger_transaction_written() RETURNS trigger AS $$
BEGIN
    PERFORM linli_ledger_check_transaction(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION linli_ledger_entry_written() RETURNS trigger AS $$
BEGIN
    PERFORM linli_ledger_check_transaction(NEW.transaction_id);
    PERFORM linli_ledger_check_account(NEW.account_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION linli_ledger_account_written() RETURNS trigger AS $$
BEGIN
    PERFORM linli_ledger_check_account(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Each movement is stamped with the database transaction that wrote it,
-- whatever the client sent.
ALTER TABLE fundapp_ledgertransaction
    ADD COLUMN created_xact xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE FUNCTION linli_ledger_transaction_stamp() RETURNS trigger AS $$
BEGIN
    NEW.created_xact := pg_current_xact_id();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION linli_ledger_entry_with_its_transaction() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM fundapp_ledgertransaction
            WHERE id = NEW.transaction_id AND created_xact = pg_current_xact_id()
    ) THEN
        RAISE EXCEPTION 'Entries can be added to ledger transaction % only when it is written.',
            NEW.transaction_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION linli_ledger_account_fixed() RETURNS trigger AS $$
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

CREATE FUNCTION linli_ledger_commitment_fixed() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Commitments are never changed or deleted; release or reverse instead.'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION linli_ledger_tranche_fixed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Tranches are never deleted; reverse the receipt instead.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.fund_id, NEW.source_id, NEW.fiscal_year, NEW.amount, NEW.received_on,
        NEW.matches_id)
       IS DISTINCT FROM
       (OLD.fund_id, OLD.source_id, OLD.fiscal_year, OLD.amount, OLD.received_on,
        OLD.matches_id) THEN
        RAISE EXCEPTION 'Tranche % cannot change its fund, source, year, amount, date or match.',
            OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- 0002's balance check is folded into the whole-movement check.
DROP TRIGGER ledgerentry_balanced ON fundapp_ledgerentry;
DROP FUNCTION linli_ledger_balanced();

CREATE TRIGGER ledgertransaction_stamp
    BEFORE INSERT ON fundapp_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_transaction_stamp();
CREATE TRIGGER ledgerentry_with_its_transaction
    BEFORE INSERT ON fundapp_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_entry_with_its_transaction();
CREATE CONSTRAINT TRIGGER ledgertransaction_whole
    AFTER INSERT ON fundapp_ledgertransaction
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_transaction_written();
CREATE CONSTRAINT TRIGGER ledgerentry_whole
    AFTER INSERT ON fundapp_ledgerentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_entry_written();
CREATE CONSTRAINT TRIGGER account_matches_entries
    AFTER INSERT OR UPDATE ON fundapp_account
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_account_written();
CREATE TRIGGER account_fixed
    BEFORE UPDATE OR DELETE ON fundapp_account
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_account_fixed();
CREATE TRIGGER commitment_fixed
    BEFORE UPDATE OR DELETE ON fundapp_commitment
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_commitment_fixed();
CREATE TRIGGER tranche_fixed
    BEFORE UPDATE OR DELETE ON fundapp_tranche
    FOR EACH ROW EXECUTE FUNCTION linli_ledger_tranche_fixed();
"""

TRUNCATE_GUARD = """
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION linli_ledger_no_truncate();
"""

REMOVE_GUARDS = """
DROP TRIGGER IF EXISTS tranche_fixed ON fundapp_tranche;
DROP TRIGGER IF EXISTS commitment_fixed ON fundapp_commitment;
DROP TRIGGER IF EXISTS account_fixed ON fundapp_account;
DROP TRIGGER IF EXISTS account_matches_entries ON fundapp_account;
DROP TRIGGER IF EXISTS ledgerentry_whole ON fundapp_ledgerentry;
DROP TRIGGER IF EXISTS ledgertransaction_whole ON fundapp_ledgertransaction;
DROP TRIGGER IF EXISTS ledgerentry_with_its_transaction ON fundapp_ledgerentry;
DROP TRIGGER IF EXISTS ledgertransaction_stamp ON fundapp_ledgertransaction;
DROP FUNCTION IF EXISTS linli_ledger_tranche_fixed();
DROP FUNCTION IF EXISTS linli_ledger_commitment_fixed();
DROP FUNCTION IF EXISTS linli_ledger_account_fixed();
DROP FUNCTION IF EXISTS linli_ledger_entry_with_its_transaction();
DROP FUNCTION IF EXISTS linli_ledger_transaction_stamp();
ALTER TABLE fundapp_ledgertransaction DROP COLUMN IF EXISTS created_xact;
DROP FUNCTION IF EXISTS linli_ledger_account_written();
DROP FUNCTION IF EXISTS linli_ledger_entry_written();
DROP FUNCTION IF EXISTS linli_ledger_transaction_written();
DROP FUNCTION IF EXISTS linli_ledger_check_account(bigint);
DROP FUNCTION IF EXISTS linli_ledger_check_transaction(bigint);

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


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GUARDS, params=None)
    for table in LEDGER_TABLES:
        schema_editor.execute(TRUNCATE_GUARD.format(table=table), params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in LEDGER_TABLES:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};", params=None
        )
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS linli_ledger_no_truncate();", params=None
    )
    schema_editor.execute(REMOVE_GUARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("fundapp", "0004_ledger_keys_and_checks")]

    operations = [migrations.RunPython(install, remove)]
