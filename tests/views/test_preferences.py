"""Cách nhận cảnh báo: each person chooses how alert e-mails reach them, and
the mail jobs do what the page says."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks import alerts
from tasks.choices import AlertKind, EmailMode
from tasks.models import Alert, AlertPreference

PREFS = reverse("tasks:alert_preferences")
HTMX = {"HTTP_HX_REQUEST": "true"}
D = datetime.date


def html(response) -> str:
    return response.content.decode()


def checked_mode(page: str) -> str | None:
    """The value of the radio button that is checked, if any."""
    for tag in re.findall(r'<input[^>]*name="email_mode"[^>]*>', page):
        if re.search(r"\schecked\b", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def selected_hour(page: str) -> str | None:
    select = re.search(r'<select[^>]*name="digest_hour".*?</select>', page, re.S)
    assert select, "no hour on the page"
    chosen = re.search(r'<option value="(\d+)" selected>', select.group(0))
    return chosen.group(1) if chosen else None


def saved(user) -> tuple[str, int] | None:
    row = AlertPreference.objects.filter(user=user).first()
    return (row.email_mode, row.digest_hour) if row else None


def prefer(user, mode, hour):
    AlertPreference.objects.create(user=user, email_mode=mode, digest_hour=hour)


# --- the page -----------------------------------------------------------------


def test_the_page_shows_the_three_choices_the_default_and_where_mails_go(
    client, people
):
    client.force_login(people.canbo_vp)

    response = client.get(PREFS)

    assert response.status_code == 200
    page = html(response)
    assert "Cách nhận cảnh báo" in page
    for label in (
        "Gửi thư ngay từng cảnh báo",
        "Gửi một thư tổng hợp mỗi ngày",
        "Không gửi thư (chỉ xem trong ứng dụng)",
    ):
        assert label in page
    assert "Một thư mỗi ngày, vào khoảng giờ bạn chọn" in page
    # nothing chosen yet: one mail per alert, digest hour 07:00, said so
    assert checked_mode(page) == EmailMode.IMMEDIATE
    assert selected_hour(page) == "7"
    assert "mặc định, bạn chưa chọn" in page
    assert "canbo_vp@example.vn" in page
    assert "chưa có địa chỉ thư điện tử" not in page
    # the escalations that cannot be switched off
    assert "Thư luôn được gửi ngay, không tắt được" in page
    assert "với tư cách cấp trên" in page
    # showing the page saves nothing
    assert saved(people.canbo_vp) is None


def test_a_person_without_an_email_address_is_warned(client, people):
    people.canbo_vp.email = ""
    people.canbo_vp.save()
    client.force_login(people.canbo_vp)

    page = html(client.get(PREFS))

    assert "Tài khoản của bạn chưa có địa chỉ thư điện tử." in page
    assert "kể cả các cảnh báo vượt cấp" in page


def test_the_page_shows_the_saved_choice(client, people):
    prefer(people.lanhdao_vp, EmailMode.DIGEST, 18)
    client.force_login(people.lanhdao_vp)

    page = html(client.get(PREFS))

    assert checked_mode(page) == EmailMode.DIGEST
    assert selected_hour(page) == "18"
    assert "Gửi một thư tổng hợp mỗi ngày — 18:00" in page
    assert "mặc định, bạn chưa chọn" not in page


def test_the_user_menu_and_the_notifications_page_link_to_it(client, people):
    client.force_login(people.canbo_vp)

    for url in (reverse("tasks:mine"), reverse("tasks:notifications")):
        assert f'href="{PREFS}"' in html(client.get(url)), url


def test_signed_out_visitors_are_sent_to_sign_in(client, people):
    response = client.get(PREFS)
    posted = client.post(PREFS, {"email_mode": "off", "digest_hour": "7"})

    for answer in (response, posted):
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("login"))
    assert not AlertPreference.objects.exists()


# --- saving -------------------------------------------------------------------


def test_choosing_the_digest_saves_it_and_the_page_says_so(client, people):
    client.force_login(people.canbo_vp)

    response = client.post(PREFS, {"email_mode": "digest", "digest_hour": "18"})

    assert response.status_code == 302
    assert response["Location"] == PREFS
    assert saved(people.canbo_vp) == (EmailMode.DIGEST, 18)
    page = html(client.get(PREFS))
    assert "Đã lưu: bạn nhận một thư tổng hợp mỗi ngày lúc 18:00 (giờ Hà Nội)." in page
    assert checked_mode(page) == EmailMode.DIGEST
    assert selected_hour(page) == "18"


def test_changing_again_updates_the_one_saved_choice(client, people):
    prefer(people.canbo_vp, EmailMode.DIGEST, 18)
    client.force_login(people.canbo_vp)

    client.post(PREFS, {"email_mode": "off", "digest_hour": "18"})

    assert saved(people.canbo_vp) == (EmailMode.OFF, 18)
    assert AlertPreference.objects.filter(user=people.canbo_vp).count() == 1
    page = html(client.get(PREFS))
    assert "Đã lưu: bạn không nhận thư cảnh báo" in page


def test_without_an_hour_the_saved_hour_is_kept_unless_the_digest_is_chosen(
    client, people
):
    prefer(people.canbo_vp, EmailMode.DIGEST, 18)
    client.force_login(people.canbo_vp)

    client.post(PREFS, {"email_mode": "immediate"})
    assert saved(people.canbo_vp) == (EmailMode.IMMEDIATE, 18)

    refused = client.post(PREFS, {"email_mode": "digest"})
    assert refused.status_code == 400
    assert "Hãy chọn giờ nhận thư tổng hợp (0–23)." in html(refused)
    assert saved(people.canbo_vp) == (EmailMode.IMMEDIATE, 18)


def test_a_htmx_post_that_saves_sends_the_browser_back_to_the_page(client, people):
    client.force_login(people.canbo_vp)

    response = client.post(PREFS, {"email_mode": "off", "digest_hour": "7"}, **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == PREFS
    assert saved(people.canbo_vp) == (EmailMode.OFF, 7)


# --- bad input ----------------------------------------------------------------

MODE_ERROR = "Hãy chọn một trong ba cách"
HOUR_ERROR = "Giờ nhận thư tổng hợp phải là một giờ tròn từ 0 đến 23"


@pytest.mark.parametrize(
    "data, message, kept_mode, kept_hour",
    [
        ({"email_mode": "weekly", "digest_hour": "9"}, MODE_ERROR, None, "9"),
        ({"digest_hour": "9"}, MODE_ERROR, None, "9"),
        ({"email_mode": "digest", "digest_hour": "24"}, HOUR_ERROR, "digest", None),
        ({"email_mode": "digest", "digest_hour": "-1"}, HOUR_ERROR, "digest", None),
        ({"email_mode": "digest", "digest_hour": "bảy"}, HOUR_ERROR, "digest", None),
        (
            {"email_mode": "immediate", "digest_hour": "7h"},
            HOUR_ERROR,
            "immediate",
            None,
        ),
    ],
    ids=["unknown-mode", "no-mode", "hour-24", "hour-negative", "hour-text", "hour-7h"],
)
def test_bad_input_is_explained_and_nothing_is_lost(
    client, people, data, message, kept_mode, kept_hour
):
    # given a saved choice
    prefer(people.canbo_vp, EmailMode.OFF, 6)
    client.force_login(people.canbo_vp)

    # when the form comes with a wrong value
    response = client.post(PREFS, data)

    # then it is refused with the reason, the saved choice is untouched and
    # what was chosen correctly is still chosen on the form
    assert response.status_code == 400
    page = html(response)
    assert "Chưa lưu: hãy sửa mục được đánh dấu dưới đây." in page
    assert message in page
    assert "<html" in page
    assert saved(people.canbo_vp) == (EmailMode.OFF, 6)
    assert checked_mode(page) == kept_mode
    assert selected_hour(page) == kept_hour
    assert "Không gửi thư (chỉ xem trong ứng dụng)</strong>" in page  # still current


def test_bad_input_by_htmx_answers_400_with_the_form_alone(client, people):
    client.force_login(people.canbo_vp)

    response = client.post(PREFS, {"email_mode": "digest", "digest_hour": "24"}, **HTMX)

    assert response.status_code == 400
    page = html(response)
    assert "<html" not in page and page.lstrip().startswith("<section")
    assert HOUR_ERROR in page
    assert checked_mode(page) == EmailMode.DIGEST
    assert saved(people.canbo_vp) is None


# --- only one's own -----------------------------------------------------------


def test_each_person_sees_and_changes_only_their_own_choice(client, people):
    # given someone else chose the digest at 21:00
    prefer(people.canbo_vp2, EmailMode.DIGEST, 21)
    client.force_login(people.canbo_vp)

    # then canbo_vp's page shows his own (default) choice and address only
    page = html(client.get(PREFS))
    assert checked_mode(page) == EmailMode.IMMEDIATE
    assert "canbo_vp2@example.vn" not in page

    # and a form naming the other person changes canbo_vp's choice alone
    client.post(
        PREFS,
        {
            "email_mode": "off",
            "digest_hour": "5",
            "user": str(people.canbo_vp2.pk),
            "user_id": str(people.canbo_vp2.pk),
        },
    )
    assert saved(people.canbo_vp) == (EmailMode.OFF, 5)
    assert saved(people.canbo_vp2) == (EmailMode.DIGEST, 21)


# --- what the page promises is what the mail jobs do --------------------------


@pytest.fixture
def overdue_task(make_task, tree, people):
    """A Văn phòng task due 6 March 2026, the default ladder, and bithu_da
    as the head of the Văn phòng (the escalation goes to him and to the
    assigner, lanhdao_vp)."""
    alerts.install_default_ladder()
    tree.vp.head = people.bithu_da
    tree.vp.save()
    task = make_task(start_date=D(2026, 2, 23), deadline=D(2026, 3, 6))
    Alert.objects.filter(task=task).delete()
    return task


def choose(client, user, mode, hour="7"):
    client.force_login(user)
    response = client.post(PREFS, {"email_mode": mode, "digest_hour": hour})
    assert response.status_code == 302, html(response)


def test_no_mail_chosen_on_the_page_still_gets_the_escalations_as_a_leader(
    client, people, overdue_task, mailoutbox
):
    # given the assignee and his leader both chose "no e-mail" on the page
    choose(client, people.canbo_vp, "off")
    choose(client, people.lanhdao_vp, "off")

    # when the task is 3 working days overdue and the mails are sent
    alerts.alerts_scan_overdue(today=D(2026, 3, 11), enqueue_send=False)
    alerts.alerts_send_pending()

    # then the leader got the escalation, addressed to him as the assigner,
    # at once; the assignee got nothing, and sees his alert in the app
    assert [m.to for m in mailoutbox if "lanhdao_vp" in m.to[0]] == [
        ["lanhdao_vp@example.vn"]
    ]
    assert "vượt cấp" in next(m for m in mailoutbox if "lanhdao" in m.to[0]).subject
    assert not [m for m in mailoutbox if "canbo_vp" in m.to[0]]
    client.force_login(people.canbo_vp)
    assert "Quá hạn" in html(client.get(reverse("tasks:notifications")))


def test_a_digest_chosen_on_the_page_comes_once_at_that_hour(
    client, people, overdue_task, mailoutbox
):
    # given the assignee chose one digest a day at 08:00 on the page
    choose(client, people.canbo_vp, "digest", "8")

    # when his overdue alert is written and the immediate send runs
    alerts.alerts_scan_overdue(today=D(2026, 3, 9), enqueue_send=False)
    alerts.alerts_send_pending()

    # then he gets no mail at once (his leader, who chose nothing, does)
    assert [m.to for m in mailoutbox] == [["lanhdao_vp@example.vn"]]
    mine = Alert.objects.get(recipient=people.canbo_vp, kind=AlertKind.OVERDUE)

    # and the next morning after 08:00 one digest brings it
    next_day = timezone.localtime(mine.created_at) + datetime.timedelta(days=1)
    run = alerts.alerts_send_digests(now=next_day.replace(hour=8, minute=15))
    assert run.sent_count == 1
    assert mailoutbox[-1].to == ["canbo_vp@example.vn"]


# --- cost ---------------------------------------------------------------------

# session, user, the saved choice, memberships (top bar links), bell
PREFERENCE_QUERIES = 5


@pytest.mark.parametrize("saved_before", [False, True])
def test_the_page_costs_the_same_queries_with_or_without_a_saved_choice(
    client, people, django_assert_num_queries, saved_before
):
    if saved_before:
        prefer(people.canbo_vp, EmailMode.DIGEST, 18)
    client.force_login(people.canbo_vp)

    with django_assert_num_queries(PREFERENCE_QUERIES):
        response = client.get(PREFS)

    assert response.status_code == 200


# --- language -----------------------------------------------------------------


def test_the_page_speaks_english_after_choosing_en(client, people):
    client.force_login(people.canbo_vp)
    client.post(reverse("set_language"), {"language": "en", "next": PREFS})

    page = html(client.get(PREFS))

    assert "How to receive alerts" in page
    assert "Cách nhận cảnh báo" not in page
