"""HTTP endpoints: the regulator's overview of its jurisdiction."""

from flask_smorest import Blueprint

blp = Blueprint(
    "oversight_dashboard", __name__, url_prefix="/api/v1/oversight", description="监管总览"
)
