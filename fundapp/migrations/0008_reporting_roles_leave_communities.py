"""Department viewers and program officers no longer hold a role in one
community: they are attached to their department or donor program in the
reports app (issue 11, point 1). Their old community memberships meant
nothing any more and are removed."""

from django.db import migrations, models

GONE = ["department_viewer", "program_officer"]
ROLES = [
    ("resident", "resident"),
    ("councillor", "councillor"),
    ("coordinator", "coordinator"),
    ("social_worker", "social worker"),
    ("fund_committee", "fund committee member"),
    ("evaluator", "evaluator"),
]


def remove_reporting_memberships(apps, schema_editor):
    Membership = apps.get_model("fundapp", "Membership")
    Membership.objects.filter(role__in=GONE).delete()


class Migration(migrations.Migration):
    dependencies = [("fundapp", "0007_balances_kept_by_the_database")]

    operations = [
        migrations.RunPython(remove_reporting_memberships, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="membership", name="membership_role_known"),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(choices=ROLES, max_length=24, verbose_name="role"),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", [value for value, _label in ROLES])),
                name="membership_role_known",
            ),
        ),
    ]
