"""HTTP endpoints: incident quick reports and follow-ups."""

from flask_smorest import Blueprint

blp = Blueprint("incidents", __name__, url_prefix="/api/v1", description="事故信息报告")
