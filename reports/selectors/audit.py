"""The audit page's reads (issue 14 §4): the history of changes to one
community's records, and the logins of its members, newest first.

The history rows are django-pghistory's (fundapp/history.py): one table per
tracked model, each row a snapshot of the tracked fields after the change,
pointing to its context (who, which request). A page is one UNION query over
every table, in a fixed number of queries: the count, the page, then per kind
of record on the page one query for its rows and the rows before them (the
change is the difference), the login records, and the people named.
"""

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from axes.models import AccessFailureLog, AccessLog
from django.core.paginator import Page, Paginator
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from councils.models import Council, Seat, Term
from fundapp.history import history_is_recorded
from fundapp.models import (
    Community,
    Fund,
    LoginUnlock,
    Membership,
    Source,
    Tranche,
    User,
)
from projects.models import DeviationFlag, Disbursement, Installment, Project
from proposals.models import Round

from ..filters import AuditFilter, AuditKind
from ..models import (
    Department,
    DepartmentViewer,
    ReportVersion,
    Requirement,
    Submission,
)

AUDIT_PAGE_SIZE = 50
# The columns every part has, named apart from the tracked models' fields.
COLUMNS = (
    "audit_kind",
    "audit_what",
    "audit_id",
    "audit_object",
    "audit_at",
    "audit_person",
)
# The kinds of records that are login records, not changes.
LOGIN_KINDS = {
    AuditKind.LOGIN,
    AuditKind.LOGIN_FAILED,
    AuditKind.LOCKOUT,
    AuditKind.UNLOCK,
}


def _scopes(community: Community) -> dict[type[Model], Q]:
    """Each tracked model, and which of its history rows are the community's."""
    departments = Department.objects.filter(communities=community).values("pk")
    here = community.pk
    return {
        Community: Q(pgh_obj_id=here),
        Fund: Q(community_id=here),
        Membership: Q(community_id=here),
        Source: Q(fund__community_id=here),
        Tranche: Q(fund__community_id=here),
        Round: Q(community_id=here),
        Council: Q(community_id=here),
        Term: Q(council__community_id=here),
        Seat: Q(term__council__community_id=here),
        Project: Q(community_id=here),
        Installment: Q(project__community_id=here),
        Disbursement: Q(installment__project__community_id=here),
        DeviationFlag: Q(project__community_id=here),
        Requirement: Q(community_id=here),
        ReportVersion: Q(report__fund__community_id=here),
        Submission: Q(version__report__fund__community_id=here),
        Department: Q(pgh_obj_id__in=departments),
        DepartmentViewer: Q(department_id__in=departments),
    }


TRACKED_MODELS = (
    Community,
    Fund,
    Membership,
    Source,
    Tranche,
    Round,
    Council,
    Term,
    Seat,
    Project,
    Installment,
    Disbursement,
    DeviationFlag,
    Requirement,
    ReportVersion,
    Submission,
    Department,
    DepartmentViewer,
)


