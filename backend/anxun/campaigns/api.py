"""HTTP endpoints: campaigns (专项整治), 举一反三, stage samples and checks, export and report."""

from flask import Response

from anxun.campaigns import documents, queries, services
from anxun.campaigns.schemas import (
    BureauViewSchema,
    CampaignCreateSchema,
    CampaignItemListSchema,
    CampaignListSchema,
    CampaignSchema,
    CheckCreateSchema,
    FromOriginSchema,
    PreviewSchema,
    SampleCreateSchema,
    SampleListSchema,
    TargetFilterSchema,
)
from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint

blp = Blueprint("campaigns", __name__, url_prefix="/api/v1", description="专项整治与举一反三")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def _view(campaign):
    return queries.summary(campaign, current_actor())


@blp.route("/campaigns", methods=["GET"])
@authenticated
@blp.response(200, CampaignListSchema)
def list_campaigns():
    """Campaigns the caller sees: its bureau's, or those its enterprise is asked to join."""
    return {"items": queries.list_campaigns(current_actor())}


@blp.route("/campaigns", methods=["POST"])
@authenticated
@blp.arguments(CampaignCreateSchema)
@blp.response(201, CampaignSchema)
def create_campaign(data):
    """A draft campaign (regulator_admin): notice, checklist, targets, stages, supervisor."""
    return _view(services.create_campaign(current_actor(), data))


@blp.route("/campaigns/preview", methods=["POST"])
@authenticated
@blp.arguments(TargetFilterSchema)
@blp.response(200, PreviewSchema)
def preview_targets(data):
    """How many enterprises of the bureau's jurisdiction a target filter reaches."""
    return queries.preview(current_actor(), data)


@blp.route("/campaigns/from-origin", methods=["POST"])
@authenticated
@blp.arguments(FromOriginSchema)
@blp.response(201, CampaignSchema)
def start_from_origin(data):
    """举一反三: a draft campaign from an incident or hazard in one action."""
    return _view(services.start_from_origin(current_actor(), data))


@blp.route("/campaigns/<int:campaign_id>", methods=["GET"])
@authenticated
@blp.response(200, CampaignSchema)
def get_campaign(campaign_id):
    """One campaign with its notice, checklist, stages and the caller's own tasks."""
    return _view(queries.get_campaign(current_actor(), campaign_id))


@blp.route("/campaigns/<int:campaign_id>/items", methods=["GET"])
@authenticated
@blp.response(200, CampaignItemListSchema)
def list_items(campaign_id):
    """The campaign checklist's items in order, for the 督导检查 / 回头看 form."""
    campaign = queries.get_campaign(current_actor(), campaign_id)
    return {"items": queries.checklist_items(campaign)}


@blp.route("/campaigns/<int:campaign_id>/launch", methods=["POST"])
@authenticated
@blp.response(200, CampaignSchema)
def launch_campaign(campaign_id):
    """Launch: one task per target enterprise, due by the self-check deadline."""
    actor = current_actor()
    campaign = queries.get_campaign(actor, campaign_id)
    return _view(services.launch_campaign(actor, campaign))


@blp.route("/campaigns/<int:campaign_id>/overview", methods=["GET"])
@authenticated
@blp.response(200, BureauViewSchema)
def campaign_overview(campaign_id):
    """The bureau's figures: completion by region and industry, hazards, laggards, 零隐患."""
    actor = current_actor()
    campaign = queries.get_campaign(actor, campaign_id)
    queries.require_bureau(actor, campaign)
    return queries.bureau_view(campaign)


@blp.route("/campaigns/<int:campaign_id>/export.xlsx", methods=["GET"])
@authenticated
@blp.response(200, description="Campaign figures per enterprise (Excel).", content_type=XLSX)
def export_campaign(campaign_id):
    """Excel: one row per target enterprise, and the figures by region and industry."""
    actor = current_actor()
    campaign = queries.get_campaign(actor, campaign_id)
    queries.require_bureau(actor, campaign)
    data = documents.export_xlsx(campaign, queries.bureau_view(campaign))
    response = Response(data, mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="campaign-{campaign.id}.xlsx"'
    return response


@blp.route("/campaigns/<int:campaign_id>/report.pdf", methods=["GET"])
@authenticated
@blp.response(200, description="Campaign summary report (PDF).", content_type=PDF)
def campaign_report(campaign_id):
    """总结报告: the figures a bureau files upward, as a PDF."""
    actor = current_actor()
    campaign = queries.get_campaign(actor, campaign_id)
    queries.require_bureau(actor, campaign)
    pdf = documents.summary_pdf(campaign, queries.bureau_view(campaign))
    response = Response(pdf, mimetype=PDF)
    response.headers["Content-Disposition"] = f'attachment; filename="campaign-{campaign.id}.pdf"'
    return response


@blp.route("/campaigns/<int:campaign_id>/samples", methods=["POST"])
@authenticated
@blp.arguments(SampleCreateSchema)
@blp.response(201, SampleListSchema)
def draw_sample(data, campaign_id):
    """督导检查 / 回头看 sample: drawn reproducibly from the targets (seed, count) or chosen."""
    actor = current_actor()
    campaign = queries.get_campaign(actor, campaign_id)
    services.draw_sample(actor, campaign, data)
    return {
        "items": [s for s in queries.samples_view(campaign) if s["stage"]["code"] == data["stage"]]
    }


@blp.route("/campaigns/<int:campaign_id>/samples", methods=["GET"])
@authenticated
@blp.response(200, SampleListSchema)
def list_samples(campaign_id):
    """The 督导检查 / 回头看 samples with their checks and differences: the bureau sees all, the
    supervising agency's auditors those of the enterprises they are engaged for."""
    actor = current_actor()
    campaign = queries.get_campaign(actor, campaign_id)
    return {"items": queries.visible_samples(actor, campaign)}


@blp.route("/campaigns/<int:campaign_id>/samples/<int:sample_id>/check", methods=["POST"])
@authenticated
@blp.arguments(CheckCreateSchema)
@blp.response(201, SampleListSchema)
def record_check(data, campaign_id, sample_id):
    """The inspector's item-by-item results; the answer shows the differences with the
    enterprise's self-check (自查合格、督查不合格)."""
    actor = current_actor()
    campaign = queries.get_campaign(actor, campaign_id)
    services.record_check(actor, campaign, sample_id, data)
    return {"items": [s for s in queries.samples_view(campaign) if s["id"] == sample_id]}
