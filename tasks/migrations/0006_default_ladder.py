"""The default alert ladder, so that a fresh install alerts out of the box
(``tasks.alerts.DEFAULT_LADDER``).

Task deadline: due soon (N working days before, N the system's due-soon
window) to the assignee; overdue on the day to the assignee and the
accountable leader; +3 working days to the head of the lead unit and the
assigner; +10 to the committee reviewers whose scope covers the task.
Request for explanation: past its due date to the unit (assignee, leader,
head); +3 working days to the one who asked, and the head again.

Overdue alerts written before the ladder existed are attached to its
overdue step, so that they keep counting as sent.
"""

from django.db import migrations


def create_ladder(apps, schema_editor):
    from tasks.alerts import install_default_ladder

    LadderStep = apps.get_model("tasks", "LadderStep")
    Alert = apps.get_model("tasks", "Alert")
    install_default_ladder(LadderStep)
    overdue = LadderStep.objects.filter(kind="overdue").order_by("pk").first()
    old = Alert.objects.filter(step__isnull=True, kind="overdue").select_related("task")
    for alert in old:
        alert.step = overdue
        is_assignee = alert.recipient_id == alert.task.assignee_id
        alert.role = "assignee" if is_assignee else "leader"
        alert.save(update_fields=["step", "role"])


class Migration(migrations.Migration):
    dependencies = [("tasks", "0005_ladder_calendar_explanations")]

    operations = [migrations.RunPython(create_ladder, migrations.RunPython.noop)]
