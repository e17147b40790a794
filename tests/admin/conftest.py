"""Helpers for the admin tests: a signed-in superuser, a query counter, and
the POST data of a rendered change form (main form and inlines)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def admin_site_client(client, people):
    client.force_login(people.admin)
    return client


@pytest.fixture
def queries_for():
    """The number of queries one GET runs, and its response (always 200)."""

    def _count(client, url: str):
        # The same count whatever ran before in this process.
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(captured.captured_queries), response

    return _count


def _form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            continue
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        else:
            data[key] = str(getattr(value, "pk", value))
    return data


@pytest.fixture
def changeform_data():
    """What the browser would post back, unchanged, from a rendered change
    form: the main form, then each inline's management form and rows."""

    def _data(response) -> dict:
        data = _form_data(response.context["adminform"].form)
        for inline in response.context["inline_admin_formsets"]:
            formset = inline.formset
            data.update(_form_data(formset.management_form))
            for form in formset.forms:
                data.update(_form_data(form))
        return data

    return _data
