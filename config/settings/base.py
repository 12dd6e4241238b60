"""Settings shared by every environment; everything environment-specific comes from the
environment (django-environ), with defaults that suit a laptop running a pilot commune."""

import datetime
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "nongsan.common",
    "nongsan.accounts",
    "nongsan.audit",
    "nongsan.messaging",
    "nongsan.geo",
    "nongsan.producers",
    "nongsan.onboarding",
    "nongsan.catalog",
    "nongsan.orders",
    "nongsan.payments",
    "nongsan.shipping",
    "nongsan.harvests",
    "nongsan.prices",
    "nongsan.trade",
    "nongsan.programme",
    "nongsan.imports",
    "nongsan.exports",
    "nongsan.reports",
    "nongsan.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nongsan.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a lockout noticed anywhere during the request into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite (WAL, busy timeout, immediate transactions) is the embedded default; PostgreSQL in
# production through DATABASE_URL. See docs/decisions/0002-databases.md.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # A 32 MB page cache per connection (SQLite's default is 2 MB): a 100,000-row
            # import writes into several indexes at random places, and with the default the
            # same pages were read from the operating system again and again.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA cache_size=-32768;"
            ),
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: compiling took 220 ms of a 630 ms search, and no query here runs long enough
    # to repay it (decision 0024). Appended to any options DATABASE_URL already gives.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Personal data (citizen IDs) is encrypted with these keys (Fernet, newest first); the index key
# makes lookups by ID possible without storing it. See docs/decisions/0010-producer-registry.md.
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS", default=[])
PERSONAL_DATA_INDEX_KEY = env("PERSONAL_DATA_INDEX_KEY", default="")
PERSONAL_DATA_CONTROLLER = env(
    "PERSONAL_DATA_CONTROLLER", default="Đơn vị vận hành nền tảng Nông Sàn"
)
# How many reverse proxies in front of the application to trust for X-Forwarded-For.
AUDIT_TRUSTED_PROXY_COUNT = env.int("AUDIT_TRUSTED_PROXY_COUNT", default=0)
# The lockout check (django-axes) comes first and refuses a locked phone or IP before any
# password is checked; see nongsan/accounts/lockout.py and docs/decisions/0009.
AUTHENTICATION_BACKENDS = [
    "nongsan.accounts.lockout.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "portal:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("Tiếng Anh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

REST_FRAMEWORK = {
    # Partners and scripts send a personal token; pages calling the API send their session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "nongsan.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Nông Sàn API",
    "DESCRIPTION": "Partner exchange and public data of the Nông Sàn platform (Plan 1034).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Redoc and Swagger UI come from the sidecar package: no CDN.
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SuccessionKindEnum": "nongsan.geo.models.UnitSuccession.Kind",
        "OnboardingStageEnum": "nongsan.onboarding.models.Stage",
        "OrderStatusEnum": "nongsan.orders.models.OrderStatus",
        "AnnouncementStatusEnum": "nongsan.harvests.models.AnnouncementStatus",
        "PlantingStatusEnum": "nongsan.harvests.models.PlantingStatus",
        "GlutKindEnum": "nongsan.harvests.models.GlutKind",
        "PriceKindEnum": "nongsan.prices.models.PriceKind",
        "PriceReportStatusEnum": "nongsan.prices.models.ReportStatus",
        "CandidateKindEnum": "nongsan.trade.models.CandidateKind",
        "TrackingKindEnum": "nongsan.shipping.models.TrackingKind",
        "MeasureEnum": "nongsan.programme.measures.Measure",
        "FigureSourceEnum": "nongsan.programme.models.Source",
        "StageSourceEnum": "nongsan.onboarding.models.StageSource",
        "PriceReportSourceEnum": "nongsan.prices.models.ReportSource",
        "PaymentMethodEnum": "nongsan.orders.models.PaymentMethod",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Settings that belong to the security baseline (issue 3) live in their own module.

# Settings of the parts that have their own module.
from .messaging import *  # noqa: E402,F403
from .orders import *  # noqa: E402,F403
from .security import *  # noqa: E402,F403
from .tasks import *  # noqa: E402,F403

# Price board (docs/decisions/0017-price-board.md): a report more than FACTOR times above or
# below the median of the last WINDOW_DAYS days of the same produce, province and kind (when
# at least MIN_REPORTS exist) is flagged and left out of the statistics until an officer
# confirms it.
PRICE_OUTLIER_FACTOR = env.float("PRICE_OUTLIER_FACTOR", default=3.0)
PRICE_OUTLIER_WINDOW_DAYS = env.int("PRICE_OUTLIER_WINDOW_DAYS", default=30)
PRICE_OUTLIER_MIN_REPORTS = env.int("PRICE_OUTLIER_MIN_REPORTS", default=3)

# Glut warnings (docs/decisions/0016-harvest-calendar-and-forecast.md): forecast supply more
# than MARGIN above the weekly tonnes the area harvested over the last DEMAND_WEEKS, or a
# modal price PRICE_DROP_PERCENT below its mean of the previous two weeks.
GLUT_SUPPLY_MARGIN = env.float("GLUT_SUPPLY_MARGIN", default=0.3)
GLUT_DEMAND_WEEKS = env.int("GLUT_DEMAND_WEEKS", default=8)
GLUT_PRICE_DROP_PERCENT = env.int("GLUT_PRICE_DROP_PERCENT", default=30)

# Provincial reports and exports (docs/decisions/0023-reports-and-exports.md): a period's report
# is due on REPORT_DEADLINE_DAY of the following month, province officers are reminded
# REPORT_REMIND_DAYS_BEFORE days ahead; figures come from REPORT_FIGURES_PROVIDER (a dotted
# path: the programme app's roll-ups; nongsan/reports/figures.py has a raw-table fallback);
# exported files are kept EXPORTS_KEEP_HOURS.
REPORT_DEADLINE_DAY = env.int("REPORT_DEADLINE_DAY", default=5)
REPORT_REMIND_DAYS_BEFORE = env.int("REPORT_REMIND_DAYS_BEFORE", default=3)
REPORT_FIGURES_PROVIDER = env(
    "REPORT_FIGURES_PROVIDER", default="nongsan.programme.selectors.unit_figures"
)
EXPORTS_KEEP = datetime.timedelta(hours=env.int("EXPORTS_KEEP_HOURS", default=24))
# Past years whose sales in the same ISO week make the glut warning's sales rate.
GLUT_PAST_SEASONS = env.int("GLUT_PAST_SEASONS", default=3)
# The function giving tonnes of traders' buy requests per produce × province × week
# (nongsan.harvests.demand): the trade app's open buy requests.
HARVESTS_BUY_REQUEST_TONNES = "nongsan.trade.glut_demand.weekly_buy_request_tonnes"
