"""A developer's laptop or a pilot commune's single machine."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

# Development keys derived from the (development) secret key; production reads real ones.
from nongsan.producers.personal_data import development_keys  # noqa: E402

PERSONAL_DATA_KEYS, PERSONAL_DATA_INDEX_KEY = development_keys()
