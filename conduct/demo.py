"""Demo data of the buck-passing record, for ``manage.py seed_demo`` (called
at its end). Safe to run again: the task is found by its title.

One Đông Anh task that shows the pattern the article names: a complaint
about a makeshift rubbish point is sent from Cổ Loa to Uy Nỗ, then back to
Cổ Loa (a bounce), and Cổ Loa hands it back up to the district the next
working day (a hand-back right after arriving). Every step goes through
``tasks.services``, on its own day; the flags follow from the transfers:
the dashboards of Đông Anh and the city show them, and so do the record
pages of Cổ Loa, Uy Nỗ and the people who moved the task.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directives.models import Directive, DirectiveItem
from tasks import services
from tasks.calendar import is_working_day, local_today
from tasks.choices import TransferKind, TransferStatus
from tasks.models import Task
from units.models import Unit, User

from .services import install_default_rules

TITLE = "Giải tỏa điểm tập kết rác tự phát dưới chân cầu giáp ranh hai xã"


def _working_days_ago(today: datetime.date, count: int) -> datetime.date:
    day = today
    while count:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now() - datetime.timedelta(minutes=10))


def seed(stdout) -> None:
    from tasks.management.commands.seed_demo import acting_as, clock_at

    install_default_rules()
    if Task.objects.filter(title=TITLE).exists():
        stdout.write(_("Đùn đẩy: nhiệm vụ mẫu đã có, bỏ qua."))
        return
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=("lanhdao.dongan", "hongpt", "thanhlt", "cuongnv")
        )
    }
    units = {u.code: u for u in Unit.objects.filter(code__in=("HN.DA.CL", "HN.DA.UN"))}
    plan = Directive.objects.filter(number="112-KH/HU").first()
    if len(users) < 4 or len(units) < 2 or plan is None:
        stdout.write(_("Đùn đẩy: thiếu đơn vị hoặc người của dữ liệu mẫu, bỏ qua."))
        return
    leader, hong, thanh = users["lanhdao.dongan"], users["hongpt"], users["thanhlt"]
    co_loa, uy_no = units["HN.DA.CL"], units["HN.DA.UN"]
    today = local_today()
    day = {n: _working_days_ago(today, n) for n in (8, 9, 10, 12)}

    with transaction.atomic():
        with acting_as(leader), clock_at(_at(day[12], 8)):
            task = services.task_create(
                actor=leader,
                title=TITLE,
                description=(
                    "Người dân phản ánh điểm đổ rác tự phát gây ô nhiễm dưới chân "
                    "cầu; cần xác định địa giới, thu dọn và lắp biển cấm."
                ),
                directive=plan,
                directive_item=DirectiveItem.objects.filter(
                    directive=plan, number="4"
                ).first(),
                lead_unit=co_loa,
                assignee=hong,
                accountable_leader=leader,
                start_date=day[12],
                deadline=today + datetime.timedelta(days=10),
                expected_result="Điểm rác được thu dọn, biển cấm được lắp.",
            )
        with acting_as(leader), clock_at(_at(day[10], 9)):
            services.task_transfer(
                actor=leader,
                task=task,
                to_unit=uy_no,
                to_assignee=thanh,
                reason="Chân cầu nằm trên địa giới xã Uy Nỗ.",
            )
        with acting_as(leader), clock_at(_at(day[9], 15)):
            services.task_transfer(
                actor=leader,
                task=Task.objects.get(pk=task.pk),
                to_unit=co_loa,
                to_assignee=hong,
                reason="Uy Nỗ báo cáo: bãi rác thuộc phần đất xã Cổ Loa quản lý.",
            )
        with acting_as(hong), clock_at(_at(day[8], 10)):
            request = services.transfer_request(
                actor=hong,
                task=Task.objects.get(pk=task.pk),
                kind=TransferKind.HAND_BACK,
                reason="Xã không có kinh phí thu dọn; đề nghị huyện giao đơn vị khác.",
            )
        with acting_as(leader), clock_at(_at(day[8], 16)):
            services.transfer_approve(
                actor=leader,
                transfer=request,
                note="Huyện nhận lại, sẽ giao Phòng Tài nguyên và Môi trường.",
            )
    moves = task.transfers.filter(status=TransferStatus.DONE).count()
    stdout.write(
        _("Đùn đẩy: nhiệm vụ mẫu “%(title)s” với %(n)s lần chuyển.")
        % {"title": TITLE, "n": moves}
    )
