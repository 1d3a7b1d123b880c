"""A small enterprise's head runs the whole loop alone: report, confirm, plan, rectify, verify."""

import uuid
from datetime import timedelta

from anxun.core import clock
from tests.inspection_helpers import upload_photo


def act(client, headers, hazard_id, action, expected_state, **fields):
    body = {"action": action, "expected_state": expected_state, **fields}
    return client.post(f"/api/v1/hazards/{hazard_id}/transitions", json=body, headers=headers)


def test_the_head_of_a_small_enterprise_may_verify_their_own_rectification(client, login_as, world):
    head, officer = login_as("head-dust"), login_as("officer-dust")
    deadline = (clock.today_local() + timedelta(days=5)).isoformat()
    head_id = client.get("/api/v1/me", headers=head).json["id"]
    officer_id = client.get("/api/v1/me", headers=officer).json["id"]

    def rectified_by(headers, responsible_id):
        body = {
            "id": str(uuid.uuid4()),
            "title": "除尘器泄爆口朝向人员通道",
            "media_ids": [upload_photo(client, headers)],
        }
        hazard_id = client.post("/api/v1/hazards", json=body, headers=headers).json["id"]
        confirm = {"level": "general", "category": "thing", "deadline": deadline}
        assert act(client, headers, hazard_id, "confirm", "reported", **confirm).status_code == 200
        plan = {
            "responsible_user_id": responsible_id,
            "measures": "加装泄爆导流管",
            "funds": "800.00",
            "deadline": deadline,
            "contingency": "整改前停用该除尘器",
        }
        assert act(client, headers, hazard_id, "plan", "confirmed", **plan).status_code == 200
        done = {"note": "已加装导流管", "after_media_ids": [upload_photo(client, headers)]}
        response = act(client, headers, hazard_id, "submit_rectification", "rectifying", **done)
        assert response.status_code == 200, response.json
        return hazard_id

    by_head = rectified_by(head, head_id)
    shown = client.get(f"/api/v1/hazards/{by_head}", headers=head).json
    assert [a["code"] for a in shown["available_actions"]] == ["verify_pass", "verify_reject"]
    closed = act(client, head, by_head, "verify_pass", "pending_verification")
    assert (closed.status_code, closed.json["state"]["code"]) == (200, "closed")
    history = [(t["action"]["code"], t["actor_user_id"]) for t in closed.json["history"]]
    assert history[-2:] == [("submit_rectification", head_id), ("verify_pass", head_id)]

    # Only the head: the safety officer still needs someone else to verify.
    by_officer = rectified_by(officer, officer_id)
    refused = act(client, officer, by_officer, "verify_pass", "pending_verification")
    assert (refused.status_code, refused.json["errors"][0]["message"]) == (
        422,
        "验收人不能是整改提交人。",
    )


def test_the_head_of_a_medium_enterprise_may_not(client, login_as, world):
    head = login_as("head-hc")
    body = {
        "id": str(uuid.uuid4()),
        "title": "配电柜门未关",
        "media_ids": [upload_photo(client, head)],
    }
    hazard_id = client.post("/api/v1/hazards", json=body, headers=head).json["id"]
    deadline = (clock.today_local() + timedelta(days=5)).isoformat()
    confirm = {"level": "general", "category": "thing", "deadline": deadline}
    assert act(client, head, hazard_id, "confirm", "reported", **confirm).status_code == 200
    head_id = client.get("/api/v1/me", headers=head).json["id"]
    plan = {
        "responsible_user_id": head_id,
        "measures": "关闭并上锁",
        "funds": 0,
        "deadline": deadline,
        "contingency": "设置警示",
    }
    assert act(client, head, hazard_id, "plan", "confirmed", **plan).status_code == 200
    done = {"note": "已上锁", "after_media_ids": [upload_photo(client, head)]}
    assert (
        act(client, head, hazard_id, "submit_rectification", "rectifying", **done).status_code
        == 200
    )
    shown = client.get(f"/api/v1/hazards/{hazard_id}", headers=head).json
    assert shown["available_actions"] == []
    refused = act(client, head, hazard_id, "verify_pass", "pending_verification")
    assert refused.status_code == 422
