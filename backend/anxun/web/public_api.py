"""Public pages that need no login (the disclosure of supervised major hazards)."""

from pathlib import Path

from flask import Blueprint, send_from_directory

bp = Blueprint("public_web", __name__)
PUBLIC_DIR = Path(__file__).with_name("public")


@bp.get("/public/major-hazards")
def major_hazards_page():
    """公示: the public list of supervised major hazards; the page reads the open JSON endpoint."""
    return send_from_directory(PUBLIC_DIR, "major-hazards.html", max_age=300)


@bp.get("/public/<path:filename>")
def public_file(filename):
    """The public pages' scripts and styles."""
    return send_from_directory(PUBLIC_DIR, filename, max_age=300)


@bp.get("/public/spot-checks")
def spot_checks_page():
    """双随机一公开: published random spot checks; the page reads /api/v1/public/spot-checks."""
    return send_from_directory(PUBLIC_DIR, "spot-checks.html", max_age=300)


@bp.get("/favicon.ico")
def favicon():
    """The site icon (安巡 on the brand blue, 16/32/48 px) for the public pages, the desk and the
    phone app alike; browsers also ask for it without a <link>."""
    return send_from_directory(PUBLIC_DIR, "favicon.ico", max_age=86400)
