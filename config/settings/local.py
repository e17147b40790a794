"""Local development: the embedded default (SQLite, filesystem broker)."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
