"""What the accountability pages share: rendering a page or, for htmx, the
fragment of its form; the redirect after a successful POST; turning a
service's refusal into the form's messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

from tasks.views.mixins import HtmxLoginRequiredMixin  # noqa: F401 — re-exported


def is_fragment(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(request, template, context, *, partial=None, status=200):
    """The whole page, or for htmx only the named partial of it."""
    name = f"{template}#{partial}" if partial and is_fragment(request) else template
    response = render(request, name, context, status=status)
    response["Vary"] = "HX-Request"
    return response


def done(request, url, message):
    messages.success(request, message)
    if getattr(request, "htmx", None):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: field messages on their
    fields (or the form when it has no such field), the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
