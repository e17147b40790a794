import gc
import os

from django.core.asgi import get_asgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_asgi_application()

# As in config/wsgi.py: load the views, then keep the long-lived objects out
# of the garbage collector's generations.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
