"""ImCRM settings: one module, every knob read from the environment (config/env.py).

Tenancy at a glance: `SHARED_APPS` live in the `public` schema (companies,
domains, plans, the operator's users); `TENANT_APPS` get their own tables in every
company schema (staff users, sessions, CRM data). A request finds its company by
host name in `tenants.middleware.CompanyMiddleware`, which must stay first.
"""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from config.env import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-secret-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
TESTING = env.bool("IMCRM_TESTING", default=False)

# Stored backups are encrypted with this key (crm/backups/crypto.py); empty: derived from SECRET_KEY.
BACKUP_ENCRYPTION_KEY = env.str("BACKUP_ENCRYPTION_KEY", default="")
IMCRM_BASE_DOMAIN = env.str("IMCRM_BASE_DOMAIN", default="imcrm.localhost")
# The domain of the companies' BCC addresses (bcc+<secret>@...); its mail is posted to the
# company host's inbound endpoint by the mail provider (crm.emails.bcc).
IMCRM_INBOUND_MAIL_DOMAIN = env.str("IMCRM_INBOUND_MAIL_DOMAIN", default=f"inbound.{IMCRM_BASE_DOMAIN}")
IMCRM_SCHEME = env.str("IMCRM_SCHEME", default="http" if DEBUG else "https")
PORT = env.int("PORT", default=8000)
# Port shown in links between hosts (the public site and company subdomains).
IMCRM_PUBLIC_PORT = env.str("IMCRM_PUBLIC_PORT", default=str(PORT) if DEBUG else "")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[IMCRM_BASE_DOMAIN, f".{IMCRM_BASE_DOMAIN}", "localhost", "127.0.0.1"]
)

# --- Applications -----------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.admin",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crm.common",  # the shared kit: no models, so the public schema is enough
    "crm.ksef",  # FA(3) invoices and the KSeF client: a library without models
    "crm.accounts",
    "public_site",
    "billing_saas",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crm.company",
    "crm.systemlog",
    "crm.accounts",
    "crm.categories",
    "crm.trash",
    "crm.notifications",
    "crm.contacts",
    "crm.sales",
    "crm.tasks",
    "crm.documents",
    "crm.catalog",
    "crm.kb",
    "crm.offers",
    "crm.contracts",
    "crm.leads",
    "crm.tickets",
    "crm.emails",
    "crm.projects",
    "crm.timetracking",
    "crm.expenses",
    "crm.invoicing",
    "crm.payments",
    "crm.customfields",  # after the record apps: its ready() reads their record types
    "crm.webhooks",
    "crm.automations",
    "crm.notes",
    "crm.activity",
    "crm.settings",
    "crm.bulk",
    "crm.dashboard",
    "crm.search",
    "crm.privacy",
    "crm.backups",
    "crm.portal",
    "crm.demo",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Company"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# migrate_schemas skips company schemas already at the target and pool schemas still being
# built (tenants/migration_executor.py).
GET_EXECUTOR_FUNCTION = "tenants.migration_executor.executor_get"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
# One `SET search_path` per connection and company instead of one before every statement
# (half the round trips). Safe since django-tenants 4.0.1 forgets the cached path on
# rollback and savepoint rollback, where PostgreSQL reverts a SET (tests/security/test_cross_company.py).
TENANT_LIMIT_SET_CALLS = True
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    "tenants.middleware.CompanyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "crm.common.compression.PageGZipMiddleware",  # pages gzipped; BREACH: see crm/common/compression.py
    "csp.middleware.CSPMiddleware",
    "tenants.middleware.NulBytesRefusedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "billing_saas.middleware.BillingAccessMiddleware",  # read-only / suspended companies
    "django.contrib.messages.middleware.MessageMiddleware",
    # Settings guards of a company host (crm/settings/middleware.py): request scope,
    # allowed IPs (pages and API), idle timeout, required two-factor authentication.
    "crm.settings.middleware.RequestScopeMiddleware",
    "crm.settings.middleware.AllowedIpMiddleware",
    "crm.settings.middleware.SessionTimeoutMiddleware",
    "crm.settings.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.company",
                "crm.navigation.nav",
                "crm.settings.context_processors.company_branding",
                "public_site.context_processors.public_nav",
                "billing_saas.context_processors.billing_banner",
                "billing_saas.context_processors.owner_email_banner",
            ],
        },
    }
]
FORM_RENDERER = "crm.common.forms.FormRenderer"  # Bootstrap classes and one field template for every form
WSGI_APPLICATION = "config.wsgi.application"

