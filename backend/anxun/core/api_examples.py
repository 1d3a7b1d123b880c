"""Request and response examples of the main write operations, shown in the OpenAPI document
(`/api/v1/openapi.json`, browsable at `/api/v1/docs`). All of them live here, by (method, path).

They are true: `tests/api/test_openapi_examples.py` checks every example against its own schema
and sends each request example to a seeded world, checking the answer against the documented
response schema and shape. Before sending, the test puts the world's own values in the place of
the few that name rows of one particular database, the constants below marked so (the checklist
version hash, task, place and user ids, the password, the photo's hash); everything else, client
UUIDs and the hazard steps' deadline included, is sent as written here, on a clock frozen on the
examples' morning.

Field names are the API's (docs/api.md): photos are `media_ids`, `after_media_ids`, a plan is
`governance_plan_id`.
"""

from __future__ import annotations

# Client UUIDs, as a phone makes them.
INSPECTION_ID = "1a7d082d-93f0-4b6e-8c21-5d9e0f3a7b64"
SYNCED_INSPECTION_ID = "2b8e193e-a4f1-4c7d-9d32-6eaf1b4c8d75"
FAILURE_PHOTO_ID = "5b0e6c1e-3f4a-4d7b-9c2e-8a1f0d3b6e47"
REPORT_PHOTO_ID = "c2d4e6f8-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
AFTER_PHOTO_ID = "7e9a1c3d-5f2b-4e8a-b6c0-d1e3f5a7b9c2"
REPORTED_HAZARD_ID = "9f3e2d1c-0b4a-4f5e-8d7c-6b5a4e3d2c1b"
# The hazard the example inspection raised (its id is the server's).
RAISED_HAZARD_ID = "e4b1f7a2-6c3d-4e8f-9a1b-2c3d4e5f6a7b"
DEADLINE = "2026-12-15"
# Values that name rows of one particular database (the test substitutes them).
CHECKLIST_VERSION = "8d3f0a6c2b9e47f1a5c3d8e0b6f2a9c4e7d1b5f3a8c6e2d0b9f4a7c3e1d5b8f2"
TASK_ID, SYNCED_TASK_ID = 4127, 4128
PLACE_ID, SYNCED_PLACE_ID, REPORT_PLACE_ID = 12, 13, 14
RECTIFIER_ID = 23
PASSWORD = "Anquan#2026"
PHOTO_SHA256 = "0f5c3a7e9b1d2f4a6c8e0b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a"

_INSPECTION = {
    "id": INSPECTION_ID,
    "task_occurrence_id": TASK_ID,
    "checklist_code": "hazardous-chemicals",
    "checklist_version": CHECKLIST_VERSION,
    "place_id": PLACE_ID,
    "qr_scanned": True,
    "inspection_type": "daily",
    "started_at": "2026-11-25T10:05:12+08:00",
    "finished_at": "2026-11-25T10:31:40+08:00",
    "gps": {"lat": 29.98215, "lon": 121.64118, "accuracy": 12},
    "device_id": "phone-3f9c2e",
    "answers": [
        {"item_id": "HC-MAJ-01", "result": "pass", "value": None, "note": "", "media_ids": []},
        {"item_id": "HC-MAJ-02", "result": "pass", "value": None, "note": "", "media_ids": []},
        {
            "item_id": "HC-01A",
            "result": "fail",
            "value": 10,
            "note": "动火作业票有效期写为 10 小时",
            "media_ids": [FAILURE_PHOTO_ID],
        },
        {"item_id": "HC-MAJ-03", "result": "na", "value": None, "note": "", "media_ids": []},
    ],
}

_SYNCED_INSPECTION = {
    **_INSPECTION,
    "id": SYNCED_INSPECTION_ID,
    "task_occurrence_id": SYNCED_TASK_ID,
    "place_id": SYNCED_PLACE_ID,
    "started_at": "2026-11-25T10:40:03+08:00",
    "finished_at": "2026-11-25T11:02:47+08:00",
    "answers": [
        {"item_id": "HC-MAJ-01", "result": "pass", "value": None, "note": "", "media_ids": []},
        {"item_id": "HC-MAJ-02", "result": "pass", "value": None, "note": "", "media_ids": []},
        {"item_id": "HC-01A", "result": "pass", "value": 6, "note": "", "media_ids": []},
        {"item_id": "HC-MAJ-03", "result": "pass", "value": None, "note": "", "media_ids": []},
    ],
}