# The tracked fields that have no translated name of their own, by name.
FIELD_NAMES = {
    "assigned_by": gettext_lazy("assigned by"),
    "cancelled_at": gettext_lazy("cancelled at"),
    "closed_at": gettext_lazy("closed at"),
    "closed_by": gettext_lazy("closed by"),
    "community": gettext_lazy("community"),
    "council": gettext_lazy("council"),
    "created_at": gettext_lazy("created at"),
    "created_by": gettext_lazy("created by"),
    "currency": gettext_lazy("currency"),
    "department": gettext_lazy("department"),
    "email_status": gettext_lazy("email status"),
    "emailed_at": gettext_lazy("emailed at"),
    "finished_at": gettext_lazy("finished at"),
    "fund": gettext_lazy("fund"),
    "holder": gettext_lazy("holder"),
    "installment": gettext_lazy("installment"),
    "ledger_transaction": gettext_lazy("ledger movement"),
    "opened_at": gettext_lazy("opened at"),
    "opened_by": gettext_lazy("opened by"),
    "paid_at": gettext_lazy("paid at"),
    "position": gettext_lazy("position"),
    "project": gettext_lazy("project"),
    "proposal": gettext_lazy("proposal"),
    "raised_at": gettext_lazy("raised at"),
    "raised_by": gettext_lazy("raised by"),
    "reconciles": gettext_lazy("reconciles with the ledger"),
    "recorded_at": gettext_lazy("recorded at"),
    "recorded_by": gettext_lazy("recorded by"),
    "report": gettext_lazy("report"),
    "requested_at": gettext_lazy("requested at"),
    "requested_by": gettext_lazy("requested by"),
    "resolved_at": gettext_lazy("resolved at"),
    "resolved_by": gettext_lazy("resolved by"),
    "source": gettext_lazy("source"),
    "submitted_by": gettext_lazy("submitted by"),
    "term": gettext_lazy("term"),
    "user": gettext_lazy("person"),
    "verified_at": gettext_lazy("verified at"),
    "verified_by": gettext_lazy("verified by"),
    "version": gettext_lazy("version"),
}


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def audit_record_choices() -> list[tuple[str, str]]:
    """The kinds of records whose history is kept, for the filter."""
    return [
        (_label(model), capfirst(model._meta.verbose_name)) for model in TRACKED_MODELS
    ]


def _history_part(model: type[Model], scope: Q) -> QuerySet:
    event_model = model.pgh_event_model
    return event_model.objects.filter(scope).annotate(
        audit_kind=F("pgh_label"),
        audit_what=Value(_label(model), output_field=CharField()),
        audit_id=Cast("pgh_id", BigIntegerField()),
        audit_object=Cast("pgh_obj_id", BigIntegerField()),
        audit_at=F("pgh_created_at"),
        audit_person=Cast(
            KeyTextTransform("user", "pgh_context__metadata"), BigIntegerField()
        ),
    )


def _login_parts(community: Community) -> list[QuerySet]:
    members = User.objects.filter(memberships__community=community).values("username")
    person = Subquery(
        User.objects.filter(username=OuterRef("username")).values("pk")[:1],
        output_field=BigIntegerField(),
    )
    common = {
        "audit_what": Value("", output_field=CharField()),
        "audit_id": Cast("pk", BigIntegerField()),
        "audit_object": Value(None, output_field=BigIntegerField()),
        "audit_at": F("attempt_time"),
        "audit_person": person,
    }
    logins = AccessLog.objects.filter(username__in=members).annotate(
        audit_kind=Value(AuditKind.LOGIN.value, output_field=CharField()), **common
    )
    failures = AccessFailureLog.objects.filter(username__in=members).annotate(
        audit_kind=Case(
            When(locked_out=True, then=Value(AuditKind.LOCKOUT.value)),
            default=Value(AuditKind.LOGIN_FAILED.value),
            output_field=CharField(),
        ),
        **common,
    )
    # The person of an unlock is the social worker who let the login in
    # again; whose login it was is its object (a user id).
    unlocks = LoginUnlock.objects.filter(community=community).annotate(
        audit_kind=Value(AuditKind.UNLOCK.value, output_field=CharField()),
        audit_what=Value("", output_field=CharField()),
        audit_id=Cast("pk", BigIntegerField()),
        audit_object=Cast("user_id", BigIntegerField()),
        audit_at=F("at"),
        audit_person=Cast("unlocked_by_id", BigIntegerField()),
    )
    return [logins, failures, unlocks]


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class AuditRecord:
    kind: str
    at: datetime.datetime
    what: str = ""
    object_id: int | None = None
    person: User | None = None
    person_id: int | None = None
    request: str = ""
    address: str = ""
    note: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return capfirst(AuditKind(self.kind).label)

    @property
    def is_login(self) -> bool:
        return self.kind in LOGIN_KINDS


