"""Signing in and out, where each role lands, the lock after five wrong
passwords, the language switch and the error pages."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

PASSWORD = "matkhau-demo-123"  # tests.factories.UserFactory
LOGIN = reverse("login")


def html(response) -> str:
    return response.content.decode()


def main_of(response) -> str:
    return re.search(r"<main.*</main>", html(response), re.S).group(0)


def sign_in(client, username, password, *, ip="10.0.0.1", next_url=None):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


# --- every page needs a signed-in user ---------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", reverse("home")),
        ("get", reverse("tasks:mine")),
        ("get", reverse("tasks:unit")),
        ("get", reverse("tasks:notifications")),
        ("post", reverse("tasks:notification_read", args=[1])),
        ("post", reverse("tasks:notifications_read_all")),
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in_from_every_page(client, db, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url}"


def test_sign_in_page_is_in_vietnamese(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    page = html(response)
    assert '<html lang="vi">' in page
    for text in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert text in page
    assert 'id="bell"' not in page  # no bell before signing in


def test_wrong_password_says_so_in_vietnamese(client, people):
    response = sign_in(client, "canbo_vp", "sai-mat-khau")

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html(response)


# --- where each role lands ---------------------------------------------------


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("canbo_vp", "tasks:mine"),
        ("canbo_th", "tasks:mine"),
        ("lanhdao_vp", "tasks:unit"),
        ("bithu_da", "tasks:unit"),
        ("thuongtruc", "tasks:dashboard"),
        ("vanphong_da", "tasks:dashboard"),
        ("admin", "tasks:unit"),
    ],
)
def test_each_role_lands_where_it_works(client, people, username, landing):
    # when the person signs in with no page asked for
    response = sign_in(client, username, PASSWORD)
    assert response["Location"] == reverse("home")

    # then the home page sends them to their list
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)


def test_signing_in_returns_to_the_page_that_was_asked_for(client, people):
    response = sign_in(
        client, "thuongtruc", PASSWORD, next_url=reverse("tasks:notifications")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:notifications")


def test_signing_in_never_redirects_to_another_site(client, people):
    response = sign_in(client, "canbo_vp", PASSWORD, next_url="https://evil.example/")

    assert response["Location"] == reverse("home")


def test_sign_out_is_a_post_and_ends_the_session(client, people):
    client.force_login(people.canbo_vp)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response["Location"] == LOGIN
    assert client.get(reverse("tasks:mine")).status_code == 302


# --- the session and the user each page reads first (written-out queries) ---


def test_a_signed_in_session_is_read_back_with_the_whole_user(client, people):
    sign_in(client, "canbo_vp", PASSWORD)

    response = client.get(reverse("tasks:mine"))

    assert response.status_code == 200
    user = response.wsgi_request.user
    assert user.pk == people.canbo_vp.pk
    assert (user.username, user.full_name) == ("canbo_vp", people.canbo_vp.full_name)
    assert user.is_active and user.password == people.canbo_vp.password
    assert not user.get_deferred_fields()


def test_an_expired_or_unknown_session_signs_the_visitor_out(client, people):
    sign_in(client, "canbo_vp", PASSWORD)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("tasks:mine")).status_code == 302

    client.cookies["sessionid"] = "khong-co-phien-nay"
    assert client.get(reverse("tasks:mine")).status_code == 302


def test_a_deactivated_or_changed_password_user_is_signed_out(client, people):
    sign_in(client, "canbo_vp", PASSWORD)
    people.canbo_vp.is_active = False
    people.canbo_vp.save(update_fields=["is_active"])
    assert client.get(reverse("tasks:mine")).status_code == 302

    people.canbo_vp.is_active = True
    people.canbo_vp.save(update_fields=["is_active"])
    sign_in(client, "canbo_vp", PASSWORD)
    assert client.get(reverse("tasks:mine")).status_code == 200
    people.canbo_vp.set_password("mat-khau-moi-456")
    people.canbo_vp.save(update_fields=["password"])
    assert client.get(reverse("tasks:mine")).status_code == 302


# --- throttling (django-axes) ------------------------------------------------


def test_five_wrong_passwords_lock_that_username_from_that_address_only(client, people):
    # given four wrong passwords from one address: still the sign-in form
    for _ in range(4):
        assert sign_in(client, "canbo_vp", "sai", ip="10.0.0.1").status_code == 200

    # when the fifth is wrong too
    locked = sign_in(client, "canbo_vp", "sai", ip="10.0.0.1")

    # then the page says, in Vietnamese, that signing in is locked and for how long
    assert locked.status_code == 429
    page = html(locked)
    assert "Tạm khóa đăng nhập" in page
    assert "Hãy chờ 15 phút rồi thử lại." in page
    assert "canbo_vp" in page

    # and even the right password from that address is refused for now
    assert sign_in(client, "canbo_vp", PASSWORD, ip="10.0.0.1").status_code == 429

    # but the same person from another address still signs in
    other = sign_in(client, "canbo_vp", PASSWORD, ip="10.0.0.2")
    assert other.status_code == 302
    assert other["Location"] == reverse("home")


def test_a_locked_username_does_not_lock_a_colleague_on_the_same_address(
    client, people
):
    for _ in range(5):
        sign_in(client, "canbo_vp", "sai", ip="10.0.0.1")

    response = sign_in(client, "canbo_vp2", PASSWORD, ip="10.0.0.1")

    assert response.status_code == 302


# --- the page frame ----------------------------------------------------------


def test_every_page_offers_the_language_switch_and_english_works(client, people):
    client.force_login(people.canbo_vp)
    page = html(client.get(reverse("tasks:mine")))
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="en"' in page

    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("tasks:mine")}
    )

    assert response["Location"] == reverse("tasks:mine")
    assert '<html lang="en">' in html(client.get(reverse("tasks:mine")))


def test_leaders_are_offered_giao_viec_and_staff_are_not(client, people):
    client.force_login(people.lanhdao_vp)
    leader_page = html(client.get(reverse("tasks:unit")))
    client.force_login(people.canbo_vp)
    staff_page = html(client.get(reverse("tasks:unit")))

    assert ">Giao việc</a>" in leader_page
    assert ">Giao việc</a>" not in staff_page


def test_pages_obey_the_content_security_policy(client, people, make_task):
    make_task()
    client.force_login(people.lanhdao_vp)

    response = client.get(reverse("tasks:unit"))

    assert "script-src 'self'" in response["Content-Security-Policy"]
    page = html(response)
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert not re.search(r"\sstyle=", page), "style attribute"
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"


# --- error pages -------------------------------------------------------------


def test_a_task_out_of_scope_looks_exactly_like_a_missing_one(
    client, people, make_task
):
    task = make_task()
    client.force_login(people.canbo_th)

    hidden = client.get(reverse("tasks:detail", args=[task.pk]))
    missing = client.get(reverse("tasks:detail", args=[task.pk + 1000]))

    assert hidden.status_code == missing.status_code == 404
    assert main_of(hidden) == main_of(missing)
    assert "Không tìm thấy trang" in main_of(hidden)
    assert task.title not in html(hidden)


def test_the_server_error_page_is_in_vietnamese_and_needs_no_context():
    page = render_to_string("500.html")

    assert "Hệ thống đang gặp sự cố" in page
    assert '<html lang="vi">' in page
