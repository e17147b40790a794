"""Demo data of the buck-passing record, for ``manage.py seed_demo`` (called
at its end). Safe to run again: the task is found by its title.

One task of xã Đông Anh (the commune formed on 1/7/2025) that shows the
pattern the article names: a complaint about a makeshift rubbish point is
sent from the commune's economic department to its cultural and social
one, then back (a bounce), and the economic department hands it back up to
the commune's Party committee the next working day (a hand-back right after
arriving). Every step goes through ``tasks.services``, on its own day; the
flags follow from the transfers: the dashboards of xã Đông Anh and the city
show them, and so do the record pages of the two departments and of the
people who moved the task.
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

TITLE = "Giải tỏa điểm tập kết rác tự phát dưới chân cầu giáp ranh hai thôn"
ECONOMY, SOCIETY = "HN.DA.UBND.KT", "HN.DA.UBND.VHXH"


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
        for u in User.objects.filter(username__in=("lanhdao.dongan", "thoalt", "anhld"))
    }
    units = {u.code: u for u in Unit.objects.filter(code__in=(ECONOMY, SOCIETY))}
    plan = Directive.objects.filter(
        number="03-KH/ĐU", issuing_unit__code="HN.DA"
    ).first()
    if len(users) < 3 or len(units) < 2 or plan is None:
        stdout.write(_("Đùn đẩy: thiếu đơn vị hoặc người của dữ liệu mẫu, bỏ qua."))
        return
    leader, thoa, anh = users["lanhdao.dongan"], users["thoalt"], users["anhld"]
    economy, society = units[ECONOMY], units[SOCIETY]
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
                lead_unit=economy,
                assignee=thoa,
                accountable_leader=leader,
                start_date=day[12],
                deadline=today + datetime.timedelta(days=10),
                expected_result="Điểm rác được thu dọn, biển cấm được lắp.",
            )
        with acting_as(leader), clock_at(_at(day[10], 9)):
            services.task_transfer(
                actor=leader,
                task=task,
                to_unit=society,
                to_assignee=anh,
                reason="Vận động giữ vệ sinh khu dân cư là việc của văn hóa – xã hội.",
            )
        with acting_as(leader), clock_at(_at(day[9], 15)):
            services.task_transfer(
                actor=leader,
                task=Task.objects.get(pk=task.pk),
                to_unit=economy,
                to_assignee=thoa,
                reason="Phòng Văn hóa – Xã hội báo cáo: xử lý vi phạm môi trường "
                "thuộc Phòng Kinh tế.",
            )
        with acting_as(thoa), clock_at(_at(day[8], 10)):
            request = services.transfer_request(
                actor=thoa,
                task=Task.objects.get(pk=task.pk),
                kind=TransferKind.HAND_BACK,
                reason="Phòng không có kinh phí thu dọn; đề nghị Đảng ủy xã giao "
                "đơn vị khác.",
            )
        with acting_as(leader), clock_at(_at(day[8], 16)):
            services.transfer_approve(
                actor=leader,
                transfer=request,
                note="Đảng ủy xã nhận lại, sẽ giao UBND xã trực tiếp chỉ đạo.",
            )
    moves = task.transfers.filter(status=TransferStatus.DONE).count()
    stdout.write(
        _("Đùn đẩy: nhiệm vụ mẫu “%(title)s” với %(n)s lần chuyển.")
        % {"title": TITLE, "n": moves}
    )
