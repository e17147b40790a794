"""Every action on a task: one view class, one entry per action.

Each action is a POST form (CSRF, the task's version in a hidden field)
that calls one service and redirects to the task page. A GET only shows the
form. The order of the checks is the same for every action:

1. the task is visible to the user, else 404 (the same as a missing id);
2. the user has the role the action needs (the assignee, a leader over the
   lead unit, the assigner), else 403 — reviewers never pass;
3. the form was made from the task as it is now, else 409 with what the
   user typed kept and the latest state shown;
4. the action applies to the task now (``tasks.permissions``), else 403;
5. the form is valid, else 400 with the messages;
6. the service runs in its own transaction; ``ConflictError`` → 409,
   ``ValidationError`` → 400, ``PermissionDenied`` → 403.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from units.choices import Role
from units.scope import get_scope

from .. import forms, permissions, services
from ..choices import (
    OPEN_STATUSES,
    WORKING_STATUSES,
    ExtensionStatus,
    TaskStatus,
    TransferKind,
    TransferStatus,
)
from ..history import describe_history
from ..models import ExplanationRequest, ExtensionRequest, Task, Transfer
from ..services import ConflictError
from .mixins import HtmxLoginRequiredMixin

# --- what the page knows about a task ------------------------------------------


@dataclass(frozen=True)
class TaskState:
    """A task and its pending requests (at most one of each kind, which the
    database enforces)."""

    task: Task
    pending_extension: ExtensionRequest | None = None
    pending_transfer: Transfer | None = None
    pending_explanation: ExplanationRequest | None = None

    @classmethod
    def load(cls, task: Task) -> "TaskState":
        extension = (
            ExtensionRequest.objects.filter(task=task, status=ExtensionStatus.PENDING)
            .select_related("requested_by")
            .first()
        )
        transfer = (
            Transfer.objects.filter(task=task, status=TransferStatus.PENDING)
            .select_related("from_unit", "to_unit", "to_assignee", "requested_by")
            .first()
        )
        explanation = (
            ExplanationRequest.objects.filter(task=task, answered_at__isnull=True)
            .select_related("unit", "requested_by")
            .first()
        )
        return cls(task, extension, transfer, explanation)

    @classmethod
    def from_prefetched(
        cls, task: Task, extensions, transfers, explanations=()
    ) -> "TaskState":
        """From lists the detail page has already loaded: no query."""
        extension = next(
            (e for e in extensions if e.status == ExtensionStatus.PENDING), None
        )
        transfer = next(
            (t for t in transfers if t.status == TransferStatus.PENDING), None
        )
        explanation = next((e for e in explanations if e.answered_at is None), None)
        return cls(task, extension, transfer, explanation)


# --- who may do what ----------------------------------------------------------


def _is_assignee(user, task) -> bool:
    return task.assignee_id == user.pk


def _is_assigner_or_manager(user, task) -> bool:
    return task.assigned_by_id == user.pk or permissions.can_manage(user, task)


def _may_approve_transfer(user, state: TaskState) -> bool:
    pending = state.pending_transfer
    return (
        pending is not None
        and state.task.status in WORKING_STATUSES
        and permissions.can_manage(user, state.task)
        and (
            pending.kind == TransferKind.HAND_BACK
            or permissions.can_assign(user, pending.to_unit)
        )
    )


def _may_ask_explanation(user, task) -> bool:
    """The role: a reviewer whose scope covers the task or a leader over the
    lead unit — the one action a reviewer has (``tasks.permissions``)."""
    return task.assignee_id != user.pk and get_scope(user).covers_path(
        task.lead_unit.path, roles=(Role.LEADER, Role.REVIEWER)
    )


def _may_answer_explanation(user, task) -> bool:
    """The role, cheaply (it is asked on every task page): the assignee,
    the head of the lead unit, or a leader in its line; the exact rule — a
    leader of the unit asked — is ``permissions.can_answer_explanation``."""
    if task.assignee_id == user.pk or task.lead_unit.head_id == user.pk:
        return True
    scope = get_scope(user)
    return not scope.is_all and scope.leads(task.lead_unit)


# --- performing each action (the service call) -----------------------------


def _explanation_request(user, state, data):
    explanation = services.explanation_request(
        actor=user, task=state.task, question=data["question"]
    )
    return _("Đã yêu cầu đơn vị giải trình; hạn giải trình %(d)s.") % {
        "d": explanation.due_date.strftime("%d/%m/%Y")
    }


def _explanation_answer(user, state, data):
    services.explanation_answer(
        actor=user, explanation=state.pending_explanation, answer=data["answer"]
    )
    return _("Đã gửi giải trình.")


def _start(user, state, data):
    services.task_start(actor=user, task=state.task, expected_version=data["version"])
    return _("Đã bắt đầu thực hiện nhiệm vụ.")


def _report(user, state, data):
    report = services.task_report_progress(
        actor=user,
        task=state.task,
        percent=data["percent"],
        note=data["note"],
        files=data["files"],
        expected_version=data["version"],
    )
    return _("Đã gửi báo cáo tiến độ %(p)s%%.") % {"p": report.percent}


def _submit(user, state, data):
    services.task_submit(
        actor=user,
        task=state.task,
        actual_result=data["actual_result"],
        note=data["note"],
        files=data["files"],
        expected_version=data["version"],
    )
    return _("Đã báo cáo hoàn thành; nhiệm vụ chờ lãnh đạo xác nhận.")


def _extension_request(user, state, data):
    ext = services.extension_request(
        actor=user,
        task=state.task,
        new_deadline=data["new_deadline"],
        reason=data["reason"],
        expected_version=data["version"],
    )
    return _("Đã gửi đề nghị gia hạn đến %(d)s; chờ lãnh đạo quyết định.") % {
        "d": ext.new_deadline.strftime("%d/%m/%Y")
    }


def _hand_back(user, state, data):
    services.transfer_request(
        actor=user,
        task=state.task,
        kind=TransferKind.HAND_BACK,
        reason=data["reason"],
        expected_version=data["version"],
    )
    return _("Đã gửi đề nghị trả lại nhiệm vụ cho người giao; chờ lãnh đạo quyết định.")


def _transfer_request(user, state, data):
    transfer = services.transfer_request(
        actor=user,
        task=state.task,
        kind=TransferKind.TRANSFER,
        reason=data["reason"],
        to_unit=data["to_unit"],
        expected_version=data["version"],
    )
    return _(
        "Đã gửi đề nghị chuyển nhiệm vụ sang %(unit)s; chờ lãnh đạo quyết định."
    ) % {"unit": transfer.to_unit.name}


def _approve(user, state, data):
    services.task_approve(
        actor=user,
        task=state.task,
        comment=data["comment"],
        expected_version=data["version"],
    )
    return _("Đã xác nhận hoàn thành nhiệm vụ.")


def _return(user, state, data):
    services.task_return(
        actor=user,
        task=state.task,
        comment=data["comment"],
        expected_version=data["version"],
    )
    return _("Đã trả lại nhiệm vụ để tiếp tục thực hiện.")


def _extension_approve(user, state, data):
    ext = data["extension"]
    services.extension_approve(
        actor=user, extension=ext, note=data["note"], expected_version=data["version"]
    )
    return _("Đã chấp thuận gia hạn; hạn mới là %(d)s.") % {
        "d": ext.new_deadline.strftime("%d/%m/%Y")
    }


def _extension_reject(user, state, data):
    services.extension_reject(
        actor=user,
        extension=data["extension"],
        note=data["note"],
        expected_version=data["version"],
    )
    return _("Đã không chấp thuận đề nghị gia hạn.")


def _transfer_approve(user, state, data):
    transfer = services.transfer_approve(
        actor=user,
        transfer=data["transfer"],
        to_assignee=data.get("to_assignee"),
        note=data["note"],
        expected_version=data["version"],
    )
    return _("Đã chấp thuận; nhiệm vụ chuyển đến %(unit)s — %(person)s.") % {
        "unit": transfer.to_unit.name,
        "person": transfer.to_assignee,
    }


def _transfer_reject(user, state, data):
    services.transfer_reject(
        actor=user,
        transfer=data["transfer"],
        note=data["note"],
        expected_version=data["version"],
    )
    return _("Đã không chấp thuận đề nghị chuyển giao.")


def _transfer(user, state, data):
    # When the accountable leader does not lead the new unit, the service
    # makes the leader who moves the task answer for it.
    target = data["target"]
    services.task_transfer(
        actor=user,
        task=state.task,
        to_unit=target.unit,
        to_assignee=target.user,
        reason=data["reason"],
        expected_version=data["version"],
    )
    return _("Đã chuyển nhiệm vụ đến %(unit)s — %(person)s.") % {
        "unit": target.unit.name,
        "person": target.user,
    }


def _reassign(user, state, data):
    services.task_reassign(
        actor=user,
        task=state.task,
        assignee=data["assignee"],
        reason=data["reason"],
        expected_version=data["version"],
    )
    return _("Đã giao nhiệm vụ cho %(person)s.") % {"person": data["assignee"]}


def _cancel(user, state, data):
    services.task_cancel(
        actor=user,
        task=state.task,
        reason=data["reason"],
        expected_version=data["version"],
    )
    return _("Đã hủy nhiệm vụ.")


# --- the list of actions ------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str  # URL name (tasks:<name>)
    route: str  # under tasks/<pk>/
    label: Promise  # button and page title
    submit_label: Promise
    form_class: type
    who: Callable  # (user, task) -> bool: the role, whatever the task's state
    when: Callable  # (user, TaskState) -> bool: may use it now
    perform: Callable  # (user, TaskState, cleaned_data) -> success message
    intro: Promise | str = ""
    danger: bool = False
    pending: str = ""  # "extension" / "transfer": the request the form decides

    def url(self, task) -> str:
        return reverse(f"tasks:{self.name}", args=[task.pk])


ACTIONS: tuple[Action, ...] = (
    Action(
        name="start",
        route="start/",
        label=gettext_lazy("Bắt đầu thực hiện"),
        submit_label=gettext_lazy("Bắt đầu thực hiện"),
        form_class=forms.StartForm,
        who=_is_assignee,
        when=lambda u, s: (
            permissions.can_work_on(u, s.task) and s.task.status == TaskStatus.ASSIGNED
        ),
        perform=_start,
        intro=gettext_lazy("Nhiệm vụ chuyển sang trạng thái “Đang thực hiện”."),
    ),
    Action(
        name="report",
        route="report/",
        label=gettext_lazy("Báo cáo tiến độ"),
        submit_label=gettext_lazy("Gửi báo cáo tiến độ"),
        form_class=forms.ProgressForm,
        who=_is_assignee,
        when=lambda u, s: permissions.can_report(u, s.task),
        perform=_report,
    ),
    Action(
        name="submit",
        route="submit/",
        label=gettext_lazy("Báo cáo hoàn thành"),
        submit_label=gettext_lazy("Gửi báo cáo hoàn thành"),
        form_class=forms.SubmitForm,
        who=_is_assignee,
        when=lambda u, s: permissions.can_submit(u, s.task),
        perform=_submit,
        intro=gettext_lazy(
            "Nhiệm vụ chuyển sang “Chờ xác nhận”; lãnh đạo sẽ xác nhận hoặc trả lại."
        ),
    ),
    Action(
        name="extension_request",
        route="extension/",
        label=gettext_lazy("Đề nghị gia hạn"),
        submit_label=gettext_lazy("Gửi đề nghị gia hạn"),
        form_class=forms.ExtensionRequestForm,
        who=_is_assignee,
        when=lambda u, s: (
            permissions.can_request_extension(u, s.task) and s.pending_extension is None
        ),
        perform=_extension_request,
    ),
    Action(
        name="hand_back",
        route="hand-back/",
        label=gettext_lazy("Trả lại người giao"),
        submit_label=gettext_lazy("Gửi đề nghị trả lại"),
        form_class=forms.HandBackForm,
        who=_is_assignee,
        when=lambda u, s: (
            permissions.can_work_on(u, s.task) and s.pending_transfer is None
        ),
        perform=_hand_back,
        intro=gettext_lazy(
            "Đề nghị trả nhiệm vụ về người giao; lãnh đạo quyết định. Lý do được "
            "ghi lại trong đường đi của nhiệm vụ."
        ),
    ),
    Action(
        name="transfer_request",
        route="transfer-request/",
        label=gettext_lazy("Đề nghị chuyển đơn vị khác"),
        submit_label=gettext_lazy("Gửi đề nghị chuyển"),
        form_class=forms.TransferRequestForm,
        who=_is_assignee,
        when=lambda u, s: (
            permissions.can_work_on(u, s.task) and s.pending_transfer is None
        ),
        perform=_transfer_request,
        intro=gettext_lazy(
            "Đề nghị chuyển nhiệm vụ sang đơn vị khác; lãnh đạo quyết định. Lý do "
            "được ghi lại trong đường đi của nhiệm vụ."
        ),
    ),
    Action(
        name="approve",
        route="approve/",
        label=gettext_lazy("Xác nhận hoàn thành"),
        submit_label=gettext_lazy("Xác nhận hoàn thành"),
        form_class=forms.ApproveForm,
        who=permissions.can_manage,
        when=lambda u, s: permissions.can_decide(u, s.task),
        perform=_approve,
    ),
    Action(
        name="return",
        route="return/",
        label=gettext_lazy("Trả lại để làm tiếp"),
        submit_label=gettext_lazy("Trả lại"),
        form_class=forms.ReturnForm,
        who=permissions.can_manage,
        when=lambda u, s: permissions.can_decide(u, s.task),
        perform=_return,
    ),
    Action(
        name="extension_approve",
        route="extension/approve/",
        label=gettext_lazy("Chấp thuận gia hạn"),
        submit_label=gettext_lazy("Chấp thuận gia hạn"),
        form_class=forms.ExtensionDecisionForm,
        who=permissions.can_manage,
        when=lambda u, s: (
            s.pending_extension is not None
            and s.task.status in OPEN_STATUSES
            and permissions.can_decide_extension(u, s.task, s.pending_extension)
        ),
        perform=_extension_approve,
        pending="extension",
    ),
    Action(
        name="extension_reject",
        route="extension/reject/",
        label=gettext_lazy("Không chấp thuận gia hạn"),
        submit_label=gettext_lazy("Không chấp thuận"),
        form_class=forms.ExtensionRejectForm,
        who=permissions.can_manage,
        when=lambda u, s: (
            s.pending_extension is not None
            and permissions.can_decide_extension(u, s.task, s.pending_extension)
        ),
        perform=_extension_reject,
        pending="extension",
    ),
    Action(
        name="transfer_approve",
        route="transfer-request/approve/",
        label=gettext_lazy("Chấp thuận chuyển giao"),
        submit_label=gettext_lazy("Chấp thuận chuyển giao"),
        form_class=forms.TransferApproveForm,
        who=permissions.can_manage,
        when=_may_approve_transfer,
        perform=_transfer_approve,
        pending="transfer",
    ),
    Action(
        name="transfer_reject",
        route="transfer-request/reject/",
        label=gettext_lazy("Không chấp thuận chuyển giao"),
        submit_label=gettext_lazy("Không chấp thuận"),
        form_class=forms.TransferRejectForm,
        who=permissions.can_manage,
        when=lambda u, s: (
            s.pending_transfer is not None and permissions.can_manage(u, s.task)
        ),
        perform=_transfer_reject,
        pending="transfer",
    ),
    Action(
        name="transfer",
        route="transfer/",
        label=gettext_lazy("Chuyển đơn vị khác"),
        submit_label=gettext_lazy("Chuyển nhiệm vụ"),
        form_class=forms.TransferForm,
        who=permissions.can_manage,
        when=lambda u, s: permissions.can_transfer(u, s.task),
        perform=_transfer,
        intro=gettext_lazy(
            "Nhiệm vụ chuyển sang đơn vị và người thực hiện mới; lần chuyển này "
            "được ghi lại trong đường đi của nhiệm vụ."
        ),
    ),
    Action(
        name="reassign",
        route="reassign/",
        label=gettext_lazy("Giao lại cho người khác"),
        submit_label=gettext_lazy("Giao lại"),
        form_class=forms.ReassignForm,
        who=permissions.can_manage,
        when=lambda u, s: permissions.can_transfer(u, s.task),
        perform=_reassign,
    ),
    Action(
        name="cancel",
        route="cancel/",
        label=gettext_lazy("Hủy nhiệm vụ"),
        submit_label=gettext_lazy("Hủy nhiệm vụ"),
        form_class=forms.CancelForm,
        who=_is_assigner_or_manager,
        when=lambda u, s: permissions.can_cancel(u, s.task),
        perform=_cancel,
        danger=True,
        intro=gettext_lazy("Nhiệm vụ bị hủy không thể mở lại."),
    ),
    Action(
        name="explanation_request",
        route="explanation/",
        label=gettext_lazy("Yêu cầu giải trình"),
        submit_label=gettext_lazy("Gửi yêu cầu giải trình"),
        form_class=forms.ExplanationRequestForm,
        who=_may_ask_explanation,
        when=lambda u, s: (
            s.pending_explanation is None
            and permissions.can_request_explanation(u, s.task)
        ),
        perform=_explanation_request,
        intro=gettext_lazy(
            "Đơn vị chủ trì được yêu cầu giải trình việc chậm; quá hạn giải trình "
            "mà chưa trả lời sẽ được cảnh báo như một nhiệm vụ quá hạn."
        ),
    ),
    Action(
        name="explanation_answer",
        route="explanation/answer/",
        label=gettext_lazy("Giải trình"),
        submit_label=gettext_lazy("Gửi giải trình"),
        form_class=forms.ExplanationAnswerForm,
        who=_may_answer_explanation,
        when=lambda u, s: permissions.can_answer_explanation(
            u, s.task, s.pending_explanation
        ),
        perform=_explanation_answer,
    ),
)
ACTIONS_BY_NAME = {a.name: a for a in ACTIONS}


def available_actions(user, state: TaskState) -> list[Action]:
    """The actions whose button the user sees on the task page."""
    return [a for a in ACTIONS if a.who(user, state.task) and a.when(user, state)]


# --- the view -------------------------------------------------------------------


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class TaskActionView(HtmxLoginRequiredMixin, View):
    """One action on one task; ``action`` is set per URL."""

    action: Action = None
    http_method_names = ["get", "post", "head", "options"]
    page_template = "tasks/action_form.html"
    partial_template = "tasks/partials/_action_form.html"

    # -- loading and refusing

    def get_task(self) -> Task:
        return get_object_or_404(
            Task.objects.visible_to(self.request.user).select_related(
                "lead_unit", "assignee", "accountable_leader", "assigned_by"
            ),
            pk=self.kwargs["pk"],
        )

    def refuse(self):
        raise PermissionDenied(
            _("Bạn không thể “%(action)s” với nhiệm vụ này.")
            % {"action": self.action.label}
        )

    def make_form(self, state: TaskState, data=None, files=None):
        kwargs = {"task": state.task, "user": self.request.user}
        if self.action.pending == "extension":
            kwargs["pending"] = state.pending_extension
        elif self.action.pending == "transfer":
            kwargs["pending"] = state.pending_transfer
        return self.action.form_class(data, files, **kwargs)

    def pending_of(self, state: TaskState):
        if self.action.pending == "extension":
            return state.pending_extension
        if self.action.pending == "transfer":
            return state.pending_transfer
        return None

    def is_stale(self, state: TaskState) -> bool:
        """The form was made from an earlier state of the task: its version
        moved, or the request it decides is no longer the pending one.
        A garbled value is not stale but bad input, for the form to refuse."""
        posted = _as_int(self.request.POST.get("version"))
        if posted is not None and 1 <= posted != state.task.version:
            return True
        if self.action.pending:
            posted_pk = _as_int(self.request.POST.get(self.action.pending))
            pending = self.pending_of(state)
            if posted_pk is None or (pending is not None and pending.pk == posted_pk):
                return False
            model = ExtensionRequest if self.action.pending == "extension" else Transfer
            return model.objects.filter(task=state.task, pk=posted_pk).exists()
        return False

    # -- rendering

    def render_form(self, state: TaskState, form, *, status=200, conflict=None):
        context = {
            "task": state.task,
            "state": state,
            "action": self.action,
            "action_url": self.action.url(state.task),
            "form": form,
            "conflict": conflict,
        }
        template = self.partial_template if self.request.htmx else self.page_template
        return render(self.request, template, context, status=status)

    def conflict_response(self, state: TaskState):
        """409: the latest state of the task and what changed since the
        user's version, with what they typed kept (files must be chosen
        again: a browser cannot re-send them)."""
        posted_version = _as_int(self.request.POST.get("version")) or 0
        latest = (
            Task.objects.visible_to(self.request.user)
            .select_related(
                "lead_unit", "assignee", "accountable_leader", "assigned_by"
            )
            .filter(pk=state.task.pk)
            .first()
        )
        if latest is None:
            # The task has just moved out of the user's scope.
            raise PermissionDenied(
                _("Nhiệm vụ vừa được chuyển ra ngoài phạm vi của bạn.")
            )
        latest_state = TaskState.load(latest)
        data = self.request.POST.copy()
        data["version"] = str(latest.version)
        pending = self.pending_of(latest_state)
        if self.action.pending:
            data[self.action.pending] = str(pending.pk) if pending else ""
        form = self.make_form(latest_state, data=data)
        changes = [e for e in describe_history(latest) if e.version > posted_version]
        conflict = {
            "message": str(ConflictError(latest)),
            "task": latest,
            "changes": changes[-5:],
            "files_dropped": bool(self.request.FILES),
            "has_files": getattr(form, "has_files", False),
            "decided": bool(self.action.pending) and pending is None,
            "still_allowed": self.action.when(self.request.user, latest_state),
        }
        return self.render_form(latest_state, form, status=409, conflict=conflict)

    # -- handlers

    def get(self, request, *args, **kwargs):
        state = TaskState.load(self.get_task())
        if not (
            self.action.who(request.user, state.task)
            and self.action.when(request.user, state)
        ):
            self.refuse()
        return self.render_form(state, self.make_form(state))

    def post(self, request, *args, **kwargs):
        user = request.user
        state = TaskState.load(self.get_task())
        if not self.action.who(user, state.task):
            self.refuse()
        if self.is_stale(state):
            return self.conflict_response(state)
        if not self.action.when(user, state):
            self.refuse()
        form = self.make_form(state, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_form(state, form, status=400)
        try:
            message = self.action.perform(user, state, form.cleaned_data)
        except ConflictError:
            return self.conflict_response(state)
        except ValidationError as exc:
            self.add_service_errors(form, exc)
            return self.render_form(state, form, status=400)
        messages.success(request, message)
        url = state.task.get_absolute_url()
        if not Task.objects.visible_to(user).filter(pk=state.task.pk).exists():
            url = reverse("home")
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url)

    @staticmethod
    def add_service_errors(form, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.error_list)


urlpatterns = [
    path(
        f"tasks/<int:pk>/{action.route}",
        TaskActionView.as_view(action=action),
        name=action.name,
    )
    for action in ACTIONS
]
