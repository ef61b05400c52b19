"""Settings read from the environment (flat, twelve-factor style).

With no environment at all the app runs embedded: an SQLite file in `instance/`
and background jobs run inline in the web process. `DATABASE_URL` and `REDIS_URL`
switch the same code to PostgreSQL and Redis + RQ.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(raw: str | None) -> str:
    if not raw:
        return f"sqlite:///{INSTANCE / 'slrt.sqlite3'}"
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://"):]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://"):]
    return raw


class Config:
    """Defaults for every environment; each value can be overridden by a variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-change-me")
    BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost:5000")
    PREFERRED_URL_SCHEME = os.environ.get("URL_SCHEME", "http")

    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("DATABASE_URL"))
    # Migrations run as the table owner; the app connects as a role without ownership.
    MIGRATION_DATABASE_URI = _database_url(
        os.environ.get("MIGRATION_DATABASE_URL") or os.environ.get("DATABASE_URL")
    )
    # Test each pooled connection before use: a connection the server dropped (restart,
    # failover, pg_terminate_backend) is replaced instead of failing a user's request.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    # Platform reads across regions (the all_tenants option) connect as a read-only role
    # (app/tenancy/rls.py); unset on SQLite means the same engine.
    PLATFORM_DATABASE_URI = (_database_url(os.environ["PLATFORM_DATABASE_URL"])
                             if os.environ.get("PLATFORM_DATABASE_URL") else None)
    # Optional read replica (app/tenancy/reads.py): the region dashboards and the console read it
    # through the app role and the platform role; writes always go to the primary.
    REPLICA_DATABASE_URI = (_database_url(os.environ["REPLICA_DATABASE_URL"])
                            if os.environ.get("REPLICA_DATABASE_URL") else None)
    PLATFORM_REPLICA_DATABASE_URI = (_database_url(os.environ["PLATFORM_REPLICA_DATABASE_URL"])
                                     if os.environ.get("PLATFORM_REPLICA_DATABASE_URL") else None)
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "slrt")
    # Outgoing mail (app/accounts/mailer.py): smtp://user:pass@host:587?starttls=1 or smtps://…;
    # unset = nothing is sent, messages stay in the outbox (development mailbox /dev/mailbox).
    MAIL_SMTP_URL = os.environ.get("MAIL_SMTP_URL") or None
    MAIL_FROM = os.environ.get("MAIL_FROM") or None
    # 'Lupa kata sandi': how long a reset link works, and how often one may be asked for
    # (per client address, and per typed email whatever the address).
    PASSWORD_RESET_HOURS = int(os.environ.get("PASSWORD_RESET_HOURS", "1"))
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour")

    # Host-only cookies: no SESSION_COOKIE_DOMAIN, so a Bekasi cookie never reaches Cianjur.
    SESSION_COOKIE_DOMAIN = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DOMAIN = None
    FORCE_HTTPS = _bool("FORCE_HTTPS", False)
    # Behind a load balancer: trust this many X-Forwarded-* hops for the client address
    # (audit "from where") and the scheme. 0 = direct connections (development).
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))

    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "50")) * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # a long intake form must not expire under the officer
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: count limits in this process's memory (Flask-Limiter logs a warning) rather
    # than turn login and the public status page into a 500; fail fast while it is down.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS: ClassVar[dict] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # Failed logins for one account, from any address (a correct password is not counted).
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes")

    SLRT_ENV = os.environ.get("SLRT_ENV", "development")
    # Server-side sessions (app/accounts/sessions.py): idle timeout, absolute lifetime, and how
    # often a request may record activity (so an ordinary request is not a write).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    SESSION_TOUCH_SECONDS = int(os.environ.get("SESSION_TOUCH_SECONDS", "60"))

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "slrt-demo-2026")
    WILAYAH_DIR = Path(os.environ.get("WILAYAH_DIR", ROOT / "data" / "wilayah"))
    TEMPLATES_DIR = ROOT / "app" / "tenants" / "templates"

    # Attachments (app/attachments/): stored outside the web root, one folder per region.
    ATTACHMENTS_STORAGE = os.environ.get("ATTACHMENTS_STORAGE", "local")  # only "local" so far (S3 later)
    ATTACHMENTS_DIR = Path(os.environ.get("ATTACHMENTS_DIR", INSTANCE / "attachments"))
    ATTACHMENT_MAX_MB = int(os.environ.get("ATTACHMENT_MAX_MB", "10"))
    ATTACHMENT_MAX_PIXELS = int(os.environ.get("ATTACHMENT_MAX_PIXELS", "50000000"))  # decoded size guard
    ATTACHMENT_LINK_MAX_AGE = int(os.environ.get("ATTACHMENT_LINK_MAX_AGE", "900"))  # seconds


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    BASE_DOMAIN = "slrt.test"
    # Cheap hashing: the suite hashes ~70 demo passwords; production keeps argon2's defaults.
    ARGON2_PARAMS: ClassVar[dict] = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}


DEFAULT_SECRET_KEY = Config.SECRET_KEY


def refuse_unsafe_settings(config) -> None:
    """Production must not start with the development secret key (anyone could forge sessions)."""
    if config.get("SLRT_ENV") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < 32:
        raise RuntimeError("SECRET_KEY belum diatur untuk produksi (SLRT_ENV=production): setel variabel "
                           "lingkungan SECRET_KEY ke nilai acak minimal 32 karakter, mis. hasil "
                           "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`.")