# --- Database ---------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/imcrm")}
# django-tenants' backend whose schema editor names every constraint it adds (Citus-safe DDL).
DATABASES["default"]["ENGINE"] = "tenants.postgresql_backend"
# Recycle connections: a backend caches catalog rows of every schema it touched.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# PostgreSQL's JIT compiles a plan when its estimated cost is high: on the home page's
# sums over 100k invoices that cost 30 ms per request and saved nothing. Short OLTP
# queries are the whole workload, so it is off for our connections (libpq startup
# options; behind PgBouncer set `jit = off` on the role or database instead).
DATABASES["default"]["OPTIONS"].setdefault("options", env.str("DATABASE_OPTIONS", default="-c jit=off"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Redis --------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "config.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="imcrm"),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
}

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TENANT_CACHE_SECONDS = 30
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "max_retries": 1,
    # A task whose worker died (SIGKILL, OOM) without acking goes back to the queue
    # after this many seconds; it must exceed the longest task (and ETA) we run.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
# The result backend must not retry for ~20 s when Redis is down (a request waits on it).
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 30
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".local" / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Queues (deploy/README.md "Celery"): slow or bursty work waits in its own queue, so a
# 50,000-row import or a company archive never holds up a password-reset e-mail, and a
# KSeF outage only fills its own queue. Production runs one worker unit per queue
# (deploy/systemd); `make run` and the tests consume all of them with one worker.
CELERY_TASK_DEFAULT_QUEUE = "celery"
IMCRM_CELERY_QUEUES = ["celery", "mail", "imports", "ksef"]
CELERY_TASK_ROUTES = {
    "tenants.*_email_send": {"queue": "mail"},
    "tenants.owner_email_confirmation_send": {"queue": "mail"},
    "tickets.ticket_assigned_email_send": {"queue": "mail"},
    "portal.project_message_email_send": {"queue": "mail"},
    "emails.email_deliver": {"queue": "mail"},
    "automations.automation_email_send": {"queue": "mail"},
    "tasks.task_reminders_send": {"queue": "mail"},
    "contracts.contracts_remind": {"queue": "mail"},
    "invoicing.payment_reminders_send": {"queue": "mail"},
    "contacts.customer_import_run": {"queue": "imports"},
    "billing_saas.company_export_build": {"queue": "imports"},
    "invoicing.invoice_ksef_send": {"queue": "ksef"},
}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# Billing (billing_saas/tasks.py): trial reminders, trial end and grace, scheduled deletions.
CELERY_BEAT_SCHEDULE["billing-trial-reminders"] = {"task": "billing_saas.trial_reminders_send", "schedule": 30 * 60.0}
CELERY_BEAT_SCHEDULE["billing-lifecycle"] = {"task": "billing_saas.lifecycle_advance", "schedule": 10 * 60.0}
CELERY_BEAT_SCHEDULE["billing-deletions"] = {"task": "billing_saas.deletions_run", "schedule": 60 * 60.0}
# Task e-mail reminders: fans out to every ready company each minute (crm/tasks/tasks.py).
CELERY_BEAT_SCHEDULE["task-reminders"] = {"task": "tasks.task_reminders_fanout", "schedule": 60.0}
# Offers past their validity become "expired", once a day after midnight (crm/offers/tasks.py).
CELERY_BEAT_SCHEDULE["offers-expire"] = {"task": "offers.offers_expire_fanout", "schedule": crontab(hour=0, minute=20)}
# Contracts (crm/contracts/tasks.py): status moves and the owners' reminders before the end, once a day.
CELERY_BEAT_SCHEDULE["contracts-remind"] = {
    "task": "contracts.contracts_remind_fanout",
    "schedule": crontab(hour=6, minute=30),
}
# The trash (crm/trash): entries older than 30 days go for good, once a day.
CELERY_BEAT_SCHEDULE["trash-purge"] = {"task": "trash.trash_purge_fanout", "schedule": 24 * 60 * 60.0}
# BCC copies that matched no customer (crm/emails/unmatched.py): older than 90 days go, once a day.
CELERY_BEAT_SCHEDULE["emails-unmatched-purge"] = {
    "task": "emails.unmatched_purge_fanout",
    "schedule": crontab(hour=2, minute=40),
}
# Invoices (crm/invoicing/tasks.py), once a day, hours in UTC: overdue flags just after
# midnight in Warsaw, customers' payment reminders in the morning, recurring invoices early.
CELERY_BEAT_SCHEDULE["invoices-overdue"] = {
    "task": "invoicing.overdue_fanout",
    "schedule": crontab(hour=23, minute=5),
}
CELERY_BEAT_SCHEDULE["invoices-payment-reminders"] = {
    "task": "invoicing.payment_reminders_fanout",
    "schedule": crontab(hour=7, minute=0),
}
# Scheduled backups (crm/backups/tasks.py): each company's daily or weekly backup, at most once per period.
CELERY_BEAT_SCHEDULE["backups-scheduled"] = {"task": "backups.scheduled_backups_fanout", "schedule": 15 * 60.0}
# Webhook deliveries whose message was lost (broker down at the commit) go out again (crm/webhooks/tasks.py).
CELERY_BEAT_SCHEDULE["webhooks-sweep"] = {"task": "webhooks.deliveries_sweep_fanout", "schedule": 5 * 60.0}
CELERY_BEAT_SCHEDULE["invoices-recurring"] = {
    "task": "invoicing.recurring_fanout",
    "schedule": crontab(hour=4, minute=30),
}

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id first (config/hashers.py); hashes made with PBKDF2 before are upgraded on login.
PASSWORD_HASHERS = [
    "config.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "crm.accounts.adapter.StaffAccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# One login throttle for every way of presenting a password or a 2FA code (login form,
# API token, Django admin, operator console): tenants/login_throttle.py. Rules are
# (scope, failures, seconds): "account_ip" counts per typed account *from one address*
# (a stranger cannot lock the Szef out from elsewhere), "ip" every failure from one
# address. Reaching a rule locks for its period, the right password included.
IMCRM_LOGIN_THROTTLE = [
    ("account_ip", env.int("IMCRM_LOGIN_FAILURES_PER_ACCOUNT", default=5), 5 * 60),
    ("ip", env.int("IMCRM_LOGIN_FAILURES_PER_IP_MINUTE", default=10), 60),
    ("ip", env.int("IMCRM_LOGIN_FAILURES_PER_IP_HOUR", default=40), 60 * 60),
]
# allauth's own failed-login limit is replaced by the one above (crm.accounts.adapter,
# crm.accounts.forms.ThrottledMfa*Form); its other limits (password reset...) stay.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# Behind nginx (deploy/README.md) the client address comes from X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# A code of the previous or next 30-second step is accepted too (clock drift between
# the phone and the server, or a code typed just as it changed); each code works once.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "crm.accounts.forms.ThrottledMfaAuthenticateForm",
    "reauthenticate": "crm.accounts.forms.ThrottledMfaReauthenticateForm",
}
ACCOUNT_CHANGE_EMAIL = True  # one address per person; a new one replaces it once confirmed
# A password reset for an address that is nobody's here mails nothing (the page says the same
# either way): a stranger's inbox gets no mail it did not ask for, and there is no signup to offer.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Settings > E-mail may not point at the service's own network unless allowed (development).
IMCRM_SMTP_ALLOW_PRIVATE_HOSTS = env.bool("IMCRM_SMTP_ALLOW_PRIVATE_HOSTS", default=DEBUG)
# Outgoing webhooks (crm/webhooks/sending.py) refuse addresses inside the network (SSRF);
# only the tests' local receivers turn this on (config/settings_test.py).
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)

