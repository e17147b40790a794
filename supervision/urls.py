"""URLs of supervision and surprise inspections (mounted at /supervision/)."""

from django.urls import path  # noqa: F401

app_name = "supervision"

urlpatterns: list = []
