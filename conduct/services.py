"""Writes of the buck-passing rules (the admins' rows): the admin calls
these, which check the permission, lock the row and record who and why in
the history. The record itself is read from the transfers and never
written (``conduct.selectors``)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from units.models import User

from .choices import RuleKind
from .models import ConductRule

RULE_FIELDS = (
    "name",
    "kind",
    "applies_to",
    "threshold",
    "window_days",
    "working_days",
    "is_active",
)


def _require_admin(actor: User, perm: str) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(perm):
        raise PermissionDenied(_("Chỉ quản trị viên được thay đổi quy tắc."))


@transaction.atomic
def rule_save(*, actor: User, rule: ConductRule, **values) -> ConductRule:
    """Add a rule, or change one (locked while it changes)."""
    _require_admin(
        actor, "conduct.change_conductrule" if rule.pk else "conduct.add_conductrule"
    )
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"Not a rule field: {sorted(unknown)}")
    if rule.pk:
        rule = ConductRule.objects.select_for_update().get(pk=rule.pk)
    for name, value in values.items():
        setattr(rule, name, value.strip() if isinstance(value, str) else value)
    rule.full_clean()
    rule._history_user = actor
    rule._change_reason = _("Cập nhật quy tắc") if rule.pk else _("Thêm quy tắc")
    rule.save()
    return rule


@transaction.atomic
def rule_delete(*, actor: User, rule: ConductRule) -> None:
    _require_admin(actor, "conduct.delete_conductrule")
    rule = ConductRule.objects.select_for_update().get(pk=rule.pk)
    rule._history_user = actor
    rule._change_reason = _("Xóa quy tắc")
    rule.delete()


# The rules migration 0002 seeds (its own copy stays there, as migrations do).
DEFAULT_RULES = (
    {
        "name": "Chuyển đi từ 3 nhiệm vụ trong 90 ngày",
        "kind": RuleKind.MOVES_OUT,
        "threshold": 3,
        "window_days": 90,
    },
    {"name": "Nhiệm vụ bị chuyển trở lại đơn vị đã giữ nó", "kind": RuleKind.BOUNCE},
    {
        "name": "Đẩy ngược lên cấp trên trong 2 ngày làm việc sau khi nhận",
        "kind": RuleKind.QUICK_HAND_BACK,
        "working_days": 2,
    },
)


def install_default_rules() -> None:
    """A default rule of each kind that has no rule at all (a database
    emptied by a test's flush, a demo); never changes an existing rule."""
    for spec in DEFAULT_RULES:
        if not ConductRule.objects.filter(kind=spec["kind"]).exists():
            ConductRule.objects.create(**spec)