@dataclass
class AuditList:
    """The records a filter selects, and the filter (for its form)."""

    community: Community
    filter: AuditFilter
    records: QuerySet
    history_recorded: bool
    # Login records' network addresses: for the community's social workers,
    # not for the departments' viewers (personal data they have no need of).
    addresses: bool = False

    def page(self, number) -> Page:
        """The page's records, read whole (`AuditRecord`)."""
        page = Paginator(self.records, AUDIT_PAGE_SIZE).get_page(number)
        page.object_list = audit_records_read(
            list(page.object_list), addresses=self.addresses
        )
        return page

    def all_records(self, chunk: int = 500) -> Iterator[AuditRecord]:
        """Every record, newest first, read in chunks of rows from one
        query (the CSV)."""
        rows = []
        for row in self.records.iterator(chunk_size=chunk):
            rows.append(row)
            if len(rows) == chunk:
                yield from audit_records_read(rows, addresses=self.addresses)
                rows = []
        yield from audit_records_read(rows, addresses=self.addresses)


def audit_list(*, community: Community, filters, addresses: bool = False) -> AuditList:
    """The community's history of changes (PostgreSQL only) and its members'
    logins, failed logins and lockouts, newest first, as `filters` select;
    the logins' network addresses only with `addresses`."""
    records = audit_record_choices()
    parts = []
    history_recorded = history_is_recorded()
    if history_recorded:
        parts += [
            _history_part(model, scope) for model, scope in _scopes(community).items()
        ]
    parts += _login_parts(community)
    parts = [
        AuditFilter(filters, queryset=part, records=records).qs.values(*COLUMNS)
        for part in parts
    ]
    union = parts[0].union(*parts[1:], all=True).order_by("-audit_at", "-audit_id")
    return AuditList(
        community=community,
        filter=AuditFilter(filters, queryset=AccessLog.objects.none(), records=records),
        records=union,
        history_recorded=history_recorded,
        addresses=addresses,
    )


def _shown(model_field, value, people: dict[int, User]) -> str:
    """A field's value as the reader knows it: choices by their label,
    people by their name, times in the app's zone."""
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        if model_field.related_model is User and value in people:
            return str(people[value])
        return f"#{value}"
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _tracked_fields(event_model) -> list:
    return [
        each
        for each in event_model._meta.fields
        if not each.name.startswith("pgh_") and each.name != "id"
    ]


def _history_rows(rows: list[dict]) -> dict[tuple[str, int], tuple]:
    """Each history row of the page with the one before it of the same object
    (None for the first), one query per kind of record."""
    found = {}
    by_model: dict[str, list[dict]] = {}
    for row in rows:
        if row["audit_kind"] not in LOGIN_KINDS:
            by_model.setdefault(row["audit_what"], []).append(row)
    models = {_label(model): model for model in TRACKED_MODELS}
    for what, wanted in by_model.items():
        event_model = models[what].pgh_event_model
        ids = {row["audit_id"] for row in wanted}
        history = event_model.objects.filter(
            pgh_obj_id__in={row["audit_object"] for row in wanted},
            pgh_id__lte=max(ids),
        ).select_related("pgh_context")
        previous = {}
        for event in history.order_by("pgh_obj_id", "pgh_id"):
            if event.pgh_id in ids:
                found[(what, event.pgh_id)] = (event, previous.get(event.pgh_obj_id))
            previous[event.pgh_obj_id] = event
    return found


def _changes(event, before, people) -> list[Change]:
    """What the change made: each field from → to; for a new row its values,
    for a deleted one the values it had."""
    changes = []
    for each in _tracked_fields(type(event)):
        now = getattr(event, each.attname)
        if event.pgh_label == AuditKind.DELETED:
            if now not in (None, ""):
                changes.append(
                    Change(_field_label(each), _shown(each, now, people), "")
                )
            continue
        if before is None:
            if now not in (None, "", [], {}):
                changes.append(
                    Change(_field_label(each), "", _shown(each, now, people))
                )
            continue
        then = getattr(before, each.attname)
        if then != now:
            changes.append(
                Change(
                    _field_label(each),
                    _shown(each, then, people),
                    _shown(each, now, people),
                )
            )
    return changes


