"""HTTP endpoints: online patrols, findings, rectification orders, acknowledgments, follow-ups."""

from flask_smorest import Blueprint

blp = Blueprint(
    "oversight_patrols", __name__, url_prefix="/api/v1", description="网上巡查与整改指令"
)
