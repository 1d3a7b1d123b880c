"""The application factory: config, extensions, blueprints, error handlers, CLI."""

from __future__ import annotations

import logging

from flask import Flask
from flask_smorest import Api

from anxun.config import build_config
from anxun.core.converters import register_converters
from anxun.core.db import configure_sqlite, ping_when_idle
from anxun.core.errors import register_error_handlers
from anxun.core.json_provider import JSONProvider
from anxun.core.openapi import ProblemApi
from anxun.core.uow import register_request_transaction
from anxun.extensions import db, jwt, migrate


def create_app(config_override: dict | None = None) -> Flask:
    """Build the app; nothing runs at import time."""
    config = build_config(config_override)
    app = Flask(__name__, instance_path=config["INSTANCE_PATH"], instance_relative_config=False)
    app.config.update(config)
    app.json = JSONProvider(app)
    app.config.update(
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "security": [{"bearerAuth": []}],
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "info": {"description": "安巡：双重预防机制（风险分级管控 + 隐患排查治理）系统接口。"},
        },
    )
    logging.basicConfig(level=logging.INFO)
    # WeasyPrint logs every layout step at INFO; only its warnings are worth a line.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
        ping_when_idle(db.engine, app.config["ANXUN_DB_PING_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    jwt.init_app(app)
    _wire_auth(app)

    register_converters(app)
    api = ProblemApi(app)
    _register_blueprints(app, api)
    _register_event_handlers()
    register_error_handlers(app)
    from anxun.web import headers

    headers.register(app)
    from anxun.core import proxies

    proxies.register(app)
    register_request_transaction(app)
    from anxun.audits import reads as auditor_reads  # after the transaction: runs before commit

    auditor_reads.register(app)
    from anxun.outbox import delivery

    delivery.register(app)

    from anxun.cli import register_cli

    register_cli(app)
    return app


def _migrations_dir():
    from anxun.config import PROJECT_ROOT

    return PROJECT_ROOT / "migrations"


def _wire_auth(app: Flask) -> None:
    from anxun.accounts import services as accounts
    from anxun.accounts import sessions
    from anxun.core.auth import register_jwt_errors

    app.extensions["anxun_actor_loader"] = accounts.load_actor
    jwt.token_in_blocklist_loader(lambda header, payload: sessions.is_revoked(payload))
    register_jwt_errors(jwt)


def _register_blueprints(app: Flask, api: Api) -> None:
    # Models must be imported so metadata is complete for migrations.
    from anxun import models  # noqa: F401
    from anxun.accounts.api import blp as accounts_blp
    from anxun.audits.api import blp as audits_blp
    from anxun.campaigns.api import blp as campaigns_blp
    from anxun.checklists.api import blp as checklists_blp
    from anxun.commitments.api import blp as commitments_blp
    from anxun.commitments.public import bp as commitment_board_bp
    from anxun.evidence.api import blp as evidence_blp
    from anxun.hazards.api import blp as hazards_blp
    from anxun.incidents.api import blp as incidents_blp
    from anxun.inspections.api import blp as inspections_blp
    from anxun.inspections.media_api import blp as media_blp
    from anxun.inspections.planning_api import blp as planning_blp
    from anxun.notifications.api import blp as notifications_blp
    from anxun.orgs.api import blp as orgs_blp
    from anxun.outbox.api import blp as outbox_blp
    from anxun.oversight.dashboard.api import blp as dashboard_blp
    from anxun.oversight.enforcement.api import blp as enforcement_blp
    from anxun.oversight.listings.api import blp as listing_blp
    from anxun.oversight.patrols.api import blp as patrol_blp
    from anxun.oversight.spot_checks.api import blp as spot_check_blp
    from anxun.permits.api import blp as permits_blp
    from anxun.reports.api import blp as reports_blp
    from anxun.risk.accountability.api import blp as risk_accountability_blp
    from anxun.risk.grading.api import blp as risk_grading_blp
    from anxun.risk.map.api import blp as risk_map_blp
    from anxun.risk.registry.api import blp as risk_registry_blp
    from anxun.standards.api import blp as standards_blp
    from anxun.sync.api import blp as sync_blp
    from anxun.web.api import bp as web_bp
    from anxun.web.public_api import bp as public_web_bp

    api.register_blueprint(accounts_blp)
    api.register_blueprint(orgs_blp)
    api.register_blueprint(checklists_blp)
    api.register_blueprint(media_blp)
    api.register_blueprint(inspections_blp)
    api.register_blueprint(planning_blp)
    api.register_blueprint(sync_blp)
    api.register_blueprint(outbox_blp)
    api.register_blueprint(risk_grading_blp)
    api.register_blueprint(risk_map_blp)
    api.register_blueprint(risk_registry_blp)
    api.register_blueprint(risk_accountability_blp)
    api.register_blueprint(hazards_blp)
    api.register_blueprint(notifications_blp)
    api.register_blueprint(reports_blp)
    api.register_blueprint(dashboard_blp)
    api.register_blueprint(patrol_blp)
    api.register_blueprint(listing_blp)
    api.register_blueprint(enforcement_blp)
    api.register_blueprint(spot_check_blp)
    api.register_blueprint(incidents_blp)
    api.register_blueprint(audits_blp)
    api.register_blueprint(standards_blp)
    api.register_blueprint(evidence_blp)
    api.register_blueprint(permits_blp)
    api.register_blueprint(campaigns_blp)
    api.register_blueprint(commitments_blp)
    app.register_blueprint(public_web_bp)
    app.register_blueprint(commitment_board_bp)
    app.register_blueprint(web_bp)


def _register_event_handlers() -> None:
    """Each domain subscribes its reactions to other domains' events (core/events.py); the order
    is the order handlers of one event run in. Subscribing again (another app in the same
    process) changes nothing."""
    from anxun.audits import handlers as audits
    from anxun.hazards import handlers as hazards
    from anxun.outbox import handlers as outbox
    from anxun.risk import handlers as risk

    for domain in (hazards, risk, outbox, audits):
        domain.register()
