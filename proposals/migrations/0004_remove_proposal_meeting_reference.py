"""A proposal no longer names its meeting: the council's agenda item links it.

Nothing is lost: the meeting each proposal was placed for is the reason of its
"placed on the agenda" event, and councils' agenda items hold the proposal
(councils 0004, which runs before this migration).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0003_proposal_list_version_index"),
    ]

    operations = [
        migrations.RemoveField(model_name="proposal", name="meeting_reference"),
    ]
