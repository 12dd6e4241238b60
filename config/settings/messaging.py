"""Outbound messages (docs/decisions/0007-messaging.md): a real gateway is a setting.

Channels the settings do not name use the local outbox (nothing leaves the machine), which
``check --deploy`` warns about (messaging.W001) unless the local backend is named on purpose.
"""

import environ

env = environ.Env()

# A comma-separated channel=backend list, for example
#   sms=nongsan.messaging.backends.sms.HttpSmsBackend,
#   email=nongsan.messaging.backends.email.EmailBackend
MESSAGING_BACKENDS = env.dict("MESSAGING_BACKENDS", default={})
MESSAGING_SMS_GATEWAY = {
    "URL": env("SMS_GATEWAY_URL", default=""),
    "API_KEY": env("SMS_GATEWAY_API_KEY", default=""),
    "SENDER": env("SMS_GATEWAY_SENDER", default="NONGSAN"),
    "TIMEOUT_SECONDS": env.float("SMS_GATEWAY_TIMEOUT_SECONDS", default=10.0),
}
MESSAGING_ZALO_ZNS = {
    "URL": env("ZALO_ZNS_URL", default="https://business.openapi.zalo.me/message/template"),
    "ACCESS_TOKEN": env("ZALO_ZNS_ACCESS_TOKEN", default=""),
    "TEMPLATES": env.dict("ZALO_ZNS_TEMPLATES", default={}),  # sign_up_code=250001,...
    "TEMPLATE_ID": env("ZALO_ZNS_TEMPLATE_ID", default=""),
    "TIMEOUT_SECONDS": env.float("ZALO_ZNS_TIMEOUT_SECONDS", default=10.0),
    "DEVELOPMENT_MODE": env.bool("ZALO_ZNS_DEVELOPMENT_MODE", default=False),
}
MESSAGING_RETENTION_DAYS = env.int("MESSAGING_RETENTION_DAYS", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Nông Sàn <khong-tra-loi@localhost>")
