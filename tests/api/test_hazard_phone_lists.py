"""The phone's 隐患 tab lists: hazards I reported, and the hazards one inspection record raised."""

import uuid

from tests.inspection_helpers import payload, upload_photo


def listed(client, headers, query):
    response = client.get(f"/api/v1/hazards{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return sorted(h["id"] for h in response.json["items"])


def direct_report(client, headers, title):
    body = {"id": str(uuid.uuid4()), "title": title, "media_ids": [upload_photo(client, headers)]}
    response = client.post("/api/v1/hazards", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.json["id"]


def test_reported_by_me_and_inspection_id_filter_the_list(client, login_as, world):
    officer, head = login_as("officer-hc"), login_as("head-hc")
    detail = client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).json
    photo = upload_photo(client, officer)
    body = payload(detail, failures={"HC-01A": [photo], "HC-MAJ-02": [photo]})
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 201, response.get_json()
    raised = sorted(h["id"] for h in response.json["hazards"])
    assert len(raised) == 2
    by_officer = direct_report(client, officer, "消防通道堵塞")
    by_head = direct_report(client, head, "配电柜门未关闭")

    assert listed(client, officer, "?reported_by=me") == sorted([*raised, by_officer])
    assert listed(client, head, "?reported_by=me") == [by_head]
    assert listed(client, head, f"?inspection_id={body['id']}") == raised
    assert listed(client, officer, f"?inspection_id={uuid.uuid4()}") == []
    # Another enterprise's staff learn nothing from a record id they cannot read.
    assert listed(client, login_as("officer-con"), f"?inspection_id={body['id']}") == []
    for query, field in (
        ("?reported_by=others", "reported_by"),
        ("?inspection_id=42", "inspection_id"),
    ):
        bad = client.get(f"/api/v1/hazards{query}", headers=officer)
        assert (bad.status_code, bad.json["errors"][0]["field"]) == (422, field)
