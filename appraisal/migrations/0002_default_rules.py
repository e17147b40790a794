"""The rules in force on a fresh install: the score rules (version 1) and
the classification bands of Quy định 366-QĐ/TW (2025) (version 1). Admins
change them by adding new versions."""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

BANDS = [
    # level, min points, on time at least %, behind at most %, beyond at least %
    ("excellent", Decimal(90), Decimal(100), None, Decimal(30)),
    ("good", Decimal(70), Decimal(100), None, None),
    ("done", Decimal(50), None, Decimal(20), None),
    ("not_done", Decimal(0), None, None, None),
]


def create(apps, schema_editor):
    RuleSet = apps.get_model("appraisal", "RuleSet")
    ClassificationRuleSet = apps.get_model("appraisal", "ClassificationRuleSet")
    ClassificationBand = apps.get_model("appraisal", "ClassificationBand")
    now = timezone.now()
    if not RuleSet.objects.exists():
        RuleSet.objects.create(
            version=1,
            name="Mặc định",
            note="Bộ quy tắc ban đầu của hệ thống.",
            is_active=True,
            activated_at=now,
        )
    if not ClassificationRuleSet.objects.exists():
        rule_set = ClassificationRuleSet.objects.create(
            version=1,
            name="Theo Quy định 366-QĐ/TW (2025)",
            note="Các mức phân loại ban đầu của hệ thống.",
            is_active=True,
            activated_at=now,
        )
        for level, points, on_time, behind, beyond in BANDS:
            ClassificationBand.objects.create(
                rule_set=rule_set,
                level=level,
                min_points=points,
                min_on_time_pct=on_time,
                max_behind_pct=behind,
                min_beyond_pct=beyond,
            )


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
