"""Demo data of the hard-task quotas, for ``manage.py seed_demo`` (called at
its end, after the units, people and tasks exist). Safe to run again: roles
already set, the period and registrations already there are left alone.

What a new user can follow:

- the year's period, with the article's quotas (3 / 2 / 1) and a
  registration deadline a week ahead, so that the first reminder step has
  come: whoever is still short finds "Nhắc đăng ký việc khó" in their bell;
- committee roles on the demo memberships — a simplification of real
  committees: the secretary and the permanent deputy secretary of the city
  committee and of each commune or ward committee under it are "thường
  trực", the heads of the committees' offices "ủy viên ban thường vụ",
  everyone else (staff, the other deputies) "cán bộ cơ sở";
- in xã Đông Anh: a deputy chairman and a deputy secretary (who led Uy Nỗ
  and thị trấn Đông Anh before the merge) who met their quota, the
  commune's chairman one short, lanhdao.dongan with one confirmed and one
  waiting for the commune's secretary, canbo.dongan's registration waiting
  for lanhdao.dongan (his "Chờ bạn xác nhận"), one refused with its reason;
  in phường Sơn Tây canbo.sontay and a deputy chairman met theirs; Tây Hồ
  and Thạch Thất registered nothing yet — the panel shows who is short.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.calendar import is_working_day, local_today
from tasks.models import Task
from units.models import CommitteeRole, Membership, User

from . import reminders, services
from .choices import STANDING_STATUSES
from .models import QuotaPeriod, Registration

# (registrant, start of the task's title, reason, decision, decided by)
# decision: "confirm", "refuse: <reason>" or None (waiting).
REGISTRATIONS = (
    (
        "loidv",
        "Giải quyết dứt điểm đơn thư kéo dài về đất đai",
        "Đơn thư kéo dài nhiều năm, liên quan hồ sơ đất đai từ trước năm 1993.",
        "confirm",
        "lanhdao.dongan",
    ),
    (
        "ngavt",
        "Xử lý dứt điểm lấn chiếm vỉa hè",
        "Tái lấn chiếm nhiều lần, cần phối hợp nhiều lực lượng.",
        "confirm",
        "lanhdao.dongan",
    ),
    (
        "sonvm",
        "Tháo gỡ vướng mắc giải phóng mặt bằng",
        "Còn hộ chưa đồng thuận phương án bồi thường; dự án trọng điểm.",
        "confirm",
        "hautd",
    ),
    (
        "lanhdao.dongan",
        "Giải quyết dứt điểm đơn thư kéo dài về đất đai",
        "Trực tiếp chỉ đạo, đối thoại với người dân tại xã.",
        "confirm",
        "hautd",
    ),
    (
        "lanhdao.dongan",
        "Rà soát danh mục nhiệm vụ trọng tâm",
        "Lần đầu lập danh mục cho toàn bộ cơ quan Huyện ủy.",
        None,
        None,
    ),
    (
        "canbo.dongan",
        "Báo cáo tỷ lệ công việc giải quyết đúng hạn",
        "Số liệu phân tán ở nhiều phòng, ban; lần đầu tổng hợp theo tháng.",
        None,
        None,
    ),
    (
        "hatt",
        "Số hóa sổ theo dõi văn bản đến",
        "Khối lượng sổ sách lớn.",
        "refuse: Việc chuyên môn thường xuyên của Văn phòng, chưa phải việc khó.",
        "thuypt",
    ),
    (
        "canbo.sontay",
        "Đôn đốc các phường, xã báo cáo kết quả",
        "Nhiều đơn vị chậm báo cáo kéo dài.",
        "confirm",
        "lanhdao.sontay",
    ),
    (
        "phuckv",
        "Xử lý dứt điểm các trường hợp xây dựng sai phép",
        "Khu di tích, nhiều trường hợp tồn tại lâu năm.",
        "confirm",
        "lanhdao.sontay",
    ),
)

# Leaders of the city committee and of the committees right under it
# (depth 2) with one of these titles are its permanent members.
STANDING_TITLES = ("Bí thư", "Phó Bí thư Thường trực")
OFFICE_KINDS = ("peoples_committee", "department")


def _role_code(membership: Membership) -> str:
    unit = membership.unit
    if (
        membership.role == "leader"
        and unit.depth <= 2
        and membership.title.startswith(STANDING_TITLES)
    ):
        return "thuong-truc"
    if membership.role == "leader" and unit.kind in OFFICE_KINDS and unit.depth == 3:
        return "uy-vien-btv"
    return "can-bo-co-so"


def _working_days_ago(today: datetime.date, count: int) -> datetime.date:
    day = today
    while count:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now() - datetime.timedelta(minutes=5))


def seed(stdout) -> None:
    from tasks.management.commands.seed_demo import acting_as, clock_at

    today = local_today()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    with transaction.atomic():
        services.install_defaults()
        roles = {role.code: role for role in CommitteeRole.objects.all()}
        set_roles = 0
        for membership in Membership.objects.filter(
            committee_role__isnull=True, role__in=("leader", "staff")
        ).select_related("unit"):
            role = roles.get(_role_code(membership))
            if role is None:
                continue
            membership.committee_role = role
            membership._history_user = admin
            membership._change_reason = _("Vai trò trong cấp ủy (dữ liệu mẫu)")
            membership.save(update_fields=["committee_role"])
            set_roles += 1

    with transaction.atomic():
        period = QuotaPeriod.objects.filter(start__lte=today, end__gte=today).first()
        if period is None:
            start = datetime.date(today.year, 1, 1)
            end = datetime.date(today.year, 12, 31)
            # A week ahead: the first reminder step (10 working days before)
            # has come, so the people still short find a reminder in their
            # bell on the first day of the demo.
            deadline = min(end, today + datetime.timedelta(days=7))
            period = services.period_create(
                actor=admin,
                name=_("Năm %(year)s") % {"year": today.year},
                start=start,
                end=end,
                registration_deadline=deadline,
            )

    users = {
        u.username: u
        for u in User.objects.filter(
            username__in={r[0] for r in REGISTRATIONS} | {r[4] for r in REGISTRATIONS}
        )
    }
    made = 0
    with transaction.atomic():
        for index, (who, title, reason, decision, decider) in enumerate(REGISTRATIONS):
            person = users.get(who)
            task = Task.objects.filter(title__startswith=title).order_by("pk").first()
            if person is None or task is None:
                continue
            if Registration.objects.filter(
                period=period, person=person, task=task
            ).exists():
                continue
            day = max(_working_days_ago(today, 6 - index % 4), period.start)
            with acting_as(person), clock_at(_moment(day, 9)):
                registration = services.registration_create(
                    actor=person, task=task, reason=reason, today=day
                )
            made += 1
            if decision is None:
                continue
            leader = users[decider]
            decided = min(_working_days_ago(today, 0), day + datetime.timedelta(days=1))
            with acting_as(leader), clock_at(_moment(decided, 14)):
                if decision == "confirm":
                    services.registration_confirm(
                        actor=leader, registration=registration
                    )
                else:
                    services.registration_refuse(
                        actor=leader,
                        registration=registration,
                        reason=decision.removeprefix("refuse: "),
                    )
    # The reminders due today, as the hourly job would write them: one line
    # in each bell (e-mailed by that job).
    reminded = reminders.quotas_scan_reminders(today=today)
    standing = Registration.objects.filter(
        period=period, status__in=STANDING_STATUSES
    ).count()
    stdout.write(
        _(
            "Việc khó: kỳ “%(name)s” (hạn đăng ký %(deadline)s); gán vai trò cấp ủy "
            "cho %(roles)s thành viên; %(made)s đăng ký mới, %(standing)s đăng ký "
            "đang tính hoặc chờ xác nhận; %(reminded)s lời nhắc đăng ký."
        )
        % {
            "name": period.name,
            "deadline": period.registration_deadline.strftime("%d/%m/%Y"),
            "roles": set_roles,
            "made": made,
            "standing": standing,
            "reminded": reminded,
        }
    )
