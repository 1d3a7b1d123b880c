"""Configuration: one commented DEFAULTS mapping, overridden by env vars, then by the caller."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from anxun import __version__

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEFAULTS: dict = {
    # Where instance data lives: the SQLite file, generated secrets, uploaded media.
    "INSTANCE_PATH": str(PROJECT_ROOT / "instance"),
    # SQLAlchemy URL; empty means an SQLite file under INSTANCE_PATH.
    "SQLALCHEMY_DATABASE_URI": "",
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # A pooled PostgreSQL connection idle this long is pinged before use (core/db.ping_when_idle);
    # one used more recently goes straight to its statement. 0: ping on every checkout.
    "ANXUN_DB_PING_IDLE_SECONDS": 10,
    # Access tokens are short-lived; the PWA refreshes them with the refresh token.
    "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=15),
    "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=14),
    "JWT_SECRET_KEY": "",
    # Login throttling (OWASP ASVS V2.2.1), counted in the database so every worker and server
    # shares it. Per (account, client address): the first FREE failures cost nothing, then each
    # further attempt waits DELAY_BASE × 2^k seconds after the last failure, up to DELAY_MAX.
    # Overall caps inside the window, per client address and per account, refuse only addresses
    # where that account has not logged in successfully within KNOWN_DAYS, so a stranger who
    # knows a username cannot lock its owner out.
    "ANXUN_LOGIN_FREE_FAILURES": 3,
    "ANXUN_LOGIN_DELAY_BASE_SECONDS": 2,
    "ANXUN_LOGIN_DELAY_MAX_SECONDS": 15 * 60,
    "ANXUN_LOGIN_MAX_FAILURES_ACCOUNT": 100,
    "ANXUN_LOGIN_MAX_FAILURES_ADDRESS": 50,
    "ANXUN_LOGIN_WINDOW_SECONDS": 60 * 60,
    "ANXUN_LOGIN_KNOWN_DAYS": 30,
    # A refresh token replaced by a refresh stays valid this long (the answer carrying its
    # successor may have been lost); presenting it later revokes the whole login session.
    "ANXUN_REFRESH_GRACE_SECONDS": 120,
    # Seconds a login session checked by one request answers the next ones from the process's
    # memory (accounts/actor_cache.py): the process's own writes clear it at once, other
    # processes see a logout or role change within this time. 0: check every request.
    "ANXUN_AUTH_CACHE_SECONDS": 5,
    # Whether that cache is shared across processes and servers through a change counter in
    # Redis (ANXUN_REDIS_URL), so a logout or role change on one server is seen by every
    # server's next request: "redis", "off", or "auto" (shared when ANXUN_DISPATCH_MODE is rq).
    "ANXUN_AUTH_CACHE_SHARED": "auto",
    # Reverse proxies in front of the app whose X-Forwarded-For / -Proto are trusted (ProxyFix).
    # 0: the client address is the TCP peer and forwarded headers are ignored.
    "ANXUN_TRUSTED_PROXIES": 0,
    # Password hashing cost (argon2id); tests lower it.
    "ANXUN_ARGON2_TIME_COST": 3,
    "ANXUN_ARGON2_MEMORY_COST": 65536,
    "ANXUN_ARGON2_PARALLELISM": 4,
    # Demo data password printed by `make run`.
    "ANXUN_DEMO_PASSWORD": "anxun-demo",
    # Checklist folder loaded at start-up by `flask anxun checklists load`.
    "ANXUN_CHECKLIST_DIR": str(PROJECT_ROOT / "checklists"),
    # The PWA served at /.
    "ANXUN_PWA_DIR": str(PROJECT_ROOT / "pwa"),
    # Largest accepted request body (uploads): 16 MB; per-photo limits live with media.
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # Folder of uploaded photos (content-addressed) and their thumbnails; empty means
    # <INSTANCE_PATH>/media, and a relative path is taken relative to INSTANCE_PATH.
    "ANXUN_MEDIA_DIR": "",
    # Photos and generated documents in S3-compatible object storage instead of local folders,
    # e.g. s3://anxun/prod?endpoint=http://127.0.0.1:8333 (core/storage.py); empty: local.
    "ANXUN_STORAGE_URL": "",
    "ANXUN_STORAGE_ACCESS_KEY": "",
    "ANXUN_STORAGE_SECRET_KEY": "",
    # Largest accepted photo in bytes; larger uploads answer 413.
    "ANXUN_MEDIA_MAX_BYTES": 5 * 1024 * 1024,
    # Largest accepted photo in pixels (width x height, read from the header before decoding);
    # the PWA sends at most 1600 px a side, a 6000 x 4000 camera photo still passes.
    "ANXUN_MAX_IMAGE_PIXELS": 24_000_000,
    # The public address printed in QR labels and risk cards (scheme, host, optional path), e.g.
    # https://anxun.example.cn/; set it in every deployment. The request's Host header is never
    # used, so a forged Host cannot put another site on printed labels.
    "ANXUN_PUBLIC_BASE_URL": "http://127.0.0.1:8000/",
    # Outbox delivery, always after commit and off the request thread: "embedded" (a worker thread
    # in each server process), "rq" (Redis workers), "off" (only `flask anxun outbox dispatch`).
    "ANXUN_DISPATCH_MODE": "embedded",
    # Embedded mode: seconds between the worker's wake-ups for due retries (a commit that enqueued
    # something wakes it at once).
    "ANXUN_DISPATCH_INTERVAL_SECONDS": 30,
    "ANXUN_REDIS_URL": "redis://127.0.0.1:6379/0",
    # A rectification order not acknowledged (签收) this many days after issue is escalated.
    "ANXUN_ORDER_ACK_DAYS": 3,
    # Minutes allowed between an incident and its quick report (快报) before it is flagged late.
    # 国务院令第493号 第九条 asks for one hour (clause to be verified; see incidents/rules.py).
    "ANXUN_INCIDENT_QUICK_REPORT_MINUTES": 60,
    # Beijing time (HH:MM) by which a hazardous-chemicals enterprise's head signs the day's safety
    # commitment (安全承诺); later ones are kept and marked late, none at all is missing.
    "ANXUN_COMMITMENT_CUTOFF": "09:00",
    # Points (0–99) the daily commitment's on-time rate carries in the grade of an enterprise
    # that must commit; its other components shrink in proportion so the total stays 100
    # (risk/grading/enterprise.with_commitment). 0 leaves the commitment out of the grade.
    "ANXUN_GRADE_COMMITMENT_WEIGHT": 10,
    # Minutes before a permit's gas re-analysis is due that its guardian and applicant are
    # reminded (GB 30871—2022 6.5). The reminder comes from the permits sweep, which runs every
    # 10 minutes (`flask anxun jobs run`), so keep this at least 10.
    "ANXUN_PERMIT_REMINDER_MINUTES": 15,
    # Calendar raising hot work one grade at night, on rest days and holidays (YAML: night hours,
    # weekends, holidays, make-up working days); empty means the shipped permits/special_days.yaml.
    "ANXUN_PERMIT_CALENDAR": "",
    # Folder of agency signing keys and signed audit reports; empty means <INSTANCE_PATH>/signing.
    "ANXUN_SIGNING_DIR": "",
    # Ed25519 key signing audit-chain checkpoints; never in the database, back it up offline.
    # Empty means <INSTANCE_PATH>/audit-checkpoint-key.pem (generated on the first checkpoint).
    "ANXUN_AUDIT_KEY_FILE": "",
    "API_TITLE": "Anxun 安巡 API",
    "API_VERSION": __version__,
    "OPENAPI_VERSION": "3.0.3",
}

ENV_KEYS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "ANXUN_INSTANCE_PATH": "INSTANCE_PATH",
    "ANXUN_JWT_SECRET_KEY": "JWT_SECRET_KEY",
    "ANXUN_DEMO_PASSWORD": "ANXUN_DEMO_PASSWORD",
    "ANXUN_CHECKLIST_DIR": "ANXUN_CHECKLIST_DIR",
    "ANXUN_DISPATCH_MODE": "ANXUN_DISPATCH_MODE",
    "ANXUN_DISPATCH_INTERVAL_SECONDS": "ANXUN_DISPATCH_INTERVAL_SECONDS",
    "ANXUN_REDIS_URL": "ANXUN_REDIS_URL",
    "ANXUN_MEDIA_DIR": "ANXUN_MEDIA_DIR",
    "ANXUN_ORDER_ACK_DAYS": "ANXUN_ORDER_ACK_DAYS",
    "ANXUN_INCIDENT_QUICK_REPORT_MINUTES": "ANXUN_INCIDENT_QUICK_REPORT_MINUTES",
    "ANXUN_COMMITMENT_CUTOFF": "ANXUN_COMMITMENT_CUTOFF",
    "ANXUN_GRADE_COMMITMENT_WEIGHT": "ANXUN_GRADE_COMMITMENT_WEIGHT",
    "ANXUN_PERMIT_REMINDER_MINUTES": "ANXUN_PERMIT_REMINDER_MINUTES",
    "ANXUN_PERMIT_CALENDAR": "ANXUN_PERMIT_CALENDAR",
    "ANXUN_SIGNING_DIR": "ANXUN_SIGNING_DIR",
    "ANXUN_MAX_IMAGE_PIXELS": "ANXUN_MAX_IMAGE_PIXELS",
    "ANXUN_PUBLIC_BASE_URL": "ANXUN_PUBLIC_BASE_URL",
    "ANXUN_TRUSTED_PROXIES": "ANXUN_TRUSTED_PROXIES",
    "ANXUN_AUTH_CACHE_SECONDS": "ANXUN_AUTH_CACHE_SECONDS",
    "ANXUN_DB_PING_IDLE_SECONDS": "ANXUN_DB_PING_IDLE_SECONDS",
    "ANXUN_AUTH_CACHE_SHARED": "ANXUN_AUTH_CACHE_SHARED",
    "ANXUN_AUDIT_KEY_FILE": "ANXUN_AUDIT_KEY_FILE",
    "ANXUN_STORAGE_URL": "ANXUN_STORAGE_URL",
    "ANXUN_STORAGE_ACCESS_KEY": "ANXUN_STORAGE_ACCESS_KEY",
    "ANXUN_STORAGE_SECRET_KEY": "ANXUN_STORAGE_SECRET_KEY",
}

INTEGER_KEYS = (
    "ANXUN_AUTH_CACHE_SECONDS",
    "ANXUN_DB_PING_IDLE_SECONDS",
    "ANXUN_ORDER_ACK_DAYS",
    "ANXUN_INCIDENT_QUICK_REPORT_MINUTES",
    "ANXUN_GRADE_COMMITMENT_WEIGHT",
    "ANXUN_PERMIT_REMINDER_MINUTES",
    "ANXUN_MAX_IMAGE_PIXELS",
    "ANXUN_TRUSTED_PROXIES",
)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgres URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def custom_plans(engine_options: dict) -> dict:
    """psycopg prepares a statement on its fifth execution, and PostgreSQL plans a prepared
    statement generically from its sixth: the regulator overview's aggregates (a region prefix,
    today's date) then took 5–8 s instead of 0.2 s at 10,000 enterprises (issue #18). Without
    server-side prepares every statement is planned for its values; explicit connect_args win."""
    connect_args = {"prepare_threshold": None, **(engine_options.get("connect_args") or {})}
    return {**engine_options, "connect_args": connect_args}


def queued_writers(engine_options: dict) -> dict:
    """SQLite connections whose transactions queue in the kernel for the write lock
    (core/db.QueuedConnection); an explicit factory wins."""
    from anxun.core.db import QueuedConnection

    connect_args = {"factory": QueuedConnection, **(engine_options.get("connect_args") or {})}
    return {**engine_options, "connect_args": connect_args}


def build_config(override: dict | None = None) -> dict:
    """Merge DEFAULTS, the environment and an explicit override into one mapping."""
    config = dict(DEFAULTS)
    for env_key, config_key in ENV_KEYS.items():
        if os.environ.get(env_key):
            config[config_key] = os.environ[env_key]
    for key in INTEGER_KEYS:
        config[key] = int(config[key])
    config.update(override or {})
    if not 0 <= config["ANXUN_GRADE_COMMITMENT_WEIGHT"] < 100:
        raise ValueError("ANXUN_GRADE_COMMITMENT_WEIGHT must be between 0 and 99")
    instance = Path(config["INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    if not config["SQLALCHEMY_DATABASE_URI"]:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'anxun.sqlite3'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = custom_plans(config["SQLALCHEMY_ENGINE_OPTIONS"])
    elif config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = queued_writers(config["SQLALCHEMY_ENGINE_OPTIONS"])
    if not config["JWT_SECRET_KEY"]:
        config["JWT_SECRET_KEY"] = instance_secret(instance, "jwt-secret")
    return config


def instance_secret(instance: Path, name: str) -> str:
    """Read a secret generated once into the instance folder, creating it on first use."""
    path = instance / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
