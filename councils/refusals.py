"""The engine's refusal codes (ROBERTS_RULES §3.4) in words, in the user's language."""
# ruff: noqa: E501  (one message per line reads better than split strings)

from django.utils.translation import gettext_lazy as _

REFUSALS = {
    "NO_QUORUM": _(
        "There is no quorum: only adjourning, recessing or fixing a time to adjourn is in order."
    ),
    "NOT_IN_SESSION": _("The meeting is not in session."),
    "FLOOR_OCCUPIED": _("Another member has the floor; wait until they yield."),
    "VOTING_IN_PROGRESS": _(
        "A vote is being taken; this is not in order until the result is announced."
    ),
    "MAIN_WHILE_PENDING": _(
        "A main motion is in order only when no other question is pending."
    ),
    "OUT_OF_ORDER_RANK": _(
        "This motion is not in order while the pending question ranks equal or higher."
    ),
    "PREVIOUS_QUESTION_ORDERED": _(
        "Debate has been closed (previous question ordered): only a vote or laying on the table is in order."
    ),
    "TERTIARY_AMENDMENT": _("An amendment to a secondary amendment is never in order."),
    "SECOND_PRIMARY_PENDING": _(
        "A primary amendment is already pending; decide it first."
    ),
    "NOT_GERMANE": _("The amendment is not germane to the motion."),
    "NEEDS_SECOND": _("The motion needs a second before the chair can state it."),
    "IMPROPER_TABLE": _(
        "Laying on the table may not be used to kill a motion; move to postpone indefinitely instead."
    ),
    "POSTPONE_TOO_FAR": _(
        "A motion cannot be postponed beyond the next regular meeting."
    ),
    "NOT_DEBATABLE": _("This question is not debatable."),
    "SPEECH_LIMIT": _("You have used all your speeches on this question today."),
    "UNTIMELY": _("This is not in order at this time."),
    "NO_RULING": _("There is no ruling of the chair to appeal from."),
    "NOT_SUSPENDABLE": _("This rule cannot be suspended."),
    "NOT_PREVAILING_SIDE": _(
        "Only a member who voted on the prevailing side may move to reconsider."
    ),
    "RECONSIDER_TIME_LIMIT": _(
        "Reconsideration must be moved in the same session as the vote."
    ),
    "NOT_RECONSIDERABLE": _("This vote cannot be reconsidered."),
    "ALREADY_RECONSIDERED": _(
        "This question has already been reconsidered; it may be reconsidered again only after it has been amended."
    ),
    "IRREVERSIBLE": _(
        "This decision has already been carried out and cannot be undone."
    ),
    "RECONSIDER_AVAILABLE": _(
        "A motion to reconsider this vote has been made and can still be called up."
    ),
    "RENEWAL_SAME_SESSION": _(
        "A lost motion cannot be made again in the same session."
    ),
    "NO_INTERVENING_BUSINESS": _(
        "Other business must come first before this can be moved again."
    ),
    "RECUSED": _(
        "You are recused from this proposal (conflict of interest): you may not move, second or vote on it."
    ),
    "CHAIR_MUST_VACATE": _(
        "The chair is recused from this proposal and must hand the chair to another member first."
    ),
    "CHAIR_NOT_MEMBER": _("Only a voting member may do this."),
    "CHAIR_VOTE_NOT_DECISIVE": _(
        "The chair may vote only when the vote would change the result."
    ),
    "ALREADY_VOTED": _("You have already voted on this question."),
    "NOT_PRESENT": _("You must be present (checked in) to do this."),
    "METHOD_NOT_ALLOWED": _("This voting method is not allowed for this question."),
}

UNKNOWN_REFUSAL = _("The rules do not allow this now.")


def refusal_message(code: str):
    """The message for an engine code; unknown codes get a general sentence."""
    return REFUSALS.get(code, UNKNOWN_REFUSAL)
