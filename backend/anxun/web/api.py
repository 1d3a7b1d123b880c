"""Health check, the browsable API docs page, the PWA served at / and the desk at /desk/."""

from pathlib import Path

from flask import Blueprint, current_app, jsonify, redirect, send_from_directory

from anxun import __version__
from anxun.web import queries

bp = Blueprint("web", __name__)
DOCS_PAGE = Path(__file__).with_name("docs.html")
DOCS_SCRIPT = Path(__file__).with_name("docs.js")


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


@bp.get("/api/v1/docs.js")
def docs_script():
    """The docs page's script, a file of its own so the CSP needs no 'unsafe-inline' scripts."""
    body = DOCS_SCRIPT.read_text(encoding="utf-8")
    return body, 200, {"Content-Type": "text/javascript; charset=utf-8"}


def _pwa_dir() -> Path:
    """The front-ends' home: the phone app at its root, the desk in desk/, the toolkit in shared/."""
    return Path(current_app.config["ANXUN_PWA_DIR"])


def _desk_dir() -> Path:
    return _pwa_dir() / "desk"


@bp.get("/desk")
def desk_redirect():
    return redirect("/desk/", code=308)


@bp.get("/desk/")
def desk_index():
    """The desk (online-only app for regulators, agencies and enterprises); never cached."""
    response = send_from_directory(_desk_dir(), "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/desk/<path:filename>")
def desk_file(filename):
    response = send_from_directory(_desk_dir(), filename, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/regulator")
@bp.get("/regulator/")
@bp.get("/regulator/<path:filename>")
def regulator_redirect(filename: str = ""):
    """The desk's former address: bookmarks and old links land on /desk/ (the hash survives)."""
    return redirect("/desk/" + filename, code=301)


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


@bp.get("/<shell_path:filename>")
def pwa_file(filename):
    return send_from_directory(_pwa_dir(), filename, max_age=0)
