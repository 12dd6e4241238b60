"""Orders, payments and shipping (decisions 0018 and 0019); the time limits' defaults live
in nongsan/orders/conf.py and may be overridden here."""

from __future__ import annotations

import environ

env = environ.Env()

# The shared secret a bank or payment gateway signs its notices with; empty refuses them all.
PAYMENTS_WEBHOOK_SECRET = env("PAYMENTS_WEBHOOK_SECRET", default="")
