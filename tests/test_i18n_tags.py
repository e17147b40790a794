"""``{% translate %}`` keeps a literal's translation per language
(config/i18n_tags.py): the same template, rendered again in another
language, with autoescape off, or with a variable, still says what Django's
own tag says."""

from django.template import Context, engines
from django.templatetags import i18n as django_i18n
from django.utils import translation

from config import i18n_tags


def render(source: str, autoescape: bool = True, **values) -> str:
    template = engines["django"].from_string(source)
    return template.template.render(Context(values, autoescape=autoescape))


def test_the_i18n_library_is_the_remembering_one():
    template = engines["django"].from_string('{% load i18n %}{% translate "x" %}')
    node = template.template.nodelist[-1]
    assert isinstance(node, i18n_tags.TranslateNode)
    assert isinstance(node, django_i18n.TranslateNode)


def test_no_other_library_name_is_used_twice():
    # templates.W003 is silenced for the "i18n" replaced on purpose only.
    clashes = engines["django"]._check_for_template_tags_with_the_same_name()
    assert [w.msg.split(" is used")[0] for w in clashes] == ["'i18n'"]


def test_one_template_follows_the_language_of_each_render():
    template = engines["django"].from_string(
        '{% load i18n %}{% translate "Việc của tôi" %} · {% trans "Đăng xuất" %}'
    )
    for language, expected in [
        ("vi", "Việc của tôi · Đăng xuất"),
        ("en", "My tasks · Sign out"),
        ("vi", "Việc của tôi · Đăng xuất"),
        ("en", "My tasks · Sign out"),
    ]:
        with translation.override(language):
            assert template.render({}) == expected
    with translation.override(None):
        assert template.render({}) == "Việc của tôi · Đăng xuất"


def test_a_context_as_and_noop_work_as_in_django():
    source = (
        '{% load i18n %}{% translate "Sắp xếp" context "reorganisation" %}'
        '|{% translate "Việc của tôi" as mine %}[{{ mine }}]'
        '|{% translate "Việc của tôi" noop %}'
    )
    with translation.override("en"):
        assert render(source) == "Reorganisation|[My tasks]|Việc của tôi"
        assert render(source) == "Reorganisation|[My tasks]|Việc của tôi"


def test_a_literal_is_not_escaped_and_keeps_its_percent_sign_as_in_django():
    # A template's own text is safe (Django does not escape it either).
    source = '{% load i18n %}{% translate "a < b: 100%" %}'
    with translation.override("vi"):
        assert render(source) == "a < b: 100%"
        assert render(source, autoescape=False) == "a < b: 100%"
        assert render(source) == "a < b: 100%"


def test_a_variable_or_a_filter_is_translated_at_every_render():
    source = "{% load i18n %}{% translate label %}|{% translate label|upper %}"
    with translation.override("en"):
        assert render(source, label="Việc của tôi") == "My tasks|MY TASKS"
        assert render(source, label="Đăng xuất") == "Sign out|SIGN OUT"
