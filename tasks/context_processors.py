from functools import cache, cached_property

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
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


# The addresses of the layout every page has (menu, user menu, bell).
NAV = {
    "home": "home",
    "login": "login",
    "logout": "logout",
    "set_language": "set_language",
    "mine": "tasks:mine",
    "unit": "tasks:unit",
    "quotas": "quotas:mine",
    "dashboard": "tasks:dashboard",
    "supervision": "supervision:index",
    "appraisal": "appraisal:index",
    "create": "tasks:create",
    "preferences": "tasks:alert_preferences",
    "notifications": "tasks:notifications",
    "bell": "tasks:bell",
}


@cache
def _nav(urlconf, prefix) -> dict:
    urls = {}
    for key, name in NAV.items():
        try:
            urls[key] = reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            urls[key] = None
    return urls


def nav_urls() -> dict:
    """``NAV``'s addresses, reversed once per URLconf and script prefix
    (they never change while the process runs; a dozen ``{% url %}`` tags
    cost every page about 0.3 ms)."""
    return _nav(get_urlconf(), get_script_prefix())


def tracker(request):
    """Values every page needs: the layout's addresses and, for signed-in
    users, the notification bell and whether to offer "Giao việc" (read
    lazily, only if the page uses it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": nav_urls()}
    return {
        "nav": nav_urls(),
        "bell": Bell(user),
        "user_can_assign": SimpleLazyObject(lambda: is_leader(user)),
        "user_sees_dashboard": SimpleLazyObject(lambda: sees_dashboard(user)),
    }
