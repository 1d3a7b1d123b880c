"""HTTP endpoints: random spot-check registries, draws and results."""

from flask_smorest import Blueprint

blp = Blueprint("oversight_spot_checks", __name__, url_prefix="/api/v1", description="双随机一公开")
