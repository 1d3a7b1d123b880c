"""Health check, OpenAPI document and the browsable docs page."""

import pytest

from tests.conftest import build_app


def test_health_reports_ok_with_version(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "version": "0.1.0"}


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    app = build_app(f"sqlite:///{tmp_path}/missing-dir/nope.sqlite3", str(tmp_path))
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_openapi_document_is_generated_from_the_real_schemas(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/auth/login", "/api/v1/enterprises", "/api/v1/engagements"} <= set(
        spec["paths"]
    )
    enterprise = spec["components"]["schemas"]["Enterprise"]["properties"]
    assert {"uscc", "region_code", "industries", "size_class"} <= set(enterprise)
    login = spec["paths"]["/api/v1/auth/login"]["post"]
    assert login["security"] == []
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_page_is_served_without_external_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "安巡 API 文档" in html
    assert "/api/v1/openapi.json" in html
    assert "https://" not in html


def test_the_pwa_is_served_at_the_root_on_the_same_port(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "安巡" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-cache"
    assert client.get("/api/v1/nothing-here").content_type == "application/problem+json"


@pytest.mark.parametrize("path", ["/", "/regulator/", "/public/major-hazards", "/api/v1/health"])
def test_every_page_and_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
