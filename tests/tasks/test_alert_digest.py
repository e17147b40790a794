"""E-mail channels: one mail per alert (the default), a daily digest at the
reader's hour, or none — except escalations addressed to a leader, which
are always e-mailed at once."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from tasks import alerts, jobs
from tasks.choices import AlertKind, EmailMode
from tasks.models import Alert, AlertPreference

pytestmark = pytest.mark.usefixtures("send_enqueues")

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date


@pytest.fixture
def task(make_task, tree, people):
    alerts.install_default_ladder()
    tree.vp.head = people.bithu_da
    tree.vp.save()
    made = make_task(start_date=D(2026, 2, 23), deadline=D(2026, 3, 6))
    Alert.objects.filter(task=made).delete()
    return made


def prefer(user, mode, hour=7):
    AlertPreference.objects.update_or_create(
        user=user, defaults={"email_mode": mode, "digest_hour": hour}
    )


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=HANOI)


def test_by_default_each_alert_is_one_mail(task, mailoutbox):
    alerts.alerts_scan_overdue(today=D(2026, 3, 9))
    run = alerts.alerts_send_pending()
    assert run.sent_count == 2
    assert sorted(m.to[0] for m in mailoutbox) == [
        "canbo_vp@example.vn",
        "lanhdao_vp@example.vn",
    ]


def test_a_digest_reader_gets_one_mail_a_day_at_their_hour(
    task, make_task, people, mailoutbox, monkeypatch
):
    # given the assignee reads a digest at 8:00 and has two alerts (due soon
    # on one task, overdue on another), written on 9 March at 6:00
    prefer(people.canbo_vp, EmailMode.DIGEST, hour=8)
    other = make_task(start_date=D(2026, 3, 1), deadline=D(2026, 3, 11))
    Alert.objects.filter(task=other).delete()
    monkeypatch.setattr(timezone, "now", lambda: at(D(2026, 3, 9), 6))
    alerts.alerts_scan_overdue(today=D(2026, 3, 9))
    mine = Alert.objects.filter(recipient=people.canbo_vp, step__isnull=False)
    assert sorted(mine.values_list("kind", flat=True)) == ["due_soon", "overdue"]

    # when the immediate send runs, then only the leader is e-mailed
    alerts.alerts_send_pending()
    assert [m.to for m in mailoutbox] == [["lanhdao_vp@example.vn"]]

    # when the digest runs before 8:00, then nothing yet
    assert alerts.alerts_send_digests(now=at(D(2026, 3, 9), 7, 45)).sent_count == 0

    # when it runs after 8:00, then one mail lists both tasks, with links
    run = alerts.alerts_send_digests(now=at(D(2026, 3, 9), 8, 15))
    assert run.sent_count == 2
    digest = mailoutbox[-1]
    assert digest.to == ["canbo_vp@example.vn"]
    assert "Tổng hợp cảnh báo" in digest.subject
    assert task.get_absolute_url() in digest.body
    assert other.get_absolute_url() in digest.body
    html = digest.alternatives[0][0]
    assert "<table" in html and other.title in html

    # and a rerun (a second beat, a retry) sends nothing more
    assert alerts.alerts_send_digests(now=at(D(2026, 3, 9), 8, 30)).sent_count == 0
    assert len(mailoutbox) == 2
    assert not mine.filter(emailed_at__isnull=True).exists()


def test_a_missed_digest_hour_is_caught_up_by_the_next_run(task, people, mailoutbox):
    prefer(people.canbo_vp, EmailMode.DIGEST, hour=8)
    alerts.alerts_scan_overdue(today=D(2026, 3, 9))
    created = Alert.objects.filter(recipient=people.canbo_vp).get()
    # the beat was down from 7:00 to 23:00: the run at 23:00 still sends
    later = timezone.localtime(created.created_at) + datetime.timedelta(days=1)
    run = alerts.alerts_send_digests(now=later.replace(hour=23))
    assert run.sent_count == 1


def test_escalations_to_a_leader_are_mandatory_whatever_they_chose(
    task, people, mailoutbox
):
    # given every recipient chose no e-mail at all, or a digest
    prefer(people.canbo_vp, EmailMode.OFF)
    prefer(people.lanhdao_vp, EmailMode.OFF)
    prefer(people.bithu_da, EmailMode.DIGEST, hour=23)

    # when the +3 working days step has fired
    alerts.alerts_scan_overdue(today=D(2026, 3, 11))
    escalations = Alert.objects.filter(kind=AlertKind.ESCALATION)
    assert set(escalations.values_list("mandatory", flat=True)) == {True}
    alerts.alerts_send_pending()

    # then the escalations went out at once; the plain overdue alerts of the
    # "no e-mail" readers did not (they stay in the app)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "bithu_da@example.vn",
        "lanhdao_vp@example.vn",
    ]
    assert "vượt cấp" in mailoutbox[0].subject
    overdue = Alert.objects.filter(kind=AlertKind.OVERDUE)
    assert not overdue.filter(emailed_at__isnull=False).exists()
    assert "chỉ xem trong ứng dụng" in overdue.first().last_error


def test_the_digest_job_is_a_registered_stable_job(task, people, mailoutbox):
    prefer(people.canbo_vp, EmailMode.DIGEST, hour=0)
    alerts.alerts_scan_overdue(today=D(2026, 3, 9))
    Alert.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    assert jobs.send_alert_digests.name == "tasks.send_alert_digests"
    assert jobs.send_alert_digests.apply().get() == 1
