"""The project's URLs plus ``/bench/hello/``: a view that does nothing, run
through the same middleware as every page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def hello(request):
    """``?user=1`` greets the signed-in user, refusing anyone else, as every
    page of the tracker does (``LoginRequiredMixin``): the session and the
    user are then read, which Django does lazily, only when a view asks."""
    if request.GET.get("user"):
        return greet(request)
    return HttpResponse("Xin chào", content_type="text/plain; charset=utf-8")


@login_required
def greet(request):
    text = f"Xin chào {request.user.get_full_name()}"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *project_urlpatterns]
