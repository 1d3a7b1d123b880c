"""Random spot checks (双随机一公开) through the API: registries, a reproducible draw, results,
publication without personal data, and the reproduce CLI."""

from __future__ import annotations

import hashlib
import json
import random
import re

import pytest
from sqlalchemy import func, select

from anxun.accounts import services as accounts
from anxun.core.audit import AuditEntry
from anxun.core.auth import SYSTEM, Grant
from anxun.oversight.models import (
    Patrol,
    SpotCheckAssignment,
    SpotCheckDraw,
    SpotCheckRegistryEntry,
)
from anxun.oversight.spot_checks import draw as spot_draw
from tests.conftest import DEMO_PASSWORD

# A mainland mobile number standing alone (a timestamp's microseconds may hold "138").
MOBILE_NUMBER = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

API = "/api/v1/spot-checks"
TABLES = (SpotCheckRegistryEntry, SpotCheckDraw, SpotCheckAssignment, AuditEntry)


def counts(db) -> dict:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


@pytest.fixture
def admin(login_as):
    return login_as("regulator-admin")


@pytest.fixture
def third_inspector(db, world):
    """A third EM bureau officer, so that each drawn pair leaves somebody out."""
    user = accounts.create_user(
        SYSTEM,
        {"username": "regulator3", "display_name": "李卫东", "password": DEMO_PASSWORD},
        [Grant("regulator_inspector", regulator_id=world["regulator"])],
    )
    db.session.commit()
    return user.id


@pytest.fixture
def registries(client, admin, world, third_inspector):
    """Objects: every enterprise the EM bureau covers; inspectors: its three officers."""
    response = client.post(f"{API}/registry", json={"kind": "object"}, headers=admin)
    assert response.status_code == 201, response.get_json()
    for user_id in (
        world["users"]["regulator"],
        world["users"]["regulator-admin"],
        third_inspector,
    ):
        response = client.post(
            f"{API}/registry", json={"kind": "inspector", "user_id": user_id}, headers=admin
        )
        assert response.status_code == 201, response.get_json()
    return {
        "objects": sorted(world["enterprise"][k] for k in ("hc", "dust", "cs")),
        "inspectors": sorted(
            [world["users"]["regulator"], world["users"]["regulator-admin"], third_inspector]
        ),
    }


