"""HTTP endpoints: enforcement records (interviews, suspensions)."""

from flask_smorest import Blueprint

blp = Blueprint("oversight_enforcement", __name__, url_prefix="/api/v1", description="执法记录")
