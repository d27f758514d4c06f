"""Handing background work to the broker without ever failing the request.

The row that says what is to be done (a notification with no `emailed_at`, a
meeting with no `notice_sent_at`, a report version still queued) is written in
the request's transaction: that row is the outbox. After the commit the task is
handed to the broker; when the broker cannot be reached the request still
succeeds, the failure is logged, and a periodic sweep hands the pending rows
over again once it is back. Each task locks its row and does nothing when the
work is already done, so a task delivered twice sends once.

Apps above pass their own tasks in; this module imports none of them.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import KombuError

logger = logging.getLogger(__name__)

# Tries before giving the work to the sweep: about a second in all.
BROKER_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}


def enqueue(task, /, **kwargs) -> bool:
    """Hand `task(**kwargs)` to the broker; False, logged, when it cannot be.

    In process (the embedded default, `task_always_eager`) the task's body
    runs here, once, without the task's own retries (they would sleep in the
    request); its failure (a mail server that is down) is logged and left to
    the sweep, never raised into the request that caused it.
    """
    if task.app.conf.task_always_eager:
        try:
            task.run(**kwargs)
        except Exception:
            logger.warning(
                "%s%s failed, left for the sweep", task.name, kwargs, exc_info=True
            )
            return False
        return True
    try:
        task.apply_async(kwargs=kwargs, retry=True, retry_policy=BROKER_RETRY_POLICY)
    except (KombuError, OSError) as error:
        logger.warning("%s%s waits for the broker: %s", task.name, kwargs, error)
        return False
    return True


def enqueue_on_commit(task, /, **kwargs) -> None:
    """`enqueue` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task, **kwargs))