def make_draw(client, admin, **overrides):
    body = {"title": "2026年第四季度双随机抽查", "enterprise_count": 2, "seed": "s-2026-q4"}
    response = client.post(f"{API}/draws", json=body | overrides, headers=admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- registries ----------------------------------------------------------------------------------


def test_bulk_add_enters_every_covered_enterprise_and_nothing_else(client, admin, world):
    response = client.post(f"{API}/registry", json={"kind": "object"}, headers=admin)
    assert response.status_code == 201
    names = sorted(e["enterprise"]["name"] for e in response.get_json()["items"])
    assert names == ["宁波恒锐金属制品有限公司", "宁波清源水务运营有限公司", "宁波澄江化工有限公司"]
    # Again: nothing new to add; the construction firm is the housing bureau's.
    again = client.post(f"{API}/registry", json={"kind": "object"}, headers=admin)
    assert again.status_code == 201 and again.get_json()["items"] == []
    registry = client.get(f"{API}/registry", headers=admin).get_json()
    assert registry["regulator"]["id"] == world["regulator"]
    assert registry["can_manage"] is True
    assert registry["candidates"]["objects"] == []
    assert {e["kind"]["code"] for e in registry["items"]} == {"object"}


def test_bulk_add_by_industry(client, admin, world):
    response = client.post(
        f"{API}/registry", json={"kind": "object", "industry": "dust_explosion"}, headers=admin
    )
    assert [e["enterprise"]["id"] for e in response.get_json()["items"]] == [
        world["enterprise"]["dust"]
    ]


def test_only_covered_enterprises_and_own_officers_may_be_entered(db, client, admin, world):
    before = counts(db)
    con = client.post(
        f"{API}/registry",
        json={"kind": "object", "enterprise_id": world["enterprise"]["con"]},
        headers=admin,
    )
    assert con.status_code == 404  # not the EM bureau's: its existence is not confirmed
    head = client.post(
        f"{API}/registry",
        json={"kind": "inspector", "user_id": world["users"]["head-hc"]},
        headers=admin,
    )
    assert head.status_code == 422
    assert head.get_json()["type"] == "/problems/validation"
    assert [e["field"] for e in head.get_json()["errors"]] == ["user_id"]
    housing = client.post(
        f"{API}/registry",
        json={"kind": "inspector", "user_id": world["users"]["regulator-con"]},
        headers=admin,
    )
    assert housing.status_code == 422
    mixed = client.post(
        f"{API}/registry",
        json={"kind": "inspector", "enterprise_id": world["enterprise"]["hc"]},
        headers=admin,
    )
    assert [e["field"] for e in mixed.get_json()["errors"]] == ["enterprise_id"]
    assert counts(db) == before


def test_inspectors_read_the_registry_but_only_the_admin_changes_it(client, login_as, world):
    inspector = login_as("regulator")
    response = client.post(f"{API}/registry", json={"kind": "object"}, headers=inspector)
    assert response.status_code == 403
    registry = client.get(f"{API}/registry", headers=inspector).get_json()
    assert registry["can_manage"] is False
    assert registry["candidates"] == {"objects": [], "inspectors": []}


def test_deactivating_keeps_the_row_and_re_adding_reactivates_it(db, client, admin, registries):
    items = client.get(f"{API}/registry?kind=inspector", headers=admin).get_json()["items"]
    entry = items[0]
    response = client.delete(f"{API}/registry/{entry['id']}", headers=admin)
    assert response.status_code == 200 and response.get_json()["is_active"] is False
    active = client.get(f"{API}/registry?kind=inspector", headers=admin).get_json()["items"]
    assert entry["id"] not in [e["id"] for e in active]
    everything = client.get(
        f"{API}/registry?kind=inspector&include_inactive=true", headers=admin
    ).get_json()["items"]
    assert entry["id"] in [e["id"] for e in everything]
    candidates = client.get(f"{API}/registry", headers=admin).get_json()["candidates"]
    assert entry["inspector"]["id"] in [u["id"] for u in candidates["inspectors"]]
    again = client.post(
        f"{API}/registry",
        json={"kind": "inspector", "user_id": entry["inspector"]["id"]},
        headers=admin,
    )
    assert again.status_code == 201 and again.get_json()["items"][0]["id"] == entry["id"]
    duplicate = client.post(
        f"{API}/registry",
        json={"kind": "inspector", "user_id": entry["inspector"]["id"]},
        headers=admin,
    )
    assert duplicate.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(SpotCheckRegistryEntry)) == 6


# --- draws --------------------------------------------------------------------------------------


def test_a_draw_stores_seed_pools_and_assignments_that_repeat_from_the_seed(
    db, client, admin, registries
):
    draw = make_draw(client, admin)
    assert draw["algorithm"] == "anxun-draw-v1"
    assert draw["seed"] == "s-2026-q4"
    assert draw["object_pool"] == registries["objects"]
    assert draw["inspector_pool"] == registries["inspectors"]
    assert draw["inspectors_per_enterprise"] == 2
    assert draw["basis"][0]["document_no"] == "国办发〔2015〕58号"
    assert draw["basis"][0]["verified"] is False
    # The published recipe, in plain standard Python, gives the stored assignments.
    rng = random.Random(int.from_bytes(hashlib.sha256(b"s-2026-q4").digest(), "big"))
    expected = []
    for enterprise_id in rng.sample(registries["objects"], 2):
        expected.append((enterprise_id, rng.sample(registries["inspectors"], 2)))
    assert [
        (a["enterprise"]["id"], [i["id"] for i in a["inspectors"]]) for a in draw["assignments"]
    ] == expected
    assert all(a["state"] == {"code": "pending", "label": "待检查"} for a in draw["assignments"])
    verification = client.get(f"{API}/draws/{draw['id']}/verification", headers=admin)
    body = verification.get_json()
    assert body["reproduced"] is True and body["differences"] == []
    assert body["recomputed"] == body["stored"]
    listed = client.get(f"{API}/draws", headers=login_as_inspector(client)).get_json()["items"]
    assert [(d["id"], d["results_recorded"]) for d in listed] == [(draw["id"], 0)]


