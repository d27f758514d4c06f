"""Idempotency keys: one key means one request (issue 8).

A key makes a retried request (a double click, a resent form, a redelivered
task) act once. It must not let anyone else's request, or another request of
the same person, pass for the first one. So:

- A form's key is issued by the server with the form and signed for that
  person and that form (`form_key_issue`); a key the server did not issue to
  this person for this form is refused (`form_key_check`).
- A key the server derives for its own work (a council's decision committing
  money, a disbursement) is an HMAC of what it is for (`derived_key`): no
  client can guess or forge it, and it never has a form key's shape.
- What a key was used for is stored with its effect as a digest of the
  request (`request_digest`: the operation, who acts or on what authority,
  and every parameter). The same key with the same digest returns the first
  result; the same key with any other digest is refused and changes nothing,
  as payment APIs do with their idempotency keys.
"""

import hashlib
import hmac
import json
import re
import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_MAX_LENGTH = 80
FORM_PREFIX = "f"
DERIVED_PREFIX = "d"
# A form key may carry a short suffix that tells apart the buttons of one
# form (the live meeting page renders one key and one button per action).
FORM_KEY = re.compile(
    r"^f(?P<nonce>[0-9a-f]{16})\.(?P<sig>[0-9a-f]{24})(?P<suffix>-[-_a-z0-9]{1,38})?$"
)

EXPIRED = _(
    "This form has expired or was not issued to you; open it again and resubmit."
)
REUSED = _(
    "This form was already used for another request, so nothing was changed. "
    "Open the form again to make a new one."
)


def _mac(purpose: str, message: str) -> str:
    key = hashlib.sha256(f"linli.idempotency.{purpose}:{settings.SECRET_KEY}".encode())
    return hmac.new(key.digest(), message.encode(), hashlib.sha256).hexdigest()


def form_key_issue(*, user, form: str) -> str:
    """A new key for one form shown to one person (fits `KEY_MAX_LENGTH`)."""
    nonce = secrets.token_hex(8)
    return f"{FORM_PREFIX}{nonce}.{_mac('form', f'{user.pk}|{form}|{nonce}')[:24]}"


def form_key_check(key: str, *, user, form: str) -> str:
    """Return the key if the server issued it to this person for this form.

    Raises ValidationError (code `expired_form`) otherwise: a key of another
    person, of another form, a derived key, or anything made up.
    """
    match = FORM_KEY.match(key or "")
    user_pk = getattr(user, "pk", None)
    if match is None or user_pk is None:
        raise ValidationError(EXPIRED, code="expired_form")
    expected = _mac("form", f"{user_pk}|{form}|{match['nonce']}")[:24]
    if not hmac.compare_digest(expected, match["sig"]):
        raise ValidationError(EXPIRED, code="expired_form")
    return key


def derived_key(*parts) -> str:
    """The key of work the server does on its own account, from what it is for.

    The same parts give the same key (a retry acts once); without the secret
    key nobody can compute it.
    """
    message = "|".join(str(part) for part in parts)
    return f"{DERIVED_PREFIX}{_mac('derived', message)}"


def _plain(value):
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def request_digest(operation: str, **params) -> str:
    """A SHA-256 of what a request asks: its operation and every parameter.

    Rows are named by their model and primary key, amounts and dates by their
    text, so the digest is the same in every process.
    """
    canonical = json.dumps(
        {"operation": operation, **{name: _plain(v) for name, v in params.items()}},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def require_same_request(*, stored_digest: str, digest: str) -> None:
    """Refuse a key already used for a request with another digest."""
    if not hmac.compare_digest(stored_digest or "", digest):
        raise ValidationError(REUSED, code="idempotency_key_reused")


def require_key_shape(key: str) -> str:
    """Refuse a missing or overlong key (a service's last line of defence)."""
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ValidationError(EXPIRED, code="expired_form")
    return key
