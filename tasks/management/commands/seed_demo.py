"""Seed realistic demo data: the Hanoi unit tree of 2023 and its successors
after the reorganisation of 1/7/2025, demo logins, Chỉ thị 24-CT/TU with the
plans that carry it out, and tasks in every state.

The data lives in ``tasks.demo_data``. The story runs in order: the 2023
tree and its people, the work done on it until June 2025, the reorganisation
of 1/7/2025 through ``units.reorganise`` (the services an admin uses: the old
units close on 30/6/2025, their open tasks and memberships move to the
successors, with history rows), then the current work on the new units,
dated from today so that the demo always shows work due soon, overdue and
done. Every write goes through the services, each by the person who would
have done it and on the day they would have done it (see ``clock_at``), so
timelines, history and decision times read like the past, not like one
burst of seeding.

Safe to run twice: units are found by code, people by username (a person
seen before is left alone: the reorganisation has moved their seat),
directives by number and issuer, and the work section (past tasks,
reorganisation, current tasks) is skipped once the directive has tasks.
Each section is one transaction.
"""

import datetime
import time
from collections import Counter
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from appraisal import demo as appraisal_demo
from conduct import demo as conduct_demo
from directives.models import Directive, DirectiveItem
from quotas import demo as quota_demo
from supervision import demo as supervision_demo
from tasks import demo_data, services
from tasks.calendar import add_working_days, is_working_day
from tasks.choices import (
    ExtensionStatus,
    TaskStatus,
    Timeliness,
    TransferKind,
    TransferStatus,
)
from tasks.models import Task
from units.choices import Role
from units.models import Membership, Unit, UnitSuccession, User
from units.text import fold_vietnamese


def derived_username(full_name: str) -> str:
    """Given name + initials, without diacritics: "Hoàng Văn Toàn" → "toanhv"."""
    parts = fold_vietnamese(full_name).split()
    return parts[-1] + "".join(part[0] for part in parts[:-1])


