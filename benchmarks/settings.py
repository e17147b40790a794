"""Settings for the speed benchmarks: the project's settings as in
production (DEBUG off, so that no query log slows the pages), plus a
"hello world" URL to compare a page with the cost of the middleware alone."""

from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Login throttling is not what is measured here.
AXES_ENABLED = False
