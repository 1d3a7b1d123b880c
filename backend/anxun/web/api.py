"""Health check, the browsable API docs page, the PWA served at / and the regulator workspace."""

from pathlib import Path

from flask import Blueprint, current_app, jsonify, redirect, send_from_directory
from werkzeug.exceptions import NotFound

from anxun import __version__
from anxun.web import queries

bp = Blueprint("web", __name__)
DOCS_PAGE = Path(__file__).with_name("docs.html")
WORKSPACE_DIR = Path(__file__).with_name("workspace")


@bp.get("/api/v1/health")
def health():
    """Liveness plus a database round trip; 503 when the database cannot be reached."""
    if not queries.database_ok():
        body = {"status": "degraded", "database": "unreachable", "version": __version__}
        return jsonify(body), 503
    return jsonify({"status": "ok", "database": "ok", "version": __version__})


@bp.get("/api/v1/docs")
def docs():
    """A self-contained page that renders /api/v1/openapi.json (no CDN needed)."""
    return DOCS_PAGE.read_text(encoding="utf-8"), 200, {"Content-Type": "text/html; charset=utf-8"}


def _pwa_dir() -> Path:
    return Path(current_app.config["ANXUN_PWA_DIR"])


@bp.get("/regulator")
def workspace_redirect():
    return redirect("/regulator/", code=308)


@bp.get("/regulator/")
def workspace_index():
    """The regulator workspace (online-only desk app); the shell is never cached."""
    response = send_from_directory(WORKSPACE_DIR, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/regulator/<path:filename>")
def workspace_file(filename):
    response = send_from_directory(WORKSPACE_DIR, filename, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker():
    response = send_from_directory(_pwa_dir(), "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
def pwa_index():
    response = send_from_directory(_pwa_dir(), "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/<path:filename>")
def pwa_file(filename):
    if filename.startswith("api/"):
        raise NotFound()
    return send_from_directory(_pwa_dir(), filename, max_age=0)
