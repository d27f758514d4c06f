"""What submitting a proposal needs, and the wizard's step that asks for it.

The wizard's forms label each of these fields with these words, and never
as optional; the refusal of an incomplete proposal names each missing field
the same way and links to its step (`Problem.step`).
"""

from django.utils.translation import gettext_lazy as _

# field: (the wizard's step, its label there)
NEEDED_FIELDS = {
    "title": ("problem", _("Title")),
    "category": ("problem", _("Category")),
    "problem": ("problem", _("What is the problem?")),
    "affected": ("problem", _("Who is affected, and how many?")),
    "evidence": ("problem", _("What shows it (evidence)?")),
    "activities": ("plan", _("Activities")),
    "schedule": ("plan", _("Schedule")),
    "place": ("plan", _("Place")),
    "volunteers": ("plan", _("How will residents take part as volunteers?")),
}


class Problem(str):
    """One sentence of what keeps a proposal from being submitted, with the
    wizard's step where it is put right (None: nothing in the wizard)."""

    step: str | None

    def __new__(cls, text, step: str | None = None):
        problem = super().__new__(cls, text)
        problem.step = step
        return problem


def label(name: str):
    """The wizard's label of a field submission needs."""
    return NEEDED_FIELDS[name][1]


def step_of(name: str) -> str:
    return NEEDED_FIELDS[name][0]
