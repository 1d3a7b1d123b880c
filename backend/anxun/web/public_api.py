"""Public pages that need no login (the disclosure of supervised major hazards)."""

from flask import Blueprint

bp = Blueprint("public_web", __name__)
