"""What stating, adopting or losing a motion does (§3.1, "What an adopted
motion does"), and how business is parked and brought back.

Business set aside (tabled, postponed, referred, pending at adjournment) is
kept as the main motion's `portion`: the main motion and its adhering
motions, bottom first, so it returns exactly as it left.
"""

from .motions import SUBSIDIARY
from .precedence import renewal_keys, suspension_key
from .state import (
    ADJOURNED,
    ADOPTED,
    AMENDED_AFTER_ADOPTION,
    DIED,
    LAID_ON_TABLE,
    LOST,
    MOVED,
    NOT_CONSIDERED,
    PENDING,
    POSTPONED,
    POSTPONED_INDEFINITELY,
    RECESS,
    RECONSIDERATION_PENDING,
    REFERRED,
    RESCINDED,
    RULED_OUT_OF_ORDER,
    VOTING,
    WITHDRAWN,
    Vote,
)

PARKED_STATES = (LAID_ON_TABLE, POSTPONED, REFERRED)


class EffectRules:
    """Side effects of statements and results on the meeting's state."""

    # -- statement ----------------------------------------------------------

    def _state_motion(self, motion) -> None:
        name = motion.kind.name
        if name == "division_of_assembly":
            self._divide(motion)
            return
        if name == "orders_of_the_day":
            # The chair complies on the demand of one member (§2.1 P5).
            motion.state = ADOPTED
            self._proceed_to_orders()
            return
        motion.state = PENDING
        if motion.kind.cls == SUBSIDIARY and self.stack:
            self.stack[0].subsidiary_stated = True
        elif (
            not self.stack and self.orders_declined and self.orders_declined_for is None
        ):
            # The business taken up instead of the orders of the day.
            self.orders_declined_for = motion
        self.stack.append(motion)
        if name != "suspend_rules":
            # Suspending the rules is not the business that must intervene
            # before a motion is taken from the table (34:2).
            self.business_seq += 1
        self.division_open = None

    def _dropped(self, motion) -> None:
        """A motion left the floor undecided: undo what making it did."""
        if motion.kind.name == "reconsider" and motion.decision is not None:
            decided = self.decisions[motion.decision].motion
            if decided.state == RECONSIDERATION_PENDING:
                decided.state = decided.prior_state

    # -- results ------------------------------------------------------------

    def _adopted(self, motion) -> None:
        name = motion.kind.name
        target = motion.target
        if name == "amend":
            motion.effect = (target, target.text, target.amount, target.until)
            self._replace_wording(target, motion)
            # Amended: it may be reconsidered again (§2.3 B4).
            target.reconsidered = False
        elif name == "orders_of_the_day":
            self._proceed_to_orders()
        elif name == "division_of_question":
            self._divide_question(motion)
        elif name == "suspend_rules":
            if motion.allows == "orders_of_the_day":
                if motion.target in self.orders and not self.stack:
                    self._take_up(motion.target)
            elif motion.allows is not None:
                self.suspensions.append(motion.allows)
        elif name == "fix_time_to_adjourn":
            self.adjourned_meeting_fixed = True
        elif name == "adjourn":
            self._adjourn()
        elif name == "recess":
            self.state = RECESS
            self.floor = None
        elif name == "lay_on_table":
            self._park(LAID_ON_TABLE)
            # Alive until the end of the next regular session (§2.3 B1).
            target.tabled_through = self.regular_sessions + 1
            self.tabled.append(target)
        elif name == "previous_question":
            for covered in motion.covered:
                if covered in self.stack:
                    covered.pq_ordered = motion
        elif name == "limit_debate":
            target.speech_limit = motion.speech_limit if motion.speech_limit else 1
        elif name == "postpone_definitely":
            self._park(POSTPONED)
            target.due_meeting = motion.due_meeting
            if motion.due_meeting == self.number:
                self.orders.append(target)
            else:
                self.postponed.append(target)
        elif name == "refer":
            self._park(REFERRED)
        elif name in ("postpone_indefinitely", "objection_to_consideration"):
            self._remove_from_stack(target)
            target.state = (
                POSTPONED_INDEFINITELY
                if name == "postpone_indefinitely"
                else NOT_CONSIDERED
            )
            self._bar_renewal(target)
        elif name == "voting_method":
            target.ordered_method = motion.method
        elif name == "request_to_withdraw":
            for withdrawn in self._remove_from_stack(target):
                withdrawn.state = WITHDRAWN
                self._dropped(withdrawn)
        elif name == "take_from_table":
            self.tabled.remove(target)
            self._restore(target)
        elif name == "discharge_committee":
            self._restore(target)
        elif name == "rescind":
            self.decisions[motion.decision].motion.state = RESCINDED
        elif name == "amend_previously_adopted":
            adopted = self.decisions[motion.decision].motion
            self._replace_wording(adopted, motion)
            adopted.state = AMENDED_AFTER_ADOPTION
        elif name == "reconsider":
            self._reconsider(motion)

    def _lost(self, motion) -> None:
        name = motion.kind.name
        if name == "main":
            self._bar_renewal(motion)
        elif name == "reconsider":
            earlier = self.decisions[motion.decision]
            earlier.reconsidered = True
            earlier.motion.state = earlier.motion.prior_state
        elif name == "take_from_table":
            self.failed_takes[motion.target.id] = self.business_seq
        elif name == "orders_of_the_day":
            # Two thirds preferred other business: the call is not renewed
            # until the business taken up is disposed of (§2.1 P5).
            self.orders_declined = True
            self.orders_declined_for = self._business_awaiting()
        elif name == "suspend_rules":
            self.failed_suspensions.add((self.number, suspension_key(motion)))

    def _replace_wording(self, target, amendment) -> None:
        text = amendment.new_text if amendment.new_text is not None else amendment.text
        if text:
            target.text = text
        if amendment.amount is not None:
            target.amount = amendment.amount
        if amendment.until is not None:
            target.until = amendment.until

    def _bar_renewal(self, motion) -> None:
        for key in renewal_keys(motion):
            self.renewal[key] = self.session

    def _remove_from_stack(self, motion) -> list:
        if motion not in self.stack:
            return []
        position = self.stack.index(motion)
        removed = self.stack[position:]
        del self.stack[position:]
        return removed

    def _reverse_ruling(self, appeal) -> None:
        kind, ruled, well_taken = self.rulings[appeal.applies_to]
        if kind == "out_of_order":
            ruled.state = PENDING
            self.stack.append(ruled)
            return
        target = ruled.target
        ruled.state = ADOPTED if not well_taken else LOST
        if well_taken and target is not None and target.state == RULED_OUT_OF_ORDER:
            target.state = PENDING
            self.stack.append(target)
        elif not well_taken and target is not None:
            self._rule_out(target)

    # -- parking and bringing back ------------------------------------------

    def _park(self, state: str) -> None:
        """Set the main motion and its adhering motions aside together."""
        portion = list(self.stack)
        self.stack.clear()
        main = portion[0]
        for motion in portion:
            motion.state = state
        main.portion = portion
        main.parked_meeting = self.number
        main.parked_session = self.session
        main.parked_seq = self.business_seq

    def _restore(self, main) -> None:
        main.resumed = True
        # Another question is before the council: the vote just announced
        # can no longer be divided (§2.2 I6).
        self.division_open = None
        for motion in main.portion:
            motion.state = PENDING
        self.stack.extend(main.portion)
        main.portion = []
        self.business_seq += 1

    def _take_up(self, main) -> None:
        self.orders.remove(main)
        # The orders are reached: a call declined earlier is spent.
        self.orders_declined = False
        self.orders_declined_for = None
        self._restore(main)

    def _proceed_to_orders(self) -> None:
        """Take up the first general order due (§2.1 P5). The call was in
        order only with nothing pending; a motion made and not yet stated
        was not before the council, so it is not taken up: it dies, as at an
        adjournment, and may be made again when its business is reached. A
        motion to reconsider made meanwhile is recorded, to be called up."""
        if not self.orders:
            # A division re-took the vote after the orders were reached.
            return
        for motion in self.awaiting:
            if motion.kind.name == "reconsider":
                self.reconsiderations.append(motion)
            else:
                motion.state = DIED
                self._dropped(motion)
        self.awaiting.clear()
        self._take_up(self.orders[0])

    def _business_awaiting(self):
        """The business a member has moved and the chair not yet stated,
        bottom first (a call for the orders may sit above it), or None."""
        for motion in self.awaiting:
            if motion.kind.name != "orders_of_the_day":
                return motion
        return None

    def _adjourn(self) -> None:
        """Pending business becomes unfinished business (§3.1 M23)."""
        self.state = ADJOURNED
        self.floor = None
        for motion in self.awaiting:
            motion.state = DIED
            self._dropped(motion)
        self.awaiting.clear()
        for item in self.calendar:
            self._calendar_item_to_orders(item)
        self.calendar.clear()
        if not self.stack:
            return
        kept = []
        for position, motion in enumerate(self.stack):
            if motion.kind.name == "reconsider":
                # Undecided, it may still be called up in this session (at
                # an adjourned meeting); what was applied to it dies.
                motion.state = MOVED
                self.reconsiderations.append(motion)
                for above in self.stack[position + 1 :]:
                    above.state = DIED
                break
            if motion.kind.name == "main" or motion.kind.cls in (SUBSIDIARY, "B"):
                kept.append(motion)
            else:
                motion.state = DIED
        self.stack.clear()
        if kept:
            main = kept[0]
            main.portion = kept
            main.parked_meeting = self.number
            main.parked_session = self.session
            self.orders.insert(0, main)

    def _end_session(self) -> None:
        """At the end of a session (a `new_meeting` that does not continue it):
        motions to reconsider never called up lapse, the previous question is
        exhausted, and a question on the table dies once the next regular
        session after the one it was laid there in has ended (§2.3 B1,
        §3.1 M14; RONR 17:8, 34:3). A special session in between does not
        count: it is not a regular one."""
        self._lapse_reconsiderations()
        for motion in self.motions.values():
            motion.pq_ordered = None
        if not self.session_regular:
            return
        living = []
        for main in self.tabled:
            if main.tabled_through <= self.regular_sessions:
                for motion in main.portion:
                    motion.state = DIED
            else:
                living.append(main)
        self.tabled = living

    def _tabled_alive_next_meeting(self, main) -> bool:
        """Whether a question on the table may still be taken from it at the
        next meeting of the log, as things stand: at an adjourned meeting
        (same session), or once this session is over if it is not the last
        regular session the question lives through."""
        return (
            self.adjourned_meeting_fixed
            or not self.session_regular
            or main.tabled_through > self.regular_sessions
        )

    def _open_meeting_orders(self) -> None:
        """At a new meeting: postponed items fall due."""
        due = [m for m in self.postponed if m.due_meeting <= self.number]
        if due:
            self.postponed = [m for m in self.postponed if m.due_meeting > self.number]
            self.orders.extend(due)

    # -- division and reconsideration ---------------------------------------

    def _divide(self, demand) -> None:
        """Re-take the vote just announced as a rising vote (§2.2 I6)."""
        decision = self.decisions[demand.decision]
        motion = decision.motion
        decision.superseded = True
        demand.state = ADOPTED
        if decision.adopted and motion.effect is not None:
            target, text, amount, until = motion.effect
            target.text, target.amount, target.until = text, amount, until
            motion.effect = None
        if not decision.adopted and motion.kind.name == "main":
            for key in renewal_keys(motion):
                self.renewal.pop(key, None)
        if not decision.adopted and motion.kind.name == "take_from_table":
            self.failed_takes.pop(motion.target.id, None)
        if not decision.adopted and motion.kind.name == "suspend_rules":
            self.failed_suspensions.discard((self.number, suspension_key(motion)))
        if not decision.adopted and motion.kind.name == "orders_of_the_day":
            self.orders_declined = False
            self.orders_declined_for = None
        if self.divided or self.divisions:
            self._take_back_parts(decision.undo)
        self.stack[:] = decision.undo
        motion.state = VOTING
        earlier = decision.vote
        vote = Vote(
            motion,
            motion.text,
            "rising",
            earlier.basis,
            earlier.eligible,
            earlier.present,
            self.chair,
        )
        vote.chair_votes_freely = self._small_board()
        self.vote = vote
        self.division_open = None

    def _reconsider(self, motion) -> None:
        """Bring the reconsidered motion back as just before its vote (M20)."""
        decision = self.decisions[motion.decision]
        decision.reconsidered = True
        decided = decision.motion
        name = decided.kind.name
        if decision.adopted:
            if name == "amend" and decided.effect is not None:
                target, text, amount, until = decided.effect
                target.text, target.amount, target.until = text, amount, until
                decided.effect = None
            elif name in ("lay_on_table", "postpone_definitely", "refer"):
                main = decided.target
                if main.state in PARKED_STATES and main.portion:
                    for queue in (self.tabled, self.orders, self.postponed):
                        if main in queue:
                            queue.remove(main)
                    self._restore(main)
            elif name == "previous_question":
                for covered in decided.covered:
                    covered.pq_ordered = None
            elif name == "voting_method":
                decided.target.ordered_method = None
            elif name == "postpone_indefinitely":
                main = decided.target
                main.state = PENDING
                self.stack.append(main)
                for key in renewal_keys(main):
                    self.renewal.pop(key, None)
            elif name == "objection_to_consideration":
                main = decided.target
                main.state = PENDING
                self.stack.append(main)
                for key in renewal_keys(main):
                    self.renewal.pop(key, None)
        elif name == "main":
            for key in renewal_keys(decided):
                self.renewal.pop(key, None)
        decided.state = PENDING
        decided.resumed = True
        # Its next vote is not reconsidered unless it is amended first.
        decided.reconsidered = True
        # An exhausted previous question no longer closes debate (M20).
        decided.pq_ordered = None
        self.stack.append(decided)
