"""Every model that reads its choice labels from a table (fundapp.choices)
shows what Django's own `get_FOO_display()` shows, in both languages."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from fundapp.choices import ChoiceLabels
from proposals.models import Proposal

LABELLED = [
    (model, field)
    for model in apps.get_models()
    if issubclass(model, ChoiceLabels)
    for field in model._meta.concrete_fields
    if field.choices
]


def test_the_models_whose_pages_show_their_labels_read_them_from_the_table():
    names = {model.__name__ for model, _field in LABELLED}
    assert {"LedgerTransaction", "Proposal", "ProposalEvent", "Project"} <= names
    assert len(LABELLED) >= 30


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("model", "field"), LABELLED, ids=[f"{m.__name__}.{f.name}" for m, f in LABELLED]
)
def test_a_label_is_djangos_for_every_choice_and_the_value_for_any_other(
    model, field, language
):
    display = getattr(model, f"get_{field.name}_display")
    with translation.override(language):
        for value, _label in [*field.flatchoices, ("not-a-choice", None), (None, None)]:
            row = model(**{field.attname: value})
            assert display(row) == models.Model._get_FIELD_display(row, field)
            assert type(display(row)) is type(
                models.Model._get_FIELD_display(row, field)
            )


def test_a_label_follows_the_readers_language():
    proposal = Proposal(status=Proposal.Status.SUBMITTED)

    with translation.override("en"):
        english = proposal.get_status_display()
    with translation.override("zh-hans"):
        chinese = proposal.get_status_display()

    assert english == "submitted"
    assert chinese == "已提交"
