"""Small view mixins, one job each, shared by the views of the tracker."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRequiredMixin(LoginRequiredMixin):
    """Login required; an htmx request whose session has expired sends the
    whole browser to the sign-in page (and back to the page it was on),
    instead of swapping the sign-in form into a fragment."""

    def handle_no_permission(self):
        htmx = getattr(self.request, "htmx", None)
        if htmx and not self.request.user.is_authenticated:
            login = redirect_to_login(
                htmx.current_url_abs_path or self.request.get_full_path(),
                self.get_login_url(),
                self.get_redirect_field_name(),
            )
            return HttpResponseClientRedirect(login.url)
        return super().handle_no_permission()


class HtmxPartialMixin:
    """One view serves the whole page and, for an htmx request, only the
    fragment named by ``partial_template_name``. Boosted requests and
    history restores still get the whole page."""

    partial_template_name: str | None = None

    def is_partial_request(self) -> bool:
        htmx = getattr(self.request, "htmx", None)
        return bool(htmx) and not htmx.boosted and not htmx.history_restore_request

    def get_template_names(self):
        if self.partial_template_name and self.is_partial_request():
            return [self.partial_template_name]
        return super().get_template_names()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The same URL answers with a page or a fragment: caches must tell.
        patch_vary_headers(response, ("HX-Request",))
        return response
