"""How a person chooses to receive alert e-mails: the form of the page
"Cách nhận cảnh báo", and the one function that saves the choice.

What each choice does is what ``tasks.alerts`` does when it sends:

- immediate: each ledger alert (due soon, overdue, escalation, late
  explanation) is e-mailed by the send job that each scan enqueues;
- digest: those alerts wait for one mail a day, at the chosen Hanoi hour;
- off: no mail, the alerts stay in the app.

Whatever the choice, an escalation addressed to the person as a leader
(``LEADER_ROLES``) is ``mandatory`` and e-mailed at once. Notifications of
events (assigned, returned…) are never e-mailed.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import EmailMode
from .models import AlertPreference

HOURS = range(24)

MODE_HELP = {
    EmailMode.IMMEDIATE: _(
        "Mỗi cảnh báo một thư, gửi ngay khi hệ thống ghi nhận cảnh báo (hệ thống "
        "rà soát hạn của các nhiệm vụ 15 phút một lần)."
    ),
    EmailMode.DIGEST: _(
        "Một thư mỗi ngày, vào khoảng giờ bạn chọn dưới đây (giờ Hà Nội), gộp mọi "
        "cảnh báo chưa được gửi thư tính đến giờ đó. Ngày không có cảnh báo thì "
        "không có thư."
    ),
    EmailMode.OFF: _(
        "Không nhận thư. Cảnh báo vẫn hiện ở mục Thông báo (biểu tượng chuông) khi "
        "bạn đăng nhập."
    ),
}

MODE_ERROR = _(
    "Hãy chọn một trong ba cách: gửi thư ngay, một thư tổng hợp mỗi ngày, hoặc "
    "không gửi thư."
)
HOUR_ERROR = _(
    "Giờ nhận thư tổng hợp phải là một giờ tròn từ 0 đến 23 (giờ Hà Nội), "
    "ví dụ 7 cho 07:00."
)


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


def current_preference(user) -> AlertPreference:
    """The user's saved choice, or the default one (not saved: a page that
    only shows the choice writes nothing)."""
    found = AlertPreference.objects.filter(user=user).first()
    return found or AlertPreference(user=user)


def alert_preference_set(*, user, email_mode: str, digest_hour: int) -> AlertPreference:
    """Save how ``user`` receives alert e-mails: one row per person, made on
    the first save, locked while it changes (``update_or_create`` selects it
    ``FOR UPDATE`` in its own transaction). The send jobs read the row when
    they run, so the choice applies from the next send on.

    Refuses (``ValidationError``, in Vietnamese) a mode that does not exist
    or an hour outside 0–23; the database refuses them too.
    """
    errors = {}
    if email_mode not in EmailMode.values:
        errors["email_mode"] = MODE_ERROR
    if not isinstance(digest_hour, int) or digest_hour not in HOURS:
        errors["digest_hour"] = HOUR_ERROR
    if errors:
        raise ValidationError(errors)
    preference, _created = AlertPreference.objects.update_or_create(
        user=user, defaults={"email_mode": email_mode, "digest_hour": digest_hour}
    )
    return preference


class AlertPreferenceForm(forms.Form):
    """The three ways to receive alert e-mails and the digest hour. The hour
    may be left out unless the digest is chosen: the saved one is kept."""

    email_mode = forms.ChoiceField(
        label=_("Cách nhận thư cảnh báo"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": MODE_ERROR, "invalid_choice": MODE_ERROR},
    )
    digest_hour = forms.IntegerField(
        label=_("Giờ nhận thư tổng hợp (giờ Hà Nội)"),
        required=False,
        min_value=0,
        max_value=23,
        widget=forms.Select(choices=[(h, hour_label(h)) for h in HOURS]),
        help_text=_("Chỉ dùng khi bạn chọn một thư tổng hợp mỗi ngày."),
        error_messages={
            "invalid": HOUR_ERROR,
            "min_value": HOUR_ERROR,
            "max_value": HOUR_ERROR,
        },
    )

    def __init__(self, *args, preference: AlertPreference, **kwargs):
        self.preference = preference
        kwargs.setdefault(
            "initial",
            {
                "email_mode": preference.email_mode,
                "digest_hour": preference.digest_hour,
            },
        )
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @property
    def mode_options(self) -> list[tuple]:
        """(radio, what the choice does) for each choice, in order."""
        return [(radio, MODE_HELP[radio.data["value"]]) for radio in self["email_mode"]]

    def clean(self):
        data = super().clean()
        mode = data.get("email_mode")
        if data.get("digest_hour") is None and "digest_hour" not in self.errors:
            if mode == EmailMode.DIGEST:
                self.add_error(
                    "digest_hour", _("Hãy chọn giờ nhận thư tổng hợp (0–23).")
                )
            else:
                data["digest_hour"] = self.preference.digest_hour
        return data
