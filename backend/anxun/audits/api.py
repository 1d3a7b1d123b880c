"""HTTP endpoints: agency audit runs, signed reports and auditors' read log."""

from flask_smorest import Blueprint

blp = Blueprint("audits", __name__, url_prefix="/api/v1", description="第三方审核")
