"""The actions of a meeting, declared once (issue 9 §5).

Each `MeetingAction` says what the live page posts (`name`), who gives it
(`giver`: the presiding officer, a member for themselves, or the community's
social worker; permissions.py says who that is), its wording (`label`), the
fields it takes (`fields`) and the event of the engine's log it builds
(`event`, with the giver's id and the fields' values: `build`). A motion is
the action "move" with a `motion`: each kind of motion takes only its own
fields (`MOTION_FIELDS`), so a page can offer the motions in order now, each
with only its fields.

The live page's form (forms.action_form), its view (views.meeting_act), the
service (services.meeting_act), the check of who gives an event
(services.meeting_event_append) and the page's list of what a person may do
now (live.console) read this table. A new action is one entry here and its
wording; the engine must know its event (ROBERTS_RULES §1).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fundapp.models import User
from fundapp.money import parse_amount
from proposals.models import Proposal

from .permissions import CHAIR, MEMBER, STAFF
from .selectors import member_id


@dataclass(frozen=True)
class ActionField:
    """A value an action takes, of one type (`kind`). Empty values stay out
    of the event, except for a field the engine always reads (`always`)."""

    name: str
    kind: type | tuple[type, ...] = str
    required: bool = False
    default: object = None
    always: bool = False

    def is_empty(self, value) -> bool:
        """None, and the nothing of text, lists and flags (not a zero)."""
        return value is None or any(
            value is nothing or (isinstance(value, str | list) and value == nothing)
            for nothing in ("", [], False)
        )


def _event_value(value):
    """A cleaned value as the event, which the engine replays from JSON, holds."""
    if isinstance(value, User):
        return member_id(value.pk)
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, Decimal):
        return str(parse_amount(value))
    return value


@dataclass(frozen=True)
class MeetingAction:
    name: str
    giver: str
    label: Promise
    # The engine's event type; None for what is not an event of the log
    # (seeking the floor joins the speakers' queue).
    event: str | None
    fields: tuple[ActionField, ...] = ()
    # Where the event names whoever gives it ("member" for a member's own
    # events, "chair" for the call to order).
    actor_key: str | None = None
    # A member's action the presiding officer is not offered (a chair does
    # not second, nor seek the floor they give).
    for_chair: bool = True

    def fields_for(self, motion: str | None = None) -> tuple[ActionField, ...]:
        """The fields this action takes (for a motion, that motion's too)."""
        if self.name != MOVE:
            return self.fields
        return self.fields + MOTION_FIELDS.get(motion, ())

    def build(self, actor: User, values: dict) -> dict:
        """The event this action makes with these (cleaned) values."""
        event = {"type": self.event}
        if self.actor_key:
            event[self.actor_key] = member_id(actor.pk)
        for field in self.fields_for(values.get("motion")):
            value = values.get(field.name)
            if field.is_empty(value):
                value = field.default
            if field.always or not field.is_empty(value):
                event[field.name] = _event_value(value)
        return event


MOVE = "move"
TEXT = ActionField("text")
AMOUNT = ActionField("amount", Decimal)
PROPOSAL = ActionField("proposal", Proposal)
APPLIES_TO = ActionField("applies_to", int)
APPLIES_TO_REQUIRED = ActionField("applies_to", int, required=True)
PREVIOUS_NOTICE = ActionField("previous_notice", bool)
UNTIL = ActionField("until", (str, int))

# The fields of each kind of motion (ROBERTS_RULES §1, `move`).
MOTION_FIELDS = {
    "fix_time_to_adjourn": (TEXT,),
    "adjourn": (),
    "recess": (TEXT,),
    "question_of_privilege": (TEXT,),
    "orders_of_the_day": (APPLIES_TO,),
    "lay_on_table": (),
    "previous_question": (),
    "limit_debate": (TEXT,),
    "postpone_definitely": (UNTIL, TEXT),
    "refer": (TEXT,),
    # `new_text`: the amended motion's whole new wording (the engine keeps
    # `text` for the amendment's own words, "strike … insert …").
    # `until`: amending a postponement's time.
    "amend": (TEXT, AMOUNT, APPLIES_TO, ActionField("new_text"), UNTIL),
    "postpone_indefinitely": (),
    "main": (TEXT, AMOUNT, PROPOSAL),
    "point_of_order": (TEXT, APPLIES_TO, ActionField("continuing", bool)),
    "appeal": (APPLIES_TO, TEXT),
    "suspend_rules": (ActionField("allows"), TEXT),
    "objection_to_consideration": (),
    "division_of_question": (
        ActionField("parts", list, required=True),
        ActionField("amounts", list),
    ),
    "division_of_assembly": (),
    "voting_method": (ActionField("method", required=True),),
    "inquiry": (TEXT,),
    "request_to_withdraw": (APPLIES_TO,),
    "take_from_table": (APPLIES_TO_REQUIRED,),
    "rescind": (APPLIES_TO_REQUIRED, PREVIOUS_NOTICE, TEXT),
    "amend_previously_adopted": (APPLIES_TO_REQUIRED, TEXT, AMOUNT, PREVIOUS_NOTICE),
    "discharge_committee": (APPLIES_TO_REQUIRED, PREVIOUS_NOTICE),
    "reconsider": (APPLIES_TO_REQUIRED,),
}

# In the order the live page offers them.
ACTIONS = {
    action.name: action
    for action in (
        MeetingAction("arrive", MEMBER, _("Check in"), "arrive", actor_key="member"),
        MeetingAction("seek_floor", MEMBER, _("Seek the floor"), None, for_chair=False),
        MeetingAction(
            "yield", MEMBER, _("Yield the floor"), "yield", actor_key="member"
        ),
        MeetingAction(
            "second",
            MEMBER,
            _("Second"),
            "second",
            actor_key="member",
            for_chair=False,
        ),
        MeetingAction(
            "speak", MEMBER, _("Speak in debate"), "speak", actor_key="member"
        ),
        MeetingAction(
            "withdraw", MEMBER, _("Withdraw my motion"), "withdraw", actor_key="member"
        ),
        MeetingAction("object", MEMBER, _("Object"), "object", actor_key="member"),
        MeetingAction(
            "call_to_order",
            CHAIR,
            _("Call to order"),
            "call_to_order",
            actor_key="chair",
        ),
        MeetingAction("state", CHAIR, _("State the question"), "state"),
        MeetingAction("no_second", CHAIR, _("No second: the motion dies"), "no_second"),
        MeetingAction("announce", CHAIR, _("Announce the result"), "announce"),
        MeetingAction("reconvene", CHAIR, _("Reconvene"), "reconvene"),
        MeetingAction(
            "leave", MEMBER, _("Leave the meeting"), "leave", actor_key="member"
        ),
        MeetingAction(
            "vote",
            MEMBER,
            _("Vote"),
            "vote",
            (ActionField("choice", required=True),),
            actor_key="member",
        ),
        MeetingAction(
            "put_question",
            CHAIR,
            _("Put the question"),
            "put_question",
            (ActionField("method", default="voice", always=True),),
        ),
        MeetingAction(
            "unanimous_consent",
            CHAIR,
            _("Ask for unanimous consent"),
            "unanimous_consent",
            (TEXT,),
        ),
        MeetingAction(
            "rule_out_of_order",
            CHAIR,
            _("Rule out of order"),
            "rule_out_of_order",
            (
                ActionField("code", default="UNTIMELY", always=True),
                ActionField("reasons", default="", always=True),
            ),
        ),
        MeetingAction(
            "rule",
            CHAIR,
            _("Rule"),
            "rule",
            (
                ActionField("reasons", default="", always=True),
                ActionField("well_taken", bool, default=False, always=True),
            ),
        ),
        MeetingAction(
            "calendar_add",
            CHAIR,
            _("Add to the calendar"),
            "consent_calendar",
            (ActionField("text", required=True), AMOUNT, PROPOSAL),
        ),
        MeetingAction(
            MOVE,
            MEMBER,
            _("Move"),
            "move",
            (ActionField("motion", required=True),),
            actor_key="member",
        ),
        MeetingAction(
            "recognise",
            CHAIR,
            _("Recognise"),
            "floor",
            (ActionField("member", User, required=True),),
        ),
        MeetingAction(
            "hand_over",
            CHAIR,
            _("Hand over the chair"),
            "chair",
            (ActionField("member", User, required=True),),
        ),
        MeetingAction(
            "call_up",
            MEMBER,
            _("Call it up"),
            "call_up",
            (APPLIES_TO_REQUIRED,),
            actor_key="member",
        ),
        MeetingAction(
            "calendar_remove",
            MEMBER,
            _("Take it off the calendar"),
            "remove_from_calendar",
            (ActionField("item", int, required=True),),
            actor_key="member",
        ),
        MeetingAction(
            "committee_report",
            CHAIR,
            _("The committee reports"),
            "committee_report",
            (APPLIES_TO_REQUIRED,),
        ),
        MeetingAction(
            "declare_interest",
            MEMBER,
            _("Declare an interest"),
            "declare_interest",
            (ActionField("proposal", Proposal, required=True), TEXT),
            actor_key="member",
        ),
        MeetingAction(
            "executed",
            STAFF,
            _("The decision was carried out"),
            "executed",
            (APPLIES_TO_REQUIRED,),
        ),
    )
}

# Who gives each event of the log, for the check of every appended event.
EVENT_GIVERS = {
    action.event: action.giver for action in ACTIONS.values() if action.event
}