TRANSITIONS = {
    "confirm": {
        "summary": "安全管理人员确认隐患：定级、分类、整改期限",
        "value": {
            "action": "confirm",
            "expected_state": "reported",
            "client_id": "0c6a2e84-7f1b-4d39-a5c8-3e9d1b7f2a60",
            "level": "general",
            "category": "management",
            "deadline": DEADLINE,
            "note": "经核实，动火作业票有效期超过 8 小时",
        },
    },
    "plan": {
        "summary": "制定整改方案：整改责任人、措施、资金、期限、应急措施",
        "value": {
            "action": "plan",
            "expected_state": "confirmed",
            "client_id": "4d8b1f3a-6e2c-4a97-b0d5-7c1e9f3a2b84",
            "responsible_user_id": RECTIFIER_ID,
            "measures": "作废超期作业票，重新办理动火审批，有效期不超过 8 小时",
            "funds": "500.00",
            "deadline": DEADLINE,
            "contingency": "重新审批前停止该处动火作业",
        },
    },
    "submit_rectification": {
        "summary": "整改责任人提交整改：整改后照片和说明",
        "value": {
            "action": "submit_rectification",
            "expected_state": "rectifying",
            "client_id": "8a2f6c0e-1d4b-4e73-9c5a-2b7d0f8e6a13",
            "after_media_ids": [AFTER_PHOTO_ID],
            "note": "已重新办理动火作业票，有效期 8 小时",
        },
    },
    "verify_pass": {
        "summary": "验收通过（验收人不能是整改人）",
        "value": {
            "action": "verify_pass",
            "expected_state": "pending_verification",
            "client_id": "b5e3a9d1-2c7f-4b08-8e6d-4f1a3c9b7e25",
            "note": "现场核查作业票合规，验收通过",
        },
    },
}

VALIDATION_PROBLEM = {
    "type": "/problems/validation",
    "title": "提交的数据有误",
    "status": 422,
    "detail": "检查记录有误，请核对后重新提交。",
    "errors": [{"field": "answers[HC-MAJ-01].media_ids", "message": "不合格项须拍照留证。"}],
}

# ---- answers ---------------------------------------------------------------------------------

_TOKEN = {
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2IiwidHlwZSI6ImFjY2VzcyJ9.c2ln",
    "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2IiwidHlwZSI6InJlZnJlc2gifQ.c2ln",
    "token_type": "Bearer",
    "expires_in": 900,
    "must_change_password": False,
    "user": {
        "id": 6,
        "username": "officer-hc",
        "display_name": "陈海波",
        "phone": None,
        "enforcement_certificate_no": None,
        "is_active": True,
        "must_change_password": False,
        "memberships": [
            {
                "id": 6,
                "enterprise_id": 1,
                "agency_id": None,
                "regulator_id": None,
                "organisation_name": "宁波澄江化工有限公司",
                "role": {"code": "safety_officer", "label": "安全管理人员"},
            },
            {
                "id": 7,
                "enterprise_id": 1,
                "agency_id": None,
                "regulator_id": None,
                "organisation_name": "宁波澄江化工有限公司",
                "role": {"code": "inspector", "label": "排查人员"},
            },
        ],
    },
}

_MEDIA = {
    "id": FAILURE_PHOTO_ID,
    "sha256": PHOTO_SHA256,
    "content_type": "image/jpeg",
    "size": 412_337,
    "width": 1600,
    "height": 1200,
    "created_at": "2026-11-25T02:29:51+00:00",
    "url": f"/api/v1/media/{FAILURE_PHOTO_ID}",
    "thumb_url": f"/api/v1/media/{FAILURE_PHOTO_ID}/thumb",
    "replayed": False,
}


def _receipt(inspection_id: str, received_at: str, summary: dict, hazards: list, digest: str):
    return {
        "id": inspection_id,
        "verification_code": "-".join(
            inspection_id.replace("-", "")[i : i + 4].upper() for i in (0, 4, 8)
        ),
        "received_at": received_at,
        "summary": summary,
        "flags": [],
        "hazards": hazards,
        "receipt": {"id": inspection_id, "digest": digest, "received_at": received_at},
        "replayed": False,
    }