def shift_working_days(day: datetime.date, count: int) -> datetime.date:
    """``count`` working days after ``day`` (before it when negative)."""
    if count >= 0:
        return add_working_days(day, count)
    current, remaining = day, -count
    while remaining:
        current -= datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def at_office(day: datetime.date, hour: int = 8, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


def month_labels(today: datetime.date) -> dict[str, str]:
    """This month and the two before it, as MM/YYYY, for task titles."""
    labels, first = {}, today.replace(day=1)
    for back in range(3):
        labels[f"m{back}"] = first.strftime("%m/%Y")
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return labels


@contextmanager
def acting_as(user: User):
    """Record ``user`` as the author of every history row written inside,
    the way HistoryRequestMiddleware does for a web request. Services set
    the task's own history user; this covers the rows they create alongside
    (progress reports) and the setup rows (units, people, directives)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


@contextmanager
def clock_at(moment: datetime.datetime):
    """Run the services as if it were ``moment``.

    Services, ``auto_now`` fields and django-simple-history all read the time
    through ``django.utils.timezone.now``; pointing it at a past moment for
    one step is what lets a demo task be assigned in September, reported on
    in October and approved the day after it was submitted. The command runs
    in a single thread and always puts the real clock back."""
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


# Steps a leader takes soon after the step before them; the others are
# spread over the time between their neighbours.
DECISION_STEPS = frozenset({"approve", "return", "extend_ok", "hand_back_ok"})


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation.
    help = (
        "Tạo dữ liệu mẫu: cây đơn vị Hà Nội, tài khoản demo, Chỉ thị 24-CT/TU với "
        "các kế hoạch thực hiện và nhiệm vụ ở mọi tình trạng. Chạy lại nhiều lần "
        "không tạo trùng."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.today = timezone.localdate()
        self._password_hash = None
        self._check_data()
        self._check_database()

        with transaction.atomic():
            admin, admin_created = self._seed_admin()
            with acting_as(admin):
                units_created = self._seed_units()
        with transaction.atomic(), acting_as(admin):
            users_created = self._seed_people(self._units())
        with transaction.atomic(), acting_as(admin):
            directives, directives_created = self._seed_directives(self._units())
        with transaction.atomic():
            tasks_created, links_created = self._seed_work(admin, directives)

        self._summary(
            units_created=units_created,
            users_created=users_created + admin_created,
            directives_created=directives_created,
            tasks_created=tasks_created,
            links_created=links_created,
            seconds=time.monotonic() - started,
        )
        quota_demo.seed(self.stdout)
        conduct_demo.seed(self.stdout)
        appraisal_demo.seed(self.stdout)
        supervision_demo.seed(self.stdout)

    # --- checks ------------------------------------------------------------

    @property
    def _unit_rows(self) -> tuple:
        return demo_data.UNITS + demo_data.UNITS_2025

    @property
    def _unit_codes(self) -> list[str]:
        return [row[0] for row in self._unit_rows]

    @property
    def _people_rows(self) -> tuple:
        return demo_data.PEOPLE + demo_data.PEOPLE_2025

    def _usernames(self) -> list[str]:
        return [row[0] or derived_username(row[1]) for row in self._people_rows]

    def _users(self) -> dict[str, User]:
        names = [*self._usernames(), demo_data.ADMIN["username"]]
        return {u.username: u for u in User.objects.filter(username__in=names)}

    def _units(self) -> dict[str, Unit]:
        return {u.code: u for u in Unit.objects.filter(code__in=self._unit_codes)}

    def _check_data(self) -> None:
        """Refuse data that would half-seed: every reference must resolve."""
        codes = set(self._unit_codes)
        usernames = self._usernames() + [demo_data.ADMIN["username"]]
        duplicates = [n for n, c in Counter(usernames).items() if c > 1]
        duplicates += [n for n, c in Counter(self._unit_codes).items() if c > 1]
        if duplicates:
            raise CommandError(f"Duplicate demo usernames or unit codes: {duplicates}")
        known_users = set(usernames)
        keys = {d["key"] for d in self._directive_specs}
        problems = []
        for row in self._unit_rows:
            if row[1] is not None and row[1] not in codes:
                problems.append(f"unit {row[0]}: parent {row[1]}")
        for row in self._people_rows:
            if row[3] not in codes:
                problems.append(f"person {row[1]}: unit {row[3]}")
        new_codes = {row[0] for row in demo_data.UNITS_2025}
        for op in demo_data.REORGANISATION:
            old = op[1] if op[0] == "merge" else [op[1]]
            new = [op[2]] if op[0] == "merge" else op[2]
            problems += [
                f"reorganisation: {c}" for c in old if c not in codes or c in new_codes
            ]
            problems += [f"reorganisation: {c}" for c in new if c not in new_codes]
        for code, username in demo_data.HEADS_2025.items():
            if code not in new_codes or username not in known_users:
                problems.append(f"head of {code}: {username}")
        problems += [
            f"new position of {u}"
            for u in demo_data.POSITIONS_2025
            if u not in known_users
        ]
        for spec in demo_data.PAST_TASKS + demo_data.TASKS:
            steps = (*spec.get("steps", ()), *spec.get("after", ()))
            refs = [spec["assignee"], spec["leader"], spec["by"]]
            refs += [s[2] for s in steps if s[0] == "transfer"]
            refs += [s[4] for s in steps if s[0] == "transfer" and s[4]]
            units = [spec["lead"], *spec.get("coord", ())]
            units += [s[1] for s in steps if s[0] == "transfer"]
            problems += [
                f"task {spec['title']}: user {u}" for u in refs if u not in known_users
            ]
            problems += [
                f"task {spec['title']}: unit {u}" for u in units if u not in codes
            ]
            if spec["doc"] not in keys:
                problems.append(f"task {spec['title']}: directive {spec['doc']}")
        missing_logins = set(demo_data.DEMO_LOGINS) - known_users
        problems += [f"demo login {name} is not defined" for name in missing_logins]
        if problems:
            raise CommandError(
                "Demo data does not hold together:\n" + "\n".join(problems)
            )

    def _check_database(self) -> None:
        """Refuse a database seeded before the 2025 reorganisation: its
        district committees hold the codes the successors now carry."""
        if (
            Unit.objects.filter(code="HN.DA", valid_from__isnull=True).exists()
            and not Unit.objects.filter(code="HN.DA-2023").exists()
        ):
            raise CommandError(
                "This database holds the demo data of an earlier version (the "
                "2023 tree without its 2025 successors). Start from an empty "
                "database (make clean, then make run) and seed again."
            )

    # --- people and units --------------------------------------------------

    @property
    def password_hash(self) -> str:
        # Hashing is deliberately slow; every demo account shares the one
        # documented password, so hash it once.
        if self._password_hash is None:
            self._password_hash = make_password(demo_data.DEMO_PASSWORD)
        return self._password_hash

    def _seed_admin(self) -> tuple[User, int]:
        spec = demo_data.ADMIN
        admin = User.objects.filter(username=spec["username"]).first()
        if admin is not None:
            return admin, 0
        admin = User(
            username=spec["username"],
            full_name=spec["full_name"],
            position=spec["position"],
            email=spec["email"],
            is_staff=True,
            is_superuser=True,
            password=self.password_hash,
        )
        admin.save()
        return admin, 1

    def _seed_units(self) -> int:
        created = 0
        existing = set(
            Unit.objects.filter(code__in=self._unit_codes).values_list(
                "code", flat=True
            )
        )
        new_codes = {row[0] for row in demo_data.UNITS_2025}
        for code, parent_code, kind, name, short_name in self._unit_rows:
            if code in existing:
                continue
            unit = Unit(code=code, kind=kind, name=name, short_name=short_name)
            if code in new_codes:
                # Founded for the reorganisation, the day before it takes effect.
                unit.valid_from = demo_data.REORGANISED_ON
                moment = at_office(demo_data.UNITS_CLOSED_ON, 16)
            else:
                moment = at_office(demo_data.DIRECTIVES[0]["issue_date"], 7)
            with clock_at(moment):
                if parent_code is None:
                    Unit.objects.add_root(instance=unit)
                else:
                    # Fetched afresh: a sorted insert may have moved the
                    # parent's path.
                    Unit.objects.add_child(
                        Unit.objects.get(code=parent_code), instance=unit
                    )
            existing.add(code)
            created += 1
        return created

    def _seed_people(self, units: dict[str, Unit]) -> int:
        """Each person with their seat: in the 2023 tree for ``PEOPLE``, in a
        new unit from 1/7/2025 for ``PEOPLE_2025``. A person already there
        is left alone, wherever the reorganisation has moved their seat."""
        created = 0
        usernames = self._usernames()
        existing = set(
            User.objects.filter(username__in=usernames).values_list(
                "username", flat=True
            )
        )
        first_2025 = len(demo_data.PEOPLE)
        for index, (username, row) in enumerate(
            zip(usernames, self._people_rows, strict=True)
        ):
            if username in existing:
                continue
            _, full_name, position, unit_code, role, title, is_head = row
            if index >= first_2025:
                moment = at_office(demo_data.REORGANISED_ON, 8)
            else:
                moment = at_office(demo_data.DIRECTIVES[0]["issue_date"], 7, 30)
            with clock_at(moment):
                user = User(
                    username=username,
                    full_name=full_name,
                    position=position,
                    email=f"{derived_username(full_name)}@{demo_data.EMAIL_DOMAIN}",
                    password=self.password_hash,
                )
                user.save()
                unit = units[unit_code]
                Membership(user=user, unit=unit, role=role, title=title).save()
                if is_head and unit.head_id is None:
                    unit.head = user
                    unit.save(update_fields=["head"])
            existing.add(username)
            created += 1
        return created

    # --- directives --------------------------------------------------------

    @property
    def _directive_specs(self) -> tuple:
        return demo_data.DIRECTIVES + demo_data.DIRECTIVES_2025

    def _seed_directives(
        self, units: dict[str, Unit]
    ) -> tuple[dict[str, Directive], int]:
        directives: dict[str, Directive] = {}
        created = 0
        for spec in self._directive_specs:
            issuer = units[spec["issuing_unit"]]
            directive = Directive.objects.filter(
                number=spec["number"], issuing_unit=issuer
            ).first()
            if directive is None:
                directive = Directive(
                    number=spec["number"],
                    kind=spec["kind"],
                    title=spec["title"],
                    summary=spec["summary"],
                    issuing_unit=issuer,
                    issue_date=spec["issue_date"],
                    parent=directives.get(spec["parent"]),
                )
                with clock_at(at_office(spec["issue_date"], 9)):
                    directive.save()
                created += 1
            have = set(directive.items.values_list("number", flat=True))
            for order, (number, content) in enumerate(spec["items"], start=1):
                if number not in have:
                    DirectiveItem(
                        directive=directive, number=number, content=content, order=order
                    ).save()
            directives[spec["key"]] = directive
        return directives, created

    # --- tasks -------------------------------------------------------------

    def day(self, value: int | datetime.date) -> datetime.date:
        if isinstance(value, datetime.date):
            return value
        return shift_working_days(self.today, value)

    def _seed_work(
        self, admin: User, directives: dict[str, Directive]
    ) -> tuple[int, int]:
        """The work on the 2023 tree, the reorganisation that hands what is
        still open to the successors, then the current work. All or
        nothing, and only once: skipped when the directive has tasks."""
        family = directives["CT24"].family_ids()
        if Task.objects.filter(directive_id__in=family).exists():
            return 0, 0
        items = {
            (item.directive_id, item.number): item
            for item in DirectiveItem.objects.filter(directive_id__in=family)
        }
        ctx = SimpleNamespace(
            units=self._units(),
            users=self._users(),
            directives=directives,
            items=items,
            months=month_labels(self.today),
        )
        past = [
            self._seed_task(spec, ctx, until=demo_data.UNITS_CLOSED_ON)
            for spec in demo_data.PAST_TASKS
        ]
        links = self._reorganise(admin)
        # Afresh: seats have moved, and each user caches their scope.
        ctx.units, ctx.users = self._units(), self._users()
        for spec, task in zip(demo_data.PAST_TASKS, past, strict=True):
            if spec.get("after"):
                self._run_steps(
                    task,
                    spec["after"],
                    self._timeline(
                        {
                            "title": spec["title"],
                            "start": demo_data.REORGANISED_ON,
                            "steps": spec["after"],
                        }
                    )[1:],
                    ctx,
                )
        for spec in demo_data.TASKS:
            self._seed_task(spec, ctx)
        return len(demo_data.PAST_TASKS) + len(demo_data.TASKS), links

    def _reorganise(self, admin: User) -> int:
        """1/7/2025 through the admin's own services, bottom-up, as the
        admin: the old units close the day before, their open tasks,
        memberships and pending requests move on, each move with its history
        row. Then the new units get their heads and the people who moved
        the names of their new posts."""
        # Imported here: the services reach into the apps that hang on units.
        from units.reorganise import merge_units, split_unit

        units = self._units()
        day = demo_data.REORGANISED_ON
        reason = demo_data.REORGANISATION_REASON
        heads: dict[str, int | None] = {}
        links = 0
        for minute, op in enumerate(demo_data.REORGANISATION):
            with acting_as(admin), clock_at(at_office(day, 7, minute)):
                if op[0] == "merge":
                    olds, new = op[1], op[2]
                    result = merge_units(
                        actor=admin,
                        predecessors=[units[code] for code in olds],
                        successor=units[new],
                        effective_date=day,
                        reason=reason,
                    )
                    heads.setdefault(new, units[olds[0]].head_id)
                else:
                    old, news = op[1], op[2]
                    result = split_unit(
                        actor=admin,
                        predecessor=units[old],
                        successors=[units[code] for code in news],
                        default_successor=units[news[0]],
                        effective_date=day,
                        reason=reason,
                    )
            links += len(result.successions)

        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[
                    *demo_data.HEADS_2025.values(),
                    *demo_data.POSITIONS_2025,
                ]
            ).prefetch_related("memberships")
        }
        heads.update(
            {code: users[name].pk for code, name in demo_data.HEADS_2025.items()}
        )
        note = _("Sắp xếp đơn vị từ %(day)s (dữ liệu mẫu)") % {
            "day": day.strftime("%d/%m/%Y")
        }
        with acting_as(admin), clock_at(at_office(day, 8)):
            for unit in Unit.objects.filter(code__in=heads):
                if heads[unit.code] and unit.head_id != heads[unit.code]:
                    unit.head_id = heads[unit.code]
                    unit._change_reason = note
                    unit.save(update_fields=["head"])
            for username, (position, title) in demo_data.POSITIONS_2025.items():
                user = users[username]
                user.position = position
                user._change_reason = note
                user.save(update_fields=["position"])
                for membership in user.memberships.all():
                    membership.title = title
                    membership._change_reason = note
                    membership.save(update_fields=["title"])
        return links

    def _seed_task(
        self, spec: dict, ctx: SimpleNamespace, until: datetime.date | None = None
    ) -> Task:
        directive = ctx.directives[spec["doc"]]
        actor = ctx.users[spec["by"]]
        steps = spec.get("steps", ())
        moments = self._timeline(spec, until=until)
        with acting_as(actor), clock_at(moments[0]):
            task = services.task_create(
                actor=actor,
                title=spec["title"].format(**ctx.months),
                description=spec["description"],
                directive=directive,
                directive_item=ctx.items.get((directive.pk, spec.get("item"))),
                lead_unit=ctx.units[spec["lead"]],
                coordinating_units=[ctx.units[c] for c in spec.get("coord", ())],
                assignee=ctx.users[spec["assignee"]],
                accountable_leader=ctx.users[spec["leader"]],
                start_date=self.day(spec["start"]),
                deadline=self.day(spec["deadline"]),
                expected_result=spec["expected"],
                is_hard=spec.get("hard", False),
                is_hot=spec.get("hot", False),
            )
        return self._run_steps(task, steps, moments[1:], ctx)

    def _run_steps(
        self,
        task: Task,
        steps: tuple,
        moments: list[datetime.datetime],
        ctx: SimpleNamespace,
    ) -> Task:
        for step, moment in zip(steps, moments, strict=True):
            task = Task.objects.select_related(
                "lead_unit", "assignee", "accountable_leader", "assigned_by"
            ).get(pk=task.pk)
            with clock_at(moment):
                self._run_step(task, step, ctx)
        return task

    def _timeline(
        self, spec: dict, until: datetime.date | None = None
    ) -> list[datetime.datetime]:
        """When the task was assigned and when each step happened.

        Submissions happen on their stated day; a leader's decision the
        working day after the step before it; any other step (progress,
        requests, transfers) is spread evenly between its neighbours, the
        last ones up to ``until`` (today unless said). Times are office
        hours, never in the future.
        """
        until = until or self.today
        steps = spec.get("steps", ())
        start = self.day(spec["start"])
        fixed = [self.day(s[1]) if s[0] == "submit" else None for s in steps]
        dates, previous, i = [start], start, 0
        while i < len(steps):
            if fixed[i] is not None:
                previous = fixed[i]
                dates.append(previous)
                i += 1
            elif steps[i][0] in DECISION_STEPS:
                previous = min(shift_working_days(previous, 1), until)
                dates.append(previous)
                i += 1
            else:
                end = i
                while (
                    end < len(steps)
                    and fixed[end] is None
                    and steps[end][0] not in DECISION_STEPS
                ):
                    end += 1
                limit = next((d for d in fixed[end:] if d is not None), until)
                span = max((limit - previous).days, 0)
                for n in range(1, end - i + 1):
                    day = previous + datetime.timedelta(days=span * n // (end - i + 1))
                    while not is_working_day(day) and day > previous:
                        day -= datetime.timedelta(days=1)
                    dates.append(day)
                previous = dates[-1]
                i = end

        real_now = timezone.now()
        moments: list[datetime.datetime] = []
        for index, day in enumerate(dates):
            # Some time between 08:00 and 15:30, the same on every run.
            minutes = (index * 137 + len(spec["title"]) * 7) % 450
            moment = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(8, 0))
                + datetime.timedelta(minutes=minutes)
            )
            if moments:
                moment = max(moment, moments[-1] + datetime.timedelta(minutes=45))
            # Nothing in the future: today's steps end just before now.
            latest = real_now - datetime.timedelta(minutes=len(dates) - index)
            moments.append(min(moment, latest))
        return moments

    def _run_step(self, task: Task, step: tuple, ctx: SimpleNamespace) -> None:
        kind, args = step[0], step[1:]
        assignee, leader, assigner = (
            task.assignee,
            task.accountable_leader,
            task.assigned_by,
        )
        if kind == "start":
            with acting_as(assignee):
                services.task_start(actor=assignee, task=task)
        elif kind == "progress":
            percent, note = args
            with acting_as(assignee):
                services.task_report_progress(
                    actor=assignee, task=task, percent=percent, note=note
                )
        elif kind == "submit":
            day, result = args
            with acting_as(assignee):
                services.task_submit(
                    actor=assignee, task=task, actual_result=result, today=self.day(day)
                )
        elif kind == "approve":
            (comment,) = args
            with acting_as(leader):
                services.task_approve(actor=leader, task=task, comment=comment)
        elif kind == "return":
            (comment,) = args
            with acting_as(leader):
                services.task_return(actor=leader, task=task, comment=comment)
        elif kind == "extend":
            day, reason = args
            with acting_as(assignee):
                services.extension_request(
                    actor=assignee, task=task, new_deadline=self.day(day), reason=reason
                )
        elif kind == "extend_ok":
            (note,) = args
            extension = task.extensions.get(status=ExtensionStatus.PENDING)
            with acting_as(leader):
                services.extension_approve(actor=leader, extension=extension, note=note)
        elif kind == "transfer":
            unit_code, to_username, reason, new_leader = args
            with acting_as(assigner):
                services.task_transfer(
                    actor=assigner,
                    task=task,
                    to_unit=ctx.units[unit_code],
                    to_assignee=ctx.users[to_username],
                    reason=reason,
                    accountable_leader=ctx.users[new_leader] if new_leader else None,
                )
        elif kind == "hand_back":
            (reason,) = args
            with acting_as(assignee):
                services.transfer_request(
                    actor=assignee,
                    task=task,
                    kind=TransferKind.HAND_BACK,
                    reason=reason,
                )
        elif kind == "hand_back_ok":
            (note,) = args
            transfer = task.transfers.get(status=TransferStatus.PENDING)
            with acting_as(assigner):
                services.transfer_approve(actor=assigner, transfer=transfer, note=note)
        elif kind == "cancel":
            (reason,) = args
            with acting_as(assigner):
                services.task_cancel(actor=assigner, task=task, reason=reason)
        else:
            raise CommandError(f"Unknown demo step {kind!r} in {task.title!r}")

    # --- summary -----------------------------------------------------------

    def _summary(self, **counts) -> None:
        write = self.stdout.write
        family = Directive.objects.filter(
            number="24-CT/TU", issuing_unit__code="HN"
        ).first()
        tasks = (
            Task.objects.filter(directive_id__in=family.family_ids())
            if family
            else Task.objects.none()
        )
        write(
            _(
                "Đơn vị: %(units)s (mới %(units_new)s). Người dùng: %(users)s (mới "
                "%(users_new)s). Văn bản: %(docs)s (mới %(docs_new)s). Nhiệm vụ: "
                "%(tasks)s (mới %(tasks_new)s)."
            )
            % {
                "units": Unit.objects.filter(code__in=self._unit_codes).count(),
                "units_new": counts["units_created"],
                "users": User.objects.filter(
                    username__in=[*self._usernames(), demo_data.ADMIN["username"]]
                ).count(),
                "users_new": counts["users_created"],
                "docs": len(family.family_ids()) if family else 0,
                "docs_new": counts["directives_created"],
                "tasks": tasks.count(),
                "tasks_new": counts["tasks_created"],
            }
        )
        if not counts["tasks_created"] and tasks.exists():
            write(_("Chỉ thị đã có nhiệm vụ: bỏ qua phần nhiệm vụ."))
        by_class = Counter(
            tasks.with_timeliness(self.today).values_list("timeliness", flat=True)
        )
        parts = [
            f"{label} {by_class.get(value, 0)}" for value, label in Timeliness.choices
        ]
        parts.append(f"{TaskStatus.CANCELLED.label} {by_class.get(None, 0)}")
        write(_("Theo thời hạn: %(parts)s.") % {"parts": ", ".join(parts)})
        write(
            _(
                "Sắp xếp đơn vị từ %(day)s: %(closed)s đơn vị cũ kết thúc hoạt động, "
                "%(links)s liên kết kế thừa (mới %(links_new)s)."
            )
            % {
                "day": demo_data.REORGANISED_ON.strftime("%d/%m/%Y"),
                "closed": Unit.objects.filter(
                    code__in=[row[0] for row in demo_data.UNITS],
                    valid_to=demo_data.UNITS_CLOSED_ON,
                ).count(),
                "links": UnitSuccession.objects.filter(
                    effective_date=demo_data.REORGANISED_ON,
                    predecessor__code__in=[row[0] for row in demo_data.UNITS],
                ).count(),
                "links_new": counts["links_created"],
            }
        )

        write(
            _("Tài khoản demo (mật khẩu %(password)s):")
            % {"password": demo_data.DEMO_PASSWORD}
        )
        logins = User.objects.filter(
            username__in=demo_data.DEMO_LOGINS
        ).prefetch_related("memberships__unit")
        by_name = {u.username: u for u in logins}
        for username in demo_data.DEMO_LOGINS:
            user = by_name.get(username)
            if user is None:
                continue
            roles = "; ".join(
                f"{Role(m.role).label} — {m.unit.name}" for m in user.memberships.all()
            ) or (_("Quản trị hệ thống") if user.is_superuser else "")
            write(f"  {username:<16} {user.full_name:<20} {roles}")
        write(_("Xong sau %(s).1f giây.") % {"s": counts["seconds"]})
