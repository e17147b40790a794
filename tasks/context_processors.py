from functools import cached_property

from django.utils.functional import SimpleLazyObject

from units.scope import get_scope
from units.sql import fetch_rows

from .permissions import is_leader


class Bell:
    """The notification bell of the top bar. The unread count is read on
    first use, in one query, so that a page (or an htmx fragment) that does
    not show the bell costs nothing."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        # ``Alert.objects.unread_for(user).count()`` written out: every page
        # shows it, and building and compiling it through the ORM took
        # several times as long as the indexed count itself.
        return fetch_rows(
            "SELECT count(*) FROM tasks_alert"
            " WHERE recipient_id = %s AND read_at IS NULL",
            [self.user.pk],
        )[0][0]


def sees_dashboard(user) -> bool:
    scope = get_scope(user)
    return scope.is_all or bool(scope.subtree_paths)


def tracker(request):
    """Values every page needs, for signed-in users: the notification bell
    and whether to offer "Giao việc" (read lazily, only if the page uses it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "bell": Bell(user),
        "user_can_assign": SimpleLazyObject(lambda: is_leader(user)),
        "user_sees_dashboard": SimpleLazyObject(lambda: sees_dashboard(user)),
    }
