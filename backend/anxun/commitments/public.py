"""The public board (no login) of one enterprise's daily commitment: a page and a printable sheet
for the gate."""

from flask import Blueprint, Response, send_from_directory

from anxun.commitments import queries, rules
from anxun.reports.render import TEMPLATES_DIR, chinese_date, render_html, render_pdf

bp = Blueprint("commitment_board", __name__)


def _render(enterprise_id: int, renderer):
    board = queries.public_board(enterprise_id)
    return renderer(
        "commitment_board.html",
        {"board": board, "source_labels": rules.SOURCE_STATUS_LABELS},
        title="安全风险研判与承诺公告",
        org_name=board["enterprise"].name,
        period=chinese_date(board["commit_date"]),
    )


@bp.route("/public/commitments/<int:enterprise_id>")
def board_page(enterprise_id: int):
    return Response(_render(enterprise_id, render_html), mimetype="text/html")


@bp.route("/public/commitments/<int:enterprise_id>/sheet.pdf")
def board_sheet(enterprise_id: int):
    return Response(_render(enterprise_id, render_pdf), mimetype="application/pdf")


@bp.route("/public/commitments/report.css")
def board_stylesheet():
    """The page links the report stylesheet relatively, as the PDF templates do."""
    return send_from_directory(TEMPLATES_DIR, "report.css", mimetype="text/css")
