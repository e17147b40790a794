"""factory_boy factories for the domain. Tasks are built through the
service (``task_create``) where a test needs a real assignment; the plain
factory is for query-count and scale tests."""

import datetime

import factory
from django.utils import timezone

from directives.choices import DirectiveKind
from directives.models import Directive, DirectiveItem
from tasks.models import Task
from units.choices import Role, UnitKind
from units.models import Membership, Unit, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("matkhau-demo-123")


def make_unit(
    name: str, *, parent: Unit | None = None, kind=UnitKind.DEPARTMENT, code=None
):
    code = code or f"U{Unit.objects.count() + 1}-{name[:10]}"
    if parent is None:
        return Unit.objects.add_root(
            create_kwargs=dict(name=name, code=code, kind=kind)
        )
    parent.refresh_from_db()
    return Unit.objects.add_child(
        parent, create_kwargs=dict(name=name, code=code, kind=kind)
    )


def add_member(user: User, unit: Unit, role=Role.STAFF) -> Membership:
    return Membership.objects.create(user=user, unit=unit, role=role)


class DirectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directive

    number = factory.Sequence(lambda n: f"{n}-CT/TU")
    kind = DirectiveKind.DIRECTIVE
    title = "Về tăng cường kỷ cương, kỷ luật"
    issue_date = datetime.date(2023, 8, 7)
    issuing_unit = None


class DirectiveItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectiveItem

    directive = factory.SubFactory(DirectiveFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    content = "Nội dung yêu cầu"


class TaskFactory(factory.django.DjangoModelFactory):
    """A task row written directly (no service): for list and scale tests.
    Supply lead_unit, assignee, accountable_leader, assigned_by, directive."""

    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Nhiệm vụ số {n}")
    description = "Mô tả công việc"
    expected_result = "Báo cáo kết quả"
    start_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=30)
    )
    deadline = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )
    original_deadline = factory.SelfAttribute("deadline")
    assigned_at = factory.LazyFunction(timezone.now)
