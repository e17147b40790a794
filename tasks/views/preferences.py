"""Cách nhận cảnh báo: each signed-in person chooses how alert e-mails
reach them (one mail per alert, one digest a day at an hour, or none).

The page only ever reads and writes the preference of ``request.user``:
there is no id in the URL and nothing posted names a person, so nobody can
see or change someone else's. A GET writes nothing (the default is shown
until the first save). A valid POST saves and redirects back to the page
(an htmx request is sent there with ``HX-Redirect``); bad input is a 400
with the messages and what was chosen kept, for htmx only the form.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from ..choices import EmailMode
from ..forms_preferences import (
    AlertPreferenceForm,
    alert_preference_set,
    current_preference,
    hour_label,
)
from .mixins import HtmxLoginRequiredMixin


def saved_message(mode: str, hour: int) -> str:
    if mode == EmailMode.DIGEST:
        return _(
            "Đã lưu: bạn nhận một thư tổng hợp mỗi ngày lúc %(hour)s (giờ Hà Nội)."
        ) % {"hour": hour_label(hour)}
    if mode == EmailMode.OFF:
        return _(
            "Đã lưu: bạn không nhận thư cảnh báo, trừ các cảnh báo vượt cấp luôn "
            "được gửi ngay."
        )
    return _("Đã lưu: bạn nhận thư ngay cho từng cảnh báo.")


class AlertPreferenceView(HtmxLoginRequiredMixin, View):
    http_method_names = ["get", "post", "head", "options"]
    template_name = "tasks/preferences.html"
    partial_name = "tasks/preferences.html#preference-form"

    def render_page(self, form, *, status=200):
        template = self.template_name
        htmx = self.request.htmx
        if htmx and not htmx.boosted:
            template = self.partial_name
        context = {
            "form": form,
            "preference": form.preference,
            "form_url": reverse("tasks:alert_preferences"),
        }
        return render(self.request, template, context, status=status)

    def get(self, request, *args, **kwargs):
        preference = current_preference(request.user)
        return self.render_page(AlertPreferenceForm(preference=preference))

    def post(self, request, *args, **kwargs):
        preference = current_preference(request.user)
        form = AlertPreferenceForm(request.POST, preference=preference)
        if not form.is_valid():
            return self.render_page(form, status=400)
        mode = form.cleaned_data["email_mode"]
        hour = form.cleaned_data["digest_hour"]
        try:
            alert_preference_set(user=request.user, email_mode=mode, digest_hour=hour)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field, errors)
            return self.render_page(form, status=400)
        messages.success(request, saved_message(mode, hour))
        url = reverse("tasks:alert_preferences")
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url)


urlpatterns = [
    path(
        "notifications/preferences/",
        AlertPreferenceView.as_view(),
        name="alert_preferences",
    ),
]
