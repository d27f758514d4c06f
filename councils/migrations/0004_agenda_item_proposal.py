"""An agenda item links its proposal with a foreign key, not a bare id.

The data migration copies each `proposal_pk` into `proposal`; an id whose
proposal no longer exists (nothing deletes proposals, but a bare integer
could never promise it) would break the new constraint, so it is refused
with its item named rather than dropped silently.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_proposals(apps, schema_editor):
    AgendaItem = apps.get_model("councils", "AgendaItem")
    Proposal = apps.get_model("proposals", "Proposal")
    items = AgendaItem.objects.filter(proposal_pk__isnull=False)
    dangling = items.exclude(
        proposal_pk__in=Proposal.objects.values_list("pk", flat=True)
    ).values_list("pk", "proposal_pk")
    for item_pk, proposal_pk in dangling:
        raise RuntimeError(
            f"Agenda item {item_pk} names proposal {proposal_pk}, which does not exist."
        )
    items.update(proposal_id=models.F("proposal_pk"))


def unlink_proposals(apps, schema_editor):
    AgendaItem = apps.get_model("councils", "AgendaItem")
    AgendaItem.objects.update(proposal_pk=models.F("proposal_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0003_meeting_log_carried"),
        ("proposals", "0003_proposal_list_version_index"),
    ]
    run_before = [("proposals", "0004_remove_proposal_meeting_reference")]

    operations = [
        migrations.RemoveConstraint(
            model_name="agendaitem", name="agenda_proposal_once"
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="proposal",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agenda_items",
                to="proposals.proposal",
            ),
        ),
        migrations.RunPython(link_proposals, unlink_proposals),
        migrations.RemoveField(model_name="agendaitem", name="proposal_pk"),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("proposal__isnull", False)),
                fields=("meeting", "proposal"),
                name="agenda_proposal_once",
            ),
        ),
    ]
