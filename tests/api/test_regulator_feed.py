"""The pull feed: events of the caller's jurisdiction, in order, resumable; endpoint configuration."""

from anxun.orgs.models import Enterprise
from anxun.outbox.enqueue import enqueue


def seed_events(db, world):
    for key, kind in (
        ("hc", "major_hazard_confirmed"),
        ("con", "hazard_closed"),
        ("dust", "hazard_overdue"),
    ):
        enqueue(
            kind, db.session.get(Enterprise, world["enterprise"][key]), "hazard", key, {"k": key}
        )
    db.session.commit()


def test_feed_lists_only_supervised_enterprises_in_order_with_a_cursor(client, login_as, db, world):
    seed_events(db, world)
    headers = login_as("regulator")
    first = client.get("/api/v1/regulator/feed?limit=1", headers=headers).get_json()
    assert [e["type"] for e in first["items"]] == ["major_hazard_confirmed"]
    rest = client.get(
        f"/api/v1/regulator/feed?cursor={first['next_cursor']}", headers=headers
    ).get_json()
    assert [e["type"] for e in rest["items"]] == ["hazard_overdue"]
    assert rest["next_cursor"] is None
    housing = client.get("/api/v1/regulator/feed", headers=login_as("regulator-con")).get_json()
    assert [e["type"] for e in housing["items"]] == ["hazard_closed"]
    sequences = [e["sequence"] for e in first["items"] + rest["items"]]
    assert sequences == sorted(sequences)


def test_enterprise_staff_cannot_pull_the_feed(client, login_as, world):
    response = client.get("/api/v1/regulator/feed", headers=login_as("head-hc"))
    assert response.status_code == 403


def test_endpoint_configuration_hides_the_secret_and_validates(client, login_as, world):
    headers = login_as("regulator-admin")
    bad = client.post(
        "/api/v1/regulator/endpoints",
        json={"adapter": "webhook", "config": {"url": "not a url", "secret": "short"}},
        headers=headers,
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.get_json()["errors"]} == {"config.url", "config.secret"}
    created = client.post(
        "/api/v1/regulator/endpoints",
        json={"adapter": "webhook", "config": {"url": "http://127.0.0.1:9/x", "secret": "x" * 20}},
        headers=headers,
    )
    assert created.status_code == 201
    listed = client.get("/api/v1/regulator/endpoints", headers=headers).get_json()
    assert listed[0]["url"] == "http://127.0.0.1:9/x"
    assert "secret" not in str(listed)


def test_every_regulator_pulls_the_platform_audit_checkpoints(client, login_as, db, app, world):
    seed_events(db, world)
    result = app.test_cli_runner().invoke(args=["anxun", "audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    for username in ("regulator", "regulator-con"):
        items = client.get("/api/v1/regulator/feed", headers=login_as(username)).get_json()["items"]
        [checkpoint] = [e for e in items if e["type"] == "audit_checkpoint"]
        assert checkpoint["enterprise"] is None
        assert set(checkpoint["payload"]) == {
            "format",
            "algorithm",
            "signed",
            "signature",
            "public_key",
        }
