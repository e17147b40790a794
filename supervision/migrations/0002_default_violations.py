"""The default catalogue of breaches (supervision/catalogue.py). Admins
change, add or switch items off in the admin."""

from django.db import migrations

from supervision.catalogue import DEFAULT_VIOLATIONS


def add_items(apps, schema_editor):
    ViolationItem = apps.get_model("supervision", "ViolationItem")
    for order, (code, text) in enumerate(DEFAULT_VIOLATIONS, start=1):
        ViolationItem.objects.get_or_create(
            code=code, defaults={"text": text, "order": order}
        )


def remove_items(apps, schema_editor):
    ViolationItem = apps.get_model("supervision", "ViolationItem")
    ViolationItem.objects.filter(
        code__in=[code for code, _text in DEFAULT_VIOLATIONS], findings__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(add_items, remove_items)]