def login_as_inspector(client):
    response = client.post(
        "/api/v1/auth/login", json={"username": "regulator", "password": DEMO_PASSWORD}
    )
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def test_verification_notices_a_tampered_assignment(db, client, admin, registries):
    draw = make_draw(client, admin)
    row = db.session.get(SpotCheckAssignment, draw["assignments"][0]["id"])
    row.inspector_user_ids = list(reversed(row.inspector_user_ids))
    db.session.commit()
    body = client.get(f"{API}/draws/{draw['id']}/verification", headers=admin).get_json()
    assert body["reproduced"] is False
    assert body["differences"] == ["第 1 位企业的检查人员不同。"]


def test_without_a_seed_the_server_makes_one(client, admin, registries):
    draw = make_draw(client, admin, seed=None)
    assert len(draw["seed"]) == 32 and int(draw["seed"], 16) >= 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"enterprise_count": 4}, ["enterprise_count"]),
        ({"inspectors_per_enterprise": 1}, ["inspectors_per_enterprise"]),
        ({"inspectors_per_enterprise": 4}, ["inspectors_per_enterprise"]),
        ({"enterprise_count": 2.5}, ["enterprise_count"]),
        ({"seed": "x" * 65}, ["seed"]),
        ({"title": ""}, ["title"]),
    ],
)
def test_impossible_draws_are_422_and_write_nothing(db, client, admin, registries, body, fields):
    before = counts(db)
    payload = {"title": "抽查", "enterprise_count": 2, "seed": "s"} | body
    response = client.post(f"{API}/draws", json=payload, headers=admin)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert [e["field"] for e in response.get_json()["errors"]] == fields
    assert counts(db) == before


def test_the_two_officer_rule_message_cites_its_source(client, admin, registries):
    response = client.post(
        f"{API}/draws",
        json={"title": "抽查", "enterprise_count": 1, "inspectors_per_enterprise": 1},
        headers=admin,
    )
    assert "国办发〔2015〕58号" in response.get_json()["errors"][0]["message"]


def test_draws_are_the_admins_and_other_bureaus_see_none(client, login_as, admin, registries):
    response = client.post(
        f"{API}/draws", json={"title": "抽查", "enterprise_count": 1}, headers=login_as("regulator")
    )
    assert response.status_code == 403
    draw = make_draw(client, admin)
    housing = login_as("regulator-con")
    assert client.get(f"{API}/draws/{draw['id']}", headers=housing).status_code == 404
    assert client.get(f"{API}/draws", headers=housing).get_json()["items"] == []
    assert client.get(f"{API}/draws", headers=login_as("head-hc")).status_code == 403


# --- results ------------------------------------------------------------------------------------


