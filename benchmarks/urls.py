"""The project's URLs plus ``/bench/hello/``: a view that does nothing, run
through the same middleware as every page."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def hello(request):
    return HttpResponse("Xin chào", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *project_urlpatterns]
