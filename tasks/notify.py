"""In-app notifications of what happens to a task (the bell's rows).

``notify`` only writes rows — no broker, no e-mail — so a service may call
it inside its own transaction: the notification commits or rolls back with
the change it reports. Event rows may repeat (a task can be returned twice);
only the scan kinds are unique in the ledger and are refused here.
"""

from collections.abc import Iterable

from units.models import User

from .choices import EVENT_ALERT_KINDS
from .models import Alert, Task

MESSAGE_MAX_LENGTH = Alert._meta.get_field("message").max_length


def notify(
    *,
    task: Task,
    kind: str,
    recipients: Iterable[User | None],
    actor: User | None = None,
    message: str = "",
) -> list[Alert]:
    """Write one notification of ``kind`` about ``task`` per recipient.

    Skips ``None``, repeated recipients and the actor (nobody is told about
    what they did themselves). The row carries the task's current deadline,
    who acted and an optional short message. Returns the rows written.
    """
    if kind not in EVENT_ALERT_KINDS:
        raise ValueError(
            f"notify() writes event kinds only, not {kind!r}: the scans own the ledger"
        )
    actor_id = actor.pk if actor is not None else None
    message = " ".join((message or "").split())[:MESSAGE_MAX_LENGTH]
    seen: set[int] = set()
    rows = []
    for recipient in recipients:
        if recipient is None or recipient.pk in seen or recipient.pk == actor_id:
            continue
        seen.add(recipient.pk)
        rows.append(
            Alert(
                task=task,
                kind=kind,
                deadline=task.deadline,
                recipient=recipient,
                actor=actor,
                message=message,
            )
        )
    return Alert.objects.bulk_create(rows) if rows else []
