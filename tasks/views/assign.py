"""Leaders create and assign tasks: one by one with the five-rõ form, or in
bulk from an Excel file (template → upload and check → preview → confirm).

URL names: ``tasks:create``, ``tasks:assign_options`` (htmx option lists),
``tasks:import``, ``tasks:import_template``, ``tasks:import_confirm``.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from .. import imports, services
from ..forms_assign import (
    AssignOptions,
    ImportUploadForm,
    TaskAssignForm,
    apply_service_errors,
    initial_from,
)
from ..permissions import is_leader

SESSION_KEY = "tasks_import"


class LeaderRequiredMixin(LoginRequiredMixin):
    """Only a leader (someone who may assign inside a subtree) gets in;
    anyone else signed in gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_leader(request.user):
            raise PermissionDenied(_("Chỉ lãnh đạo đơn vị mới được giao nhiệm vụ."))
        return super().dispatch(request, *args, **kwargs)


# --- one task at a time ---------------------------------------------------------


class TaskCreateView(LeaderRequiredMixin, View):
    template_name = "tasks/create.html"

    def get(self, request):
        # Presets from the address (a link from a unit or directive page).
        initial = initial_from(TaskAssignForm, request.GET)
        form = TaskAssignForm(user=request.user, initial=initial)
        return self.render(form)

    def post(self, request):
        if "refresh" in request.POST:
            # Without JavaScript: redisplay with the lists of the chosen lead
            # unit and directive, keeping what was typed, without errors.
            initial = initial_from(TaskAssignForm, request.POST)
            return self.render(TaskAssignForm(user=request.user, initial=initial))
        form = TaskAssignForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                task = services.task_create(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã giao nhiệm vụ “%(title)s” cho %(person)s.")
                    % {"title": task.title, "person": task.assignee},
                )
                # A deadline on a day off is allowed, but said once more.
                for warning in getattr(form, "warnings", ()):
                    messages.warning(request, warning)
                return redirect(task.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(
            request=self.request,
            template_name=self.template_name,
            context={"form": form},
            status=status,
        )


class AssignOptionsView(LeaderRequiredMixin, View):
    """The <option>s of one select, for htmx: people of a lead unit, leaders
    of it and above, or the items of a directive. Read-only."""

    http_method_names = ["get"]
    FIELDS = {
        "assignee": ("lead_unit", "assignee_choices"),
        "accountable_leader": ("lead_unit", "leader_choices"),
        "directive_item": ("directive", "item_choices"),
    }

    def get(self, request):
        field = request.GET.get("field", "")
        if field not in self.FIELDS:
            return HttpResponseBadRequest(_("Danh sách không hợp lệ."))
        source, method = self.FIELDS[field]
        options = AssignOptions(request.user)
        choices = getattr(options, method)(request.GET.get(source) or None)
        if field == "directive_item":
            empty = _("— Không chọn mục —")
        elif field == "assignee" and not choices:
            empty = _("— Chọn đơn vị chủ trì trước —")
        else:
            empty = _("— Chọn —")
        return render(
            request,
            "tasks/partials/_assign_options.html",
            {
                "empty": empty,
                "groups": _groups(choices),
                "selected": request.GET.get(field, ""),
            },
        )


def _groups(choices) -> list[dict]:
    """Flat choices → one unlabelled group; (label, [choices]) → optgroups."""
    if choices and isinstance(choices[0][1], list):
        return [{"label": label, "options": options} for label, options in choices]
    return [{"label": "", "options": choices}]


# --- many tasks from Excel --------------------------------------------------------


def _pending(request) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("user") != request.user.pk:
        return None
    return pending


def _forget(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict) and pending.get("token"):
        imports.drop_stash(pending["token"])


class ImportView(LeaderRequiredMixin, View):
    template_name = "tasks/import.html"

    def get(self, request):
        return self.render({"form": ImportUploadForm()})

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render({"form": form}, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = imports.read_import(data, request.user)
        if not result.ok:
            return self.render(
                {"form": ImportUploadForm(), "result": result, "filename": upload.name},
                status=400,
            )
        _forget(request)
        imports.prune_stash()
        token = imports.stash_upload(data)
        request.session[SESSION_KEY] = {
            "token": token,
            "user": request.user.pk,
            "name": upload.name[:200],
            "at": timezone.now().isoformat(),
        }
        return self.render(
            {
                "form": ImportUploadForm(),
                "result": result,
                "filename": upload.name,
                "token": token,
            }
        )

    def render(self, context, status=200):
        return render(self.request, self.template_name, context, status=status)


class ImportTemplateView(LeaderRequiredMixin, View):
    http_method_names = ["get"]

    def get(self, request):
        response = HttpResponse(
            imports.build_template(request.user),
            content_type="application/vnd.openxmlformats-officedocument."
            "spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            'attachment; filename="mau-giao-nhiem-vu.xlsx"'
        )
        return response


class ImportConfirmView(LeaderRequiredMixin, View):
    """Create the checked file's tasks. The file is read from its stash and
    checked again: scope or people may have changed since the preview."""

    http_method_names = ["post"]

    def post(self, request):
        token = request.POST.get("token", "")
        pending = _pending(request)
        if pending is None or not token or token != pending.get("token"):
            raise Http404(_("Không tìm thấy tệp đang chờ xác nhận."))
        data = imports.load_stash(token)
        if data is None:
            request.session.pop(SESSION_KEY, None)
            raise Http404(_("Tệp đang chờ xác nhận đã hết hạn; hãy tải lên lại."))
        result = imports.read_import(data, request.user)
        if result.ok:
            created, errors = imports.create_tasks(request.user, result.rows)
            if not errors:
                _forget(request)
                messages.success(
                    request,
                    _("Đã giao %(count)s nhiệm vụ từ tệp “%(name)s”.")
                    % {"count": len(created), "name": pending.get("name", "")},
                )
                return redirect("home")
            result.errors = errors
            result.rows = []
        _forget(request)
        return render(
            request,
            ImportView.template_name,
            {
                "form": ImportUploadForm(),
                "result": result,
                "filename": pending.get("name", ""),
            },
            status=400,
        )


urlpatterns = [
    path("tasks/new/", TaskCreateView.as_view(), name="create"),
    path("tasks/new/options/", AssignOptionsView.as_view(), name="assign_options"),
    path("tasks/import/", ImportView.as_view(), name="import"),
    path(
        "tasks/import/template.xlsx",
        ImportTemplateView.as_view(),
        name="import_template",
    ),
    path("tasks/import/confirm/", ImportConfirmView.as_view(), name="import_confirm"),
]
