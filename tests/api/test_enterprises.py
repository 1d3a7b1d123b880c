"""Enterprises: registration within jurisdiction, edits by role, listing with cursors and sorting."""

from tests.factories import enterprise_payload


def test_regulator_admin_registers_an_enterprise_in_its_jurisdiction(client, login_as):
    payload = enterprise_payload(name="宁波新材料科技有限公司", size_class="micro", latitude=29.95)
    response = client.post("/api/v1/enterprises", json=payload, headers=login_as("regulator-admin"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "宁波新材料科技有限公司"
    assert body["size_class"] == {"code": "micro", "label": "微型"}
    assert body["is_small_micro"] is True
    assert body["industries"] == [{"code": "hazardous_chemicals", "label": "危险化学品"}]
    assert body["region_name"] == "镇海区"
    listed = client.get(f"/api/v1/enterprises/{body['id']}", headers=login_as("regulator"))
    assert listed.status_code == 200


def test_regulator_admin_cannot_register_outside_its_industries(client, login_as):
    payload = enterprise_payload(industries=["construction"])
    response = client.post("/api/v1/enterprises", json=payload, headers=login_as("regulator-admin"))
    assert response.status_code == 403
    assert response.get_json()["detail"] == "只能登记本辖区、本部门监管行业的企业。"


def test_duplicate_uscc_and_unknown_region_are_field_errors(client, login_as):
    first = enterprise_payload()
    assert (
        client.post(
            "/api/v1/enterprises", json=first, headers=login_as("regulator-admin")
        ).status_code
        == 201
    )
    again = enterprise_payload(uscc=first["uscc"].lower(), region_code="110101")
    response = client.post("/api/v1/enterprises", json=again, headers=login_as("regulator-admin"))
    assert response.status_code == 422
    assert {e["field"]: e["message"] for e in response.get_json()["errors"]} == {
        "uscc": "该统一社会信用代码已登记。",
        "region_code": "行政区划代码不存在。",
    }


def test_enterprise_staff_cannot_register_enterprises(client, login_as):
    response = client.post(
        "/api/v1/enterprises", json=enterprise_payload(), headers=login_as("head-hc")
    )
    assert response.status_code == 403


def test_head_edits_contact_fields_but_not_identity(client, login_as, world):
    hc = world["enterprise"]["hc"]
    ok = client.patch(
        f"/api/v1/enterprises/{hc}",
        json={"safety_head_phone": "13900000000"},
        headers=login_as("head-hc"),
    )
    assert ok.status_code == 200
    assert ok.get_json()["safety_head_phone"] == "13900000000"
    refused = client.patch(
        f"/api/v1/enterprises/{hc}", json={"name": "改名公司"}, headers=login_as("head-hc")
    )
    assert refused.status_code == 403
    officer = client.patch(
        f"/api/v1/enterprises/{hc}", json={"address": "新地址"}, headers=login_as("officer-hc")
    )
    assert officer.status_code == 403


def test_auditor_reads_but_cannot_edit_an_engaged_enterprise(client, login_as, world):
    hc = world["enterprise"]["hc"]
    assert client.get(f"/api/v1/enterprises/{hc}", headers=login_as("auditor")).status_code == 200
    response = client.patch(
        f"/api/v1/enterprises/{hc}", json={"address": "x"}, headers=login_as("auditor")
    )
    assert response.status_code == 403


def test_list_pages_with_a_cursor_in_the_chosen_order(client, login_as):
    for index in range(5):
        payload = enterprise_payload(name=f"分页测试{index}号有限公司")
        client.post("/api/v1/enterprises", json=payload, headers=login_as("regulator-admin"))
    headers = login_as("regulator")
    seen, cursor = [], None
    while True:
        query = {"limit": 3, "sort": "name"} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/enterprises", query_string=query, headers=headers).get_json()
        seen.extend(item["name"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 8  # three demo enterprises of the bureau + five new ones
    assert seen == sorted(seen)
    assert len(set(seen)) == 8


def test_list_filters_by_industry_and_text(client, login_as):
    headers = login_as("regulator")
    dust = client.get("/api/v1/enterprises?industry=dust_explosion", headers=headers).get_json()
    assert [e["name"] for e in dust["items"]] == ["宁波恒锐金属制品有限公司"]
    found = client.get("/api/v1/enterprises?q=水务", headers=headers).get_json()
    assert [e["name"] for e in found["items"]] == ["宁波清源水务运营有限公司"]


def test_bad_cursor_is_a_validation_problem(client, login_as):
    response = client.get("/api/v1/enterprises?cursor=%%%", headers=login_as("regulator"))
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "cursor", "message": "分页游标无效。"}]


def test_regions_are_browsable_from_the_province_down(client, login_as):
    headers = login_as("officer-hc")
    provinces = client.get("/api/v1/regions", headers=headers).get_json()
    assert provinces == [{"code": "330000", "name": "浙江省", "parent_code": None}]
    counties = client.get("/api/v1/regions?parent=330200", headers=headers).get_json()
    assert counties == [{"code": "330211", "name": "镇海区", "parent_code": "330200"}]