_RECEIPT = _receipt(
    INSPECTION_ID,
    "2026-11-25T02:32:05+00:00",
    {"answered": 4, "pass": 2, "fail": 1, "na": 1, "pass_rate": 0.6667, "major_failures": []},
    [
        {
            "id": RAISED_HAZARD_ID,
            "item_id": "HC-01A",
            "proposed_level": "general",
            "state": "reported",
        }
    ],
    "df4aaad5003c1c1683fec64d5b7df46d65da180dd3325955ea6e82d6d97e0f66",
)

_REPORTED = {"code": "reported", "label": "已上报"}
_CONFIRMED = {"code": "confirmed", "label": "已确认"}
_GENERAL = {"code": "general", "label": "一般隐患"}
_OFFICER = {"actor_user_id": 6, "actor_name": "陈海波", "actor_label": "陈海波(officer-hc)"}


def _hazard(**fields) -> dict:
    """A hazard as the hazard endpoints answer it; `fields` are what differs from a new report."""
    return {
        "id": REPORTED_HAZARD_ID,
        "enterprise_id": 1,
        "enterprise_name": "宁波澄江化工有限公司",
        "source": {"code": "direct", "label": "随手拍上报"},
        "inspection_id": None,
        "item_id": None,
        "checklist_version_id": None,
        "basis": [],
        "place_id": REPORT_PLACE_ID,
        "place": {"id": REPORT_PLACE_ID, "name": "甲类仓库"},
        "place_name": "甲类仓库",
        "title": "甲类仓库东侧消防通道堆放货物",
        "description": "纸箱堵塞通道约 3 米，叉车和消防车无法通行",
        "media_ids": [REPORT_PHOTO_ID],
        "proposed_level": _GENERAL,
        "level": None,
        "category": None,
        "state": _REPORTED,
        "version": 1,
        "deadline": None,
        "is_overdue": False,
        "is_fixed_on_spot": False,
        "reported_by_user_id": 6,
        "reported_by_name": "陈海波",
        "reported_at": "2026-11-25T02:36:12+00:00",
        "responsible_user_id": None,
        "responsible_name": None,
        "measures": None,
        "funds": None,
        "contingency": None,
        "governance_plan_id": None,
        "plan_submitted_by_user_id": None,
        "plan_approved_by_user_id": None,
        "rectified_by_user_id": None,
        "rectified_by_name": None,
        "verified_by_user_id": None,
        "closed_at": None,
        "orders": [],
        "rejudge": [],
        "available_actions": [
            {"code": "confirm", "label": "确认"},
            {"code": "reject", "label": "驳回"},
            {"code": "fix_on_spot", "label": "即查即改"},
        ],
        "history": [
            {
                "id": 2,
                "action": {"code": "report", "label": "上报"},
                **_OFFICER,
                "created_at": "2026-11-25T02:36:12+00:00",
                "evidence": {"media_ids": [REPORT_PHOTO_ID]},
                "from_state": None,
                "to_state": _REPORTED,
                "note": "",
            }
        ],
        **fields,
    }


def _confirm_step(step_id: int, at: str, category: str, note: str = "") -> dict:
    return {
        "id": step_id,
        "action": {"code": "confirm", "label": "确认"},
        **_OFFICER,
        "created_at": at,
        "evidence": {"category": category, "deadline": DEADLINE, "level": "general"},
        "from_state": _REPORTED,
        "to_state": _CONFIRMED,
        "note": note,
    }


_CONFIRMED_FROM_INSPECTION = _hazard(
    id=RAISED_HAZARD_ID,
    source={"code": "self_inspection", "label": "企业自查"},
    inspection_id=INSPECTION_ID,
    item_id="HC-01A",
    checklist_version_id=5,
    basis=[
        {
            "doc": "GB30871",
            "title": "危险化学品企业特殊作业安全规范",
            "number": "GB 30871—2022",
            "clause": "5.1.1~5.1.5",
            "is_clause_pending": False,
            "citation": "《危险化学品企业特殊作业安全规范》（GB 30871—2022）5.1.1~5.1.5",
        }
    ],
    place_id=PLACE_ID,
    place={"id": PLACE_ID, "name": "罐区 T-101 储罐"},
    place_name="罐区 T-101 储罐",
    title="不符合：特级、一级动火安全作业票有效期不超过 8 h",
    description="动火作业票有效期写为 10 小时",
    media_ids=[FAILURE_PHOTO_ID],
    level=_GENERAL,
    category={"code": "management", "label": "管理上的缺陷"},
    state=_CONFIRMED,
    version=2,
    deadline=DEADLINE,
    replayed=False,
    reported_at="2026-11-25T02:32:05+00:00",
    available_actions=[{"code": "plan", "label": "制定整改方案"}],
    history=[
        {
            "id": 1,
            "action": {"code": "report", "label": "上报"},
            **_OFFICER,
            "created_at": "2026-11-25T02:32:05+00:00",
            "evidence": {"media_ids": [FAILURE_PHOTO_ID]},
            "from_state": None,
            "to_state": _REPORTED,
            "note": "",
        },
        _confirm_step(
            3, "2026-11-25T03:10:00+00:00", "management", "经核实，动火作业票有效期超过 8 小时"
        ),
    ],
)

