"""The history of changes: which tables keep it, and how (issue 14 §4).

A tracked model is decorated with `track_changes`: django-pghistory then
declares a `<Model>History` table in the same app and PostgreSQL triggers
that write one row to it for every insert, update and delete of the tracked
table, whoever connects (the ORM, a bulk update, raw SQL in psql). Each row
is a snapshot of the tracked fields after the change (before it, for a
delete) and points to the context of the change: the user, the path and the
method of the request that made it (`fundapp.middleware.HistoryContext`).
The history rows themselves can't be updated or deleted (PGHISTORY_APPEND_ONLY).

Personal data that erasure must remove (addresses, roster references, phone
numbers) is left out of the snapshots, so a history never keeps what a
person asked to have erased (fundapp/personal_data.py).

The ledger, the meeting events and the proposal events are append-only
already, and are their own history. SQLite installs no triggers and keeps no
history; the audit page says so.
"""

import pghistory
import pgtrigger
from celery.signals import task_postrun, task_prerun
from django.db import connection
from pghistory import runtime


def track_changes(*, model_name: str, fields=None, exclude=None):
    """Keep the history of every insert, update and delete of the model in
    a `model_name` table; only `fields` (default: all but `exclude`)."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=model_name,
        fields=fields,
        exclude=exclude,
        # One trigger call per statement, over its transition table: a bulk
        # insert (the scale data's COPY) writes its history in one INSERT.
        level=pgtrigger.Statement,
    )


def history_is_recorded() -> bool:
    """True where the triggers exist: on PostgreSQL."""
    return connection.vendor == "postgresql"


# A background task's changes carry its name as their context, unless it runs
# inside a request (Celery in process, the embedded default), whose context
# already says who asked.
_task_contexts: dict[str, pghistory.context] = {}


@task_prerun.connect
def _task_history_begins(task_id=None, task=None, **kwargs):
    if not history_is_recorded() or hasattr(runtime._tracker, "value"):
        return
    context = pghistory.context(task=task.name)
    context.__enter__()
    _task_contexts[task_id] = context


@task_postrun.connect
def _task_history_ends(task_id=None, **kwargs):
    context = _task_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)
