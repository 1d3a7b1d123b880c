"""Request and response schemas for site plans and the shapes of the four-colour risk map."""

from __future__ import annotations

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int, LabelledEnum, PageQuerySchema
from anxun.risk.grading.schemas import StrictNumber
from anxun.risk.map.drawing import LEVEL_LABELS, SHAPES

TARGET_LABELS = {"place": "地点", "risk_unit": "风险分析单元"}
SHAPE_LABELS = {"point": "标记点", "polygon": "区域"}
MAX_SHAPES = 500
# A guard against oversized bodies; the map rules give the real limit (MAX_POLYGON_POINTS).
MAX_POINTS_GUARD = 1000
NOT_BLANK = validate.Regexp(r"[\s\S]*\S", error="不能为空白。")


class SitePlanCreateSchema(BaseSchema):
    title = fields.String(
        required=True,
        validate=validate.And(validate.Length(max=120), NOT_BLANK),
        metadata={"description": "平面图名称，如“厂区总平面图”"},
    )
    media_id = fields.UUID(
        required=True, metadata={"description": "先经 POST /api/v1/media 上传的平面图图片"}
    )


class SitePlanListQuerySchema(PageQuerySchema):
    sort = fields.String(load_default="id", validate=validate.OneOf(["id", "title"]))


class ShapeInSchema(BaseSchema):
    target_type = fields.String(required=True, validate=validate.OneOf(list(TARGET_LABELS)))
    target_id = Int(required=True)
    shape = fields.String(required=True, validate=validate.OneOf(list(SHAPES)))
    points = fields.List(
        fields.List(StrictNumber()),
        required=True,
        validate=validate.Length(max=MAX_POINTS_GUARD),
        metadata={"description": "平面图像素坐标 [[x, y], …]：标记点 1 个点，区域至少 3 个点"},
    )
    label = fields.String(
        load_default="",
        validate=validate.Length(max=120),
        metadata={"description": "图上文字；留空时用地点或单元名称"},
    )


class ShapesReplaceSchema(BaseSchema):
    shapes = fields.List(
        fields.Nested(ShapeInSchema),
        required=True,
        validate=validate.Length(max=MAX_SHAPES),
        metadata={"description": "平面图上的全部标注（整体替换）"},
    )


class ShapeSchema(BaseSchema):
    id = fields.Integer()
    target_type = LabelledEnum(TARGET_LABELS)
    target_id = fields.Integer()
    target_name = fields.String()
    shape = LabelledEnum(SHAPE_LABELS)
    points = fields.List(fields.List(fields.Float()))
    label = fields.String()
    level = LabelledEnum(
        LEVEL_LABELS,
        allow_none=True,
        metadata={"description": "当前（动态）风险等级；未评估为 null"},
    )
    colour = fields.String(metadata={"description": "四色图颜色，如 #E60012"})
    assessed_level = LabelledEnum(
        LEVEL_LABELS, allow_none=True, metadata={"description": "评估等级（未因隐患上调）"}
    )
    raised = fields.Boolean(metadata={"description": "因未销号隐患临时上调"})
    open_hazards = fields.Integer()


class SitePlanSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    title = fields.String()
    media_id = fields.UUID()
    width = fields.Integer()
    height = fields.Integer()
    created_at = fields.DateTime()
    image_url = fields.Function(lambda plan: f"/api/v1/media/{plan.media_id}")
    map_png_url = fields.Function(lambda plan: f"/api/v1/site-plans/{plan.id}/map.png")
    map_pdf_url = fields.Function(lambda plan: f"/api/v1/site-plans/{plan.id}/map.pdf")


class SitePlanPageSchema(BaseSchema):
    items = fields.List(fields.Nested(SitePlanSchema))
    next_cursor = fields.String(allow_none=True)


class LegendEntrySchema(BaseSchema):
    level = fields.String(allow_none=True)
    label = fields.String()
    colour = fields.String()


class SitePlanDetailSchema(SitePlanSchema):
    shapes = fields.List(fields.Nested(ShapeSchema))
    legend = fields.List(fields.Nested(LegendEntrySchema))