_SYNC_ANSWER = {
    "results": [
        {
            "index": 0,
            "kind": "inspection",
            "id": SYNCED_INSPECTION_ID,
            "status": 201,
            "replayed": False,
            "body": _receipt(
                SYNCED_INSPECTION_ID,
                "2026-11-25T03:15:27+00:00",
                {
                    "answered": 4,
                    "pass": 4,
                    "fail": 0,
                    "na": 0,
                    "pass_rate": 1.0,
                    "major_failures": [],
                },
                [],
                "081f3d3d5afe9b0609aaf06220b73bfba8beafcda75c0fbb045287f56c27d73a",
            ),
        },
        {
            "index": 1,
            "kind": "transition",
            "id": "f1d3b5a7-9c2e-4f60-8b4d-6a8c0e2f4b19",
            "status": 200,
            "replayed": False,
            "body": _hazard(
                level=_GENERAL,
                category={"code": "environment", "label": "环境不良因素"},
                state=_CONFIRMED,
                version=2,
                deadline=DEADLINE,
                replayed=False,
                available_actions=[{"code": "plan", "label": "制定整改方案"}],
                history=[
                    *_hazard()["history"],
                    _confirm_step(7, "2026-11-25T03:15:27+00:00", "environment"),
                ],
            ),
        },
    ]
}


# (method, path) → {"request": value, or "requests": {name: {summary, value}}; "responses":
# {status: value}; "content_type": of the request, when not JSON}.
EXAMPLES: dict[tuple[str, str], dict] = {
    ("post", "/api/v1/auth/login"): {
        "request": {"username": "officer-hc", "password": PASSWORD},
        "responses": {"200": _TOKEN},
    },
    ("post", "/api/v1/media"): {
        "content_type": "multipart/form-data",
        "request": {
            "id": FAILURE_PHOTO_ID,
            "sha256": PHOTO_SHA256,
            "file": "（JPEG 照片，拍摄时已加水印）",
        },
        "responses": {"201": _MEDIA},
    },
    ("post", "/api/v1/inspections"): {
        "request": _INSPECTION,
        "responses": {"201": _RECEIPT, "422": VALIDATION_PROBLEM},
    },
    ("post", "/api/v1/hazards"): {
        "request": {
            "id": REPORTED_HAZARD_ID,
            "title": "甲类仓库东侧消防通道堆放货物",
            "description": "纸箱堵塞通道约 3 米，叉车和消防车无法通行",
            "place_id": REPORT_PLACE_ID,
            "media_ids": [REPORT_PHOTO_ID],
            "proposed_level": "general",
        },
        "responses": {"201": _hazard()},
    },
    ("post", "/api/v1/hazards/{hazard_id}/transitions"): {
        "requests": TRANSITIONS,
        "responses": {"200": _CONFIRMED_FROM_INSPECTION},
    },
    ("post", "/api/v1/sync"): {
        "request": {
            "items": [
                {"kind": "inspection", "id": SYNCED_INSPECTION_ID, "body": _SYNCED_INSPECTION},
                {
                    "kind": "transition",
                    "id": "f1d3b5a7-9c2e-4f60-8b4d-6a8c0e2f4b19",
                    "hazard_id": REPORTED_HAZARD_ID,
                    "body": {
                        "action": "confirm",
                        "expected_state": "reported",
                        "client_id": "f1d3b5a7-9c2e-4f60-8b4d-6a8c0e2f4b19",
                        "level": "general",
                        "category": "environment",
                        "deadline": DEADLINE,
                    },
                },
            ]
        },
        "responses": {"200": _SYNC_ANSWER},
    },
}