def _field_label(model_field) -> str:
    name = model_field.verbose_name
    if not isinstance(name, Promise):
        name = FIELD_NAMES.get(model_field.name, name)
    return capfirst(str(name))


def _people_named(history: Iterable[tuple]) -> set[int]:
    ids = set()
    for event, before in history:
        for row in (event, before):
            if row is None:
                continue
            for each in _tracked_fields(type(row)):
                if each.is_relation and each.related_model is User:
                    value = getattr(row, each.attname)
                    if value is not None:
                        ids.add(value)
    return ids


def audit_records_read(
    rows: list[dict], *, addresses: bool = False
) -> list[AuditRecord]:
    """The records of these rows of `audit_list`, read whole (with the
    logins' network addresses only when `addresses`)."""
    history = _history_rows(rows)
    login_ids = [
        row["audit_id"] for row in rows if row["audit_kind"] == AuditKind.LOGIN
    ]
    failure_ids = [
        row["audit_id"]
        for row in rows
        if row["audit_kind"] in (AuditKind.LOGIN_FAILED, AuditKind.LOCKOUT)
    ]
    logins = AccessLog.objects.in_bulk(login_ids) if login_ids else {}
    failures = AccessFailureLog.objects.in_bulk(failure_ids) if failure_ids else {}
    unlock_ids = [
        row["audit_id"] for row in rows if row["audit_kind"] == AuditKind.UNLOCK
    ]
    unlocks = LoginUnlock.objects.in_bulk(unlock_ids) if unlock_ids else {}
    wanted = {row["audit_person"] for row in rows if row["audit_person"] is not None}
    wanted |= {unlock.user_id for unlock in unlocks.values()}
    wanted |= _people_named(history.values())
    people = User.objects.in_bulk(wanted) if wanted else {}
    models = {_label(model): model for model in TRACKED_MODELS}
    records = []
    for row in rows:
        record = AuditRecord(
            kind=row["audit_kind"],
            at=row["audit_at"],
            person_id=row["audit_person"],
            person=people.get(row["audit_person"]),
        )
        if row["audit_kind"] == AuditKind.UNLOCK:
            unlock = unlocks.get(row["audit_id"])
            if unlock is not None:
                record.note = _unlock_note(unlock, people)
        elif row["audit_kind"] in LOGIN_KINDS:
            log = (logins if row["audit_kind"] == AuditKind.LOGIN else failures).get(
                row["audit_id"]
            )
            if log is not None:
                record.address = (log.ip_address or "") if addresses else ""
                record.request = log.path_info
                record.note = _login_note(log)
        else:
            event, before = history.get(
                (row["audit_what"], row["audit_id"]), (None, None)
            )
            record.what = capfirst(models[row["audit_what"]]._meta.verbose_name)
            record.object_id = row["audit_object"]
            if event is not None:
                context = event.pgh_context.metadata if event.pgh_context else {}
                if context.get("url"):
                    record.request = f"{context.get('method', '')} {context['url']}"
                elif context.get("task"):
                    record.request = _("task %(name)s") % {"name": context["task"]}
                record.changes = _changes(event, before, people)
        records.append(record)
    return records


def _unlock_note(unlock: LoginUnlock, people: dict[int, User]) -> str:
    return ngettext(
        "%(name)s may log in again; %(count)d wrong password forgotten",
        "%(name)s may log in again; %(count)d wrong passwords forgotten",
        unlock.failures_forgotten,
    ) % {"name": people.get(unlock.user_id, ""), "count": unlock.failures_forgotten}


def _login_note(log) -> str:
    logout_time = getattr(log, "logout_time", None)
    if logout_time:
        return _("logged out at %(time)s") % {
            "time": date_format(timezone.localtime(logout_time), "Y-m-d H:i")
        }
    return ""
