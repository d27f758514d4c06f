"""Give the application's PostgreSQL role what it needs, and no more.

Migrations run as the tables' owner; the web and Celery processes connect as
a role that owns nothing (docs/deploy.md, "Database roles"). Run this as the
owner after every `migrate`:

    python manage.py grant_app_role linli_app

It is idempotent. The role may read and write the application's tables, but
on the ledger it may only read and append: no UPDATE, DELETE or TRUNCATE of
entries, movements, commitments and accounts (whose balances the database
keeps itself, migration 0007), and no DELETE of tranches. Meeting events,
proposal events, the record of logins let in again and the history of changes
(fundapp/history.py) are appended to only, too. Not being the
owner, it can't disable the triggers.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

# Rows the app may append to but never change or remove.
APPEND_ONLY = (
    "fundapp_ledgerentry",
    "fundapp_ledgertransaction",
    "fundapp_commitment",
    "councils_meetingevent",
    "proposals_proposalevent",
    # Who let a paused login in again (the audit page).
    "fundapp_loginunlock",
)


def history_tables() -> list[str]:
    """The tables of the history of changes (fundapp/history.py)."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if getattr(model, "pgh_tracked_model", None) is not None
    )


def grant_statements(role: str) -> list[str]:
    """The SQL that sets the role's privileges on the current schema."""
    quote = connection.ops.quote_name
    who = quote(role)
    tables = "ALL TABLES IN SCHEMA public"
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON {tables} FROM {who}",
    ]
    for table in (*APPEND_ONLY, *history_tables()):
        statements.append(f"REVOKE UPDATE, DELETE ON {quote(table)} FROM {who}")
    # Accounts: appended only; their balances are kept by the database's own
    # trigger, which runs as the owner (migration 0007).
    statements += [
        f"REVOKE UPDATE, DELETE ON fundapp_account FROM {who}",
        # Tranches: details such as the spend-by date may be corrected (the
        # amount, source, year and date can't: a trigger refuses that).
        f"REVOKE DELETE ON fundapp_tranche FROM {who}",
    ]
    return statements


class Command(BaseCommand):
    help = "Grant the application's database role least privilege (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the app connects as, e.g. linli_app")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Roles and privileges are PostgreSQL's; nothing to do.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(
                    f"There is no role {role!r}: create it first "
                    f"(CREATE ROLE {role} LOGIN PASSWORD '...'; docs/deploy.md)."
                )
            with transaction.atomic():
                for statement in grant_statements(role):
                    cursor.execute(statement)
        self.stdout.write(f"{role} may read and append to the ledger, and no more.")
