"""HTTP endpoints: supervised listings of major hazards and their public disclosure."""

from flask_smorest import Blueprint

blp = Blueprint("oversight_listings", __name__, url_prefix="/api/v1", description="挂牌督办")
