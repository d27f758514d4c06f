"""Division of a question (I5, RONR §27): one motion made of independent
parts becomes separate questions, considered one after another.

A mixin of `Engine`. The `move` of `division_of_question` carries `parts`
(at least two non-empty strings) and optionally `amounts` (one per part,
each an amount or None). When it is adopted the divided motion leaves the
stack (state DIVIDED) and its parts take its place one at a time: the next
part is put before the council as soon as the one before it has left the
floor (decided, tabled, postponed, ...), with nothing else in the way. A
part's id is the index of the event that put it before the council (the
announcement that adopted the division, then the one that decided the
previous part, ...): an event index no `move` has, so ids never collide.
"""

from .errors import OUT_OF_ORDER_RANK, Refusal
from .motions import SUBSIDIARY
from .state import (
    DIVIDED,
    IN_SESSION,
    LAID_ON_TABLE,
    PENDING,
    POSTPONED,
    REFERRED,
    VOTING,
    Motion,
    normalise_amount,
)

_UNDECIDED = frozenset({PENDING, VOTING})
# States in which the motion that divided amendments amend may come back.
_ALIVE = frozenset({PENDING, VOTING, LAID_ON_TABLE, POSTPONED, REFERRED})


class DividedQuestion:
    """The parts of one divided motion still to be taken up."""

    __slots__ = ("depth", "below", "source", "specs", "entry", "current")

    def __init__(self, depth, below, source, specs, entry):
        # Where on the stack the parts go, and the motion under them (the
        # motion an amendment's parts amend; None for a main motion's).
        self.depth: int = depth
        self.below: Motion | None = below
        self.source: Motion = source
        self.specs: list[tuple[str, str | None]] = specs
        self.entry: dict = entry
        # The part put up last: the next waits while it is still pending,
        # even when set aside (by an adjournment or the orders of the day).
        self.current: Motion | None = None


class DivisionRules:
    """`division_of_question` when adopted, and its parts' turns."""

    def _check_division_parts(self, motion, event: dict) -> None:
        """The parts must be at least two non-empty texts; `amounts`, if
        given, one amount (or None) per part."""
        parts = event.get("parts")
        if (
            not isinstance(parts, list)
            or len(parts) < 2
            or not all(isinstance(part, str) and part.strip() for part in parts)
        ):
            raise Refusal(OUT_OF_ORDER_RANK)
        amounts = event.get("amounts")
        if amounts is None:
            amounts = [None] * len(parts)
        if not isinstance(amounts, list) or len(amounts) != len(parts):
            raise Refusal(OUT_OF_ORDER_RANK)
        specs = []
        source = motion.target
        for number, (text, amount) in enumerate(zip(parts, amounts, strict=True)):
            if amount is None:
                amount = source.amount if number == 0 else None
            else:
                amount = normalise_amount(amount)
                if amount is None:
                    raise Refusal(OUT_OF_ORDER_RANK)
            specs.append((text.strip(), amount))
        motion.parts = specs

    def _divide_question(self, division) -> None:
        """Adopted: the divided motion gives way to its parts."""
        source = division.target
        if source not in self.stack:
            return
        depth = self.stack.index(source)
        del self.stack[depth:]
        source.state = DIVIDED
        entry = {
            "id": division.id,
            "divided": source.id,
            "parts": [],
            "waiting": [text for text, _amount in division.parts],
        }
        self.divisions.append(entry)
        below = self.stack[depth - 1] if depth else None
        self.divided.append(
            DividedQuestion(depth, below, source, list(division.parts), entry)
        )

    def _advance_divisions(self, index: int) -> None:
        """Put the next part before the council when its turn has come."""
        while self.divided:
            queue = self.divided[-1]
            if not queue.specs or (
                queue.below is not None and queue.below.state not in _ALIVE
            ):
                # Done, or the motion the parts amend is gone for good.
                self.divided.pop()
                continue
            if (
                (queue.current is not None and queue.current.state in _UNDECIDED)
                or self.state != IN_SESSION
                or self.vote is not None
                or self.awaiting
                or len(self.stack) != queue.depth
                or (queue.below is not None and self.stack[-1] is not queue.below)
            ):
                return
            self._put_part(index, queue)
            return

    def _put_part(self, index: int, queue) -> None:
        source = queue.source
        text, amount = queue.specs.pop(0)
        part = Motion(
            index,
            source.kind,
            source.mover,
            {"text": text, "amount": amount, "proposal": source.proposal},
        )
        part.seconder = source.seconder
        part.meeting = self.number
        part.state = PENDING
        part.part_of = queue
        part.parts = [(text, amount)]
        if source.kind.name == "amend":
            # A part of an amendment amends the same motion; its text is its
            # own wording, so adopting it changes only the amount it gives.
            part.target = source.target
            part.degree = source.degree
            part.new_text = ""
        if source.kind.cls == SUBSIDIARY and self.stack:
            self.stack[0].subsidiary_stated = True
        self.motions[index] = part
        self.stack.append(part)
        self.business_seq += 1
        queue.current = part
        queue.entry["parts"].append(index)
        queue.entry["waiting"].pop(0)

    def _take_back_parts(self, keep: list) -> None:
        """A division of the assembly re-takes a part's vote: the part put
        up after it waits again for its turn."""
        for motion in self.stack:
            if motion.part_of is not None and motion not in keep:
                queue = motion.part_of
                queue.specs.insert(0, motion.parts[0])
                queue.entry["parts"].remove(motion.id)
                queue.entry["waiting"].insert(0, motion.parts[0][0])
                queue.current = None
                del self.motions[motion.id]
                if queue not in self.divided:
                    self.divided.append(queue)