def test_drawn_inspectors_record_results_and_stale_writes_conflict(
    db, client, admin, login_as, registries, world
):
    inspector_id = world["users"]["regulator"]
    # A seed whose draw gives "regulator" one enterprise and leaves it out of another.
    seed = next(
        f"s-{i}"
        for i in range(100)
        if 0
        < sum(
            inspector_id in row["inspector_user_ids"]
            for row in spot_draw.draw(
                f"s-{i}", registries["objects"], registries["inspectors"], 3, 2
            )
        )
        < 3
    )
    draw = make_draw(client, admin, enterprise_count=3, seed=seed)
    mine = next(
        a for a in draw["assignments"] if inspector_id in [i["id"] for i in a["inspectors"]]
    )
    other = next(
        a for a in draw["assignments"] if inspector_id not in [i["id"] for i in a["inspectors"]]
    )
    inspector = login_as("regulator")
    body = {"result": "issues_found", "summary": "发现 2 处问题，已责令整改。"}
    # A regulator's officer may record results, but only where the draw named them (a rule: 422).
    before = counts(db)
    refused = client.post(f"{API}/assignments/{other['id']}/result", json=body, headers=inspector)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {"field": "actor", "message": "只有抽中的检查人员或监管部门管理员可以录入检查结果。"}
    ]
    # Every failing field at once: the named inspectors and the published summary.
    leaky = {"result": "issues_found", "summary": "联系人 13805740101"}
    refused = client.post(f"{API}/assignments/{other['id']}/result", json=leaky, headers=inspector)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["actor", "summary"]
    assert counts(db) == before
    response = client.post(f"{API}/assignments/{mine['id']}/result", json=body, headers=inspector)
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert result["state"] == {"code": "issues_found", "label": "发现问题"}
    assert result["recorded_by"]["id"] == inspector_id
    assert result["result_summary"] == "发现 2 处问题，已责令整改。"

    stale = client.post(
        f"{API}/assignments/{mine['id']}/result", json={"result": "no_issues"}, headers=admin
    )
    assert stale.status_code == 409
    assert stale.get_json()["type"] == "/problems/stale-state"
    corrected = client.post(
        f"{API}/assignments/{mine['id']}/result",
        json={"result": "no_issues", "expected_state": "issues_found"},
        headers=admin,
    )
    assert corrected.status_code == 200
    assert corrected.get_json()["state"]["code"] == "no_issues"
    before = counts(db)
    bad = client.post(
        f"{API}/assignments/{other['id']}/result", json={"result": "fine"}, headers=admin
    )
    assert bad.status_code == 422 and [e["field"] for e in bad.get_json()["errors"]] == ["result"]
    assert counts(db) == before
    hidden = client.post(
        f"{API}/assignments/{mine['id']}/result", json=body, headers=login_as("regulator-con")
    )
    assert hidden.status_code == 404


def test_the_detail_lists_patrols_opened_for_an_assignment(db, client, admin, registries, world):
    draw = make_draw(client, admin)
    first = draw["assignments"][0]
    patrol = Patrol(
        enterprise_id=first["enterprise"]["id"],
        regulator_id=world["regulator"],
        mode="on_site",
        is_unannounced=True,
        spot_check_assignment_id=first["id"],
        opened_by_user_id=world["users"]["regulator"],
    )
    db.session.add(patrol)
    db.session.commit()
    detail = client.get(f"{API}/draws/{draw['id']}", headers=admin).get_json()
    [linked] = detail["assignments"][0]["patrols"]
    assert linked["id"] == patrol.id
    assert linked["mode"] == "on_site" and linked["is_unannounced"] is True
    assert detail["assignments"][1]["patrols"] == []


# --- publication --------------------------------------------------------------------------------


def test_publication_lists_names_and_results_but_no_personal_data(
    db, client, admin, registries, world
):
    draw = make_draw(client, admin)
    assert client.get("/api/v1/public/spot-checks").get_json()["items"] == []
    first = draw["assignments"][0]
    client.post(
        f"{API}/assignments/{first['id']}/result",
        json={"result": "no_issues", "summary": "未发现问题。"},
        headers=admin,
    )
    response = client.post(f"{API}/draws/{draw['id']}/publication", headers=admin)
    assert response.status_code == 200 and response.get_json()["published_at"]
    assert response.get_json()["can_publish"] is False
    again = client.post(f"{API}/draws/{draw['id']}/publication", headers=admin)
    assert again.status_code == 409

    public = client.get("/api/v1/public/spot-checks")  # no login
    assert public.status_code == 200
    [item] = public.get_json()["items"]
    assert item["seed"] == "s-2026-q4" and item["algorithm"] == "anxun-draw-v1"
    assert item["regulator"] == "宁波市镇海区应急管理局"
    assert item["assignments"][0]["result"] == {"code": "no_issues", "label": "未发现问题"}
    assert item["assignments"][1]["result"]["code"] == "pending"
    assert item["inspector_pool"] == ["赵振华", "钱思远", "李卫东"]
    text = json.dumps(public.get_json(), ensure_ascii=False)
    for secret in ("regulator-admin", "regulator3", "phone", "username", "user_id"):
        assert secret not in text
    assert not MOBILE_NUMBER.search(text)
    # Anyone can repeat the draw from the public list alone: sample the pools as listed.
    rng = spot_draw.rng_for(item["seed"])
    repeated = [
        (e, rng.sample(item["inspector_pool"], item["inspectors_per_enterprise"]))
        for e in rng.sample(item["object_pool"], item["enterprise_count"])
    ]
    assert repeated == [(a["enterprise"], a["inspectors"]) for a in item["assignments"]]


