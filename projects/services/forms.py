"""A project form acts once, whatever how many times it is sent."""

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from fundapp import clock
from fundapp.idempotency import request_digest, require_key_shape, require_same_request
from fundapp.models import User
from projects.models import SubmittedForm


@dataclass
class Outcome:
    """What a form's sending did: the service's result, or nothing when the
    same form had already been carried out (`repeated`)."""

    result: object = None
    repeated: bool = False


def _plain(value):
    if isinstance(value, UploadedFile):
        return f"{value.name}:{value.size}"
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def form_run_once(
    *, key: str, user: User, operation: str, values: dict, act, project=None
) -> Outcome:
    """Carry out `act()` once for a form's idempotency key.

    The key is stored in the transaction of what `act` writes: a second
    sending of the same form (same key, same values) changes nothing and
    says so; the same key with other values is refused (code
    `idempotency_key_reused`). A refusal of `act` stores nothing, so the
    corrected form can be sent again with its key.
    """
    require_key_shape(key)
    digest = request_digest(
        operation,
        user=user,
        **{
            name: _plain(value)
            for name, value in values.items()
            if name != "idempotency_key"
        },
    )
    existing = SubmittedForm.objects.filter(key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                SubmittedForm.objects.create(
                    key=key,
                    user=user,
                    project=project,
                    request_digest=digest,
                    submitted_at=clock.now(),
                )
                return Outcome(result=act())
        except IntegrityError:
            # The same key, sent at the same moment: the first one won.
            existing = SubmittedForm.objects.filter(key=key).first()
            if existing is None:
                raise
    require_same_request(stored_digest=existing.request_digest, digest=digest)
    return Outcome(repeated=True)
