"""Names of motions, states and voting methods, in the reader's language."""

from django.utils.translation import gettext_lazy as _

MOTION_LABELS = {
    "fix_time_to_adjourn": _("Fix the time to which to adjourn"),
    "adjourn": _("Adjourn"),
    "recess": _("Recess"),
    "question_of_privilege": _("Raise a question of privilege"),
    "orders_of_the_day": _("Call for the orders of the day"),
    "lay_on_table": _("Lay on the table"),
    "previous_question": _("Previous question (close debate and vote now)"),
    "limit_debate": _("Limit or extend debate"),
    "postpone_definitely": _("Postpone to a certain time"),
    "refer": _("Refer to a committee"),
    "amend": _("Amend"),
    "postpone_indefinitely": _("Postpone indefinitely"),
    "main": _("Main motion"),
    "point_of_order": _("Point of order"),
    "appeal": _("Appeal from the decision of the chair"),
    "suspend_rules": _("Suspend the rules"),
    "objection_to_consideration": _("Objection to the consideration of the question"),
    "division_of_question": _("Divide the question"),
    "division_of_assembly": _("Division of the assembly (rising vote)"),
    "voting_method": _("Order a method of voting"),
    "inquiry": _("Parliamentary inquiry or request for information"),
    "request_to_withdraw": _("Request to withdraw a motion"),
    "take_from_table": _("Take from the table"),
    "rescind": _("Rescind"),
    "amend_previously_adopted": _("Amend something previously adopted"),
    "discharge_committee": _("Discharge a committee"),
    "reconsider": _("Reconsider"),
    "unanimous_consent": _("Unanimous consent"),
}

STATE_LABELS = {
    "MOVED": _("moved, awaiting a second"),
    "DIED_NO_SECOND": _("died for lack of a second"),
    "RULED_OUT_OF_ORDER": _("ruled out of order"),
    "PENDING": _("pending"),
    "VOTING": _("being voted on"),
    "ADOPTED": _("adopted"),
    "LOST": _("lost"),
    "WITHDRAWN": _("withdrawn"),
    "LAID_ON_TABLE": _("laid on the table"),
    "POSTPONED": _("postponed"),
    "REFERRED": _("referred to a committee"),
    "POSTPONED_INDEFINITELY": _("postponed indefinitely"),
    "NOT_CONSIDERED": _("not considered"),
    "RECONSIDERATION_PENDING": _("reconsideration pending"),
    "DIVIDED": _("divided into parts"),
    "RESCINDED": _("rescinded"),
    "AMENDED_AFTER_ADOPTION": _("amended after adoption"),
    "DIED": _("died"),
    "ANSWERED": _("answered"),
    "SCHEDULED": _("scheduled"),
    "CONVENED_NO_QUORUM": _("convened without a quorum"),
    "IN_SESSION": _("in session"),
    "RECESS": _("in recess"),
    "ADJOURNED": _("adjourned"),
    "NOT_HELD": _("not held"),
}

METHOD_LABELS = {
    "voice": _("voice vote"),
    "rising": _("rising vote"),
    "show_of_hands": _("show of hands"),
    "counted": _("counted vote"),
    "roll_call": _("roll call"),
    "ballot": _("ballot"),
    "unanimous_consent": _("unanimous consent"),
}

CHOICE_LABELS = {
    "yes": _("yes"),
    "no": _("no"),
    "abstain": _("abstain"),
    "blank": _("blank"),
    "illegal": _("illegal"),
    "ballot": _("voted by ballot"),
}

# An announced result (`decisions[i]["result"]`).
RESULT_LABELS = {
    "adopted": _("adopted"),
    "lost": _("lost"),
    "sustained": _("the chair sustained"),
    "reversed": _("the chair reversed"),
}

# What an adopted suspension of the rules allows once (I3).
ALLOWS_LABELS = {
    "main": _("renew a main motion lost at this meeting"),
    "take_from_table": _("take a motion from the table at once"),
    "orders_of_the_day": _("take up a general order out of its turn"),
}

# Business carried from an earlier meeting (the engine's `unfinished` kinds).
UNFINISHED_LABELS = {
    "order": _("general order"),
    "postponed": _("postponed to this meeting"),
    "tabled": _("on the table"),
}

BASIS_LABELS = {
    "majority": _("a majority vote"),
    "two_thirds": _("a two-thirds vote"),
}


def motion_label(name: str) -> str:
    return str(MOTION_LABELS.get(name, name))


def state_label(name: str) -> str:
    return str(STATE_LABELS.get(name, name))
