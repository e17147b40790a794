"""The default reminders before the registration deadline: 10 and 3
working days before it. Admins change them in the admin (Lịch nhắc đăng ký
việc khó)."""

from django.db import migrations

DEFAULT_STEPS = (10, 3)


def add_steps(apps, schema_editor):
    ReminderStep = apps.get_model("quotas", "ReminderStep")
    for days in DEFAULT_STEPS:
        ReminderStep.objects.get_or_create(working_days_before=days)


def remove_steps(apps, schema_editor):
    ReminderStep = apps.get_model("quotas", "ReminderStep")
    ReminderStep.objects.filter(
        working_days_before__in=DEFAULT_STEPS, reminders__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("quotas", "0001_initial")]

    operations = [migrations.RunPython(add_steps, remove_steps)]