def test_only_the_admin_publishes(client, admin, login_as, registries):
    draw = make_draw(client, admin)
    response = client.post(f"{API}/draws/{draw['id']}/publication", headers=login_as("regulator"))
    assert response.status_code == 403


# --- CLI ----------------------------------------------------------------------------------------


def test_the_cli_repeats_a_stored_draw_without_the_database(app, client, admin, registries):
    draw = make_draw(client, admin)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "anxun",
            "spot-checks",
            "reproduce",
            "--seed",
            draw["seed"],
            "--objects",
            ",".join(str(i) for i in draw["object_pool"]),
            "--inspectors",
            ",".join(str(i) for i in draw["inspector_pool"]),
            "--count",
            "2",
            "--per",
            "2",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["algorithm"] == "anxun-draw-v1"
    assert [(r["enterprise_id"], r["inspector_user_ids"]) for r in printed["assignments"]] == [
        (a["enterprise"]["id"], [i["id"] for i in a["inspectors"]]) for a in draw["assignments"]
    ]
    too_many = runner.invoke(
        args=["anxun", "spot-checks", "reproduce", "--seed", "s", "--objects", "1", "--inspectors"]
        + ["2,3", "--count", "2"]
    )
    assert too_many.exit_code != 0 and "超过" in too_many.output


def test_the_public_page_needs_no_login_and_explains_the_draw_without_code(client):
    response = client.get("/public/spot-checks")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    script = client.get("/public/spot-checks.js").get_data(as_text=True)
    assert "双随机" in page and "/api/v1/public/spot-checks" in script
    assert "复核材料" in page and "/reproduction" in script
    # Words, not code: no Python and no internal method id on the page or in what it shows.
    for blob in (page, script):
        for code in ("anxun-draw-v1", "import hashlib", "random.Random", "algorithm}"):
            assert code not in blob


def test_the_reproduction_download_repeats_a_published_draw_from_its_contents_alone(
    db, client, admin, registries
):
    draw = make_draw(client, admin)
    url = f"/api/v1/public/spot-checks/{draw['id']}/reproduction"
    unpublished = client.get(url)
    assert unpublished.status_code == 404
    assert unpublished.content_type == "application/problem+json"
    client.post(f"{API}/draws/{draw['id']}/publication", headers=admin)

    response = client.get(url)  # no login
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="spot-check-{draw["id"]}-reproduction.json"'
    )
    body = response.get_json()
    assert body["regulator"] == "宁波市镇海区应急管理局" and body["seed"] == "s-2026-q4"
    assert body["inspector_registry"] == ["赵振华", "钱思远", "李卫东"]
    assert (body["enterprise_count"], body["inspectors_per_enterprise"]) == (2, 2)
    assert body["method"]["steps"] and all("SHA-256" in s for s in body["method"]["steps"][1:2])
    assert body["method"]["references"]
    # Follow the steps in words on the file's own lists: the published result comes out.
    rng = random.Random(int.from_bytes(hashlib.sha256(body["seed"].encode()).digest(), "big"))
    repeated = [
        {"enterprise": e, "inspectors": rng.sample(body["inspector_registry"], 2)}
        for e in rng.sample(body["object_registry"], body["enterprise_count"])
    ]
    assert repeated == [
        {"enterprise": r["enterprise"], "inspectors": r["inspectors"]} for r in body["result"]
    ]
    assert [r["position"] for r in body["result"]] == [1, 2]
    text = response.get_data(as_text=True)
    for secret in ("regulator-admin", "regulator3", "phone", "username", "user_id"):
        assert secret not in text
    assert not MOBILE_NUMBER.search(text)
    assert client.get("/api/v1/public/spot-checks/999999/reproduction").status_code == 404