# Sessions and cookies stay on the host that set them: a company's cookie never
# reaches another company's subdomain.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_SAMESITE = "Lax"

# --- I18N -------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polski")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
# One date format per language, thousands grouped by a (non-breaking) space in Polish: config/formats/<lang>/.
# USE_THOUSAND_SEPARATOR stays off: templates print ids and years into URLs and attributes; amounts and
# counts ask for grouping themselves (`money`, `floatformat:"0g"`, number_format(force_grouping=True)).
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / ".local" / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / ".local" / "media"))
MEDIA_URL = "/media/"  # never served directly: files go through authorising views
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
# Uploaded files and company archives (tenants/storage.py): the local disk by default
# (MEDIA_ROOT/<schema>/), or with STORAGE_BACKEND=s3 one private bucket of S3-compatible
# object storage with the same layout as key prefixes (<schema>/...), so web nodes keep
# no state. Objects are private; files are read through the authorising views only.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND not in ("filesystem", "s3"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("STORAGE_BACKEND must be 'filesystem' or 's3'")
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None  # empty: AWS itself
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None  # empty: the machine's role
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
AWS_LOCATION = env.str("AWS_LOCATION", default="")  # a prefix in front of every key (a shared bucket)
AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="") or None  # "path" for MinIO and the like
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_DEFAULT_ACL = "private"  # never public-read, whatever the bucket's default
AWS_QUERYSTRING_AUTH = True  # url() is a signed URL...
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=60)  # ...valid for a minute
AWS_S3_FILE_OVERWRITE = False  # two uploads of "umowa.pdf" keep both, as on disk
AWS_S3_OBJECT_PARAMETERS = {"ServerSideEncryption": "AES256"} if env.bool("AWS_S3_ENCRYPT", default=False) else {}
if STORAGE_BACKEND == "s3" and not AWS_STORAGE_BUCKET_NAME:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": {
        "BACKEND": "tenants.storage.TenantS3Storage"
        if STORAGE_BACKEND == "s3"
        else "django_tenants.files.storage.TenantFileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Source maps (14 MB of the libraries' bundles, read only by a browser's developer tools)
