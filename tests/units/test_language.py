"""Vietnamese by default; English only when the user chooses it."""

from django.urls import reverse


def test_an_english_browser_still_gets_vietnamese_by_default(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "vi"
    assert 'lang="vi"' in response.text


def test_the_language_switch_turns_the_pages_english_and_back(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    english = client.get(reverse("login"))
    client.post(reverse("set_language"), {"language": "vi", "next": "/login/"})
    vietnamese = client.get(reverse("login"))

    assert english.headers["Content-Language"] == "en"
    assert 'lang="en"' in english.text
    assert vietnamese.headers["Content-Language"] == "vi"


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, db):
    client.cookies["django_language"] = "fr"

    response = client.get(reverse("login"))

    assert response.headers["Content-Language"] == "vi"
