"""The project's URLs plus ``/bench/hello/``: a view that does nothing, run
through the same middleware as every page."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def hello(request):
    """``?user=1`` reads the signed-in user, as every real page does (the
    session and the user are loaded lazily)."""
    text = "Xin chào"
    if request.GET.get("user"):
        text = f"Xin chào {request.user.get_full_name()}"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *project_urlpatterns]