# are served as they are: compressing them was half of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Files attached to customers, deals and tasks (checked in crm/common/uploads.py).
IMCRM_ATTACHMENT_MAX_BYTES = env.int("IMCRM_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Customer CSV imports (crm/contacts/import_files.py): a file past any of these is
# refused at upload; 50,000 rows of an ordinary customer list fit in 5 MB.
IMCRM_IMPORT_MAX_BYTES = env.int("IMCRM_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMCRM_IMPORT_MAX_COLUMNS = env.int("IMCRM_IMPORT_MAX_COLUMNS", default=100)
IMCRM_IMPORT_MAX_HEADER_CHARS = env.int("IMCRM_IMPORT_MAX_HEADER_CHARS", default=200)
IMCRM_IMPORT_MAX_ROWS = env.int("IMCRM_IMPORT_MAX_ROWS", default=50_000)

# --- E-mail -----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"ImCRM <no-reply@{IMCRM_BASE_DOMAIN}>")

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    # Our tokens (several per person, hashed) and the session; both refuse with 403 a
    # person the company bars from the API (required 2FA): crm/accounts/authentication.py.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "crm.accounts.authentication.ApiTokenAuthentication",
        "crm.accounts.authentication.CompanySessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than 32 levels is a 400, not a RecursionError (crm/common/api.py).
    "DEFAULT_PARSER_CLASSES": [
        "crm.common.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "crm.accounts.openapi.CompanyAutoSchema",
    "EXCEPTION_HANDLER": "crm.common.exceptions.exception_handler",
    # Per person (token or session): enough for any integration, stops a runaway script.
    "DEFAULT_THROTTLE_CLASSES": ["crm.common.throttles.PersonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("IMCRM_API_RATE", default="3000/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ImCRM API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package (no CDN; the CSP allows only 'self').
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The description of the API is for the company's signed-in staff (token or session),
    # like the API itself; /api/docs/ sends anonymous visitors to the login page.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Request bodies get their own components, so they state what a write requires.
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set used by fields of different names (an invoice's payment_method, a payment's method).
    "ENUM_NAME_OVERRIDES": {"PaymentMethodEnum": "crm.documents.models.PaymentMethod"},
    # The introduction (in the reader's language), ids of existing records, create -> read/update/delete
    # links: crm/accounts/openapi.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "crm.accounts.openapi.related_ids_describe",
        "crm.accounts.openapi.create_links_add",
        "crm.accounts.openapi.introduction",
    ],
}

# --- Stripe -----------------------------------------------------------------
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
# Secrets kept in a company's schema (SMTP password, KSeF token, the company's own Stripe
# keys: crm/company/crypto.py) are encrypted with a key derived from this, or from
# SECRET_KEY when it is empty.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")
# Company data by NIP on the customer and lead forms (crm/contacts/registers.py): GUS BIR1.1
# (REGON, SOAP; the service address, e.g.
# https://wyszukiwarkaregon.stat.gov.pl/wsBIR/UslugaBIRzewnPubl.svc, and the user key GUS
# issues), asked first, and the VAT taxpayers' list ("Biała lista", e.g.
# https://wl-api.mf.gov.pl). Neither configured hides the button.
GUS_BIR_API_URL = env.str("GUS_BIR_API_URL", default="")
GUS_BIR_API_KEY = env.str("GUS_BIR_API_KEY", default="")
VAT_WHITELIST_API_BASE = env.str("VAT_WHITELIST_API_BASE", default="")

# --- Invoices ---------------------------------------------------------------
# Exchange rates of foreign-currency invoices (crm/invoicing/rates.py): the provider class
# and the NBP web API it asks (a local fake in tests).
IMCRM_EXCHANGE_RATE_PROVIDER = env.str("IMCRM_EXCHANGE_RATE_PROVIDER", default="crm.invoicing.rates.NbpProvider")
IMCRM_NBP_API_URL = env.str("IMCRM_NBP_API_URL", default="https://api.nbp.pl/api")
# Sending to KSeF (crm/invoicing/services/ksef.py): seconds between status checks, and how
# many times a transient failure is retried (backoff doubling from 30 s, at most an hour).
IMCRM_KSEF_POLL_INTERVAL = env.float("IMCRM_KSEF_POLL_INTERVAL", default=1.0)
IMCRM_KSEF_MAX_RETRIES = env.int("IMCRM_KSEF_MAX_RETRIES", default=8)

# --- Security ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# DRF throttles by client IP too; without this it would trust any X-Forwarded-For
# a client sends (each request a "new" IP: no throttling at all).
REST_FRAMEWORK["NUM_PROXIES"] = ALLAUTH_TRUSTED_PROXY_COUNT
# JSON only: DRF's browsable HTML pages need inline style the CSP forbids; people read
# the API at /api/docs/ (Swagger UI, CSP-clean).
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]
# Stays empty: a POST whose Origin is another company's subdomain is refused (403).
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from hx-headers, no script reads the cookie
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (django-csp): no inline script or style anywhere; JS may
# still set element.style. Pages put their code in static/js and static/css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", f"*.{IMCRM_BASE_DOMAIN}:*", f"{IMCRM_BASE_DOMAIN}:*"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging: every line says which company schema it ran in ------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tenant_context": {"()": "django_tenants.log.TenantContextFilter"}},
    "formatters": {
        "tenant": {"format": "%(asctime)s %(levelname)s [%(schema_name)s:%(domain_url)s] %(name)s: %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["tenant_context"], "formatter": "tenant"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint (PDF documents) logs every rendering step at INFO.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
IMCRM_POOL_SIZE = env.int("IMCRM_POOL_SIZE", default=3)

# The bell in the header asks for the unread count this often while a page is visible
# (crm/notifications): a new notification shows up without a reload.
NOTIFICATIONS_POLL_SECONDS = env.int("NOTIFICATIONS_POLL_SECONDS", default=30)
