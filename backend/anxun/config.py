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
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # Access tokens are short-lived; the PWA refreshes them with the refresh token.
    "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=15),
    "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=14),
    "JWT_SECRET_KEY": "",
    # Login throttling: failures allowed per account / per client address inside the window.
    "ANXUN_LOGIN_MAX_FAILURES_ACCOUNT": 5,
    "ANXUN_LOGIN_MAX_FAILURES_ADDRESS": 20,
    "ANXUN_LOGIN_WINDOW_SECONDS": 15 * 60,
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
    # Largest accepted photo in bytes; larger uploads answer 413.
    "ANXUN_MEDIA_MAX_BYTES": 5 * 1024 * 1024,
    # Outbox delivery: "inline" (embedded: after each committing request), "rq" (Redis workers), "off".
    "ANXUN_DISPATCH_MODE": "inline",
    "ANXUN_REDIS_URL": "redis://127.0.0.1:6379/0",
    # A rectification order not acknowledged (签收) this many days after issue is escalated.
    "ANXUN_ORDER_ACK_DAYS": 3,
    # Minutes allowed between an incident and its quick report (快报) before it is flagged late.
    # 国务院令第493号 第九条 asks for one hour (clause to be verified; see incidents/rules.py).
    "ANXUN_INCIDENT_QUICK_REPORT_MINUTES": 60,
    # Folder of agency signing keys and signed audit reports; empty means <INSTANCE_PATH>/signing.
    "ANXUN_SIGNING_DIR": "",
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
    "ANXUN_REDIS_URL": "ANXUN_REDIS_URL",
    "ANXUN_MEDIA_DIR": "ANXUN_MEDIA_DIR",
    "ANXUN_ORDER_ACK_DAYS": "ANXUN_ORDER_ACK_DAYS",
    "ANXUN_INCIDENT_QUICK_REPORT_MINUTES": "ANXUN_INCIDENT_QUICK_REPORT_MINUTES",
    "ANXUN_SIGNING_DIR": "ANXUN_SIGNING_DIR",
}

INTEGER_KEYS = ("ANXUN_ORDER_ACK_DAYS", "ANXUN_INCIDENT_QUICK_REPORT_MINUTES")


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgres URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def build_config(override: dict | None = None) -> dict:
    """Merge DEFAULTS, the environment and an explicit override into one mapping."""
    config = dict(DEFAULTS)
    for env_key, config_key in ENV_KEYS.items():
        if os.environ.get(env_key):
            config[config_key] = os.environ[env_key]
    for key in INTEGER_KEYS:
        config[key] = int(config[key])
    config.update(override or {})
    instance = Path(config["INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    if not config["SQLALCHEMY_DATABASE_URI"]:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'anxun.sqlite3'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
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
