"""The default buck-passing rules. Admins change, add or switch them off in
the admin (Quy tắc nhận diện đùn đẩy)."""

from django.db import migrations

DEFAULT_RULES = (
    {
        "name": "Chuyển đi từ 3 nhiệm vụ trong 90 ngày",
        "kind": "moves_out",
        "threshold": 3,
        "window_days": 90,
    },
    {
        "name": "Nhiệm vụ bị chuyển trở lại đơn vị đã giữ nó",
        "kind": "bounce",
    },
    {
        "name": "Đẩy ngược lên cấp trên trong 2 ngày làm việc sau khi nhận",
        "kind": "quick_hand_back",
        "working_days": 2,
    },
)


def add_rules(apps, schema_editor):
    ConductRule = apps.get_model("conduct", "ConductRule")
    for spec in DEFAULT_RULES:
        if not ConductRule.objects.filter(kind=spec["kind"]).exists():
            ConductRule.objects.create(**spec)


def remove_rules(apps, schema_editor):
    ConductRule = apps.get_model("conduct", "ConductRule")
    ConductRule.objects.filter(name__in=[r["name"] for r in DEFAULT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("conduct", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
